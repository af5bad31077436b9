## reports: releases, the printable report, comparison, publication and export

plan-rep-yes = ja
plan-rep-no = nee
plan-rep-none = —

## Releases
plan-rep-releases-title = Releases
plan-rep-releases-intro = Een release bevriest het hele plan op een datum: een rapport dat daarna nooit meer verandert, om af te drukken, te bewaren en te vergelijken.
plan-rep-releases-none = Dit plan heeft nog geen releases.
plan-rep-col-name = Naam
plan-rep-col-asof = Stand op
plan-rep-col-created = Gemaakt op
plan-rep-col-published = Gepubliceerd
plan-rep-new-title = Nieuwe release
plan-rep-field-name = Naam van de release
plan-rep-field-name-hint = Bijvoorbeeld: Voortgangsrapport juni 2026.
plan-rep-field-asof = Stand op
plan-rep-field-asof-hint = Als dd/mm/jjjj. Metingen van indicatoren tot en met deze datum komen in de release.
plan-rep-create = Release maken
plan-rep-created = Release „{ $name }” gemaakt.

## The printable report
plan-rep-print-hint = Afdrukken / PDF: gebruik de afdrukfunctie van uw browser (Ctrl+P) en kies „Opslaan als PDF”. De pagina is opgemaakt voor A4.
plan-rep-cover-label = Voortgangsrapport
plan-rep-cover-asof = Stand op { $date }
plan-rep-cover-period = Periode: { $start } tot { $end }
plan-rep-summary = Samenvatting
plan-rep-summary-total = { $count } items in totaal
plan-rep-tree = Doelstellingen en acties
plan-rep-indicators = Indicatoren
plan-rep-no-indicators = Dit plan heeft geen indicatoren.
plan-rep-no-measurements = Nog geen metingen.
plan-rep-kwesties = Kwesties en risico's
plan-rep-no-kwesties = Geen kwesties of risico's.
plan-rep-finance = Financiën
plan-rep-no-finance = Geen bedragen.
plan-rep-measurements-of = Metingen en streefwaarden van { $name }
plan-rep-baseline = Basiswaarde: { $value } op { $date }

## Columns
plan-rep-col-code = Code
plan-rep-col-level = Niveau
plan-rep-col-parent = Code bovenliggend
plan-rep-col-title = Titel
plan-rep-col-description = Beschrijving
plan-rep-col-status = Status
plan-rep-col-progress = Voortgang (%)
plan-rep-col-owner = Eigenaar
plan-rep-col-service = Dienst
plan-rep-col-start = Begindatum
plan-rep-col-end = Einddatum
plan-rep-col-prioritair = Prioritair
plan-rep-col-themes = Thema's
plan-rep-col-count = Aantal
plan-rep-col-id = ID
plan-rep-col-direction = Richting
plan-rep-col-source = Bron
plan-rep-col-frequency = Frequentie
plan-rep-col-indicator = Indicator
plan-rep-col-unit = Eenheid
plan-rep-col-rowkind = Soort
plan-rep-col-date = Datum
plan-rep-col-value = Waarde
plan-rep-col-comment = Opmerking
plan-rep-col-author = Auteur
plan-rep-col-health = Gezondheid
plan-rep-col-latest = Laatste waarde
plan-rep-col-kind = Soort
plan-rep-col-severity = Ernst
plan-rep-col-due = Tegen
plan-rep-col-year = Jaar
plan-rep-col-amount = Bedrag (euro)
plan-rep-col-old = Voordien
plan-rep-col-new = Nadien
plan-rep-rowkind-baseline = basiswaarde
plan-rep-rowkind-target = streefwaarde
plan-rep-rowkind-measurement = meting

## Kwesties
plan-rep-kwkind-kwestie = Kwestie
plan-rep-kwkind-risico = Risico
plan-rep-kwstatus-open = Open
plan-rep-kwstatus-in_behandeling = In behandeling
plan-rep-kwstatus-opgelost = Opgelost
plan-rep-severity-laag = Laag
plan-rep-severity-middel = Middel
plan-rep-severity-hoog = Hoog
plan-rep-severity-kritiek = Kritiek

