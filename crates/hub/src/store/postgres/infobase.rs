//! The information base on PostgreSQL. Writes run in the writer task's transaction (under
//! the log's advisory lock), so two hub processes never give two versions one number.

use std::collections::HashMap;

use tokio_postgres::{GenericClient, Row};

use super::database;
use crate::Result;
use crate::store::infobase::{consent_of, consent_text, kind_of, kind_text};
use crate::store::sql;
use crate::store::{
    Access, AccessAction, NewRecord, RecordVersion, Registration, RegistrationRequest,
};
use renkei_infobase::{Consent, PersonKey, RecordKind};

/// Rows per statement when keeping many records: a municipality's file goes in a few.
const CHUNK: usize = 20_000;

/// Keep `records` as the next versions of their records: per chunk, one query for the
/// versions already kept and one `INSERT … SELECT FROM unnest(…)` for the rows.
pub(super) async fn put_records(
    client: &impl GenericClient,
    records: &[NewRecord],
) -> Result<Vec<RecordVersion>> {
    let mut kept = Vec::with_capacity(records.len());
    for chunk in records.chunks(CHUNK) {
        kept.extend(put_chunk(client, chunk).await?);
    }
    Ok(kept)
}

async fn put_chunk(
    client: &impl GenericClient,
    records: &[NewRecord],
) -> Result<Vec<RecordVersion>> {
    type Key = (String, String, &'static str, String);
    let key_of = |r: &NewRecord| -> Key {
        (
            r.person.insurer.clone(),
            r.person.insured.clone(),
            kind_text(r.kind),
            r.key.clone(),
        )
    };
    let mut distinct: Vec<Key> = records.iter().map(key_of).collect();
    distinct.sort();
    distinct.dedup();
    let column = |pick: fn(&Key) -> String| distinct.iter().map(pick).collect::<Vec<String>>();
    let newest = client
        .query(
            "SELECT k.insurer, k.insured, k.kind, k.record_key, coalesce(max(b.version), 0) \
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(insurer, insured, kind, record_key) \
             LEFT JOIN base_records b ON b.insurer = k.insurer AND b.insured = k.insured \
               AND b.kind = k.kind AND b.record_key = k.record_key \
             GROUP BY 1, 2, 3, 4",
            &[
                &column(|k| k.0.clone()),
                &column(|k| k.1.clone()),
                &column(|k| k.2.to_owned()),
                &column(|k| k.3.clone()),
            ],
        )
        .await
        .map_err(database)?;
    let mut next: HashMap<(String, String, String, String), i64> = newest
        .iter()
        .map(|r| ((r.get(0), r.get(1), r.get(2), r.get(3)), r.get::<_, i64>(4)))
        .collect();
    let mut versions = Vec::with_capacity(records.len());
    for r in records {
        let (insurer, insured, kind, key) = key_of(r);
        let slot = next
            .entry((insurer, insured, kind.to_owned(), key))
            .or_insert(0);
        *slot += 1;
        versions.push(*slot);
    }
    let rows = client
        .query(
            "INSERT INTO base_records (insurer, insured, kind, record_key, version, body, author, created) \
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], \
               $6::text[], $7::text[], $8::bigint[]) \
             RETURNING id, insurer, insured, kind, record_key, version",
            &[
                &records.iter().map(|r| r.person.insurer.clone()).collect::<Vec<_>>(),
                &records.iter().map(|r| r.person.insured.clone()).collect::<Vec<_>>(),
                &records.iter().map(|r| kind_text(r.kind).to_owned()).collect::<Vec<_>>(),
                &records.iter().map(|r| r.key.clone()).collect::<Vec<_>>(),
                &versions,
                &records.iter().map(|r| r.body.clone()).collect::<Vec<_>>(),
                &records.iter().map(|r| r.author.clone()).collect::<Vec<_>>(),
                &records.iter().map(|r| r.time).collect::<Vec<_>>(),
            ],
        )
        .await
        .map_err(database)?;
    // The ids, matched back by record and version (RETURNING keeps no promised order).
    let ids: HashMap<(String, String, String, String, i64), i64> = rows
        .iter()
        .map(|r| ((r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)), r.get(0)))
        .collect();
    Ok(records
        .iter()
        .zip(versions)
        .map(|(r, version)| {
            let id = ids
                .get(&(
                    r.person.insurer.clone(),
                    r.person.insured.clone(),
                    kind_text(r.kind).to_owned(),
                    r.key.clone(),
                    version,
                ))
                .copied()
                .unwrap_or_default();
            RecordVersion {
                id,
                person: r.person.clone(),
                kind: r.kind,
                key: r.key.clone(),
                version,
                body: r.body.clone(),
                author: r.author.clone(),
                created: r.time,
            }
        })
        .collect())
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
            sql::infobase::RECORDS,
            &[&person.insurer, &person.insured, &kind],
        )
        .await
        .map_err(database)?;
    Ok(rows.iter().map(version).collect())
}

