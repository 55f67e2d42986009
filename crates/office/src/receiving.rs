//! Receiving (DESIGN §4 step 5): download, check the sender's signatures, decrypt, place
//! the standard files into the care software's import folder in ファイル連番 order, keep a
//! copy (the sealed parcel itself, under `received/`), and acknowledge only once the files
//! are safely written.
//!
//! Every file is placed exactly once, whatever stops the run:
//! 1. the ledger records the parcel as *writing*; the files are written under temporary
//!    names (`.NAME.renkei-partial`, which care software ignores) and synced;
//! 2. the ledger records *placing*; each temporary file is renamed to its real name;
//! 3. the ledger records *placed*; then the relay hears the acknowledgement.
//!
//! A run that finds a parcel *writing* starts it again (nothing of it was visible); one that
//! finds it *placing* renames only the temporary files still there — a real file that is
//! gone was placed and taken by the care software, and is not placed again.
//!
//! An office whose care software takes its files through the local API ([`Delivery::Api`])
//! places nothing: a checked parcel is *held* (its sealed copy kept), the care software
//! fetches it, and only its word — imported ([`confirm_import`]) or not ([`report_failure`])
//! — sends the acknowledgement or the rejection.

use std::path::{Path, PathBuf};
use std::time::Duration;

use renkei_proto::InboxItem;
use renkei_seal::ArchivedFile;
use renkei_spec::FileName;
use renkei_spec::progress::Progress;
use renkei_spec::unit;
use renkei_spec::validate::{self, Input, Options};

use crate::Office;
use crate::ledger::{Direction, IncomingState, RefusalRecord};
use crate::platform::held;
use crate::profile::write_atomically;
use crate::sending::{self, save_receipt};
use crate::{Error, Result, parcel, receiver_turn, versions};

const PARTIAL: &str = ".renkei-partial";

/// How received files reach the care software.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Placed in its import folder, and acknowledged once there.
    Folder,
    /// Held for the local API; acknowledged when the care software confirms its import.
    Api,
}

/// The ledger setting that keeps [`Delivery`].
const DELIVERY: &str = "delivery";

pub fn delivery(office: &Office) -> Result<Delivery> {
    Ok(match office.ledger.setting(DELIVERY)?.as_deref() {
        Some("api") => Delivery::Api,
        _ => Delivery::Folder,
    })
}

pub fn set_delivery(office: &Office, delivery: Delivery) -> Result<()> {
    let value = match delivery {
        Delivery::Folder => "folder",
        Delivery::Api => "api",
    };
    office.ledger.set_setting(DELIVERY, value)
}

#[derive(Debug)]
pub struct Received {
    pub parcel_id: String,
    pub sender: String,
    /// Standard files placed in the import folder (or, when `held`, kept for the API).
    pub placed: Vec<String>,
    /// Kept for the care software to fetch through the local API, not placed.
    pub held: bool,
    /// Other files (reports, images), kept under `attachments/<sender>/`.
    pub attachments: Vec<String>,
    /// 取消 (削除 files) of documents this office never had from the sender: said, not
    /// refused. Each is the 削除 file's name.
    pub withdrawn_unknown: Vec<String>,
}

/// What placing a parcel left: the standard files placed, the attachments kept, and the
/// withdrawals of documents never had.
type Placed = (Vec<String>, Vec<String>, Vec<String>);

#[derive(Debug, Default)]
pub struct ReceiveReport {
    pub received: Vec<Received>,
    /// Parcels that could not be opened or whose content was refused: nothing of them was
    /// placed, the relay was told (取込不可), and the refusals page shows why.
    pub failed: Vec<(String, Error)>,
}

fn partial(import: &Path, name: &str) -> PathBuf {
    import.join(format!(".{name}{PARTIAL}"))
}

/// Receive everything waiting; when nothing new is, wait up to `wait` for a parcel. Another
/// receiver of this office (a sync, the console) is waited for: one at a time
/// ([`receiver_turn`]).
pub async fn receive(
    office: &Office,
    import: &Path,
    wait: Duration,
    progress: &(dyn Progress + Sync),
) -> Result<ReceiveReport> {
    let _turn = receiver_turn::take(&office.profile.dir).await?;
    receive_in_turn(office, import, wait, progress).await
}

