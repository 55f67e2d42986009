//! 連携先: the offices exchanged with this month and how much went each way, and the
//! relay's directory (事業所検索) to find a new partner's number and see which versions of
//! the standard its care software reads and writes, and this office's own.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use renkei_office::ledger::Role;
use renkei_office::software;
use renkei_proto::{CsvVersionValue, CsvVersions};
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageError, PageResult, html};
use super::session::{Admin, Signed};
use super::time::{Month, jst};

#[derive(Debug, Default)]
struct PartnerRow {
    number: String,
    name: String,
    sent_parcels: usize,
    sent_files: usize,
    received_parcels: usize,
    received_files: usize,
    last: i64,
    last_when: String,
}

#[derive(Debug)]
struct FoundOffice {
    number: String,
    name: String,
    kinds: String,
    prefecture: &'static str,
    can_receive: bool,
    reads: String,
    writes: String,
}

/// What this office said its care software reads and writes, for the form.
#[derive(Debug, Default)]
struct OwnSoftware {
    reads_v41: bool,
    reads_v3: bool,
    writes_v41: bool,
    writes_v3: bool,
    described: String,
    declared: bool,
    told: bool,
}

impl OwnSoftware {
    fn of(declared: Option<software::Declared>) -> Self {
        let Some(declared) = declared else {
            return Self {
                described: "まだ登録していません".to_owned(),
                ..Self::default()
            };
        };
        let v = &declared.versions;
        Self {
            reads_v41: v.reads.contains(&CsvVersionValue::V4_1),
            reads_v3: v.reads.contains(&CsvVersionValue::V3),
            writes_v41: v.writes.contains(&CsvVersionValue::V4_1),
            writes_v3: v.writes.contains(&CsvVersionValue::V3),
            described: v.summary_ja(),
            declared: true,
            told: declared.told,
        }
    }
}

