//! 送信: files dropped on the page (or chosen, or a whole folder) are checked as send units
//! and shown with their report and the office each goes to; nothing leaves until the clerk
//! confirms. Sending is the same as `renkei office send`, refusals included.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect};
use renkei_spec::validate::{self, Input, Options};

use super::Console;
use super::findings::{FindingView, Known, Whose};
use super::page::{Frame, PageError, PageResult, html};
use super::session::Signed;
use renkei_office::sending::{self, Refused};

#[derive(Template)]
#[template(path = "console/send.html")]
struct SendPage {
    frame: Frame,
    /// Partners an attachment may go to (number, label), as the directory named them.
    partners: Vec<(String, String)>,
}

/// The partners the office has looked up, by label.
fn partner_choices(console: &Console) -> Result<Vec<(String, String)>, PageError> {
    let names = console.office.ledger.partner_names()?;
    let mut partners: Vec<(String, String)> = names
        .iter()
        .filter(|(number, _)| **number != console.office.profile.number)
        .map(|(number, name)| {
            (
                number.clone(),
                renkei_spec::glossary::office(Some(name), number),
            )
        })
        .collect();
    partners.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(partners)
}

pub async fn page(State(console): State<Arc<Console>>, Signed(staff): Signed) -> PageResult {
    html(SendPage {
        frame: Frame::new(&console, &staff, "send", "送信"),
        partners: partner_choices(&console)?,
    })
}

/// Where a batch's attachments go: kept beside the batch's folder, never in it (its files
/// are what is sent).
fn attachment_recipient(dir: &std::path::Path) -> PathBuf {
    dir.with_extension("to")
}

/// The partner a batch's attachments go to, when the clerk chose one.
fn recipient_of(dir: &std::path::Path) -> Option<String> {
    let number = std::fs::read_to_string(attachment_recipient(dir)).ok()?;
    let number = number.trim();
    renkei_spec::ids::OfficeNumber::parse(number)
        .is_ok()
        .then(|| number.to_owned())
}

fn batch_dir(console: &Console, batch: &str) -> Result<PathBuf, PageError> {
    if batch.len() != 32 || !batch.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(PageError::not_found("送信の準備"));
    }
    let dir = console.folders.uploads.join(batch);
    if !dir.is_dir() {
        return Err(PageError::not_found("送信の準備"));
    }
    Ok(dir)
}

/// A new batch of files to check and send: its id and its folder, empty.
pub(crate) fn new_batch(console: &Console) -> Result<(String, PathBuf), PageError> {
    let batch = renkei_seal::sha256_hex(
        &renkei_seal::random_bytes::<16>().map_err(renkei_office::Error::from)?,
    )[..32]
        .to_owned();
    let dir = console.folders.uploads.join(&batch);
    std::fs::create_dir_all(&dir).map_err(|e| renkei_office::Error::file(&dir, e))?;
    Ok((batch, dir))
}

/// Only the last part of a name a browser gives (it may send a folder path), and never a
/// hidden or empty one.
fn plain_name(name: &str) -> Option<String> {
    let name = name.rsplit(['/', '\\']).next()?.trim();
    (!name.is_empty() && !name.starts_with('.')).then(|| name.to_owned())
}

pub async fn upload(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    mut form: Multipart,
) -> Result<axum::response::Response, PageError> {
    let (batch, dir) = new_batch(&console)?;
    let mut count = 0;
    let mut to = None;
    while let Some(field) = form.next_field().await.map_err(|e| {
        PageError::bad_request(format!(
            "ファイルを受け取れませんでした。もう一度選んでください / upload failed: {e}"
        ))
    })? {
        if field.name() == Some("to") {
            to = field.text().await.ok();
            continue;
        }
        let Some(name) = field.file_name().and_then(plain_name) else {
            continue;
        };
        let bytes = field.bytes().await.map_err(|e| {
            PageError::bad_request(format!(
                "ファイル {name} を受け取れませんでした / upload failed: {e}"
            ))
        })?;
        let path = dir.join(&name);
        std::fs::write(&path, &bytes).map_err(|e| renkei_office::Error::file(&path, e))?;
        count += 1;
    }
    if count == 0 {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(PageError::bad_request(
            "ファイルがありません。介護ソフトが出力したCSVファイルを選んでください / no files were chosen",
        ));
    }
    if let Some(to) = to.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let path = attachment_recipient(&dir);
        std::fs::write(&path, to).map_err(|e| renkei_office::Error::file(&path, e))?;
    }
    Ok(Redirect::to(&format!("/send/{batch}")).into_response())
}

