//! The operator's endpoints: login, enrolment codes, offices, revocation, volumes.

use super::views;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::offices::{DirectoryQuery, search};
use super::problem::{bad_json, bad_query, within};
use super::{ClientAddress, Operator};
use crate::Result;
use crate::relay::{DAY, Relay};
use renkei_proto::{
    CodeRequest, CodeResponse, LoginRequest, LoginResponse, OfficeView, Problem, RevokeRequest,
    RevokedView, VolumeView,
};

/// Sign in as an operator; the token goes in `Authorization: Bearer …`.
#[utoipa::path(post, path = "/api/v1/operator/login", tag = "operator", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 429, body = Problem), (status = 503, body = Problem)))]
pub(super) async fn login(
    State(relay): State<Arc<Relay>>,
    ClientAddress(address): ClientAddress,
    body: std::result::Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Json<LoginResponse>> {
    let Json(request) = body.map_err(bad_json)?;
    let session = relay
        .login(
            &request.name,
            &request.password,
            &request.code,
            address,
            renkei_seal::unix_now(),
        )
        .await?;
    Ok(Json(LoginResponse {
        token: session.token,
        expires: session.expires,
    }))
}

/// Issue a one-time enrolment code for an office.
#[utoipa::path(post, path = "/api/v1/operator/codes", tag = "operator", request_body = CodeRequest,
    security(("operator" = [])),
    responses((status = 201, body = CodeResponse), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub(super) async fn issue_code(
    State(relay): State<Arc<Relay>>,
    _operator: Operator,
    body: std::result::Result<Json<CodeRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<CodeResponse>)> {
    let Json(request) = body.map_err(bad_json)?;
    let issued = relay
        .issue_code(
            &request.number,
            &request.name,
            &request.kinds,
            renkei_seal::unix_now(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CodeResponse {
            code: issued.code,
            office: issued.office,
            expires: issued.expires,
        }),
    ))
}

/// Offices (the directory's search, with stopped offices too).
#[utoipa::path(get, path = "/api/v1/operator/offices", tag = "operator", params(DirectoryQuery),
    security(("operator" = [])),
    responses((status = 200, body = Vec<OfficeView>), (status = 401, body = Problem)))]
pub(super) async fn offices(
    State(relay): State<Arc<Relay>>,
    _operator: Operator,
    query: std::result::Result<Query<DirectoryQuery>, QueryRejection>,
) -> Result<Json<Vec<OfficeView>>> {
    search(&relay, query).await
}

/// Revoke an office's certificates (or one of them): its next request is refused.
#[utoipa::path(post, path = "/api/v1/operator/offices/{number}/revoke", tag = "operator",
    params(("number" = String, Path)), request_body = RevokeRequest, security(("operator" = [])),
    responses((status = 200, body = Vec<RevokedView>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(super) async fn revoke(
    State(relay): State<Arc<Relay>>,
    _operator: Operator,
    Path(number): Path<String>,
    body: std::result::Result<Json<RevokeRequest>, JsonRejection>,
) -> Result<Json<Vec<RevokedView>>> {
    let Json(request) = body.map_err(bad_json)?;
    let revoked = relay
        .revoke(
            &number,
            request.serial,
            request.reason,
            renkei_seal::unix_now(),
        )
        .await?;
    Ok(Json(
        revoked
            .into_iter()
            .map(|c| RevokedView {
                serial: c.serial,
                fingerprint: c.fingerprint,
                revoked: c.revoked.unwrap_or_default(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(super) struct ActiveRequest {
    active: bool,
}

/// Stop an office (it can neither send nor receive) or start it again.
#[utoipa::path(post, path = "/api/v1/operator/offices/{number}/active", tag = "operator",
    params(("number" = String, Path)), request_body = ActiveRequest, security(("operator" = [])),
    responses((status = 204), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(super) async fn set_active(
    State(relay): State<Arc<Relay>>,
    _operator: Operator,
    Path(number): Path<String>,
    body: std::result::Result<Json<ActiveRequest>, JsonRejection>,
) -> Result<StatusCode> {
    let Json(request) = body.map_err(bad_json)?;
    relay.set_active(&number, request.active).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct VolumesQuery {
    /// Days back from today, 1 to 3660 (default 30).
    #[param(minimum = 1, maximum = 3660)]
    days: Option<i64>,
}

/// Parcels and bytes accepted per day.
#[utoipa::path(get, path = "/api/v1/operator/volumes", tag = "operator", params(VolumesQuery),
    security(("operator" = [])),
    responses((status = 200, body = Vec<VolumeView>), (status = 401, body = Problem)))]
pub(super) async fn volumes(
    State(relay): State<Arc<Relay>>,
    _operator: Operator,
    query: std::result::Result<Query<VolumesQuery>, QueryRejection>,
) -> Result<Json<Vec<VolumeView>>> {
    let Query(query) = query.map_err(bad_query)?;
    let days = within("days", query.days, 30, 1, 3660)?;
    let since = renkei_seal::unix_now() - days * DAY;
    let volumes = relay.volumes(since).await?;
    Ok(Json(volumes.into_iter().map(views::volume_view).collect()))
}
