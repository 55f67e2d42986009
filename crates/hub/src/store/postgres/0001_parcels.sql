-- Parcels, their bytes, and the append-only audit log (as SQLite's 0001).
CREATE TABLE parcels (
    id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    client_parcel_id TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    manifest TEXT NOT NULL,
    state TEXT NOT NULL,
    accepted BIGINT NOT NULL,
    accepted_index BIGINT NOT NULL,
    downloaded BIGINT,
    downloaded_index BIGINT,
    acknowledged BIGINT,
    acknowledged_index BIGINT,
    acknowledgement TEXT,
    not_delivered_index BIGINT,
    purged_index BIGINT,
    UNIQUE (sender, client_parcel_id)
);
CREATE INDEX parcels_inbox ON parcels (recipient, accepted_index);
CREATE INDEX parcels_outbox ON parcels (sender, accepted_index);

CREATE TABLE payloads (
    parcel TEXT PRIMARY KEY REFERENCES parcels (id),
    bytes BYTEA NOT NULL
);
-- Sealed parcels are encrypted and do not compress: storing them out of line without
-- trying saves PostgreSQL the attempt on every parcel.
ALTER TABLE payloads ALTER COLUMN bytes SET STORAGE EXTERNAL;

CREATE TABLE audit_log (
    idx BIGINT PRIMARY KEY,
    parcel TEXT NOT NULL,
    action TEXT NOT NULL,
    entry TEXT NOT NULL,
    leaf BYTEA NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
