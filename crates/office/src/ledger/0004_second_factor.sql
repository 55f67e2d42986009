-- The second factor the 介護情報基盤 pages ask for: each member's authenticator key, the
-- last one-time-code step used (no code works twice), and whether a session has shown one.
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
ALTER TABLE staff ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN second_factor INTEGER NOT NULL DEFAULT 0;
