//! The care-plan data linkage standard (ケアプランデータ連携標準仕様, V3 and V4.1) as typed Rust.
//!
//! This crate never does I/O and never prints: it takes bytes and names and gives back
//! records, reports and files. See `ARCHITECTURE.md` at the root of the workspace.

pub mod codec;
pub mod codes;
pub mod conformance;
pub mod convert;
pub mod error;
pub mod filename;
pub mod generate;
pub mod glossary;
pub mod ids;
pub mod json;
pub mod jst;
pub mod kind;
pub mod layout;
pub mod prefecture;
pub mod progress;
pub mod services;
pub mod split;
pub mod unit;
pub mod validate;
pub mod version;
pub mod wareki;

pub use error::{Error, Result};
pub use filename::FileName;
pub use kind::FileKind;
pub use layout::Layout;
pub use version::{CsvVersion, Generation};
