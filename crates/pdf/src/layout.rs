//! Pages, headings and ruled tables on A4 landscape. Drawing is recorded per page first and
//! written at the end, so a table can break between rows and repeat its header.

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::TextDirection;

use crate::font::JapaneseFont;
use crate::{Error, Result};

/// A4 landscape in points.
pub const PAGE_WIDTH: f32 = 841.89;
pub const PAGE_HEIGHT: f32 = 595.28;
/// 10 mm, as the console's print style sheet.
const MARGIN: f32 = 28.35;
const CELL_PADDING: f32 = 2.5;
const LINE_SPACING: f32 = 1.25;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A table cell: its text (line breaks kept), alignment and whether it is shaded.
#[derive(Clone, Debug)]
pub struct Cell {
    pub text: String,
    pub align: Align,
    pub shaded: bool,
    pub bold: bool,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            align: Align::Left,
            shaded: false,
            bold: false,
        }
    }

    /// A label cell, shaded as the forms print their headings.
    pub fn label(text: impl Into<String>) -> Self {
        Self {
            shaded: true,
            ..Self::text(text)
        }
    }

    pub fn number(text: impl Into<String>) -> Self {
        Self {
            align: Align::Right,
            ..Self::text(text)
        }
    }

    pub fn centered(text: impl Into<String>) -> Self {
        Self {
            align: Align::Center,
            ..Self::text(text)
        }
    }

    pub fn shaded(mut self, shaded: bool) -> Self {
        self.shaded |= shaded;
        self
    }

    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
}

/// A table: column widths as shares of the page's width, an optional header repeated on
/// each page, and its rows.
#[derive(Clone, Debug)]
pub struct Table {
    pub widths: Vec<f32>,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    pub size: f32,
}

impl Table {
    pub fn new(widths: &[f32], size: f32) -> Self {
        Self {
            widths: widths.to_vec(),
            header: Vec::new(),
            rows: Vec::new(),
            size,
        }
    }

    pub fn header(mut self, labels: &[&str]) -> Self {
        self.header = labels
            .iter()
            .map(|l| Cell::label(*l).with_align(Align::Center))
            .collect();
        self
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }
}

impl Cell {
    fn with_align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }
}

#[derive(Debug)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        bold: bool,
    },
    Box {
        rect: Rect,
        shaded: bool,
        width: f32,
    },
    Rule {
        y: f32,
        width: f32,
    },
}

/// A document being laid out.
#[derive(Debug)]
pub struct Sheets<'f> {
    font: &'f JapaneseFont,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Printed small at the top of every page (who and what the pages are about).
    running_head: String,
}

impl<'f> Sheets<'f> {
    pub fn new(font: &'f JapaneseFont, running_head: impl Into<String>) -> Self {
        Self {
            font,
            pages: Vec::new(),
            y: PAGE_HEIGHT,
            running_head: running_head.into(),
        }
    }

    /// What the following pages' heads say (the next person of a bundle).
    pub fn set_running_head(&mut self, running_head: impl Into<String>) {
        self.running_head = running_head.into();
    }

