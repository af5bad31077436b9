## The "my data" link of registrants without an account (issue 13 point 8).
wg-mydata-title = Wat we bijhouden over je inschrijvingen
wg-mydata-intro = Dit is alles wat de werkgroepen bijhouden voor het e-mailadres { $email }: je inschrijvingen voor activiteiten met je antwoorden, je aanwezigheid, je evaluaties, je attesten en de e-mails die we je stuurden.
wg-mydata-outro = Gegevens van deelnemers worden na de bewaartermijn verwijderd of geanonimiseerd; wat voor je attest nodig is, blijft bewaard. Deze pagina is alleen via de link in je e-mail te openen: stuur die link niet door.
wg-mydata-registrations = Inschrijvingen en antwoorden
wg-mydata-attendance = Aanwezigheid
wg-mydata-evaluation-answers = Antwoorden op evaluaties
wg-mydata-certificates = Attesten
wg-mydata-mails = Verstuurde e-mails
wg-mydata-request-link = Vraag een nieuwe link naar je gegevens aan
wg-mydata-event-link = Al eens ingeschreven zonder aan te melden? Vraag een link naar wat we over je bijhouden
wg-mydata-request-title = Link naar je gegevens aanvragen
wg-mydata-request-intro = Schreef je je in voor een activiteit zonder aan te melden? Vul het e-mailadres in waarmee je je inschreef. Staan er inschrijvingen op dat adres, dan sturen we er een link naar met alles wat we erover bijhouden.
wg-mydata-request-email = E-mailadres
wg-mydata-request-submit = Link versturen
wg-mydata-request-sent = Bedankt. Staan er inschrijvingen op dit e-mailadres, dan krijg je binnen enkele minuten een e-mail met een link naar je gegevens. Kijk ook in je map met ongewenste e-mail.
wg-mydata-mail-subject = Je gegevens bij de werkgroepen van het Kenniscentrum
wg-mydata-mail-text = Goeiedag,

    Iemand vroeg een link naar de gegevens die we bijhouden voor dit e-mailadres: je inschrijvingen voor activiteiten, je antwoorden, je aanwezigheid, je evaluaties en je attesten. Je bekijkt en downloadt ze via deze link ({ $days } dagen geldig):
    { $link }

    Vroeg je dit niet aan? Dan mag je deze e-mail negeren.

    Met vriendelijke groeten
    Kenniscentrum Vlaamse Steden
wg-mydata-mail-paragraph = Wat we over je inschrijvingen bijhouden, bekijk en download je via deze link ({ $days } dagen geldig):
    { $link }
## Required evaluation questions.
wg-evalreq-required = verplicht
