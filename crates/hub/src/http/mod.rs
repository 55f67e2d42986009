//! The HTTPS API that offices and the operator call: routes, the identity of callers, and
//! refusals as JSON problems. The rules themselves live in [`crate::relay`].

mod extract;
mod infobase;
mod offices;
mod openapi;
mod operator;
mod operator_console;
mod page;
mod parcels;
mod portal;
mod problem;
pub mod tls;
mod views;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};

pub use axum::Router;
pub use extract::{Operator, Sender};
pub use openapi::document;
pub use renkei_web::client::ClientAddress;

use crate::relay::Relay;

/// Bodies other than parcels (JSON requests) stay small.
const JSON_LIMIT: usize = 256 * 1024;
/// A municipality's CSV upload to the information base.
const BASE_UPLOAD_LIMIT: usize = 256 * 1024 * 1024;

pub fn router(relay: Arc<Relay>) -> Router {
    Router::new()
        .route("/openapi.json", get(openapi::serve))
        .route("/api/v1/authority", get(offices::authority))
        .route("/api/v1/checkpoint", get(parcels::checkpoint))
        .route("/api/v1/log/consistency", get(parcels::consistency))
        .route("/api/v1/enrol", post(offices::enrol))
        .route("/api/v1/directory", get(offices::directory))
        .route("/api/v1/me", get(offices::me))
        .route("/api/v1/me/csv-versions", put(offices::set_csv_versions))
        .route(
            "/api/v1/parcels",
            // The parcel route reads its body itself, to refuse an oversize parcel with
            // the relay's own message.
            post(parcels::send).layer(DefaultBodyLimit::disable()),
        )
        .route("/api/v1/inbox", get(parcels::inbox))
        .route("/api/v1/outbox", get(parcels::outbox))
        .route("/api/v1/parcels/{id}", get(parcels::parcel))
        .route("/api/v1/parcels/{id}/payload", get(parcels::payload))
        .route("/api/v1/parcels/{id}/ack", post(parcels::acknowledge))
        .route("/api/v1/parcels/{id}/rejection", post(parcels::reject))
        .route("/api/v1/parcels/{id}/receipts", get(parcels::receipts))
        .route("/api/v1/operator/login", post(operator::login))
        .route("/api/v1/operator/codes", post(operator::issue_code))
        .route("/api/v1/operator/offices", get(operator::offices))
        .route(
            "/api/v1/operator/offices/{number}/revoke",
            post(operator::revoke),
        )
        .route(
            "/api/v1/operator/offices/{number}/active",
            post(operator::set_active),
        )
        .route("/api/v1/operator/volumes", get(operator::volumes))
        .route(
            "/api/v1/base/people/{insurer}/{insured}/records",
            get(infobase::records).post(infobase::submit),
        )
        .route(
            "/api/v1/base/people/{insurer}/{insured}/consent",
            post(infobase::consent),
        )
        .route(
            "/api/v1/base/upload",
            // A municipality's file of a year's applications runs to megabytes.
            post(infobase::upload).layer(DefaultBodyLimit::max(BASE_UPLOAD_LIMIT)),
        )
        .route("/api/v1/base/opinions", get(infobase::opinions))
        .route("/api/v1/base/overview", post(infobase::overview))
        .route(
            "/api/v1/base/people/{insurer}/{insured}/registration",
            post(infobase::register),
        )
        .merge(operator_console::routes())
        .merge(portal::routes())
        .fallback(problem::not_found)
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            relay.config().body_idle,
        ))
        // One Origin check and one set of security headers for the API and both sets of pages.
        .layer(axum::middleware::from_fn(renkei_web::origin::same_site))
        .layer(axum::middleware::from_fn(
            renkei_web::headers::security_headers,
        ))
        .with_state(relay)
}
