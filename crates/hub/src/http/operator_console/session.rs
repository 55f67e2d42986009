//! Operator sign-in for the console: the relay's own operator accounts (password and the
//! authenticator's one-time code) and their sessions. Attempts are counted and sessions'
//! cookies made as on every surface ([`renkei_web`]).

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use renkei_web::cookies::{self, Scope};
use serde::Deserialize;

use super::{PageError, PageResult, html};
use crate::http::ClientAddress;
use crate::relay::Relay;

const COOKIE: Scope = Scope {
    name: "renkei_operator",
    path: "/console",
    secure: true,
};

/// The operator signed in on this request; without a session, the sign-in page.
#[derive(Debug)]
pub(super) struct Signed(pub String);

impl FromRequestParts<Arc<Relay>> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, relay: &Arc<Relay>) -> Result<Self, Response> {
        let token = cookies::get(&parts.headers, COOKIE.name);
        match relay
            .operator(token.as_deref(), renkei_seal::unix_now())
            .await
        {
            Ok(name) => Ok(Signed(name)),
            Err(_) => Err(Redirect::to("/console/login").into_response()),
        }
    }
}

#[derive(Template)]
#[template(path = "operator_console/login.html")]
struct LoginPage {
    problem: Option<String>,
}

pub(super) async fn login_page() -> PageResult {
    html(LoginPage { problem: None })
}

#[derive(Debug, Deserialize)]
pub(super) struct LoginForm {
    name: String,
    password: String,
    #[serde(default)]
    code: String,
}

pub(super) async fn login(
    State(relay): State<Arc<Relay>>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let now = renkei_seal::unix_now();
    match relay
        .login(form.name.trim(), &form.password, &form.code, address, now)
        .await
    {
        Ok(session) => Ok((
            [(
                header::SET_COOKIE,
                COOKIE.set(&session.token, session.expires - now),
            )],
            Redirect::to("/console/"),
        )
            .into_response()),
        // The page again, saying what was wrong: the answer's own words, nothing of the URL.
        Err(
            error @ (crate::Error::LoginFailed
            | crate::Error::SignInLocked { .. }
            | crate::Error::SignInBusy),
        ) => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::UNAUTHORIZED);
            let page = html(LoginPage {
                problem: Some(error.to_string()),
            })?;
            Ok((status, page).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

pub(super) async fn logout(State(relay): State<Arc<Relay>>, headers: HeaderMap) -> Response {
    if let Some(token) = cookies::get(&headers, COOKIE.name)
        && let Err(error) = relay.logout(&token).await
    {
        tracing::warn!(%error, "operator sign-out not recorded");
    }
    (
        [(header::SET_COOKIE, COOKIE.clear())],
        Redirect::to("/console/login"),
    )
        .into_response()
}
