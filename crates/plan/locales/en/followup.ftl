## followup
