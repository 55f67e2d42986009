//! Sending what the care software exported (DESIGN §4 steps 2–3): group the files into send
//! units, validate each unit (a unit with an error is refused here, whole, with its report),
//! find each unit's destination in the directory, seal one parcel per destination, send,
//! keep the receipt, and only then move the files to the sent folder.
//!
//! Attachments (a provider's monthly report as PDF, an image) are put in a subfolder named
//! by the recipient's 事業所番号: `export/1310000043/月次報告書.pdf`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use renkei_seal::ArchivedFile;
use renkei_seal::receipt::SignedReceipt;
use renkei_spec::progress::Progress;
use renkei_spec::validate::{self, Input, Options, Severity, UnitReport};
use renkei_spec::{FileName, unit};

use crate::Office;
use crate::ledger::{Direction, OutgoingFile, OutgoingState, RefusalRecord, RefusedFinding};
use crate::platform::held;
use crate::profile::write_atomically;
use crate::{Error, Result, parcel, versions};

/// A file to send.
#[derive(Clone, Debug)]
struct Found {
    /// Where it lies now, to move it once sent; `None` for bytes given directly.
    source: Option<PathBuf>,
    /// Its place under the sent folder (and its name in reports).
    path: PathBuf,
    name: String,
    bytes: Vec<u8>,
    /// The name the care software gave it, when it was converted for the recipient: the
    /// sent folder keeps both.
    converted_from: Option<String>,
}

/// Why something in the export folder was not sent; its files stay where they are.
#[derive(Debug)]
pub enum Refused {
    /// The unit has errors; here is the whole report.
    Invalid(UnitReport),
    /// The name is not a name of the standard, and the file is not in an office's
    /// attachment folder.
    NotStandard {
        file: String,
    },
    /// The names say another office sent these files (its export, copied here by mistake):
    /// sending them would put our signature on its documents.
    NotFromHere {
        sender: String,
        files: Vec<String>,
    },
    /// No such office in the directory, or it cannot receive.
    NoRecipient {
        recipient: String,
        files: Vec<String>,
    },
    TooLarge {
        file: String,
        size: u64,
        limit: u64,
    },
    /// The recipient's care software reads only V4.1, and this V3 unit cannot be converted.
    NotConverted {
        recipient: String,
        files: Vec<String>,
        reason: renkei_spec::Error,
    },
    /// The relay refused the parcel, or could not be reached even after retries.
    Failed {
        recipient: String,
        files: Vec<String>,
        error: Error,
    },
}

/// A parcel the relay holds.
#[derive(Debug)]
pub struct Sent {
    pub parcel_id: String,
    pub recipient: String,
    /// Empty when the parcel was sent by an earlier run.
    pub recipient_name: String,
    pub files: usize,
    pub bytes: u64,
    /// False when the relay (or the ledger) already had it from an earlier run.
    pub new: bool,
}

#[derive(Debug, Default)]
pub struct SendReport {
    pub sent: Vec<Sent>,
    pub refused: Vec<Refused>,
    /// Units that passed validation (with warnings at most).
    pub units: usize,
    /// Files another program was still writing: left where they are for the next round.
    pub waiting: Vec<String>,
    /// V3 units converted to V4.1 for a recipient whose software reads only V4.1.
    pub converted: Vec<Conversion>,
}

/// A V3 unit sent as V4.1: to whom, the names before and after, and what V3 could not fill.
#[derive(Debug)]
pub struct Conversion {
    pub recipient: String,
    /// (the care software's name, the name sent)
    pub files: Vec<(String, String)>,
    pub gaps: Vec<renkei_spec::convert::Gap>,
}

/// What the export folder holds: files named by the standard, and attachments by recipient.
#[derive(Default)]
struct Export {
    standard: Vec<Found>,
    attachments: Vec<(String, Found)>,
    waiting: Vec<String>,
}

