## Plans, items, tree, dashboard, Mijn acties

plan-nav-plans = Plannen
plan-nav-mine = Mijn acties
plan-nav-section = Beleidsplannen
# The plan's background jobs by name (on /beheer/taken; see steden_web::admin_jobs::job_label_key)
job-kind-plan-import = Import in een plan
job-kind-plan-pull-measurements = Meetwaarden ophalen
job-kind-plan-round-opened = Berichten bij een geopende rapporteringsronde
job-kind-plan-round-reminder = Herinnering voor een rapporteringsronde

plan-kind-jaarplan = Jaarplan
plan-kind-meerjarenplan = Meerjarenplan
plan-kind-bestuursakkoord = Bestuursakkoord

plan-planstatus-ontwerp = Ontwerp
plan-planstatus-vastgesteld = Vastgesteld
plan-planstatus-gearchiveerd = Gearchiveerd

plan-status-niet_gestart = Niet gestart
plan-status-lopend = Lopend
plan-status-vertraagd = Vertraagd
plan-status-afgerond = Afgerond
plan-status-stopgezet = Stopgezet
plan-status-manual = handmatig ingesteld
plan-status-derived-would-be = (afgeleid van de onderdelen: { $status })
plan-status-derive = Terug naar de afgeleide status
plan-status-derived-choice = Afgeleid van de onderdelen (nu: { $status })
plan-status-derived-done = De status wordt weer afgeleid van de onderdelen.

plan-pubfield-beschrijving = Beschrijving
plan-pubfield-status = Status
plan-pubfield-voortgang = Voortgang
plan-pubfield-data = Begin- en einddatum
plan-pubfield-eigenaar = Eigenaar
plan-pubfield-indicatoren = Indicatoren
plan-pubfield-financien = Financiën
plan-pubfield-kwesties = Kwesties

plan-demo-badge = Demo: verzonnen voor de demonstratie
plan-progress = Voortgang
plan-prioritair = Prioritair

plan-tabs-label = Onderdelen van het plan
plan-tab-tree = Boom
plan-tab-dashboard = Dashboard
plan-tab-indicators = Indicatoren
plan-tab-rounds = Rapporteringsrondes
plan-tab-kwesties = Kwesties
plan-tab-timeline = Tijdlijn
plan-tab-finance = Financiën
plan-tab-releases = Releases
plan-tab-import = Import
plan-tab-export = Export
plan-tab-publication = Publicatie

## Plan list and plan forms
plan-plans-title = Plannen
plan-plans-intro = De plannen van de organisaties waartoe u behoort.
plan-plans-none = Er zijn nog geen plannen.
plan-search-title = Zoeken in plannen
plan-search-intro = Zoek op code, titel of omschrijving in alle plannen die u mag lezen.
plan-search-label = Code of woorden
plan-search-submit = Zoeken
plan-search-results = Resultaten
plan-search-count = { $count } resultaten voor ‘{ $query }’
plan-search-count-one = 1 resultaat voor ‘{ $query }’
plan-search-none = Niets gevonden. Probeer een ander woord of een kortere code.
plan-search-in = In
plan-col-title = Titel
plan-col-organisation = Organisatie
plan-col-kind = Soort plan
plan-col-period = Periode
plan-col-planstatus = Status van het plan
plan-new-title = Nieuw plan
plan-new-intro = Het plan hoort bij { $organisation }.
plan-new-done = Het plan is aangemaakt.
plan-edit-title = Plan bewerken
plan-edit-done = Het plan is opgeslagen.
plan-copy-title = Volgende periode starten
plan-copy-intro = Maak een kopie van ‘{ $title }’ voor een nieuwe periode: niveaus, items en indicatoren worden overgenomen; status en voortgang beginnen opnieuw.
plan-copy-submit = Kopie maken
plan-copy-done = Het plan voor de nieuwe periode is aangemaakt.
plan-field-description = Beschrijving
plan-field-period-start = Begin van de periode
plan-field-period-end = Einde van de periode
plan-date-hint = Als dd/mm/jjjj, bijvoorbeeld 31/12/2026.
plan-levels-title = Niveaus
plan-levels-bbc = BBC: beleidsdoelstelling → actieplan → actie
plan-levels-kenniscentrum = Kenniscentrum: programma → werkspoor → doelstelling → actie
plan-levels-own = Eigen niveaus
plan-levels-names = Eigen niveaunamen
plan-levels-names-hint = Eén niveau per regel, het hoogste eerst. Alleen nodig bij ‘Eigen niveaus’.
plan-levels-edit-hint = Eén niveau per regel, het hoogste eerst.
plan-form-save = Opslaan
plan-form-cancel = Annuleren

## Tree and filters
plan-tree-title = Boom
plan-tree-empty = Dit plan heeft nog geen items.
plan-tree-more = Toon de onderdelen
plan-tree-shown = Onderdelen getoond van
plan-tree-back = Terug naar de volledige boom
plan-marker-late = Te laat
plan-filter-title = Items zoeken en filteren
plan-filter-q = Zoeken in code, titel en beschrijving
plan-filter-all = Alle
plan-filter-prioritair = Alleen prioritaire items
plan-filter-late = Alleen items die te laat zijn
plan-filter-submit = Filteren
plan-filter-clear = Filters wissen
plan-filter-results = Gevonden items
plan-filter-none = Geen items voldoen aan de filters.
plan-col-path = Plaats in de boom
plan-col-code = Code
plan-col-level = Niveau
plan-col-status = Status
plan-col-markers = Kenmerken

