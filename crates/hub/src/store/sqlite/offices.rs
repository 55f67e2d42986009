//! Offices, certificates, enrolment codes and operators on SQLite. Each function runs on a
//! connection the store hands it: the writer's for writes, a reader's for reads.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::store::offices::{LikePatterns, join_kinds, split_kinds};
use crate::store::sql;
use crate::store::sql::columns::{CERTIFICATE_COLUMNS, OFFICE_COLUMNS};
use crate::store::sql::sqlite_text;
use crate::store::{CertificateRecord, EnrolmentCode, Office, OfficeQuery};
use crate::{Error, Result};

fn office_from_row(row: &Row<'_>) -> rusqlite::Result<Office> {
    let kinds: String = row.get(2)?;
    Ok(Office {
        number: row.get(0)?,
        name: row.get(1)?,
        kinds: split_kinds(&kinds),
        prefecture: row.get(3)?,
        active: row.get(4)?,
        enrolled: row.get(5)?,
        csv_reads: split_kinds(&row.get::<_, String>(6)?),
        csv_writes: split_kinds(&row.get::<_, String>(7)?),
    })
}

fn certificate_from_row(row: &Row<'_>) -> rusqlite::Result<CertificateRecord> {
    Ok(CertificateRecord {
        fingerprint: row.get(0)?,
        serial: row.get(1)?,
        office: row.get(2)?,
        pem: row.get(3)?,
        not_before: row.get(4)?,
        not_after: row.get(5)?,
        issued: row.get(6)?,
        revoked: row.get(7)?,
        revocation_reason: row.get(8)?,
    })
}

fn code_from_row(row: &Row<'_>) -> rusqlite::Result<EnrolmentCode> {
    let kinds: String = row.get(3)?;
    Ok(EnrolmentCode {
        code_sha256: row.get(0)?,
        office: row.get(1)?,
        name: row.get(2)?,
        kinds: split_kinds(&kinds),
        created: row.get(4)?,
        expires: row.get(5)?,
        used: row.get(6)?,
    })
}

pub(super) fn add_code(connection: &Connection, code: &EnrolmentCode) -> Result<()> {
    connection
        .prepare_cached(&sqlite_text(sql::offices::ADD_CODE))?
        .execute(params![
            code.code_sha256,
            code.office,
            code.name,
            join_kinds(&code.kinds),
            code.created,
            code.expires
        ])?;
    Ok(())
}

pub(super) fn code(connection: &Connection, code_sha256: &str) -> Result<Option<EnrolmentCode>> {
    Ok(connection
        .prepare_cached(&sqlite_text(sql::offices::CODE))?
        .query_row([code_sha256], code_from_row)
        .optional()?)
}

pub(super) fn enrol(
    connection: &Connection,
    code_sha256: &str,
    certificate: &CertificateRecord,
    time: i64,
) -> Result<Office> {
    let code = code(connection, code_sha256)?.ok_or(Error::EnrolmentCodeUnknown)?;
    if code.used.is_some() {
        return Err(Error::EnrolmentCodeUsed);
    }
    if code.expires <= time {
        return Err(Error::EnrolmentCodeExpired);
    }
    connection
        .prepare_cached(&sqlite_text(sql::offices::USE_CODE))?
        .execute(params![code_sha256, time])?;
    let prefecture: u8 = code.office[..2]
        .parse()
        .map_err(|_| Error::Database(format!("bad office number '{}'", code.office)))?;
    // Enrolling again (a new key, a lost PC) keeps the office and its history, and its
    // standing: a stopped office stays stopped until the operator starts it again, so no
    // code (an old one included) restarts it.
    connection
        .prepare_cached(
            "INSERT INTO offices (number, name, kinds, prefecture, active, enrolled) \
             VALUES (?1, ?2, ?3, ?4, 1, ?5) \
             ON CONFLICT (number) DO UPDATE SET name = excluded.name, kinds = excluded.kinds",
        )?
        .execute(params![
            code.office,
            code.name,
            join_kinds(&code.kinds),
            prefecture,
            time
        ])?;
    connection
        .prepare_cached(&sqlite_text(sql::offices::ADD_CERTIFICATE))?
        .execute(params![
            certificate.fingerprint,
            certificate.serial,
            code.office,
            certificate.pem,
            certificate.not_before,
            certificate.not_after,
            certificate.issued,
        ])?;
    office(connection, &code.office)?.ok_or(Error::NoOffice(code.office))
}

pub(super) fn certificate(
    connection: &Connection,
    fingerprint: &str,
) -> Result<Option<CertificateRecord>> {
    Ok(connection
        .prepare_cached(&sqlite_text(sql::offices::CERTIFICATE))?
        .query_row([fingerprint], certificate_from_row)
        .optional()?)
}

pub(super) fn office(connection: &Connection, number: &str) -> Result<Option<Office>> {
    Ok(connection
        .prepare_cached(&sqlite_text(sql::offices::OFFICE))?
        .query_row([number], office_from_row)
        .optional()?)
}

