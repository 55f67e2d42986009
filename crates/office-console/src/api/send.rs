//! `POST /api/v1/units`: a send unit from the care software, as a JSON document of the
//! standard's JSON form or as the CSV files (multipart), checked with the same rules as a
//! folder, split per destination, sealed and sent. Repeated with the same
//! `Idempotency-Key`, it gets the first answer again and sends nothing twice.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use renkei_office::api_key::Scope;
use renkei_office::ledger::KeptAnswer;
use renkei_office::sending::{self, Refused, SendReport};
use renkei_spec::json;
use renkei_spec::validate::{self, Input, Options};
use serde::Serialize;

use super::problem::{Item, PROBLEM_JSON};
use super::{Caller, Problem};
use crate::Console;

/// The most a send may carry: a month of a large planner's files for one call.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// An idempotency key: what care software can make unique per send (a UUID, its own id).
const MAX_IDEMPOTENCY_KEY: usize = 200;

/// Where one destination's files went.
#[derive(Debug, Serialize)]
pub struct Destination {
    /// The recipient's 事業所番号.
    pub office: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub office_name: String,
    /// `sent`, or `refused` with why.
    pub state: &'static str,
    pub state_ja: &'static str,
    /// The relay's id of the parcel, to track it (`GET /api/v1/sent/{parcel}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parcel: Option<String>,
    pub files: Vec<String>,
    /// False when this parcel had been sent before (the same files to the same office).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_ja: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_en: Option<String>,
}

#[derive(Debug, Serialize)]
struct Answer {
    destinations: Vec<Destination>,
    /// Warnings of the check: sent all the same.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<Item>,
}

pub async fn send(
    State(console): State<Arc<Console>>,
    Extension(caller): Extension<Caller>,
    request: Request,
) -> Response {
    match sending(&console, &caller, request).await {
        Ok(response) | Err(response) => response,
    }
}

async fn sending(
    console: &Arc<Console>,
    caller: &Caller,
    request: Request,
) -> Result<Response, Response> {
    caller
        .require(Scope::Send)
        .map_err(IntoResponse::into_response)?;
    let idempotency_key =
        idempotency_key(request.headers()).map_err(IntoResponse::into_response)?;
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (files, digest, from_json) = if content_type.starts_with("application/json") {
        let body = axum::body::to_bytes(request.into_body(), MAX_BODY)
            .await
            .map_err(|e| too_large(&e).into_response())?;
        let digest = renkei_seal::sha256_hex(&body);
        (FilesOrProblem::Json(body.to_vec()), digest, true)
    } else if content_type.starts_with("multipart/form-data") {
        let files = multipart_files(request)
            .await
            .map_err(IntoResponse::into_response)?;
        let mut text = String::new();
        for (name, bytes) in &files {
            text.push_str(name);
            text.push(' ');
            text.push_str(&renkei_seal::sha256_hex(bytes));
            text.push('\n');
        }
        (
            FilesOrProblem::Files(files),
            renkei_seal::sha256_hex(text.as_bytes()),
            false,
        )
    } else {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "本文は application/json (JSON形式の送信単位) か multipart/form-data (CSVファイル) で送ってください",
            "send the unit as application/json (the JSON form) or multipart/form-data (the CSV files)",
        )
        .into_response());
    };
    let _in_flight = InFlight::enter(console, &caller.0.id, &idempotency_key)
        .map_err(IntoResponse::into_response)?;
    let ledger = &console.office.ledger;
    let kept = ledger
        .kept_answer(&caller.0.id, &idempotency_key)
        .map_err(|e| Problem::from(e).into_response())?;
    if let Some(kept) = kept {
        return if kept.digest == digest {
            Ok(replay(&kept))
        } else {
            Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "この Idempotency-Key は別の内容の送信に使われています。送信ごとに新しいキーを付けてください",
                "this Idempotency-Key was used for a different send; use a new key for each send",
            )
            .into_response())
        };
    }
    let files = match files {
        FilesOrProblem::Files(files) => files,
        FilesOrProblem::Json(body) => from_document(&body).map_err(IntoResponse::into_response)?,
    };
    let answer = send_checked(console, files, from_json).await;
    let (status, body, content) = match &answer {
        Ok((status, body)) => (*status, body.clone(), "application/json"),
        Err(problem) => (problem.status, problem.body(), PROBLEM_JSON),
    };
    // A fault of the relay or of this machine is worth trying again: it is not kept.
    if !status.is_server_error() {
        let kept = KeptAnswer {
            digest,
            status: status.as_u16(),
            body: body.clone(),
        };
        ledger
            .keep_answer(
                &caller.0.id,
                &idempotency_key,
                &kept,
                renkei_seal::unix_now(),
            )
            .map_err(|e| Problem::from(e).into_response())?;
    }
    Ok((status, [(header::CONTENT_TYPE, content)], body).into_response())
}

