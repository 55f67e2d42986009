//! The information base over the API, for whoever signs in with a certificate: care offices
//! (a person's records, each request checked and logged; consent recorded on the
//! municipality's behalf; plans registered), municipalities (their files uploaded whole or
//! not at all, records written and read, consent) and clinics (the opinions asked of them,
//! and their opinions written).

use super::views;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::Sender;
use super::problem::{bad_json, bad_query, problem_of};
use crate::Result;
use crate::relay::{Caller, Relay};
use crate::store::NewRecord;
use renkei_infobase::{Consent, Participant, PersonKey, RecordKind};
use renkei_proto::{
    KindAnswer, LoadedView, OVERVIEW_MAX_PEOPLE, OpinionRequestView, OverviewRequest,
    PersonOverview, Problem, RecordRequest, RecordView, RegistrationRequested,
};

fn viewer(caller: &Caller) -> Participant {
    caller.office.participant()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct RecordsQuery {
    /// The kind of record: `insurance_card`, `burden_ratio`, `burden_limit`, `application`,
    /// `survey`, `opinion`, `result`, `housing_reform`, `equipment_purchase`, `care_plan`,
    /// `draft_plan`.
    kind: RecordKind,
}

/// A person's records of one kind, every version, if the rules let the calling office see
/// them; the request is written to the person's access log either way.
#[utoipa::path(get, path = "/api/v1/base/people/{insurer}/{insured}/records", tag = "information base",
    params(("insurer" = String, Path, description = "保険者番号"), ("insured" = String, Path, description = "被保険者番号"), RecordsQuery),
    responses((status = 200, body = Vec<RecordView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn records(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    Path((insurer, insured)): Path<(String, String)>,
    query: std::result::Result<Query<RecordsQuery>, QueryRejection>,
) -> Result<Json<Vec<RecordView>>> {
    let Query(query) = query.map_err(bad_query)?;
    let person = PersonKey::new(&insurer, &insured);
    let shown = relay
        .disclose(
            &viewer(&caller),
            &person,
            query.kind,
            renkei_seal::unix_now(),
        )
        .await?;
    Ok(Json(shown.into_iter().map(views::record_view).collect()))
}

/// Many people's records of a few kinds at once (a care office's people of the month): each
/// person's each kind decided and written to the person's access log as if asked alone.
#[utoipa::path(post, path = "/api/v1/base/overview", tag = "information base",
    request_body = OverviewRequest,
    responses((status = 200, body = Vec<PersonOverview>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub(super) async fn overview(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    body: std::result::Result<Json<OverviewRequest>, JsonRejection>,
) -> Result<Json<Vec<PersonOverview>>> {
    let Json(request) = body.map_err(bad_json)?;
    if request.people.len() > OVERVIEW_MAX_PEOPLE {
        return Err(crate::Error::BadRequest(format!(
            "一度に照会できるのは{OVERVIEW_MAX_PEOPLE}人までです。分けて照会してください / at most {OVERVIEW_MAX_PEOPLE} people at once"
        )));
    }
    if request.kinds.len() > RecordKind::ALL.len() {
        return Err(crate::Error::BadRequest(format!(
            "記録の種類は{}個までです / at most {} kinds",
            RecordKind::ALL.len(),
            RecordKind::ALL.len()
        )));
    }
    let people: Vec<PersonKey> = request
        .people
        .iter()
        .map(|p| PersonKey::new(&p.insurer, &p.insured))
        .collect();
    let answers = relay
        .disclose_people(
            &viewer(&caller),
            &people,
            &request.kinds,
            renkei_seal::unix_now(),
        )
        .await?;
    Ok(Json(
        request
            .people
            .into_iter()
            .zip(answers)
            .map(|(person, kinds)| PersonOverview {
                insurer: person.insurer,
                insured: person.insured,
                kinds: kinds
                    .into_iter()
                    .map(|(kind, answer)| match answer {
                        Ok(records) => KindAnswer {
                            kind,
                            records: records.into_iter().map(views::record_view).collect(),
                            refused: None,
                        },
                        Err(refusal) => KindAnswer {
                            kind,
                            records: Vec::new(),
                            refused: Some(problem_of(&crate::Error::from(refusal))),
                        },
                    })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ConsentQuery {
    /// `standing` (the default) or `withdrawn` (the municipality only).
    #[param(pattern = "^(standing|withdrawn)$")]
    state: Option<String>,
}

/// Record the person's 包括同意 as given at an application: by the municipality, or by a
/// care office on its behalf; the municipality also records a withdrawal.
#[utoipa::path(post, path = "/api/v1/base/people/{insurer}/{insured}/consent", tag = "information base",
    params(("insurer" = String, Path), ("insured" = String, Path), ConsentQuery),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn consent(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    Path((insurer, insured)): Path<(String, String)>,
    query: std::result::Result<Query<ConsentQuery>, QueryRejection>,
) -> Result<StatusCode> {
    let Query(query) = query.map_err(bad_query)?;
    let consent = match query.state.as_deref() {
        None | Some("standing") => Consent::Standing,
        Some("withdrawn") => Consent::Withdrawn,
        Some(other) => {
            return Err(crate::Error::BadRequest(format!(
                "state は standing か withdrawn です: 「{other}」 / state is standing or withdrawn"
            )));
        }
    };
    let person = PersonKey::new(&insurer, &insured);
    relay
        .set_consent(&viewer(&caller), &person, consent, renkei_seal::unix_now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A municipality's file of one kind (CSV, UTF-8 or MS932, its header naming the kind):
/// checked whole, then kept whole — or refused with every problem by line and column.
#[utoipa::path(post, path = "/api/v1/base/upload", tag = "information base",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = LoadedView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn upload(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    body: axum::body::Bytes,
) -> Result<Json<LoadedView>> {
    let loaded = relay
        .load(&viewer(&caller), &body, renkei_seal::unix_now())
        .await?;
    Ok(Json(LoadedView {
        kind: loaded.kind.name_ja().to_owned(),
        lines: loaded.lines,
        records: loaded.records,
        consents: loaded.consents,
        withdrawn: loaded.withdrawn,
    }))
}

/// The opinions (主治医意見書) municipalities asked of the calling clinic, newest first.
#[utoipa::path(get, path = "/api/v1/base/opinions", tag = "information base",
    responses((status = 200, body = Vec<OpinionRequestView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn opinions(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
) -> Result<Json<Vec<OpinionRequestView>>> {
    let asked = relay.opinions_asked_of(&viewer(&caller)).await?;
    Ok(Json(
        asked
            .into_iter()
            .map(|r| OpinionRequestView {
                insurer: r.person.insurer,
                insured: r.person.insured,
                key: r.key,
                requested: r.requested,
            })
            .collect(),
    ))
}

/// Register a plan for the person (交付用登録, or a draft for them to approve).
#[utoipa::path(post, path = "/api/v1/base/people/{insurer}/{insured}/records", tag = "information base",
    params(("insurer" = String, Path), ("insured" = String, Path)), request_body = RecordRequest,
    responses((status = 201, body = RecordView), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn submit(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    Path((insurer, insured)): Path<(String, String)>,
    body: std::result::Result<Json<RecordRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<RecordView>)> {
    let Json(request) = body.map_err(bad_json)?;
    let time = renkei_seal::unix_now();
    let record = NewRecord {
        person: PersonKey::new(&insurer, &insured),
        kind: request.kind,
        key: request.key,
        body: request.body.to_string(),
        author: String::new(),
        time,
    };
    let kept = relay.submit(&viewer(&caller), vec![record], time).await?;
    let view = kept
        .into_iter()
        .next()
        .map(views::record_view)
        .ok_or_else(|| crate::Error::Database("the record was not kept".into()))?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Ask to be the person's 担当事業所. The person answers on their own page (わたしの介護情報);
/// the office never handles anything of the person's to confirm it. 202 whether or not the
/// person is known, so asking tells nothing.
#[utoipa::path(post, path = "/api/v1/base/people/{insurer}/{insured}/registration", tag = "information base",
    params(("insurer" = String, Path), ("insured" = String, Path)),
    responses((status = 202, body = RegistrationRequested), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn register(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    Path((insurer, insured)): Path<(String, String)>,
) -> Result<(StatusCode, Json<RegistrationRequested>)> {
    let person = PersonKey::new(&insurer, &insured);
    relay
        .request_registration(&viewer(&caller), &person, renkei_seal::unix_now())
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(RegistrationRequested {
            state: "requested".into(),
            message: "登録のお願いを送りました。ご本人が「わたしの介護情報」のページで承認すると登録されます".into(),
        }),
    ))
}
