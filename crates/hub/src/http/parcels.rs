//! Sending, the inbox, downloads, acknowledgements, the outbox and receipts.

use super::views;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use renkei_seal::manifest::SignedManifest;
use renkei_seal::receipt::{Signed, SignedReceipt};
use serde::Deserialize;
use utoipa::IntoParams;

use super::Sender;
use super::problem::{bad_json, bad_query, within};
use crate::relay::Relay;
use crate::{Error, Result};
use renkei_proto::{
    ConsistencyView, InboxItem, MANIFEST_HEADER, MANIFEST_SIGNATURE_HEADER, PARCEL_CONTENT_TYPE,
    ParcelView, Problem, SignedReceiptView, SignedView,
};

/// Send a parcel: the body is the sealed CMS; the signed manifest travels in the
/// `Renkei-Manifest` and `Renkei-Manifest-Signature` headers (base64). 201 with the
/// acceptance receipt once the parcel is committed; 200 with the first receipt when the
/// same parcel id and digest were accepted before.
#[utoipa::path(post, path = "/api/v1/parcels", tag = "parcels",
    request_body(content((Vec<u8> = "application/pkcs7-mime"), (Vec<u8> = "application/octet-stream"))),
    params(("renkei-manifest" = String, Header, description = "manifest JSON, base64"),
        ("renkei-manifest-signature" = String, Header, description = "ECDSA signature, base64")),
    responses((status = 201, description = "accepted; the signed receipt", body = SignedReceiptView),
        (status = 200, description = "accepted before; the first receipt", body = SignedReceiptView),
        (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 408, description = "the body stopped arriving", body = Problem), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem),
        (status = 429, description = "over the sender's quota", body = Problem)))]
pub(super) async fn send(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<SignedReceipt>)> {
    let limit = relay.config().max_parcel_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(size) = declared.filter(|size| *size > limit) {
        return Err(Error::ParcelTooLarge { size, limit });
    }
    let manifest = SignedManifest {
        manifest: header_text(&headers, MANIFEST_HEADER)?,
        signature: header_text(&headers, MANIFEST_SIGNATURE_HEADER)?,
    };
    let cap = usize::try_from(limit).unwrap_or(usize::MAX);
    let payload = axum::body::to_bytes(body, cap).await.map_err(|error| {
        if too_long(&error) {
            Error::ParcelTooLarge {
                size: declared.unwrap_or(limit + 1),
                limit,
            }
        } else {
            Error::BodyIncomplete
        }
    })?;
    let sent = relay
        .send(
            &caller,
            &manifest,
            payload.to_vec(),
            renkei_seal::unix_now(),
        )
        .await?;
    let status = if sent.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(sent.receipt)))
}

/// Whether reading a body stopped at its size limit (rather than for a pause or a drop).
fn too_long(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

fn header_text(headers: &HeaderMap, name: &str) -> Result<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::ManifestInvalid(format!(
                "ヘッダー {name} がありません / header {name} is missing"
            ))
        })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct InboxQuery {
    /// Only parcels after this log position (the last `log_index` seen), at most 2^62.
    #[param(minimum = 0, maximum = 4_611_686_018_427_387_903_i64)]
    after: Option<u64>,
    /// Parcels in one answer, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
    /// Seconds to wait for a parcel when none is waiting (long poll), 0 to 60 (default 0).
    #[param(minimum = 0, maximum = 60)]
    wait: Option<u64>,
}

/// Parcels waiting for the calling office, oldest first. With `wait`, an empty inbox
/// answers as soon as a parcel arrives.
#[utoipa::path(get, path = "/api/v1/inbox", tag = "parcels", params(InboxQuery),
    responses((status = 200, body = Vec<InboxItem>), (status = 401, body = Problem),
        (status = 429, description = "too many long polls of this inbox at once", body = Problem)))]
