//! The CSV codec of the standard (§4): MS932 (or UTF-8 on request), comma separated,
//! free text in double quotes with `""` for a quote and line breaks kept, no header line.
//!
//! Reading never fails and never panics: what is wrong with the bytes comes back as
//! [`ReadProblem`]s beside the records that could be read. Writing is byte-exact and refuses
//! what MS932 cannot hold.

mod ms932;
mod raw;
mod read;
mod record;
mod tokenize;
mod write;

pub use raw::{RawBuffers, RawRow, RawTable};
pub use read::{ReadOptions, ReadProblem, SourceEncoding, Table, read, read_into};
pub use record::{Fields, Record, RowRef};
pub use write::write;
