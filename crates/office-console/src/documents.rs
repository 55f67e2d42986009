//! 文書の版: each document (a person's plan, a month's 予定 or 実績, with one partner) with
//! its versions — which is newest, which were replaced or withdrawn — and what changed
//! between two versions, form by form.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use renkei_forms::PersonForms;
use renkei_forms::diff::{Change, changes};
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageError, PageResult, html};
use super::session::Signed;
use super::time::jst;
use super::words::Partners;
use renkei_office::ledger::DocumentRow;

/// Documents listed on one page; the next are a page further.
const PAGE_SIZE: usize = 50;

fn family_label(family: &str) -> &'static str {
    match family {
        "plan" => "居宅サービス計画書",
        "schedule" => "利用票（予定）",
        "actual" => "実績",
        "kihon" => "利用者基本情報",
        "yobo" => "介護予防サービス・支援計画書",
        _ => "その他",
    }
}

#[derive(Debug)]
struct HeadRow {
    id: i64,
    family: &'static str,
    received: bool,
    partner: String,
    insured: String,
    name: String,
    versions: u64,
    newest: String,
    deleted: bool,
}

#[derive(Template)]
#[template(path = "console/documents.html")]
struct DocumentsPage {
    frame: Frame,
    family: String,
    search: String,
    rows: Vec<HeadRow>,
    /// The page shown, from 1, and whether there is one after it.
    page: usize,
    more: bool,
}

impl DocumentsPage {
    /// The link to page `page` of the same list.
    fn page_link(&self, page: usize) -> String {
        let mut link = format!("/documents?page={page}");
        if !self.family.is_empty() {
            link.push_str(&format!("&family={}", self.family));
        }
        if !self.search.is_empty() {
            link.push_str(&format!("&q={}", self.search));
        }
        link
    }
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    family: String,
    #[serde(default)]
    q: String,
    page: Option<usize>,
}

impl Console {
    /// The person's forms in the version's send unit (the files of its parcel that share
    /// its ファイル連番), or `None` when the files are no longer at hand.
    pub(crate) fn forms_of(&self, version: &DocumentRow) -> Option<PersonForms> {
        let (_, insurer, insured) = version.parts();
        self.unit_forms(&version.parcel, &version.serial)
            .iter()
            .find(|p| p.insurer == insurer && p.insured == insured)
            .cloned()
    }
}

pub async fn index(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<ListQuery>,
) -> PageResult {
    // The list's links carry only the family's code and digits: anything else is dropped,
    // so a link never repeats text from the address.
    let search: String = query
        .q
        .trim()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let family: String = match query.family.trim() {
        f @ ("plan" | "schedule" | "actual" | "kihon" | "yobo") => f.to_owned(),
        _ => String::new(),
    };
    let page = query.page.unwrap_or(1).max(1);
    let mut heads = console.office.ledger.document_heads(
        &family,
        &search,
        PAGE_SIZE + 1,
        (page - 1) * PAGE_SIZE,
    )?;
    let more = heads.len() > PAGE_SIZE;
    heads.truncate(PAGE_SIZE);
    let partners = Partners::of(&console)?;
    // Names the office holds first: a 実績's own files name nobody.
    let known = console.office.ledger.people_names()?;
    let rows = heads
        .into_iter()
        .map(|(head, versions)| {
            let (partner, insurer, insured) = head.parts();
            let name = match known.get(&(insurer.to_owned(), insured.to_owned())) {
                Some((name, _)) => name.clone(),
                None => console
                    .unit_forms(&head.parcel, &head.serial)
                    .iter()
                    .find(|p| p.insurer == insurer && p.insured == insured && p.is_named())
                    .map(|p| p.name().to_owned())
                    .unwrap_or_default(),
            };
            HeadRow {
                id: head.id,
                family: family_label(&head.family),
                received: head.direction == "received",
                partner: partners.label(partner),
                insured: insured.to_owned(),
                name,
                versions,
                newest: jst(head.recorded),
                deleted: head.deletion,
            }
        })
        .collect();
    html(DocumentsPage {
        frame: Frame::new(&console, &staff, "documents", "文書の版"),
        family,
        search,
        rows,
        page,
        more,
    })
}

