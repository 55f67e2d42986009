//! What a parcel travels with besides its body.

/// The signed manifest travels beside the body, which is the sealed parcel itself.
pub const MANIFEST_HEADER: &str = "renkei-manifest";
pub const MANIFEST_SIGNATURE_HEADER: &str = "renkei-manifest-signature";
pub const PARCEL_CONTENT_TYPE: &str = "application/pkcs7-mime";

/// The longest reason a recipient may give for not taking a parcel in (取込不可): the
/// relay refuses longer ones, and the office cuts its own to fit.
pub const MAX_REASON_CHARS: usize = 2000;

/// The most findings of a check a rejection (取込エラー) may carry: the first ones are the
/// ones to fix first. The relay refuses more, and the office sends no more.
pub const MAX_RETURNED_FINDINGS: usize = 200;

/// How long the relay keeps a kept-alive connection open with no request on it. hyper's
/// header read timeout bounds both that wait and the reading of the next request's headers,
/// so this is also how long a client may take to send them.
pub const RELAY_IDLE: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a client keeps an unused connection to the relay in its pool. Shorter than
/// [`RELAY_IDLE`]: a request written on a connection the relay is closing at that moment is
/// lost in flight (the client reads an end of stream, not an answer), so a client must have
/// given the connection up first.
pub const CLIENT_POOL_IDLE: std::time::Duration = std::time::Duration::from_secs(20);

const _: () = assert!(CLIENT_POOL_IDLE.as_secs() < RELAY_IDLE.as_secs());
