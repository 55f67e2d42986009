//! Offices, certificates, enrolment codes and operators on PostgreSQL: the same queries as
//! `sqlite::offices`, in PostgreSQL's dialect.

use tokio_postgres::{GenericClient, Row};

use super::database;
use crate::store::offices::{LikePatterns, join_kinds, split_kinds};
use crate::store::sql;
use crate::store::sql::columns::{CERTIFICATE_COLUMNS, OFFICE_COLUMNS};
use crate::store::{CertificateRecord, EnrolmentCode, Office, OfficeQuery};
use crate::{Error, Result};

fn office_from_row(row: &Row) -> Office {
    let kinds: String = row.get(2);
    Office {
        number: row.get(0),
        name: row.get(1),
        kinds: split_kinds(&kinds),
        prefecture: row.get::<_, i16>(3) as u8,
        active: row.get(4),
        enrolled: row.get(5),
        csv_reads: split_kinds(row.get(6)),
        csv_writes: split_kinds(row.get(7)),
    }
}

fn certificate_from_row(row: &Row) -> CertificateRecord {
    CertificateRecord {
        fingerprint: row.get(0),
        serial: row.get(1),
        office: row.get(2),
        pem: row.get(3),
        not_before: row.get(4),
        not_after: row.get(5),
        issued: row.get(6),
        revoked: row.get(7),
        revocation_reason: row.get(8),
    }
}

