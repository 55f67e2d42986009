//! Sign-in to the information base's pages.
//!
//! - Municipalities and clinics are organisations the operator adds; their staff sign in
//!   with a name, a password (Argon2id) and a one-time code from an authenticator app
//!   (TOTP, RFC 6238), each code good once. An organisation's administrator manages its
//!   staff.
//! - An insured person gets an activation code from their municipality (on paper, at the
//!   counter), and with it sets a password of their own. A new code from the municipality
//!   is also how a forgotten password is replaced.
//!
//! Sessions are random tokens of which only the SHA-256 is kept, as for the operator.

use std::net::IpAddr;

use super::operators::hash_password;
use super::{Relay, held};
use crate::store::{Account, AccountRole, AccountStore, InfobaseStore, Organisation};
use crate::{Error, Result};
use renkei_infobase::{Participant, PersonKey, RecordKind};

/// How long a person's activation code works.
pub const ACTIVATION_DAYS: i64 = 30;

/// The characters of an activation code: no 0/O or 1/I/L, which are misread on paper.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Who signed in to the pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalUser {
    /// `municipality:131045`, `clinic:1310100001` or `person:131045:0000000001`.
    pub holder: String,
    /// The staff member's name; empty for a person.
    pub name: String,
    pub role: AccountRole,
    /// The organisation's name, or the person's name with their 被保険者番号.
    pub display: String,
    /// Whom the access rules see.
    pub viewer: Participant,
}

/// A session as given at sign-in: the token is shown once.
#[derive(Clone, Debug)]
pub struct PortalSession {
    pub token: String,
    pub expires: i64,
}

/// A staff account as created: the second factor's secret is shown once.
#[derive(Clone, Debug)]
pub struct NewStaff {
    pub holder: String,
    pub name: String,
    /// Base32, for the authenticator app.
    pub totp_secret: String,
    /// `otpauth://` address an authenticator app reads (also as a QR code elsewhere).
    pub otpauth: String,
}

pub use renkei_infobase::participant::{clinic_holder, municipality_holder, person_holder};

fn digits(text: &str, length: usize) -> bool {
    text.len() == length && text.bytes().all(|b| b.is_ascii_digit())
}

/// The one-time code for `secret` at `time`: what the authenticator app shows (for tests
/// and for `renkei base code`).
pub fn current_code(secret_base32: &str, time: i64) -> Result<String> {
    renkei_seal::totp::code(secret_base32, time).map_err(|e| Error::BadRequest(e.to_string()))
}