#[derive(Debug)]
struct VersionRow {
    id: i64,
    /// When the care software wrote the version (its ファイル連番), as 令和 and time.
    written: String,
    when: String,
    parcel: String,
    file: String,
    state: String,
}

#[derive(Template)]
#[template(path = "console/document.html")]
struct DocumentPage {
    frame: Frame,
    family: &'static str,
    name: String,
    insured: String,
    versions: Vec<VersionRow>,
    shown: i64,
    compared: Option<i64>,
    changes: Vec<Change>,
    missing: bool,
    /// This office sent the document and it stands: a 削除 may be sent for it.
    can_withdraw: bool,
}

/// A ファイル連番 (`YYYYMMDDHHMMSS`, Japan time) as people read it: 令和7年12月27日 9:30.
fn written(serial: &str) -> String {
    let hour = serial.get(8..10).and_then(|h| h.parse::<u32>().ok());
    match (serial.get(..8), hour, serial.get(10..12)) {
        (Some(date), Some(hour), Some(minute)) => {
            format!("{} {hour}:{minute}", renkei_spec::wareki::date(date))
        }
        _ => serial.to_owned(),
    }
}

#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    /// The version to show (default: the newest).
    version: Option<i64>,
    /// The older version to compare it with (default: the one before it).
    compare: Option<i64>,
}

pub async fn show(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path(id): Path<i64>,
    Query(query): Query<CompareQuery>,
) -> PageResult {
    let versions = console.office.ledger.document_versions(id)?;
    let newest = versions
        .first()
        .ok_or_else(|| PageError::not_found("文書"))?;
    let shown_at = query
        .version
        .and_then(|v| versions.iter().position(|r| r.id == v))
        .unwrap_or(0);
    let compared_at = query
        .compare
        .and_then(|v| versions.iter().position(|r| r.id == v))
        .or_else(|| (shown_at + 1 < versions.len()).then_some(shown_at + 1));
    let shown = &versions[shown_at];
    let after = console.forms_of(shown);
    let before = compared_at.and_then(|at| console.forms_of(&versions[at]));
    let missing = compared_at.is_some() && (after.is_none() || before.is_none());
    let changes = match (&before, &after) {
        (Some(before), Some(after)) => changes(before, after),
        _ => Vec::new(),
    };
    let (_, _, insured) = newest.parts();
    let name = after
        .as_ref()
        .or(before.as_ref())
        .filter(|p| p.is_named())
        .map(|p| p.name().to_owned())
        .unwrap_or_else(|| "氏名未登録の方".to_owned());
    let partners = Partners::of(&console)?;
    html(DocumentPage {
        frame: Frame::new(
            &console,
            &staff,
            "documents",
            format!("{} の版", family_label(&newest.family)),
        ),
        family: family_label(&newest.family),
        name,
        insured: insured.to_owned(),
        versions: versions
            .iter()
            .map(|v| VersionRow {
                id: v.id,
                written: written(&v.serial),
                when: jst(v.recorded),
                parcel: v.parcel.clone(),
                file: v.file.clone(),
                state: match (v.deletion, v.superseded) {
                    // Who withdrew it: the partner it came from, or this office.
                    (true, false) if v.direction == "received" => {
                        format!("取消（{} による）", partners.label(v.parts().0))
                    }
                    (true, false) => "取消（この事業所から）".to_owned(),
                    (false, false) => "最新".to_owned(),
                    _ => "旧版".to_owned(),
                },
            })
            .collect(),
        can_withdraw: newest.direction == "sent"
            && !newest.deletion
            && matches!(newest.family.as_str(), "plan" | "schedule" | "actual"),
        shown: shown.id,
        compared: compared_at.map(|at| versions[at].id),
        changes,
        missing,
    })
}
