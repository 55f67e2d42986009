//! The information base (介護情報基盤) for care software: a person's records the office may
//! see, and registering a plan the person agreed to (交付用) or a draft for their approval
//! (同意・確認用). Every request goes to the relay with the office's certificate, as the
//! console's do: the relay's rules decide, and the person's access log names this office.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use renkei_infobase::RecordKind;
use renkei_office::api_key::Scope;
use renkei_proto::RecordRequest;
use serde::{Deserialize, Serialize};

use super::{Caller, Problem, bad_query, json};
use crate::Console;

/// A person's numbers as the standard writes them: 保険者番号 6 digits, 被保険者番号 10.
fn person(insurer: &str, insured: &str) -> Result<(), Problem> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if digits(insurer, 6)
        && insured.len() == 10
        && insured.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Ok(());
    }
    Err(Problem::bad_request(
        "保険者番号は数字6桁、被保険者番号は英数字10桁で指定してください",
        "the insurer is 6 digits and the insured number 10 letters or digits",
    ))
}

/// The relay's refusal, passed on with its status and code; a fault is 503.
fn relay(error: renkei_office::Error) -> Problem {
    match error {
        renkei_office::Error::Refused {
            status,
            code,
            message,
        } if (400..500).contains(&status) => {
            let mut problem = Problem::new(
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
                "relay_refused",
                format!("介護情報基盤が受け付けませんでした: {message}"),
                format!("the information base refused: {message}"),
            );
            let mut extra = serde_json::Map::new();
            extra.insert("relay_code".into(), code.as_str().into());
            problem.extra = Some(extra);
            problem
        }
        other if renkei_office::retry::is_fault(&other) => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "relay_unavailable",
            "中継サーバーに届きませんでした。しばらくしてもう一度お試しください",
            "the relay could not be reached; try again later",
        ),
        other => Problem::from(other),
    }
}

#[derive(Debug, Deserialize)]
pub struct RecordsQuery {
    kind: RecordKind,
}

#[derive(Debug, Serialize)]
struct Records {
    records: Vec<renkei_proto::RecordView>,
}

/// `GET /api/v1/infobase/people/{insurer}/{insured}/records?kind=…`
pub async fn records(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    Path((insurer, insured)): Path<(String, String)>,
    query: Result<Query<RecordsQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    caller.require(Scope::Infobase)?;
    let Query(query) = query.map_err(bad_query)?;
    person(&insurer, &insured)?;
    let records = console
        .office
        .client
        .base_records(&insurer, &insured, query.kind.as_str())
        .await
        .map_err(relay)?;
    Ok(json(StatusCode::OK, &Records { records }))
}

/// A plan to register: from a parcel this office exchanged (the forms of the person in it),
/// or given whole.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// `delivery` (交付用, the plan the person agreed to) or `draft` (同意・確認用).
    purpose: Purpose,
    /// A parcel whose files hold the person's 第1・2表 (and 第6表).
    #[serde(default)]
    parcel: Option<String>,
    /// Or the plan's items, given whole.
    #[serde(default)]
    plan: Option<serde_json::Map<String, serde_json::Value>>,
    /// Which plan it is (its 作成日 `YYYYMMDD`); from the plan when absent.
    #[serde(default)]
    key: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Purpose {
    Delivery,
    Draft,
}

/// `POST /api/v1/infobase/people/{insurer}/{insured}/plans`
pub async fn register_plan(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    Path((insurer, insured)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Problem> {
    caller.require(Scope::Infobase)?;
    person(&insurer, &insured)?;
    let request: PlanRequest = serde_json::from_slice(&body).map_err(|e| {
        Problem::bad_request(
            format!("本文は {{\"purpose\": \"delivery\" か \"draft\", \"parcel\": \"小包\"}} か {{\"purpose\": …, \"plan\": {{…}}}} の JSON で送ってください({e})"),
            format!("send {{\"purpose\": \"delivery\"|\"draft\", \"parcel\": \"…\"}} or {{\"purpose\": …, \"plan\": {{…}}}} ({e})"),
        )
    })?;
    let body = match (&request.parcel, request.plan) {
        (Some(parcel), None) => {
            if !parcel.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(unknown_parcel());
            }
            let key = format!("{insurer}-{insured}");
            let (_, _, person) = crate::people::person_in(&console, parcel, &key).map_err(|e| {
                if e.status == StatusCode::NOT_FOUND {
                    unknown_parcel()
                } else {
                    Problem::internal(e.message)
                }
            })?;
            crate::infobase::plan_body(&console.office.profile.number, &person)
        }
        (None, Some(plan)) if !plan.is_empty() => serde_json::Value::Object(plan),
        _ => {
            return Err(Problem::bad_request(
                "parcel(この事業所がやり取りした小包)か plan(計画の項目)のどちらか一方を指定してください",
                "give either parcel (one this office exchanged) or plan (the plan's items), not both",
            ));
        }
    };
    let key = request
        .key
        .filter(|k| !k.trim().is_empty())
        .or_else(|| {
            body.get("plan_date")
                .and_then(|d| d.as_str())
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "plan".to_owned());
    if key.chars().count() > 64 || key.chars().any(char::is_control) {
        return Err(Problem::bad_request(
            "key は64文字までで指定してください",
            "key is at most 64 characters",
        ));
    }
    let record = RecordRequest {
        kind: match request.purpose {
            Purpose::Delivery => RecordKind::CarePlan,
            Purpose::Draft => RecordKind::DraftPlan,
        },
        key,
        body,
    };
    let registered = console
        .office
        .client
        .base_submit(&insurer, &insured, &record)
        .await
        .map_err(relay)?;
    Ok(json(StatusCode::CREATED, &registered))
}

fn unknown_parcel() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "parcel_unknown",
        "その小包に、この方の計画はありません(この事業所がやり取りした小包を指定してください)",
        "no plan of this person in that parcel (name a parcel this office exchanged)",
    )
}
