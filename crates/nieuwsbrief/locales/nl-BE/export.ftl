# The XLSX export of the editors' subscriber list (S12).
nb-export-xlsx = Exporteer deze abonnees als XLSX
