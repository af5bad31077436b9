# Invitations by mail, the personal calendar feed and replies (src/invitations.rs, web/feed.rs, web/replies.rs).

wg-mail-invite-subject = Uitnodiging: { $title }, { $date }
wg-mail-update-subject = Gewijzigd: { $title }, { $date }
wg-mail-cancel-subject = Geannuleerd: { $title }, { $date }
wg-mail-invite-text = Beste { $name },

    { $group } vergadert op { $when }.
    { $where }

    De vergadering op het platform: { $url }
    Laat weten of je komt: { $reply }

    De uitnodiging zit als agenda-item bij deze mail.

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
wg-mail-update-text = Beste { $name },

    De vergadering van { $group } is gewijzigd. Ze vindt nu plaats op { $when }.
    { $where }

    De vergadering op het platform: { $url }
    Laat weten of je komt: { $reply }

    Het bijgewerkte agenda-item zit bij deze mail.

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
wg-mail-cancel-text = Beste { $name },

    De vergadering van { $group } op { $when } gaat niet door.
    { $reason }

    Je agenda kan de vergadering schrappen met het item bij deze mail.

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
wg-mail-where = Plaats: { $place }
wg-mail-online = Online: { $url }
wg-mail-reason = Reden: { $reason }
wg-ical-summary = { $group }: vergadering
wg-ical-description-page = Vergadering op het platform: { $url }
wg-ical-description-online = Online deelnemen: { $url }
wg-feed-title = Agenda-abonnement op je werkgroepen
wg-feed-calname = Werkgroepen (Stedenplatform)
wg-feed-intro = Met een agenda-abonnement verschijnen alle vergaderingen van je werkgroepen in Outlook, Google Agenda of je telefoon, en blijven ze bij als een vergadering verschuift of wordt geannuleerd.
wg-feed-url-heading = Je persoonlijke link
wg-feed-url-once = Kopieer deze link nu en voeg hem in je agenda toe als abonnement ("agenda toevoegen via internet" of "via URL"). We tonen hem maar één keer; wie hem heeft, ziet je vergaderingen.
wg-feed-url-label = Link van je agenda-abonnement
wg-feed-live-since = Je hebt een agenda-abonnement sinds { $date }.
wg-feed-none = Je hebt nog geen agenda-abonnement.
wg-feed-create = Agenda-abonnement maken
wg-feed-renew = Nieuwe link maken
wg-feed-renew-hint = Een nieuwe link maakt de oude ongeldig; vervang hem dan ook in je agenda.
wg-feed-revoke = Abonnement intrekken
wg-feed-revoked = Je agenda-abonnement is ingetrokken. De oude link werkt niet meer.
wg-feed-refresh-note = Agenda's halen een abonnement zelf opnieuw op: Outlook meestal binnen enkele uren, Google Agenda soms pas na een halve dag. Een wijziging staat dus niet meteen in je agenda; de uitnodiging per mail wel.
wg-reply-title = Aanwezigheid: { $title } op { $date }
wg-reply-link-title = Je antwoord op de uitnodiging: { $title } op { $date }
wg-reply-current = Je antwoord
wg-reply-none = Nog niet geantwoord
wg-reply-question = Kom je?
wg-reply-saved = Je antwoord is bewaard.
wg-reply-all = Antwoorden
wg-reply-closed-cancelled = Deze vergadering is geannuleerd; je hoeft niet meer te antwoorden.
wg-reply-closed-held = Deze vergadering heeft al plaatsgevonden.
wg-reply-link = Laat weten of je komt
wg-link-help = Meld je aan op het platform om je antwoord te geven, of vraag de begeleider van de werkgroep om een nieuwe uitnodiging.
wg-feed-link = Alle vergaderingen van je werkgroepen in je eigen agenda
wg-mail-remind-proposals-subject = Herinnering: agendapunten voor { $title }, { $date }
wg-mail-remind-proposals-text = Beste { $name },

    Voor de vergadering van { $group } op { $date } kun je nog agendapunten voorstellen tot { $deadline }.

    Een agendapunt voorstellen: { $url }

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
wg-mail-remind-meeting-subject = Herinnering: { $title }, { $date }
wg-mail-remind-meeting-text = Beste { $name },

    { $group } vergadert op { $when }. We weten nog niet of je komt.

    De vergadering op het platform: { $url }
    Laat weten of je komt: { $reply }

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
