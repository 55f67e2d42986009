//! The information base's pages (介護情報基盤), in Japanese, under `/base/` on the relay's
//! HTTPS listener: one set of pages for each side that signs in here.
//!
//! - [`session`]: sign-in for municipality and clinic staff (password and one-time code)
//!   and for insured persons (their own password after the municipality's activation code);
//! - [`municipality`]: progress overview, a person's records and the municipality's acts
//!   on them (consent, 担当事業所, opinions asked, steps and results), the bulk upload;
//! - [`staff`]: a municipality's or clinic's staff accounts, for its administrator;
//! - [`clinic`]: the opinions asked of the clinic, and the 主治医意見書 form;
//! - [`person`]: the person's own records, who saw them, consent and offices, drafts;
//! - [`view`]: records as the pages show them.
//!
//! Every disclosure goes through [`Relay::disclose`], so the access rules and the access
//! log are the API's own. The cookie is `Secure; HttpOnly; SameSite=Strict`, and a form
//! posted from another site is refused by the relay's router ([`renkei_web::origin`]).

mod clinic;
mod municipality;
mod person;
mod session;
mod staff;
mod view;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::page::PageError;
use crate::relay::{PortalUser, Relay};
use crate::store::AccountRole;
use renkei_infobase::Participant;

const COOKIE: renkei_web::cookies::Scope = renkei_web::cookies::Scope {
    name: "renkei_base",
    path: "/base",
    secure: true,
};

/// Uploads (a municipality's CSV, an opinion's PDF) are bigger than forms.
const UPLOAD_LIMIT: usize = 64 * 1024 * 1024;

pub fn routes() -> Router<Arc<Relay>> {
    Router::new()
        .route("/base", get(session::home))
        .route("/base/", get(session::home))
        .route("/base/login/staff", post(session::staff_login))
        .route("/base/login/person", post(session::person_login))
        .route(
            "/base/activate",
            get(session::activation_page).post(session::activate),
        )
        .route("/base/logout", post(session::logout))
        .route("/base/municipality", get(municipality::overview))
        .route(
            "/base/municipality/people/{insured}",
            get(municipality::person),
        )
        .route(
            "/base/municipality/people/{insured}/{act}",
            post(municipality::act),
        )
        .route(
            "/base/municipality/upload",
            get(municipality::upload_page)
                .post(municipality::upload)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/base/staff", get(staff::staff).post(staff::add_staff))
        .route("/base/staff/{name}/remove", post(staff::remove_staff))
        .route("/base/clinic", get(clinic::requests))
        .route(
            "/base/clinic/opinions/{insurer}/{insured}/{key}",
            get(clinic::form)
                .post(clinic::submit)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/base/opinions/{insurer}/{insured}/{key}/pdf",
            get(view::opinion_pdf),
        )
        .route("/base/me", get(person::home))
        .route("/base/me/{act}", post(person::act))
        .route("/base/portal.css", get(style))
        .route("/base/confirm.js", get(renkei_web::confirm::script))
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../../templates/portal/portal.css"),
    )
        .into_response()
}

/// Whoever is signed in to the pages; without a session, the sign-in page. (A form from
/// another site never gets here: the relay's router refuses it first.)
#[derive(Debug)]
pub(super) struct Signed(pub PortalUser);

impl FromRequestParts<Arc<Relay>> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, relay: &Arc<Relay>) -> Result<Self, Response> {
        let token = renkei_web::cookies::get(&parts.headers, COOKIE.name);
        match relay
            .portal_user(token.as_deref(), renkei_seal::unix_now())
            .await
        {
            Ok(user) => Ok(Signed(user)),
            Err(_) => Err(Redirect::to("/base/").into_response()),
        }
    }
}

impl Signed {
    fn insurer(&self) -> Result<&str, PageError> {
        match &self.0.viewer {
            Participant::Municipality { insurer } => Ok(insurer),
            _ => Err(not_for_you()),
        }
    }

    fn clinic(&self) -> Result<&str, PageError> {
        match &self.0.viewer {
            Participant::Clinic { number, .. } => Ok(number),
            _ => Err(not_for_you()),
        }
    }

    fn is_admin(&self) -> bool {
        self.0.role == AccountRole::Admin
    }
}

fn not_for_you() -> PageError {
    PageError(
        StatusCode::FORBIDDEN,
        "この画面は別の立場の方のものです。サインインし直してください / this page is for another kind of account".into(),
    )
}

/// Where each kind of account starts.
fn home_of(user: &PortalUser) -> &'static str {
    match user.viewer {
        Participant::Municipality { .. } => "/base/municipality",
        Participant::Clinic { .. } => "/base/clinic",
        _ => "/base/me",
    }
}

/// The name shown at the top right.
fn who(user: &PortalUser) -> String {
    match user.role {
        AccountRole::Person => user.display.clone(),
        role => format!("{} {}({})", user.display, user.name, role.name_ja()),
    }
}
