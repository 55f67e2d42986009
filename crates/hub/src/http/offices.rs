//! Enrolment and the directory (事業所検索).

use super::views;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;

use super::Sender;
use super::problem::{bad_json, bad_query, within};
use crate::relay::Relay;
use crate::store::OfficeQuery;
use crate::{Error, Result};
use renkei_proto::{
    CsvVersionValue, CsvVersions, EnrolRequest, EnrolResponse, OfficeView, Problem,
};

/// The most offices one search returns.
const MAX_RESULTS: usize = 500;

/// The operator's authority (PEM), for a client that has not enrolled yet.
#[utoipa::path(get, path = "/api/v1/authority", tag = "offices",
    responses((status = 200, description = "PEM", content_type = "application/x-pem-file", body = String)))]
pub(super) async fn authority(
    State(relay): State<Arc<Relay>>,
) -> Result<([(axum::http::HeaderName, &'static str); 1], String)> {
    let pem = String::from_utf8(relay.trust().authority.to_pem()?)
        .map_err(|e| Error::Tls(e.to_string()))?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/x-pem-file")],
        pem,
    ))
}

/// Enrol with a one-time code: the certificate request's key is certified for the office
/// the code was issued for.
#[utoipa::path(post, path = "/api/v1/enrol", tag = "offices", request_body = EnrolRequest,
    responses((status = 201, body = EnrolResponse),
        (status = 404, description = "no such code", body = Problem),
        (status = 410, description = "code used or expired", body = Problem),
        (status = 422, description = "the request names another office", body = Problem)))]
pub(super) async fn enrol(
    State(relay): State<Arc<Relay>>,
    body: std::result::Result<Json<EnrolRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<EnrolResponse>)> {
    let Json(request) = body.map_err(bad_json)?;
    let enrolled = relay
        .enrol(&request.code, &request.request, renkei_seal::unix_now())
        .await?;
    let response = EnrolResponse {
        office: views::office_view(enrolled.office, None),
        certificate: enrolled.certificate_pem,
        authority: enrolled.authority_pem,
    };
    Ok((StatusCode::CREATED, Json(response)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct DirectoryQuery {
    /// 事業所番号, or its first digits.
    #[param(pattern = "^[0-9]{0,10}$")]
    number: Option<String>,
    /// Part of the office name.
    #[param(max_length = 100)]
    name: Option<String>,
    /// サービス種類コード.
    #[param(pattern = "^([0-9A-Z]{2})?$")]
    kind: Option<String>,
    /// 都道府県: code (`13`) or name (`東京都`).
    prefecture: Option<String>,
    /// Offices in one answer, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
}

/// Search the directory; each office comes with the certificate to encrypt to.
#[utoipa::path(get, path = "/api/v1/directory", tag = "offices", params(DirectoryQuery),
    responses((status = 200, body = Vec<OfficeView>), (status = 401, body = Problem)))]
pub(super) async fn directory(
    State(relay): State<Arc<Relay>>,
    _caller: Sender,
    query: std::result::Result<Query<DirectoryQuery>, QueryRejection>,
) -> Result<Json<Vec<OfficeView>>> {
    let Json(mut found) = search(&relay, query).await?;
    // Municipalities, and clinics that give no care, take part in the information base
    // only: no office sends them files.
    found.retain(|office| {
        renkei_infobase::Participant::enrolled(&office.number, &office.kinds).gives_care()
    });
    Ok(Json(found))
}

/// The offices a query names, each with its current certificate.
pub(super) async fn search(
    relay: &Relay,
    query: std::result::Result<Query<DirectoryQuery>, QueryRejection>,
) -> Result<Json<Vec<OfficeView>>> {
    let Query(query) = query.map_err(bad_query)?;
    let found = relay
        .directory(office_query(query)?, renkei_seal::unix_now())
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|(office, certificate)| views::office_view(office, certificate))
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
    let shaped =
        |name: &str, value: Option<String>, ok: fn(&str) -> bool, what: &str| match given(value) {
            Some(value) if !ok(&value) => Err(Error::BadRequest(format!(
                "{name} は{what}で指定してください(「{value}」) / {name} must be {what}"
            ))),
            value => Ok(value),
        };
    let number = shaped(
        "number",
        query.number,
        |v| v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit()),
        "数字10桁まで",
    )?;
    let kind = shaped(
        "kind",
        query.kind,
        |v| {
            v.len() == 2
                && v.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        },
        "英数字2文字",
    )?;
    let name = shaped(
        "name",
        query.name,
        |v| v.chars().count() <= 100,
        "100文字まで",
    )?;
    Ok(OfficeQuery {
        number,
        name,
        kind,
        prefecture,
        limit: within("limit", query.limit, 100, 1, MAX_RESULTS)?,
    })
}

/// The calling office as the relay knows it.
#[utoipa::path(get, path = "/api/v1/me", tag = "offices",
    responses((status = 200, body = OfficeView), (status = 401, body = Problem)))]
pub(super) async fn me(
    State(_relay): State<Arc<Relay>>,
    Sender(caller): Sender,
) -> Json<OfficeView> {
    Json(views::office_view(caller.office, Some(caller.record)))
}

/// Say which CSVバージョン values the calling office's care software reads and writes
/// (`202407` V4.1, `202208` V3). Only the office itself says it: the office is the one its
/// certificate names. The directory shows it to partners, and a partner's client converts
/// V3 for an office that reads only V4.1.
#[utoipa::path(put, path = "/api/v1/me/csv-versions", tag = "offices", request_body = CsvVersions,
    responses((status = 200, body = OfficeView),
        (status = 400, description = "not a value an office may declare, or more than two", body = Problem),
        (status = 401, body = Problem)))]
pub(super) async fn set_csv_versions(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    body: std::result::Result<Json<CsvVersions>, JsonRejection>,
) -> Result<Json<OfficeView>> {
    let Json(versions) = body.map_err(bad_json)?;
    // Two values exist; one given twice counts once (the relay keeps each once).
    for (name, values) in [("reads", &versions.reads), ("writes", &versions.writes)] {
        if values.len() > CsvVersionValue::ALL.len() {
            return Err(Error::BadRequest(format!(
                "{name} は2つまでです。202407(V4.1)と202208(V3)から選んでください / {name} takes at most two values"
            )));
        }
    }
    let office = relay.set_csv_versions(caller.number(), &versions).await?;
    Ok(Json(views::office_view(office, Some(caller.record))))
}