pub(super) fn current_certificate(
    connection: &Connection,
    number: &str,
    time: i64,
) -> Result<Option<CertificateRecord>> {
    Ok(connection
        .prepare_cached(&sqlite_text(sql::offices::CURRENT_CERTIFICATE))?
        .query_row(params![number, time], certificate_from_row)
        .optional()?)
}

pub(super) fn offices(
    connection: &Connection,
    query: &OfficeQuery,
    time: i64,
) -> Result<Vec<(Office, Option<CertificateRecord>)>> {
    let LikePatterns { number, name, kind } = query.like_patterns();
    let sql = format!(
        "SELECT {OFFICE_COLUMNS} FROM offices \
         WHERE (?1 IS NULL OR number LIKE ?1 ESCAPE '\\') \
         AND (?2 IS NULL OR name LIKE ?2 ESCAPE '\\') \
         AND (?3 IS NULL OR ',' || kinds || ',' LIKE ?3 ESCAPE '\\') \
         AND (?4 IS NULL OR prefecture = ?4) \
         ORDER BY number LIMIT ?5"
    );
    let found = connection
        .prepare_cached(&sql)?
        .query_map(
            params![number, name, kind, query.prefecture, query.limit],
            office_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    found
        .into_iter()
        .map(|office| {
            let certificate = current_certificate(connection, &office.number, time)?;
            Ok((office, certificate))
        })
        .collect()
}

pub(super) fn revoke(
    connection: &Connection,
    office_number: &str,
    serial: Option<&str>,
    reason: &str,
    time: i64,
) -> Result<Vec<CertificateRecord>> {
    if office(connection, office_number)?.is_none() {
        return Err(Error::NoOffice(office_number.to_owned()));
    }
    let revoked = connection
        .prepare_cached(&format!(
            "UPDATE certificates SET revoked = ?3, revocation_reason = ?4 \
             WHERE office = ?1 AND (?2 IS NULL OR serial = ?2) AND revoked IS NULL \
             RETURNING {CERTIFICATE_COLUMNS}"
        ))?
        .query_map(
            params![office_number, serial, time, reason],
            certificate_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(revoked)
}

pub(super) fn set_active(connection: &Connection, number: &str, active: bool) -> Result<()> {
    let changed = connection
        .prepare_cached(&sqlite_text(sql::offices::SET_ACTIVE))?
        .execute(params![number, active])?;
    if changed == 0 {
        return Err(Error::NoOffice(number.to_owned()));
    }
    Ok(())
}

pub(super) fn set_csv_versions(
    connection: &Connection,
    number: &str,
    reads: &str,
    writes: &str,
) -> Result<()> {
    let changed = connection
        .prepare_cached(&sqlite_text(sql::offices::SET_CSV_VERSIONS))?
        .execute(params![number, reads, writes])?;
    if changed == 0 {
        return Err(Error::NoOffice(number.to_owned()));
    }
    Ok(())
}

pub(super) fn set_operator(
    connection: &Connection,
    name: &str,
    password_hash: &str,
    totp_secret: &str,
    time: i64,
) -> Result<()> {
    connection
        .prepare_cached(&sqlite_text(sql::offices::SET_OPERATOR))?
        .execute(params![name, password_hash, time, totp_secret])?;
    // A new password ends the sessions of the old one.
    connection
        .prepare_cached(&sqlite_text(sql::offices::END_OPERATOR_SESSIONS))?
        .execute([name])?;
    Ok(())
}

pub(super) fn operator_password(
    connection: &Connection,
    name: &str,
) -> Result<Option<(String, Option<String>)>> {
    Ok(connection
        .prepare_cached(&sqlite_text(sql::offices::OPERATOR_PASSWORD))?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub(super) fn claim_operator_step(connection: &Connection, name: &str, step: i64) -> Result<bool> {
    let claimed = connection
        .prepare_cached(&sqlite_text(sql::offices::CLAIM_OPERATOR_STEP))?
        .execute(params![name, step])?;
    Ok(claimed == 1)
}

pub(super) fn add_session(
    connection: &Connection,
    token_sha256: &str,
    operator: &str,
    expires: i64,
) -> Result<()> {
    connection
        .prepare_cached(&sqlite_text(sql::offices::SWEEP_OPERATOR_SESSIONS))?
        .execute([expires - SESSION_SWEEP_AGE])?;
    connection
        .prepare_cached(&sqlite_text(sql::offices::ADD_OPERATOR_SESSION))?
        .execute(params![token_sha256, operator, expires])?;
    Ok(())
}

use crate::store::SESSION_SWEEP_AGE;

pub(super) fn session(
    connection: &Connection,
    token_sha256: &str,
    time: i64,
) -> Result<Option<String>> {
    Ok(connection
        .prepare_cached(&sqlite_text(sql::offices::OPERATOR_SESSION))?
        .query_row(params![token_sha256, time], |r| r.get(0))
        .optional()?)
}