/// Form an activation code as it is printed: `XXXX-XXXX-XXXX`.
fn activation_code() -> Result<String> {
    let bytes = renkei_seal::random_bytes::<12>()?;
    let letters: Vec<char> = bytes
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect();
    Ok(letters
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// A code as typed: upper case, without spaces or dashes, so that `abcd efgh ijkl` works.
fn normalise_activation(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn short_password() -> Error {
    Error::BadRequest(format!(
        "パスワードは{}文字以上にしてください / the password needs at least {} characters",
        renkei_seal::password::MIN_LENGTH,
        renkei_seal::password::MIN_LENGTH
    ))
}

impl Relay {
    /// Add (or rename) a municipality, by its 6-digit 保険者番号.
    pub async fn add_municipality(&self, insurer: &str, name: &str, time: i64) -> Result<()> {
        if !digits(insurer, 6) {
            return Err(Error::BadRequest(format!(
                "保険者番号「{insurer}」は6桁の数字で指定してください / an insurer number has 6 digits"
            )));
        }
        self.add_organisation(municipality_holder(insurer), name, Vec::new(), time)
            .await
    }

    /// Add (or change) a clinic, by its 10-digit 医療機関コード; `care_kinds` are the care
    /// services it also provides, which let it see the burden certificates.
    pub async fn add_clinic(
        &self,
        number: &str,
        name: &str,
        care_kinds: Vec<String>,
        time: i64,
    ) -> Result<()> {
        if !digits(number, 10) {
            return Err(Error::BadRequest(format!(
                "医療機関コード「{number}」は10桁の数字で指定してください / a clinic number has 10 digits"
            )));
        }
        self.add_organisation(clinic_holder(number), name, care_kinds, time)
            .await
    }

    async fn add_organisation(
        &self,
        holder: String,
        name: &str,
        kinds: Vec<String>,
        time: i64,
    ) -> Result<()> {
        if name.trim().is_empty() {
            return Err(Error::BadRequest(
                "名称を指定してください / give the organisation's name".into(),
            ));
        }
        self.store
            .put_organisation(Organisation {
                holder,
                name: name.trim().to_owned(),
                kinds,
                created: time,
            })
            .await
    }

    /// Add a staff account (or replace its password and second factor) to a municipality
    /// or clinic already added.
    pub async fn add_staff(
        &self,
        holder: &str,
        name: &str,
        role: AccountRole,
        password: &str,
        time: i64,
    ) -> Result<NewStaff> {
        let organisation = self.store.organisation(holder).await?.ok_or_else(|| {
            Error::BadRequest(format!(
                "「{holder}」は登録されていません。先に市町村・医療機関を登録してください / no such organisation"
            ))
        })?;
        let name = name.trim();
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        if name.is_empty() || !name.chars().all(plain) || role == AccountRole::Person {
            return Err(Error::BadRequest(
                "職員のサインイン名は半角の英字・数字と「._-」で指定してください(例: tanaka.h) / a sign-in name uses ASCII letters, digits and ._-".into(),
            ));
        }
        if password.chars().count() < renkei_seal::password::MIN_LENGTH {
            return Err(short_password());
        }
        let totp_secret = renkei_seal::totp::new_secret()?;
        self.store
            .put_account(Account {
                holder: holder.to_owned(),
                name: name.to_owned(),
                role,
                password_hash: Some(hash_password(password).await?),
                totp_secret: Some(totp_secret.clone()),
                activation_sha256: None,
                activation_expires: None,
                created: time,
            })
            .await?;
        // Added again is an administrator's reset: the lock goes with the old password.
        self.unlock_staff(holder, name);
        tracing::info!(
            holder,
            name,
            role = role.as_str(),
            "information base staff added"
        );
        let otpauth = renkei_seal::totp::address(
            &totp_secret,
            "renkei",
            &format!("{} {name}", organisation.name),
        );
        Ok(NewStaff {
            holder: holder.to_owned(),
            name: name.to_owned(),
            totp_secret,
            otpauth,
        })
    }

    /// Staff sign-in: password and the authenticator's code, both right, the code unused.
    /// Attempts are counted by the name as typed and the client's address before anything
    /// is checked ([`renkei_web::signin`]).
    pub async fn staff_sign_in(
        &self,
        holder: &str,
        name: &str,
        password: &str,
        code: &str,
        address: IpAddr,
        time: i64,
    ) -> Result<PortalSession> {
        let name = name.trim();
        let attempt = self
            .portal_sign_ins
            .begin(&format!("{holder}/{name}"), address, time)
            .map_err(held)?;
        let account = self
            .store
            .account(holder, name)
            .await?
            .filter(|a| a.role != AccountRole::Person);
        let stored = account.as_ref().and_then(|a| a.password_hash.as_deref());
        let password_right = self
            .portal_sign_ins
            .verify(password, stored)
            .await
            .map_err(held)?;
        let step = match account.as_ref().and_then(|a| a.totp_secret.as_deref()) {
            Some(secret) => renkei_seal::totp::check(secret, code, time)?,
            None => None,
        };
        let fresh = match (&account, step) {
            (Some(account), Some(step)) if password_right => {
                self.store
                    .claim_totp_step(&account.holder, &account.name, step)
                    .await?
            }
            _ => false,
        };
        self.portal_sign_ins.finish(attempt, fresh, time);
        match account {
            Some(account) if fresh => {
                tracing::info!(holder, "information base staff signed in");
                self.open_session(&account, time).await
            }
            _ => {
                tracing::warn!(holder, "information base sign-in failed");
                Err(Error::PortalSignInFailed)
            }
        }
    }

    /// The municipality gives its insured person a code to start (or restart) with: the
    /// person's password, if any, stops working.
    pub async fn issue_activation(
        &self,
        by: &Participant,
        person: &PersonKey,
        time: i64,
    ) -> Result<String> {
        match by {
            Participant::Municipality { insurer } if *insurer == person.insurer => {}
            Participant::Municipality { .. } => {
                return Err(renkei_infobase::Refusal::OtherMunicipality.into());
            }
            _ => return Err(renkei_infobase::Refusal::RecordNotYours.into()),
        }
        if !digits(&person.insured, 10) {
            return Err(Error::BadRequest(format!(
                "被保険者番号「{}」は10桁の数字です / an insured number has 10 digits",
                person.insured
            )));
        }
        let code = activation_code()?;
        self.store
            .put_account(Account {
                holder: person_holder(person),
                name: String::new(),
                role: AccountRole::Person,
                password_hash: None,
                totp_secret: None,
                activation_sha256: Some(renkei_seal::sha256_hex(
                    normalise_activation(&code).as_bytes(),
                )),
                activation_expires: Some(time + ACTIVATION_DAYS * 24 * 3600),
                created: time,
            })
            .await?;
        // A new code is also how a locked-out person gets back in.
        self.portal_sign_ins.unlock(&person_holder(person));
        tracing::info!(by = by.label(), "activation code issued");
        Ok(code)
    }

    /// The person sets their own password with the municipality's code, and is signed in.
    pub async fn activate(
        &self,
        person: &PersonKey,
        code: &str,
        password: &str,
        address: IpAddr,
        time: i64,
    ) -> Result<PortalSession> {
        if password.chars().count() < renkei_seal::password::MIN_LENGTH {
            return Err(short_password());
        }
        let holder = person_holder(person);
        // Codes are guessed no faster than passwords.
        let attempt = self
            .portal_sign_ins
            .begin(&format!("activation:{holder}"), address, time)
            .map_err(held)?;
        let account = self.store.account(&holder, "").await?;
        let given = renkei_seal::sha256_hex(normalise_activation(code).as_bytes());
        let account = account.filter(|a| {
            a.activation_sha256.as_deref() == Some(given.as_str())
                && a.activation_expires.is_some_and(|expires| expires > time)
        });
        self.portal_sign_ins
            .finish(attempt, account.is_some(), time);
        let Some(account) = account else {
            // The person's 被保険者番号 stays out of the log: the municipality is enough.
            tracing::warn!(insurer = person.insurer, "activation failed");
            return Err(Error::ActivationFailed);
        };
        let account = Account {
            password_hash: Some(hash_password(password).await?),
            activation_sha256: None,
            activation_expires: None,
            ..account
        };
        self.store.put_account(account.clone()).await?;
        tracing::info!(insurer = person.insurer, "person activated");
        self.open_session(&account, time).await
    }

    /// The person signs in with their own password.
    pub async fn person_sign_in(
        &self,
        person: &PersonKey,
        password: &str,
        address: IpAddr,
        time: i64,
    ) -> Result<PortalSession> {
        let holder = person_holder(person);
        let attempt = self
            .portal_sign_ins
            .begin(&holder, address, time)
            .map_err(held)?;
        let account = self.store.account(&holder, "").await?;
        let stored = account.as_ref().and_then(|a| a.password_hash.as_deref());
        let right = self
            .portal_sign_ins
            .verify(password, stored)
            .await
            .map_err(held)?;
        self.portal_sign_ins.finish(attempt, right, time);
        match account {
            Some(account) if right => self.open_session(&account, time).await,
            _ => {
                tracing::warn!("person sign-in failed");
                Err(Error::PortalSignInFailed)
            }
        }
    }

    /// Forget the failed sign-ins of a staff account: its administrator reset it.
    pub(crate) fn unlock_staff(&self, holder: &str, name: &str) {
        self.portal_sign_ins.unlock(&format!("{holder}/{name}"));
    }

    async fn open_session(&self, account: &Account, time: i64) -> Result<PortalSession> {
        let (token, digest) = renkei_web::cookies::new_token()?;
        let expires = time + self.config.session_length;
        self.store
            .add_portal_session(&digest, &account.holder, &account.name, expires)
            .await?;
        Ok(PortalSession { token, expires })
    }

    pub async fn portal_sign_out(&self, token: &str) -> Result<()> {
        self.store
            .end_portal_session(&renkei_web::cookies::digest(token))
            .await
    }

    /// Who is signed in with `token`, as the rules see them.
    pub async fn portal_user(&self, token: Option<&str>, time: i64) -> Result<PortalUser> {
        let token = token.ok_or(Error::LoginRequired)?;
        let (holder, name) = self
            .store
            .portal_session(&renkei_web::cookies::digest(token), time)
            .await?
            .ok_or(Error::LoginRequired)?;
        let account = self
            .store
            .account(&holder, &name)
            .await?
            .ok_or(Error::LoginRequired)?;
        let mut parts = holder.splitn(3, ':');
        let (kind, number, rest) = (parts.next(), parts.next(), parts.next());
        let (viewer, display) = match (kind, number, rest) {
            (Some("person"), Some(insurer), Some(insured)) => {
                let person = PersonKey::new(insurer, insured);
                // The person is greeted by the name their 被保険者証 gives.
                let name = self
                    .store
                    .records(&person, Some(RecordKind::InsuranceCard))
                    .await?
                    .pop()
                    .and_then(|card| {
                        let body: serde_json::Value = serde_json::from_str(&card.body).ok()?;
                        body.get("name")?.as_str().map(str::to_owned)
                    });
                let display = match name {
                    Some(name) => format!("{name} さん（被保険者番号 {insured}）"),
                    None => format!("被保険者番号 {insured} の方"),
                };
                (Participant::Person(person), display)
            }
            (Some(kind), Some(number), None) => {
                let organisation = self
                    .store
                    .organisation(&holder)
                    .await?
                    .ok_or(Error::LoginRequired)?;
                let viewer = match kind {
                    "municipality" => Participant::Municipality {
                        insurer: number.to_owned(),
                    },
                    _ => Participant::Clinic {
                        number: number.to_owned(),
                        care_kinds: organisation.kinds.clone(),
                    },
                };
                (viewer, organisation.name)
            }
            _ => return Err(Error::LoginRequired),
        };
        Ok(PortalUser {
            holder,
            name,
            role: account.role,
            display,
            viewer,
        })
    }

    /// The organisation's staff, for its administrator's page.
    pub async fn staff(&self, holder: &str) -> Result<Vec<Account>> {
        self.store.accounts(holder).await
    }

    pub async fn remove_staff(&self, holder: &str, name: &str) -> Result<()> {
        self.store.remove_account(holder, name).await
    }

    pub async fn clinics(&self) -> Result<Vec<Organisation>> {
        self.store.organisations("clinic:").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activation_codes_read_back_as_typed() {
        let code = activation_code().unwrap();
        assert_eq!(code.len(), 14);
        assert_eq!(
            normalise_activation(&code.to_lowercase().replace('-', " ")),
            code.replace('-', "")
        );
    }
}
