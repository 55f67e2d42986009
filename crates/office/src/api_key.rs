//! Keys for the care software's programs on the office's local API: what a key may do
//! (its scopes), how one is made and shown once, and how a presented key is checked.
//!
//! A key reads `renkei_<id>_<secret>`: the id (8 hex digits) finds it, the secret (32
//! random bytes, base64url) proves it. The ledger keeps the secret's SHA-256 only, so a
//! copy of the ledger does not give a key away; a 256-bit secret needs no slow hash.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::ledger::{ApiKeyRow, Ledger};
use crate::{Error, Result};

const PREFIX: &str = "renkei_";

/// What a key may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Send the care software's files (送信).
    Send,
    /// See what was sent and what arrived, fetch it, confirm its import (受信).
    Receive,
    /// The information base (介護情報基盤): records and registering plans.
    Infobase,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Send, Scope::Receive, Scope::Infobase];

    pub fn as_str(&self) -> &'static str {
        match self {
            Scope::Send => "send",
            Scope::Receive => "receive",
            Scope::Infobase => "infobase",
        }
    }

    pub fn label_ja(&self) -> &'static str {
        match self {
            Scope::Send => "送信",
            Scope::Receive => "受信・送信状況",
            Scope::Infobase => "介護情報基盤",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }

    /// `send,receive` → the scopes, or what is wrong with the list.
    pub fn parse_list(text: &str) -> Result<Vec<Scope>> {
        let mut scopes = Vec::new();
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            let scope = Scope::parse(part).ok_or_else(|| {
                Error::Setting(format!(
                    "「{}」は API キーの権限ではありません。send、receive、infobase から選んでください / not a scope: choose from send, receive, infobase",
                    part.trim()
                ))
            })?;
            if !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        if scopes.is_empty() {
            return Err(Error::Setting(
                "API キーの権限を1つ以上選んでください(send、receive、infobase) / choose at least one scope".into(),
            ));
        }
        scopes.sort();
        Ok(scopes)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A key as the office sees it: whose, what it may do, and whether it still works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created: i64,
    pub created_by: String,
    pub revoked: Option<i64>,
    pub last_used: Option<i64>,
}

impl ApiKey {
    fn of(row: ApiKeyRow) -> Self {
        Self {
            scopes: row.scopes.split(',').filter_map(Scope::parse).collect(),
            id: row.id,
            name: row.name,
            created: row.created,
            created_by: row.created_by,
            revoked: row.revoked,
            last_used: row.last_used,
        }
    }

    pub fn may(&self, scope: Scope) -> bool {
        self.revoked.is_none() && self.scopes.contains(&scope)
    }
}

/// A key just made: `token` is shown once and kept nowhere.
#[derive(Debug)]
pub struct MadeKey {
    pub key: ApiKey,
    pub token: String,
}

/// The longest name a key may have, in characters.
const NAME_CHARS: usize = 60;

