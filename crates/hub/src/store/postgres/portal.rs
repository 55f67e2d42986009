//! The information base's sign-in on PostgreSQL. These rows are not part of the log, so
//! they are written on a pooled connection, each statement its own transaction, rather
//! than through the log's writer.

use tokio_postgres::{GenericClient, Row};

use super::database;
use crate::Result;
use crate::store::offices::{join_kinds, split_kinds};
use crate::store::sql;
use crate::store::sql::columns::ACCOUNT_COLUMNS;
use crate::store::{Account, AccountRole, OpinionRequest, Organisation};
use renkei_infobase::PersonKey;

pub(super) async fn put_organisation(client: &impl GenericClient, o: &Organisation) -> Result<()> {
    client
        .execute(
            sql::accounts::PUT_ORGANISATION,
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
        .query_opt(sql::accounts::ORGANISATION, &[&holder])
        .await
        .map_err(database)?;
    Ok(row.as_ref().map(organisation_of))
}

pub(super) async fn put_account(client: &impl GenericClient, a: &Account) -> Result<()> {
    client
        .execute(
            sql::accounts::PUT_ACCOUNT,
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
        .execute(sql::accounts::END_ACCOUNT_SESSIONS, &[&holder, &name])
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
        .execute(sql::accounts::REMOVE_ACCOUNT, &[&holder, &name])
        .await
        .map_err(database)?;
    end_sessions_of(client, holder, name).await
}

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
        .execute(sql::accounts::CLAIM_TOTP_STEP, &[&holder, &name, &step])
        .await
        .map_err(database)?;
    Ok(changed == 1)
}

use crate::store::SESSION_SWEEP_AGE;

pub(super) async fn add_session(
    client: &impl GenericClient,
    token_sha256: &str,
    holder: &str,
    name: &str,
    expires: i64,
) -> Result<()> {
    client
        .execute(
            sql::accounts::SWEEP_PORTAL_SESSIONS,
            &[&(expires - SESSION_SWEEP_AGE)],
        )
        .await
        .map_err(database)?;
    client
        .execute(
            sql::accounts::ADD_PORTAL_SESSION,
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
        .query_opt(sql::accounts::PORTAL_SESSION, &[&token_sha256, &time])
        .await
        .map_err(database)?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

pub(super) async fn end_session(client: &impl GenericClient, token_sha256: &str) -> Result<()> {
    client
        .execute(sql::accounts::END_PORTAL_SESSION, &[&token_sha256])
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
            sql::accounts::ADD_OPINION_REQUEST,
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
        .query(sql::accounts::OPINION_REQUESTS, &[&clinic])
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
