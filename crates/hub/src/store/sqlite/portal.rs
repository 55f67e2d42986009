//! The information base's sign-in on SQLite: organisations, accounts, sessions, and the
//! opinions asked of clinics.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::Result;
use crate::store::offices::{join_kinds, split_kinds};
use crate::store::sql;
use crate::store::sql::columns::ACCOUNT_COLUMNS;
use crate::store::sql::sqlite_text;
use crate::store::{Account, AccountRole, OpinionRequest, Organisation};
use renkei_infobase::PersonKey;

pub(super) fn put_organisation(connection: &Connection, o: &Organisation) -> Result<()> {
    connection
        .prepare_cached(&sqlite_text(sql::accounts::PUT_ORGANISATION))?
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
        .prepare_cached(&sqlite_text(sql::accounts::ORGANISATION))?
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
        .prepare_cached(&sqlite_text(sql::accounts::PUT_ACCOUNT))?
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
        .prepare_cached(&sqlite_text(sql::accounts::END_ACCOUNT_SESSIONS))?
        .execute(params![holder, name])?;
    Ok(())
}

pub(super) fn remove_account(connection: &Connection, holder: &str, name: &str) -> Result<()> {
    connection
        .prepare_cached(&sqlite_text(sql::accounts::REMOVE_ACCOUNT))?
        .execute(params![holder, name])?;
    end_sessions_of(connection, holder, name)
}

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
        .prepare_cached(&sqlite_text(sql::accounts::CLAIM_TOTP_STEP))?
        .execute(params![holder, name, step])?;
    Ok(changed == 1)
}

use crate::store::SESSION_SWEEP_AGE;

pub(super) fn add_session(
    connection: &Connection,
    token_sha256: &str,
    holder: &str,
    name: &str,
    expires: i64,
) -> Result<()> {
    connection
        .prepare_cached(&sqlite_text(sql::accounts::SWEEP_PORTAL_SESSIONS))?
        .execute([expires - SESSION_SWEEP_AGE])?;
    connection
        .prepare_cached(&sqlite_text(sql::accounts::ADD_PORTAL_SESSION))?
        .execute(params![token_sha256, holder, name, expires])?;
    Ok(())
}

pub(super) fn session(
    connection: &Connection,
    token_sha256: &str,
    time: i64,
) -> Result<Option<(String, String)>> {
    Ok(connection
        .prepare_cached(&sqlite_text(sql::accounts::PORTAL_SESSION))?
        .query_row(params![token_sha256, time], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub(super) fn end_session(connection: &Connection, token_sha256: &str) -> Result<()> {
    connection
        .prepare_cached(&sqlite_text(sql::accounts::END_PORTAL_SESSION))?
        .execute([token_sha256])?;
    Ok(())
}

pub(super) fn add_opinion_request(connection: &Connection, r: &OpinionRequest) -> Result<()> {
    connection
        .prepare_cached(&sqlite_text(sql::accounts::ADD_OPINION_REQUEST))?
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
        .prepare_cached(&sqlite_text(sql::accounts::OPINION_REQUESTS))?
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
