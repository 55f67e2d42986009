-- What the monthly evidence report (送受信記録) shows beyond the parcels' states: the digest
-- of each parcel's sealed bytes, and the names of the offices exchanged with.
ALTER TABLE outgoing ADD COLUMN payload_sha256 TEXT;
ALTER TABLE incoming ADD COLUMN payload_sha256 TEXT;

CREATE TABLE partners (
    number TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    seen INTEGER NOT NULL
);

-- Settings of the console an office keeps (the effect report's assumptions).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE INDEX documents_recorded ON documents (recorded);
