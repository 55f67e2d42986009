-- Who signs in to the information base's pages: municipalities' and clinics' staff (a
-- password and a one-time code), and insured persons (an activation code from their
-- municipality, then a password of their own).
CREATE TABLE base_organisations (
    -- municipality:131045 or clinic:1310100001
    holder TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- Care services a clinic also provides, comma separated.
    kinds TEXT NOT NULL DEFAULT '',
    created BIGINT NOT NULL
);

CREATE TABLE base_accounts (
    -- An organisation, or person:{insurer}:{insured}.
    holder TEXT NOT NULL,
    -- The staff member's sign-in name; '' for a person.
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    totp_secret TEXT,
    -- The newest one-time code's time step used, so that no code signs in twice.
    totp_step BIGINT NOT NULL DEFAULT 0,
    activation_sha256 TEXT,
    activation_expires BIGINT,
    created BIGINT NOT NULL,
    PRIMARY KEY (holder, name)
);

-- Only the token's SHA-256 is kept.
CREATE TABLE base_sessions (
    token_sha256 TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    name TEXT NOT NULL,
    expires BIGINT NOT NULL
);

-- 主治医意見書 asked of a clinic: what the clinic's page lists.
CREATE TABLE base_opinion_requests (
    clinic TEXT NOT NULL,
    insurer TEXT NOT NULL,
    insured TEXT NOT NULL,
    record_key TEXT NOT NULL,
    requested BIGINT NOT NULL,
    PRIMARY KEY (clinic, insurer, insured, record_key)
);
