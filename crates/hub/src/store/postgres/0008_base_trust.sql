-- What a line of a person's access log says was done: a read of their records, or a change
-- of their consent or of their offices, always with who did it.
ALTER TABLE base_access_log ADD COLUMN action TEXT NOT NULL DEFAULT 'read';

-- An office's request to be a person's 担当事業所, until the person answers it on their own
-- page: the office never holds anything of the person's to confirm it.
CREATE TABLE base_registration_requests (
    insurer TEXT NOT NULL,
    insured TEXT NOT NULL,
    office TEXT NOT NULL,
    requested BIGINT NOT NULL,
    PRIMARY KEY (insurer, insured, office)
);
