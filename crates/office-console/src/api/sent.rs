//! What became of what was sent: each parcel with its destination, files, state and
//! signed receipts (`GET /api/v1/sent`, `/api/v1/sent/{parcel}`), and the changes after a
//! cursor, waited for (`GET /api/v1/sent/changes?after=…&wait=…`).

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use renkei_office::api_key::Scope;
use renkei_office::ledger::{OutgoingState, SentParcel};
use renkei_spec::FileName;
use renkei_spec::filename::MonthToken;
use serde::{Deserialize, Serialize};

use super::{Caller, Problem, bad_query, json, rfc3339};
use crate::Console;
use crate::parcels::{RelayStates, relay_states};
use crate::time::Month;

/// The longest a changes call waits, in seconds.
const MAX_WAIT: u64 = 60;
/// How often a waiting call asks the relay.
const LOOK_EVERY: Duration = Duration::from_secs(1);

/// A state as programs match on it, and as the console names it.
fn state_of(parcel: &SentParcel, relay: &RelayStates) -> (&'static str, &'static str) {
    let at_relay = parcel.parcel_id.as_ref().and_then(|id| relay.by_id.get(id));
    match at_relay.map(|view| (view.state.as_str(), relay.returned.get(&view.id))) {
        Some(("accepted", _)) => ("sent", "送信済"),
        Some(("downloaded", _)) => ("delivered", "到達"),
        Some(("acknowledged", _)) => ("imported", "取込済"),
        Some(("rejected", Some(&"取込エラー"))) => ("import_error", "取込エラー"),
        Some(("rejected", _)) => ("not_imported", "取込不可"),
        Some(("not_delivered", _)) => ("expired", "期限切れ"),
        Some(("purged", _)) => ("purged", "保存期間満了"),
        Some(_) => ("unknown", "不明"),
        None if parcel.state == OutgoingState::Prepared => ("sending", "送信中"),
        None => ("sent", "送信済"),
    }
}

#[derive(Debug, Serialize)]
pub struct SentView {
    /// The relay's id (ours while it has none).
    pub parcel: String,
    pub to: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub to_name: String,
    pub files: Vec<String>,
    /// The サービス提供月 (対象年月) the files' names give, `YYYYMM`.
    pub months: Vec<String>,
    pub sent_at: String,
    /// `sending`, `sent`, `delivered`, `imported`, `import_error`, `not_imported`,
    /// `expired`, `purged`.
    pub state: &'static str,
    pub state_ja: &'static str,
    /// The signed receipts this office keeps, by step (`accepted`, `acknowledged`, `rejected`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipts: Option<serde_json::Map<String, serde_json::Value>>,
}

fn months_of(parcel: &SentParcel) -> Vec<String> {
    let mut months: Vec<String> = parcel
        .files
        .iter()
        .filter_map(|f| FileName::parse(&f.name).ok())
        .filter_map(|n| match n.month {
            Some(MonthToken::Month(month)) => Some(month.to_string()),
            _ => None,
        })
        .collect();
    months.sort();
    months.dedup();
    months
}

fn view(
    console: &Console,
    parcel: &SentParcel,
    relay: &RelayStates,
    names: &std::collections::HashMap<String, String>,
    receipts: bool,
) -> SentView {
    let (state, state_ja) = state_of(parcel, relay);
    SentView {
        parcel: parcel.id().to_owned(),
        to: parcel.recipient.clone(),
        to_name: names.get(&parcel.recipient).cloned().unwrap_or_default(),
        files: parcel.files.iter().map(|f| f.name.clone()).collect(),
        months: months_of(parcel),
        sent_at: rfc3339(parcel.time()),
        state,
        state_ja,
        receipts: receipts.then(|| kept_receipts(console, parcel.id())),
    }
}

