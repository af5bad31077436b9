-- Organisations, accounts, memberships, sessions and credentials.
-- See crates/core/src/{org,user,membership,api_token}.rs and crates/web/src/session.rs.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- kenniscentrum | centrumstad | vgc | ocmw | partner
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Official codes change with municipal mergers, so every code carries its validity period
-- ('YYYY-MM-DD' text, inclusive; NULL means open-ended).
CREATE TABLE organisation_codes (
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    scheme TEXT NOT NULL,
    code TEXT NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    PRIMARY KEY (organisation_id, scheme, code)
);

-- email is stored normalised (trimmed, lower case), which makes the unique constraint
-- case-insensitive on both backends.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- argon2id PHC string; NULL until an invitation is accepted
    password_hash TEXT,
    platform_admin SMALLINT NOT NULL DEFAULT 0,
    active SMALLINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- beheerder | redacteur | lid | lezer
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

-- id is the SHA-256 (hex) of the random cookie value: a leaked table does not yield
-- usable cookies.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    active_organisation_id TEXT REFERENCES organisations (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins and reset requests, keyed on a hash of the purpose and the normalised
-- e-mail address; no IP addresses, no plain addresses.
CREATE TABLE login_attempts (
    id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key_hash, at);

-- Single-use links sent by e-mail (invitation, password reset); only the hash is stored.
CREATE TABLE account_tokens (
    id TEXT PRIMARY KEY,
    -- invite | reset
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id TEXT REFERENCES organisations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id);

-- Credentials for machine clients; only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    -- the first characters of the token, so people can recognise it in a list
    hint TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_by TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- JSON array of module names
    modules TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_organisation ON api_tokens (organisation_id);