## Item page
plan-item-facts = Gegevens
plan-item-none = Niet ingevuld
plan-item-no = Nee
plan-prioritair-own = Ja, zelf als prioritair aangeduid
plan-prioritair-inherited = Ja, omdat een onderdeel prioritair is
plan-progress-rollup = De voortgang volgt uit die van de onderdelen.
plan-field-owner = Eigenaar
plan-field-owner-name = Naam van de eigenaar zonder account
plan-field-owner-name-hint = Alleen als de eigenaar geen lid van de organisatie is.
plan-owner-none = Geen eigenaar
plan-field-service = Verantwoordelijke dienst
plan-field-partners = Partners
plan-comma-hint = Gescheiden door komma's.
plan-field-start = Begindatum
plan-field-end = Einddatum
plan-field-beleidsveld = Beleidsveld
plan-field-themes = Thema's
plan-field-sdgs = Duurzame ontwikkelingsdoelen (SDG's)
plan-field-themes-other = Andere thema's
plan-field-weight = Gewicht
plan-field-weight-hint = Hoe zwaar dit item telt in de voortgang van het bovenliggende item (0 tot 1.000).
plan-field-code-hint = Leeg laten om een code te laten maken.
plan-field-short-title = Korte titel
plan-field-title-hint = Hoogstens 100 tekens; zet de rest in de beschrijving.
plan-field-internal-code = Interne code
plan-item-children = Onderdelen
plan-item-no-children = Dit item heeft geen onderdelen.
plan-col-order = Volgorde
plan-item-edit-title = Item bewerken
plan-item-add-child = Onderdeel toevoegen
plan-item-new-top = Item toevoegen op het hoogste niveau
plan-field-level-hint = Een niveau dieper dan het bovenliggende item; u mag niveaus overslaan.
plan-item-archived = Gearchiveerd: dit item staat niet meer in de tekst van het plan. Het is stopgezet en blijft hier voor de geschiedenis, maar staat niet meer in de boom, het dashboard en de publieke pagina’s.
plan-item-new-title = Nieuw item: { $level }
plan-item-created = Het item is toegevoegd.
plan-item-saved = Het item is opgeslagen.
plan-item-comment-hint = Verplicht als u de status of de voortgang wijzigt.
plan-report-title = Stand van zaken rapporteren
plan-report-progress = Voortgang (%)
plan-report-progress-hint = Een geheel getal van 0 tot 100.
plan-report-comment = Opmerking
plan-report-comment-hint = Licht de stand van zaken toe.
plan-report-submit = Rapporteren
plan-report-done = De stand van zaken is opgeslagen.
plan-history-title = Geschiedenis
plan-history-none = Er zijn nog geen updates.
plan-col-date = Datum
plan-col-author = Door
plan-col-comment = Opmerking
plan-move-title = Verplaatsen
plan-move-up = Omhoog
plan-move-down = Omlaag
plan-move-parent = Nieuw bovenliggend item
plan-move-top = Hoogste niveau
plan-move-position = Plaats
plan-move-position-hint = 1 is de eerste plaats; leeg laten voor de laatste.
plan-move-submit = Verplaatsen
plan-move-done = Het item is verplaatst.
plan-delete-title = Verwijderen
plan-delete-question = Wilt u { $code } echt verwijderen?
plan-delete-subtree = Alle onderdelen van dit item worden ook verwijderd.
plan-delete-history = De geschiedenis, indicatoren en bedragen van het item verdwijnen mee.
plan-delete-confirm = Ja, verwijderen
plan-delete-done = { $code } is verwijderd.

## Dashboard
plan-dash-figures = Kerncijfers
plan-dash-progress = Voortgang van het plan
plan-dash-prioritair = Prioritaire items
plan-dash-late = Items die te laat zijn
plan-dash-off-track = Indicatoren die niet op koers zitten
plan-dash-late-updates = Laattijdige rapporteringen
plan-dash-open-kwesties = Open kwesties
plan-dash-by-level = Items per niveau
plan-dash-by-level-status = Aantal items per niveau en status
plan-dash-no-items = Dit plan heeft nog geen items.
plan-dash-count = Aantal
plan-dash-latest = Laatste updates

## Mijn acties
plan-mine-intro = De items waarvan u eigenaar bent, per plan.
plan-mine-none = U bent van geen enkel item eigenaar.
plan-col-report = Rapporteren
plan-filter-truncated = { $count } items voldoen aan de filters; de eerste { $shown } worden getoond. Verfijn de filters om de rest te zien.

plan-table-region = Tabel, horizontaal te verschuiven
plan-tree-children = Onderdelen

plan-of = van

# The workspace (/start): what changed in what a person follows.
plan-work-change-report = Nieuwe stand van zaken
plan-work-change-measurement = Nieuwe meting

# The item page says once which fields are empty, instead of a row of "Niet ingevuld" each.
plan-item-not-filled = Niet ingevuld
plan-item-fill-in = Vul ze aan

# Filtered lists the dashboard's key figures link to.
plan-fu-kstatus-unresolved = Niet opgelost (open of in behandeling)
plan-ind-filtered = Alleen indicatoren met koers
plan-ind-show-all = Toon alle indicatoren
plan-ind-none-filtered = Geen enkele indicator van dit plan heeft die koers.
plan-dash-figure-hint = Klik een kerncijfer om de items te zien die het telt.
plan-dash-no-items-next = Dit plan heeft nog geen items. Een redacteur voegt ze toe in de boom of laadt ze op via Import.
plan-chart-region = Grafiek, horizontaal te verschuiven

# The public plan page as a collapsible hierarchy.
plan-rep-no-items = Dit plan heeft nog geen gepubliceerde items. Kom later terug, of bekijk de andere openbare plannen.
plan-rep-item-page = Naar de fiche van dit onderdeel
