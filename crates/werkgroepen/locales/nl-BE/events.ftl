# Activiteiten en opleidingen: studiedagen, opleidingen, coaching, lerende netwerken (S11).
wg-nav-events = Activiteiten
wg-events-title = Activiteiten en opleidingen
wg-events-intro = Studiedagen, opleidingen, coachingsessies, lerende netwerken en masterclasses van het Kenniscentrum Vlaamse Steden.
wg-events-coming = Komende activiteiten
wg-events-none-coming = Er zijn geen komende activiteiten.
wg-events-past = Voorbije activiteiten
wg-events-back = Terug naar de activiteiten
wg-event-new = Nieuwe activiteit
wg-event-new-title = Nieuwe activiteit
wg-event-created = De activiteit is aangemaakt.
wg-event-series-new = Nieuwe reeks
wg-event-series-new-title = Nieuwe reeks activiteiten
wg-event-series-created = De reeks is aangemaakt. Je kan ze nu kiezen bij een nieuwe activiteit.
wg-event-series = Reeks
wg-event-no-series = Geen reeks
wg-event-cancelled = Geannuleerd
wg-event-places = Aantal plaatsen
wg-event-places-unlimited = Onbeperkt aantal plaatsen
wg-event-places-full = Volzet
wg-event-places-free = { $free } van { $capacity } plaatsen vrij
wg-event-registration = Inschrijven
wg-event-register-title = Inschrijven
wg-event-register = Inschrijven
wg-event-registered = Je bent ingeschreven. Je krijgt een bevestiging per e-mail.
wg-event-registered-waitlist = De activiteit is volzet: je staat op de wachtlijst met nummer { $number }. Komt er een plaats vrij, dan schuif je automatisch door en krijg je een e-mail.
wg-event-unregister = Mijn inschrijving annuleren
wg-event-unregistered = Je inschrijving is geannuleerd.
wg-event-own-confirmed = Je bent ingeschreven voor deze activiteit.
wg-event-own-waitlist = Je staat op de wachtlijst voor deze activiteit.
wg-event-closed = De inschrijvingen zijn afgesloten.
wg-event-full = Deze activiteit is volzet.
wg-event-waitlist-open = Alle plaatsen zijn ingenomen. Schrijf je in om op de wachtlijst te komen: je schuift automatisch door als er een plaats vrijkomt.
wg-event-login-first = Deze activiteit is voor leden van de steden en partners.
wg-event-login = Meld je aan om in te schrijven.
wg-event-members-only = Deze activiteit is voor leden van een stad of partnerorganisatie. Vraag de beheerder van je organisatie om de rol lid.
wg-event-registering-as = Je schrijft in als
wg-event-field-slug = Korte naam in het adres
wg-event-field-slug-hint = Kleine letters, cijfers en koppeltekens, bijvoorbeeld impactmeting-basis.
wg-event-field-kind = Soort activiteit
wg-event-field-description = Beschrijving
wg-event-field-capacity-hint = Laat leeg voor een onbeperkt aantal plaatsen.
wg-event-field-waitlist = Wachtlijst als de plaatsen ingenomen zijn
wg-event-field-questions = Vragen bij de inschrijving
wg-event-field-questions-hint = Eén vraag per regel. Een * op het einde maakt de vraag verplicht; met "Vraag: antwoord a | antwoord b" kies je uit antwoorden. Bijvoorbeeld: Dieetwensen of allergieën
wg-event-field-certificates = Aanwezigheidsattesten voor de deelnemers
wg-event-capacity-save = Aantal plaatsen bewaren
wg-event-capacity-saved = Het aantal plaatsen is bewaard. Doorgeschoven van de wachtlijst: { $moved }.
wg-event-kind-studiedag = Studiedag
wg-event-kind-opleiding = Opleiding
wg-event-kind-coaching = Coaching
wg-event-kind-lerend-netwerk = Lerend netwerk
wg-event-kind-masterclass = Masterclass
wg-event-kind-terugkomdag = Terugkomdag
wg-event-kind-netwerkdag = Netwerkdag
wg-event-registration-publiek = Open voor iedereen
wg-event-registration-leden = Voor leden van de steden en partners
wg-event-registration-gesloten = Inschrijvingen gesloten
wg-registration-status-bevestigd = Bevestigd
wg-registration-status-wachtlijst = Op de wachtlijst
wg-registration-status-geannuleerd = Geannuleerd
wg-registration-on-waitlist = Op de wachtlijst (nummer { $number })
wg-registration-name = Naam
wg-registration-email = E-mailadres
wg-registration-email-hint = Hierheen sturen we de bevestiging, met een link om te annuleren.
wg-registration-organisation = Organisatie
wg-registration-choose = Kies een antwoord
wg-registration-title = Je inschrijving voor { $event }
wg-registration-cancel-explain = Kan je niet komen? Annuleer je inschrijving, dan krijgt de eerste op de wachtlijst je plaats.
wg-registration-to-event = Naar de activiteit
wg-participants-link = Deelnemers en wachtlijst
wg-participants-title = Deelnemers van { $event }
wg-participants-seats = Bevestigde plaatsen
wg-participants-none = Nog niemand ingeschreven.
wg-participants-confirmed = Bevestigde deelnemers
wg-participants-waiting = Wachtlijst
wg-participants-cancelled = Geannuleerde inschrijvingen
wg-participants-answers = Antwoorden
wg-participants-status = Status
wg-participants-actions = Acties
wg-participant-cancel = Inschrijving annuleren
wg-participant-cancelled = De inschrijving is geannuleerd.
wg-link-invalid = Deze link is niet geldig.
wg-link-expired = Deze link is verlopen.
wg-event-mail-bevestiging-subject = Inschrijving bevestigd: { $event }
wg-event-mail-bevestiging-text = Beste { $name },

    Je bent ingeschreven voor { $event } op { $when } ({ $place }).

    Kan je toch niet komen? Annuleer je inschrijving via deze link, dan krijgt iemand van de wachtlijst je plaats:
    { $link }

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
wg-event-mail-wachtlijst-subject = Op de wachtlijst: { $event }
wg-event-mail-wachtlijst-text = Beste { $name },

    { $event } op { $when } is volzet. Je staat op de wachtlijst met nummer { $number }. Komt er een plaats vrij, dan schuif je automatisch door en krijg je een e-mail.

    Je inschrijving bekijken of annuleren:
    { $link }

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
wg-event-mail-doorgeschoven-subject = Er is een plaats vrij: je bent ingeschreven voor { $event }
wg-event-mail-doorgeschoven-text = Beste { $name },

    Er kwam een plaats vrij voor { $event } op { $when } ({ $place }). Je bent van de wachtlijst doorgeschoven: je inschrijving is bevestigd.

    Kan je toch niet komen? Annuleer via deze link, dan gaat de plaats naar de volgende op de wachtlijst:
    { $link }

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
wg-event-mail-annulering-subject = Inschrijving geannuleerd: { $event }
wg-event-mail-annulering-text = Beste { $name },

    Je inschrijving voor { $event } op { $when } is geannuleerd.

    Toch graag komen? Schrijf je opnieuw in op { $page }

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
# Aanwezigheid, attesten, evaluatie, exports (S12).
wg-export-csv = Deelnemers als CSV
wg-export-xlsx = Deelnemers als Excel
wg-export-registered-at = Ingeschreven op
wg-export-attended = Aanwezig
wg-export-yes = ja
wg-export-no = nee
wg-attendance-link = Aanwezigheid
wg-attendance-title = Aanwezigheid op { $event }
wg-attendance-legend = Wie was er aanwezig?
wg-attendance-saved = De aanwezigheid is bewaard.
wg-certificate-download = Attest van deelname (PDF)
wg-evaluation-link = Evaluatie
wg-evaluation-title = Evaluatie van { $event } instellen
wg-evaluation-questions = Vragen van de evaluatie
wg-evaluation-questions-hint = Eén vraag per regel. Een gewone regel is een schaalvraag van 1 tot 5; begin met "open:" voor een open vraag. Zet een * aan het einde van een verplichte vraag.
wg-evaluation-questions-saved = De vragen zijn bewaard.
wg-evaluation-send = Evaluatie versturen
wg-evaluation-send-explain = Na de activiteit krijgt elke deelnemer die niet als afwezig staat een e-mail met een persoonlijke link naar het formulier.
wg-evaluation-sent = De evaluatie is verstuurd naar { $count } deelnemers.
wg-evaluation-results-link = Resultaten van de evaluatie
wg-evaluation-results-title = Resultaten van de evaluatie van { $event }
wg-evaluation-responses = Aantal ingevulde formulieren
wg-evaluation-average = Gemiddelde
wg-evaluation-no-questions = Er zijn nog geen vragen.
wg-evaluation-no-answers = Nog geen antwoorden.
wg-evaluation-form-title = Evaluatie van { $event }
wg-evaluation-scale-hint = 1 = helemaal niet tevreden, 5 = zeer tevreden
wg-evaluation-submit = Evaluatie indienen
wg-evaluation-thanks = Bedankt voor je evaluatie!
wg-event-mail-evaluatie-subject = Hoe was { $event }? Geef je mening
wg-event-mail-evaluatie-text = Beste { $name },

    Bedankt voor je deelname aan { $event } op { $when }. Wil je ons laten weten hoe je het vond? Het formulier duurt enkele minuten:
    { $link }

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