## Comparison
plan-rep-compare-title = Releases vergelijken
plan-rep-compare-link = Twee releases vergelijken
plan-rep-compare-intro = Kies een oudere en een nieuwere release om te zien wat er veranderde.
plan-rep-compare-from = Van (oudere release)
plan-rep-compare-to = Naar (nieuwere release)
plan-rep-compare-submit = Vergelijken
plan-rep-compare-need-two = Er zijn minstens twee releases nodig om te vergelijken.
plan-rep-compare-heading = Van „{ $from }” naar „{ $to }”
plan-rep-diff-none = Er zijn geen verschillen tussen deze twee releases.
plan-rep-diff-added = Nieuwe items
plan-rep-diff-removed = Verdwenen items
plan-rep-diff-status = Gewijzigde status
plan-rep-diff-progress = Gewijzigde voortgang
plan-rep-diff-indicators = Gewijzigde waarden van indicatoren
plan-rep-diff-opened = Geopende kwesties
plan-rep-diff-closed = Afgesloten kwesties

## Publication
plan-rep-pub-title = Publicatie
plan-rep-pub-intro = Een gepubliceerd plan is zonder aanmelden te zien op een publieke pagina. Code en titel van elk item zijn altijd zichtbaar; kies welke andere velden er ook op staan.
plan-rep-pub-publish = Dit plan publiceren
plan-rep-pub-fields = Velden op de publieke pagina
plan-rep-pub-save = Publicatie opslaan
plan-rep-pub-saved = De publicatie van het plan is opgeslagen.
plan-rep-pub-is-public = Dit plan is gepubliceerd op
plan-rep-pub-not-public = Dit plan is niet gepubliceerd.
plan-rep-pub-releases = Releases publiceren
plan-rep-pub-releases-intro = Een gepubliceerde release toont op zijn publieke pagina dezelfde velden als het plan.
plan-rep-pub-release-on = Publiceren
plan-rep-pub-release-off = Offline halen
plan-rep-pub-release-saved = De publicatie van de release is aangepast.
plan-rep-public-plans-title = Gepubliceerde plannen
plan-rep-public-plans-intro = Plannen die steden en gemeenten openbaar maken.
plan-rep-public-none = Er zijn nog geen gepubliceerde plannen.
plan-rep-public-releases = Gepubliceerde rapporten
plan-rep-public-back = Terug naar het plan

## Export
plan-rep-export-title = Export
plan-rep-export-intro = Download het plan of zijn indicatoren om verder te werken in een rekenblad.
plan-rep-export-plan = Het plan: één rij per item, in de volgorde van de boom, met de volledige titel en beschrijving, het niveau, de code van het bovenliggende item en de bedragen per jaar en soort.
plan-rep-export-roundtrip = Het XLSX-bestand kunt u na bewerken terug importeren (Import): titel, beschrijving, status, voortgang, dienst, begin- en einddatum en prioritair worden overgenomen, rijen met een nieuwe code worden nieuwe items onder de code in “Code bovenliggend”. Laat de kolom ID en het verborgen blad staan. Eigenaar, thema’s en bedragen worden niet ingelezen; een verwijderde rij verwijdert geen item.
plan-rep-export-indicators = De indicatoren: één rij met de basiswaarde en één per streefwaarde en per meting, met richting, bron en frequentie.
plan-rep-export-xlsx = Excel (XLSX)
plan-rep-export-csv = CSV
plan-rep-export-csv-hint = CSV-bestanden gebruiken puntkomma's, UTF-8 en een decimale komma; datums staan als dd/mm/jjjj. Bedragen staan in euro, opgeteld over de budgettypes, met uitgaven en ontvangsten in aparte kolommen.
plan-rep-sheet-plan = Plan
plan-rep-sheet-indicators = Indicatoren
