//! An office at work: its profile, its ledger and its connection to the relay.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use renkei_hub::wire::OfficeView;

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
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_parcel_bytes: 16 * 1024 * 1024,
            max_attachment_bytes: 10 * 1024 * 1024,
            settle: std::time::Duration::ZERO,
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
    /// Directory answers of this run, by office number.
    directory: Mutex<HashMap<String, Option<OfficeView>>>,
}

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

    /// The office `number` as the directory has it, with a certificate to encrypt to.
    pub async fn recipient(&self, number: &str) -> Result<OfficeView> {
        let known = self
            .directory
            .lock()
            .ok()
            .and_then(|d| d.get(number).cloned());
        let found = match known {
            Some(found) => found,
            None => {
                let found = self.retry.run(|| self.client.office(number)).await?;
                if let Ok(mut directory) = self.directory.lock() {
                    directory.insert(number.to_owned(), found.clone());
                }
                found
            }
        };
        found
            .filter(|o| o.active && o.certificate.is_some())
            .ok_or_else(|| Error::NoRecipient(number.to_owned()))
    }
}
