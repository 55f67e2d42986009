//! Records: rows read from a file ([`RowRef`]) and rows being built ([`Record`]).

use crate::layout::Layout;

/// Anything the writer can write as one record.
pub trait Fields {
    fn count(&self) -> usize;
    fn field(&self, index: usize) -> &str;
}

/// Where an item's text is: a range of the decoded file, or (for a quoted item with
/// doubled quotes, which reading must unescape) a range of the table's side buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) start: u32,
    pub(super) end: u32,
}

impl Span {
    /// Set on `start` when the span is in the side buffer.
    pub(super) const UNESCAPED: u32 = 1 << 31;
}

/// The bytes of the item at `span`: in `source`, or in `unescaped` for a side-buffer span.
pub(super) fn item<'a>(source: &'a [u8], unescaped: &'a [u8], span: Span) -> &'a [u8] {
    let (source, start) = if span.start & Span::UNESCAPED != 0 {
        (unescaped, span.start & !Span::UNESCAPED)
    } else {
        (source, span.start)
    };
    source
        .get(start as usize..span.end as usize)
        .unwrap_or_default()
}

/// One row of a [`super::Table`]: its fields and the line it starts on.
#[derive(Clone, Copy, Debug)]
pub struct RowRef<'a> {
    pub(super) text: &'a str,
    pub(super) unescaped: &'a [u8],
    pub(super) spans: &'a [Span],
    pub(super) line: u32,
}

impl<'a> RowRef<'a> {
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

    /// The item at `index` (0-based), or `""` past the end.
    pub fn get(&self, index: usize) -> &'a str {
        let Some(&span) = self.spans.get(index) else {
            return "";
        };
        if span.start & Span::UNESCAPED != 0 {
            // Unescaping only took out quotes, so the item is still whole characters.
            return std::str::from_utf8(item(self.text.as_bytes(), self.unescaped, span))
                .unwrap_or("");
        }
        self.text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// The item at V4.1 column `col` read through `layout` (empty where the generation lacks it).
    pub fn col(&self, layout: &Layout, col: usize) -> &'a str {
        layout.position(col).map_or("", |i| self.get(i))
    }

    pub fn fields(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    pub fn to_record(&self) -> Record {
        Record(self.fields().map(str::to_owned).collect())
    }
}

impl Fields for RowRef<'_> {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, index: usize) -> &str {
        self.get(index)
    }
}

/// An owned record, as the generator and the splitter build them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record(pub Vec<String>);

impl Record {
    /// A record of `layout`'s length with every item empty and CSVバージョン filled in.
    pub fn new(layout: &Layout, version: &str) -> Self {
        let mut fields = vec![String::new(); layout.len()];
        fields[0] = version.to_owned();
        Self(fields)
    }

    /// Set V4.1 column `col` through `layout`; a column the generation lacks is ignored.
    pub fn set(&mut self, layout: &Layout, col: usize, value: impl Into<String>) -> &mut Self {
        if let Some(i) = layout.position(col) {
            self.0[i] = value.into();
        }
        self
    }

    pub fn col<'a>(&'a self, layout: &Layout, col: usize) -> &'a str {
        layout
            .position(col)
            .and_then(|i| self.0.get(i))
            .map_or("", String::as_str)
    }
}

impl Fields for Record {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn field(&self, index: usize) -> &str {
        &self.0[index]
    }
}

impl<S: AsRef<str>> Fields for [S] {
    fn count(&self) -> usize {
        self.len()
    }
    fn field(&self, index: usize) -> &str {
        self[index].as_ref()
    }
}
