# Collections and the glossary (begrippenkader): web/collections.rs, web/glossary.rs.

kb-library-crumb = Knowledge base
kb-library-manage-crumb = Manage the site

## Collections, public

kb-collection-list-title = Collections
kb-collection-list-intro = Curated series of documents from the knowledge base: thematic libraries of working groups, publications and the archive of each programme period.
kb-collection-list-description = Thematic libraries, publications and the archive per programme period of the Kenniscentrum Vlaamse Steden.
kb-collection-list-none = There are no collections yet.
kb-collection-group-thematisch = Thematic libraries
kb-collection-group-publicatie = Publications
kb-collection-group-archief = Archive per programme period
kb-collection-kind-thematisch = Thematic library
kb-collection-kind-publicatie = Publication
kb-collection-kind-archief = Archive of a programme period
kb-collection-period = Programme period
kb-collection-count = Number of documents: { $count }
kb-collection-manage-link = Manage collections
kb-collection-manage-this = Manage the documents of this collection
kb-collection-empty = This collection holds no documents you can open.
kb-collection-overview = Evaluation overview
kb-collection-overview-caption = Number of documents per evaluation status
kb-collection-total = Total
kb-collection-sections = Themes in this library
kb-collection-section-caption = Documents about { $section }
kb-collection-section-none = Without theme
kb-collection-col-document = Document
kb-collection-col-type = Type
kb-collection-col-date = Date
kb-collection-col-status = Evaluation status
kb-collection-col-count = Number
kb-collection-col-actions = Action points
kb-collection-no-actions = No action points
kb-collection-status-none = No status
kb-collection-status-te-evalueren = To be evaluated
kb-collection-status-in-evaluatie = Being evaluated
kb-collection-status-geevalueerd = Evaluated
kb-collection-status-goedgekeurd = Approved
kb-collection-archive-count = Documents in this archive: { $count }
kb-collection-arrange = Arrangement of the archive
kb-collection-by-type = By document type
kb-collection-by-year = By year
kb-collection-year-unknown = Without date
kb-collection-back = All collections

## Collections, editing

kb-collection-manage-title = Manage collections
kb-collection-manage-intro = Put together collections from the documents of the knowledge base. An archive shows every document of its programme period by itself.
kb-collection-manage-caption = All collections
kb-collection-public-link = View the public page
kb-collection-col-entries = Chosen documents
kb-collection-col-manage = Manage
kb-collection-action-documents = Documents
kb-collection-action-edit = Edit
kb-collection-action-delete = Delete
kb-collection-new-title = New collection
kb-collection-edit-title = Edit collection
kb-collection-field-title = Title
kb-collection-field-slug = Short name in the web address
kb-collection-field-slug-hint = Leave empty to make it from the title. Only lower case letters, digits and hyphens.
kb-collection-field-kind = Kind of collection
kb-collection-field-period-hint = Required for an archive; the other kinds do not use the period.
kb-collection-field-period-none = No period
kb-collection-field-description = Description
kb-collection-field-description-hint = In Markdown: **bold**, *italic*, [link](https://…), lists with -.
kb-collection-save = Save
kb-collection-cancel = Cancel
kb-collection-created = The collection was created. Now add documents to it.
kb-collection-saved = The collection was saved.
kb-collection-delete-title = Delete collection
kb-collection-delete-question = Do you want to delete the collection ‘{ $title }’?
kb-collection-delete-keeps = The documents themselves stay in the knowledge base.
kb-collection-delete-confirm = Yes, delete the collection
kb-collection-deleted = The collection was deleted.
kb-collection-documents-title = Documents of ‘{ $title }’
kb-collection-view-public = View the collection
kb-collection-archive-note = Every document of the period { $period } is in this archive by itself. Add documents here that belong to it as well.
kb-collection-entries-title = Documents in the collection
kb-collection-entries-none = There are no documents in this collection yet.
kb-collection-field-theme = Theme
kb-collection-field-part = Part
kb-collection-field-part-hint = Optional: a heading under which the document appears.
kb-collection-move-up = Up
kb-collection-move-down = Down
kb-collection-remove = Take out of the collection
kb-collection-add-title = Add a document
kb-collection-add-search-label = Find documents to add
kb-collection-add-search = Search by title
kb-collection-add-search-button = Search
kb-collection-add-found = Documents found: { $count }
kb-collection-add-none = Every document of the knowledge base is already in this collection.
kb-collection-add-none-found = No documents found with that title. Try another word.
kb-collection-add-button = Add to the collection
kb-collection-entry-added = The document was added.
kb-collection-entry-saved = The document was updated.
kb-collection-entry-moved = The document was moved.
kb-collection-entry-removed = The document was taken out of the collection.

## Glossary, public

kb-glossary-title = Glossary
kb-glossary-intro = The terms the cities and the Kenniscentrum use, with their definition and source, synonyms and related terms.
kb-glossary-description = Glossary of the Kenniscentrum Vlaamse Steden: terms from A to Z with definition, source and synonyms.
kb-glossary-filter-region = Filter terms
kb-glossary-filter-label = Find a term or synonym
kb-glossary-filter-button = Filter
kb-glossary-filter-clear = Show all terms
kb-glossary-found = Terms found for ‘{ $query }’: { $count }
kb-glossary-letters = Terms by letter
kb-glossary-none = There are no terms yet.
kb-glossary-none-found = No term found.
kb-glossary-search-library = Search the knowledge base
kb-glossary-synonyms = Synonyms
kb-glossary-related = Related terms
kb-glossary-field-definition = Definition
kb-glossary-field-source = Source
kb-glossary-back = Back to the glossary
kb-glossary-manage-link = Manage terms

## Glossary, editing

kb-glossary-manage-title = Manage terms
kb-glossary-manage-intro = Terms with their definition, source, synonyms and related terms. The knowledge base's search finds them too.
kb-glossary-manage-caption = All terms
kb-glossary-public-link = View the glossary
kb-glossary-col-updated = Changed
kb-glossary-col-manage = Manage
kb-glossary-new-title = New term
kb-glossary-edit-title = Edit term
kb-glossary-field-term = Term
kb-glossary-field-definition-hint = At most 4,000 characters. An empty line starts a new paragraph.
kb-glossary-field-source-hint = For example: DAMA-DMBOK dictionary.
kb-glossary-field-synonyms-hint = Separated by commas, for example: personal data, PII.
kb-glossary-related-hint = Tick the terms related to this one. The relation appears with both terms.
kb-glossary-related-none = There are no other terms yet.
kb-glossary-created = The term was added.
kb-glossary-saved = The term was saved.
kb-glossary-delete-title = Delete term
kb-glossary-delete-question = Do you want to delete the term ‘{ $term }’? Its relations with other terms disappear as well.
kb-glossary-delete-confirm = Yes, delete the term
kb-glossary-deleted = The term was deleted.
