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
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

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

/// A page that could not be made, as a page that says why.
#[derive(Debug)]
pub(crate) struct PageError(StatusCode, String);

impl From<crate::Error> for PageError {
    fn from(error: crate::Error) -> Self {
        let status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self(status, error.to_string())
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> Self {
        Self(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
    }
}

#[derive(askama::Template)]
#[template(path = "console/error.html")]
struct ErrorPage<'a> {
    message: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        use askama::Template;
        let body = ErrorPage { message: &self.1 }
            .render()
            .unwrap_or_else(|_| self.1.clone());
        (self.0, Html(body)).into_response()
    }
}

type PageResult = Result<Response, PageError>;

fn html(page: impl askama::Template) -> PageResult {
    Ok(Html(page.render()?).into_response())
}
