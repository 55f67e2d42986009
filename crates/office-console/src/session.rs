//! Signing in: staff accounts with passwords (Argon2id), sessions by a random token in a
//! cookie (only its digest is kept). Attempts are counted, cookies made, `next=` checked and
//! forms from other sites refused as on every surface ([`renkei_web`]).

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use renkei_web::client::ClientAddress;
use renkei_web::cookies::{self, Scope};
use renkei_web::redirect::{encode_query_value, safe_next};
use renkei_web::signin::Held;
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageResult, html};
use renkei_office::ledger::{Role, StaffMember};
use renkei_office::{Error, Result};

/// The console is plain HTTP on this PC: the cookie cannot be `Secure`.
const COOKIE: Scope = Scope {
    name: "renkei_console",
    path: "/",
    secure: false,
};
/// A working day and then some: a clerk signs in once a day.
const SESSION_SECONDS: i64 = 12 * 3600;

/// Hash a password for an account, refusing one too short to be safe.
pub async fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < renkei_seal::password::MIN_LENGTH {
        return Err(Error::Console(format!(
            "パスワードは{}文字以上にしてください / a password needs at least {} characters",
            renkei_seal::password::MIN_LENGTH,
            renkei_seal::password::MIN_LENGTH
        )));
    }
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || renkei_seal::password::hash(&password))
        .await
        .map_err(|e| Error::Console(e.to_string()))?
        .map_err(Error::from)
}

/// Add a staff account or replace its password and role.
pub async fn set_account(
    ledger: &renkei_office::ledger::Ledger,
    name: &str,
    role: Role,
    password: &str,
) -> Result<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
        return Err(Error::Console(
            "職員名は1〜40文字で指定してください / a staff name of 1 to 40 characters".into(),
        ));
    }
    let hash = hash_password(password).await?;
    ledger.set_staff(name, role, &hash, renkei_seal::unix_now())
}

/// A password to show once, for an account made without one: 16 letters and digits
/// without look-alikes (0/O, 1/l/I).
pub fn generated_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes = renkei_seal::random_bytes::<16>()?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

/// The staff member signed in for this request; pages that need one take it as an
/// argument, and a request without a session is sent to the sign-in page.
#[derive(Clone, Debug)]
pub struct Signed(pub StaffMember);

impl FromRequestParts<Arc<Console>> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        console: &Arc<Console>,
    ) -> Result<Self, Response> {
        let member = token(&parts.headers).and_then(|token| {
            console
                .office
                .ledger
                .session(&cookies::digest(&token), renkei_seal::unix_now())
                .ok()
                .flatten()
        });
        member.map(Signed).ok_or_else(|| {
            let next = parts
                .uri
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            Redirect::to(&format!("/login?next={}", encode_query_value(&next))).into_response()
        })
    }
}

/// The same, for pages only an administrator may use.
#[derive(Clone, Debug)]
pub struct Admin(pub StaffMember);

impl FromRequestParts<Arc<Console>> for Admin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        console: &Arc<Console>,
    ) -> Result<Self, Response> {
        let Signed(member) = Signed::from_request_parts(parts, console).await?;
        if member.role == Role::Admin {
            Ok(Admin(member))
        } else {
            Err(super::page::PageError {
                status: StatusCode::FORBIDDEN,
                message: "この画面は管理者だけが使えます / administrators only".into(),
            }
            .into_response())
        }
    }
}

pub(super) fn token(headers: &HeaderMap) -> Option<String> {
    cookies::get(headers, COOKIE.name)
}

/// Why the sign-in page is shown again: chosen by a number, so no text from the URL is
/// ever shown on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    WrongPassword,
    /// Signed out after too many wrong one-time codes.
    WrongCodes,
    Locked,
    Busy,
}

impl Problem {
    fn of(number: Option<u8>) -> Option<Self> {
        match number? {
            1 => Some(Problem::WrongPassword),
            2 => Some(Problem::WrongCodes),
            3 => Some(Problem::Locked),
            4 => Some(Problem::Busy),
            _ => None,
        }
    }

    fn number(self) -> u8 {
        match self {
            Problem::WrongPassword => 1,
            Problem::WrongCodes => 2,
            Problem::Locked => 3,
            Problem::Busy => 4,
        }
    }

    fn message(self) -> &'static str {
        match self {
            Problem::WrongPassword => "職員名またはパスワードが違います。",
            Problem::WrongCodes => "確認コードの誤りが続いたため、ログインし直してください。",
            Problem::Locked => {
                "ログインの失敗が続いたため、15分ほどこの職員名ではログインできません。お急ぎのときは管理者にパスワードの再設定を依頼してください。"
            }
            Problem::Busy => "ログインが混み合っています。少し待ってからもう一度お試しください。",
        }
    }
}

#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage {
    frame: Frame,
    next: String,
    problem: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    failed: Option<u8>,
}

pub async fn login_page(
    State(console): State<Arc<Console>>,
    Query(query): Query<LoginQuery>,
) -> PageResult {
    html(LoginPage {
        frame: Frame::anonymous(&console, "ログイン"),
        next: safe_next(query.next.as_deref()).to_owned(),
        problem: Problem::of(query.failed).map(Problem::message),
    })
}

/// The sign-in page again with `problem`, keeping where to go after it.
pub(super) fn sign_in_again(problem: u8, next: &str) -> Response {
    Redirect::to(&format!(
        "/login?failed={problem}&next={}",
        encode_query_value(safe_next(Some(next)))
    ))
    .into_response()
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(console): State<Arc<Console>>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<LoginForm>,
) -> Result<Response, super::page::PageError> {
    let name = form.name.trim();
    let next = safe_next(form.next.as_deref()).to_owned();
    let now = renkei_seal::unix_now();
    let held = |held: Held| match held {
        Held::Locked { .. } => Problem::Locked,
        Held::Busy => Problem::Busy,
    };
    let attempt = match console.sign_ins.begin(name, address, now) {
        Ok(attempt) => attempt,
        Err(why) => return Ok(sign_in_again(held(why).number(), &next)),
    };
    let stored = console.office.ledger.staff_password(name)?;
    let matches = match console
        .sign_ins
        .verify(
            &form.password,
            stored.as_ref().map(|(hash, _)| hash.as_str()),
        )
        .await
    {
        Ok(matches) => matches,
        Err(why) => {
            console.sign_ins.finish(attempt, false, now);
            return Ok(sign_in_again(held(why).number(), &next));
        }
    };
    console.sign_ins.finish(attempt, matches, now);
    if !matches {
        tracing::warn!("console sign-in failed");
        return Ok(sign_in_again(Problem::WrongPassword.number(), &next));
    }
    let (token, digest) = cookies::new_token()?;
    console
        .office
        .ledger
        .add_session(&digest, name, now + SESSION_SECONDS)?;
    tracing::info!(name, "console sign-in");
    Ok((
        [(header::SET_COOKIE, COOKIE.set(&token, SESSION_SECONDS))],
        Redirect::to(&next),
    )
        .into_response())
}

pub async fn logout(State(console): State<Arc<Console>>, headers: HeaderMap) -> Response {
    if let Some(token) = token(&headers) {
        let _ = console.office.ledger.end_session(&cookies::digest(&token));
    }
    (
        [(header::SET_COOKIE, COOKIE.clear())],
        Redirect::to("/login"),
    )
        .into_response()
}

/// A staff member's failed sign-ins are forgotten when an administrator resets them.
pub(super) fn unlock(console: &Console, name: &str) {
    console.sign_ins.unlock(name);
}
