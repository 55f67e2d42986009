//! Operator sign-in for the console: the relay's own operator accounts and sessions.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{PageError, PageResult, html};
use crate::relay::Relay;
use crate::store::Store;

const COOKIE: &str = "renkei_operator";

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    super::super::page::cookie(headers, COOKIE)
}

/// The operator signed in on this request; without a session, the sign-in page.
#[derive(Debug)]
pub(super) struct Signed(pub String);

impl<S: Store> FromRequestParts<Arc<Relay<S>>> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        relay: &Arc<Relay<S>>,
    ) -> Result<Self, Response> {
        let token = cookie_token(&parts.headers);
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
#[template(path = "console/login.html")]
struct LoginPage {
    failed: bool,
}

#[derive(Debug, Deserialize)]
pub(super) struct LoginQuery {
    failed: Option<u8>,
}

pub(super) async fn login_page(Query(query): Query<LoginQuery>) -> PageResult {
    html(LoginPage {
        failed: query.failed.is_some(),
    })
}

#[derive(Debug, Deserialize)]
pub(super) struct LoginForm {
    name: String,
    password: String,
}

pub(super) async fn login<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    match relay
        .login(form.name.trim(), &form.password, renkei_seal::unix_now())
        .await
    {
        Ok(session) => {
            let age = (session.expires - renkei_seal::unix_now()).max(0);
            let cookie = format!(
                "{COOKIE}={}; HttpOnly; Secure; SameSite=Strict; Path=/console; Max-Age={age}",
                session.token
            );
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/console/")).into_response())
        }
        Err(crate::Error::LoginFailed) => {
            Ok(Redirect::to("/console/login?failed=1").into_response())
        }
        Err(error) => Err(error.into()),
    }
}

pub(super) async fn logout<S: Store>(
    State(relay): State<Arc<Relay<S>>>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = cookie_token(&headers)
        && let Err(error) = relay.logout(&token).await
    {
        tracing::warn!(%error, "operator sign-out not recorded");
    }
    let cookie = format!("{COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/console; Max-Age=0");
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to("/console/login"),
    )
        .into_response()
}
