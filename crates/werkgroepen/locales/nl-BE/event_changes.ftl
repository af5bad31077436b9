# Een activiteit bewerken of annuleren, de pagina van een reeks (issue 13 punt 5 en 7).
wgev-edit-link = Activiteit bewerken
wgev-edit-title = { $event } bewerken
wgev-edit-slug-fixed = (de korte naam blijft dezelfde: de links in verstuurde e-mails wijzen ernaar)
wgev-edit-saved = De activiteit is bewaard. E-mail over de wijziging van datum, uur of plaats: { $notified }. Doorgeschoven van de wachtlijst: { $moved }.
wgev-field-retention = Bewaartermijn van de deelnemersgegevens, in maanden (niet verplicht)
wgev-field-retention-hint = Een getal van 1 tot en met 120. Leeg laten: de standaardtermijn van { $months } maanden.
wgev-cancel-link = Activiteit annuleren
wgev-cancel-title = { $event } annuleren
wgev-cancel-warning = Een annulering kan je niet ongedaan maken.
wgev-cancel-explain = De activiteit van { $when } wordt geannuleerd en de inschrijvingen sluiten. Ingeschreven personen en wie op de wachtlijst staat ({ $registered }) krijgen elk één e-mail met de reden hieronder.
wgev-cancel-reason = Reden van de annulering
wgev-cancel-reason-hint = Deze tekst staat in de e-mail aan de deelnemers.
wgev-cancel-confirm = Ja, annuleer de activiteit
wgev-cancel-back = Nee, terug naar de activiteit
wgev-cancel-done = De activiteit is geannuleerd. Ingeschreven personen die een e-mail krijgen: { $mailed }.
wgev-cancelled-notice = Deze activiteit is geannuleerd.
wgev-status-gepland = Gepland
wgev-status-gehouden = Gehouden
wgev-status-geannuleerd = Geannuleerd
wgev-series-title = Reeks: { $series }
wgev-series-list-title = Reeksen
wgev-series-events = Activiteiten van de reeks
wgev-series-empty = Deze reeks heeft nog geen activiteiten.
wgev-series-col-event = Activiteit
wgev-series-col-status = Status
wgev-series-col-registrations = Inschrijvingen
wgev-series-col-attended = Aanwezig
wgev-series-total = Totaal
wg-event-mail-wijziging-subject = Gewijzigd: { $event }
wg-event-mail-wijziging-text = Beste { $name },

    { $event } is gewijzigd. Dit zijn de nieuwe gegevens:
    { $when } ({ $place }).

    Je inschrijving blijft staan. Kan je nu niet meer komen? Annuleer via deze link, dan krijgt iemand van de wachtlijst je plaats:
    { $link }

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
wg-event-mail-afgelast-subject = Geannuleerd: { $event }
wg-event-mail-afgelast-text = Beste { $name },

    { $event } op { $when } gaat niet door: de activiteit is geannuleerd.

    Reden: { $reason }

    Je hoeft niets te doen. Meer informatie: { $page }

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
