-- The nieuwsbrief module: importing subscribers from a CSV or XLSX file (design §3.6). An
-- upload is stored here (its bytes in pieces, base64 text: portable) and the job
-- `nieuwsbrief.import` reads it in transactions of 500 lines, counting as it goes; every refused
-- line is kept with its reason. The bytes are deleted when the job is done: the file holds
-- personal data nobody needs after the import.

-- One import. status: wachtend | bezig | klaar | mislukt.
CREATE TABLE nb_imports (
    id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,                      -- csv | xlsx
    status TEXT NOT NULL,
    -- the lists every line is added to, as JSON text (slugs); a line may name more
    lists TEXT NOT NULL DEFAULT '[]',
    -- "bevestigd importeren": only with a legal basis and a source (checked by the form)
    confirmed SMALLINT NOT NULL DEFAULT 0,
    basis_kind TEXT,                         -- toestemming | gerechtvaardigd-belang | overeenkomst
    basis_text TEXT,                         -- e.g. "toestemming gegeven op de studiedag van …"
    source TEXT,                             -- where the addresses come from
    -- "opnieuw toevoegen wie zich afmeldde": off unless chosen; blocked addresses never
    readd SMALLINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,         -- lines with data (the header not counted)
    processed BIGINT NOT NULL DEFAULT 0,     -- lines written so far (where a retry resumes)
    created BIGINT NOT NULL DEFAULT 0,       -- new subscribers
    updated BIGINT NOT NULL DEFAULT 0,       -- existing subscribers given lists or a status
    unchanged BIGINT NOT NULL DEFAULT 0,     -- already as the file says
    refused BIGINT NOT NULL DEFAULT 0,
    error TEXT,                              -- why the whole file was refused, or the job stopped
    job_id TEXT,
    created_by TEXT,                         -- users.id, kept as text: a user may be erased
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX nb_imports_created ON nb_imports (created_at);

-- The uploaded bytes in pieces of at most 1 MB, numbered from 0.
CREATE TABLE nb_import_pieces (
    import_id TEXT NOT NULL REFERENCES nb_imports (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    content_base64 TEXT NOT NULL,
    PRIMARY KEY (import_id, seq)
);

-- Every refused line: its number in the file, the address as given (cut at 100 characters),
-- the reason (a code, shown in the reader's language) and what it was about (a list's or a
-- language's name).
CREATE TABLE nb_import_lines (
    import_id TEXT NOT NULL REFERENCES nb_imports (id) ON DELETE CASCADE,
    line BIGINT NOT NULL,
    email TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (import_id, line)
);