/// Record many people's consent in one statement per chunk (a person listed twice once).
pub(super) async fn set_consents(
    client: &impl GenericClient,
    people: &[PersonKey],
    consent: Consent,
    by: &str,
    time: i64,
) -> Result<()> {
    let mut people = people.to_vec();
    people.sort();
    people.dedup();
    for chunk in people.chunks(CHUNK) {
        client
            .execute(
                "INSERT INTO base_consents (insurer, insured, state, recorded_by, changed) \
                 SELECT insurer, insured, $3, $4, $5 FROM unnest($1::text[], $2::text[]) AS p(insurer, insured) \
                 ON CONFLICT (insurer, insured) DO UPDATE SET \
                 state = excluded.state, recorded_by = excluded.recorded_by, changed = excluded.changed",
                &[
                    &chunk.iter().map(|p| p.insurer.clone()).collect::<Vec<_>>(),
                    &chunk.iter().map(|p| p.insured.clone()).collect::<Vec<_>>(),
                    &consent_text(consent),
                    &by,
                    &time,
                ],
            )
            .await
            .map_err(database)?;
        // Each change is a line in the person's access log, naming who made it.
        client
            .execute(
                "INSERT INTO base_access_log (insurer, insured, viewer, kind, refusal, time, action) \
                 SELECT insurer, insured, $3, $4, NULL, $5, $6 FROM unnest($1::text[], $2::text[]) AS p(insurer, insured)",
                &[
                    &chunk.iter().map(|p| p.insurer.clone()).collect::<Vec<_>>(),
                    &chunk.iter().map(|p| p.insured.clone()).collect::<Vec<_>>(),
                    &by,
                    &kind_text(RecordKind::AccessLog),
                    &time,
                    &AccessAction::Consent(consent).to_text(),
                ],
            )
            .await
            .map_err(database)?;
    }
    Ok(())
}

pub(super) async fn consent(client: &impl GenericClient, person: &PersonKey) -> Result<Consent> {
    let row = client
        .query_opt(sql::infobase::CONSENT, &[&person.insurer, &person.insured])
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
        Some(by) => {
            client
                .execute(
                    sql::infobase::REGISTER_OFFICE,
                    &[&person.insurer, &person.insured, &office, &by, &time],
                )
                .await
        }
        None => {
            client
                .execute(
                    sql::infobase::END_REGISTRATION,
                    &[&person.insurer, &person.insured, &office, &time],
                )
                .await
        }
    }
    .map_err(database)?;
    Ok(())
}

pub(super) async fn withdrawn_consents(
    client: &impl GenericClient,
    insurer: &str,
) -> Result<Vec<String>> {
    let rows = client
        .query(sql::infobase::WITHDRAWN_CONSENTS, &[&insurer])
        .await
        .map_err(database)?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub(super) async fn registrations(
    client: &impl GenericClient,
    person: &PersonKey,
) -> Result<Vec<Registration>> {
    let rows = client
        .query(
            sql::infobase::REGISTRATIONS,
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
        .prepare(sql::infobase::LOG_ACCESS)
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
                    &a.action.to_text(),
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
    offset: usize,
) -> Result<Vec<Access>> {
    let rows = client
        .query(
            sql::infobase::ACCESS_LOG,
            &[
                &person.insurer,
                &person.insured,
                &(limit as i64),
                &(offset as i64),
            ],
        )
        .await
        .map_err(database)?;
    Ok(rows
        .iter()
        .map(|r| Access {
            person: person.clone(),
            viewer: r.get(0),
            action: AccessAction::of_text(r.get(4)),
            kind: kind_of(r.get(1)).unwrap_or(RecordKind::AccessLog),
            refusal: r.get(2),
            time: r.get(3),
        })
        .collect())
}

pub(super) async fn latest_records(
    client: &impl GenericClient,
    insurer: &str,
    kind: RecordKind,
    limit: usize,
    offset: usize,
) -> Result<Vec<RecordVersion>> {
    let rows = client
        .query(
            sql::infobase::LATEST_RECORDS,
            &[
                &insurer,
                &kind_text(kind),
                &(limit as i64),
                &(offset as i64),
            ],
        )
        .await
        .map_err(database)?;
    Ok(rows.iter().map(version).collect())
}

pub(super) async fn request_registration(
    client: &impl GenericClient,
    person: &PersonKey,
    office: &str,
    time: i64,
) -> Result<()> {
    client
        .execute(
            sql::infobase::REQUEST_REGISTRATION,
            &[&person.insurer, &person.insured, &office, &time],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn registration_requests(
    client: &impl GenericClient,
    person: &PersonKey,
) -> Result<Vec<RegistrationRequest>> {
    let rows = client
        .query(
            sql::infobase::REGISTRATION_REQUESTS,
            &[&person.insurer, &person.insured],
        )
        .await
        .map_err(database)?;
    Ok(rows
        .iter()
        .map(|r| RegistrationRequest {
            office: r.get(0),
            requested: r.get(1),
        })
        .collect())
}

pub(super) async fn drop_registration_request(
    client: &impl GenericClient,
    person: &PersonKey,
    office: &str,
) -> Result<bool> {
    let dropped = client
        .execute(
            sql::infobase::DROP_REGISTRATION_REQUEST,
            &[&person.insurer, &person.insured, &office],
        )
        .await
        .map_err(database)?;
    Ok(dropped > 0)
}
