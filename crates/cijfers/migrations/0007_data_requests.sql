-- Stad in cijfers (issue 15 point 8): joint data requests to data suppliers (Fluvius, Statbel,
-- the Flemish government, ...): what is asked, which cities take part, a contact, the status
-- and its dates, and the files delivered (kept as imports, so they go through the import
-- preview and confirmation). Staff pages only: nothing here is public.

CREATE TABLE cijfers_data_requests (
    id TEXT PRIMARY KEY,
    supplier TEXT NOT NULL,
    title TEXT NOT NULL,
    -- what is asked, as sent to the supplier
    question TEXT NOT NULL DEFAULT '',
    -- the supplier's contact for this request: a name and a work address, both optional
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    -- 'draft', 'sent', 'in_progress', 'delivered', 'refused' or 'closed'
    status TEXT NOT NULL DEFAULT 'draft',
    -- 'YYYY-MM-DD'
    requested_on TEXT,
    expected_on TEXT,
    delivered_on TEXT,
    demo SMALLINT NOT NULL DEFAULT 0,
    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cijfers_data_requests_status ON cijfers_data_requests (status, supplier);

-- The cities (organisations) taking part in a request.
CREATE TABLE cijfers_data_request_cities (
    request_id TEXT NOT NULL REFERENCES cijfers_data_requests(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (request_id, organisation_id)
);
CREATE INDEX cijfers_data_request_cities_org ON cijfers_data_request_cities (organisation_id);

-- A delivered file: an upload (cijfers_imports) made from the request's page.
CREATE TABLE cijfers_data_request_files (
    request_id TEXT NOT NULL REFERENCES cijfers_data_requests(id) ON DELETE CASCADE,
    import_id TEXT NOT NULL REFERENCES cijfers_imports(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (request_id, import_id)
);
