//! The information base's sign-in on PostgreSQL. These rows are not part of the log, so
//! they are written on a pooled connection, each statement its own transaction, rather
//! than through the log's writer.

use tokio_postgres::{GenericClient, Row};

use super::database;
use crate::Result;
use crate::store::offices::{join_kinds, split_kinds};
use crate::store::{Account, AccountRole, OpinionRequest, Organisation};
use renkei_infobase::PersonKey;

pub(super) async fn put_organisation(client: &impl GenericClient, o: &Organisation) -> Result<()> {
    client
        .execute(
            "INSERT INTO base_organisations (holder, name, kinds, created) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (holder) DO UPDATE SET name = excluded.name, kinds = excluded.kinds",
            &[&o.holder, &o.name, &join_kinds(&o.kinds), &o.created],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn organisations(
    client: &impl GenericClient,
    prefix: &str,
) -> Result<Vec<Organisation>> {
    let rows = client
        .query(
            "SELECT holder, name, kinds, created FROM base_organisations \
             WHERE starts_with(holder, $1) ORDER BY holder",
            &[&prefix],
        )
        .await
        .map_err(database)?;
    Ok(rows.iter().map(organisation_of).collect())
}

fn organisation_of(row: &Row) -> Organisation {
    Organisation {
        holder: row.get(0),
        name: row.get(1),
        kinds: split_kinds(row.get(2)),
        created: row.get(3),
    }
}

pub(super) async fn organisation(
    client: &impl GenericClient,
    holder: &str,
) -> Result<Option<Organisation>> {
    let row = client
        .query_opt(
            "SELECT holder, name, kinds, created FROM base_organisations WHERE holder = $1",
            &[&holder],
        )
        .await
        .map_err(database)?;
    Ok(row.as_ref().map(organisation_of))
}

pub(super) async fn put_account(client: &impl GenericClient, a: &Account) -> Result<()> {
    client
        .execute(
            "INSERT INTO base_accounts (holder, name, role, password_hash, totp_secret, \
             activation_sha256, activation_expires, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (holder, name) DO UPDATE SET role = excluded.role, \
             password_hash = excluded.password_hash, totp_secret = excluded.totp_secret, \
             activation_sha256 = excluded.activation_sha256, \
             activation_expires = excluded.activation_expires, failures = 0, locked_until = NULL",
            &[
                &a.holder,
                &a.name,
                &a.role.as_str(),
                &a.password_hash,
                &a.totp_secret,
                &a.activation_sha256,
                &a.activation_expires,
                &a.created,
            ],
        )
        .await
        .map_err(database)?;
    end_sessions_of(client, &a.holder, &a.name).await
}

async fn end_sessions_of(client: &impl GenericClient, holder: &str, name: &str) -> Result<()> {
    client
        .execute(
            "DELETE FROM base_sessions WHERE holder = $1 AND name = $2",
            &[&holder, &name],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn remove_account(
    client: &impl GenericClient,
    holder: &str,
    name: &str,
) -> Result<()> {
    client
        .execute(
            "DELETE FROM base_accounts WHERE holder = $1 AND name = $2",
            &[&holder, &name],
        )
        .await
        .map_err(database)?;
    end_sessions_of(client, holder, name).await
}

const ACCOUNT_COLUMNS: &str = "holder, name, role, password_hash, totp_secret, \
     activation_sha256, activation_expires, created";

fn account_of(row: &Row) -> Account {
    Account {
        holder: row.get(0),
        name: row.get(1),
        role: AccountRole::parse(row.get(2)).unwrap_or(AccountRole::Staff),
        password_hash: row.get(3),
        totp_secret: row.get(4),
        activation_sha256: row.get(5),
        activation_expires: row.get(6),
        created: row.get(7),
    }
}

pub(super) async fn accounts(
    client: &impl GenericClient,
    holder: &str,
    name: Option<&str>,
) -> Result<Vec<Account>> {
    let rows = client
        .query(
            &format!(
                "SELECT {ACCOUNT_COLUMNS} FROM base_accounts \
                 WHERE holder = $1 AND ($2::text IS NULL OR name = $2) ORDER BY name"
            ),
            &[&holder, &name],
        )
        .await
        .map_err(database)?;
    Ok(rows.iter().map(account_of).collect())
}

pub(super) async fn claim_totp_step(
    client: &impl GenericClient,
    holder: &str,
    name: &str,
    step: i64,
) -> Result<bool> {
    let changed = client
        .execute(
            "UPDATE base_accounts SET totp_step = $3 \
             WHERE holder = $1 AND name = $2 AND totp_step < $3",
            &[&holder, &name, &step],
        )
        .await
        .map_err(database)?;
    Ok(changed == 1)
}

/// Sessions that expired this long before a new one's end are swept when it is added.
const SESSION_SWEEP_AGE: i64 = 7 * 24 * 3600;

pub(super) async fn add_session(
    client: &impl GenericClient,
    token_sha256: &str,
    holder: &str,
    name: &str,
    expires: i64,
) -> Result<()> {
    client
        .execute(
            "DELETE FROM base_sessions WHERE expires <= $1",
            &[&(expires - SESSION_SWEEP_AGE)],
        )
        .await
        .map_err(database)?;
    client
        .execute(
            "INSERT INTO base_sessions (token_sha256, holder, name, expires) VALUES ($1, $2, $3, $4)",
            &[&token_sha256, &holder, &name, &expires],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn session(
    client: &impl GenericClient,
    token_sha256: &str,
    time: i64,
) -> Result<Option<(String, String)>> {
    let row = client
        .query_opt(
            "SELECT holder, name FROM base_sessions WHERE token_sha256 = $1 AND expires > $2",
            &[&token_sha256, &time],
        )
        .await
        .map_err(database)?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

pub(super) async fn end_session(client: &impl GenericClient, token_sha256: &str) -> Result<()> {
    client
        .execute(
            "DELETE FROM base_sessions WHERE token_sha256 = $1",
            &[&token_sha256],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn add_opinion_request(
    client: &impl GenericClient,
    r: &OpinionRequest,
) -> Result<()> {
    client
        .execute(
            "INSERT INTO base_opinion_requests (clinic, insurer, insured, record_key, requested) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            &[
                &r.clinic,
                &r.person.insurer,
                &r.person.insured,
                &r.key,
                &r.requested,
            ],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn opinion_requests(
    client: &impl GenericClient,
    clinic: &str,
) -> Result<Vec<OpinionRequest>> {
    let rows = client
        .query(
            "SELECT insurer, insured, record_key, requested FROM base_opinion_requests \
             WHERE clinic = $1 ORDER BY requested DESC, insurer, insured",
            &[&clinic],
        )
        .await
        .map_err(database)?;
    Ok(rows
        .iter()
        .map(|r| OpinionRequest {
            clinic: clinic.to_owned(),
            person: PersonKey {
                insurer: r.get(0),
                insured: r.get(1),
            },
            key: r.get(2),
            requested: r.get(3),
        })
        .collect())
}
