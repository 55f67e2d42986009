-- Keys for the care software's programs on the local API: each with a name and scopes,
-- stored as the SHA-256 of its secret (the key itself is shown once); every call each
-- made; and the answers to sends by idempotency key, so a repeated request gets the same one.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    created INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    revoked INTEGER,
    last_used INTEGER
);
CREATE UNIQUE INDEX api_keys_live_name ON api_keys (name) WHERE revoked IS NULL;
CREATE TABLE api_calls (
    id INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    key_name TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL
);
CREATE TABLE api_requests (
    key_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    digest TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    time INTEGER NOT NULL,
    PRIMARY KEY (key_id, idempotency_key)
);
-- What the office last heard of each parcel it sent (from the relay's outbox), numbered
-- in the order it changed: the local API's changes after a cursor.
CREATE TABLE sent_states (
    parcel_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX sent_states_seq ON sent_states (seq);