/// As [`receive`], but `None` at once when another receiver of this office is at it.
pub async fn try_receive(
    office: &Office,
    import: &Path,
    wait: Duration,
    progress: &(dyn Progress + Sync),
) -> Result<Option<ReceiveReport>> {
    let Some(_turn) = receiver_turn::try_take(&office.profile.dir)? else {
        return Ok(None);
    };
    receive_in_turn(office, import, wait, progress)
        .await
        .map(Some)
}

async fn receive_in_turn(
    office: &Office,
    import: &Path,
    wait: Duration,
    progress: &(dyn Progress + Sync),
) -> Result<ReceiveReport> {
    let held = delivery(office)? == Delivery::Api;
    if !held {
        std::fs::create_dir_all(import).map_err(|e| Error::file(import, e))?;
    }
    let mut report = ReceiveReport::default();
    let mut after = None;
    let mut may_wait = !wait.is_zero();
    loop {
        // The inbox as it stands first: parcels held for the care software stay in it until
        // it confirms them, so a waiting look would find them and never wait.
        let mut items = office
            .retry
            .run(|| office.client.inbox(after, Duration::ZERO))
            .await?;
        if items.is_empty() && may_wait && report.received.is_empty() && report.failed.is_empty() {
            may_wait = false;
            items = office
                .retry
                .run(|| office.client.inbox(after, wait))
                .await?;
        }
        let Some(last) = items.last() else { break };
        after = Some(last.parcel.log_index);
        progress.start(items.len() as u64, "受信中 / receiving");
        for item in &items {
            progress.advance(1);
            match receive_one(office, item, import, held).await {
                Ok(Some(received)) => report.received.push(received),
                Ok(None) => {}
                Err(error) if error.is_unopenable() => {
                    reject(office, item, &error).await?;
                    report.failed.push((item.parcel.id.clone(), error));
                }
                Err(error) => return Err(error),
            }
        }
        progress.finish();
    }
    Ok(report)
}

/// A parcel that cannot be taken in: kept on the refusals page (once, however often it is
/// met), marked in the ledger, and rejected at the relay with the reason, signed, so that it
/// leaves the inbox and the sender's outbox says 取込不可.
async fn reject(office: &Office, item: &InboxItem, error: &Error) -> Result<()> {
    let now = renkei_seal::unix_now();
    let id = &item.parcel.id;
    let reason = error.to_string();
    tracing::warn!(parcel = %id, sender = %item.parcel.sender, "parcel rejected: {reason}");
    let files = item
        .manifest
        .unverified()
        .map(|m| m.files.into_iter().map(|f| f.name).collect())
        .unwrap_or_default();
    let sender = &item.parcel.sender;
    let (reason_ja, reason_en, findings) = match error {
        Error::ImportCheck { findings, .. } => (
            format!(
                "受け取ったファイルが標準仕様の検査でエラーになったため、取込フォルダに置いていません。送信元には取込エラーとして検査の結果を返しました: {reason}"
            ),
            "the files received fail the standard's check and were not placed; the sender was sent the findings as an import error"
                .to_owned(),
            findings.clone(),
        ),
        _ => (
            format!("受け取ったファイルを取り込めませんでした。送信元に連絡してください: {reason}"),
            "the files received could not be taken in; tell the sender".to_owned(),
            Vec::new(),
        ),
    };
    let refusal = RefusalRecord {
        time: now,
        reason_ja,
        reason_en,
        recipient: None,
        received_from: Some(sender.clone()),
        parcel_id: Some(id.clone()),
        files,
        findings,
    };
    office.ledger.refused(&refusal)?;
    office
        .ledger
        .rejected(id, &item.parcel.sender, item.parcel.log_index, now)?;
    let rejection = parcel::rejection(&office.profile, item, &reason, &refusal.findings, now)?;
    let receipt = office
        .retry
        .run(|| office.client.reject(id, &rejection))
        .await?;
    save_receipt(office, &receipt, id, "rejected")?;
    Ok(())
}