#[derive(Template)]
#[template(path = "console/partners.html")]
struct PartnersPage {
    frame: Frame,
    month: Month,
    rows: Vec<PartnerRow>,
    searched: bool,
    search: DirectoryQuery,
    found: Vec<FoundOffice>,
    directory_error: Option<String>,
    software: OwnSoftware,
    is_admin: bool,
    software_message: Option<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DirectoryQuery {
    month: Option<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    prefecture: String,
    /// How the last change of the care software's versions went: `saved`, `pending` or
    /// `invalid`; the page says a fixed sentence for each, never text from the URL.
    #[serde(default)]
    software: String,
}

/// Wait this long for the directory before saying the relay did not answer.
const DIRECTORY_WAIT: Duration = Duration::from_secs(5);

pub async fn page(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<DirectoryQuery>,
) -> PageResult {
    let month = Month::chosen(query.month.as_deref());
    let ledger = &console.office.ledger;
    let names = ledger.partner_names()?;
    let mut partners: BTreeMap<String, PartnerRow> = BTreeMap::new();
    for parcel in ledger.sent_parcels(month.start(), month.end(), usize::MAX >> 1)? {
        let row = partners.entry(parcel.recipient.clone()).or_default();
        row.sent_parcels += 1;
        row.sent_files += parcel.files.len();
        row.last = row.last.max(parcel.time());
    }
    for parcel in ledger.received_parcels(month.start(), month.end(), usize::MAX >> 1)? {
        let row = partners.entry(parcel.sender.clone()).or_default();
        row.received_parcels += 1;
        row.received_files += parcel.files.len();
        row.last = row.last.max(parcel.received);
    }
    let mut rows: Vec<PartnerRow> = partners
        .into_iter()
        .map(|(number, row)| PartnerRow {
            name: names.get(&number).cloned().unwrap_or_default(),
            last_when: jst(row.last),
            number,
            ..row
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.sent_files + r.received_files));

    let searched = !query.q.trim().is_empty()
        || !query.kind.trim().is_empty()
        || !query.prefecture.trim().is_empty();
    let (found, directory_error) = if searched {
        search(&console, &query).await
    } else {
        (Vec::new(), None)
    };
    let software_message = match query.software.as_str() {
        "saved" => Some("登録しました。事業所検索で連携先に表示されます。"),
        "pending" => Some(
            "この事業所には登録しましたが、中継サーバーに伝えられませんでした。次の同期で伝えます。",
        ),
        "invalid" => {
            Some("取り込めるバージョンと出力するバージョンを、それぞれ1つ以上選んでください。")
        }
        _ => None,
    };
    html(PartnersPage {
        frame: Frame::new(
            &console,
            &staff,
            "partners",
            format!("連携先 {}", month.label()),
        ),
        month,
        rows,
        searched,
        search: query,
        found,
        directory_error,
        software: OwnSoftware::of(software::declared(&console.office.profile.dir)?),
        is_admin: staff.role == Role::Admin,
        software_message,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct SoftwareForm {
    reads_v41: Option<String>,
    reads_v3: Option<String>,
    writes_v41: Option<String>,
    writes_v3: Option<String>,
}

/// The administrator says which CSVバージョン the care software reads and writes; the relay
/// is told at once when it answers, else by the next sync round.
pub async fn set_software(
    State(console): State<Arc<Console>>,
    Admin(_): Admin,
    Form(form): Form<SoftwareForm>,
) -> Result<Response, PageError> {
    let chosen = |v41: &Option<String>, v3: &Option<String>| {
        [(v41, CsvVersionValue::V4_1), (v3, CsvVersionValue::V3)]
            .into_iter()
            .filter(|(on, _)| on.is_some())
            .map(|(_, value)| value)
            .collect()
    };
    let versions = CsvVersions {
        reads: chosen(&form.reads_v41, &form.reads_v3),
        writes: chosen(&form.writes_v41, &form.writes_v3),
    };
    let dir = &console.office.profile.dir;
    let outcome = match software::declare(dir, &versions) {
        Err(renkei_office::Error::Setting(_)) => "invalid",
        Err(other) => return Err(other.into()),
        Ok(()) => match tokio::time::timeout(DIRECTORY_WAIT, software::tell_relay(&console.office))
            .await
        {
            Ok(Ok(_)) => "saved",
            _ => "pending",
        },
    };
    Ok(Redirect::to(&format!("/partners?software={outcome}#software")).into_response())
}

/// Ask the relay's directory: digits search by number prefix, anything else by name.
async fn search(console: &Console, query: &DirectoryQuery) -> (Vec<FoundOffice>, Option<String>) {
    let text = query.q.trim();
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    if !text.is_empty() {
        let key = if text.bytes().all(|b| b.is_ascii_digit()) {
            "number"
        } else {
            "name"
        };
        pairs.push((key, text));
    }
    if !query.kind.trim().is_empty() {
        pairs.push(("kind", query.kind.trim()));
    }
    if !query.prefecture.trim().is_empty() {
        pairs.push(("prefecture", query.prefecture.trim()));
    }
    pairs.push(("limit", "200"));
    match tokio::time::timeout(DIRECTORY_WAIT, console.office.client.directory(&pairs)).await {
        Ok(Ok(offices)) => (
            offices
                .into_iter()
                .map(|o| FoundOffice {
                    prefecture: renkei_spec::prefecture::name(o.prefecture).unwrap_or(""),
                    can_receive: o.active && o.certificate.is_some(),
                    kinds: o
                        .kinds
                        .iter()
                        .map(|k| {
                            format!("{k} {}", renkei_spec::services::kind_name(k).unwrap_or(""))
                        })
                        .collect::<Vec<_>>()
                        .join("、"),
                    reads: CsvVersions::describe(&o.csv.reads).replace('—', "未登録"),
                    writes: CsvVersions::describe(&o.csv.writes).replace('—', "未登録"),
                    number: o.number,
                    name: o.name,
                })
                .collect(),
            None,
        ),
        Ok(Err(error)) => (Vec::new(), Some(error.to_string())),
        Err(_) => (
            Vec::new(),
            Some("中継サーバーが応答しませんでした。しばらくしてからもう一度検索してください / the relay did not answer".into()),
        ),
    }
}
