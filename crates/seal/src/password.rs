//! Passwords of people who sign in (the relay's operators, an office console's staff):
//! Argon2id in the PHC string form, so the parameters travel with each hash.
//!
//! Both functions are slow on purpose; async callers run them with `spawn_blocking`.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::{Error, Result};

/// The shortest password accepted for a sign-in.
pub const MIN_LENGTH: usize = 10;

pub fn hash(password: &str) -> Result<String> {
    let salt = crate::random_bytes::<16>()?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Password(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| Error::Password(e.to_string()))
}

/// Whether `password` is the one `stored` was made from; false for a malformed hash.
pub fn matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_matches_its_password_only() {
        let stored = super::hash("correct horse battery").unwrap();
        assert!(super::matches("correct horse battery", &stored));
        assert!(!super::matches("correct horse battery!", &stored));
        assert!(!super::matches("correct horse battery", "not a hash"));
    }
}
