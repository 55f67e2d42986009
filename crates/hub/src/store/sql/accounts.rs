//! Statements of the accounts area both back ends run as written here (placeholders
//! `$N`; SQLite reads them as `?N`, see `super::sqlite_text`).

pub(crate) const PUT_ORGANISATION: &str = "INSERT INTO base_organisations (holder, name, kinds, created) VALUES ($1, $2, \
     $3, $4) ON CONFLICT (holder) DO UPDATE SET name = excluded.name, kinds = \
     excluded.kinds";

pub(crate) const ORGANISATION: &str =
    "SELECT holder, name, kinds, created FROM base_organisations WHERE holder = $1";

pub(crate) const PUT_ACCOUNT: &str = "INSERT INTO base_accounts (holder, name, role, password_hash, totp_secret, \
     activation_sha256, activation_expires, created) VALUES ($1, $2, $3, $4, $5, $6, \
     $7, $8) ON CONFLICT (holder, name) DO UPDATE SET role = excluded.role, \
     password_hash = excluded.password_hash, totp_secret = excluded.totp_secret, \
     activation_sha256 = excluded.activation_sha256, activation_expires = \
     excluded.activation_expires, failures = 0, locked_until = NULL";

pub(crate) const END_ACCOUNT_SESSIONS: &str =
    "DELETE FROM base_sessions WHERE holder = $1 AND name = $2";

pub(crate) const REMOVE_ACCOUNT: &str = "DELETE FROM base_accounts WHERE holder = $1 AND name = $2";

pub(crate) const CLAIM_TOTP_STEP: &str = "UPDATE base_accounts SET totp_step = $3 WHERE holder = $1 AND name = $2 AND \
     totp_step < $3";

pub(crate) const SWEEP_PORTAL_SESSIONS: &str = "DELETE FROM base_sessions WHERE expires <= $1";

pub(crate) const ADD_PORTAL_SESSION: &str = "INSERT INTO base_sessions (token_sha256, holder, name, expires) VALUES ($1, $2, \
     $3, $4)";

pub(crate) const PORTAL_SESSION: &str =
    "SELECT holder, name FROM base_sessions WHERE token_sha256 = $1 AND expires > $2";

pub(crate) const END_PORTAL_SESSION: &str = "DELETE FROM base_sessions WHERE token_sha256 = $1";

pub(crate) const ADD_OPINION_REQUEST: &str = "INSERT INTO base_opinion_requests (clinic, insurer, insured, record_key, \
     requested) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";

pub(crate) const OPINION_REQUESTS: &str = "SELECT insurer, insured, record_key, requested FROM base_opinion_requests WHERE \
     clinic = $1 ORDER BY requested DESC, insurer, insured";
