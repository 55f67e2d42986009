//! PKI and envelopes: the operator's certificate authority, office certificates and their
//! requests, parcels in standard CMS (signed by the sender, encrypted to the recipient),
//! signed manifests and receipts, and the Merkle proofs of the audit log.
//!
//! Everything cryptographic is OpenSSL's (through the `openssl` crate), so that a stock
//! `openssl cms` opens what we make; what is ours is the framing: which certificate carries
//! which office, what a manifest and a receipt say, and how the log is hashed (RFC 6962).

mod archive;
mod authority;
mod certificate;
mod envelope;
mod error;
mod identity;
mod keys;
pub mod manifest;
pub mod merkle;
pub mod password;
pub mod receipt;
mod request;
pub mod totp;

pub use archive::{
    ArchivedFile, Limits as ArchiveLimits, name_problem, pack, unpack, unpack_within,
};
pub use authority::{Authority, Trust};
pub use certificate::{Certificate, format_unix};
pub use envelope::{is_addressed_to, open, seal};
pub use error::{Error, Result};
pub use identity::OfficeIdentity;
pub use keys::PrivateKey;
pub use request::CertificateRequest;

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    openssl::sha::sha256(bytes)
}

/// SHA-256 of `bytes` in lower-case hex, as manifests and receipts write digests.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(sha256(bytes))
}

/// Seconds since 1970, the time stamps of manifests, receipts and checkpoints.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `N` bytes from the operating system's secure random source, for identifiers and codes
/// that must not be guessed.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    openssl::rand::rand_bytes(&mut bytes)?;
    Ok(bytes)
}
