//! An office at work: its profile, its ledger and its connection to the relay.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use renkei_proto::OfficeView;
use renkei_seal::Certificate;

use crate::client::HubClient;
use crate::ledger::Ledger;
use crate::profile::Profile;
use crate::retry::Retry;
use crate::{Error, Result};

/// Sizes an office keeps to before anything is sent.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest parcel made from a folder; more files to one office make more parcels.
    pub max_parcel_bytes: u64,
    /// The largest attachment (a PDF report, an image).
    pub max_attachment_bytes: u64,
    /// Files changed more recently than this are left for the next round: the care
    /// software may still be writing them. Zero for a sync run by hand after an export.
    pub settle: std::time::Duration,
    /// What one received parcel may hold when it is opened.
    pub archive: renkei_seal::ArchiveLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_parcel_bytes: 16 * 1024 * 1024,
            max_attachment_bytes: 10 * 1024 * 1024,
            settle: std::time::Duration::ZERO,
            archive: renkei_seal::ArchiveLimits::default(),
        }
    }
}

#[derive(Debug)]
pub struct Office {
    pub profile: Profile,
    pub ledger: Ledger,
    pub client: HubClient,
    pub retry: Retry,
    pub limits: Limits,
    /// Recent directory answers, by office number, with when they were had.
    directory: Mutex<HashMap<String, (Instant, OfficeView)>>,
}

/// How long a directory answer is used before it is asked again: a month's sync asks once
/// per partner, yet a re-enrolled or stopped office is seen within a minute. A "not found"
/// is never kept: an office enrolled a moment ago is reachable at once.
const FOUND_FOR: Duration = Duration::from_secs(60);

impl Office {
    /// The enrolled office whose folder is `dir`.
    pub fn open(dir: &Path) -> Result<Self> {
        let profile = Profile::load(dir)?;
        let client = HubClient::for_office(&profile)?;
        let ledger = Ledger::open(&dir.join("ledger.db"))?;
        Ok(Self {
            profile,
            ledger,
            client,
            retry: Retry::default(),
            limits: Limits::default(),
            directory: Mutex::default(),
        })
    }

    /// The office `number` as the directory has it, with a certificate to encrypt to that
    /// chains to the operator's authority and names that office. The relay's directory is
    /// not trusted to hand out the right key: a parcel sealed to another office's
    /// certificate would be that office's to read.
    pub async fn recipient(&self, number: &str) -> Result<(OfficeView, Certificate)> {
        let known = self.directory.lock().ok().and_then(|d| {
            d.get(number)
                .filter(|(at, _)| at.elapsed() < FOUND_FOR)
                .map(|(_, found)| found.clone())
        });
        let found = match known {
            Some(found) => Some(found),
            None => {
                let found = self.retry.run(|| self.client.office(number)).await?;
                if let (Some(found), Ok(mut directory)) = (&found, self.directory.lock()) {
                    directory.insert(number.to_owned(), (Instant::now(), found.clone()));
                }
                found
            }
        };
        let view = found
            .filter(|o| o.active)
            .ok_or_else(|| Error::NoRecipient(number.to_owned()))?;
        let pem = view
            .certificate
            .as_deref()
            .ok_or_else(|| Error::NoRecipient(number.to_owned()))?;
        let certificate = self.checked_certificate(number, pem)?;
        Ok((view, certificate))
    }

    /// `pem` as the certificate of office `number`: issued by our authority, in its dates,
    /// and naming that office.
    fn checked_certificate(&self, number: &str, pem: &str) -> Result<Certificate> {
        let certificate = Certificate::from_pem(pem.as_bytes())?;
        self.profile.trust()?.verify(&certificate)?;
        let named = certificate.identity()?.number;
        if named != number {
            return Err(Error::Unacceptable(format!(
                "事業所検索が返した証明書は事業所「{named}」のもので、送信先「{number}」のものではありません。送信を止めました。運用者に連絡してください / the directory gave office '{named}'s certificate for '{number}': not sent"
            )));
        }
        Ok(certificate)
    }
}
