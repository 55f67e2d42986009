-- Offices, their certificates, one-time enrolment codes, and operator accounts (as
-- SQLite's 0002).
CREATE TABLE offices (
    number TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kinds TEXT NOT NULL,
    prefecture SMALLINT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    enrolled BIGINT NOT NULL
);
CREATE INDEX offices_prefecture ON offices (prefecture, number);

CREATE TABLE certificates (
    fingerprint TEXT PRIMARY KEY,
    serial TEXT NOT NULL,
    office TEXT NOT NULL REFERENCES offices (number),
    pem TEXT NOT NULL,
    not_before BIGINT NOT NULL,
    not_after BIGINT NOT NULL,
    issued BIGINT NOT NULL,
    revoked BIGINT,
    revocation_reason TEXT
);
CREATE INDEX certificates_office ON certificates (office, issued);

CREATE TABLE enrolment_codes (
    code_sha256 TEXT PRIMARY KEY,
    office TEXT NOT NULL,
    name TEXT NOT NULL,
    kinds TEXT NOT NULL,
    created BIGINT NOT NULL,
    expires BIGINT NOT NULL,
    used BIGINT
);

CREATE TABLE operators (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created BIGINT NOT NULL
);

CREATE TABLE operator_sessions (
    token_sha256 TEXT PRIMARY KEY,
    operator TEXT NOT NULL REFERENCES operators (name),
    expires BIGINT NOT NULL
);

CREATE INDEX parcels_due ON parcels (state, accepted);

ALTER TABLE parcels ADD COLUMN sender_certificate TEXT NOT NULL DEFAULT '';
