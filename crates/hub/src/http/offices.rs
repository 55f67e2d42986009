//! Enrolment and the directory (事業所検索).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::Sender;
use super::problem::{bad_json, bad_query};
use crate::relay::Relay;
use crate::store::{OfficeQuery, Store};
use crate::wire::{EnrolRequest, EnrolResponse, OfficeView, Problem};
use crate::{Error, Result};

/// The most offices one search returns.
const MAX_RESULTS: usize = 500;

/// The operator's authority (PEM), for a client that has not enrolled yet.
#[utoipa::path(get, path = "/api/v1/authority", tag = "offices",
    responses((status = 200, description = "PEM", content_type = "application/x-pem-file", body = String)))]
pub(super) async fn authority<S: Store>(State(relay): State<Arc<Relay<S>>>) -> Result<String> {
    String::from_utf8(relay.trust().authority.to_pem()?).map_err(|e| Error::Tls(e.to_string()))
}

/// Enrol with a one-time code: the certificate request's key is certified for the office
/// the code was issued for.
#[utoipa::path(post, path = "/api/v1/enrol", tag = "offices", request_body = EnrolRequest,
    responses((status = 201, body = EnrolResponse),
        (status = 410, description = "code used or expired", body = Problem),
        (status = 422, description = "unknown code, or the request names another office", body = Problem)))]
pub(super) async fn enrol<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
    body: std::result::Result<Json<EnrolRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<EnrolResponse>)> {
    let Json(request) = body.map_err(bad_json)?;
    let enrolled = relay
        .enrol(&request.code, &request.request, renkei_seal::unix_now())
        .await?;
    let response = EnrolResponse {
        office: OfficeView::new(enrolled.office, None),
        certificate: enrolled.certificate_pem,
        authority: enrolled.authority_pem,
    };
    Ok((StatusCode::CREATED, Json(response)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub(super) struct DirectoryQuery {
    /// 事業所番号, or its first digits.
    number: Option<String>,
    /// Part of the office name.
    name: Option<String>,
    /// サービス種類コード.
    kind: Option<String>,
    /// 都道府県: code (`13`) or name (`東京都`).
    prefecture: Option<String>,
    limit: Option<usize>,
}

/// Search the directory; each office comes with the certificate to encrypt to.
#[utoipa::path(get, path = "/api/v1/directory", tag = "offices", params(DirectoryQuery),
    responses((status = 200, body = Vec<OfficeView>), (status = 401, body = Problem)))]
pub(super) async fn directory<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
    _caller: Sender,
    query: std::result::Result<Query<DirectoryQuery>, QueryRejection>,
) -> Result<Json<Vec<OfficeView>>> {
    let Json(mut found) = search(&relay, query).await?;
    // Municipalities, and clinics that give no care, take part in the information base
    // only: no office sends them files.
    found.retain(|office| {
        office.number.len() == 10 && office.kinds.iter().any(|k| k != crate::store::CLINIC_MARK)
    });
    Ok(Json(found))
}

/// The offices a query names, each with its current certificate.
pub(super) async fn search<S: Store>(
    relay: &Relay<S>,
    query: std::result::Result<Query<DirectoryQuery>, QueryRejection>,
) -> Result<Json<Vec<OfficeView>>> {
    let Query(query) = query.map_err(bad_query)?;
    let found = relay
        .store()
        .offices(office_query(query)?, renkei_seal::unix_now())
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|(office, certificate)| OfficeView::new(office, certificate))
            .collect(),
    ))
}

fn office_query(query: DirectoryQuery) -> Result<OfficeQuery> {
    let prefecture = match query.prefecture.as_deref().filter(|p| !p.is_empty()) {
        None => None,
        Some(text) => Some(renkei_spec::prefecture::code(text).ok_or_else(|| {
            Error::BadRequest(format!(
                "都道府県「{text}」が分かりません。コード(13)か名前(東京都)で指定してください / unknown prefecture '{text}'"
            ))
        })?),
    };
    let given = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    Ok(OfficeQuery {
        number: given(query.number),
        name: given(query.name),
        kind: given(query.kind),
        prefecture,
        limit: query.limit.unwrap_or(100).min(MAX_RESULTS),
    })
}

/// The calling office as the relay knows it.
#[utoipa::path(get, path = "/api/v1/me", tag = "offices",
    responses((status = 200, body = OfficeView), (status = 401, body = Problem)))]
pub(super) async fn me<S: Store>(
    State(_relay): State<Arc<Relay<S>>>,
    Sender(caller): Sender,
) -> Json<OfficeView> {
    Json(OfficeView::new(caller.office, Some(caller.record)))
}
