//! The JSON form of the standard: every record of every interface file as a JSON object
//! whose fields are the items' stable identifiers ([`crate::layout::ItemSpec::key`], in
//! lowercase), and a JSON Schema per layout that gives each field its 項目名, 項番, shape and
//! length ([`schema`]).
//!
//! The form is for care software that speaks JSON rather than writing CSV files; it says
//! nothing the CSV does not. Values stay the standard's text: codes stay codes, dates stay
//! `YYYYMMDD`, numbers stay digits (so `0010` stays `0010`), and free text is Unicode. An
//! empty item is an absent field (or `null`, or `""` on input). CSV → JSON → CSV gives the
//! same bytes for every file written in the standard's canonical form (what the generator
//! and renkei write), and a value MS932 cannot hold is refused with its field and character.
//!
//! Every document names its form ([`FORM`]) and every file its layout (`V4.1`, `V3`), so a
//! later layout (the announced care-plan standard 5.0) is another layout value beside
//! these, with the same identifiers where its items are the same.

mod document;
mod form;
pub mod schema;

pub use document::{FORM, FileDocument, JsonRecord, UnitDocument, parse_unit};
pub use form::{CsvFile, file_from_json, file_to_json, unit_from_json, unit_to_json};

use std::fmt;

use serde::Serialize;

/// One thing wrong with a JSON document (or with a CSV file that cannot become one): the
/// file, the record (from 1) and the field it is in, where known, and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JsonProblem {
    pub file: String,
    pub record: Option<usize>,
    pub field: Option<String>,
    pub ja: String,
    pub en: String,
}

impl JsonProblem {
    fn new(file: &str, ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            record: None,
            field: None,
            ja: ja.into(),
            en: en.into(),
        }
    }

    fn at(mut self, record: usize, field: Option<&str>) -> Self {
        self.record = Some(record);
        self.field = field.map(str::to_owned);
        self
    }
}

impl fmt::Display for JsonProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut place_ja = self.file.clone();
        let mut place_en = self.file.clone();
        if let Some(record) = self.record {
            place_ja.push_str(&format!(" {record}件目のレコード"));
            place_en.push_str(&format!(", record {record}"));
        }
        if let Some(field) = &self.field {
            place_ja.push_str(&format!(" 項目 {field}"));
            place_en.push_str(&format!(", field {field}"));
        }
        write!(f, "{place_ja}: {} / {place_en}: {}", self.ja, self.en)
    }
}

/// The problems of a document, in the error type's words.
fn refused(problems: Vec<JsonProblem>) -> crate::Error {
    crate::Error::Json { problems }
}
