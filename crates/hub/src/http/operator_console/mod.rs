//! The operator console: the relay's web pages for its operator, in Japanese, on the same
//! HTTPS listener as the API (under `/console/`), behind the operators' password sign-in.
//!
//! - [`session`]: sign-in with the relay's operator accounts (Argon2id), the session token
//!   in a `Secure; HttpOnly; SameSite=Strict` cookie (which is also what keeps other sites
//!   from posting the forms);
//! - [`pages`]: offices and their states, enrolment codes, stopping and revocation,
//!   volumes per day, adoption by prefecture and municipality, the busiest pairs.

mod pages;
mod session;

use std::sync::Arc;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub(crate) use super::page::{PageError, PageResult, html};
use crate::relay::Relay;

pub fn routes() -> Router<Arc<Relay>> {
    Router::new()
        .route("/console", get(pages::overview))
        .route("/console/", get(pages::overview))
        .route(
            "/console/login",
            get(session::login_page).post(session::login),
        )
        .route("/console/logout", post(session::logout))
        .route("/console/offices", get(pages::offices))
        .route("/console/offices/{number}/active", post(pages::set_active))
        .route("/console/offices/{number}/revoke", post(pages::revoke))
        .route("/console/codes", get(pages::codes).post(pages::issue_code))
        .route("/console/adoption", get(pages::adoption))
        .route("/console/adoption/{prefecture}", get(pages::municipalities))
        .route("/console/operator.css", get(style))
        .route("/console/confirm.js", get(renkei_web::confirm::script))
}

async fn style() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../../templates/operator_console/operator.css"),
    )
        .into_response()
}