fn read_export(export: &Path, settle: std::time::Duration) -> Result<Export> {
    let mut found = Export::default();
    let entries = std::fs::read_dir(export).map_err(|e| Error::file(export, e))?;
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    let mut files = Vec::new();
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            // Only folders named by an office number hold attachments; others are ignored.
            if name.len() == 10 && name.bytes().all(|b| b.is_ascii_digit()) {
                let inside = read_export(&path, settle)?;
                found
                    .waiting
                    .extend(inside.waiting.into_iter().map(|w| format!("{name}/{w}")));
                for file in inside.standard {
                    found.attachments.push((
                        name.clone(),
                        Found {
                            path: PathBuf::from(&name).join(&file.path),
                            ..file
                        },
                    ));
                }
            }
            continue;
        }
        if settled(&entry, settle) {
            files.push((name, path));
        }
    }
    let paths: Vec<PathBuf> = files.iter().map(|(_, path)| path.clone()).collect();
    let changing = held::still_changing(&paths);
    for ((name, path), changing) in files.into_iter().zip(changing) {
        let bytes = if changing {
            None
        } else {
            held::read_when_written(&path, held::Patience::default())
                .map_err(|e| Error::file(&path, e))?
        };
        let Some(bytes) = bytes else {
            found.waiting.push(name);
            continue;
        };
        found.standard.push(Found {
            source: Some(path),
            path: PathBuf::from(&name),
            name,
            bytes,
            converted_from: None,
        });
    }
    Ok(found)
}

/// Whether the file has been left alone for `settle`.
fn settled(entry: &std::fs::DirEntry, settle: std::time::Duration) -> bool {
    settle.is_zero()
        || entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age >= settle)
}

/// Send everything in `export`; accepted files move to `sent`.
pub async fn send_folder(
    office: &Office,
    export: &Path,
    sent: &Path,
    progress: &(dyn Progress + Sync),
) -> Result<SendReport> {
    let Export {
        standard,
        attachments,
        waiting,
    } = read_export(export, office.limits.settle)?;
    let mut report = send_found(office, standard, attachments, Some(sent), progress).await?;
    report.waiting = waiting;
    keep_refusals(office, &report)?;
    Ok(report)
}

/// Send the files at `paths` (files, or folders whose files are taken): standard files to
/// the offices their names give, other files to `to` when given. Sent files move to `sent`.
pub async fn send_paths(
    office: &Office,
    paths: &[PathBuf],
    to: Option<&str>,
    sent: &Path,
    progress: &(dyn Progress + Sync),
) -> Result<SendReport> {
    let mut standard = Vec::new();
    let mut others = Vec::new();
    let mut waiting = Vec::new();
    // A folder's subfolders named by an office are attachments to it, as in the export folder.
    let mut in_folders = Vec::new();
    for path in paths {
        let found = if path.is_dir() {
            let export = read_export(path, office.limits.settle)?;
            waiting.extend(export.waiting);
            in_folders.extend(export.attachments);
            export.standard
        } else {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(bytes) = held::read_when_written(path, held::Patience::default())
                .map_err(|e| Error::file(path, e))?
            else {
                waiting.push(name);
                continue;
            };
            vec![Found {
                source: Some(path.clone()),
                path: PathBuf::from(&name),
                name,
                bytes,
                converted_from: None,
            }]
        };
        for file in found {
            if FileName::parse(&file.name).is_ok() {
                standard.push(file);
            } else {
                others.push(file);
            }
        }
    }
    let mut report = SendReport::default();
    let mut attachments = match to {
        Some(to) => others.into_iter().map(|f| (to.to_owned(), f)).collect(),
        None => {
            report.refused.extend(
                others
                    .into_iter()
                    .map(|f| Refused::NotStandard { file: f.name }),
            );
            Vec::new()
        }
    };
    attachments.extend(in_folders);
    let mut sent_report = send_found(office, standard, attachments, Some(sent), progress).await?;
    sent_report.refused.extend(report.refused);
    sent_report.waiting = waiting;
    keep_refusals(office, &sent_report)?;
    Ok(sent_report)
}

