//! Statements of the offices area both back ends run as written here (placeholders
//! `$N`; SQLite reads them as `?N`, see `super::sqlite_text`).

use super::columns::*;

pub(crate) const ADD_CODE: &str = "INSERT INTO enrolment_codes (code_sha256, office, name, kinds, created, expires) \
     VALUES ($1, $2, $3, $4, $5, $6)";

pub(crate) const CODE: &str = "SELECT code_sha256, office, name, kinds, created, expires, used FROM \
     enrolment_codes WHERE code_sha256 = $1";

pub(crate) const USE_CODE: &str = "UPDATE enrolment_codes SET used = $2 WHERE code_sha256 = $1";

pub(crate) const ADD_CERTIFICATE: &str = concat!(
    "INSERT INTO certificates (",
    certificate_columns!(),
    ") VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)"
);

pub(crate) const CERTIFICATE: &str = concat!(
    "SELECT ",
    certificate_columns!(),
    " FROM certificates WHERE fingerprint = $1"
);

pub(crate) const OFFICE: &str = concat!(
    "SELECT ",
    office_columns!(),
    " FROM offices WHERE number = $1"
);

pub(crate) const CURRENT_CERTIFICATE: &str = concat!(
    "SELECT ",
    certificate_columns!(),
    " FROM certificates WHERE office = $1 AND revoked IS NULL AND not_before <= $2 AND $2 < not_after ORDER BY issued DESC, not_after DESC LIMIT 1"
);

pub(crate) const SET_ACTIVE: &str = "UPDATE offices SET active = $2 WHERE number = $1";

pub(crate) const SET_CSV_VERSIONS: &str =
    "UPDATE offices SET csv_reads = $2, csv_writes = $3 WHERE number = $1";

pub(crate) const SET_OPERATOR: &str = "INSERT INTO operators (name, password_hash, created, totp_secret) VALUES ($1, \
     $2, $3, $4) ON CONFLICT (name) DO UPDATE SET password_hash = \
     excluded.password_hash, totp_secret = excluded.totp_secret, totp_step = NULL";

pub(crate) const END_OPERATOR_SESSIONS: &str = "DELETE FROM operator_sessions WHERE operator = $1";

pub(crate) const OPERATOR_PASSWORD: &str =
    "SELECT password_hash, totp_secret FROM operators WHERE name = $1";

pub(crate) const CLAIM_OPERATOR_STEP: &str = "UPDATE operators SET totp_step = $2 WHERE name = $1 AND (totp_step IS NULL OR \
     totp_step < $2)";

pub(crate) const SWEEP_OPERATOR_SESSIONS: &str =
    "DELETE FROM operator_sessions WHERE expires <= $1";

pub(crate) const ADD_OPERATOR_SESSION: &str = "INSERT INTO operator_sessions (token_sha256, operator, expires) VALUES ($1, $2, \
     $3)";

pub(crate) const OPERATOR_SESSION: &str =
    "SELECT operator FROM operator_sessions WHERE token_sha256 = $1 AND expires > $2";