#[derive(Debug)]
struct UnitRow {
    /// Each file's form in the office's words, and its name.
    files: Vec<(String, String)>,
    recipient: String,
    recipient_name: String,
    recipient_ok: bool,
    errors: usize,
    warnings: usize,
    findings: Vec<FindingView>,
    /// When the same files (the same bytes, whatever their names) went to the same partner
    /// before: sending them again is a re-send, which the clerk should mean.
    already_sent: Option<String>,
}

/// What this office sent in the last year, by partner and each file's SHA-256: when.
fn sent_before(
    console: &Console,
) -> Result<std::collections::HashMap<(String, String), i64>, PageError> {
    let now = renkei_seal::unix_now();
    let mut sent = std::collections::HashMap::new();
    for parcel in
        console
            .office
            .ledger
            .sent_parcels(now - 400 * 24 * 3600, now + 1, usize::MAX >> 1)?
    {
        for file in &parcel.files {
            sent.insert(
                (parcel.recipient.clone(), file.sha256.clone()),
                parcel.time(),
            );
        }
    }
    Ok(sent)
}

#[derive(Template)]
#[template(path = "console/review.html")]
struct Review {
    frame: Frame,
    batch: String,
    units: Vec<UnitRow>,
    not_standard: Vec<String>,
    /// The partner the files that are not the standard's go to, as attachments.
    attachments_to: Option<String>,
    sendable: usize,
}

/// The most findings listed per unit; the count above the table has them all.
const FINDINGS_SHOWN: usize = 300;

pub async fn review(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path(batch): Path<String>,
) -> PageResult {
    let dir = batch_dir(&console, &batch)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| renkei_office::Error::file(&dir, e))? {
        let entry = entry.map_err(|e| renkei_office::Error::file(&dir, e))?;
        let bytes = std::fs::read(entry.path())
            .map_err(|e| renkei_office::Error::file(&entry.path(), e))?;
        files.push((entry.file_name().to_string_lossy().into_owned(), bytes));
    }
    files.sort();
    let grouped = renkei_spec::unit::group(files.iter(), |f| f.0.as_str());
    let reader = super::words::reader(&console);
    let sent = sent_before(&console)?;
    let known = Known::of(&console);
    let mut units = Vec::new();
    for (key, files) in grouped.units {
        let inputs: Vec<Input<'_>> = files
            .iter()
            .map(|(name, bytes)| Input { name, bytes })
            .collect();
        let report = validate::check_unit(&inputs, Options::default());
        let recipient = key.to.as_str().to_owned();
        let found =
            tokio::time::timeout(Duration::from_secs(5), console.office.recipient(&recipient))
                .await;
        let (recipient_ok, recipient_name) = match found {
            Ok(Ok((office, _))) => (true, office.name),
            Ok(Err(error)) => (
                false,
                renkei_spec::glossary::in_japanese(&error.to_string()).to_owned(),
            ),
            Err(_) => (
                false,
                "中継サーバーが応答しません。しばらくしてから確認し直してください".to_owned(),
            ),
        };
        let sources: Vec<renkei_forms::SourceFile<'_>> = files
            .iter()
            .map(|(name, bytes)| renkei_forms::SourceFile { name, bytes })
            .collect();
        let whose = if report.errors() + report.warnings() > 0 {
            Whose::of(&known, &sources)
        } else {
            Whose::of(&known, &[])
        };
        let findings = report
            .files
            .iter()
            .flat_map(|f| f.findings.iter())
            .chain(report.findings.iter())
            .take(FINDINGS_SHOWN)
            .map(|f| FindingView::of_check(f, &whose, reader))
            .collect();
        // Sent before only if every file of the unit was, to this partner.
        let already_sent = files
            .iter()
            .map(|(_, bytes)| {
                sent.get(&(recipient.clone(), renkei_seal::sha256_hex(bytes)))
                    .copied()
            })
            .collect::<Option<Vec<i64>>>()
            .and_then(|times| times.into_iter().max())
            .map(super::time::jst);
        units.push(UnitRow {
            already_sent,
            files: files
                .iter()
                .map(|f| (super::words::contents([f.0.as_str()], reader), f.0.clone()))
                .collect(),
            recipient,
            recipient_name,
            recipient_ok,
            errors: report.errors(),
            warnings: report.warnings(),
            findings,
        });
    }
    let sendable = units
        .iter()
        .filter(|u| u.errors == 0 && u.recipient_ok)
        .count();
    html(Review {
        frame: Frame::new(&console, &staff, "send", "送信内容の確認"),
        batch,
        units,
        not_standard: grouped.unnamed.iter().map(|f| f.0.clone()).collect(),
        attachments_to: recipient_of(&dir).map(|number| {
            super::words::Partners::of(&console)
                .map(|p| p.label(&number))
                .unwrap_or(number)
        }),
        sendable,
    })
}

