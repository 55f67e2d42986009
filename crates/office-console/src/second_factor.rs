//! The second factor the 介護情報基盤 pages ask for: a one-time code from the staff
//! member's authenticator app, once per session, on top of the password. A member without
//! a key enrols one here on first use (the key is shown once, and kept only when a code made
//! with it is typed back); an administrator's password reset removes the key.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageError, PageResult, html};
use super::session::{Signed, sign_in_again, token};
use renkei_office::ledger::StaffMember;
use renkei_web::redirect::{encode_query_value, safe_next};

/// Wrong codes in a row after which the session ends and the password is asked again.
const CODE_TRIES: u32 = 5;

/// A staff member whose session showed a one-time code; without one, the code page.
#[derive(Clone, Debug)]
pub struct Verified(pub StaffMember);

impl FromRequestParts<Arc<Console>> for Verified {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        console: &Arc<Console>,
    ) -> Result<Self, Response> {
        let Signed(member) = Signed::from_request_parts(parts, console).await?;
        if member.second_factor {
            return Ok(Verified(member));
        }
        let next = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        Err(Redirect::to(&format!("/verify?next={}", encode_query_value(&next))).into_response())
    }
}

#[derive(Template)]
#[template(path = "console/verify.html")]
struct VerifyPage {
    frame: Frame,
    next: String,
    /// A new key to enrol, when the member has none.
    new_key: Option<String>,
    address: String,
    /// The address as a QR code (inline SVG), for the app's camera.
    qr: Option<String>,
    failed: bool,
}

#[derive(Debug, Deserialize)]
pub struct VerifyQuery {
    next: Option<String>,
}

/// The code page; `new_key` is the key being enrolled, kept across a mistyped code.
fn verify_page(
    console: &Console,
    staff: &StaffMember,
    next: &str,
    new_key: Option<String>,
    failed: bool,
) -> PageResult {
    let address = new_key.as_deref().map_or(String::new(), |key| {
        renkei_seal::totp::address(
            key,
            "renkei",
            &format!("{} {}", console.office.profile.number, staff.name),
        )
    });
    html(VerifyPage {
        frame: Frame::new(console, staff, "base", "確認コード"),
        next: safe_next(Some(next)).to_owned(),
        new_key,
        qr: (!address.is_empty())
            .then(|| renkei_web::qr::svg(&address, "認証アプリで読み取るQRコード"))
            .flatten(),
        address,
        failed,
    })
}

pub async fn page(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<VerifyQuery>,
) -> PageResult {
    let new_key = match console.office.ledger.totp_secret(&staff.name)? {
        Some(_) => None,
        None => Some(renkei_seal::totp::new_secret().map_err(renkei_office::Error::from)?),
    };
    verify_page(
        &console,
        &staff,
        query.next.as_deref().unwrap_or("/"),
        new_key,
        false,
    )
}

#[derive(Debug, Deserialize)]
pub struct VerifyForm {
    code: String,
    #[serde(default)]
    new_key: String,
    next: String,
}

pub async fn verify(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    headers: HeaderMap,
    Form(form): Form<VerifyForm>,
) -> Result<Response, PageError> {
    let ledger = &console.office.ledger;
    let stored = ledger.totp_secret(&staff.name)?;
    let enrolling = stored.is_none();
    let secret = stored.unwrap_or_else(|| form.new_key.trim().to_owned());
    let next = safe_next(Some(&form.next)).to_owned();
    let step = renkei_seal::totp::check(&secret, &form.code, renkei_seal::unix_now())
        .map_err(|e| PageError::bad_request(e.to_string()))?;
    let token = renkei_web::cookies::digest(&token(&headers).unwrap_or_default());
    let confirmed = match step {
        Some(step) => ledger.confirm_second_factor(&token, &staff.name, &secret, step)?,
        None => false,
    };
    let failures = console.note_code(&token, confirmed);
    if confirmed {
        tracing::info!(staff = staff.name, "second factor shown");
        Ok(Redirect::to(&next).into_response())
    } else if failures >= CODE_TRIES {
        // A guesser with a stolen password gets a handful of codes, then the password again.
        tracing::warn!(
            staff = staff.name,
            "second factor refused too often: signed out"
        );
        ledger.end_session(&token)?;
        Ok(sign_in_again(2, &next))
    } else {
        tracing::warn!(staff = staff.name, "second factor refused");
        let page = verify_page(&console, &staff, &next, enrolling.then_some(secret), true)?;
        Ok((axum::http::StatusCode::UNAUTHORIZED, page).into_response())
    }
}

impl Console {
    /// Count a wrong code of the session (or forget its count after a right one): how many
    /// wrong ones in a row it has now.
    fn note_code(&self, token_sha256: &str, right: bool) -> u32 {
        let Ok(mut failures) = self.code_failures.lock() else {
            return 0;
        };
        if right {
            failures.remove(token_sha256);
            return 0;
        }
        // Sessions come and go; the map stays small as long as it is emptied now and then.
        if failures.len() > 10_000 {
            failures.clear();
        }
        let count = failures.entry(token_sha256.to_owned()).or_default();
        *count += 1;
        *count
    }
}
