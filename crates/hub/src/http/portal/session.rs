//! Signing in to the information base's pages, and out.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{COOKIE, home_of};
use crate::http::ClientAddress;
use crate::http::page::{PageResult, html};
use crate::relay::{PortalSession, Relay, clinic_holder, municipality_holder};
use renkei_infobase::PersonKey;

#[derive(Template)]
#[template(path = "portal/login.html")]
struct LoginPage {
    problem: Option<String>,
    /// What was typed in the form that failed, but never the password, so that only the
    /// wrong part is typed again.
    typed: Typed,
}

/// The fields of a failed sign-in, as they were typed.
#[derive(Debug, Default)]
struct Typed {
    staff: bool,
    clinic: bool,
    insurer: String,
    insured: String,
    number: String,
    name: String,
}

/// The sign-in page, or the signed-in account's own start page. Nothing of the URL is shown
/// on it: a problem is shown only as the answer to a sign-in just made.
pub(super) async fn home(State(relay): State<Arc<Relay>>, headers: HeaderMap) -> PageResult {
    let token = renkei_web::cookies::get(&headers, COOKIE.name);
    if let Ok(user) = relay
        .portal_user(token.as_deref(), renkei_seal::unix_now())
        .await
    {
        return Ok(Redirect::to(home_of(&user)).into_response());
    }
    html(LoginPage {
        problem: None,
        typed: Typed::default(),
    })
}

fn signed_in(session: PortalSession) -> Response {
    let age = session.expires - renkei_seal::unix_now();
    (
        [(header::SET_COOKIE, COOKIE.set(&session.token, age))],
        Redirect::to("/base/"),
    )
        .into_response()
}

/// The sign-in page again, with what was typed and what was wrong.
fn failed(error: crate::Error, typed: Typed) -> Response {
    let status = axum::http::StatusCode::from_u16(error.status())
        .unwrap_or(axum::http::StatusCode::UNAUTHORIZED);
    match html(LoginPage {
        problem: Some(renkei_spec::glossary::in_japanese(&error.to_string()).to_owned()),
        typed,
    }) {
        Ok(page) => (status, page).into_response(),
        Err(error) => error.into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct StaffForm {
    /// `municipality` or `clinic`.
    side: String,
    number: String,
    name: String,
    password: String,
    code: String,
}

pub(super) async fn staff_login(
    State(relay): State<Arc<Relay>>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<StaffForm>,
) -> Response {
    let number = form.number.trim();
    let holder = match form.side.as_str() {
        "clinic" => clinic_holder(number),
        _ => municipality_holder(number),
    };
    match relay
        .staff_sign_in(
            &holder,
            &form.name,
            &form.password,
            &form.code,
            address,
            renkei_seal::unix_now(),
        )
        .await
    {
        Ok(session) => signed_in(session),
        Err(error) => failed(
            error,
            Typed {
                staff: true,
                clinic: form.side == "clinic",
                number: number.to_owned(),
                name: form.name.clone(),
                ..Typed::default()
            },
        ),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct PersonForm {
    insurer: String,
    insured: String,
    password: String,
}

pub(super) async fn person_login(
    State(relay): State<Arc<Relay>>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<PersonForm>,
) -> Response {
    let person = PersonKey::new(form.insurer.trim(), form.insured.trim());
    match relay
        .person_sign_in(&person, &form.password, address, renkei_seal::unix_now())
        .await
    {
        Ok(session) => signed_in(session),
        Err(error) => failed(
            error,
            Typed {
                insurer: person.insurer.clone(),
                insured: person.insured.clone(),
                ..Typed::default()
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "portal/activate.html")]
struct ActivationPage {
    problem: Option<String>,
    typed: Typed,
}

pub(super) async fn activation_page() -> PageResult {
    html(ActivationPage {
        problem: None,
        typed: Typed::default(),
    })
}

#[derive(Debug, Deserialize)]
pub(super) struct ActivationForm {
    insurer: String,
    insured: String,
    code: String,
    password: String,
    again: String,
}

pub(super) async fn activate(
    State(relay): State<Arc<Relay>>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<ActivationForm>,
) -> PageResult {
    let person = PersonKey::new(form.insurer.trim(), form.insured.trim());
    let typed = Typed {
        insurer: person.insurer.clone(),
        insured: person.insured.clone(),
        ..Typed::default()
    };
    if form.password != form.again {
        return html(ActivationPage {
            problem: Some(
                "確認のために入力したパスワードが一致しません。もう一度入力してください".into(),
            ),
            typed,
        });
    }
    match relay
        .activate(
            &person,
            &form.code,
            &form.password,
            address,
            renkei_seal::unix_now(),
        )
        .await
    {
        Ok(session) => Ok(signed_in(session)),
        Err(error) => html(ActivationPage {
            problem: Some(renkei_spec::glossary::in_japanese(&error.to_string()).to_owned()),
            typed,
        }),
    }
}

pub(super) async fn logout(State(relay): State<Arc<Relay>>, headers: HeaderMap) -> Response {
    if let Some(token) = renkei_web::cookies::get(&headers, COOKIE.name)
        && let Err(error) = relay.portal_sign_out(&token).await
    {
        tracing::warn!(%error, "information base sign-out not recorded");
    }
    (
        [(header::SET_COOKIE, COOKIE.clear())],
        Redirect::to("/base/"),
    )
        .into_response()
}
