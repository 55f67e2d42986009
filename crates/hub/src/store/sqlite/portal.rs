//! The information base's sign-in on SQLite: organisations, accounts, sessions, and the
//! opinions asked of clinics.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::Result;
use crate::store::offices::{join_kinds, split_kinds};
use crate::store::{Account, AccountRole, OpinionRequest, Organisation};
use renkei_infobase::PersonKey;

pub(super) fn put_organisation(connection: &Connection, o: &Organisation) -> Result<()> {
    connection
        .prepare_cached(
            "INSERT INTO base_organisations (holder, name, kinds, created) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (holder) DO UPDATE SET name = excluded.name, kinds = excluded.kinds",
        )?
        .execute(params![o.holder, o.name, join_kinds(&o.kinds), o.created])?;
    Ok(())
}

fn organisation_of(row: &Row<'_>) -> rusqlite::Result<Organisation> {
    let kinds: String = row.get(2)?;
    Ok(Organisation {
        holder: row.get(0)?,
        name: row.get(1)?,
        kinds: split_kinds(&kinds),
        created: row.get(3)?,
    })
}

pub(super) fn organisation(connection: &Connection, holder: &str) -> Result<Option<Organisation>> {
    Ok(connection
        .prepare_cached(
            "SELECT holder, name, kinds, created FROM base_organisations WHERE holder = ?1",
        )?
        .query_row([holder], organisation_of)
        .optional()?)
}

pub(super) fn organisations(connection: &Connection, prefix: &str) -> Result<Vec<Organisation>> {
    let rows = connection
        .prepare_cached(
            "SELECT holder, name, kinds, created FROM base_organisations \
             WHERE substr(holder, 1, length(?1)) = ?1 ORDER BY holder",
        )?
        .query_map([prefix], organisation_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn put_account(connection: &Connection, a: &Account) -> Result<()> {
    connection
        .prepare_cached(
            "INSERT INTO base_accounts (holder, name, role, password_hash, totp_secret, \
             activation_sha256, activation_expires, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
             ON CONFLICT (holder, name) DO UPDATE SET role = excluded.role, \
             password_hash = excluded.password_hash, totp_secret = excluded.totp_secret, \
             activation_sha256 = excluded.activation_sha256, \
             activation_expires = excluded.activation_expires, failures = 0, locked_until = NULL",
        )?
        .execute(params![
            a.holder,
            a.name,
            a.role.as_str(),
            a.password_hash,
            a.totp_secret,
            a.activation_sha256,
            a.activation_expires,
            a.created
        ])?;
    end_sessions_of(connection, &a.holder, &a.name)
}

fn end_sessions_of(connection: &Connection, holder: &str, name: &str) -> Result<()> {
    connection
        .prepare_cached("DELETE FROM base_sessions WHERE holder = ?1 AND name = ?2")?
        .execute(params![holder, name])?;
    Ok(())
}

pub(super) fn remove_account(connection: &Connection, holder: &str, name: &str) -> Result<()> {
    connection
        .prepare_cached("DELETE FROM base_accounts WHERE holder = ?1 AND name = ?2")?
        .execute(params![holder, name])?;
    end_sessions_of(connection, holder, name)
}

const ACCOUNT_COLUMNS: &str = "holder, name, role, password_hash, totp_secret, \
     activation_sha256, activation_expires, created";

fn account_of(row: &Row<'_>) -> rusqlite::Result<Account> {
    let role: String = row.get(2)?;
    Ok(Account {
        holder: row.get(0)?,
        name: row.get(1)?,
        role: AccountRole::parse(&role).unwrap_or(AccountRole::Staff),
        password_hash: row.get(3)?,
        totp_secret: row.get(4)?,
        activation_sha256: row.get(5)?,
        activation_expires: row.get(6)?,
        created: row.get(7)?,
    })
}

pub(super) fn account(
    connection: &Connection,
    holder: &str,
    name: &str,
) -> Result<Option<Account>> {
    Ok(connection
        .prepare_cached(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM base_accounts WHERE holder = ?1 AND name = ?2"
        ))?
        .query_row(params![holder, name], account_of)
        .optional()?)
}

pub(super) fn accounts(connection: &Connection, holder: &str) -> Result<Vec<Account>> {
    let rows = connection
        .prepare_cached(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM base_accounts WHERE holder = ?1 ORDER BY name"
        ))?
        .query_map([holder], account_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn claim_totp_step(
    connection: &Connection,
    holder: &str,
    name: &str,
    step: i64,
) -> Result<bool> {
    let changed = connection
        .prepare_cached(
            "UPDATE base_accounts SET totp_step = ?3 \
             WHERE holder = ?1 AND name = ?2 AND totp_step < ?3",
        )?
        .execute(params![holder, name, step])?;
    Ok(changed == 1)
}

/// Sessions that expired this long before a new one's end are swept when it is added.
const SESSION_SWEEP_AGE: i64 = 7 * 24 * 3600;

pub(super) fn add_session(
    connection: &Connection,
    token_sha256: &str,
    holder: &str,
    name: &str,
    expires: i64,
) -> Result<()> {
    connection
        .prepare_cached("DELETE FROM base_sessions WHERE expires <= ?1")?
        .execute([expires - SESSION_SWEEP_AGE])?;
    connection
        .prepare_cached(
            "INSERT INTO base_sessions (token_sha256, holder, name, expires) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![token_sha256, holder, name, expires])?;
    Ok(())
}

pub(super) fn session(
    connection: &Connection,
    token_sha256: &str,
    time: i64,
) -> Result<Option<(String, String)>> {
    Ok(connection
        .prepare_cached(
            "SELECT holder, name FROM base_sessions WHERE token_sha256 = ?1 AND expires > ?2",
        )?
        .query_row(params![token_sha256, time], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub(super) fn end_session(connection: &Connection, token_sha256: &str) -> Result<()> {
    connection
        .prepare_cached("DELETE FROM base_sessions WHERE token_sha256 = ?1")?
        .execute([token_sha256])?;
    Ok(())
}

pub(super) fn add_opinion_request(connection: &Connection, r: &OpinionRequest) -> Result<()> {
    connection
        .prepare_cached(
            "INSERT INTO base_opinion_requests (clinic, insurer, insured, record_key, requested) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        )?
        .execute(params![
            r.clinic,
            r.person.insurer,
            r.person.insured,
            r.key,
            r.requested
        ])?;
    Ok(())
}

pub(super) fn opinion_requests(
    connection: &Connection,
    clinic: &str,
) -> Result<Vec<OpinionRequest>> {
    let rows = connection
        .prepare_cached(
            "SELECT insurer, insured, record_key, requested FROM base_opinion_requests \
             WHERE clinic = ?1 ORDER BY requested DESC, insurer, insured",
        )?
        .query_map([clinic], |r| {
            Ok(OpinionRequest {
                clinic: clinic.to_owned(),
                person: PersonKey {
                    insurer: r.get(0)?,
                    insured: r.get(1)?,
                },
                key: r.get(2)?,
                requested: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
