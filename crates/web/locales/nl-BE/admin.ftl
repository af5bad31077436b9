# admin
admin-title = Beheer

## Audittrail (/beheer/audit) and the history block of entity pages
audit-title = Audittrail
audit-intro = Wie wijzigde wat, wanneer en in welke organisatie. Het audittrail wordt alleen aangevuld, nooit gewijzigd.
audit-filters = Filters voor het audittrail
audit-filter-type = Soort gegeven
audit-filter-organisation = Organisatie
audit-filter-all = Alle
audit-filter-from = Van (datum)
audit-filter-until = Tot en met (datum)
audit-date-hint = Bijvoorbeeld 28/11/2026.
audit-date-invalid = Dit is geen geldige datum. Schrijf de datum als dd/mm/jjjj, bijvoorbeeld 28/11/2026.
audit-filter-apply = Filteren
audit-filter-reset = Filters wissen
audit-count = Aantal registraties: { $count }
audit-export-csv = Exporteren als CSV
audit-none = Er zijn geen registraties voor deze selectie.
audit-col-when = Wanneer
audit-col-who = Wie
audit-col-organisation = Organisatie
audit-col-entity = Gegeven
audit-col-what = Wat
audit-actor-system = Systeem
audit-via-token = via API-sleutel
audit-no-organisation = geen
history-title = Geschiedenis
history-empty = Er zijn nog geen wijzigingen geregistreerd.
history-no-value = (leeg)
history-becomes = wordt
audit-nav = Audittrail

## Beheer (/beheer): the start page of administration
admin-intro = Van hieruit beheert u organisaties, gebruikers, taken en het audittrail, voor zover uw rol dat toelaat.
admin-link-organisations = Organisaties en leden
admin-link-organisations-text = Organisaties bekijken, leden uitnodigen, rollen toekennen en API-sleutels beheren.
admin-link-users = Gebruikers
admin-link-users-text = Alle accounts van het platform (alleen voor platformbeheerders).
admin-link-jobs = Taken
admin-link-jobs-text = De wachtrij van achtergrondtaken, zoals het verzenden van e-mail.
admin-link-styleguide = Stijlgids
admin-link-styleguide-text = Het ontwerpsysteem: kleuren met hun contrast, letters, witruimte en elke component in al zijn toestanden.
admin-link-audit = Audittrail
admin-link-audit-text = Wie wijzigde wat en wanneer; ook te downloaden als CSV.
