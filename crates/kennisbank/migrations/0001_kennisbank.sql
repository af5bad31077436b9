-- Kennisbank and website: files, library documents, site pages and news with their history,
-- images, featured items, collections, the glossary (begrippenkader), anonymous usage counts
-- and the search index's change log. Dates are 'YYYY-MM-DD' text; moments are milliseconds
-- (UTC). The meaning of each column's values is in crates/kennisbank/src/model.rs.

-- Uploaded files (documents and images), kept in the database so that every server serves
-- the same bytes. Content as base64 text: portable between SQLite and PostgreSQL.
CREATE TABLE kb_files (
    id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content_base64 TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE kb_documents (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    -- rapport | presentatie | verslag | standaarddocument | handleiding | publicatie | dataset | link
    doc_type TEXT NOT NULL,
    programme TEXT,
    werkspoor TEXT,
    -- JSON array of theme names
    themes TEXT NOT NULL DEFAULT '[]',
    -- JSON array of organisation ids (the organisations involved)
    organisations TEXT NOT NULL DEFAULT '[]',
    -- programme period: 2007-2011 | 2012-2016 | 2017-2021 | 2022-2026
    period TEXT,
    doc_date TEXT,
    -- nl | en | fr | de
    language TEXT NOT NULL DEFAULT 'nl',
    -- publiek | leden | organisatie | werkgroep
    access TEXT NOT NULL,
    access_organisation_id TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    access_group_id TEXT REFERENCES working_groups (id) ON DELETE SET NULL,
    -- a link to an external page instead of a file
    external_url TEXT,
    file_id TEXT REFERENCES kb_files (id) ON DELETE SET NULL,
    -- pdf | docx | pptx | xlsx | odt | markdown (of the file)
    file_format TEXT,
    -- geen (a link) | wachtend | bezig | klaar | mislukt
    extraction_status TEXT NOT NULL,
    extraction_error TEXT,
    body_text TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    updated_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX kb_documents_date ON kb_documents (doc_date);
CREATE INDEX kb_documents_programme ON kb_documents (programme);

-- Images for pages and news (resized on upload), with their required alt text.
CREATE TABLE site_images (
    id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL REFERENCES kb_files (id) ON DELETE CASCADE,
    alt TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

-- Pages of the website: static pages, news and projects, written in Markdown.
CREATE TABLE site_pages (
    id TEXT PRIMARY KEY,
    -- pagina | nieuws | project
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL DEFAULT '',
    -- concept | gepland | gepubliceerd | gearchiveerd
    status TEXT NOT NULL,
    -- gepland: when it goes online; gepubliceerd: when it went online
    publish_at BIGINT,
    -- projects: lopend | afgerond
    project_state TEXT,
    programme TEXT,
    image_id TEXT REFERENCES site_images (id) ON DELETE SET NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    updated_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (kind, slug)
);
CREATE INDEX site_pages_kind_status ON site_pages (kind, status, publish_at);

-- Every saved version of a page (its history); version 1 is the first save.
CREATE TABLE site_page_revisions (
    id TEXT PRIMARY KEY,
    page_id TEXT NOT NULL REFERENCES site_pages (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_md TEXT NOT NULL,
    status TEXT NOT NULL,
    publish_at BIGINT,
    author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (page_id, version)
);

-- What the home page features, in the editor's order.
CREATE TABLE site_featured (
    id TEXT PRIMARY KEY,
    -- pagina | nieuws | project | document | collectie
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (target_kind, target_id)
);

-- Curated collections of documents with their own page.
CREATE TABLE kb_collections (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description_md TEXT NOT NULL DEFAULT '',
    -- thematisch (sections by theme, with evaluation status and action points) | publicatie |
    -- archief (all documents of one programme period, plus the curated ones)
    kind TEXT NOT NULL,
    period TEXT,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE kb_collection_entries (
    collection_id TEXT NOT NULL REFERENCES kb_collections (id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
    -- the section (theme) the document is listed under; '' for none
    section TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    -- thematisch collections: te evalueren | in evaluatie | geëvalueerd | goedgekeurd
    evaluation_status TEXT,
    action_points TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (collection_id, document_id)
);

-- The glossary (begrippenkader).
CREATE TABLE kb_terms (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    term TEXT NOT NULL,
    definition TEXT NOT NULL,
    -- where the definition comes from, e.g. the DAMA dictionary
    source TEXT NOT NULL DEFAULT '',
    -- JSON array of synonyms
    synonyms TEXT NOT NULL DEFAULT '[]',
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE kb_term_relations (
    term_id TEXT NOT NULL REFERENCES kb_terms (id) ON DELETE CASCADE,
    related_id TEXT NOT NULL REFERENCES kb_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (term_id, related_id)
);

-- Page views per page per day: a count, nothing about the visitor (no cookie, no address).
CREATE TABLE site_page_views (
    day TEXT NOT NULL,
    path TEXT NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (day, path)
);

-- Search queries per day, normalised (lowercase, trimmed), with how often nothing was found.
CREATE TABLE kb_search_queries (
    day TEXT NOT NULL,
    query TEXT NOT NULL,
    searches BIGINT NOT NULL,
    without_results BIGINT NOT NULL,
    PRIMARY KEY (day, query)
);

-- The search index's change log. Every write that changes what search shows appends a row in
-- its own transaction, numbered from the counter row: the row lock serialises writers, so the
-- numbers commit in order and a server that applied everything up to n never misses an n' < n.
-- Each server applies the rows after the last number it applied to its own index directory.
CREATE TABLE kb_index_counter (
    id INTEGER PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO kb_index_counter (id, value) VALUES (1, 0);

CREATE TABLE kb_index_changes (
    seq BIGINT PRIMARY KEY,
    -- document | term
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
