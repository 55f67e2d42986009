-- The office's own record of what it sent and received, and of each document's versions.
CREATE TABLE outgoing (
    client_parcel_id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    -- JSON: [{"name", "path", "sha256", "size"}], in the order they travel.
    files TEXT NOT NULL,
    -- prepared → accepted → filed (moved to the sent folder)
    state TEXT NOT NULL,
    parcel_id TEXT,
    log_index INTEGER,
    created INTEGER NOT NULL,
    accepted INTEGER
);

CREATE TABLE incoming (
    parcel_id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    log_index INTEGER NOT NULL,
    -- JSON: file names in the order they are placed.
    files TEXT NOT NULL,
    -- writing (temporary files only) → placing (renames under way) → placed → acknowledged
    state TEXT NOT NULL,
    received INTEGER NOT NULL,
    acknowledged INTEGER
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL,
    family TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    serial TEXT NOT NULL,
    file TEXT NOT NULL,
    parcel TEXT NOT NULL,
    deletion INTEGER NOT NULL,
    superseded INTEGER NOT NULL DEFAULT 0,
    recorded INTEGER NOT NULL,
    -- Recording a parcel's documents again after a crash adds nothing.
    UNIQUE (direction, parcel, file, doc_key)
);
CREATE INDEX documents_key ON documents (direction, family, doc_key, serial);
