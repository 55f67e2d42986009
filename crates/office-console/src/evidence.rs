//! 送受信記録: the month's evidence for an inspection — every parcel sent and received, with
//! its time, partner, files, the digest of its sealed bytes and where its receipts stand in
//! the relay's audit log — as a page, a CSV (one line per file) and a PDF.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use renkei_pdf::layout::{Cell, Table};
use renkei_pdf::report::Report;
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageError, PageResult, attachment, html, pdf_download};
use super::session::Signed;
use super::time::{Month, jst};

/// One parcel of the record.
#[derive(Debug)]
struct Line {
    time: i64,
    when: String,
    sent: bool,
    partner: String,
    partner_name: String,
    parcel: String,
    files: Vec<(String, String)>,
    payload_sha256: String,
    /// `受付 #12・受信確認 #15`.
    receipts: String,
}

impl Line {
    fn partner_label(&self) -> String {
        renkei_spec::glossary::office(Some(&self.partner_name), &self.partner)
    }

    fn direction(&self) -> &'static str {
        if self.sent { "送信" } else { "受信" }
    }
}

#[derive(Debug, Deserialize)]
pub struct EvidenceQuery {
    month: Option<String>,
}

fn receipts_text(console: &Console, id: &str) -> String {
    console
        .receipts(id)
        .iter()
        .map(|r| {
            let mark = if r.verified {
                ""
            } else {
                "（署名未確認）"
            };
            format!("{} #{}{mark}", r.action, r.log_index)
        })
        .collect::<Vec<_>>()
        .join("・")
}

/// The month's parcels, oldest first, as the record lists them.
fn lines(console: &Console, month: Month) -> Result<Vec<Line>, PageError> {
    let ledger = &console.office.ledger;
    let names = ledger.partner_names()?;
    let name = |number: &str| names.get(number).cloned().unwrap_or_default();
    let mut lines = Vec::new();
    for parcel in ledger.sent_parcels(month.start(), month.end(), usize::MAX >> 1)? {
        lines.push(Line {
            time: parcel.time(),
            when: jst(parcel.time()),
            sent: true,
            partner_name: name(&parcel.recipient),
            partner: parcel.recipient.clone(),
            parcel: parcel.id().to_owned(),
            files: parcel
                .files
                .iter()
                .map(|f| (f.name.clone(), f.sha256.clone()))
                .collect(),
            payload_sha256: parcel.payload_sha256.clone().unwrap_or_default(),
            receipts: receipts_text(console, parcel.id()),
        });
    }
    for parcel in ledger.received_parcels(month.start(), month.end(), usize::MAX >> 1)? {
        // File digests come from the sealed local copy, checked as it is opened.
        let files = console
            .received_files(&parcel.parcel_id)
            .map(|files| {
                files
                    .iter()
                    .map(|f| (f.name.clone(), renkei_seal::sha256_hex(&f.bytes)))
                    .collect()
            })
            .unwrap_or_else(|_| {
                parcel
                    .files
                    .iter()
                    .map(|n| (n.clone(), String::new()))
                    .collect()
            });
        lines.push(Line {
            time: parcel.received,
            when: jst(parcel.received),
            sent: false,
            partner_name: name(&parcel.sender),
            partner: parcel.sender.clone(),
            parcel: parcel.parcel_id.clone(),
            files,
            payload_sha256: parcel.payload_sha256.clone().unwrap_or_default(),
            receipts: receipts_text(console, &parcel.parcel_id),
        });
    }
    lines.sort_by(|a, b| (a.time, &a.parcel).cmp(&(b.time, &b.parcel)));
    Ok(lines)
}

/// What a check of the relay's audit log against the kept receipts found.
#[derive(Clone, Debug)]
pub enum LogFinding {
    /// Fewer than two checkpoints to compare.
    NothingYet {
        receipts: usize,
    },
    Grew(renkei_office::log_check::Growth),
    /// The relay's log does not extend what it signed in the receipts (or a receipt does not
    /// verify): kept as the evidence it is.
    Rewritten,
    /// The relay could not be asked.
    Unreachable,
}

impl LogFinding {
    pub fn sentence(&self) -> String {
        match self {
            Self::NothingYet { receipts } => format!(
                "比べる受領証がまだありません（保管している受領証 {receipts} 件）。送受信すると受領証が保管され、確かめられるようになります。"
            ),
            Self::Grew(growth) => format!(
                "監査ログは書き換えられず、増えただけです。保管している受領証 {} 件の検査点と中継サーバーの今の検査点（{} 個、大きさ {} → {}）を、中継サーバーの証明で確かめました。",
                growth.receipts, growth.checkpoints, growth.from, growth.to
            ),
            Self::Rewritten => "中継サーバーの監査ログが、保管している受領証と食い違います。記録が書き換えられた疑いがあります。受領証のフォルダ（receipts）をそのまま保管し、運用者に連絡してください。".into(),
            Self::Unreachable => "中継サーバーに問い合わせられませんでした。ネットワークを確かめ、少し待ってからもう一度押してください。".into(),
        }
    }

    pub fn alarming(&self) -> bool {
        matches!(self, Self::Rewritten)
    }
}

