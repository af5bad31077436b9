-- Bulk import of the archive (crates/kennisbank/src/bulk): which import key made which
-- document, so that a second run of the same folder, zip or CSV changes nothing; and the
-- uploads and reports of imports started from the web, kept in the database so that the job
-- can run on any server.

-- An import key is 'sleutel:<the CSV column>', else 'sha256:<of the file>', else
-- 'webadres:<the link>'. The fingerprint is a hash of the line's metadata and file as they
-- were imported: the same fingerprint again means "ongewijzigd". A deleted document takes
-- its key with it, so a later run creates it again.
CREATE TABLE kb_import_keys (
    import_key TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX kb_import_keys_document ON kb_import_keys (document_id);

-- An import started from the web: the uploaded zip and CSV (as pieces below), the job that
-- runs it and, when it is done, the report per line (JSON) or the reason it failed.
CREATE TABLE kb_imports (
    id TEXT PRIMARY KEY,
    -- ontvangen | bezig | klaar | mislukt
    status TEXT NOT NULL,
    archive_name TEXT,
    csv_name TEXT,
    job_id TEXT,
    -- JSON array of report lines (see bulk::LineReport)
    report TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX kb_imports_created ON kb_imports (created_at);

-- The uploaded bytes in pieces of at most 1 MB (base64 text: portable), numbered from 0 per
-- part ('archief' or 'csv'). Deleted with their import.
CREATE TABLE kb_import_pieces (
    import_id TEXT NOT NULL REFERENCES kb_imports (id) ON DELETE CASCADE,
    part TEXT NOT NULL,
    seq BIGINT NOT NULL,
    content_base64 TEXT NOT NULL,
    PRIMARY KEY (import_id, part, seq)
);
