-- Offices, their certificates, one-time enrolment codes, and operator accounts.
CREATE TABLE offices (
    number TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- サービス種類コード, comma-separated.
    kinds TEXT NOT NULL,
    prefecture INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    enrolled INTEGER NOT NULL
);
CREATE INDEX offices_prefecture ON offices (prefecture, number);

CREATE TABLE certificates (
    fingerprint TEXT PRIMARY KEY,
    serial TEXT NOT NULL,
    office TEXT NOT NULL REFERENCES offices (number),
    pem TEXT NOT NULL,
    not_before INTEGER NOT NULL,
    not_after INTEGER NOT NULL,
    issued INTEGER NOT NULL,
    revoked INTEGER,
    revocation_reason TEXT
);
CREATE INDEX certificates_office ON certificates (office, issued);

-- Only the code's digest is kept: a stolen database does not enrol anyone.
CREATE TABLE enrolment_codes (
    code_sha256 TEXT PRIMARY KEY,
    office TEXT NOT NULL,
    name TEXT NOT NULL,
    kinds TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    used INTEGER
);

CREATE TABLE operators (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created INTEGER NOT NULL
);

CREATE TABLE operator_sessions (
    token_sha256 TEXT PRIMARY KEY,
    operator TEXT NOT NULL REFERENCES operators (name),
    expires INTEGER NOT NULL
);

CREATE INDEX parcels_due ON parcels (state, accepted);

-- The fingerprint of the certificate that sent each parcel: the recipient checks the
-- sender's signatures against exactly that certificate.
ALTER TABLE parcels ADD COLUMN sender_certificate TEXT NOT NULL DEFAULT '';
