//! The operator: password login (Argon2id), sessions by random token (only its digest is
//! kept), and the operator's powers over offices.

use super::Relay;
use crate::store::{
    AccountStore, Adoption, CertificateRecord, DailyVolume, OfficeStore, PairVolume, ParcelStore,
    RegistryEntry,
};
use crate::{Error, Result};

/// A session as given at login: the token is shown once.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub operator: String,
    pub expires: i64,
}

/// Argon2id in the PHC string form, run off the async threads (it is slow on purpose).
pub async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || renkei_seal::password::hash(&password))
        .await
        .map_err(|e| Error::Database(e.to_string()))?
        .map_err(Error::from)
}

impl Relay {
    /// Create an operator or reset one: a new password and a new authenticator key, whose
    /// base32 text is returned to be shown once. The old sessions and any lock end.
    pub async fn set_operator(&self, name: &str, password: &str, time: i64) -> Result<String> {
        if name.trim().is_empty() || password.chars().count() < renkei_seal::password::MIN_LENGTH {
            return Err(Error::BadRequest(
                "運用者名と10文字以上のパスワードを指定してください / give a name and a password of at least 10 characters".into(),
            ));
        }
        let hash = hash_password(password).await?;
        let secret = renkei_seal::totp::new_secret()?;
        self.store.set_operator(name, &hash, &secret, time).await?;
        self.operator_sign_ins.unlock(name);
        Ok(secret)
    }

    /// Sign in with the password and the authenticator's one-time code, both right and the
    /// code not used before; attempts counted by name and address before anything is
    /// checked ([`renkei_web::signin`]).
    pub async fn login(
        &self,
        name: &str,
        password: &str,
        code: &str,
        address: std::net::IpAddr,
        time: i64,
    ) -> Result<Session> {
        let attempt = self
            .operator_sign_ins
            .begin(name, address, time)
            .map_err(super::held)?;
        let stored = self.store.operator_password(name).await?;
        let password_right = self
            .operator_sign_ins
            .verify(password, stored.as_ref().map(|(hash, _)| hash.as_str()))
            .await
            .map_err(super::held)?;
        let step = match stored.as_ref().and_then(|(_, secret)| secret.as_deref()) {
            Some(secret) if password_right => renkei_seal::totp::check(secret, code, time)?,
            _ => None,
        };
        let matches = match step {
            Some(step) => self.store.claim_operator_step(name, step).await?,
            None => false,
        };
        self.operator_sign_ins.finish(attempt, matches, time);
        if !matches {
            tracing::warn!(operator = name, "operator login failed");
            return Err(Error::LoginFailed);
        }
        tracing::info!(operator = name, "operator signed in");
        let (token, digest) = renkei_web::cookies::new_token()?;
        let expires = time + self.config.session_length;
        self.store.add_session(&digest, name, expires).await?;
        Ok(Session {
            token,
            operator: name.to_owned(),
            expires,
        })
    }

    /// Sign out: the token no longer signs anyone in.
    pub async fn logout(&self, token: &str) -> Result<()> {
        self.store
            .end_session(&renkei_web::cookies::digest(token))
            .await
    }

    /// The operator signed in with `token`.
    pub async fn operator(&self, token: Option<&str>, time: i64) -> Result<String> {
        let token = token.ok_or(Error::LoginRequired)?;
        self.store
            .session(&renkei_web::cookies::digest(token), time)
            .await?
            .ok_or(Error::LoginRequired)
    }

    pub async fn revoke(
        &self,
        office: &str,
        serial: Option<String>,
        reason: String,
        time: i64,
    ) -> Result<Vec<CertificateRecord>> {
        let revoked = self
            .store
            .revoke(office, serial, reason.clone(), time)
            .await?;
        self.callers.forget();
        tracing::info!(
            office,
            count = revoked.len(),
            reason,
            "certificates revoked"
        );
        Ok(revoked)
    }

    pub async fn set_active(&self, office: &str, active: bool) -> Result<()> {
        self.store.set_active(office, active).await?;
        self.callers.forget();
        tracing::info!(office, active, "office state set");
        Ok(())
    }

    pub async fn volumes(&self, since: i64) -> Result<Vec<DailyVolume>> {
        self.store.volumes(since).await
    }

    /// Load offices into the register (the denominator of adoption); every entry is
    /// checked first, so a bad file loads nothing.
    pub async fn load_registry(&self, entries: Vec<RegistryEntry>) -> Result<usize> {
        for (line, entry) in entries.iter().enumerate() {
            let number_ok =
                entry.number.len() == 10 && entry.number.bytes().all(|b| b.is_ascii_digit());
            let municipality_ok = entry.municipality.len() == 5
                && entry.municipality.bytes().all(|b| b.is_ascii_digit());
            if !number_ok || !municipality_ok || !(1..=47).contains(&entry.prefecture) {
                return Err(Error::BadRequest(format!(
                    "{}件目: 事業所番号は数字10桁、市区町村コードは数字5桁、都道府県番号は01〜47にしてください / entry {}: a 10-digit office number, a 5-digit municipality code and a prefecture 01–47",
                    line + 1,
                    line + 1
                )));
            }
        }
        let count = self.store.load_registry(entries).await?;
        tracing::info!(count, "registry loaded");
        Ok(count)
    }

    pub async fn adoption(&self, prefecture: Option<u8>, since: i64) -> Result<Vec<Adoption>> {
        self.store.adoption(prefecture, since).await
    }

    pub async fn pairs(&self, since: i64, limit: usize) -> Result<Vec<PairVolume>> {
        self.store.pairs(since, limit).await
    }
}
