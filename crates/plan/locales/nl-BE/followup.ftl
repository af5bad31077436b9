## followup: rapporteringsrondes, kwesties, projecten en tijdlijn

plan-fu-mail-open-subject = Rapporteringsronde { $round }: { $plan }
plan-fu-mail-open-text = Beste { $name },

    De rapporteringsronde { $round } van { $plan } is geopend. Geef uiterlijk { $deadline } de stand van zaken door voor deze items:

    { $items }

    Met vriendelijke groeten
plan-fu-mail-remind-subject = Herinnering: rapporteringsronde { $round }: { $plan }
plan-fu-mail-remind-text = Beste { $name },

    De rapporteringsronde { $round } van { $plan } loopt af op { $deadline }. Voor deze items ontbreekt nog een stand van zaken:

    { $items }

    Met vriendelijke groeten

## Rapporteringsrondes
plan-fu-rounds-title = Rapporteringsrondes
plan-fu-rounds-intro = In een rapporteringsronde vraagt u elke eigenaar om tegen een uiterste datum de stand van zaken van zijn items door te geven. Eigenaars krijgen een e-mail bij de opening en een herinnering enkele dagen voor de uiterste datum.
plan-fu-rounds-none = Er is nog geen rapporteringsronde voor dit plan.
plan-fu-col-round = Ronde
plan-fu-col-deadline = Uiterste datum
plan-fu-col-reported = Gerapporteerd
plan-fu-col-status = Status
plan-fu-col-opened = Geopend op
plan-fu-col-reminded = Herinnering verstuurd
plan-fu-col-owner = Eigenaar
plan-fu-col-items = Items
plan-fu-col-open-items = Nog te rapporteren
plan-fu-reported-of = { $reported } van { $total }
plan-fu-late = Te laat
plan-fu-done = Alles gerapporteerd
plan-fu-waiting = Nog niet alles gerapporteerd
plan-fu-none-open = Geen
plan-fu-not-yet = Nog niet
plan-fu-round-status-open = Open
plan-fu-round-status-gesloten = Gesloten
plan-fu-round-new = Een ronde openen
plan-fu-field-round-name = Naam van de ronde
plan-fu-field-round-name-hint = Bijvoorbeeld Q2 2025.
plan-fu-field-deadline = Uiterste datum
plan-fu-field-reminder-days = Herinnering, dagen voor de uiterste datum
plan-fu-field-reminder-days-hint = Eigenaars die nog niet alles gerapporteerd hebben, krijgen dan een herinnering.
plan-fu-round-open = Ronde openen en eigenaars verwittigen
plan-fu-round-opened = De ronde { $name } is geopend; de eigenaars krijgen een e-mail.
plan-fu-round-close = Ronde sluiten
plan-fu-round-closed = De ronde is gesloten.
plan-fu-deadline-past = De uiterste datum is voorbij. Eigenaars die nog niet alles gerapporteerd hebben, zijn te laat.
plan-fu-owners-title = Per eigenaar
plan-fu-owners-none = Geen enkel item van dit plan heeft een eigenaar met een account.
plan-fu-back-rounds = Terug naar de rapporteringsrondes

## Kwesties
plan-fu-kwesties-title = Kwesties en risico's
plan-fu-kwesties-none = Er zijn nog geen kwesties of risico's voor dit plan.
plan-fu-kwesties-none-filtered = Geen kwesties of risico's voldoen aan deze filter.
plan-fu-kwesties-none-item = Er zijn geen kwesties of risico's voor dit item.
plan-fu-filter-label = Kwesties filteren
plan-fu-filter-all = Alle
plan-fu-filter-submit = Filteren
plan-fu-filter-clear = Filter wissen
plan-fu-col-item = Item
plan-fu-col-plan = Plan
plan-fu-field-kind = Soort
plan-fu-field-title = Titel
plan-fu-field-description = Beschrijving
plan-fu-field-severity = Ernst
plan-fu-field-due = Vervaldatum
plan-fu-owner-none = Niemand
plan-fu-kwestie-new = Kwestie of risico toevoegen
plan-fu-kwestie-edit = Kwestie of risico wijzigen
plan-fu-kwestie-created = { $title } is toegevoegd.
plan-fu-kwestie-saved = { $title } is bewaard.
plan-fu-save = Bewaren
plan-fu-back-item = Terug naar het item
plan-fu-mine-title = Mijn kwesties
plan-fu-mine-none = U bent van geen enkele kwestie of risico eigenaar.
plan-fu-kind-kwestie = Kwestie
plan-fu-kind-risico = Risico
plan-fu-severity-laag = Laag
plan-fu-severity-middel = Middel
plan-fu-severity-hoog = Hoog
plan-fu-severity-kritiek = Kritiek
plan-fu-kstatus-open = Open
plan-fu-kstatus-in_behandeling = In behandeling
plan-fu-kstatus-opgelost = Opgelost

## Projecten, mijlpalen en tijdlijn
plan-fu-projects-title = Projecten en mijlpalen
plan-fu-projects-none = Er zijn nog geen projecten voor dit item.
plan-fu-project-new = Project toevoegen
plan-fu-project-edit = Project wijzigen
plan-fu-project-created = Het project { $title } is toegevoegd; voeg nu de mijlpalen toe.
plan-fu-project-saved = Het project { $title } is bewaard.
plan-fu-project-deleted = Het project { $title } is verwijderd.
plan-fu-project-delete = Project verwijderen
plan-fu-project-delete-warning = Het project en al zijn mijlpalen worden verwijderd. Dit kan niet ongedaan worden.
plan-fu-field-start = Begindatum
plan-fu-field-end = Einddatum
plan-fu-col-name = Naam
plan-fu-col-actions = Acties
plan-fu-kind-project = Project
plan-fu-kind-item = Item
plan-fu-delete = Verwijderen
plan-fu-milestones-title = Mijlpalen
plan-fu-milestones-none = Dit project heeft nog geen mijlpalen.
plan-fu-milestone-new = Nieuwe mijlpaal
plan-fu-milestone-add = Mijlpaal toevoegen
plan-fu-milestone-added = De mijlpaal { $title } is toegevoegd.
plan-fu-milestone-saved = De mijlpaal is bewaard.
plan-fu-milestone-deleted = De mijlpaal is verwijderd.
plan-fu-milestone-done = Behaald
plan-fu-milestone-open = Nog niet behaald
plan-fu-milestone-mark-done = Als behaald aanduiden
plan-fu-milestone-reopen = Als niet behaald aanduiden
plan-fu-timeline-title = Tijdlijn
plan-fu-timeline-of = Tijdlijn van { $name }
plan-fu-timeline-desc = Balken van begin- tot einddatum voor { $count } rijen op een maandas, mijlpalen als ruiten en een lijn voor vandaag. Dezelfde gegevens staan in de tabel eronder.
plan-fu-timeline-today = vandaag
plan-fu-timeline-table = De gegevens van de tijdlijn
plan-fu-timeline-empty = Er zijn nog geen projecten of items met een begin- en einddatum om te tonen.
plan-fu-timeline-item-link = Tijdlijn van dit item en zijn onderdelen
