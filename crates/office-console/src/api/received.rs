//! What arrived, for care software that takes its files through the API: the arrivals
//! after a cursor, waited for (`GET /api/v1/received?after=…&wait=…`, which receives from
//! the relay itself while it waits); one parcel as the JSON form or a file's own bytes; and
//! the care software's word on it — imported (only then is the sender's acknowledgement
//! sent) or not, with why (the sender sees it).

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use renkei_office::api_key::Scope;
use renkei_office::ledger::{IncomingState, ReceivedParcel};
use renkei_office::receiving::{self, Delivery};
use renkei_spec::FileName;
use renkei_spec::json as json_form;
use renkei_spec::validate::Input;
use serde::{Deserialize, Serialize};

use super::{Caller, Problem, bad_query, json, rfc3339};
use crate::Console;

const MAX_WAIT: u64 = 60;
const MAX_LIMIT: usize = 1000;
/// How often a call that waits while another receives looks at the ledger.
const LOOK_EVERY: Duration = Duration::from_millis(500);

fn state_of(state: IncomingState) -> (&'static str, &'static str) {
    match state {
        IncomingState::Writing | IncomingState::Placing => ("receiving", "受信中"),
        IncomingState::Placed => ("placed", "取込フォルダに配置"),
        IncomingState::Held => ("held", "介護ソフトの取込待ち"),
        IncomingState::Acknowledged => ("imported", "取込済"),
        IncomingState::Rejected => ("not_imported", "取込不可"),
    }
}

#[derive(Debug, Serialize)]
struct Arrival {
    parcel: String,
    from: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    from_name: String,
    files: Vec<String>,
    received_at: String,
    /// `receiving`, `placed` (in the import folder), `held` (waiting for the care
    /// software's word), `imported`, `not_imported`.
    state: &'static str,
    state_ja: &'static str,
    /// Its place in the order of arrival: give it as `after` to page on.
    cursor: i64,
}

fn arrival(
    place: i64,
    parcel: &ReceivedParcel,
    names: &std::collections::HashMap<String, String>,
) -> Arrival {
    let (state, state_ja) = state_of(parcel.state);
    Arrival {
        parcel: parcel.parcel_id.clone(),
        from: parcel.sender.clone(),
        from_name: names.get(&parcel.sender).cloned().unwrap_or_default(),
        files: parcel.files.clone(),
        received_at: rfc3339(parcel.received),
        state,
        state_ja,
        cursor: place,
    }
}

#[derive(Debug, Deserialize)]
pub struct ArrivalsQuery {
    after: Option<i64>,
    wait: Option<u64>,
    limit: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Arrivals {
    parcels: Vec<Arrival>,
    cursor: i64,
    /// How this office gives received files to the care software: `api` or `folder`.
    delivery: &'static str,
}

pub async fn list(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    query: Result<Query<ArrivalsQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    caller.require(Scope::Receive)?;
    let Query(query) = query.map_err(bad_query)?;
    let after = query.after.unwrap_or(0);
    let wait = query.wait.unwrap_or(0);
    let limit = query.limit.unwrap_or(200);
    if after < 0 || wait > MAX_WAIT || !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Problem::bad_request(
            format!(
                "after は0以上、wait は0から{MAX_WAIT}秒、limit は1から{MAX_LIMIT}までで指定してください"
            ),
            format!(
                "after is at least 0, wait from 0 to {MAX_WAIT} seconds, limit from 1 to {MAX_LIMIT}"
            ),
        ));
    }
    let office = &console.office;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(wait);
    // What waits at the relay is taken in first, so the list is never behind it.
    receive_until(&console, tokio::time::Instant::now()).await?;
    let mut found = office.ledger.received_after(after, limit)?;
    while found.is_empty() && tokio::time::Instant::now() < deadline {
        // Nothing new: wait at the relay for a parcel (or, while another call does,
        // look at the ledger now and then).
        if !receive_until(&console, deadline).await? {
            tokio::time::sleep(LOOK_EVERY).await;
        }
        found = office.ledger.received_after(after, limit)?;
    }
    let names = office.ledger.partner_names()?;
    let cursor = found.last().map_or(after, |(place, _)| *place);
    let delivery = match receiving::delivery(office)? {
        Delivery::Api => "api",
        Delivery::Folder => "folder",
    };
    Ok(json(
        StatusCode::OK,
        &Arrivals {
            parcels: found
                .iter()
                .map(|(place, p)| arrival(*place, p, &names))
                .collect(),
            cursor,
            delivery,
        },
    ))
}

/// Receive from the relay (holding for the API, or placing, as the office is set), waiting
/// there until `deadline`; one receiver at a time: `false` when another (a sync, the
/// console's own receiving, another call) is at it.
async fn receive_until(console: &Console, deadline: tokio::time::Instant) -> Result<bool, Problem> {
    let wait = deadline.saturating_duration_since(tokio::time::Instant::now());
    match receiving::try_receive(
        &console.office,
        &console.folders.import,
        wait,
        &renkei_spec::progress::Silent,
    )
    .await
    {
        Ok(report) => Ok(report.is_some()),
        // The relay out of reach: what the ledger has is still the answer.
        Err(error) if renkei_office::retry::is_fault(&error) => {
            tracing::warn!("API: the relay could not be asked: {error}");
            Ok(false)
        }
        Err(error) => Err(Problem::from(error)),
    }
}

