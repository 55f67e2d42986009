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
use crate::store::Store;

pub fn routes<S: Store>() -> Router<Arc<Relay<S>>> {
    Router::new()
        .route("/console", get(pages::overview::<S>))
        .route("/console/", get(pages::overview::<S>))
        .route(
            "/console/login",
            get(session::login_page).post(session::login::<S>),
        )
        .route("/console/logout", post(session::logout::<S>))
        .route("/console/offices", get(pages::offices::<S>))
        .route(
            "/console/offices/{number}/active",
            post(pages::set_active::<S>),
        )
        .route("/console/offices/{number}/revoke", post(pages::revoke::<S>))
        .route(
            "/console/codes",
            get(pages::codes::<S>).post(pages::issue_code::<S>),
        )
        .route("/console/adoption", get(pages::adoption::<S>))
        .route(
            "/console/adoption/{prefecture}",
            get(pages::municipalities::<S>),
        )
        .route("/console/operator.css", get(style))
}

async fn style() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../../templates/console/operator.css"),
    )
        .into_response()
}
