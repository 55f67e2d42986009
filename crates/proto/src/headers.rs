//! What a parcel travels with besides its body.

/// The signed manifest travels beside the body, which is the sealed parcel itself.
pub const MANIFEST_HEADER: &str = "renkei-manifest";
pub const MANIFEST_SIGNATURE_HEADER: &str = "renkei-manifest-signature";
pub const PARCEL_CONTENT_TYPE: &str = "application/pkcs7-mime";

/// The longest reason a recipient may give for not taking a parcel in (取込不可): the
/// relay refuses longer ones, and the office cuts its own to fit.
pub const MAX_REASON_CHARS: usize = 2000;
