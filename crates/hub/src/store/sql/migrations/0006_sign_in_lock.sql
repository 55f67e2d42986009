-- Sign-in failures in a row, and until when an account is locked after too many: a guessed
-- password or one-time code gets a handful of tries, not a million.
ALTER TABLE base_accounts ADD COLUMN failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE base_accounts ADD COLUMN locked_until BIGINT;
