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
}

impl Ledger {
    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        self.with(|c| {
            c.prepare_cached("SELECT name, role FROM staff ORDER BY role, name")?
                .query_map([], |r| {
                    Ok(StaffMember {
                        name: r.get(0)?,
                        role: Role::parse(&r.get::<_, String>(1)?),
                    })
                })?
                .collect()
        })
    }

    /// Add an account, or give an existing one a new role and password hash. The account's
    /// sessions end: a password reset must shut out whoever had the old one.
    pub fn set_staff(&self, name: &str, role: Role, password_hash: &str, time: i64) -> Result<()> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO staff (name, role, password, created) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (name) DO UPDATE SET role = ?2, password = ?3",
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
                "SELECT s.name, s.role FROM sessions JOIN staff s USING (name) \
                 WHERE token_sha256 = ?1 AND expires > ?2",
            )?
            .query_row(params![token_sha256, now], |r| {
                Ok(StaffMember {
                    name: r.get(0)?,
                    role: Role::parse(&r.get::<_, String>(1)?),
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
}