/// A send in progress under its key and idempotency key, until dropped; the same again
/// meanwhile is refused (409) rather than sent beside it.
struct InFlight<'a> {
    sends: &'a std::sync::Mutex<std::collections::HashSet<(String, String)>>,
    key: (String, String),
}

impl<'a> InFlight<'a> {
    fn enter(console: &'a Console, key_id: &str, idempotency_key: &str) -> Result<Self, Problem> {
        let key = (key_id.to_owned(), idempotency_key.to_owned());
        let entered = console
            .api_sends
            .lock()
            .map(|mut sends| sends.insert(key.clone()))
            .unwrap_or(false);
        if !entered {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "idempotency_key_in_use",
                "同じ Idempotency-Key の送信を処理しているところです。終わってから同じキーで送り直すと、その結果を返します",
                "a send with this Idempotency-Key is in progress; send again with the same key once it is done to get its answer",
            ));
        }
        Ok(Self {
            sends: &console.api_sends,
            key,
        })
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Ok(mut sends) = self.sends.lock() {
            sends.remove(&self.key);
        }
    }
}

enum FilesOrProblem {
    Json(Vec<u8>),
    Files(Vec<(String, Vec<u8>)>),
}

fn idempotency_key(headers: &HeaderMap) -> Result<String, Problem> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    if key.is_empty()
        || key.len() > MAX_IDEMPOTENCY_KEY
        || !key.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "idempotency_key_required",
            format!(
                "Idempotency-Key ヘッダーに、送信ごとに違う値(1〜{MAX_IDEMPOTENCY_KEY}文字の英数字・記号、例: UUID)を付けてください。同じ値で送り直すと、二重に送らずに最初の結果を返します"
            ),
            format!(
                "give an Idempotency-Key header unique to each send (1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters, such as a UUID); a retry with the same key gets the first answer"
            ),
        ));
    }
    Ok(key.to_owned())
}

fn too_large(error: &dyn std::fmt::Display) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!(
            "本文を読めないか、{} MB を超えています({error})。送信単位ごとに分けて送ってください",
            MAX_BODY / 1024 / 1024
        ),
        format!(
            "the body could not be read or is over {} MB ({error}); send one unit per call",
            MAX_BODY / 1024 / 1024
        ),
    )
}

/// The files of a multipart body: every part with a file name.
async fn multipart_files(request: Request) -> Result<Vec<(String, Vec<u8>)>, Problem> {
    let bad = |e: &dyn std::fmt::Display| {
        Problem::bad_request(
            format!(
                "multipart/form-data として読めません({e})。ファイルごとに filename を付けた部分で送ってください"
            ),
            format!(
                "not a multipart/form-data body ({e}); send each file as a part with its filename"
            ),
        )
    };
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|e| bad(&e))?;
    let mut files = Vec::new();
    let mut total = 0;
    while let Some(field) = multipart.next_field().await.map_err(|e| bad(&e))? {
        let Some(name) = field.file_name().map(str::to_owned) else {
            continue;
        };
        let bytes = field.bytes().await.map_err(|e| bad(&e))?;
        total += bytes.len();
        if total > MAX_BODY {
            return Err(too_large(&"multipart"));
        }
        files.push((name, bytes.to_vec()));
    }
    Ok(files)
}

fn from_document(body: &[u8]) -> Result<Vec<(String, Vec<u8>)>, Problem> {
    let files = json::parse_unit(body).and_then(|unit| json::unit_from_json(&unit));
    match files {
        Ok(files) => Ok(files.into_iter().map(|f| (f.name, f.bytes)).collect()),
        Err(renkei_spec::Error::Json { problems }) => Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_document",
            "JSON形式の送信単位として読めないところがあります。problems の各項目を直して送り直してください",
            "the document is not a send unit of the JSON form; fix each of problems and send again",
        )
        .with(problems.iter().map(Item::of_json).collect())),
        Err(other) => Err(Problem::internal(other)),
    }
}

