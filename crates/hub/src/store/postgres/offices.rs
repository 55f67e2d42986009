//! Offices, certificates, enrolment codes and operators on PostgreSQL: the same queries as
//! `sqlite::offices`, in PostgreSQL's dialect.

use tokio_postgres::{GenericClient, Row};

use super::database;
use crate::store::offices::{LikePatterns, join_kinds, split_kinds};
use crate::store::{CertificateRecord, EnrolmentCode, Office, OfficeQuery};
use crate::{Error, Result};

const OFFICE_COLUMNS: &str = "number, name, kinds, prefecture, active, enrolled";
const CERTIFICATE_COLUMNS: &str = "fingerprint, serial, office, pem, not_before, not_after, issued, \
     revoked, revocation_reason";

fn office_from_row(row: &Row) -> Office {
    let kinds: String = row.get(2);
    Office {
        number: row.get(0),
        name: row.get(1),
        kinds: split_kinds(&kinds),
        prefecture: row.get::<_, i16>(3) as u8,
        active: row.get(4),
        enrolled: row.get(5),
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
            "INSERT INTO enrolment_codes (code_sha256, office, name, kinds, created, expires) \
             VALUES ($1, $2, $3, $4, $5, $6)",
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
        .query_opt(
            "SELECT code_sha256, office, name, kinds, created, expires, used \
             FROM enrolment_codes WHERE code_sha256 = $1",
            &[&code_sha256],
        )
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
        .execute(
            "UPDATE enrolment_codes SET used = $2 WHERE code_sha256 = $1",
            &[&code_sha256, &time],
        )
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
            &format!(
                "INSERT INTO certificates ({CERTIFICATE_COLUMNS}) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)"
            ),
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
        .query_opt(
            &format!("SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE fingerprint = $1"),
            &[&fingerprint],
        )
        .await
        .map_err(database)?;
    Ok(row.as_ref().map(certificate_from_row))
}

pub(super) async fn office(client: &impl GenericClient, number: &str) -> Result<Option<Office>> {
    let row = client
        .query_opt(
            &format!("SELECT {OFFICE_COLUMNS} FROM offices WHERE number = $1"),
            &[&number],
        )
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
        .query_opt(
            &format!(
                "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE office = $1 \
                 AND revoked IS NULL AND not_before <= $2 AND $2 < not_after \
                 ORDER BY issued DESC, not_after DESC LIMIT 1"
            ),
            &[&number, &time],
        )
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

pub(super) async fn set_active(
    client: &impl GenericClient,
    number: &str,
    active: bool,
) -> Result<()> {
    let changed = client
        .execute(
            "UPDATE offices SET active = $2 WHERE number = $1",
            &[&number, &active],
        )
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
            "INSERT INTO operators (name, password_hash, created, totp_secret) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, \
             totp_secret = excluded.totp_secret, totp_step = NULL",
            &[&name, &password_hash, &time, &totp_secret],
        )
        .await
        .map_err(database)?;
    // A new password ends the sessions of the old one.
    client
        .execute(
            "DELETE FROM operator_sessions WHERE operator = $1",
            &[&name],
        )
        .await
        .map_err(database)?;
    Ok(())
}

pub(super) async fn operator_password(
    client: &impl GenericClient,
    name: &str,
) -> Result<Option<(String, Option<String>)>> {
    let row = client
        .query_opt(
            "SELECT password_hash, totp_secret FROM operators WHERE name = $1",
            &[&name],
        )
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
        .execute(
            "UPDATE operators SET totp_step = $2 WHERE name = $1 \
             AND (totp_step IS NULL OR totp_step < $2)",
            &[&name, &step],
        )
        .await
        .map_err(database)?;
    Ok(claimed == 1)
}

/// Sessions that expired this long before a new one's end are swept when it is added.
const SESSION_SWEEP_AGE: i64 = 7 * 24 * 3600;

pub(super) async fn add_session(
    client: &impl GenericClient,
    token_sha256: &str,
    operator: &str,
    expires: i64,
) -> Result<()> {
    client
        .execute(
            "DELETE FROM operator_sessions WHERE expires <= $1",
            &[&(expires - SESSION_SWEEP_AGE)],
        )
        .await
        .map_err(database)?;
    client
        .execute(
            "INSERT INTO operator_sessions (token_sha256, operator, expires) VALUES ($1, $2, $3)",
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
        .query_opt(
            "SELECT operator FROM operator_sessions WHERE token_sha256 = $1 AND expires > $2",
            &[&token_sha256, &time],
        )
        .await
        .map_err(database)?;
    Ok(row.map(|r| r.get(0)))
}
