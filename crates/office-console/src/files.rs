//! The files of a parcel as the console shows them: a received parcel is opened from its
//! local copy (`received/<id>.cms`, checked again against the sender's signature); a sent
//! one is read from the sent folder, or from the export folder while it still lies there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use renkei_proto::InboxItem;
use renkei_seal::ArchivedFile;
use renkei_seal::receipt::{Action, Receipt, SignedReceipt};

use super::Console;
use renkei_office::ledger::SentParcel;
use renkei_office::{Error, Result, parcel};

/// Opened parcels by id: opening means decrypting and checking signatures, which is worth
/// doing once per parcel, not once per page.
#[derive(Debug, Default)]
pub struct Cache {
    opened: Mutex<HashMap<String, Arc<Vec<ArchivedFile>>>>,
    /// Who is in each parcel, for the people lists.
    people: Mutex<HashMap<String, Arc<Vec<PersonSummary>>>>,
    /// Each send unit's people with their forms, by parcel and ファイル連番: the documents'
    /// names and the pages that read many documents at once (予実突合).
    units: Mutex<HashMap<String, Arc<Vec<renkei_forms::PersonForms>>>>,
    /// Each parcel's people with their forms, for the month's print.
    forms: Mutex<HashMap<String, Arc<Vec<renkei_forms::PersonForms>>>>,
    /// The month's print (tens of MB of forms for a busy month), by what it shows.
    printed: Mutex<HashMap<String, Arc<String>>>,
}

/// The value kept in `cache` under `key`, or `make`'s, kept for next time; a cache that
/// reached `bound` starts over. A poisoned lock only costs the keeping.
fn kept<T, E>(
    cache: &Mutex<HashMap<String, Arc<T>>>,
    key: &str,
    bound: usize,
    make: impl FnOnce() -> std::result::Result<T, E>,
) -> std::result::Result<Arc<T>, E> {
    if let Some(value) = cache.lock().ok().and_then(|c| c.get(key).cloned()) {
        return Ok(value);
    }
    let value = Arc::new(make()?);
    if let Ok(mut cache) = cache.lock() {
        if cache.len() >= bound {
            cache.clear();
        }
        cache.insert(key.to_owned(), Arc::clone(&value));
    }
    Ok(value)
}

/// A person in a parcel, as lists show them.
#[derive(Clone, Debug)]
pub struct PersonSummary {
    /// `保険者番号-被保険者番号`, as links name the person.
    pub key: String,
    pub name: String,
    pub kana: String,
    pub insured: String,
    /// The forms present, `第1表・第2表…`.
    pub contents: String,
}

/// The most parcels kept opened; a month's pages touch far fewer.
const CACHE_PARCELS: usize = 512;