/// Send files handed over in memory (the local API): standard files to the offices their
/// names give, each sent file copied under `sent` as the folders leave them. A name that is
/// not the standard's is refused, as in a folder.
pub async fn send_in_memory(
    office: &Office,
    files: Vec<(String, Vec<u8>)>,
    sent: &Path,
) -> Result<SendReport> {
    let mut standard = Vec::new();
    let mut refused = Vec::new();
    for (name, bytes) in files {
        if FileName::parse(&name).is_ok() {
            standard.push(Found {
                source: None,
                path: PathBuf::from(&name),
                name,
                bytes,
                converted_from: None,
            });
        } else {
            refused.push(Refused::NotStandard { file: name });
        }
    }
    let mut report = send_found(
        office,
        standard,
        Vec::new(),
        Some(sent),
        &renkei_spec::progress::Silent,
    )
    .await?;
    report.refused.extend(refused);
    keep_refusals(office, &report)?;
    Ok(report)
}

/// Keep the refusals in the ledger for the console; a fault that the next run retries
/// (the relay unreachable) is not a refusal.
fn keep_refusals(office: &Office, report: &SendReport) -> Result<()> {
    let time = renkei_seal::unix_now();
    for refused in &report.refused {
        if let Some(record) = refused.record(time) {
            office.ledger.refused(&record)?;
        }
    }
    Ok(())
}

/// A unit's findings as a clerk reads them, and as a rejection carries them.
pub fn findings_of(unit: &UnitReport) -> impl Iterator<Item = RefusedFinding> + '_ {
    unit.files
        .iter()
        .flat_map(|f| f.findings.iter())
        .chain(unit.findings.iter())
        .map(kept_finding)
}

/// One finding of the checker as the ledger keeps it and a rejection carries it.
pub fn kept_finding(f: &renkei_spec::validate::Finding) -> RefusedFinding {
    RefusedFinding {
        file: f.file.clone(),
        line: f.line,
        item: f
            .item_no
            .zip(f.item_name)
            .map(|(no, name)| format!("項目{no}「{name}」")),
        error: f.severity() == Severity::Error,
        rule: f.rule.id.to_owned(),
        message_ja: join_detail(f.rule.title_ja, &f.detail_ja),
        message_en: join_detail(f.rule.title_en, &f.detail_en),
        person: f.person.clone(),
    }
}

