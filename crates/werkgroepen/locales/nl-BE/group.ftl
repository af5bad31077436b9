# A group's pages (web/group/), the new-group form (web/new_group.rs).

wg-tabs-label = Onderdelen van de werkgroep
wg-tab-about = Over
wg-tab-members = Leden
wg-tab-history = Geschiedenis
wg-tab-settings = Instellingen
wg-none = geen
wg-cancel = Annuleren
wg-save = Opslaan

wg-group-times = Gewoonlijk van – tot
wg-group-place = Plaats
wg-group-online = Onlinelink
wg-group-programme = Programma
wg-group-werkspoor = Werkspoor
wg-group-programme-text = Waar de werkgroep aan werkt
wg-group-facilitators = Begeleiders
wg-group-no-facilitators = Nog geen begeleiders.
wg-group-cities = Deelnemende steden en organisaties
wg-group-no-cities = Nog geen.

wg-own-title = Deelnemen
wg-own-anonymous = Meld je aan om lid te worden van deze werkgroep.
wg-own-can-join = Werk je in een stad of partnerorganisatie aan dit onderwerp? Vraag om lid te worden; de begeleiders beslissen.
wg-own-cannot-join = Lid worden kan wie in een stad of partnerorganisatie minstens de rol lid heeft.
wg-own-pending = Je aanvraag om lid te worden wordt bekeken.
wg-own-member = Je bent lid van deze werkgroep, als { $role }.
wg-own-refused = Je vorige aanvraag werd geweigerd
wg-join-button = Lid worden
wg-withdraw-button = Aanvraag intrekken
wg-leave-button = Werkgroep verlaten
wg-leave-done = Je hebt de werkgroep verlaten.

wg-join-title = Lid worden van { $group }
wg-join-intro = De begeleiders van de werkgroep lezen je aanvraag en beslissen. Je krijgt hun antwoord te zien op de pagina van de werkgroep.
wg-join-organisation = Voor welke stad of organisatie word je lid?
wg-join-motivation = Motivatie
wg-join-motivation-hint = Waarom wil je lid worden, en wat breng je mee?
wg-join-submit = Aanvraag versturen
wg-join-done = Je aanvraag is verstuurd.

wg-members-title = Leden van { $group }
wg-members-active = Leden
wg-members-empty = Deze werkgroep heeft nog geen leden.
wg-members-no-emails = E-mailadressen zien alleen de leden en de begeleiders van de werkgroep.
wg-requests-title = Aanvragen om lid te worden
wg-requests-empty = Er zijn geen openstaande aanvragen.
wg-request-review = Beoordelen
wg-col-name = Naam
wg-col-role = Rol
wg-col-organisation = Stad of organisatie
wg-col-email = E-mailadres
wg-col-joined = Lid sinds
wg-col-left = Vertrokken op
wg-col-requested = Gevraagd op
wg-col-status = Status
wg-col-decision = Beslissing
wg-col-actions = Acties

wg-request-title = Aanvraag van { $name }
wg-request-approve-title = Goedkeuren
wg-request-approve = Aanvraag goedkeuren
wg-role-hint = Een waarnemer leest mee maar stelt geen agendapunten voor; een gast ziet alleen de vergaderingen waarvoor hij is uitgenodigd.
wg-request-refuse-title = Weigeren
wg-request-reason = Reden
wg-request-reason-hint = Wie de aanvraag deed, krijgt deze reden te lezen.
wg-request-refuse = Aanvraag weigeren
wg-request-approved = De aanvraag van { $name } is goedgekeurd.
wg-request-refused = De aanvraag van { $name } is geweigerd.

wg-settings-title = Instellingen van { $group }
wg-settings-done = De instellingen zijn opgeslagen.
wg-field-name = Naam
wg-field-slug = Korte naam
wg-field-slug-hint = Komt in het webadres: kleine letters, cijfers en koppeltekens, bijvoorbeeld gdpr.
wg-field-kind = Soort groep
wg-field-purpose = Doel
wg-field-purpose-hint = Eén of twee zinnen: waarvoor bestaat de werkgroep?
wg-field-programme = Programma
wg-field-programme-hint = Waar de werkgroep aan werkt; laat een lege regel tussen alinea's.
wg-field-visibility = Zichtbaarheid
wg-field-visibility-hint = Een publieke werkgroep stelt zich voor op de website (naam, doel, begeleiders, steden); een verborgen werkgroep zien alleen haar leden en begeleiders.
wg-field-start = Gewoonlijk begin
wg-field-end = Gewoonlijk einde
wg-field-time-hint = Als UU:MM, bijvoorbeeld 14:00.
wg-field-proposal-days = Dagen om agendapunten voor te stellen
wg-field-proposal-days-hint = Hoeveel dagen voor een vergadering de termijn voor voorstellen afloopt.
wg-field-comment-days = Dagen om op een verslag te reageren
wg-field-comment-days-hint = Hoe lang de leden een voorgelegd verslag kunnen becommentariëren.
wg-facilitator-add-label = Medewerker van het Kenniscentrum
wg-facilitator-add = Begeleider toevoegen
wg-facilitator-added = De begeleider is toegevoegd.
wg-facilitator-remove = Verwijderen
wg-facilitator-removed = De begeleider is verwijderd.

wg-history-title = Geschiedenis van { $group }
wg-history-intro = Elke aanvraag, goedkeuring, weigering en elk vertrek blijft bewaard.
wg-history-caption = Lidmaatschappen, laatst gewijzigd eerst
wg-history-empty = Er is nog niemand lid geweest.

wg-new-title = Nieuwe werkgroep
wg-new-intro = Een nieuwe werkgroep is verborgen tot je ze publiek maakt. Je wordt er zelf begeleider van.
wg-new-submit = Werkgroep aanmaken
wg-new-done = De werkgroep is aangemaakt.
wg-new-link = Nieuwe werkgroep

wg-link-title = Koppeling met het jaarplan
wg-link-label = Programma of werkspoor
wg-link-hint = Uit de gepubliceerde plannen van het Kenniscentrum. De titel blijft bewaard, ook als een nieuw plan het oude vervangt.
wg-link-none = Geen koppeling
wg-link-submit = Koppeling opslaan
wg-link-done = De koppeling met het plan is opgeslagen.
