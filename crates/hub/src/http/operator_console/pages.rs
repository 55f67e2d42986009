//! The operator's pages: what the relay carries, who is enrolled, and how far adoption has
//! come in each prefecture and municipality.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::session::Signed;
use super::{PageError, PageResult, html};
use crate::relay::Relay;
use crate::store::{Adoption, DailyVolume, OfficeQuery};

const DAY: i64 = 24 * 3600;
/// An office counts as using the relay when it sent or received within this many days.
const ACTIVE_DAYS: i64 = 30;

/// Names of enrolled offices by number, for pages that list numbers.
async fn office_names(relay: &Relay) -> Result<HashMap<String, String>, PageError> {
    let offices = relay
        .directory(
            OfficeQuery {
                limit: 100_000,
                ..OfficeQuery::default()
            },
            renkei_seal::unix_now(),
        )
        .await?;
    Ok(offices
        .into_iter()
        .map(|(office, _)| (office.number, office.name))
        .collect())
}

fn office_label(names: &HashMap<String, String>, number: &str) -> String {
    renkei_spec::glossary::office(names.get(number).map(String::as_str), number)
}

#[derive(Debug)]
struct VolumeRow {
    day: String,
    parcels: u64,
    megabytes: String,
    /// Bar length, 0–100.
    share: u64,
}

#[derive(Debug)]
struct PairRow {
    /// 「名（事業所番号）」.
    sender: String,
    recipient: String,
    parcels: u64,
    megabytes: String,
}

#[derive(Template)]
#[template(path = "operator_console/overview.html")]
struct Overview {
    operator: String,
    section: &'static str,
    offices: usize,
    volumes: Vec<VolumeRow>,
    total_parcels: u64,
    pairs: Vec<PairRow>,
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_000_000.0)
}

pub(super) async fn overview(
    State(relay): State<Arc<Relay>>,
    Signed(operator): Signed,
) -> PageResult {
    let since = renkei_seal::unix_now() - ACTIVE_DAYS * DAY;
    let volumes: Vec<DailyVolume> = relay.volumes(since).await?;
    let most = volumes.iter().map(|v| v.parcels).max().unwrap_or(1).max(1);
    let names = office_names(&relay).await?;
    let name = |number: &str| office_label(&names, number);
    let pairs = relay
        .pairs(since, 20)
        .await?
        .into_iter()
        .map(|p| PairRow {
            sender: name(&p.sender),
            recipient: name(&p.recipient),
            parcels: p.parcels,
            megabytes: megabytes(p.bytes),
        })
        .collect();
    html(Overview {
        operator,
        section: "overview",
        offices: names.len(),
        total_parcels: volumes.iter().map(|v| v.parcels).sum(),
        volumes: volumes
            .iter()
            .map(|v| VolumeRow {
                day: renkei_spec::wareki::date(&v.day.replace('-', "")),
                parcels: v.parcels,
                megabytes: megabytes(v.bytes),
                share: v.parcels * 100 / most,
            })
            .collect(),
        pairs,
    })
}

#[derive(Debug)]
struct OfficeRow {
    number: String,
    name: String,
    kinds: String,
    prefecture: &'static str,
    active: bool,
    state: &'static str,
    certificate_until: String,
    /// What the office's care software reads and writes, as the office said.
    csv: String,
}

