//! The information base on PostgreSQL. Writes run in the writer task's transaction (under
//! the log's advisory lock), so two hub processes never give two versions one number.

use tokio_postgres::{GenericClient, Row};

use super::database;
use crate::Result;
use crate::base::{Consent, PersonKey, RecordKind};
use crate::store::base::{consent_of, consent_text, kind_of, kind_text};
use crate::store::{Access, NewRecord, RecordVersion, Registration};

pub(super) async fn put_records(
    client: &impl GenericClient,
    records: &[NewRecord],
) -> Result<Vec<RecordVersion>> {
    let insert = client
        .prepare(
            "INSERT INTO base_records (insurer, insured, kind, record_key, version, body, author, created) \
             SELECT $1, $2, $3, $4, coalesce(max(version), 0) + 1, $5, $6, $7 FROM base_records \
             WHERE insurer = $1 AND insured = $2 AND kind = $3 AND record_key = $4 \
             RETURNING id, version",
        )
        .await
        .map_err(database)?;
    let mut kept = Vec::with_capacity(records.len());
    for r in records {
        let row = client
            .query_one(
                &insert,
                &[
                    &r.person.insurer,
                    &r.person.insured,
                    &kind_text(r.kind),
                    &r.key,
                    &r.body,
                    &r.author,
                    &r.time,
                ],
            )
            .await
            .map_err(database)?;
        kept.push(RecordVersion {
            id: row.get(0),
            person: r.person.clone(),
            kind: r.kind,
            key: r.key.clone(),
            version: row.get(1),
            body: r.body.clone(),
            author: r.author.clone(),
            created: r.time,
        });
    }
    Ok(kept)
}

fn version(row: &Row) -> RecordVersion {
    RecordVersion {
        id: row.get(0),
        person: PersonKey {
            insurer: row.get(1),
            insured: row.get(2),
        },
        kind: kind_of(row.get(3)).unwrap_or(RecordKind::AccessLog),
        key: row.get(4),
        version: row.get(5),
        body: row.get(6),
        author: row.get(7),
        created: row.get(8),
    }
}

pub(super) async fn records(
    client: &impl GenericClient,
    person: &PersonKey,
    kind: Option<RecordKind>,
) -> Result<Vec<RecordVersion>> {
    let kind = kind.map(kind_text).unwrap_or("");
    let rows = client
        .query(
            "SELECT id, insurer, insured, kind, record_key, version, body, author, created \
             FROM base_records WHERE insurer = $1 AND insured = $2 AND ($3 = '' OR kind = $3) \
             ORDER BY id",
            &[&person.insurer, &person.insured, &kind],
        )
        .await
        .map_err(database)?;
    Ok(rows.iter().map(version).collect())
}

pub(super) async fn set_consent(
    client: &impl GenericClient,
    person: &PersonKey,
    consent: Consent,
    by: &str,
    time: i64,
) -> Result<()> {
    client
        .execute(
            "INSERT INTO base_consents (insurer, insured, state, recorded_by, changed) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (insurer, insured) DO UPDATE SET \
             state = $3, recorded_by = $4, changed = $5",
            &[
                &person.insurer,
                &person.insured,
                &consent_text(consent),
                &by,
                &time,
            ],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn consent(client: &impl GenericClient, person: &PersonKey) -> Result<Consent> {
    let row = client
        .query_opt(
            "SELECT state FROM base_consents WHERE insurer = $1 AND insured = $2",
            &[&person.insurer, &person.insured],
        )
        .await
        .map_err(database)?;
    Ok(row.map_or(Consent::None, |r| consent_of(r.get(0))))
}

pub(super) async fn set_registration(
    client: &impl GenericClient,
    person: &PersonKey,
    office: &str,
    confirmed_by: Option<&str>,
    time: i64,
) -> Result<()> {
    match confirmed_by {
        Some(by) => client
            .execute(
                "INSERT INTO base_registrations (insurer, insured, office, confirmed_by, registered, ended) \
                 VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (insurer, insured, office) DO UPDATE SET \
                 confirmed_by = $4, registered = $5, ended = NULL",
                &[&person.insurer, &person.insured, &office, &by, &time],
            )
            .await,
        None => client
            .execute(
                "UPDATE base_registrations SET ended = $4 \
                 WHERE insurer = $1 AND insured = $2 AND office = $3 AND ended IS NULL",
                &[&person.insurer, &person.insured, &office, &time],
            )
            .await,
    }
    .map_err(database)?;
    Ok(())
}

pub(super) async fn registrations(
    client: &impl GenericClient,
    person: &PersonKey,
) -> Result<Vec<Registration>> {
    let rows = client
        .query(
            "SELECT office, confirmed_by, registered, ended FROM base_registrations \
             WHERE insurer = $1 AND insured = $2 ORDER BY registered",
            &[&person.insurer, &person.insured],
        )
        .await
        .map_err(database)?;
    Ok(rows
        .iter()
        .map(|r| Registration {
            office: r.get(0),
            confirmed_by: r.get(1),
            registered: r.get(2),
            ended: r.get(3),
        })
        .collect())
}

pub(super) async fn log_access(client: &impl GenericClient, accesses: &[Access]) -> Result<()> {
    let insert = client
        .prepare(
            "INSERT INTO base_access_log (insurer, insured, viewer, kind, refusal, time) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .await
        .map_err(database)?;
    for a in accesses {
        client
            .execute(
                &insert,
                &[
                    &a.person.insurer,
                    &a.person.insured,
                    &a.viewer,
                    &kind_text(a.kind),
                    &a.refusal,
                    &a.time,
                ],
            )
            .await
            .map_err(database)?;
    }
    Ok(())
}

pub(super) async fn access_log(
    client: &impl GenericClient,
    person: &PersonKey,
    limit: usize,
) -> Result<Vec<Access>> {
    let rows = client
        .query(
            "SELECT viewer, kind, refusal, time FROM base_access_log \
             WHERE insurer = $1 AND insured = $2 ORDER BY time DESC, id DESC LIMIT $3",
            &[&person.insurer, &person.insured, &(limit as i64)],
        )
        .await
        .map_err(database)?;
    Ok(rows
        .iter()
        .map(|r| Access {
            person: person.clone(),
            viewer: r.get(0),
            kind: kind_of(r.get(1)).unwrap_or(RecordKind::AccessLog),
            refusal: r.get(2),
            time: r.get(3),
        })
        .collect())
}