impl Console {
    /// The files of the received parcel `id`, from the local copy.
    pub fn received_files(&self, id: &str) -> Result<Arc<Vec<ArchivedFile>>> {
        kept(&self.files.opened, id, CACHE_PARCELS, || {
            if !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(Error::Console(format!(
                    "受付番号「{id}」は正しくありません / bad parcel id"
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
            Ok(parcel::open_within(
                &self.office.profile,
                &item,
                &payload,
                &self.office.limits.archive,
            )?
            .files)
        })
    }

    /// The files of a sent parcel that can still be found (the care software or a clerk
    /// may have removed some from the sent folder): in the sent or export folder, or, for a
    /// parcel sent through the local API, in its archive.
    pub fn sent_files(&self, parcel: &SentParcel) -> Vec<ArchivedFile> {
        let archived: Vec<ArchivedFile> = std::fs::read(renkei_office::sending::sent_archive(
            &self.folders.sent,
            &parcel.client_parcel_id,
        ))
        .ok()
        .and_then(|bytes| renkei_seal::unpack_within(&bytes, &self.office.limits.archive).ok())
        .unwrap_or_default();
        parcel
            .files
            .iter()
            .filter_map(|file| {
                let in_folder = [&self.folders.sent, &self.folders.export]
                    .iter()
                    .map(|folder| folder.join(&file.path))
                    .find_map(|path| std::fs::read(path).ok());
                in_folder
                    .or_else(|| {
                        archived
                            .iter()
                            .find(|a| a.name == file.name)
                            .map(|a| a.bytes.clone())
                    })
                    .filter(|bytes| renkei_seal::sha256_hex(bytes) == file.sha256)
                    .map(|bytes| ArchivedFile {
                        name: file.name.clone(),
                        bytes,
                    })
            })
            .collect()
    }
}

impl Console {
    /// The people in parcel `id`, read once and kept.
    pub fn people_in(&self, id: &str) -> Result<Arc<Vec<PersonSummary>>> {
        kept(&self.files.people, id, CACHE_PARCELS, || {
            Ok(self
                .parcel_forms(id)?
                .iter()
                .map(|p| PersonSummary {
                    key: format!("{}-{}", p.insurer, p.insured),
                    name: if p.is_named() {
                        p.name().to_owned()
                    } else {
                        String::new()
                    },
                    kana: p.kana().to_owned(),
                    insured: p.insured.clone(),
                    contents: p.contents().join("・"),
                })
                .collect())
        })
    }

    /// The people in `files`, each with the name the office holds from its other files
    /// when these do not carry it (a 実績 names a person by number only).
    pub fn people_of(
        &self,
        files: &[renkei_forms::SourceFile<'_>],
    ) -> Vec<renkei_forms::PersonForms> {
        let mut people = renkei_forms::people(files);
        if people.iter().any(|p| !p.is_named()) {
            let known = self.office.ledger.people_names().unwrap_or_default();
            for person in &mut people {
                person.known_name = known
                    .get(&(person.insurer.clone(), person.insured.clone()))
                    .cloned();
            }
        }
        people
    }
}

impl Console {
    /// The forms of the people in send unit `serial` of parcel `id`, read once and kept;
    /// empty when the files are no longer at hand.
    pub fn unit_forms(&self, id: &str, serial: &str) -> Arc<Vec<renkei_forms::PersonForms>> {
        let unit = || -> std::result::Result<_, std::convert::Infallible> {
            Ok(match self.parcel_files(id) {
                Ok(Some(parcel)) => {
                    let unit: Vec<renkei_forms::SourceFile<'_>> = parcel
                        .files
                        .iter()
                        .filter(|f| f.name.contains(serial))
                        .map(|f| renkei_forms::SourceFile {
                            name: &f.name,
                            bytes: &f.bytes,
                        })
                        .collect();
                    self.people_of(&unit)
                }
                _ => Vec::new(),
            })
        };
        let Ok(forms) = kept(
            &self.files.units,
            &format!("{id}:{serial}"),
            CACHE_PARCELS * 4,
            unit,
        );
        forms
    }
}

impl Console {
    /// The people of parcel `id` with their forms, read once and kept; empty for a parcel
    /// the ledger lacks.
    pub fn parcel_forms(&self, id: &str) -> Result<Arc<Vec<renkei_forms::PersonForms>>> {
        kept(&self.files.forms, id, CACHE_PARCELS, || {
            let files = self.parcel_files(id)?.map(|p| p.files).unwrap_or_default();
            Ok(self.people_of(&super::people::sources(&files)))
        })
    }

    /// The month's print under `key` (what it shows), or `make`'s, kept: the forms of a
    /// parcel never change, so the same people in the same parcels print the same. A few
    /// are kept (a month, a partner of it).
    pub(crate) fn printed<E>(
        &self,
        key: &str,
        make: impl FnOnce() -> std::result::Result<String, E>,
    ) -> std::result::Result<Arc<String>, E> {
        kept(&self.files.printed, key, 4, make)
    }
}

/// A parcel's files with which way it went and the office at the other end.
#[derive(Debug)]
pub struct ParcelFiles {
    pub received: bool,
    pub partner: String,
    pub files: Vec<ArchivedFile>,
}

impl Console {
    /// The files of parcel `id`, sent or received; `None` for a parcel the ledger lacks.
    pub fn parcel_files(&self, id: &str) -> Result<Option<ParcelFiles>> {
        let ledger = &self.office.ledger;
        if let Some(parcel) = ledger.received_parcel(id)? {
            return Ok(Some(ParcelFiles {
                received: true,
                partner: parcel.sender,
                files: self.received_files(id)?.as_ref().clone(),
            }));
        }
        Ok(ledger.sent_parcel(id)?.map(|parcel| ParcelFiles {
            received: false,
            files: self.sent_files(&parcel),
            partner: parcel.recipient,
        }))
    }
}

/// A receipt kept for a parcel, checked against the relay's authority.
#[derive(Clone, Debug)]
pub struct KeptReceipt {
    pub file: String,
    /// 受付, 受信確認 …
    pub action: &'static str,
    /// The entry's position in the relay's audit log.
    pub log_index: u64,
    /// False when the receipt does not verify (it is listed all the same, marked).
    pub verified: bool,
}

impl Console {
    /// The receipts kept for parcel `id` (`receipts/<id>-*.json`), in file-name order.
    pub fn receipts(&self, id: &str) -> Vec<KeptReceipt> {
        let dir = self.office.profile.receipts_dir();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(id) && n.ends_with(".json"))
            .collect();
        names.sort();
        let trust = self.office.profile.trust().ok();
        names
            .into_iter()
            .filter_map(|file| {
                let bytes = std::fs::read(dir.join(&file)).ok()?;
                let signed: SignedReceipt = serde_json::from_slice(&bytes).ok()?;
                let verified = trust.as_ref().and_then(|t| signed.verify(t).ok());
                let receipt = match &verified {
                    Some(receipt) => receipt.clone(),
                    None => serde_json::from_str::<Receipt>(&signed.receipt.body).ok()?,
                };
                Some(KeptReceipt {
                    file,
                    action: action_ja(receipt.action),
                    log_index: receipt.log_index,
                    verified: verified.is_some(),
                })
            })
            .collect()
    }
}

fn action_ja(action: Action) -> &'static str {
    match action {
        Action::Accepted => "受付",
        Action::Downloaded => "到達",
        Action::Acknowledged => "受信確認",
        Action::NotDelivered => "未達通知",
        Action::Purged => "保存期間満了",
        Action::Rejected => "取込不可",
    }
}
