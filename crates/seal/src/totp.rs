//! The second factor: time-based one-time codes (TOTP, RFC 6238) as every authenticator app
//! makes them — SHA-1, six digits, 30-second steps, one step of clock drift either side.
//!
//! [`check`] answers with the step a code belongs to, so the caller can refuse a code
//! seen before (RFC 6238 §5.2): the store keeps each account's last step used.

use crate::{Error, Result};

fn decode_error(reason: impl Into<String>) -> Error {
    Error::Decode {
        what: "認証アプリの鍵(英大文字と2〜7の数字)",
        what_en: "authenticator key (base32)",
        reason: reason.into(),
    }
}

fn totp(secret_base32: &str) -> Result<totp_rs::Totp> {
    let secret = totp_rs::Secret::try_from_base32(secret_base32.trim())
        .map_err(|e| decode_error(e.to_string()))?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .map_err(|e| decode_error(e.to_string()))
}

/// A new key of 160 random bits, in base32 as authenticator apps take it.
pub fn new_secret() -> Result<String> {
    let bytes = crate::random_bytes::<20>()?;
    Ok(totp_rs::Secret::from(bytes.to_vec()).to_base32())
}

/// The code an authenticator app shows for `secret` at `time`.
pub fn code(secret_base32: &str, time: i64) -> Result<String> {
    Ok(totp(secret_base32)?
        .generate(time.max(0) as u64)
        .to_string())
}

/// The step of `code` if it is right for `secret` at `time` (give or take a step).
pub fn check(secret_base32: &str, code: &str, time: i64) -> Result<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    Ok(totp(secret_base32)?
        .check(&code, time.max(0) as u64)
        .map(|step| step as i64))
}

/// The `otpauth://` address an authenticator app reads (as a link or a QR code).
pub fn address(secret_base32: &str, issuer: &str, account: &str) -> String {
    // RFC 3986 unreserved characters stay; everything else is percent-encoded.
    const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let encode = |text: &str| percent_encoding::utf8_percent_encode(text, UNRESERVED).to_string();
    format!(
        "otpauth://totp/{}:{}?secret={secret_base32}&issuer={}",
        encode(issuer),
        encode(account),
        encode(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_rfc_6238s() {
        // RFC 6238 appendix B, SHA-1, at 59 s: 94287082, of which six digits are shown.
        let secret = totp_rs::Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(code(&secret, 59).unwrap(), "287082");
        assert_eq!(check(&secret, "287 082", 59).unwrap(), Some(1));
        assert_eq!(
            check(&secret, "287082", 59 + 30).unwrap(),
            Some(1),
            "a step late"
        );
        assert_eq!(check(&secret, "287082", 59 + 90).unwrap(), None);
        assert!(code("not base32!", 0).is_err());
    }

    #[test]
    fn new_keys_differ_and_work() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_ne!(a, b);
        assert_eq!(check(&a, &code(&a, 1000).unwrap(), 1000).unwrap(), Some(33));
    }
}
