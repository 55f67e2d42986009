//! The one error type of this crate.
//!
//! Validation never returns `Err`: problems in a file are findings in a report
//! ([`crate::validate::Report`]). `Error` is for what cannot go on at all, such as
//! asking the writer to emit a character that MS932 cannot hold.

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum Error {
    /// An identifier or code did not have the shape the standard gives it.
    #[error(
        "{what}「{value}」は不正です: {expected} / invalid {what_en} '{value}': expected {expected_en}"
    )]
    InvalidValue {
        what: &'static str,
        what_en: &'static str,
        value: String,
        expected: &'static str,
        expected_en: &'static str,
    },

    /// The file name does not follow the naming rule of the standard (§5).
    #[error(
        "ファイル名「{name}」は標準仕様の命名規則に合いません: {reason} / file name '{name}' does not follow the standard's naming rule: {reason_en}"
    )]
    FileName {
        name: String,
        reason: &'static str,
        reason_en: &'static str,
    },

    /// The writer was given a character that cannot be written in MS932.
    #[error(
        "{record}件目のレコードの項目{item_no}「{item_name}」の文字「{ch}」(U+{code:04X}) はMS932で表せません{detail}。MS932の文字に置き換えてください / record {record}, item {item_no} ({item_name}): character U+{code:04X} cannot be written in MS932{detail_en}; replace it with an MS932 character"
    )]
    Unencodable {
        record: usize,
        item_no: usize,
        item_name: &'static str,
        ch: char,
        code: u32,
        detail: &'static str,
        detail_en: &'static str,
    },

    /// A record handed to the writer does not have the layout's item count.
    #[error(
        "{record}件目のレコードの項目数が{found}です。{layout}は{expected}項目です / record {record} has {found} items; {layout} has {expected}"
    )]
    ItemCount {
        record: usize,
        found: usize,
        expected: usize,
        layout: String,
    },

    /// A JSON document that cannot be written as the standard's CSV, or a CSV file that
    /// cannot be written as JSON: every problem, each with its file, record and field.
    #[error("{}", json_summary(.problems))]
    Json {
        problems: Vec<crate::json::JsonProblem>,
    },

    /// A send unit that cannot be converted to another generation, and why.
    #[error("変換できません: {reason} / cannot convert: {reason_en}")]
    NotConvertible { reason: String, reason_en: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn json_summary(problems: &[crate::json::JsonProblem]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    lines.join("\n")
}
