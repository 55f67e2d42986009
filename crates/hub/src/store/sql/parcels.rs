//! Statements of the parcels area both back ends run as written here (placeholders
//! `$N`; SQLite reads them as `?N`, see `super::sqlite_text`).

use super::columns::*;

pub(crate) const END_OPERATOR_SESSION: &str =
    "DELETE FROM operator_sessions WHERE token_sha256 = $1";

pub(crate) const LOG_ENTRY: &str = "SELECT entry FROM audit_log WHERE idx = $1";

pub(crate) const APPEND_LOG_ENTRY: &str = "INSERT INTO audit_log (idx, parcel, action, entry, leaf) VALUES ($1, $2, $3, $4, \
     $5)";

pub(crate) const DROP_PAYLOAD: &str = "DELETE FROM payloads WHERE parcel = $1";

pub(crate) const PAYLOAD: &str = "SELECT bytes FROM payloads WHERE parcel = $1";

pub(crate) const OUTBOX: &str = concat!(
    "SELECT ",
    parcel_columns!(),
    " FROM parcels WHERE sender = $1 ORDER BY accepted_index DESC LIMIT $2"
);

pub(crate) const HISTORY: &str = "SELECT accepted_index, downloaded_index, acknowledged_index, \
     not_delivered_index, purged_index, rejected_index FROM parcels WHERE id = $1";
