//! The information base over the API, for care offices signed in with their certificate:
//! a person's records (each request checked and logged), consent recorded on the
//! municipality's behalf, and plans registered.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::Sender;
use super::problem::{bad_json, bad_query};
use crate::Result;
use crate::base::{Consent, PersonKey, RecordKind, Viewer};
use crate::relay::{Caller, Relay};
use crate::store::{NewRecord, Store};
use crate::wire::{Problem, RecordRequest, RecordView, RegistrationRequest};

fn viewer(caller: &Caller) -> Viewer {
    Viewer::Office {
        number: caller.office.number.clone(),
        kinds: caller.office.kinds.clone(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
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
pub(super) async fn records<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
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
    Ok(Json(shown.into_iter().map(RecordView::from).collect()))
}

/// Record the person's 包括同意 on the municipality's behalf, as given at an application.
#[utoipa::path(post, path = "/api/v1/base/people/{insurer}/{insured}/consent", tag = "information base",
    params(("insurer" = String, Path), ("insured" = String, Path)),
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn consent<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
    Sender(caller): Sender,
    Path((insurer, insured)): Path<(String, String)>,
) -> Result<StatusCode> {
    let person = PersonKey::new(&insurer, &insured);
    relay
        .set_consent(
            &viewer(&caller),
            &person,
            Consent::Standing,
            renkei_seal::unix_now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Register a plan for the person (交付用登録, or a draft for them to approve).
#[utoipa::path(post, path = "/api/v1/base/people/{insurer}/{insured}/records", tag = "information base",
    params(("insurer" = String, Path), ("insured" = String, Path)), request_body = RecordRequest,
    responses((status = 201, body = RecordView), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn submit<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
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
        .map(RecordView::from)
        .ok_or_else(|| crate::Error::Database("the record was not kept".into()))?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Register the calling office as the person's 担当事業所, confirmed by the person's own
/// sign-in typed at the office: an office cannot register itself without the person.
#[utoipa::path(post, path = "/api/v1/base/people/{insurer}/{insured}/registration", tag = "information base",
    params(("insurer" = String, Path), ("insured" = String, Path)), request_body = RegistrationRequest,
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub(super) async fn register<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
    Sender(caller): Sender,
    Path((insurer, insured)): Path<(String, String)>,
    body: std::result::Result<Json<RegistrationRequest>, JsonRejection>,
) -> Result<StatusCode> {
    let Json(request) = body.map_err(bad_json)?;
    let person = PersonKey::new(&insurer, &insured);
    relay.person_credential(&person, &request.password).await?;
    relay
        .register_office(
            &Viewer::Person(person.clone()),
            &person,
            &caller.office.number,
            renkei_seal::unix_now(),
        )
        .await?;
    tracing::info!(
        office = caller.office.number,
        "registered by the person at the office"
    );
    Ok(StatusCode::NO_CONTENT)
}
