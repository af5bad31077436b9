# The XLSX export of the editors' subscriber list (S12).
nb-export-xlsx = Export these subscribers as XLSX