/// Make a key named `name` with `scopes`, made by `by` (a staff member, or the command line).
pub fn make(ledger: &Ledger, name: &str, scopes: &[Scope], by: &str) -> Result<MadeKey> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_CHARS || name.chars().any(char::is_control) {
        return Err(Error::Setting(format!(
            "API キーの名前は1〜{NAME_CHARS}文字で付けてください(例: 介護ソフト 本社PC) / a key's name is 1 to {NAME_CHARS} characters"
        )));
    }
    if scopes.is_empty() {
        return Err(Error::Setting(
            "API キーの権限を1つ以上選んでください / choose at least one scope".into(),
        ));
    }
    let id = hex(&renkei_seal::random_bytes::<4>()?);
    let secret = URL_SAFE_NO_PAD.encode(renkei_seal::random_bytes::<32>()?);
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    let row = ApiKeyRow {
        id: id.clone(),
        name: name.to_owned(),
        scopes: scopes
            .iter()
            .map(Scope::as_str)
            .collect::<Vec<_>>()
            .join(","),
        secret_sha256: renkei_seal::sha256_hex(secret.as_bytes()),
        created: renkei_seal::unix_now(),
        created_by: by.to_owned(),
        revoked: None,
        last_used: None,
    };
    if !ledger.add_api_key(&row)? {
        return Err(Error::Setting(format!(
            "「{name}」という API キーがすでにあります。別の名前にするか、先に取り消してください / a key named so exists; choose another name or revoke it first"
        )));
    }
    Ok(MadeKey {
        key: ApiKey::of(row),
        token: format!("{PREFIX}{id}_{secret}"),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every key, those in use first.
pub fn list(ledger: &Ledger) -> Result<Vec<ApiKey>> {
    Ok(ledger.api_keys()?.into_iter().map(ApiKey::of).collect())
}

/// Revoke the key in use named `name`; `false` when there is none.
pub fn revoke(ledger: &Ledger, name: &str) -> Result<bool> {
    ledger.revoke_api_key(name.trim(), renkei_seal::unix_now())
}

/// Why a presented key was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unaccepted {
    /// Not of a key's shape, or no such key, or the secret is not its secret.
    Unknown,
    Revoked,
}

/// The key `token` is, if it is one of this office's keys and still in use.
pub fn check(ledger: &Ledger, token: &str) -> Result<std::result::Result<ApiKey, Unaccepted>> {
    let Some((id, secret)) = token
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('_'))
    else {
        return Ok(Err(Unaccepted::Unknown));
    };
    if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Err(Unaccepted::Unknown));
    }
    let Some(row) = ledger.api_key(id)? else {
        return Ok(Err(Unaccepted::Unknown));
    };
    let presented = renkei_seal::sha256_hex(secret.as_bytes());
    if !same(presented.as_bytes(), row.secret_sha256.as_bytes()) {
        return Ok(Err(Unaccepted::Unknown));
    }
    if row.revoked.is_some() {
        return Ok(Err(Unaccepted::Revoked));
    }
    Ok(Ok(ApiKey::of(row)))
}

/// Equal bytes, compared in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger() -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir().unwrap();
        let ledger = Ledger::open(&dir.path().join("ledger.db")).unwrap();
        (dir, ledger)
    }

    #[test]
    fn a_key_is_shown_once_kept_hashed_and_checked() {
        let (_dir, ledger) = ledger();
        let made = make(
            &ledger,
            "介護ソフト",
            &[Scope::Send, Scope::Receive],
            "admin",
        )
        .unwrap();
        assert!(made.token.starts_with("renkei_"));
        let row = ledger.api_key(&made.key.id).unwrap().unwrap();
        // The secret (base64url, which has `_` too) is everything after the id.
        let secret = made.token.splitn(3, '_').nth(2).unwrap();
        assert_eq!(secret.len(), 43);
        assert_eq!(
            row.secret_sha256,
            renkei_seal::sha256_hex(secret.as_bytes())
        );
        assert!(!row.secret_sha256.contains(secret));
        let key = check(&ledger, &made.token).unwrap().unwrap();
        assert!(key.may(Scope::Send) && !key.may(Scope::Infobase));
        // One character off, another key's id with this secret, a bare secret: unknown.
        let mut wrong = made.token.clone();
        let last = wrong.pop().unwrap();
        wrong.push(if last == 'A' { 'B' } else { 'A' });
        for token in [wrong.as_str(), "renkei_00000000_x", "x", "", "renkei__"] {
            assert_eq!(
                check(&ledger, token).unwrap(),
                Err(Unaccepted::Unknown),
                "{token}"
            );
        }
        assert!(revoke(&ledger, "介護ソフト").unwrap());
        assert_eq!(
            check(&ledger, &made.token).unwrap(),
            Err(Unaccepted::Revoked)
        );
        // The name may be used again once revoked, not while in use.
        let again = make(&ledger, "介護ソフト", &[Scope::Send], "admin").unwrap();
        assert!(make(&ledger, "介護ソフト", &[Scope::Send], "admin").is_err());
        assert_eq!(list(&ledger).unwrap()[0].id, again.key.id);
    }

    #[test]
    fn scopes_and_names_are_checked() {
        assert_eq!(
            Scope::parse_list("receive, send,send").unwrap(),
            vec![Scope::Send, Scope::Receive]
        );
        assert!(Scope::parse_list("admin").is_err());
        assert!(Scope::parse_list("").is_err());
        let (_dir, ledger) = ledger();
        for name in ["", " ", &"長".repeat(61), "改\n行"] {
            assert!(
                make(&ledger, name, &[Scope::Send], "admin").is_err(),
                "{name:?}"
            );
        }
    }
}
