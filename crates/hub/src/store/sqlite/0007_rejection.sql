-- A parcel its recipient could not take in (取込不可): where that stands in the log, and
-- the recipient's signed statement of why, which the sender reads in its outbox.
ALTER TABLE parcels ADD COLUMN rejected_index INTEGER;
ALTER TABLE parcels ADD COLUMN rejection TEXT;
