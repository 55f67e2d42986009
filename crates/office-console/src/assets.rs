//! The console's style sheet and script, built into the binary: the console works
//! without a network and without files beside the program.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const CONSOLE_CSS: &str = include_str!("../templates/console/console.css");
const CONSOLE_JS: &str = include_str!("../templates/console/console.js");

pub async fn serve(Path(name): Path<String>) -> Response {
    let (body, kind): (String, &str) = match name.as_str() {
        "console.css" => (
            format!("{CONSOLE_CSS}\n{}", renkei_forms::html::STYLE),
            "text/css; charset=utf-8",
        ),
        "console.js" => (CONSOLE_JS.to_owned(), "text/javascript; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        body,
    )
        .into_response()
}
