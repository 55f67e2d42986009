//! Reading for checking: a file's own bytes split into items, without decoding them.
//!
//! A checker looks at every item of a month of files, and nearly all of them are ASCII
//! (numbers, codes, dates), whose bytes are the same in MS932 and in UTF-8. So the bytes
//! are only scanned to be sure they are MS932 (and to find the 外字), and an item is
//! decoded only to be shown. [`super::Table`] decodes the whole file, for code that uses
//! the text.

use std::borrow::Cow;

use encoding_rs::{Encoding, SHIFT_JIS, UTF_8};

use super::ms932;
use super::read::{self, MAX_PRIVATE_USE_REPORTS, ReadOptions, ReadProblem};
use super::record::{Span, item};
use super::tokenize::{self, Cells, line_at};
use crate::layout::Layout;

/// The records of one file as its own bytes, borrowed; see the module.
#[derive(Debug)]
pub struct RawTable<'a> {
    bytes: &'a [u8],
    /// How to show an item: MS932, or UTF-8 when asked for or when the file has a BOM.
    encoding: &'static Encoding,
    cells: Cells,
    pub problems: Vec<ReadProblem>,
}

/// A [`RawTable`]'s buffers, kept to read the next file: a checker reads many small files,
/// and fresh buffers for each cost more than reading it.
#[derive(Debug, Default)]
pub struct RawBuffers {
    cells: Cells,
    problems: Vec<ReadProblem>,
}

impl<'a> RawTable<'a> {
    /// Read a whole file for checking. Never fails: what is wrong with the bytes is in
    /// [`RawTable::problems`], as [`super::read`] would list it.
    pub fn read(bytes: &'a [u8], options: ReadOptions) -> Self {
        Self::read_reusing(bytes, options, RawBuffers::default())
    }

    /// [`Self::read`] into the buffers of a table read before.
    pub fn read_reusing(bytes: &'a [u8], options: ReadOptions, buffers: RawBuffers) -> Self {
        let RawBuffers {
            mut cells,
            mut problems,
        } = buffers;
        cells.clear();
        problems.clear();
        let mut table = Self {
            bytes: b"",
            encoding: SHIFT_JIS,
            cells,
            problems,
        };
        let Some((bytes, encoding)) = read::unwrap(bytes, options, &mut table.problems) else {
            return table;
        };
        table.bytes = bytes;
        table.encoding = encoding;
        if !well_formed(bytes, encoding, &mut table.problems) {
            // Decoding says exactly what is wrong and where. The items are still taken from
            // the bytes: a bad byte never hides a comma, quote or line end from either reading.
            let mut text = String::new();
            read::decode(bytes, encoding, &mut text, &mut table.problems);
            read::report_private_use(&text, &mut table.problems);
        }
        tokenize::parse(bytes, &mut table.cells, &mut table.problems, &|text| {
            encoding.decode_without_bom_handling(text).0.chars().count()
        });
        table
    }

    /// The buffers, for the next file.
    pub fn into_buffers(self) -> RawBuffers {
        RawBuffers {
            cells: self.cells,
            problems: self.problems,
        }
    }

    /// The encoding the file's text is in, to show what it holds.
    pub(crate) fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    pub fn len(&self) -> usize {
        self.cells.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.rows.is_empty()
    }

    pub fn row(&self, index: usize) -> RawRow<'_> {
        let (spans, line) = self.cells.row(index);
        RawRow {
            bytes: self.bytes,
            unescaped: &self.cells.unescaped,
            spans,
            line,
            encoding: self.encoding,
        }
    }

    pub fn rows(&self) -> impl ExactSizeIterator<Item = RawRow<'_>> + '_ {
        (0..self.len()).map(|i| self.row(i))
    }
}

/// Whether `bytes` are all of `encoding`; their 外字 are listed in `problems` when they are.
fn well_formed(bytes: &[u8], encoding: &'static Encoding, problems: &mut Vec<ReadProblem>) -> bool {
    if encoding == UTF_8 {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        read::report_private_use(text, problems);
        return true;
    }
    let mut private_use = Vec::new();
    if !ms932::scan(bytes, &mut private_use) {
        return false;
    }
    problems.extend(
        private_use
            .iter()
            .take(MAX_PRIVATE_USE_REPORTS)
            .map(|gaiji| ReadProblem::PrivateUse {
                line: line_at(bytes, gaiji.offset),
                ch: gaiji.ch,
            }),
    );
    true
}

/// One row of a [`RawTable`].
#[derive(Clone, Copy, Debug)]
pub struct RawRow<'a> {
    bytes: &'a [u8],
    unescaped: &'a [u8],
    spans: &'a [Span],
    line: u32,
    encoding: &'static Encoding,
}

impl<'a> RawRow<'a> {
    /// Number of items in the row.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The line (1-based) on which the row starts in its file.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// The item at `index` (0-based) as the file's bytes, or empty past the end.
    pub fn bytes(&self, index: usize) -> &'a [u8] {
        self.spans
            .get(index)
            .map_or(b"", |&span| item(self.bytes, self.unescaped, span))
    }

    /// Every item in order, as the file's bytes.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &'a [u8]> + 'a {
        let (bytes, unescaped) = (self.bytes, self.unescaped);
        self.spans
            .iter()
            .map(move |&span| item(bytes, unescaped, span))
    }

    /// The item at V4.1 column `col` read through `layout` (empty where the generation lacks it).
    pub fn col_bytes(&self, layout: &Layout, col: usize) -> &'a [u8] {
        layout.position(col).map_or(b"", |i| self.bytes(i))
    }

    /// The item at `index` decoded, to be shown.
    pub fn text(&self, index: usize) -> Cow<'a, str> {
        self.decode(self.bytes(index))
    }

    pub fn col_text(&self, layout: &Layout, col: usize) -> Cow<'a, str> {
        layout
            .position(col)
            .map_or(Cow::Borrowed(""), |i| self.text(i))
    }

    /// Any bytes of this row's file decoded, to be shown.
    pub fn decode<'b>(&self, bytes: &'b [u8]) -> Cow<'b, str> {
        self.encoding.decode_without_bom_handling(bytes).0
    }

    /// The number of characters of the item at `index`.
    pub fn chars(&self, index: usize) -> usize {
        if self.encoding == SHIFT_JIS {
            ms932::chars(self.bytes(index))
        } else {
            self.text(index).chars().count()
        }
    }
}