    fn content_width() -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN
    }

    fn bottom() -> f32 {
        PAGE_HEIGHT - MARGIN
    }

    /// Start a page; the running head goes at its top.
    pub fn page(&mut self) {
        let mut ops = Vec::new();
        if !self.running_head.is_empty() {
            ops.push(Op::Text {
                x: MARGIN,
                y: MARGIN - 8.0,
                size: 7.0,
                text: self.running_head.clone(),
                bold: false,
            });
        }
        self.pages.push(ops);
        self.y = MARGIN;
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.page();
        }
        self.pages.last_mut().expect("a page was started")
    }

    /// A form's heading on a new page: its number in a box, its title, and a note at the right.
    pub fn heading(&mut self, number: &str, title: &str, right: &str) {
        self.page();
        let size = 13.0;
        let baseline = self.y + size;
        let number_width = self.font.width(number, size) + 8.0;
        let x = MARGIN;
        let rect =
            Rect::from_xywh(x, self.y - 1.0, number_width, size + 5.0).expect("positive box");
        self.ops().push(Op::Box {
            rect,
            shaded: false,
            width: 0.8,
        });
        self.text_at(x + 4.0, baseline, size, number, true);
        self.text_at(x + number_width + 8.0, baseline, size, title, true);
        let note = 9.0;
        let note_x = PAGE_WIDTH - MARGIN - self.font.width(right, note);
        self.text_at(note_x, baseline, note, right, false);
        self.y += size + 8.0;
        let y = self.y;
        self.ops().push(Op::Rule { y, width: 1.2 });
        self.y += 6.0;
    }

    /// A line of text across the page.
    pub fn line(&mut self, size: f32, text: &str) {
        if self.y + size * LINE_SPACING > Self::bottom() {
            self.page();
        }
        let baseline = self.y + size;
        self.text_at(MARGIN, baseline, size, text, false);
        self.y += size * LINE_SPACING + 2.0;
    }

    pub fn space(&mut self, points: f32) {
        self.y += points;
    }

    fn text_at(&mut self, x: f32, y: f32, size: f32, text: &str, bold: bool) {
        if text.is_empty() {
            return;
        }
        self.ops().push(Op::Text {
            x,
            y,
            size,
            text: text.to_owned(),
            bold,
        });
    }

    /// Draw `table`, breaking pages between rows and repeating its header.
    pub fn table(&mut self, table: &Table) {
        let total: f32 = table.widths.iter().sum();
        let widths: Vec<f32> = table
            .widths
            .iter()
            .map(|w| w / total * Self::content_width())
            .collect();
        if !table.header.is_empty() {
            self.row(&table.header, &widths, table.size, None);
        }
        for row in &table.rows {
            let header = (!table.header.is_empty()).then_some(&table.header);
            self.row(row, &widths, table.size, header);
        }
        self.y += 6.0;
    }

    fn row(&mut self, cells: &[Cell], widths: &[f32], size: f32, header: Option<&Vec<Cell>>) {
        let line_height = size * LINE_SPACING;
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| wrap(self.font, &cell.text, size, width - 2.0 * CELL_PADDING))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * line_height + 2.0 * CELL_PADDING;
        if self.y + height > Self::bottom() && self.y > MARGIN + 40.0 {
            self.page();
            if let Some(header) = header {
                self.row(header, widths, size, None);
            }
        }
        let mut x = MARGIN;
        for ((cell, width), lines) in cells.iter().zip(widths).zip(&wrapped) {
            if let Some(rect) = Rect::from_xywh(x, self.y, *width, height) {
                self.ops().push(Op::Box {
                    rect,
                    shaded: cell.shaded,
                    width: 0.5,
                });
            }
            for (i, line) in lines.iter().enumerate() {
                let line_width = self.font.width(line, size);
                let left = match cell.align {
                    Align::Left => x + CELL_PADDING,
                    Align::Center => x + (width - line_width) / 2.0,
                    Align::Right => x + width - CELL_PADDING - line_width,
                };
                let baseline = self.y + CELL_PADDING + size * 0.9 + i as f32 * line_height;
                self.text_at(left, baseline, size, line, cell.bold);
            }
            x += width;
        }
        self.y += height;
    }

    /// Write the pages as a PDF.
    pub fn finish(self, title: &str) -> Result<Vec<u8>> {
        let mut document = Document::new();
        document.set_metadata(
            Metadata::new()
                .title(title.to_owned())
                .creator("renkei".to_owned())
                .language("ja".to_owned()),
        );
        let font = self.font.krilla();
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a size");
        for ops in self.pages {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            for op in ops {
                match op {
                    Op::Text {
                        x,
                        y,
                        size,
                        text,
                        bold,
                    } => {
                        surface.set_fill(Some(Fill::default()));
                        if bold {
                            // No bold face is at hand: a thin outline of the same colour.
                            surface.set_stroke(Some(Stroke {
                                width: size * 0.03,
                                ..Stroke::default()
                            }));
                        } else {
                            surface.set_stroke(None);
                        }
                        surface.draw_text(
                            Point::from_xy(x, y),
                            font.clone(),
                            size,
                            &text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    Op::Box {
                        rect,
                        shaded,
                        width,
                    } => {
                        let mut path = PathBuilder::new();
                        path.push_rect(rect);
                        let Some(path) = path.finish() else { continue };
                        surface.set_fill(shaded.then(|| Fill {
                            paint: luma::Color::new(235).into(),
                            ..Fill::default()
                        }));
                        surface.set_stroke(Some(Stroke {
                            width,
                            paint: luma::Color::new(60).into(),
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                    Op::Rule { y, width } => {
                        let mut path = PathBuilder::new();
                        path.move_to(MARGIN, y);
                        path.line_to(PAGE_WIDTH - MARGIN, y);
                        let Some(path) = path.finish() else { continue };
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        document
            .finish()
            .map_err(|e| Error::Write(format!("{e:?}")))
    }
}

/// Characters that may not start a line (行頭禁則): they stay with the line before.
const NO_LINE_START: &str =
    "、。，．）」』】〕！？ー々ゝゞぁぃぅぇぉっゃゅょァィゥェォッャュョ),.!?:;";

/// `text` broken into lines no wider than `width`: at its own line breaks, then wherever the
/// width runs out (Japanese breaks between any two characters), keeping 行頭禁則.
pub fn wrap(font: &JapaneseFont, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n').map(|p| p.trim_end_matches('\r')) {
        let mut line = String::new();
        let mut line_width = 0.0;
        for ch in paragraph.chars() {
            let ch_width = font.width(ch.encode_utf8(&mut [0; 4]), size);
            if line_width + ch_width > width && !line.is_empty() && !NO_LINE_START.contains(ch) {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(ch);
            line_width += ch_width;
        }
        lines.push(line);
    }
    lines
}
