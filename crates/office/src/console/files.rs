//! The files of a parcel as the console shows them: a received parcel is opened from its
//! local copy (`received/<id>.cms`, checked again against the sender's signature); a sent
//! one is read from the sent folder, or from the export folder while it still lies there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use renkei_hub::wire::InboxItem;
use renkei_seal::ArchivedFile;

use super::Console;
use crate::ledger::SentParcel;
use crate::{Error, Result, parcel};

/// Opened parcels by id: opening means decrypting and checking signatures, which is worth
/// doing once per parcel, not once per page.
#[derive(Debug, Default)]
pub struct Cache {
    opened: Mutex<HashMap<String, Arc<Vec<ArchivedFile>>>>,
}

/// The most parcels kept opened; a month's pages touch far fewer.
const CACHE_PARCELS: usize = 512;

impl Console {
    /// The files of the received parcel `id`, from the local copy.
    pub fn received_files(&self, id: &str) -> Result<Arc<Vec<ArchivedFile>>> {
        if let Some(files) = self
            .files
            .opened
            .lock()
            .ok()
            .and_then(|c| c.get(id).cloned())
        {
            return Ok(files);
        }
        if !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::Console(format!(
                "小包ID「{id}」は正しくありません / bad parcel id"
            )));
        }
        let copy = self.office.profile.dir.join("received");
        let described = copy.join(format!("{id}.json"));
        let item: InboxItem = serde_json::from_slice(
            &std::fs::read(&described).map_err(|e| Error::file(&described, e))?,
        )
        .map_err(|e| Error::Answer(e.to_string()))?;
        let sealed = copy.join(format!("{id}.cms"));
        let payload = std::fs::read(&sealed).map_err(|e| Error::file(&sealed, e))?;
        let files = Arc::new(parcel::open(&self.office.profile, &item, &payload)?.files);
        if let Ok(mut cache) = self.files.opened.lock() {
            if cache.len() >= CACHE_PARCELS {
                cache.clear();
            }
            cache.insert(id.to_owned(), files.clone());
        }
        Ok(files)
    }

    /// The files of a sent parcel that can still be found (the care software or a clerk
    /// may have removed some from the sent folder).
    pub fn sent_files(&self, parcel: &SentParcel) -> Vec<ArchivedFile> {
        parcel
            .files
            .iter()
            .filter_map(|file| {
                [&self.folders.sent, &self.folders.export]
                    .iter()
                    .map(|folder| folder.join(&file.path))
                    .find_map(|path| std::fs::read(path).ok())
                    .filter(|bytes| renkei_seal::sha256_hex(bytes) == file.sha256)
                    .map(|bytes| ArchivedFile {
                        name: file.name.clone(),
                        bytes,
                    })
            })
            .collect()
    }
}
