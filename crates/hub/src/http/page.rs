//! What every web page of the relay shares: a page that could not be made is shown as a
//! page that says why, with the relay's status for the error.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug)]
pub(crate) struct PageError(pub StatusCode, pub String);

impl From<crate::Error> for PageError {
    fn from(error: crate::Error) -> Self {
        let status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self(status, error.to_string())
    }
}

impl From<renkei_infobase::Refusal> for PageError {
    fn from(refusal: renkei_infobase::Refusal) -> Self {
        crate::Error::from(refusal).into()
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> Self {
        Self(StatusCode::INTERNAL_SERVER_ERROR, error.to_string())
    }
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    message: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        use askama::Template;
        let body = ErrorPage {
            message: renkei_spec::glossary::in_japanese(&self.1),
        }
        .render()
        .unwrap_or_else(|_| self.1.clone());
        (self.0, Html(body)).into_response()
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

pub(crate) fn html(page: impl askama::Template) -> PageResult {
    Ok(Html(page.render()?).into_response())
}
