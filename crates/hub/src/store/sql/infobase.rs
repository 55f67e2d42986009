//! Statements of the infobase area both back ends run as written here (placeholders
//! `$N`; SQLite reads them as `?N`, see `super::sqlite_text`).

pub(crate) const RECORDS: &str = "SELECT id, insurer, insured, kind, record_key, version, body, author, created \
     FROM base_records WHERE insurer = $1 AND insured = $2 AND ($3 = '' OR kind = $3) \
     ORDER BY id";

pub(crate) const CONSENT: &str =
    "SELECT state FROM base_consents WHERE insurer = $1 AND insured = $2";

pub(crate) const REGISTER_OFFICE: &str = "INSERT INTO base_registrations (insurer, insured, office, confirmed_by, \
     registered, ended) VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (insurer, \
     insured, office) DO UPDATE SET confirmed_by = $4, registered = $5, ended = NULL";

pub(crate) const END_REGISTRATION: &str = "UPDATE base_registrations SET ended = $4 WHERE insurer = $1 AND insured = $2 AND \
     office = $3 AND ended IS NULL";

pub(crate) const WITHDRAWN_CONSENTS: &str = "SELECT insured FROM base_consents WHERE insurer = $1 AND state = 'withdrawn' \
     ORDER BY insured";

pub(crate) const REGISTRATIONS: &str = "SELECT office, confirmed_by, registered, ended FROM base_registrations WHERE \
     insurer = $1 AND insured = $2 ORDER BY registered";

pub(crate) const LOG_ACCESS: &str = "INSERT INTO base_access_log (insurer, insured, viewer, kind, refusal, time, \
     action) VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub(crate) const ACCESS_LOG: &str = "SELECT viewer, kind, refusal, time, action FROM base_access_log WHERE insurer = \
     $1 AND insured = $2 ORDER BY time DESC, id DESC LIMIT $3 OFFSET $4";

pub(crate) const LATEST_RECORDS: &str = "SELECT id, insurer, insured, kind, record_key, version, body, author, created \
     FROM base_records r WHERE insurer = $1 AND kind = $2 AND version = ( SELECT \
     max(version) FROM base_records n WHERE n.insurer = r.insurer AND n.insured = \
     r.insured AND n.kind = r.kind AND n.record_key = r.record_key) ORDER BY insured, \
     record_key LIMIT $3 OFFSET $4";

pub(crate) const REQUEST_REGISTRATION: &str = "INSERT INTO base_registration_requests (insurer, insured, office, requested) \
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";

pub(crate) const REGISTRATION_REQUESTS: &str = "SELECT office, requested FROM base_registration_requests WHERE insurer = $1 AND \
     insured = $2 ORDER BY requested, office";

pub(crate) const DROP_REGISTRATION_REQUEST: &str = "DELETE FROM base_registration_requests WHERE insurer = $1 AND insured = $2 AND \
     office = $3";
