//! Refusals as JSON problems with the relay's code and message.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::Error;
use renkei_proto::Problem;

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            tracing::error!(code = self.code().as_str(), "{self}");
        } else {
            tracing::debug!(code = self.code().as_str(), "refused: {self}");
        }
        (status, Json(problem_of(&self))).into_response()
    }
}

/// A refusal as the API says it: its code, its message and its status.
pub(super) fn problem_of(error: &Error) -> Problem {
    Problem {
        code: error.code(),
        message: error.to_string(),
        status: error.status(),
    }
}

pub(super) async fn not_found() -> Response {
    let problem = Problem {
        code: renkei_proto::ProblemCode::NotFound,
        message: "そのようなAPIはありません。/openapi.json を参照してください / no such endpoint; see /openapi.json".into(),
        status: 404,
    };
    (StatusCode::NOT_FOUND, Json(problem)).into_response()
}

/// A JSON body that does not parse, in the relay's words.
pub(super) fn bad_json(rejection: axum::extract::rejection::JsonRejection) -> Error {
    Error::BadRequest(rejection.body_text())
}

/// A query string that does not parse, in the relay's words.
pub(super) fn bad_query(rejection: axum::extract::rejection::QueryRejection) -> Error {
    Error::BadRequest(rejection.body_text())
}

/// A query value within its documented bounds, or its default when absent; out of them, a
/// refusal that says the bounds (never a silent clamp: what is documented is what is done).
pub(super) fn within<T: PartialOrd + std::fmt::Display + Copy>(
    name: &str,
    value: Option<T>,
    default: T,
    min: T,
    max: T,
) -> Result<T, Error> {
    match value {
        None => Ok(default),
        Some(value) if value >= min && value <= max => Ok(value),
        Some(value) => Err(Error::BadRequest(format!(
            "{name} は{min}〜{max}にしてください(「{value}」) / {name} must be {min} to {max}"
        ))),
    }
}
