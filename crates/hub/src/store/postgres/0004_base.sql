-- The information base (介護情報基盤): records per insured person (保険者番号 +
-- 被保険者番号), every version kept; consent, registered offices and every access.
CREATE TABLE base_records (
    id BIGSERIAL PRIMARY KEY,
    insurer TEXT NOT NULL,
    insured TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- Which record of its kind; its versions share it.
    record_key TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- The record's items, JSON.
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    created BIGINT NOT NULL,
    UNIQUE (insurer, insured, kind, record_key, version)
);

-- 包括同意: standing or withdrawn, with who recorded it.
CREATE TABLE base_consents (
    insurer TEXT NOT NULL,
    insured TEXT NOT NULL,
    state TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    changed BIGINT NOT NULL,
    PRIMARY KEY (insurer, insured)
);

-- 担当事業所: an office the person confirmed (or the municipality did), until ended.
CREATE TABLE base_registrations (
    insurer TEXT NOT NULL,
    insured TEXT NOT NULL,
    office TEXT NOT NULL,
    confirmed_by TEXT NOT NULL,
    registered BIGINT NOT NULL,
    ended BIGINT,
    PRIMARY KEY (insurer, insured, office)
);

-- Every request for a person's records, shown or refused; the person reads it.
CREATE TABLE base_access_log (
    id BIGSERIAL PRIMARY KEY,
    insurer TEXT NOT NULL,
    insured TEXT NOT NULL,
    viewer TEXT NOT NULL,
    kind TEXT NOT NULL,
    refusal TEXT,
    time BIGINT NOT NULL
);
CREATE INDEX base_access_person ON base_access_log (insurer, insured, time);
