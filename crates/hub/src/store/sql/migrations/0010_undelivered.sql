-- What a sender holds undelivered is summed at each send against its quota: only its
-- parcels still waiting are read.
CREATE INDEX parcels_undelivered ON parcels (sender) WHERE state IN ('accepted', 'downloaded');
