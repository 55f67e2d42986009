//! The console's staff accounts and their sessions.

use rusqlite::{OptionalExtension, params};

use super::Ledger;
use crate::Result;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Manages the staff accounts, and does all that staff do.
    Admin,
    Staff,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Staff => "staff",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::Admin => "管理者",
            Self::Staff => "職員",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "admin" {
            Self::Admin
        } else {
            Self::Staff
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub name: String,
    pub role: Role,
    /// This session showed a one-time code (the 介護情報基盤 pages ask for one).
    pub second_factor: bool,
}

impl Ledger {
    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        self.with(|c| {
            c.prepare_cached("SELECT name, role FROM staff ORDER BY role, name")?
                .query_map([], |r| {
                    Ok(StaffMember {
                        name: r.get(0)?,
                        role: Role::parse(&r.get::<_, String>(1)?),
                        second_factor: false,
                    })
                })?
                .collect()
        })
    }

    /// Add an account, or give an existing one a new role and password hash. The account's
    /// sessions end: a password reset must shut out whoever had the old one. The
    /// authenticator key goes too, so a member who lost their phone enrols a new one.
    pub fn set_staff(&self, name: &str, role: Role, password_hash: &str, time: i64) -> Result<()> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO staff (name, role, password, created) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (name) DO UPDATE SET role = ?2, password = ?3, totp_secret = NULL",
            )?
            .execute(params![name, role.as_str(), password_hash, time])?;
            c.prepare_cached("DELETE FROM sessions WHERE name = ?1")?
                .execute([name])
        })?;
        Ok(())
    }

    pub fn remove_staff(&self, name: &str) -> Result<bool> {
        self.with(|c| {
            c.prepare_cached("DELETE FROM sessions WHERE name = ?1")?
                .execute([name])?;
            c.prepare_cached("DELETE FROM staff WHERE name = ?1")?
                .execute([name])
        })
        .map(|removed| removed == 1)
    }

    /// The stored password hash and role of `name`.
    pub fn staff_password(&self, name: &str) -> Result<Option<(String, Role)>> {
        self.with(|c| {
            c.prepare_cached("SELECT password, role FROM staff WHERE name = ?1")?
                .query_row([name], |r| {
                    Ok((r.get(0)?, Role::parse(&r.get::<_, String>(1)?)))
                })
                .optional()
        })
    }

    pub fn add_session(&self, token_sha256: &str, name: &str, expires: i64) -> Result<()> {
        self.with(|c| {
            c.prepare_cached("DELETE FROM sessions WHERE expires < ?1")?
                .execute([expires - 7 * 24 * 3600])?;
            c.prepare_cached(
                "INSERT INTO sessions (token_sha256, name, expires) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![token_sha256, name, expires])
        })?;
        Ok(())
    }

    /// The member signed in with this token, while the session lasts.
    pub fn session(&self, token_sha256: &str, now: i64) -> Result<Option<StaffMember>> {
        self.with(|c| {
            c.prepare_cached(
                "SELECT s.name, s.role, sessions.second_factor FROM sessions JOIN staff s USING (name) \
                 WHERE token_sha256 = ?1 AND expires > ?2",
            )?
            .query_row(params![token_sha256, now], |r| {
                Ok(StaffMember {
                    name: r.get(0)?,
                    role: Role::parse(&r.get::<_, String>(1)?),
                    second_factor: r.get(2)?,
                })
            })
            .optional()
        })
    }

    pub fn end_session(&self, token_sha256: &str) -> Result<()> {
        self.with(|c| {
            c.prepare_cached("DELETE FROM sessions WHERE token_sha256 = ?1")?
                .execute([token_sha256])
        })?;
        Ok(())
    }

    /// The member's authenticator key, once they enrolled one.
    pub fn totp_secret(&self, name: &str) -> Result<Option<String>> {
        self.with(|c| {
            c.prepare_cached("SELECT totp_secret FROM staff WHERE name = ?1")?
                .query_row([name], |r| r.get(0))
                .optional()
        })
        .map(Option::flatten)
    }

    /// Use up one-time-code step `step` of the member, enrolling `secret` as their key if
    /// they had none, and mark the session as having shown its second factor. False when
    /// the step (or a later one) was used already.
    pub fn confirm_second_factor(
        &self,
        token_sha256: &str,
        name: &str,
        secret: &str,
        step: i64,
    ) -> Result<bool> {
        self.with(|c| {
            let claimed = c
                .prepare_cached(
                    "UPDATE staff SET totp_step = ?2, totp_secret = coalesce(totp_secret, ?3) \
                     WHERE name = ?1 AND totp_step < ?2",
                )?
                .execute(params![name, step, secret])?;
            if claimed == 1 {
                c.prepare_cached("UPDATE sessions SET second_factor = 1 WHERE token_sha256 = ?1")?
                    .execute([token_sha256])?;
            }
            Ok(claimed == 1)
        })
    }
}
