//! Who is calling: the office behind a TLS client certificate.
//!
//! TLS proves the caller holds the certificate's key; this module decides whether the
//! certificate still speaks for an office — issued by our authority, within its dates, not
//! revoked, its office not stopped — and says which of these failed. The verdict of the
//! register is cached for a few seconds so that a busy connection does not read the
//! database on every request, yet a revocation (even by another hub process) takes effect
//! promptly.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use renkei_seal::{Certificate, Trust, format_unix};

use crate::store::{Backend, CertificateRecord, Office, OfficeStore};
use crate::{Error, Result};

/// How long a register lookup is trusted before it is read again.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// Entries kept before the cache is emptied (bounded memory under many offices).
const MAX_CACHED: usize = 50_000;

/// An office authenticated by its certificate.
#[derive(Clone, Debug)]
pub struct Caller {
    pub certificate: Certificate,
    pub record: CertificateRecord,
    pub office: Office,
}

impl Caller {
    pub fn number(&self) -> &str {
        &self.office.number
    }
}

#[derive(Debug, Default)]
pub(crate) struct Callers {
    known: Mutex<HashMap<Vec<u8>, (Caller, Instant)>>,
}

impl Callers {
    /// The office presenting `der` at `time`, or why it may not act.
    pub(crate) async fn authenticate(
        &self,
        store: &Backend,
        trust: &Trust,
        der: &[u8],
        time: i64,
    ) -> Result<Caller> {
        let cached = self
            .known
            .lock()
            .ok()
            .and_then(|known| known.get(der).cloned())
            .filter(|(_, read)| read.elapsed() < FRESH_FOR)
            .map(|(caller, _)| caller);
        let caller = match cached {
            Some(caller) => caller,
            None => {
                let caller = look_up(store, trust, der).await?;
                if let Ok(mut known) = self.known.lock() {
                    if known.len() >= MAX_CACHED {
                        known.clear();
                    }
                    known.insert(der.to_vec(), (caller.clone(), Instant::now()));
                }
                caller
            }
        };
        standing(&caller, time)?;
        Ok(caller)
    }

    /// Forget what is cached, after a revocation or a stop through this process.
    pub(crate) fn forget(&self) {
        if let Ok(mut known) = self.known.lock() {
            known.clear();
        }
    }
}

async fn look_up(store: &Backend, trust: &Trust, der: &[u8]) -> Result<Caller> {
    let certificate =
        Certificate::from_der(der).map_err(|e| Error::CertificateUnknown(e.to_string()))?;
    match trust.verify(&certificate) {
        Ok(()) => {}
        // Dates are judged below on every request, from the register.
        Err(renkei_seal::Error::Expired { .. } | renkei_seal::Error::NotYetValid { .. }) => {}
        Err(e) => return Err(Error::CertificateUnknown(e.to_string())),
    }
    let record = store
        .certificate(&certificate.fingerprint())
        .await?
        .ok_or_else(|| {
            Error::CertificateUnknown(
                "この中継サーバーの登録簿にない証明書です / not in this relay's register".into(),
            )
        })?;
    let office = store
        .office(&record.office)
        .await?
        .ok_or_else(|| Error::NoOffice(record.office.clone()))?;
    Ok(Caller {
        certificate,
        record,
        office,
    })
}

fn standing(caller: &Caller, time: i64) -> Result<()> {
    let record = &caller.record;
    if let Some(_revoked) = record.revoked {
        return Err(Error::CertificateRevoked {
            serial: record.serial.clone(),
            reason: record
                .revocation_reason
                .clone()
                .unwrap_or_else(|| "理由なし / none given".into()),
        });
    }
    if time >= record.not_after {
        return Err(Error::CertificateExpired {
            not_after: format_unix(record.not_after),
        });
    }
    if time < record.not_before {
        return Err(Error::CertificateNotYetValid {
            not_before: format_unix(record.not_before),
        });
    }
    if !caller.office.active {
        return Err(Error::OfficeInactive(caller.office.number.clone()));
    }
    Ok(())
}