/// Standard files in ファイル連番 order (then kind order inside a unit), then the rest.
fn in_import_order(files: Vec<ArchivedFile>) -> (Vec<ArchivedFile>, Vec<ArchivedFile>) {
    let grouped = unit::group(files, |f| f.name.as_str());
    let standard = grouped.units.into_iter().flat_map(|(_, f)| f).collect();
    (standard, grouped.unnamed)
}

/// One parcel of the inbox: placed and acknowledged, or held for the API; `None` when it
/// is held already and waits for the care software.
async fn receive_one(
    office: &Office,
    item: &InboxItem,
    import: &Path,
    held: bool,
) -> Result<Option<Received>> {
    let id = &item.parcel.id;
    let known = office.ledger.incoming(id)?;
    let (placed, attachments, withdrawn_unknown) = match known.as_ref().map(|k| k.state) {
        Some(IncomingState::Held) => return Ok(None),
        Some(IncomingState::Placing) => {
            let names = known.map(|k| k.files).unwrap_or_default();
            finish_placing(import, &names)?;
            office
                .ledger
                .set_incoming(id, IncomingState::Placed, renkei_seal::unix_now())?;
            (names, Vec::new(), Vec::new())
        }
        Some(IncomingState::Placed | IncomingState::Acknowledged) => (
            known.map(|k| k.files).unwrap_or_default(),
            Vec::new(),
            Vec::new(),
        ),
        // Rejected before but the relay did not hear of it: opened again, it fails the same
        // way and is rejected again with the same reason (the refusal is kept once).
        Some(IncomingState::Writing | IncomingState::Rejected) | None if held => {
            let (names, attachments, withdrawn_unknown) = hold(office, item).await?;
            return Ok(Some(Received {
                parcel_id: id.clone(),
                sender: item.parcel.sender.clone(),
                placed: names,
                held: true,
                attachments,
                withdrawn_unknown,
            }));
        }
        Some(IncomingState::Writing | IncomingState::Rejected) | None => {
            write_and_place(office, item, import).await?
        }
    };
    acknowledge(office, item).await?;
    Ok(Some(Received {
        parcel_id: id.clone(),
        sender: item.parcel.sender.clone(),
        placed,
        held: false,
        attachments,
        withdrawn_unknown,
    }))
}

/// Tell the relay, signed, that the files are safely with the care software.
async fn acknowledge(office: &Office, item: &InboxItem) -> Result<()> {
    let id = &item.parcel.id;
    let now = renkei_seal::unix_now();
    let acknowledgement = parcel::acknowledgement(&office.profile, item, now)?;
    let receipt = office
        .retry
        .run(|| office.client.acknowledge(id, &acknowledgement))
        .await?;
    save_receipt(office, &receipt, id, "acknowledged")?;
    office
        .ledger
        .set_incoming(id, IncomingState::Acknowledged, now)
}

/// What taking a parcel in leaves, before anything reaches the care software.
struct TakenIn {
    standard: Vec<ArchivedFile>,
    names: Vec<String>,
    attachments: Vec<String>,
    documents: Vec<crate::versions::DocumentVersion>,
    /// The people the files name, to show their names beside their numbers.
    people: Vec<crate::versions::PersonName>,
}

