//! PDF output: the standard forms of one person and the office's reports, on A4 landscape,
//! with a Japanese font embedded (subset) so that any PC opens and prints them the same.
//!
//! krilla writes the PDF; layout is ours and simple on purpose — the forms are ruled
//! tables, so [`layout`] only needs to wrap text in cells and break pages between rows.
//! This crate is kept apart so that the rest of the workspace builds without it.
//!
//! - [`font`]: finding a Japanese font on this machine and measuring text in it;
//! - [`layout`]: pages, headings and tables, drawn with krilla;
//! - [`forms`]: 第1表 … 補足 as tables; [`report`]: a titled table (送受信記録 and others).

mod error;
pub mod font;
pub mod forms;
pub mod layout;
pub mod report;

pub use error::{Error, Result};
pub use font::JapaneseFont;