fn kept_receipts(console: &Console, id: &str) -> serde_json::Map<String, serde_json::Value> {
    ["accepted", "acknowledged", "rejected"]
        .into_iter()
        .filter_map(|step| {
            let path = console.office.profile.receipt_path(id, step);
            let text = std::fs::read(path).ok()?;
            Some((step.to_owned(), serde_json::from_slice(&text).ok()?))
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// A サービス提供月 `YYYYMM`: the parcels whose files are of that month.
    month: Option<String>,
    /// A recipient's 事業所番号.
    to: Option<String>,
    limit: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Listing {
    parcels: Vec<SentView>,
    /// False when the relay did not answer: states are this office's last word.
    relay_reachable: bool,
}

pub async fn list(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    caller.require(Scope::Receive)?;
    let Query(query) = query.map_err(bad_query)?;
    let month = match query.month.as_deref() {
        None => None,
        Some(text) => Some(
            Month::parse(text)
                .filter(|_| text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    Problem::bad_request(
                        format!("month「{text}」は年月(YYYYMM、例: 202601)ではありません"),
                        format!("month '{text}' is not YYYYMM"),
                    )
                })?,
        ),
    };
    if let Some(to) = &query.to
        && (to.len() != 10 || !to.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Problem::bad_request(
            format!("to「{to}」は事業所番号(数字10桁)ではありません"),
            format!("to '{to}' is not an office number (10 digits)"),
        ));
    }
    let limit = query.limit.unwrap_or(200);
    if !(1..=1000).contains(&limit) {
        return Err(Problem::bad_request(
            "limit は1から1000までで指定してください",
            "limit is from 1 to 1000",
        ));
    }
    let relay = relay_states(&console).await;
    let names = console.office.ledger.partner_names()?;
    let parcels = console.office.ledger.sent_parcels(0, i64::MAX, 100_000)?;
    let wanted = month.map(|m| format!("{:04}{:02}", m.year, m.month));
    let parcels: Vec<SentView> = parcels
        .iter()
        .filter(|p| query.to.as_deref().is_none_or(|to| p.recipient == to))
        .map(|p| view(&console, p, &relay, &names, false))
        .filter(|v| wanted.as_ref().is_none_or(|m| v.months.contains(m)))
        .take(limit)
        .collect();
    remember(
        &console,
        &relay,
        parcels.iter().map(|v| (v.parcel.as_str(), v.state)),
    );
    Ok(json(
        StatusCode::OK,
        &Listing {
            parcels,
            relay_reachable: relay.unreachable.is_none(),
        },
    ))
}

/// States just heard are noted, so that a changes call sees them as changes once.
fn remember<'a>(
    console: &Console,
    relay: &RelayStates,
    states: impl IntoIterator<Item = (&'a str, &'static str)>,
) {
    if relay.unreachable.is_some() {
        return;
    }
    let states: Vec<(String, String)> = states
        .into_iter()
        .map(|(parcel, state)| (parcel.to_owned(), state.to_owned()))
        .collect();
    if let Err(error) = console.office.ledger.note_sent_states(&states) {
        tracing::warn!("sent states not noted: {error}");
    }
}

pub async fn one(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    Path(parcel): Path<String>,
) -> Result<Response, Problem> {
    caller.require(Scope::Receive)?;
    let Some(sent) = console.office.ledger.sent_parcel(&parcel)? else {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            "parcel_unknown",
            "この事業所が送った小包にその番号はありません",
            "this office sent no parcel of that id",
        ));
    };
    let relay = relay_states(&console).await;
    let names = console.office.ledger.partner_names()?;
    let view = view(&console, &sent, &relay, &names, true);
    remember(&console, &relay, [(view.parcel.as_str(), view.state)]);
    Ok(json(StatusCode::OK, &view))
}

#[derive(Debug, Deserialize)]
pub struct ChangesQuery {
    /// The cursor of the last answer; 0 (or none) for every parcel's state.
    after: Option<i64>,
    /// Seconds to wait for a change when there is none (at most 60).
    wait: Option<u64>,
}

#[derive(Debug, Serialize)]
struct Change {
    parcel: String,
    state: String,
    cursor: i64,
}

#[derive(Debug, Serialize)]
struct Changes {
    changes: Vec<Change>,
    /// Give this as `after` next time.
    cursor: i64,
    relay_reachable: bool,
}

/// The parcels whose state changed after the cursor; with none, the call waits (asking the
/// relay every second) until one changes or `wait` seconds pass.
pub async fn changes(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<ChangesQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    caller.require(Scope::Receive)?;
    let Query(query) = query.map_err(bad_query)?;
    let after = query.after.unwrap_or(0);
    let wait = query.wait.unwrap_or(0);
    if after < 0 || wait > MAX_WAIT {
        return Err(Problem::bad_request(
            format!("after は0以上、wait は0から{MAX_WAIT}秒までで指定してください"),
            format!("after is at least 0 and wait from 0 to {MAX_WAIT} seconds"),
        ));
    }
    let wait = Duration::from_secs(wait);
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let relay = relay_states(&console).await;
        // Only the states: names, months and times are not needed to see what changed.
        let parcels = console.office.ledger.sent_parcels(0, i64::MAX, 100_000)?;
        remember(
            &console,
            &relay,
            parcels.iter().map(|p| (p.id(), state_of(p, &relay).0)),
        );
        let changed = console.office.ledger.sent_states_after(after, 1000)?;
        let now = tokio::time::Instant::now();
        if !changed.is_empty() || now >= deadline {
            let cursor = changed.last().map_or(after, |c| c.2);
            let answer = Changes {
                changes: changed
                    .into_iter()
                    .map(|(parcel, state, cursor)| Change {
                        parcel,
                        state,
                        cursor,
                    })
                    .collect(),
                cursor,
                relay_reachable: relay.unreachable.is_none(),
            };
            return Ok(json(StatusCode::OK, &answer));
        }
        tokio::time::sleep(LOOK_EVERY.min(deadline - now)).await;
    }
}