/// Fetch, open (every signature and name checked), keep the sealed copy, check the files
/// as this office checks what it sends, keep the attachments, and note it in the ledger as
/// *writing*.
async fn take_in(office: &Office, item: &InboxItem) -> Result<TakenIn> {
    let id = &item.parcel.id;
    let payload = office.retry.run(|| office.client.payload(id)).await?;
    let opened = parcel::open_within(&office.profile, item, &payload, &office.limits.archive)?;
    let now = renkei_seal::unix_now();
    // The local copy, as it arrived: the sealed parcel (which the sender's signature still
    // covers) and what the relay said of it. One file each per parcel, not per file.
    let copy = office.profile.dir.join("received");
    std::fs::create_dir_all(&copy).map_err(|e| Error::file(&copy, e))?;
    write_atomically(&copy.join(format!("{id}.cms")), &payload)?;
    let described = serde_json::to_vec(item).map_err(|e| Error::Answer(e.to_string()))?;
    write_atomically(&copy.join(format!("{id}.json")), &described)?;
    check_received(&opened.files)?;
    let documents: Vec<_> = opened
        .files
        .iter()
        .flat_map(|f| versions::documents_in(&item.parcel.sender, &f.name, &f.bytes))
        .collect();
    let people: Vec<_> = opened
        .files
        .iter()
        .flat_map(|f| versions::people_in(&f.name, &f.bytes))
        .collect();
    let (standard, others) = in_import_order(opened.files);
    // Attachments are not for the care software: they stay with the office's own files.
    let attachments_dir = office
        .profile
        .dir
        .join("attachments")
        .join(&item.parcel.sender);
    let mut attachments = Vec::new();
    if !others.is_empty() {
        std::fs::create_dir_all(&attachments_dir).map_err(|e| Error::file(&attachments_dir, e))?;
    }
    for file in others {
        write_atomically(&attachments_dir.join(&file.name), &file.bytes)?;
        attachments.push(file.name);
    }
    let names: Vec<String> = standard.iter().map(|f| f.name.clone()).collect();
    office.ledger.writing(
        id,
        &item.parcel.sender,
        item.parcel.log_index,
        &names,
        &attachments,
        now,
    )?;
    office
        .ledger
        .note_digest(Direction::Received, id, &item.parcel.payload_sha256)?;
    if let Ok(identity) = renkei_seal::Certificate::from_pem(item.sender_certificate.as_bytes())
        .and_then(|c| c.identity())
    {
        office
            .ledger
            .note_partner(&item.parcel.sender, &identity.name, now)?;
    }
    Ok(TakenIn {
        standard,
        names,
        attachments,
        documents,
        people,
    })
}

/// Keep the documents' versions; the withdrawals of documents never had, once each.
fn note_documents(office: &Office, item: &InboxItem, taken: &TakenIn) -> Result<Vec<String>> {
    let now = renkei_seal::unix_now();
    office.ledger.note_people(&taken.people, now)?;
    let unknown = office.ledger.documents(
        "received",
        &item.parcel.sender,
        &item.parcel.id,
        &taken.documents,
        now,
    )?;
    let mut withdrawn_unknown: Vec<String> = unknown.into_iter().map(|v| v.file).collect();
    withdrawn_unknown.dedup();
    Ok(withdrawn_unknown)
}

async fn write_and_place(office: &Office, item: &InboxItem, import: &Path) -> Result<Placed> {
    let id = &item.parcel.id;
    let taken = take_in(office, item).await?;
    let now = renkei_seal::unix_now();
    let temporaries: Vec<(PathBuf, &[u8])> = taken
        .standard
        .iter()
        .map(|f| (partial(import, &f.name), f.bytes.as_slice()))
        .collect();
    write_all_synced(&temporaries)?;
    office
        .ledger
        .set_incoming(id, IncomingState::Placing, now)?;
    finish_placing(import, &taken.names)?;
    let withdrawn_unknown = note_documents(office, item, &taken)?;
    office.ledger.set_incoming(id, IncomingState::Placed, now)?;
    Ok((taken.names, taken.attachments, withdrawn_unknown))
}

/// Take a parcel in for the local API: checked and kept, nothing placed, nothing told.
async fn hold(office: &Office, item: &InboxItem) -> Result<Placed> {
    let taken = take_in(office, item).await?;
    let withdrawn_unknown = note_documents(office, item, &taken)?;
    office.ledger.set_incoming(
        &item.parcel.id,
        IncomingState::Held,
        renkei_seal::unix_now(),
    )?;
    Ok((taken.names, taken.attachments, withdrawn_unknown))
}