#[derive(Debug)]
struct SentRow {
    id: String,
    recipient: String,
    recipient_name: String,
    files: usize,
    new: bool,
}

impl SentRow {
    fn recipient_label(&self) -> String {
        renkei_spec::glossary::office(Some(&self.recipient_name), &self.recipient)
    }
}

#[derive(Debug)]
struct RefusedRow {
    key: Option<String>,
    reason: String,
    files: String,
}

#[derive(Template)]
#[template(path = "console/sent.html")]
struct SentPage {
    frame: Frame,
    sent: Vec<SentRow>,
    refused: Vec<RefusedRow>,
    converted: Vec<ConvertedRow>,
}

/// A V3 unit sent as V4.1 because the recipient's software reads only V4.1.
#[derive(Debug)]
struct ConvertedRow {
    recipient: String,
    files: Vec<(String, String)>,
    gaps: Vec<String>,
}

pub async fn confirm(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path(batch): Path<String>,
) -> PageResult {
    let dir = batch_dir(&console, &batch)?;
    let to = recipient_of(&dir);
    let report = sending::send_paths(
        &console.office,
        std::slice::from_ref(&dir),
        to.as_deref(),
        &console.folders.sent,
        &renkei_spec::progress::Silent,
    )
    .await?;
    tracing::info!(
        staff = staff.name,
        sent = report.sent.len(),
        refused = report.refused.len(),
        "console send"
    );
    // What was not sent was kept in the ledger with its reason; the browser still has the
    // files, so the batch goes.
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(attachment_recipient(&dir));
    let now = renkei_seal::unix_now();
    let refused = report
        .refused
        .iter()
        .map(|r| {
            let record = r.record(now);
            RefusedRow {
                key: record.as_ref().map(|r| r.key()),
                reason: match (&record, r) {
                    (Some(record), _) => {
                        renkei_spec::glossary::in_japanese(&record.reason_ja).to_owned()
                    }
                    (None, Refused::Failed { error, .. }) => {
                        renkei_spec::glossary::in_japanese(&error.to_string()).to_owned()
                    }
                    (None, _) => String::new(),
                },
                files: record.map(|r| r.files.join(", ")).unwrap_or_default(),
            }
        })
        .collect();
    let converted = report
        .converted
        .into_iter()
        .map(|c| ConvertedRow {
            recipient: c.recipient,
            files: c.files,
            gaps: c
                .gaps
                .into_iter()
                .map(|g| format!("{}: {}", g.file, g.ja))
                .collect(),
        })
        .collect();
    html(SentPage {
        frame: Frame::new(&console, &staff, "send", "送信の結果"),
        converted,
        sent: report
            .sent
            .into_iter()
            .map(|s| SentRow {
                id: s.parcel_id,
                recipient: s.recipient,
                recipient_name: s.recipient_name,
                files: s.files,
                new: s.new,
            })
            .collect(),
        refused,
    })
}

pub async fn discard(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    Path(batch): Path<String>,
) -> Result<axum::response::Response, PageError> {
    let dir = batch_dir(&console, &batch)?;
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(attachment_recipient(&dir));
    Ok(Redirect::to("/send").into_response())
}
