//! The one script that asks before an act that cannot be undone (停止, 失効, a recorded
//! consent, a person's agreement to a plan): every surface serves it from its own path
//! under the Content-Security-Policy's `script-src 'self'`.

use axum::http::header;
use axum::response::{IntoResponse, Response};

pub const CONFIRM_JS: &str = include_str!("../assets/confirm.js");

/// The script as an answer, for a surface's router.
pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        CONFIRM_JS,
    )
        .into_response()
}
