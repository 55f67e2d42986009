//! Enrolment: the operator issues a one-time code for an office; the office makes its own
//! key pair and sends a certificate request with the code; the authority signs it. The
//! private key never leaves the office.

use renkei_seal::{CertificateRequest, OfficeIdentity};

use super::Relay;
use crate::store::{CertificateRecord, EnrolmentCode, Office, OfficeStore};
use crate::{Error, Result};

/// Letters of a code: no 0/O, 1/I/L, so a code read over the phone is typed right.
const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ_";
const CODE_GROUPS: usize = 4;
const GROUP_LENGTH: usize = 4;

/// A code as shown once to the operator.
#[derive(Clone, Debug)]
pub struct IssuedCode {
    /// `ABCD-EFGH-JKMN-PQRS`.
    pub code: String,
    pub office: String,
    pub expires: i64,
}

/// What an office receives on enrolment.
#[derive(Clone, Debug)]
pub struct Enrolled {
    pub office: Office,
    pub certificate_pem: String,
    pub authority_pem: String,
}

/// The code as typed (any case, with or without hyphens and spaces) in the form whose
/// digest is kept.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}' | 'ー'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn code_digest(code: &str) -> String {
    renkei_seal::sha256_hex(normalise_code(code).as_bytes())
}

impl Relay {
    /// A new one-time code enrolling office `number` with `name` and service `kinds`; a
    /// municipality by its 保険者番号 with no kinds; a clinic with [`CLINIC_MARK`] among
    /// its kinds (and the care services it also provides, if any).
    ///
    /// [`CLINIC_MARK`]: renkei_infobase::CLINIC_MARK
    pub async fn issue_code(
        &self,
        number: &str,
        name: &str,
        kinds: &[String],
        time: i64,
    ) -> Result<IssuedCode> {
        let kind_refs: Vec<&str> = kinds.iter().map(String::as_str).collect();
        // The identity the certificate will carry, checked now rather than at enrolment.
        let identity = OfficeIdentity::new(number, &kind_refs, name)
            .map_err(|e| Error::BadRequest(e.to_string()))?;
        // A municipality (保険者番号) has no service kinds; a clinic carries its mark.
        if (identity.kinds.is_empty() && !identity.is_municipality()) || name.trim().is_empty() {
            return Err(Error::BadRequest(
                "事業所名とサービス種類コードを1つ以上指定してください / give the office name and at least one service kind".into(),
            ));
        }
        // 31 letters (the last is never used) would skew; take 5 bits per letter from
        // random bytes and skip the unused letter's value.
        let mut letters = String::new();
        while letters.len() < CODE_GROUPS * GROUP_LENGTH {
            for byte in renkei_seal::random_bytes::<32>()? {
                let letter = CODE_ALPHABET[usize::from(byte & 31)];
                if letter != b'_' && letters.len() < CODE_GROUPS * GROUP_LENGTH {
                    letters.push(char::from(letter));
                }
            }
        }
        let code = letters
            .as_bytes()
            .chunks(GROUP_LENGTH)
            .map(|g| String::from_utf8_lossy(g).into_owned())
            .collect::<Vec<_>>()
            .join("-");
        let expires = time + self.config.code_validity;
        self.store
            .add_code(EnrolmentCode {
                code_sha256: code_digest(&code),
                office: identity.number.clone(),
                name: identity.name,
                kinds: identity.kinds,
                created: time,
                expires,
                used: None,
            })
            .await?;
        tracing::info!(office = %identity.number, "enrolment code issued");
        Ok(IssuedCode {
            code,
            office: identity.number,
            expires,
        })
    }

    /// Use `code` to certify the key in `request_pem`.
    pub async fn enrol(&self, code: &str, request_pem: &str, time: i64) -> Result<Enrolled> {
        let digest = code_digest(code);
        let found = self
            .store
            .code(&digest)
            .await?
            .ok_or(Error::EnrolmentCodeUnknown)?;
        if found.used.is_some() {
            return Err(Error::EnrolmentCodeUsed);
        }
        if found.expires <= time {
            return Err(Error::EnrolmentCodeExpired);
        }
        let request = CertificateRequest::from_pem(request_pem.as_bytes())
            .map_err(|e| Error::BadRequest(e.to_string()))?;
        let named = request.office_number().unwrap_or_default();
        if named != found.office {
            return Err(Error::EnrolmentOfficeMismatch {
                request: named,
                code: found.office,
            });
        }
        let kinds: Vec<&str> = found.kinds.iter().map(String::as_str).collect();
        let identity = OfficeIdentity::new(&found.office, &kinds, &found.name)?;
        let days = self.config.certificate_days;
        let certificate = self
            .authority
            .issue_office_until(&request, &identity, time + i64::from(days) * super::DAY)
            .map_err(|e| match e {
                renkei_seal::Error::BadSignature(_) => Error::BadRequest(e.to_string()),
                other => Error::Seal(other),
            })?;
        let certificate_pem = pem_text(&certificate.to_pem()?)?;
        let record = CertificateRecord {
            fingerprint: certificate.fingerprint(),
            serial: certificate.serial(),
            office: found.office,
            pem: certificate_pem.clone(),
            not_before: certificate.not_before(),
            not_after: certificate.not_after(),
            issued: time,
            revoked: None,
            revocation_reason: None,
        };
        let office = self.store.enrol(&digest, record, time).await?;
        tracing::info!(office = %office.number, name = %office.name, "enrolled");
        Ok(Enrolled {
            office,
            certificate_pem,
            authority_pem: pem_text(&self.authority.certificate.to_pem()?)?,
        })
    }
}

fn pem_text(pem: &[u8]) -> Result<String> {
    String::from_utf8(pem.to_vec()).map_err(|e| Error::Tls(e.to_string()))
}