/// Check the whole request first: with an error anywhere, nothing is sent, and the care
/// software is told every problem at once.
async fn send_checked(
    console: &Arc<Console>,
    files: Vec<(String, Vec<u8>)>,
    from_json: bool,
) -> Result<(StatusCode, String), Problem> {
    if files.is_empty() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_files",
            "送るファイルがありません",
            "there are no files to send",
        ));
    }
    let inputs: Vec<Input<'_>> = files
        .iter()
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    let report = validate::check(&inputs, Options::default());
    let mut items: Vec<Item> = report
        .units
        .iter()
        .flat_map(|u| {
            u.files
                .iter()
                .flat_map(|f| f.findings.iter())
                .chain(u.findings.iter())
        })
        .map(Item::of_finding)
        .collect();
    if from_json {
        number_records(&mut items, &files);
    }
    if report.errors() > 0 {
        items.retain(|i| i.severity == "error");
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "check_failed",
            format!("標準仕様の検査でエラーが{}件あります。何も送っていません。problems の各項目を直して送り直してください", report.errors()),
            format!("{} errors in the standard's check; nothing was sent: fix each of problems and send again", report.errors()),
        )
        .with(items));
    }
    let sent = sending::send_in_memory(&console.office, files, &console.folders.sent)
        .await
        .map_err(Problem::from)?;
    let (status, destinations) = destinations(&sent);
    let answer = Answer {
        destinations,
        warnings: items,
    };
    let body = serde_json::to_string(&answer).map_err(Problem::internal)?;
    if status.is_success() {
        return Ok((status, body));
    }
    let (code, title, title_en) = if status.is_server_error() {
        (
            "relay_unavailable",
            "送れなかった宛先があります。同じ Idempotency-Key で送り直してください(送れた宛先に二重には送りません)",
            "some destinations could not be sent to; send again with the same Idempotency-Key (nothing is sent twice)",
        )
    } else {
        (
            "destination_refused",
            "送れない宛先があります。destinations の reason_ja を確かめてください",
            "some destinations were refused; see reason_en in destinations",
        )
    };
    let mut problem = Problem::new(status, code, title, title_en);
    problem.extra = serde_json::from_str(&body).ok();
    Err(problem)
}

/// A JSON request's findings name their record, found from the line of the CSV it became.
fn number_records(items: &mut [Item], files: &[(String, Vec<u8>)]) {
    // Each file is read once, for the lines its records start on.
    let mut starts: std::collections::HashMap<&str, Vec<u32>> = std::collections::HashMap::new();
    for item in items.iter_mut() {
        let (Some(file), Some(line)) = (&item.file, item.line) else {
            continue;
        };
        let Some((name, bytes)) = files.iter().find(|(name, _)| name == file) else {
            continue;
        };
        let lines = starts.entry(name.as_str()).or_insert_with(|| {
            let table = renkei_spec::codec::read(bytes, Default::default());
            table.rows().map(|row| row.line()).collect()
        });
        item.record = lines.iter().position(|&l| l == line).map(|index| index + 1);
    }
}

/// Each destination's outcome, and the status of the whole: 201 when all went, 503 when
/// the relay could not be reached for some (worth sending again), 422 when some were
/// refused for what they are.
fn destinations(report: &SendReport) -> (StatusCode, Vec<Destination>) {
    let mut status = StatusCode::CREATED;
    let mut out: Vec<Destination> = report
        .sent
        .iter()
        .map(|sent| Destination {
            office: sent.recipient.clone(),
            office_name: sent.recipient_name.clone(),
            state: "sent",
            state_ja: "送信済",
            parcel: Some(sent.parcel_id.clone()),
            files: Vec::new(),
            new: Some(sent.new),
            reason_ja: None,
            reason_en: None,
        })
        .collect();
    for refused in &report.refused {
        let (office, files) = match refused {
            Refused::NoRecipient { recipient, files }
            | Refused::NotConverted {
                recipient, files, ..
            }
            | Refused::Failed {
                recipient, files, ..
            } => (recipient.clone(), files.clone()),
            Refused::NotFromHere { files, .. } => (String::new(), files.clone()),
            Refused::NotStandard { file } | Refused::TooLarge { file, .. } => {
                (String::new(), vec![file.clone()])
            }
            Refused::Invalid(unit) => (
                unit.key.map(|k| k.to.to_string()).unwrap_or_default(),
                unit.files.iter().map(|f| f.name.clone()).collect(),
            ),
        };
        let fault = matches!(refused, Refused::Failed { .. });
        status = if fault {
            StatusCode::SERVICE_UNAVAILABLE
        } else if status == StatusCode::CREATED {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            status
        };
        // A refusal says why as the refusals page does; a fault (the relay out of reach)
        // is no refusal and says its error.
        let (reason_ja, reason_en) = match (refused.record(0), refused) {
            (Some(record), _) => (record.reason_ja, record.reason_en),
            (None, Refused::Failed { error, .. }) => (error.to_string(), error.to_string()),
            (None, other) => (format!("{other:?}"), format!("{other:?}")),
        };
        out.push(Destination {
            office,
            office_name: String::new(),
            state: "refused",
            state_ja: "送信できません",
            parcel: None,
            files,
            new: None,
            reason_ja: Some(reason_ja),
            reason_en: Some(reason_en),
        });
    }
    (status, out)
}

fn replay(kept: &KeptAnswer) -> Response {
    let status = StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK);
    let content = if status.is_success() {
        "application/json"
    } else {
        PROBLEM_JSON
    };
    (
        status,
        [
            (header::CONTENT_TYPE, content),
            (
                header::HeaderName::from_static("idempotent-replayed"),
                "true",
            ),
        ],
        kept.body.clone(),
    )
        .into_response()
}
