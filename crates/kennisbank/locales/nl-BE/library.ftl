# Collections and the glossary (begrippenkader): web/collections.rs, web/glossary.rs.

kb-library-crumb = Kennisbank
kb-library-manage-crumb = Site beheren

## Collections, public

kb-collection-list-title = Collecties
kb-collection-list-intro = Samengestelde reeksen documenten uit de Kennisbank: thematische bibliotheken van werkgroepen, publicaties en het archief van elke programmaperiode.
kb-collection-list-description = Thematische bibliotheken, publicaties en het archief per programmaperiode van het Kenniscentrum Vlaamse Steden.
kb-collection-list-none = Er zijn nog geen collecties.
kb-collection-group-thematisch = Thematische bibliotheken
kb-collection-group-publicatie = Publicaties
kb-collection-group-archief = Archief per programmaperiode
kb-collection-kind-thematisch = Thematische bibliotheek
kb-collection-kind-publicatie = Publicatie
kb-collection-kind-archief = Archief van een programmaperiode
kb-collection-period = Programmaperiode
kb-collection-count = Aantal documenten: { $count }
kb-collection-manage-link = Collecties beheren
kb-collection-manage-this = Documenten van deze collectie beheren
kb-collection-empty = Deze collectie bevat geen documenten die u kunt openen.
kb-collection-overview = Overzicht van de evaluatie
kb-collection-overview-caption = Aantal documenten per evaluatiestatus
kb-collection-total = Totaal
kb-collection-sections = Thema's in deze bibliotheek
kb-collection-section-caption = Documenten over { $section }
kb-collection-section-none = Zonder thema
kb-collection-col-document = Document
kb-collection-col-type = Soort
kb-collection-col-date = Datum
kb-collection-col-status = Evaluatiestatus
kb-collection-col-count = Aantal
kb-collection-col-actions = Actiepunten
kb-collection-no-actions = Geen actiepunten
kb-collection-status-none = Geen status
kb-collection-status-te-evalueren = Te evalueren
kb-collection-status-in-evaluatie = In evaluatie
kb-collection-status-geevalueerd = Geëvalueerd
kb-collection-status-goedgekeurd = Goedgekeurd
kb-collection-archive-count = Documenten in dit archief: { $count }
kb-collection-arrange = Indeling van het archief
kb-collection-by-type = Per soort document
kb-collection-by-year = Per jaar
kb-collection-year-unknown = Zonder datum
kb-collection-back = Alle collecties

## Collections, editing