#[derive(Template)]
#[template(path = "operator_console/offices.html")]
struct Offices {
    operator: String,
    section: &'static str,
    search: String,
    rows: Vec<OfficeRow>,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct OfficesQuery {
    q: Option<String>,
    done: Option<String>,
}

pub(super) async fn offices(
    State(relay): State<Arc<Relay>>,
    Signed(operator): Signed,
    Query(query): Query<OfficesQuery>,
) -> PageResult {
    let search = query.q.unwrap_or_default().trim().to_owned();
    let now = renkei_seal::unix_now();
    let by_number = !search.is_empty() && search.bytes().all(|b| b.is_ascii_digit());
    let found = relay
        .directory(
            OfficeQuery {
                number: by_number.then(|| search.clone()),
                name: (!by_number && !search.is_empty()).then(|| search.clone()),
                limit: 2000,
                ..OfficeQuery::default()
            },
            now,
        )
        .await?;
    let rows = found
        .into_iter()
        .map(|(office, certificate)| OfficeRow {
            csv: super::super::views::csv_versions(&office).summary_ja(),
            prefecture: renkei_spec::prefecture::name(office.prefecture).unwrap_or(""),
            state: match (office.active, &certificate) {
                (false, _) => "停止中",
                (true, None) => "証明書なし（失効・期限切れ）",
                (true, Some(_)) => "利用中",
            },
            certificate_until: certificate
                .map(|c| renkei_spec::jst::day(c.not_after))
                .unwrap_or_default(),
            kinds: office
                .kinds
                .iter()
                .map(|k| renkei_spec::services::kind_name(k).unwrap_or(k))
                .collect::<Vec<_>>()
                .join("・"),
            active: office.active,
            number: office.number,
            name: office.name,
        })
        .collect();
    html(Offices {
        operator,
        section: "offices",
        search,
        rows,
        message: query.done,
    })
}

#[derive(Debug, Deserialize)]
pub(super) struct ActiveForm {
    active: u8,
}

pub(super) async fn set_active(
    State(relay): State<Arc<Relay>>,
    Signed(operator): Signed,
    Path(number): Path<String>,
    Form(form): Form<ActiveForm>,
) -> Result<axum::response::Response, PageError> {
    relay.set_active(&number, form.active == 1).await?;
    tracing::info!(
        operator,
        office = number,
        active = form.active,
        "office state set from the console"
    );
    let done = if form.active == 1 {
        "再開しました"
    } else {
        "停止しました"
    };
    Ok(Redirect::to(&format!(
        "/console/offices?q={}&done={}",
        encode(&number),
        encode(&format!("{number} {done}"))
    ))
    .into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct RevokeForm {
    reason: String,
}

pub(super) async fn revoke(
    State(relay): State<Arc<Relay>>,
    Signed(operator): Signed,
    Path(number): Path<String>,
    Form(form): Form<RevokeForm>,
) -> Result<axum::response::Response, PageError> {
    if form.reason.trim().is_empty() {
        return Err(PageError(
            axum::http::StatusCode::BAD_REQUEST,
            "失効の理由を書いてください（鍵の紛失、廃止など） / give the reason".into(),
        ));
    }
    let revoked = relay
        .revoke(
            &number,
            None,
            form.reason.trim().to_owned(),
            renkei_seal::unix_now(),
        )
        .await?;
    tracing::info!(
        operator,
        office = number,
        count = revoked.len(),
        "certificates revoked from the console"
    );
    let done = format!("証明書{}件を失効させました", revoked.len());
    Ok(Redirect::to(&format!(
        "/console/offices?q={}&done={}",
        encode(&number),
        encode(&format!("{number} {done}"))
    ))
    .into_response())
}

/// A value from the request (the office number of the path too) as a query value: nothing
/// of it reaches the `Location` header unescaped.
fn encode(text: &str) -> String {
    renkei_web::redirect::encode_query_value(text)
}

#[derive(Template)]
#[template(path = "operator_console/codes.html")]
struct Codes {
    operator: String,
    section: &'static str,
    issued: Option<(String, String, String)>,
    error: Option<String>,
}

pub(super) async fn codes(_: State<Arc<Relay>>, Signed(operator): Signed) -> PageResult {
    html(Codes {
        operator,
        section: "codes",
        issued: None,
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub(super) struct CodeForm {
    number: String,
    name: String,
    kind: String,
}

pub(super) async fn issue_code(
    State(relay): State<Arc<Relay>>,
    Signed(operator): Signed,
    Form(form): Form<CodeForm>,
) -> PageResult {
    let kinds: Vec<String> = form
        .kind
        .split([',', ' ', '、'])
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    let outcome = relay
        .issue_code(
            form.number.trim(),
            form.name.trim(),
            &kinds,
            renkei_seal::unix_now(),
        )
        .await;
    let (issued, error) = match outcome {
        Ok(code) => (
            Some((code.code, code.office, renkei_spec::jst::jst(code.expires))),
            None,
        ),
        Err(error) => (None, Some(error.to_string())),
    };
    html(Codes {
        operator,
        section: "codes",
        issued,
        error,
    })
}

#[derive(Debug)]
struct AdoptionRow {
    link: Option<String>,
    area: String,
    name: String,
    registered: u64,
    enrolled: u64,
    active: u64,
    enrolled_rate: String,
    active_rate: String,
    /// Bar length of the enrolled share, 0–100.
    bar: u64,
}

impl AdoptionRow {
    fn new(row: Adoption, name: String, link: Option<String>) -> Self {
        let rate = |n: u64| {
            if row.registered == 0 {
                "—".to_owned()
            } else {
                format!("{:.1}%", n as f64 * 100.0 / row.registered as f64)
            }
        };
        Self {
            enrolled_rate: rate(row.enrolled),
            active_rate: rate(row.active),
            bar: (row.enrolled * 100)
                .checked_div(row.registered)
                .unwrap_or(0),
            link,
            area: row.area,
            name,
            registered: row.registered,
            enrolled: row.enrolled,
            active: row.active,
        }
    }
}

#[derive(Template)]
#[template(path = "operator_console/adoption.html")]
struct AdoptionPage {
    operator: String,
    section: &'static str,
    title: String,
    area_label: &'static str,
    rows: Vec<AdoptionRow>,
    total: AdoptionRow,
}

fn total(rows: &[Adoption]) -> Adoption {
    Adoption {
        area: String::new(),
        name: String::new(),
        registered: rows.iter().map(|r| r.registered).sum(),
        enrolled: rows.iter().map(|r| r.enrolled).sum(),
        active: rows.iter().map(|r| r.active).sum(),
    }
}

pub(super) async fn adoption(
    State(relay): State<Arc<Relay>>,
    Signed(operator): Signed,
) -> PageResult {
    let since = renkei_seal::unix_now() - ACTIVE_DAYS * DAY;
    let found = relay.adoption(None, since).await?;
    let sum = total(&found);
    let rows = found
        .into_iter()
        .map(|row| {
            let code: u8 = row.area.parse().unwrap_or(0);
            let name = renkei_spec::prefecture::name(code).unwrap_or("").to_owned();
            let link = Some(format!("/console/adoption/{:02}", code));
            AdoptionRow::new(row, name, link)
        })
        .collect();
    html(AdoptionPage {
        operator,
        section: "adoption",
        title: "都道府県別の接続状況".into(),
        area_label: "都道府県",
        rows,
        total: AdoptionRow::new(sum, "全国".into(), None),
    })
}

pub(super) async fn municipalities(
    State(relay): State<Arc<Relay>>,
    Signed(operator): Signed,
    Path(prefecture): Path<u8>,
) -> PageResult {
    let name = renkei_spec::prefecture::name(prefecture).ok_or_else(|| {
        PageError(
            axum::http::StatusCode::NOT_FOUND,
            "都道府県番号は01〜47です / prefectures are 01–47".into(),
        )
    })?;
    let since = renkei_seal::unix_now() - ACTIVE_DAYS * DAY;
    let found = relay.adoption(Some(prefecture), since).await?;
    let sum = total(&found);
    let rows = found
        .into_iter()
        .map(|row| {
            let name = row.name.clone();
            AdoptionRow::new(row, name, None)
        })
        .collect();
    html(AdoptionPage {
        operator,
        section: "adoption",
        title: format!("{name}の市区町村別の接続状況"),
        area_label: "市区町村",
        rows,
        total: AdoptionRow::new(sum, format!("{name} 計"), None),
    })
}
