-- Parcels, their bytes, and the append-only audit log.
CREATE TABLE parcels (
    id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    client_parcel_id TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    manifest TEXT NOT NULL,
    state TEXT NOT NULL,
    accepted INTEGER NOT NULL,
    accepted_index INTEGER NOT NULL,
    downloaded INTEGER,
    downloaded_index INTEGER,
    acknowledged INTEGER,
    acknowledged_index INTEGER,
    acknowledgement TEXT,
    not_delivered_index INTEGER,
    purged_index INTEGER,
    UNIQUE (sender, client_parcel_id)
);
CREATE INDEX parcels_inbox ON parcels (recipient, accepted_index);
CREATE INDEX parcels_outbox ON parcels (sender, accepted_index);

CREATE TABLE payloads (
    parcel TEXT PRIMARY KEY REFERENCES parcels (id),
    bytes BLOB NOT NULL
);

CREATE TABLE audit_log (
    idx INTEGER PRIMARY KEY,
    parcel TEXT NOT NULL,
    action TEXT NOT NULL,
    entry TEXT NOT NULL,
    leaf BLOB NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