pub(super) async fn inbox(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    query: std::result::Result<Query<InboxQuery>, QueryRejection>,
) -> Result<Json<Vec<InboxItem>>> {
    let Query(query) = query.map_err(bad_query)?;
    let wait = Duration::from_secs(within("wait", query.wait, 0, 0, 60)?);
    // Far beyond any log, and far from the integers' end.
    within("after", query.after, 0, 0, (1u64 << 62) - 1)?;
    let limit = within("limit", query.limit, 100, 1, 1000)?;
    let waiting = relay.inbox(&caller, query.after, limit, wait).await?;
    let items = waiting
        .into_iter()
        .map(|w| {
            let manifest = serde_json::from_str(&w.parcel.manifest)
                .map_err(|e| Error::Database(format!("manifest of {}: {e}", w.parcel.id)))?;
            Ok(InboxItem {
                parcel: views::parcel_view(&w.parcel),
                manifest,
                sender_certificate: w.sender_certificate,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Json(items))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct OutboxQuery {
    /// Parcels in one answer, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<usize>,
}

/// Parcels the calling office sent, newest first, each with its state.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "parcels", params(OutboxQuery),
    responses((status = 200, body = Vec<ParcelView>), (status = 401, body = Problem)))]
pub(super) async fn outbox(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    query: std::result::Result<Query<OutboxQuery>, QueryRejection>,
) -> Result<Json<Vec<ParcelView>>> {
    let Query(query) = query.map_err(bad_query)?;
    let limit = within("limit", query.limit, 100, 1, 1000)?;
    let parcels = relay.outbox(&caller, limit).await?;
    Ok(Json(parcels.iter().map(views::parcel_view).collect()))
}

/// One parcel's record, for its sender or recipient.
#[utoipa::path(get, path = "/api/v1/parcels/{id}", tag = "parcels",
    params(("id" = String, Path)),
    responses((status = 200, body = ParcelView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(super) async fn parcel(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    Path(id): Path<String>,
) -> Result<Json<ParcelView>> {
    let parcel = relay.parcel(&caller, &id).await?;
    Ok(Json(views::parcel_view(&parcel)))
}

/// The sealed parcel, for its recipient. The first download is logged.
#[utoipa::path(get, path = "/api/v1/parcels/{id}/payload", tag = "parcels",
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/pkcs7-mime", body = Vec<u8>),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub(super) async fn payload(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    Path(id): Path<String>,
) -> Result<Response> {
    let bytes = relay
        .download(&caller, &id, renkei_seal::unix_now())
        .await?;
    Ok(([(header::CONTENT_TYPE, PARCEL_CONTENT_TYPE)], bytes).into_response())
}

/// Acknowledge a parcel once its files are safely written; the body is the recipient's
/// signed acknowledgement, which the hub relays to the sender in the receipt.
#[utoipa::path(post, path = "/api/v1/parcels/{id}/ack", tag = "parcels",
    params(("id" = String, Path)), request_body(content = SignedView, description = "signed acknowledgement"),
    responses((status = 200, description = "the acknowledgement receipt", body = SignedReceiptView),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub(super) async fn acknowledge(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    Path(id): Path<String>,
    body: std::result::Result<Json<Signed>, JsonRejection>,
) -> Result<Json<SignedReceipt>> {
    let Json(acknowledgement) = body.map_err(bad_json)?;
    let receipt = relay
        .acknowledge(&caller, &id, acknowledgement, renkei_seal::unix_now())
        .await?;
    Ok(Json(receipt))
}

/// Say that a parcel cannot be taken in (取込不可): it could not be opened, or what was in
/// it was refused. The body is the recipient's signed rejection with the reason; the parcel
/// leaves the inbox, and the sender reads the reason in its outbox.
#[utoipa::path(post, path = "/api/v1/parcels/{id}/rejection", tag = "parcels",
    params(("id" = String, Path)), request_body(content = SignedView, description = "signed rejection"),
    responses((status = 200, description = "the rejection receipt", body = SignedReceiptView),
        (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
pub(super) async fn reject(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    Path(id): Path<String>,
    body: std::result::Result<Json<Signed>, JsonRejection>,
) -> Result<Json<SignedReceipt>> {
    let Json(rejection) = body.map_err(bad_json)?;
    let receipt = relay
        .reject(&caller, &id, rejection, renkei_seal::unix_now())
        .await?;
    Ok(Json(receipt))
}

/// Every receipt of a parcel so far, each with an inclusion proof in a fresh checkpoint.
#[utoipa::path(get, path = "/api/v1/parcels/{id}/receipts", tag = "parcels",
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<SignedReceiptView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub(super) async fn receipts(
    State(relay): State<Arc<Relay>>,
    Sender(caller): Sender,
    Path(id): Path<String>,
) -> Result<Json<Vec<SignedReceipt>>> {
    Ok(Json(
        relay
            .receipts(&caller, &id, renkei_seal::unix_now())
            .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ConsistencyQuery {
    /// The older checkpoint's size, at least 1.
    #[param(minimum = 1, maximum = 4_611_686_018_427_387_903_i64)]
    first: u64,
    /// The newer checkpoint's size, from `first` to the log's size now.
    #[param(minimum = 1, maximum = 4_611_686_018_427_387_903_i64)]
    second: u64,
}

/// The proof that the log of `first` entries is a prefix of the log of `second` (RFC 9162
/// §2.1.4): with two checkpoints the hub signed, it shows the log only grew between them.
#[utoipa::path(get, path = "/api/v1/log/consistency", tag = "log", params(ConsistencyQuery),
    responses((status = 200, body = ConsistencyView),
        (status = 400, description = "first is 0 or above second", body = Problem),
        (status = 404, description = "the log has not reached second", body = Problem)))]
pub(super) async fn consistency(
    State(relay): State<Arc<Relay>>,
    query: std::result::Result<Query<ConsistencyQuery>, QueryRejection>,
) -> Result<Json<ConsistencyView>> {
    let Query(query) = query.map_err(bad_query)?;
    let proof = relay.consistency(query.first, query.second).await?;
    Ok(Json(ConsistencyView {
        first: query.first,
        second: query.second,
        proof: proof.iter().map(hex::encode).collect(),
    }))
}

/// The audit log's head now, signed by the hub.
#[utoipa::path(get, path = "/api/v1/checkpoint", tag = "log",
    responses((status = 200, description = "signed checkpoint", body = SignedView)))]
pub(super) async fn checkpoint(State(relay): State<Arc<Relay>>) -> Result<Json<Signed>> {
    Ok(Json(relay.checkpoint(renkei_seal::unix_now()).await?))
}