impl Refused {
    /// The refusal as the ledger keeps it; `None` for a fault that is not a refusal.
    pub fn record(&self, time: i64) -> Option<RefusalRecord> {
        let record = |reason_ja: String,
                      reason_en: String,
                      recipient: Option<&String>,
                      files: Vec<String>| {
            RefusalRecord {
                time,
                reason_ja,
                reason_en,
                recipient: recipient.cloned(),
                received_from: None,
                parcel_id: None,
                files,
                findings: Vec::new(),
            }
        };
        Some(match self {
            Refused::Invalid(unit) => {
                RefusalRecord {
                    findings: findings_of(unit).collect(),
                    ..record(
                        format!("エラーが{}件あります。直してから送り直してください", unit.errors()),
                        format!("{} errors; correct them and send again", unit.errors()),
                        unit.key.as_ref().map(|k| k.to.as_str().to_owned()).as_ref(),
                        unit.files.iter().map(|f| f.name.clone()).collect(),
                    )
                }
            }
            Refused::NotStandard { file } => record(
                "標準仕様のファイル名ではありません。添付ファイルは送信先の事業所番号のフォルダに入れてください".into(),
                "not a standard file name; put attachments in a folder named by the recipient's office number".into(),
                None,
                vec![file.clone()],
            ),
            Refused::NotFromHere { sender, files } => record(
                format!("ファイル名の送信元が事業所 {sender} です。この事業所の出力したファイルだけを送れます"),
                format!("the names say office {sender} sent these files; only this office's own files can be sent"),
                None,
                files.clone(),
            ),
            Refused::NoRecipient { recipient, files } => record(
                format!("送信先 {recipient} が事業所検索にないか、受信できません。事業所番号を確かめてください"),
                format!("recipient {recipient} is not in the directory or cannot receive"),
                Some(recipient),
                files.clone(),
            ),
            Refused::TooLarge { file, size, limit } => record(
                format!("{size} バイトは上限 {limit} バイトを超えます"),
                format!("{size} bytes is over the limit of {limit}"),
                None,
                vec![file.clone()],
            ),
            Refused::NotConverted { recipient, files, reason } => {
                let (ja, en) = match reason {
                    renkei_spec::Error::NotConvertible { reason, reason_en } => {
                        (reason.clone(), reason_en.clone())
                    }
                    other => (other.to_string(), other.to_string()),
                };
                record(
                    format!("送信先 {recipient} の介護ソフトはV4.1だけを読みます。V3からV4.1に変換できませんでした({ja})。介護ソフトからV4.1で出力してください"),
                    format!("recipient {recipient}'s software reads only V4.1, and these V3 files could not be converted ({en}); export them as V4.1"),
                    Some(recipient),
                    files.clone(),
                )
            }
            Refused::Failed { recipient, files, error } => {
                // A refusal by the relay, or a recipient's certificate that does not hold;
                // a fault (the relay unreachable) is reported but not kept.
                if error.code().is_none() && !matches!(error, Error::Unacceptable(_) | Error::Seal(_)) {
                    return None;
                }
                record(error.to_string(), error.to_string(), Some(recipient), files.clone())
            }
        })
    }
}

fn join_detail(title: &str, detail: &str) -> String {
    if detail.is_empty() {
        title.to_owned()
    } else {
        format!("{title}({detail})")
    }
}

/// Validate, route and send files: the work of both kinds of sending.
async fn send_found(
    office: &Office,
    standard: Vec<Found>,
    attachments: Vec<(String, Found)>,
    sent: Option<&Path>,
    progress: &(dyn Progress + Sync),
) -> Result<SendReport> {
    let mut report = SendReport::default();
    let grouped = unit::group(standard, |f| f.name.as_str());
    for file in grouped.unnamed {
        report
            .refused
            .push(Refused::NotStandard { file: file.name });
    }
    // Per destination, the files of its valid units in ファイル連番 order, then attachments.
    let mut destinations: BTreeMap<String, Vec<Found>> = BTreeMap::new();
    progress.start(grouped.units.len() as u64, "検査中 / checking");
    for (key, files) in grouped.units {
        progress.advance(1);
        if key.from.as_str() != office.profile.number {
            report.refused.push(Refused::NotFromHere {
                sender: key.from.as_str().to_owned(),
                files: files.into_iter().map(|f| f.name).collect(),
            });
            continue;
        }
        let checked = validate::check_unit(&inputs(&files), Options::default());
        if checked.errors() > 0 {
            report.refused.push(Refused::Invalid(checked));
            continue;
        }
        let recipient = key.to.as_str().to_owned();
        let files = match as_recipient_reads(office, &recipient, files).await {
            Ok((files, conversion)) => {
                report.converted.extend(conversion);
                files
            }
            Err(refused) => {
                report.refused.push(refused);
                continue;
            }
        };
        report.units += 1;
        destinations.entry(recipient).or_default().extend(files);
    }
    progress.finish();
    for (recipient, file) in attachments {
        let size = file.bytes.len() as u64;
        if size > office.limits.max_attachment_bytes {
            report.refused.push(Refused::TooLarge {
                file: file.path.display().to_string(),
                size,
                limit: office.limits.max_attachment_bytes,
            });
            continue;
        }
        destinations.entry(recipient).or_default().push(file);
    }

    let parcels: Vec<(String, Vec<Found>)> = destinations
        .into_iter()
        .flat_map(|(recipient, files)| {
            split_by_size(files, office.limits.max_parcel_bytes)
                .into_iter()
                .map(move |part| (recipient.clone(), part))
        })
        .collect();
    progress.start(parcels.len() as u64, "送信中 / sending");
    for (recipient, files) in parcels {
        progress.advance(1);
        match send_parcel(office, &recipient, &files, sent).await {
            Ok(done) => report.sent.push(done),
            Err(Error::NoRecipient(_)) => report.refused.push(Refused::NoRecipient {
                recipient,
                files: files.into_iter().map(|f| f.name).collect(),
            }),
            Err(error) => report.refused.push(Refused::Failed {
                recipient,
                files: files.into_iter().map(|f| f.name).collect(),
                error,
            }),
        }
    }
    progress.finish();
    Ok(report)
}

