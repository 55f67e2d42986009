//! The information base on SQLite.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::Result;
use crate::store::infobase::{consent_of, consent_text, kind_of, kind_text};
use crate::store::sql;
use crate::store::sql::sqlite_text;
use crate::store::{
    Access, AccessAction, NewRecord, RecordVersion, Registration, RegistrationRequest,
};
use renkei_infobase::{Consent, PersonKey, RecordKind};

pub(super) fn put_records(
    connection: &Connection,
    records: &[NewRecord],
) -> Result<Vec<RecordVersion>> {
    let mut next = connection.prepare_cached(
        "SELECT coalesce(max(version), 0) + 1 FROM base_records \
         WHERE insurer = ?1 AND insured = ?2 AND kind = ?3 AND record_key = ?4",
    )?;
    let mut insert = connection.prepare_cached(
        "INSERT INTO base_records (insurer, insured, kind, record_key, version, body, author, created) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut kept = Vec::with_capacity(records.len());
    for r in records {
        let kind = kind_text(r.kind);
        let version: i64 = next.query_row(
            params![r.person.insurer, r.person.insured, kind, r.key],
            |row| row.get(0),
        )?;
        insert.execute(params![
            r.person.insurer,
            r.person.insured,
            kind,
            r.key,
            version,
            r.body,
            r.author,
            r.time
        ])?;
        kept.push(RecordVersion {
            id: connection.last_insert_rowid(),
            person: r.person.clone(),
            kind: r.kind,
            key: r.key.clone(),
            version,
            body: r.body.clone(),
            author: r.author.clone(),
            created: r.time,
        });
    }
    Ok(kept)
}

fn version(row: &Row<'_>) -> rusqlite::Result<RecordVersion> {
    let kind: String = row.get(3)?;
    Ok(RecordVersion {
        id: row.get(0)?,
        person: PersonKey {
            insurer: row.get(1)?,
            insured: row.get(2)?,
        },
        kind: kind_of(&kind).unwrap_or(RecordKind::AccessLog),
        key: row.get(4)?,
        version: row.get(5)?,
        body: row.get(6)?,
        author: row.get(7)?,
        created: row.get(8)?,
    })
}

pub(super) fn records(
    connection: &Connection,
    person: &PersonKey,
    kind: Option<RecordKind>,
) -> Result<Vec<RecordVersion>> {
    let kind = kind.map(kind_text).unwrap_or("");
    let rows = connection
        .prepare_cached(&sqlite_text(sql::infobase::RECORDS))?
        .query_map(params![person.insurer, person.insured, kind], version)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn set_consent(
    connection: &Connection,
    person: &PersonKey,
    consent: Consent,
    by: &str,
    time: i64,
) -> Result<()> {
    connection
        .prepare_cached(
            "INSERT INTO base_consents (insurer, insured, state, recorded_by, changed) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (insurer, insured) DO UPDATE SET \
             state = ?3, recorded_by = ?4, changed = ?5",
        )?
        .execute(params![
            person.insurer,
            person.insured,
            consent_text(consent),
            by,
            time
        ])?;
    Ok(())
}

/// A line of the person's access log for a change of their consent.
pub(super) fn log_consent(
    connection: &Connection,
    person: &PersonKey,
    consent: Consent,
    by: &str,
    time: i64,
) -> Result<()> {
    log_access(
        connection,
        &[Access {
            person: person.clone(),
            viewer: by.to_owned(),
            action: AccessAction::Consent(consent),
            kind: RecordKind::AccessLog,
            refusal: None,
            time,
        }],
    )
}

pub(super) fn withdrawn_consents(connection: &Connection, insurer: &str) -> Result<Vec<String>> {
    let rows = connection
        .prepare_cached(&sqlite_text(sql::infobase::WITHDRAWN_CONSENTS))?
        .query_map([insurer], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows)
}

pub(super) fn consent(connection: &Connection, person: &PersonKey) -> Result<Consent> {
    let state: Option<String> = connection
        .prepare_cached(&sqlite_text(sql::infobase::CONSENT))?
        .query_row(params![person.insurer, person.insured], |r| r.get(0))
        .optional()?;
    Ok(state.as_deref().map_or(Consent::None, consent_of))
}

pub(super) fn set_registration(
    connection: &Connection,
    person: &PersonKey,
    office: &str,
    confirmed_by: Option<&str>,
    time: i64,
) -> Result<()> {
    match confirmed_by {
        Some(by) => connection
            .prepare_cached(&sqlite_text(sql::infobase::REGISTER_OFFICE))?
            .execute(params![person.insurer, person.insured, office, by, time])?,
        None => connection
            .prepare_cached(&sqlite_text(sql::infobase::END_REGISTRATION))?
            .execute(params![person.insurer, person.insured, office, time])?,
    };
    Ok(())
}

pub(super) fn registrations(
    connection: &Connection,
    person: &PersonKey,
) -> Result<Vec<Registration>> {
    let rows = connection
        .prepare_cached(&sqlite_text(sql::infobase::REGISTRATIONS))?
        .query_map(params![person.insurer, person.insured], |r| {
            Ok(Registration {
                office: r.get(0)?,
                confirmed_by: r.get(1)?,
                registered: r.get(2)?,
                ended: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn log_access(connection: &Connection, accesses: &[Access]) -> Result<()> {
    let mut insert = connection.prepare_cached(&sqlite_text(sql::infobase::LOG_ACCESS))?;
    for a in accesses {
        insert.execute(params![
            a.person.insurer,
            a.person.insured,
            a.viewer,
            kind_text(a.kind),
            a.refusal,
            a.time,
            a.action.to_text()
        ])?;
    }
    Ok(())
}

pub(super) fn access_log(
    connection: &Connection,
    person: &PersonKey,
    limit: usize,
    offset: usize,
) -> Result<Vec<Access>> {
    let rows = connection
        .prepare_cached(&sqlite_text(sql::infobase::ACCESS_LOG))?
        .query_map(
            params![person.insurer, person.insured, limit, offset],
            |r| {
                let kind: String = r.get(1)?;
                let action: String = r.get(4)?;
                Ok(Access {
                    person: person.clone(),
                    viewer: r.get(0)?,
                    action: AccessAction::of_text(&action),
                    kind: kind_of(&kind).unwrap_or(RecordKind::AccessLog),
                    refusal: r.get(2)?,
                    time: r.get(3)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn latest_records(
    connection: &Connection,
    insurer: &str,
    kind: RecordKind,
    limit: usize,
    offset: usize,
) -> Result<Vec<RecordVersion>> {
    let rows = connection
        .prepare_cached(&sqlite_text(sql::infobase::LATEST_RECORDS))?
        .query_map(
            params![insurer, kind_text(kind), limit as i64, offset as i64],
            version,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn request_registration(
    connection: &Connection,
    person: &PersonKey,
    office: &str,
    time: i64,
) -> Result<()> {
    connection
        .prepare_cached(&sqlite_text(sql::infobase::REQUEST_REGISTRATION))?
        .execute(params![person.insurer, person.insured, office, time])?;
    Ok(())
}

pub(super) fn registration_requests(
    connection: &Connection,
    person: &PersonKey,
) -> Result<Vec<RegistrationRequest>> {
    let rows = connection
        .prepare_cached(&sqlite_text(sql::infobase::REGISTRATION_REQUESTS))?
        .query_map(params![person.insurer, person.insured], |r| {
            Ok(RegistrationRequest {
                office: r.get(0)?,
                requested: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(super) fn drop_registration_request(
    connection: &Connection,
    person: &PersonKey,
    office: &str,
) -> Result<bool> {
    let dropped = connection
        .prepare_cached(&sqlite_text(sql::infobase::DROP_REGISTRATION_REQUEST))?
        .execute(params![person.insurer, person.insured, office])?;
    Ok(dropped > 0)
}
