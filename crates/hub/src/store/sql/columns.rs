//! Column lists, in the order the back ends' row readers take them. Macros, so that a
//! statement can be one `concat!` constant; the `&str` forms serve statements built at run
//! time.

macro_rules! parcel_columns {
    () => {
        "id, sender, recipient, client_parcel_id, payload_sha256, size, manifest, state, \
         accepted, accepted_index, downloaded, acknowledged, acknowledgement, \
         sender_certificate, rejection"
    };
}

macro_rules! office_columns {
    () => {
        "number, name, kinds, prefecture, active, enrolled, csv_reads, csv_writes"
    };
}

macro_rules! certificate_columns {
    () => {
        "fingerprint, serial, office, pem, not_before, not_after, issued, revoked, \
         revocation_reason"
    };
}

pub(crate) use {certificate_columns, office_columns, parcel_columns};

pub(crate) const PARCEL_COLUMNS: &str = parcel_columns!();
pub(crate) const OFFICE_COLUMNS: &str = office_columns!();
pub(crate) const CERTIFICATE_COLUMNS: &str = certificate_columns!();
pub(crate) const ACCOUNT_COLUMNS: &str = "holder, name, role, password_hash, totp_secret, \
     activation_sha256, activation_expires, created";
