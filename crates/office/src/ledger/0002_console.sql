-- The console's staff accounts, their sign-in sessions, and the units refused before sending.
CREATE TABLE staff (
    name TEXT PRIMARY KEY,
    -- admin (manages accounts) or staff
    role TEXT NOT NULL,
    -- Argon2id, PHC string
    password TEXT NOT NULL,
    created INTEGER NOT NULL
);

CREATE TABLE sessions (
    -- Only the token's SHA-256 is kept: a copied ledger signs nobody in.
    token_sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL REFERENCES staff (name) ON DELETE CASCADE,
    expires INTEGER NOT NULL
);

CREATE TABLE refusals (
    -- A digest of the reason and the files: the same refusal on every round of a watch is one.
    key TEXT PRIMARY KEY,
    time INTEGER NOT NULL,
    -- JSON: the whole refusal, with its report line by line.
    refusal TEXT NOT NULL
);
CREATE INDEX refusals_time ON refusals (time);
