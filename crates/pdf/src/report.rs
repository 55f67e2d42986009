//! A report as PDF: a title, lines of explanation, and one table that runs over as many
//! pages as it needs (the monthly 送受信記録 and the 効果測定 sheets).

use crate::Result;
use crate::font::JapaneseFont;
use crate::layout::{Sheets, Table};

#[derive(Clone, Debug)]
pub struct Report {
    /// The box at the left of the heading, e.g. `送受信記録`.
    pub label: String,
    pub title: String,
    /// At the right of the heading: the office, the period.
    pub note: String,
    pub lines: Vec<String>,
    pub tables: Vec<Table>,
}

pub fn render(font: &JapaneseFont, report: &Report) -> Result<Vec<u8>> {
    let mut sheets = Sheets::new(font, format!("{} — {}", report.title, report.note));
    sheets.heading(&report.label, &report.title, &report.note);
    for line in &report.lines {
        sheets.line(9.0, line);
    }
    sheets.space(4.0);
    for table in &report.tables {
        sheets.table(table);
    }
    sheets.finish(&report.title)
}
