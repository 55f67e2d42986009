-- Operators sign in with a one-time code too: the authenticator's key, and the last time
-- step used, so that no code signs in twice.
ALTER TABLE operators ADD COLUMN totp_secret TEXT;
ALTER TABLE operators ADD COLUMN totp_step INTEGER;
