//! The standard's paper forms (様式) — 第1表, 第2表, 第3表, 第6表, 第7表 and 利用者補足情報 —
//! read from the CSV files that carry them, so a care manager sees the plan as the familiar
//! sheet rather than as records.
//!
//! - [`person`]: the files of one send unit grouped into each person's forms;
//! - [`plan`], [`month`], [`supplement`]: one form each, as data;
//! - [`labels`]: the standard's codes in words, and dates in the Japanese era;
//! - [`html`]: the forms as HTML, for the office console and the information base;
//! - [`diff`]: what changed between two versions of a person's forms;
//! - [`reconcile`]: a month's 予定 against its 実績, service by service and day by day.
//!
//! PDF output lives in the `renkei-pdf` crate, which renders these same models.

pub mod diff;
pub mod html;
pub mod labels;
pub mod month;
pub mod person;
pub mod plan;
pub mod reconcile;
pub mod supplement;

pub use person::{PersonForms, SourceFile, people};