kb-collection-manage-title = Collecties beheren
kb-collection-manage-intro = Stel collecties samen uit de documenten van de Kennisbank. Een archief toont vanzelf alle documenten van zijn programmaperiode.
kb-collection-manage-caption = Alle collecties
kb-collection-public-link = Bekijk de publieke pagina
kb-collection-col-entries = Gekozen documenten
kb-collection-col-manage = Beheer
kb-collection-action-documents = Documenten
kb-collection-action-edit = Bewerken
kb-collection-action-delete = Verwijderen
kb-collection-new-title = Nieuwe collectie
kb-collection-edit-title = Collectie bewerken
kb-collection-field-title = Titel
kb-collection-field-slug = Korte naam in het webadres
kb-collection-field-slug-hint = Laat leeg om die uit de titel te maken. Alleen kleine letters, cijfers en koppeltekens.
kb-collection-field-kind = Soort collectie
kb-collection-field-period-hint = Verplicht voor een archief; voor de andere soorten wordt de periode niet gebruikt.
kb-collection-field-period-none = Geen periode
kb-collection-field-description = Beschrijving
kb-collection-field-description-hint = In Markdown: **vet**, *cursief*, [link](https://…), lijstjes met -.
kb-collection-save = Opslaan
kb-collection-cancel = Annuleren
kb-collection-created = De collectie is aangemaakt. Voeg er nu documenten aan toe.
kb-collection-saved = De collectie is opgeslagen.
kb-collection-delete-title = Collectie verwijderen
kb-collection-delete-question = Wilt u de collectie ‘{ $title }’ verwijderen?
kb-collection-delete-keeps = De documenten zelf blijven in de Kennisbank.
kb-collection-delete-confirm = Ja, verwijder de collectie
kb-collection-deleted = De collectie is verwijderd.
kb-collection-documents-title = Documenten van ‘{ $title }’
kb-collection-view-public = Bekijk de collectie
kb-collection-archive-note = Alle documenten van de periode { $period } staan vanzelf in dit archief. Voeg hier documenten toe die er ook bij horen.
kb-collection-entries-title = Documenten in de collectie
kb-collection-entries-none = Er staan nog geen documenten in deze collectie.
kb-collection-field-theme = Thema
kb-collection-field-part = Onderdeel
kb-collection-field-part-hint = Optioneel: een tussentitel waaronder het document verschijnt.
kb-collection-move-up = Omhoog
kb-collection-move-down = Omlaag
kb-collection-remove = Uit de collectie halen
kb-collection-add-title = Document toevoegen
kb-collection-add-search-label = Documenten zoeken om toe te voegen
kb-collection-add-search = Zoek op titel
kb-collection-add-search-button = Zoeken
kb-collection-add-found = Documenten gevonden: { $count }
kb-collection-add-none = Alle documenten van de Kennisbank staan al in deze collectie.
kb-collection-add-none-found = Geen documenten gevonden met die titel. Probeer een ander woord.
kb-collection-add-button = Toevoegen aan de collectie
kb-collection-entry-added = Het document is toegevoegd.
kb-collection-entry-saved = Het document is bijgewerkt.
kb-collection-entry-moved = Het document is verplaatst.
kb-collection-entry-removed = Het document is uit de collectie gehaald.

## Glossary, public

kb-glossary-title = Begrippenkader
kb-glossary-intro = De begrippen die de steden en het Kenniscentrum gebruiken, met hun definitie en bron, synoniemen en verwante begrippen.
kb-glossary-description = Begrippenkader van het Kenniscentrum Vlaamse Steden: begrippen van A tot Z met definitie, bron en synoniemen.
kb-glossary-filter-region = Begrippen filteren
kb-glossary-filter-label = Zoek een begrip of synoniem
kb-glossary-filter-button = Filteren
kb-glossary-filter-clear = Alle begrippen tonen
kb-glossary-found = Begrippen gevonden voor ‘{ $query }’: { $count }
kb-glossary-letters = Begrippen per letter
kb-glossary-none = Er zijn nog geen begrippen.
kb-glossary-none-found = Geen begrip gevonden.
kb-glossary-search-library = Zoek in de Kennisbank
kb-glossary-synonyms = Synoniemen
kb-glossary-related = Verwante begrippen
kb-glossary-field-definition = Definitie
kb-glossary-field-source = Bron
kb-glossary-back = Terug naar het begrippenkader
kb-glossary-manage-link = Begrippen beheren

## Glossary, editing

kb-glossary-manage-title = Begrippen beheren
kb-glossary-manage-intro = Begrippen met hun definitie, bron, synoniemen en verwante begrippen. De zoekfunctie van de Kennisbank vindt ze ook.
kb-glossary-manage-caption = Alle begrippen
kb-glossary-public-link = Bekijk het begrippenkader
kb-glossary-col-updated = Gewijzigd
kb-glossary-col-manage = Beheer
kb-glossary-new-title = Nieuw begrip
kb-glossary-edit-title = Begrip bewerken
kb-glossary-field-term = Begrip
kb-glossary-field-definition-hint = Hoogstens 4.000 tekens. Een lege regel begint een nieuwe alinea.
kb-glossary-field-source-hint = Bijvoorbeeld: DAMA-DMBOK woordenboek.
kb-glossary-field-synonyms-hint = Gescheiden door komma's, bijvoorbeeld: persoonsgegeven, PII.
kb-glossary-related-hint = Vink de begrippen aan die hiermee samenhangen. Het verband verschijnt bij beide begrippen.
kb-glossary-related-none = Er zijn nog geen andere begrippen.
kb-glossary-created = Het begrip is toegevoegd.
kb-glossary-saved = Het begrip is opgeslagen.
kb-glossary-delete-title = Begrip verwijderen
kb-glossary-delete-question = Wilt u het begrip ‘{ $term }’ verwijderen? Ook de verbanden met andere begrippen verdwijnen.
kb-glossary-delete-confirm = Ja, verwijder het begrip
kb-glossary-deleted = Het begrip is verwijderd.