/// The inbox item of a parcel taken in, as kept beside its sealed copy.
fn kept_item(office: &Office, parcel_id: &str) -> Result<InboxItem> {
    let path = office
        .profile
        .dir
        .join("received")
        .join(format!("{parcel_id}.json"));
    let bytes = std::fs::read(&path).map_err(|e| Error::file(&path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::Answer(e.to_string()))
}

/// Why a held parcel's word cannot be taken.
fn not_held(parcel_id: &str, state: Option<IncomingState>) -> Error {
    let said = match state {
        None => {
            "この事業所が受け取った小包にその番号はありません / no parcel of that id was received here"
        }
        Some(IncomingState::Acknowledged) => {
            "この小包は取込済として送信元に伝えてあります / already confirmed to the sender as imported"
        }
        Some(IncomingState::Rejected) => {
            "この小包は取り込めないものとして送信元に伝えてあります / already reported to the sender as not imported"
        }
        Some(_) => {
            "この小包は取込フォルダに置いたもので、API の取込待ちではありません / placed in the import folder, not held for the API"
        }
    };
    Error::Setting(format!("{parcel_id}: {said}"))
}

/// The care software took a held parcel in: the sender is told, signed (取込済). Said again,
/// it changes nothing.
pub async fn confirm_import(office: &Office, parcel_id: &str) -> Result<()> {
    let state = office.ledger.incoming(parcel_id)?.map(|k| k.state);
    match state {
        Some(IncomingState::Held) => acknowledge(office, &kept_item(office, parcel_id)?).await,
        Some(IncomingState::Acknowledged) => Ok(()),
        other => Err(not_held(parcel_id, other)),
    }
}

/// The care software could not take a held parcel in: the sender is told why, signed
/// (取込不可, with the reason), and the refusals page keeps it.
pub async fn report_failure(office: &Office, parcel_id: &str, reason: &str) -> Result<()> {
    let state = office.ledger.incoming(parcel_id)?.map(|k| k.state);
    if state != Some(IncomingState::Held) {
        return Err(not_held(parcel_id, state));
    }
    let item = kept_item(office, parcel_id)?;
    let error = Error::Setting(format!(
        "介護ソフトが取り込めませんでした: {reason} / the care software could not import it: {reason}"
    ));
    reject(office, &item, &error).await
}

/// The received files of the standard, checked as this office checks what it sends. A
/// unit with an error is not placed: the care software's import would stop at it, or take
/// half of it in. The parcel itself stays in `received/`, and the sender is told why.
fn check_received(files: &[ArchivedFile]) -> Result<()> {
    let inputs: Vec<Input<'_>> = files
        .iter()
        .filter(|f| FileName::parse(&f.name).is_ok())
        .map(|f| Input {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let report = validate::check(&inputs, Options::default());
    if report.errors() == 0 {
        return Ok(());
    }
    Err(Error::ImportCheck {
        errors: report.errors(),
        findings: report
            .units
            .iter()
            .flat_map(sending::findings_of)
            .filter(|f| f.error)
            .take(renkei_proto::MAX_RETURNED_FINDINGS)
            .collect(),
    })
}

/// Write and sync every file, on several threads.
fn write_all_synced(files: &[(PathBuf, &[u8])]) -> Result<()> {
    crate::many_files::on_threads(files, |(path, bytes)| write_synced(path, bytes))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path).map_err(|e| Error::file(path, e))?;
    file.write_all(bytes).map_err(|e| Error::file(path, e))?;
    file.sync_all().map_err(|e| Error::file(path, e))
}

/// Rename the temporary files still there, in order; then make the renames durable.
fn finish_placing(import: &Path, names: &[String]) -> Result<()> {
    for name in names {
        let from = partial(import, name);
        if from.exists() {
            let to = import.join(name);
            held::rename(&from, &to, held::Patience::default())
                .map_err(|e| Error::file(&from, e))?;
        }
    }
    sync_dir(import);
    Ok(())
}

/// The folder's entries (the renames) reach the disk.
fn sync_dir(dir: &Path) {
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}
