//! Signing in: staff accounts with passwords (Argon2id), sessions by a random token in a
//! cookie (only its digest is kept), and a check that forms are posted from the console
//! itself.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageResult, html};
use crate::ledger::{Role, StaffMember};
use crate::{Error, Result};

const COOKIE: &str = "renkei_console";
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

async fn password_matches(password: &str, stored: Option<String>) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || match stored {
        Some(stored) => renkei_seal::password::matches(&password, &stored),
        None => {
            // Hash anyway, so an unknown name takes as long as a wrong password.
            let _ = renkei_seal::password::hash(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Add a staff account or replace its password and role.
pub async fn set_account(
    ledger: &crate::ledger::Ledger,
    name: &str,
    role: Role,
    password: &str,
) -> Result<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
        return Err(Error::Console(
            "利用者名は1〜40文字で指定してください / a user name of 1 to 40 characters".into(),
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
                .session(
                    &renkei_seal::sha256_hex(token.as_bytes()),
                    renkei_seal::unix_now(),
                )
                .ok()
                .flatten()
        });
        member.map(Signed).ok_or_else(|| {
            let next = parts
                .uri
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            Redirect::to(&format!("/login?next={}", encode(&next))).into_response()
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
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// Percent-encode a path for a query parameter.
pub(super) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only a path on this console may follow a sign-in (no `//host` or `https://…`).
pub(super) fn safe_next(next: Option<&str>) -> &str {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//"))
        .unwrap_or("/")
}

#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage {
    frame: Frame,
    next: String,
    failed: bool,
    /// Signed out after too many wrong one-time codes.
    codes: bool,
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
        failed: query.failed == Some(1),
        codes: query.failed == Some(2),
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(console): State<Arc<Console>>,
    Form(form): Form<LoginForm>,
) -> Result<Response, super::page::PageError> {
    let stored = console.office.ledger.staff_password(form.name.trim())?;
    let matches = password_matches(&form.password, stored.map(|(hash, _)| hash)).await;
    let next = safe_next(form.next.as_deref()).to_owned();
    if !matches {
        tracing::warn!(name = form.name, "console sign-in failed");
        return Ok(
            Redirect::to(&format!("/login?failed=1&next={}", encode(&next))).into_response(),
        );
    }
    let token = renkei_seal::sha256_hex(&renkei_seal::random_bytes::<32>()?);
    console.office.ledger.add_session(
        &renkei_seal::sha256_hex(token.as_bytes()),
        form.name.trim(),
        renkei_seal::unix_now() + SESSION_SECONDS,
    )?;
    tracing::info!(name = form.name, "console sign-in");
    let cookie =
        format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={SESSION_SECONDS}");
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response())
}

pub async fn logout(State(console): State<Arc<Console>>, headers: HeaderMap) -> Response {
    if let Some(token) = token(&headers) {
        let _ = console
            .office
            .ledger
            .end_session(&renkei_seal::sha256_hex(token.as_bytes()));
    }
    let cookie = format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    ([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response()
}

/// Refuse a form posted from another site: the session cookie is `SameSite=Strict`
/// already; this also covers browsers that send it anyway.
pub async fn same_origin(request: Request, next: Next) -> Response {
    if request.method() == axum::http::Method::POST {
        let headers = request.headers();
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let origin = headers
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .filter(|o| *o != "null");
        if let (Some(origin), Some(host)) = (origin, host) {
            let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
            if origin_host != host {
                return (
                    StatusCode::FORBIDDEN,
                    "別のサイトからの送信は受け付けません / cross-site form refused",
                )
                    .into_response();
            }
        }
    }
    next.run(request).await
}
