//! The local REST API for care software, beside the console on the office's own machine:
//! what a care system does with the folders (send a unit, see what became of it, take in
//! what arrived), as calls with JSON, described by its own OpenAPI document
//! (`/api/v1/openapi.json`, [`openapi`]).
//!
//! Every call but the documents needs an API key of this office ([`renkei_office::api_key`],
//! made by an administrator on the console or with `renkei office api-key add`), sent as
//! `Authorization: Bearer renkei_…`, and a key does only what its scopes allow. Each call is
//! recorded with the key's name. The end-to-end encryption stays where it is: this office
//! seals what it sends and opens what it receives; the relay never reads care data.

mod infobase;
mod openapi;
mod problem;
mod received;
mod send;
mod sent;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use renkei_office::api_key::{self, ApiKey, Scope, Unaccepted};
use renkei_office::ledger::ApiCall;

use super::Console;
pub use problem::{Item, Problem};

/// Where the API is.
pub const BASE: &str = "/api/v1";

/// The API's routes, behind its key check, to be nested at [`BASE`]: its fallback (a
/// problem, not a page) answers only there.
pub fn router(console: Arc<Console>) -> Router<Arc<Console>> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/schema/unit.json", get(openapi::unit_schema))
        .route("/schema/{layout}/{file}", get(openapi::layout_schema))
        .route("/units", post(send::send))
        .route("/sent", get(sent::list))
        .route("/sent/changes", get(sent::changes))
        .route("/sent/{parcel}", get(sent::one))
        .route("/received", get(received::list))
        .route("/received/{parcel}", get(received::one))
        .route("/received/{parcel}/files/{name}", get(received::file))
        .route("/received/{parcel}/imported", post(received::imported))
        .route("/received/{parcel}/failed", post(received::failed))
        .route(
            "/infobase/people/{insurer}/{insured}/records",
            get(infobase::records),
        )
        .route(
            "/infobase/people/{insurer}/{insured}/plans",
            post(infobase::register_plan),
        )
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(console, gate))
}

async fn not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "この API にそのパスはありません。/api/v1/openapi.json で確かめてください",
        "no such path in this API; see /api/v1/openapi.json",
    )
}

/// The key a call came with, for its handler.
#[derive(Clone, Debug)]
pub struct Caller(pub ApiKey);

impl Caller {
    /// The call may go on only if the key has `scope`.
    pub fn require(&self, scope: Scope) -> Result<(), Problem> {
        if self.0.may(scope) {
            return Ok(());
        }
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            "scope_missing",
            format!(
                "API キー「{}」には「{}」の権限がありません。事業所の管理者に権限のある鍵を作ってもらってください",
                self.0.name,
                scope.label_ja()
            ),
            format!(
                "the key '{}' does not have the scope '{scope}'; ask the office's administrator for a key that has",
                self.0.name
            ),
        ))
    }
}

/// Paths (under [`BASE`]) anyone on the machine may read: the documents of the API.
fn is_public(path: &str) -> bool {
    path == "/openapi.json" || path.starts_with("/schema/")
}

/// The key check and the record of every call. A call without a key, with one that is not
/// this office's, or with a revoked one, ends here with 401, recorded as such.
async fn gate(State(console): State<Arc<Console>>, mut request: Request, next: Next) -> Response {
    if is_public(request.uri().path()) {
        return next.run(request).await;
    }
    // Inside the nest the path lost its prefix: the record keeps the whole of it.
    let path = format!("{BASE}{}", request.uri().path());
    let method = request.method().as_str().to_owned();
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let ledger = &console.office.ledger;
    let checked = match presented.as_deref() {
        None => Err(("(鍵なし)", unauthorized(None))),
        Some(token) => match api_key::check(ledger, token) {
            Ok(Ok(key)) => Ok(key),
            Ok(Err(why)) => Err(("(無効な鍵)", unauthorized(Some(why)))),
            Err(error) => return Problem::from(error).into_response(),
        },
    };
    let (key_id, key_name, response) = match checked {
        Ok(key) => {
            let (id, name) = (key.id.clone(), key.name.clone());
            request.extensions_mut().insert(Caller(key));
            (Some(id), name, next.run(request).await)
        }
        Err((name, problem)) => (None, name.to_owned(), problem.into_response()),
    };
    let call = ApiCall {
        time: renkei_seal::unix_now(),
        key_name,
        method,
        path,
        status: response.status().as_u16(),
    };
    if let Err(error) = ledger.record_api_call(key_id.as_deref(), &call) {
        tracing::error!("an API call could not be recorded: {error}");
    }
    response
}

fn unauthorized(why: Option<Unaccepted>) -> Problem {
    match why {
        None => Problem::new(
            StatusCode::UNAUTHORIZED,
            "api_key_required",
            "API キーがありません。Authorization: Bearer <API キー> を付けてください",
            "no API key: send Authorization: Bearer <key>",
        ),
        Some(Unaccepted::Unknown) => Problem::new(
            StatusCode::UNAUTHORIZED,
            "api_key_unknown",
            "この事業所の API キーではありません。事業所の画面の「API キー」で確かめてください",
            "not an API key of this office; see the console's API keys page",
        ),
        Some(Unaccepted::Revoked) => Problem::new(
            StatusCode::UNAUTHORIZED,
            "api_key_revoked",
            "この API キーは取り消されています。事業所の管理者に新しい鍵を作ってもらってください",
            "this API key was revoked; ask the office's administrator for a new one",
        ),
    }
}

/// A query the handler's type cannot hold (a word where a number goes, a number too large).
pub fn bad_query(rejection: axum::extract::rejection::QueryRejection) -> Problem {
    Problem::bad_request(
        format!(
            "問い合わせの引数が読めません({rejection})。/api/v1/openapi.json で確かめてください"
        ),
        format!("the query could not be read ({rejection}); see /api/v1/openapi.json"),
    )
}

/// A unix time as RFC 3339 in Japan time (`2026-12-03T09:30:00+09:00`).
pub fn rfc3339(unix: i64) -> String {
    let local = unix + renkei_spec::jst::JST;
    let (year, month, day) = renkei_spec::jst::civil(local.div_euclid(renkei_spec::jst::DAY));
    let seconds = local.rem_euclid(renkei_spec::jst::DAY);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+09:00",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// JSON with its content type, for answers that are not problems.
pub fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (status, [(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(error) => Problem::internal(error).into_response(),
    }
}
