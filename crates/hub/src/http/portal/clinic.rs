//! The clinic's pages: the opinions (主治医意見書) its municipalities asked of it, and the
//! form it writes each in, with an optional PDF of the signed paper.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use base64::Engine;

use super::view::{RecordView, holders_of_record};
use super::{Signed, who};
use crate::http::page::{PageError, PageResult, html};
use crate::relay::Relay;
use renkei_infobase::{PersonKey, RecordKind};
use renkei_spec::jst::{date, jst};

/// The largest PDF an opinion carries.
const PDF_LIMIT: usize = 10 * 1024 * 1024;

struct RequestRow {
    insurer: String,
    insured: String,
    /// The applicant's name, as the municipality's request gave it.
    name: String,
    key: String,
    /// The application's date (its key) as 令和.
    applied: String,
    requested: String,
    state: String,
}

#[derive(Template)]
#[template(path = "portal/clinic.html")]
struct RequestsPage {
    who: String,
    section: &'static str,
    rows: Vec<RequestRow>,
}

/// The newest version's `state` of the clinic's opinion.
fn state_of(opinions: &[crate::store::RecordVersion], key: &str) -> String {
    opinions
        .iter()
        .rev()
        .find(|r| r.key == key)
        .and_then(|r| serde_json::from_str::<serde_json::Value>(&r.body).ok())
        .and_then(|b| b.get("state").and_then(|s| s.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "依頼中".into())
}

/// The applicant's name from the municipality's request (the opinion's first version).
fn applicant(opinions: &[crate::store::RecordVersion], key: &str) -> String {
    opinions
        .iter()
        .filter(|r| r.key == key)
        .find_map(|r| {
            let body: serde_json::Value = serde_json::from_str(&r.body).ok()?;
            body.get("name")?.as_str().map(str::to_owned)
        })
        .unwrap_or_default()
}

pub(super) async fn requests(State(relay): State<Arc<Relay>>, signed: Signed) -> PageResult {
    signed.clinic()?;
    let now = renkei_seal::unix_now();
    let mut rows = Vec::new();
    for request in relay.opinions_asked_of(&signed.0.viewer).await? {
        let opinions = relay
            .disclose(&signed.0.viewer, &request.person, RecordKind::Opinion, now)
            .await?;
        rows.push(RequestRow {
            state: state_of(&opinions, &request.key),
            name: applicant(&opinions, &request.key),
            applied: renkei_spec::wareki::date(&request.key),
            insurer: request.person.insurer,
            insured: request.person.insured,
            key: request.key,
            requested: jst(request.requested),
        });
    }
    html(RequestsPage {
        who: who(&signed.0),
        section: "overview",
        rows,
    })
}

#[derive(Template)]
#[template(path = "portal/opinion.html")]
struct OpinionPage {
    who: String,
    section: &'static str,
    insurer: String,
    insured: String,
    name: String,
    applied: String,
    key: String,
    history: Vec<RecordView>,
    today: String,
}

pub(super) async fn form(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Path((insurer, insured, key)): Path<(String, String, String)>,
) -> PageResult {
    signed.clinic()?;
    let person = PersonKey::new(&insurer, &insured);
    let now = renkei_seal::unix_now();
    let opinions = relay
        .disclose(&signed.0.viewer, &person, RecordKind::Opinion, now)
        .await?;
    let history = opinions
        .iter()
        .filter(|r| r.key == key)
        .cloned()
        .collect::<Vec<_>>();
    html(OpinionPage {
        who: who(&signed.0),
        section: "overview",
        insurer,
        insured,
        name: applicant(&history, &key),
        applied: renkei_spec::wareki::date(&key),
        key,
        history: RecordView::all(
            &history,
            &relay
                .names(history.iter().flat_map(holders_of_record).collect())
                .await?,
        ),
        today: date(now),
    })
}

/// The opinion's items as the form sends them (the national form's main items).
const ITEMS: [&str; 7] = [
    "doctor",
    "written",
    "diagnosis",
    "stability",
    "physical_independence",
    "cognitive_independence",
    "special_notes",
];

pub(super) async fn submit(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Path((insurer, insured, key)): Path<(String, String, String)>,
    mut form: Multipart,
) -> PageResult {
    let clinic = signed.clinic()?.to_owned();
    let bad = |e: axum::extract::multipart::MultipartError| {
        PageError(StatusCode::BAD_REQUEST, e.body_text())
    };
    let mut body = serde_json::Map::new();
    body.insert("clinic".into(), clinic.into());
    body.insert("state".into(), "提出済".into());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        if name == "pdf" {
            let bytes = field.bytes().await.map_err(bad)?;
            if bytes.is_empty() {
                continue;
            }
            if !bytes.starts_with(b"%PDF-") || bytes.len() > PDF_LIMIT {
                return Err(PageError(
                    StatusCode::BAD_REQUEST,
                    "添付できるのは10MBまでのPDFファイルです / attach a PDF of at most 10 MB"
                        .into(),
                ));
            }
            body.insert(
                "pdf".into(),
                base64::engine::general_purpose::STANDARD
                    .encode(&bytes)
                    .into(),
            );
        } else if ITEMS.contains(&name.as_str()) {
            let text = field.text().await.map_err(bad)?;
            body.insert(name, text.trim().to_owned().into());
        }
    }
    for required in ["doctor", "diagnosis"] {
        if body
            .get(required)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .is_empty()
        {
            return Err(PageError(
                StatusCode::BAD_REQUEST,
                "記載した医師と診断名は必ず入力してください / the doctor and the diagnosis are required".into(),
            ));
        }
    }
    let person = PersonKey::new(&insurer, &insured);
    relay
        .submit_one(
            &signed.0.viewer,
            &person,
            RecordKind::Opinion,
            &key,
            serde_json::Value::Object(body),
            renkei_seal::unix_now(),
        )
        .await?;
    Ok(Redirect::to("/base/clinic").into_response())
}