#[derive(Template)]
#[template(path = "console/evidence.html")]
struct EvidencePage {
    frame: Frame,
    month: Month,
    lines: Vec<Line>,
    sent: usize,
    received: usize,
    /// The last check of the audit log: when, and what it found.
    log_check: Option<(String, LogFinding)>,
}

/// Check the relay's audit log against the receipts this office keeps, and show what was
/// found on the evidence page (kept in the console, so no link can make the page say it).
pub async fn log_check(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    axum::Form(query): axum::Form<EvidenceQuery>,
) -> PageResult {
    let finding = match renkei_office::log_check::check(&console.office).await {
        Ok(growth) if growth.checkpoints < 2 => LogFinding::NothingYet {
            receipts: growth.receipts,
        },
        Ok(growth) => LogFinding::Grew(growth),
        Err(renkei_office::Error::Seal(error)) => {
            tracing::error!("console: the relay's audit log does not extend the receipts: {error}");
            LogFinding::Rewritten
        }
        Err(error) => {
            tracing::warn!("console: the audit log could not be checked: {error}");
            LogFinding::Unreachable
        }
    };
    if let Ok(mut last) = console.log_check.lock() {
        *last = Some((renkei_seal::unix_now(), finding));
    }
    let month = Month::chosen(query.month.as_deref());
    Ok(
        axum::response::Redirect::to(&format!("/evidence?month={}#log-check", month.code()))
            .into_response(),
    )
}

pub async fn page(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<EvidenceQuery>,
) -> PageResult {
    let month = Month::chosen(query.month.as_deref());
    let lines = lines(&console, month)?;
    html(EvidencePage {
        frame: Frame::new(
            &console,
            &staff,
            "evidence",
            format!("送受信記録 {}", month.label()),
        ),
        month,
        sent: lines.iter().filter(|l| l.sent).count(),
        received: lines.iter().filter(|l| !l.sent).count(),
        lines,
        log_check: console
            .log_check
            .lock()
            .ok()
            .and_then(|last| last.clone())
            .map(|(time, finding)| (jst(time), finding)),
    })
}

/// One line of a CSV the console gives (UTF-8, CRLF), each field quoted where it must be.
pub(crate) fn csv_line(out: &mut String, fields: &[impl AsRef<str>]) {
    let line: Vec<String> = fields.iter().map(|f| field(f.as_ref())).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// A CSV field, quoted when it must be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One line per file, UTF-8 with a byte-order mark so that Excel opens it in Japanese.
pub async fn csv(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    Query(query): Query<EvidenceQuery>,
) -> Result<axum::response::Response, PageError> {
    let month = Month::chosen(query.month.as_deref());
    let mut out = String::from(
        "\u{feff}日時,区分,相手事業所番号,相手事業所名,受付番号,暗号化した送信のSHA-256,受領証,ファイル名,ファイルSHA-256\r\n",
    );
    for line in lines(&console, month)? {
        for (name, sha256) in &line.files {
            let fields = [
                line.when.as_str(),
                line.direction(),
                &line.partner,
                &line.partner_name,
                &line.parcel,
                &line.payload_sha256,
                &line.receipts,
                name,
                sha256,
            ];
            csv_line(&mut out, &fields);
        }
    }
    Ok(attachment(
        &format!(
            "送受信記録_{}_{}.csv",
            console.office.profile.number,
            month.code()
        ),
        "text/csv; charset=utf-8",
        out.into_bytes(),
    ))
}

pub async fn pdf(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    Query(query): Query<EvidenceQuery>,
) -> Result<axum::response::Response, PageError> {
    let month = Month::chosen(query.month.as_deref());
    let lines = lines(&console, month)?;
    let frame_office = console.office.profile.number.clone();
    let mut table = Table::new(&[11.0, 4.0, 16.0, 14.0, 5.0, 30.0, 14.0], 7.0).header(&[
        "日時",
        "区分",
        "相手事業所",
        "受付番号",
        "ファイル",
        "暗号化した送信のSHA-256",
        "受領証（監査ログの位置）",
    ]);
    for line in &lines {
        table.row(vec![
            Cell::text(&line.when),
            Cell::centered(line.direction()),
            Cell::text(format!("{} {}", line.partner, line.partner_name)),
            Cell::text(&line.parcel),
            Cell::number(line.files.len().to_string()),
            Cell::text(&line.payload_sha256),
            Cell::text(&line.receipts),
        ]);
    }
    let report = Report {
        label: "送受信記録".into(),
        title: format!("ケアプランデータ連携 送受信記録 {}", month.label()),
        note: format!(
            "事業所番号 {frame_office}　作成 {}",
            jst(renkei_seal::unix_now())
        ),
        lines: vec![
            format!(
                "送信 {} 件・受信 {} 件。時刻は日本時間。受領証は中継サーバーの署名付きで、`renkei verify-receipt` で確かめられます。",
                lines.iter().filter(|l| l.sent).count(),
                lines.iter().filter(|l| !l.sent).count()
            ),
            "ファイルごとのSHA-256は同じ画面のCSVにあります。".into(),
        ],
        tables: vec![table],
    };
    let pdf = console
        .pdf(move |font| renkei_pdf::report::render(font, &report))
        .await?;
    Ok(pdf_download(
        &format!(
            "送受信記録_{}_{}.pdf",
            console.office.profile.number,
            month.code()
        ),
        pdf,
    ))
}