pub(super) async fn add_code(client: &impl GenericClient, code: &EnrolmentCode) -> Result<()> {
    client
        .execute(
            sql::offices::ADD_CODE,
            &[
                &code.code_sha256,
                &code.office,
                &code.name,
                &join_kinds(&code.kinds),
                &code.created,
                &code.expires,
            ],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn code(
    client: &impl GenericClient,
    code_sha256: &str,
) -> Result<Option<EnrolmentCode>> {
    let row = client
        .query_opt(sql::offices::CODE, &[&code_sha256])
        .await
        .map_err(database)?;
    Ok(row.map(|row| {
        let kinds: String = row.get(3);
        EnrolmentCode {
            code_sha256: row.get(0),
            office: row.get(1),
            name: row.get(2),
            kinds: split_kinds(&kinds),
            created: row.get(4),
            expires: row.get(5),
            used: row.get(6),
        }
    }))
}

pub(super) async fn enrol(
    client: &impl GenericClient,
    code_sha256: &str,
    certificate: &CertificateRecord,
    time: i64,
) -> Result<Office> {
    let code = code(client, code_sha256)
        .await?
        .ok_or(Error::EnrolmentCodeUnknown)?;
    if code.used.is_some() {
        return Err(Error::EnrolmentCodeUsed);
    }
    if code.expires <= time {
        return Err(Error::EnrolmentCodeExpired);
    }
    client
        .execute(sql::offices::USE_CODE, &[&code_sha256, &time])
        .await
        .map_err(database)?;
    let prefecture: i16 = code.office[..2]
        .parse()
        .map_err(|_| Error::Database(format!("bad office number '{}'", code.office)))?;
    client
        .execute(
            "INSERT INTO offices (number, name, kinds, prefecture, active, enrolled) \
             VALUES ($1, $2, $3, $4, TRUE, $5) \
             ON CONFLICT (number) DO UPDATE SET name = excluded.name, kinds = excluded.kinds",
            &[
                &code.office,
                &code.name,
                &join_kinds(&code.kinds),
                &prefecture,
                &time,
            ],
        )
        .await
        .map_err(database)?;
    client
        .execute(
            sql::offices::ADD_CERTIFICATE,
            &[
                &certificate.fingerprint,
                &certificate.serial,
                &code.office,
                &certificate.pem,
                &certificate.not_before,
                &certificate.not_after,
                &certificate.issued,
            ],
        )
        .await
        .map_err(database)?;
    office(client, &code.office)
        .await?
        .ok_or(Error::NoOffice(code.office))
}

pub(super) async fn certificate(
    client: &impl GenericClient,
    fingerprint: &str,
) -> Result<Option<CertificateRecord>> {
    let row = client
        .query_opt(sql::offices::CERTIFICATE, &[&fingerprint])
        .await
        .map_err(database)?;
    Ok(row.as_ref().map(certificate_from_row))
}

pub(super) async fn office(client: &impl GenericClient, number: &str) -> Result<Option<Office>> {
    let row = client
        .query_opt(sql::offices::OFFICE, &[&number])
        .await
        .map_err(database)?;
    Ok(row.as_ref().map(office_from_row))
}

pub(super) async fn current_certificate(
    client: &impl GenericClient,
    number: &str,
    time: i64,
) -> Result<Option<CertificateRecord>> {
    let row = client
        .query_opt(sql::offices::CURRENT_CERTIFICATE, &[&number, &time])
        .await
        .map_err(database)?;
    Ok(row.as_ref().map(certificate_from_row))
}

pub(super) async fn offices(
    client: &impl GenericClient,
    query: &OfficeQuery,
    time: i64,
) -> Result<Vec<(Office, Option<CertificateRecord>)>> {
    let LikePatterns { number, name, kind } = query.like_patterns();
    let prefecture = query.prefecture.map(i16::from);
    let sql = format!(
        "SELECT {OFFICE_COLUMNS} FROM offices \
         WHERE ($1::TEXT IS NULL OR number LIKE $1) \
         AND ($2::TEXT IS NULL OR name LIKE $2) \
         AND ($3::TEXT IS NULL OR ',' || kinds || ',' LIKE $3) \
         AND ($4::SMALLINT IS NULL OR prefecture = $4) \
         ORDER BY number LIMIT $5"
    );
    let rows = client
        .query(
            &sql,
            &[&number, &name, &kind, &prefecture, &(query.limit as i64)],
        )
        .await
        .map_err(database)?;
    let mut found = Vec::with_capacity(rows.len());
    for row in &rows {
        let office = office_from_row(row);
        let certificate = current_certificate(client, &office.number, time).await?;
        found.push((office, certificate));
    }
    Ok(found)
}

pub(super) async fn revoke(
    client: &impl GenericClient,
    office_number: &str,
    serial: Option<&str>,
    reason: &str,
    time: i64,
) -> Result<Vec<CertificateRecord>> {
    if office(client, office_number).await?.is_none() {
        return Err(Error::NoOffice(office_number.to_owned()));
    }
    let rows = client
        .query(
            &format!(
                "UPDATE certificates SET revoked = $3, revocation_reason = $4 \
                 WHERE office = $1 AND ($2::TEXT IS NULL OR serial = $2) AND revoked IS NULL \
                 RETURNING {CERTIFICATE_COLUMNS}"
            ),
            &[&office_number, &serial, &time, &reason],
        )
        .await
        .map_err(database)?;
    Ok(rows.iter().map(certificate_from_row).collect())
}

pub(super) async fn set_csv_versions(
    client: &impl GenericClient,
    number: &str,
    reads: &str,
    writes: &str,
) -> Result<()> {
    let changed = client
        .execute(sql::offices::SET_CSV_VERSIONS, &[&number, &reads, &writes])
        .await
        .map_err(database)?;
    if changed == 0 {
        return Err(Error::NoOffice(number.to_owned()));
    }
    Ok(())
}

pub(super) async fn set_active(
    client: &impl GenericClient,
    number: &str,
    active: bool,
) -> Result<()> {
    let changed = client
        .execute(sql::offices::SET_ACTIVE, &[&number, &active])
        .await
        .map_err(database)?;
    if changed == 0 {
        return Err(Error::NoOffice(number.to_owned()));
    }
    Ok(())
}

pub(super) async fn set_operator(
    client: &impl GenericClient,
    name: &str,
    password_hash: &str,
    totp_secret: &str,
    time: i64,
) -> Result<()> {
    client
        .execute(
            sql::offices::SET_OPERATOR,
            &[&name, &password_hash, &time, &totp_secret],
        )
        .await
        .map_err(database)?;
    // A new password ends the sessions of the old one.
    client
        .execute(sql::offices::END_OPERATOR_SESSIONS, &[&name])
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn operator_password(
    client: &impl GenericClient,
    name: &str,
) -> Result<Option<(String, Option<String>)>> {
    let row = client
        .query_opt(sql::offices::OPERATOR_PASSWORD, &[&name])
        .await
        .map_err(database)?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

pub(super) async fn claim_operator_step(
    client: &impl GenericClient,
    name: &str,
    step: i64,
) -> Result<bool> {
    let claimed = client
        .execute(sql::offices::CLAIM_OPERATOR_STEP, &[&name, &step])
        .await
        .map_err(database)?;
    Ok(claimed == 1)
}

use crate::store::SESSION_SWEEP_AGE;

pub(super) async fn add_session(
    client: &impl GenericClient,
    token_sha256: &str,
    operator: &str,
    expires: i64,
) -> Result<()> {
    client
        .execute(
            sql::offices::SWEEP_OPERATOR_SESSIONS,
            &[&(expires - SESSION_SWEEP_AGE)],
        )
        .await
        .map_err(database)?;
    client
        .execute(
            sql::offices::ADD_OPERATOR_SESSION,
            &[&token_sha256, &operator, &expires],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn session(
    client: &impl GenericClient,
    token_sha256: &str,
    time: i64,
) -> Result<Option<String>> {
    let row = client
        .query_opt(sql::offices::OPERATOR_SESSION, &[&token_sha256, &time])
        .await
        .map_err(database)?;
    Ok(row.map(|r| r.get(0)))
}