fn inputs(files: &[Found]) -> Vec<Input<'_>> {
    files
        .iter()
        .map(|f| Input {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect()
}

/// A valid unit's files as the recipient's care software reads them: a V3 unit for an office
/// that declared it reads only V4.1 is converted (`renkei_spec::convert`), the rest go as
/// written. A recipient the directory does not give is left for sending to report.
async fn as_recipient_reads(
    office: &Office,
    recipient: &str,
    files: Vec<Found>,
) -> std::result::Result<(Vec<Found>, Option<Conversion>), Refused> {
    use renkei_proto::CsvVersionValue;
    use renkei_spec::version::Generation;
    let is_v3 = files
        .first()
        .and_then(|f| FileName::parse(&f.name).ok())
        .is_some_and(|name| name.generation == Generation::V3);
    if !is_v3 {
        return Ok((files, None));
    }
    let Ok((partner, _)) = office.recipient(recipient).await else {
        return Ok((files, None));
    };
    if !partner.csv.cannot_read(CsvVersionValue::V3)
        || partner.csv.cannot_read(CsvVersionValue::V4_1)
    {
        return Ok((files, None));
    }
    let inputs = inputs(&files);
    let kinds = renkei_spec::convert::Kinds {
        from: None,
        to: partner_kind(&partner.kinds, &files),
    };
    let refused = |reason| Refused::NotConverted {
        recipient: recipient.to_owned(),
        files: files.iter().map(|f| f.name.clone()).collect(),
        reason,
    };
    let converted = match renkei_spec::convert::to_v4(&inputs, kinds) {
        Ok(converted) if converted.report.is_sendable() => converted,
        Ok(converted) => return Err(Refused::Invalid(converted.report)),
        Err(reason) => return Err(refused(reason)),
    };
    let mut sent = Vec::with_capacity(converted.files.len());
    let mut names = Vec::with_capacity(converted.files.len());
    for file in converted.files {
        let Some(original) = files.iter().find(|f| f.name == file.source) else {
            continue;
        };
        names.push((file.source.clone(), file.name.clone()));
        sent.push(Found {
            source: original.source.clone(),
            path: original.path.with_file_name(&file.name),
            name: file.name,
            bytes: file.bytes,
            converted_from: Some(file.source),
        });
    }
    Ok((
        sent,
        Some(Conversion {
            recipient: recipient.to_owned(),
            files: names,
            gaps: converted.gaps,
        }),
    ))
}

/// The recipient's サービス種類コード for V4.1 names, where the directory settles it: its only
/// kind, or, for files a provider sends to its planner, the planner's kind. Otherwise the
/// records must say it (a provider's service codes), or the conversion says what is missing.
fn partner_kind(kinds: &[String], files: &[Found]) -> Option<renkei_spec::ids::ServiceKind> {
    use renkei_spec::ids::ServiceKind;
    let parsed: Vec<ServiceKind> = kinds
        .iter()
        .filter_map(|k| ServiceKind::parse(k).ok())
        .collect();
    let to_planner = files
        .iter()
        .filter_map(|f| FileName::parse(&f.name).ok())
        .any(|name| name.kind.sent_by_provider());
    match parsed.as_slice() {
        [only] => Some(*only),
        several if to_planner => several.iter().copied().find(ServiceKind::is_planner),
        _ => None,
    }
}

/// Consecutive runs of files under `limit` bytes each (a single larger file goes alone,
/// for the relay to judge).
fn split_by_size(files: Vec<Found>, limit: u64) -> Vec<Vec<Found>> {
    let mut parts: Vec<Vec<Found>> = Vec::new();
    let mut size = 0u64;
    for file in files {
        let bytes = file.bytes.len() as u64;
        match parts.last_mut() {
            Some(part) if size + bytes <= limit => part.push(file),
            _ => {
                size = 0;
                parts.push(vec![file]);
            }
        }
        size += bytes;
    }
    parts
}

/// The same files to the same office make the same id, so a run after a crash or a lost
/// answer finds the parcel it sent (in the ledger, or at the relay) instead of a new one.
fn client_parcel_id(recipient: &str, files: &[OutgoingFile]) -> String {
    let mut text = recipient.to_owned();
    for file in files {
        text.push('\n');
        text.push_str(&file.name);
        text.push(' ');
        text.push_str(&file.sha256);
    }
    renkei_seal::sha256_hex(text.as_bytes())[..32].to_owned()
}

/// Send `files` (names and contents) to `recipient` as one parcel, outside any folder.
/// Sending the same files again finds the first parcel.
pub async fn send_files(
    office: &Office,
    recipient: &str,
    files: Vec<ArchivedFile>,
) -> Result<Sent> {
    let found: Vec<Found> = files
        .into_iter()
        .map(|f| Found {
            source: None,
            path: PathBuf::from(&f.name),
            name: f.name,
            bytes: f.bytes,
            converted_from: None,
        })
        .collect();
    send_parcel(office, recipient, &found, None).await
}

/// Send one parcel; with `sent`, move its files there once the relay holds it.
async fn send_parcel(
    office: &Office,
    recipient: &str,
    files: &[Found],
    sent: Option<&Path>,
) -> Result<Sent> {
    let listed: Vec<OutgoingFile> = files
        .iter()
        .map(|f| OutgoingFile {
            name: f.name.clone(),
            path: f.path.to_string_lossy().into_owned(),
            sha256: renkei_seal::sha256_hex(&f.bytes),
            size: f.bytes.len() as u64,
        })
        .collect();
    let id = client_parcel_id(recipient, &listed);
    let bytes: u64 = listed.iter().map(|f| f.size).sum();
    let known = office.ledger.outgoing(&id)?;
    // A parcel the relay already holds only has its files filed away: no directory lookup,
    // which could fail (the recipient since stopped) and strand files already sent.
    let (parcel_id, new, recipient_name) =
        match known.as_ref().map(|k| (k.state, k.parcel_id.clone())) {
            Some((OutgoingState::Accepted | OutgoingState::Filed, Some(parcel_id))) => {
                (parcel_id, false, String::new())
            }
            _ => {
                let (recipient_view, certificate) = office.recipient(recipient).await?;
                let archived: Vec<ArchivedFile> = files
                    .iter()
                    .map(|f| ArchivedFile {
                        name: f.name.clone(),
                        bytes: f.bytes.clone(),
                    })
                    .collect();
                let now = renkei_seal::unix_now();
                let outgoing = parcel::prepare(
                    &office.profile,
                    recipient,
                    &certificate,
                    &archived,
                    &id,
                    now,
                )?;
                office.ledger.prepared(&id, recipient, &listed, now)?;
                office.ledger.note_digest(
                    Direction::Sent,
                    &id,
                    &renkei_seal::sha256_hex(&outgoing.payload),
                )?;
                office
                    .ledger
                    .note_partner(recipient, &recipient_view.name, now)?;
                let answer = office
                    .retry
                    .run(|| {
                        office
                            .client
                            .send(&outgoing.manifest, outgoing.payload.clone())
                    })
                    .await?;
                let receipt = answer.receipt.verify(&office.profile.trust()?)?;
                save_receipt(office, &answer.receipt, &receipt.parcel_id, "accepted")?;
                office
                    .ledger
                    .accepted(&id, &receipt.parcel_id, receipt.log_index, now)?;
                let documents: Vec<_> = files
                    .iter()
                    .flat_map(|f| versions::documents_in(&office.profile.number, &f.name, &f.bytes))
                    .collect();
                let people: Vec<_> = files
                    .iter()
                    .flat_map(|f| versions::people_in(&f.name, &f.bytes))
                    .collect();
                office.ledger.note_people(&people, now)?;
                office
                    .ledger
                    .documents("sent", recipient, &receipt.parcel_id, &documents, now)
                    // A 取消 of something never sent is the partner's to judge.
                    .map(drop)?;
                (receipt.parcel_id, answer.new, recipient_view.name)
            }
        };
    if let Some(sent) = sent {
        file_away(sent, files, &id)?;
    }
    office.ledger.filed(&id)?;
    parcel::forget_prepared(&office.profile, &id);
    Ok(Sent {
        parcel_id,
        recipient: recipient.to_owned(),
        recipient_name,
        files: files.len(),
        bytes,
        new,
    })
}

/// Move sent files out of where they lay, keeping their place under `sent`; files that lay
/// nowhere (handed over in memory, by the local API) are kept together as the parcel's
/// content, one file for the parcel ([`sent_archive`]).
fn file_away(sent: &Path, files: &[Found], client_parcel_id: &str) -> Result<()> {
    let (handed, lying): (Vec<&Found>, Vec<&Found>) =
        files.iter().partition(|f| f.source.is_none());
    if !handed.is_empty() {
        let archived: Vec<ArchivedFile> = handed
            .iter()
            .map(|f| ArchivedFile {
                name: f.name.clone(),
                bytes: f.bytes.clone(),
            })
            .collect();
        let path = sent_archive(sent, client_parcel_id);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::file(parent, e))?;
        }
        write_atomically(&path, &renkei_seal::pack(&archived)?)?;
    }
    for file in lying {
        let Some(from) = &file.source else { continue };
        let mut to = sent.join(&file.path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::file(parent, e))?;
        }
        if let Some(original) = &file.converted_from {
            // What was sent, beside what the care software wrote.
            write_atomically(&to, &file.bytes)?;
            to = to.with_file_name(original);
        }
        match crate::platform::move_file(from, &to, held::Patience::default()) {
            Ok(()) => {}
            // Moved by a run that stopped before the ledger heard of it.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && to.exists() => {}
            Err(e) => return Err(Error::file(from, e)),
        }
    }
    Ok(())
}

/// Where the content of a parcel sent from memory is kept: one archive per parcel (a file
/// created costs more than the bytes in it, and a month sent through the API is thousands of
/// files), in a folder of the sent folder that care software does not read.
pub fn sent_archive(sent: &Path, client_parcel_id: &str) -> PathBuf {
    sent.join(".parcels")
        .join(format!("{client_parcel_id}.tar"))
}

/// Keep a receipt as `receipts/<parcel>-<step>.json`.
pub fn save_receipt(
    office: &Office,
    receipt: &SignedReceipt,
    parcel_id: &str,
    step: &str,
) -> Result<PathBuf> {
    let dir = office.profile.receipts_dir();
    std::fs::create_dir_all(&dir).map_err(|e| Error::file(&dir, e))?;
    let path = office.profile.receipt_path(parcel_id, step);
    let json = serde_json::to_vec_pretty(receipt).map_err(|e| Error::Answer(e.to_string()))?;
    write_atomically(&path, &json)?;
    Ok(path)
}
