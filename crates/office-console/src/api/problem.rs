//! Errors of the API as `application/problem+json` (RFC 9457): a code that programs match
//! on, a title in Japanese and in English, and, for files, every problem with where it is
//! and how to fix it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use renkei_spec::json::JsonProblem;
use renkei_spec::validate::{Finding, Severity};
use renkei_spec::{FileName, Layout};
use serde::Serialize;

/// One problem in the files of a request.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Item {
    /// The checker's rule (`I003` …), or `JSON` for the JSON form itself.
    pub rule: String,
    /// `error` or `warning`.
    pub severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The line of the CSV file (as the files were, or as written from JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The record of a JSON file (from 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<usize>,
    /// The item's 項番 in its file's layout: the CSV column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// 項目名 as the standard writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<&'static str>,
    /// The item's field in the JSON form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message_ja: String,
    pub message_en: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fix_ja: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fix_en: String,
}

impl Item {
    /// A finding of the checker, with its JSON field where its file's layout has it.
    pub fn of_finding(finding: &Finding) -> Self {
        let field = finding
            .file
            .as_deref()
            .zip(finding.item_no)
            .and_then(|(file, no)| {
                let name = FileName::parse(file).ok()?;
                let layout = Layout::of(name.kind, name.generation)?;
                (no >= 1 && no <= layout.len()).then(|| layout.field(no - 1).to_owned())
            });
        let with_detail = |title: &str, detail: &str| {
            if detail.is_empty() {
                title.to_owned()
            } else {
                format!("{title}({detail})")
            }
        };
        Self {
            rule: finding.rule.id.to_owned(),
            severity: match finding.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            file: finding.file.clone(),
            line: finding.line,
            record: None,
            column: finding.item_no,
            item: finding.item_name,
            field,
            message_ja: with_detail(finding.rule.title_ja, &finding.detail_ja),
            message_en: with_detail(finding.rule.title_en, &finding.detail_en),
            fix_ja: finding.rule.fix_ja.to_owned(),
            fix_en: finding.rule.fix_en.to_owned(),
        }
    }

    pub fn of_json(problem: &JsonProblem) -> Self {
        Self {
            rule: "JSON".into(),
            severity: "error",
            file: Some(problem.file.clone()),
            record: problem.record,
            field: problem.field.clone(),
            message_ja: problem.ja.clone(),
            message_en: problem.en.clone(),
            ..Self::default()
        }
    }
}

/// An answer that is not a success (boxed: handlers pass it up through `?`).
#[derive(Debug)]
pub struct Problem(Box<Details>);

impl std::ops::Deref for Problem {
    type Target = Details;
    fn deref(&self) -> &Details {
        &self.0
    }
}

impl std::ops::DerefMut for Problem {
    fn deref_mut(&mut self) -> &mut Details {
        &mut self.0
    }
}

/// What a problem says.
#[derive(Debug, Serialize)]
pub struct Details {
    #[serde(skip)]
    pub status: StatusCode,
    /// `urn:renkei:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub code: &'static str,
    pub title: String,
    pub title_en: String,
    #[serde(rename = "status")]
    pub status_code: u16,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Item>,
    /// Anything else the answer says (the destinations of a send that went in part).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Problem {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        title: impl Into<String>,
        title_en: impl Into<String>,
    ) -> Self {
        Self(Box::new(Details {
            status,
            kind: format!("urn:renkei:problem:{code}"),
            code,
            title: title.into(),
            title_en: title_en.into(),
            status_code: status.as_u16(),
            problems: Vec::new(),
            extra: None,
        }))
    }

    pub fn with(mut self, problems: Vec<Item>) -> Self {
        self.problems = problems;
        self
    }

    pub fn bad_request(title: impl Into<String>, title_en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", title, title_en)
    }

    /// The office's own failure (its ledger, its disk): not the caller's fault.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!("API: {error}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "office_error",
            format!("事業所のパソコンで処理できませんでした: {error}"),
            format!("the office could not do it: {error}"),
        )
    }

    pub fn body(&self) -> String {
        serde_json::to_string(&*self.0).unwrap_or_else(|_| "{}".into())
    }
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body()).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"renkei-office\""),
            );
        }
        response
    }
}

impl From<renkei_office::Error> for Problem {
    fn from(error: renkei_office::Error) -> Self {
        Problem::internal(error)
    }
}