fn unknown_parcel() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "parcel_unknown",
        "この事業所が受け取った小包にその番号はありません",
        "no parcel of that id was received here",
    )
}

fn received(console: &Console, parcel: &str) -> Result<ReceivedParcel, Problem> {
    if !parcel.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(unknown_parcel());
    }
    console
        .office
        .ledger
        .received_parcel(parcel)?
        .ok_or_else(unknown_parcel)
}

#[derive(Debug, Serialize)]
struct ReceivedUnit {
    #[serde(flatten)]
    arrival: Arrival,
    /// The standard files in the JSON form.
    document: json_form::UnitDocument,
    /// The files that are not the standard's (reports, images), by name: fetch each from
    /// `/api/v1/received/{parcel}/files/{name}`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<String>,
}

/// One parcel as the JSON form, from the sealed copy kept (every signature checked again).
pub async fn one(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    Path(parcel): Path<String>,
) -> Result<Response, Problem> {
    caller.require(Scope::Receive)?;
    let known = received(&console, &parcel)?;
    let files = console.received_files(&parcel)?;
    let (standard, others): (Vec<_>, Vec<_>) =
        files.iter().partition(|f| FileName::parse(&f.name).is_ok());
    let inputs: Vec<Input<'_>> = standard
        .iter()
        .map(|f| Input {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let document = json_form::unit_to_json(&inputs).map_err(Problem::internal)?;
    let place = console
        .office
        .ledger
        .received_place(&parcel)?
        .unwrap_or_default();
    let names = console.office.ledger.partner_names()?;
    Ok(json(
        StatusCode::OK,
        &ReceivedUnit {
            arrival: arrival(place, &known, &names),
            document,
            attachments: others.iter().map(|f| f.name.clone()).collect(),
        },
    ))
}

/// One file of a parcel, its bytes as the sender's care software wrote them.
pub async fn file(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    Path((parcel, name)): Path<(String, String)>,
) -> Result<Response, Problem> {
    caller.require(Scope::Receive)?;
    received(&console, &parcel)?;
    let files = console.received_files(&parcel)?;
    let Some(file) = files.iter().find(|f| f.name == name) else {
        return Err(Problem::new(
            StatusCode::NOT_FOUND,
            "file_unknown",
            format!("この小包に「{name}」というファイルはありません"),
            "no file of that name in this parcel",
        ));
    };
    let content_type = HeaderValue::from_static(if name.to_ascii_lowercase().ends_with(".csv") {
        "text/csv; charset=Shift_JIS"
    } else {
        "application/octet-stream"
    });
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                renkei_web::download::attachment(&name),
            ),
        ],
        file.bytes.clone(),
    )
        .into_response())
}

#[derive(Debug, Serialize)]
struct Word {
    parcel: String,
    state: &'static str,
    state_ja: &'static str,
}

fn word_refused(error: renkei_office::Error) -> Problem {
    match error {
        renkei_office::Error::Setting(message) => {
            Problem::new(StatusCode::CONFLICT, "not_held", message.clone(), message)
        }
        other if renkei_office::retry::is_fault(&other) => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "relay_unavailable",
            "中継サーバーに届きませんでした。しばらくしてもう一度送ってください(二重にはなりません)",
            "the relay could not be reached; try again later (it is not done twice)",
        ),
        other => Problem::from(other),
    }
}

/// `POST /api/v1/received/{parcel}/imported`: the care software took it in.
pub async fn imported(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    Path(parcel): Path<String>,
) -> Result<Response, Problem> {
    caller.require(Scope::Receive)?;
    received(&console, &parcel)?;
    receiving::confirm_import(&console.office, &parcel)
        .await
        .map_err(word_refused)?;
    Ok(json(
        StatusCode::OK,
        &Word {
            parcel,
            state: "imported",
            state_ja: "取込済",
        },
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failure {
    /// Why the care software could not take it in, for the sender to read.
    reason: String,
}

/// The longest reason, in characters: a sentence or two for a person at the sender.
const MAX_REASON: usize = 1000;

/// `POST /api/v1/received/{parcel}/failed` with `{"reason": "…"}`: the care software could not.
pub async fn failed(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    Path(parcel): Path<String>,
    body: Bytes,
) -> Result<Response, Problem> {
    caller.require(Scope::Receive)?;
    let failure: Failure = serde_json::from_slice(&body).map_err(|e| {
        Problem::bad_request(
            format!(
                "本文は {{\"reason\": \"取り込めなかった理由\"}} の JSON で送ってください({e})"
            ),
            format!("send {{\"reason\": \"why\"}} as JSON ({e})"),
        )
    })?;
    let reason = failure.reason.trim();
    if reason.is_empty()
        || reason.chars().count() > MAX_REASON
        || reason.chars().any(|c| c.is_control() && c != '\n')
    {
        return Err(Problem::bad_request(
            format!("reason には取り込めなかった理由を1〜{MAX_REASON}文字で書いてください"),
            format!("give the reason in 1 to {MAX_REASON} characters"),
        ));
    }
    received(&console, &parcel)?;
    receiving::report_failure(&console.office, &parcel, reason)
        .await
        .map_err(word_refused)?;
    Ok(json(
        StatusCode::OK,
        &Word {
            parcel,
            state: "not_imported",
            state_ja: "取込不可",
        },
    ))
}
