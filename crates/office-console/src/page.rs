//! What every page shares: the frame (title, navigation, who is signed in) and errors shown
//! as pages that say what went wrong and what to do.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use renkei_office::ledger::StaffMember;

use super::Console;

/// The frame around a page.
#[derive(Clone, Debug)]
pub struct Frame {
    pub title: String,
    /// The navigation entry to mark as current.
    pub section: &'static str,
    pub staff: Option<StaffMember>,
    pub office_number: String,
    pub office_name: String,
    /// Parcels received in all when the page was made: the page's script is told the count
    /// as it grows and shows the difference (`arrivals`).
    pub received: u64,
}

impl Frame {
    pub fn new(
        console: &Console,
        staff: &StaffMember,
        section: &'static str,
        title: impl Into<String>,
    ) -> Self {
        let office_name = console.office.profile.office_name();
        Self {
            title: title.into(),
            section,
            staff: Some(staff.clone()),
            office_number: console.office.profile.number.clone(),
            office_name,
            received: console.office.ledger.received_count().unwrap_or(0),
        }
    }

    /// The frame of a page seen before signing in.
    pub fn anonymous(console: &Console, title: impl Into<String>) -> Self {
        Self {
            staff: None,
            ..Self::new(
                console,
                &StaffMember {
                    name: String::new(),
                    role: renkei_office::ledger::Role::Staff,
                    second_factor: false,
                },
                "",
                title,
            )
        }
    }

    pub fn is_current(&self, section: &str) -> bool {
        self.section == section
    }

    /// Pages that show arrivals and hold no form being typed: they reload when one comes.
    pub fn updates_itself(&self) -> bool {
        matches!(self.section, "home" | "inbox")
    }

    pub fn is_admin(&self) -> bool {
        self.staff
            .as_ref()
            .is_some_and(|s| s.role == renkei_office::ledger::Role::Admin)
    }
}

/// The navigation: path, label and section name.
pub const NAVIGATION: [(&str, &str, &str); 13] = [
    ("/", "ホーム", "home"),
    ("/send", "送信", "send"),
    ("/outbox", "送信箱", "outbox"),
    ("/inbox", "受信箱", "inbox"),
    ("/people", "利用者の帳票", "people"),
    ("/board", "連携先の進み具合", "board"),
    ("/reconcile", "予定と実績の突合", "reconcile"),
    ("/base", "介護情報基盤", "base"),
    ("/documents", "文書の版", "documents"),
    ("/refusals", "送れなかったもの", "refusals"),
    ("/partners", "連携先・事業所検索", "partners"),
    ("/evidence", "送受信記録", "evidence"),
    ("/effect", "効果測定", "effect"),
];

/// A failed page: the status, and a message in Japanese (with English) saying what to do.
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

impl PageError {
    pub fn not_found(what: &str) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: format!("{what}が見つかりません。一覧から選び直してください / not found"),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
}

impl From<renkei_office::Error> for PageError {
    fn from(error: renkei_office::Error) -> Self {
        tracing::warn!(%error, "console page failed");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: error.to_string(),
        }
    }
}

impl From<renkei_seal::Error> for PageError {
    fn from(error: renkei_seal::Error) -> Self {
        renkei_office::Error::from(error).into()
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> Self {
        tracing::error!(%error, "console template failed");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("画面を作れませんでした / the page could not be made: {error}"),
        }
    }
}

#[derive(Template)]
#[template(path = "console/error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = ErrorPage {
            status: self.status.as_u16(),
            message: renkei_spec::glossary::in_japanese(&self.message),
        }
        .render()
        .unwrap_or_else(|_| self.message.clone());
        (self.status, Html(body)).into_response()
    }
}

pub type PageResult = Result<Response, PageError>;

/// A page's HTML as the answer.
pub fn html(page: impl Template) -> PageResult {
    Ok(Html(page.render()?).into_response())
}

/// A file the browser saves: `name` may be Japanese (RFC 5987 `filename*`), with an ASCII
/// fallback for old browsers.
pub fn attachment(name: &str, content_type: &str, body: Vec<u8>) -> Response {
    let content_type = axum::http::HeaderValue::from_str(content_type).unwrap_or(
        axum::http::HeaderValue::from_static("application/octet-stream"),
    );
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                renkei_web::download::attachment(name),
            ),
        ],
        body,
    )
        .into_response()
}

pub fn pdf_download(name: &str, pdf: Vec<u8>) -> Response {
    attachment(name, "application/pdf", pdf)
}
