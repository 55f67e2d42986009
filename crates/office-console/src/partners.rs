//! 連携先: the offices exchanged with this month and how much went each way, and the
//! relay's directory (事業所検索) to find a new partner's number.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageResult, html};
use super::session::Signed;
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
    })
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
