//! Reading: decode (MS932 or UTF-8), then split into records with a quote-aware parser.

use encoding_rs::{DecoderResult, Encoding, SHIFT_JIS, UTF_8};
use memchr::memchr2_iter;
use serde::Serialize;

use super::record::RowRef;
use super::tokenize::{self, Cells, line_at};

/// The encoding to read a file in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum SourceEncoding {
    /// MS932 (Windows-31J), the standard's encoding; encoding_rs's `Shift_JIS` is exactly this.
    #[default]
    Ms932,
    /// UTF-8, for care software that cannot write MS932 (on request only).
    Utf8,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOptions {
    pub encoding: SourceEncoding,
}

/// Something wrong with the bytes of a file, found while reading it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum ReadProblem {
    /// Bytes that are not valid in the encoding; replaced by U+FFFD in the records.
    Malformed {
        line: u32,
        offset: usize,
        bytes: Vec<u8>,
    },
    /// A character in the user-defined area (外字, MS932 F040–F9FC).
    PrivateUse { line: u32, ch: char },
    /// The file starts with a UTF-8 byte-order mark while MS932 was expected.
    Utf8Bom,
    /// A quoted item is never closed: the rest of the file was read into it.
    UnterminatedQuote { line: u32 },
    /// A `"` where the standard allows none: text after a quoted item's closing quote (an
    /// inner quote not doubled), or a quote in an unquoted item. Where that item ends
    /// cannot be known, so row `row` (0-based) is not to be trusted from item `item` on.
    StrayQuote {
        line: u32,
        /// The quote's character position in its line, from 1.
        column: u32,
        row: u32,
        /// The item (from 1) the quote is in.
        item: u32,
    },
    /// The file ends with the DOS end-of-file mark (0x1A), which was ignored.
    EofMark,
    /// The file is larger than a CSV of the standard can reasonably be (4 GiB).
    TooLarge,
}

/// The records of one file: the decoded text and, for each item, where it is in it.
#[derive(Debug, Default)]
pub struct Table {
    text: String,
    cells: Cells,
    pub problems: Vec<ReadProblem>,
}

impl Table {
    pub fn len(&self) -> usize {
        self.cells.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.rows.is_empty()
    }

    pub fn row(&self, index: usize) -> RowRef<'_> {
        let (spans, line) = self.cells.row(index);
        RowRef {
            text: &self.text,
            unescaped: &self.cells.unescaped,
            spans,
            line,
        }
    }

    pub fn rows(&self) -> impl ExactSizeIterator<Item = RowRef<'_>> + '_ {
        (0..self.len()).map(|i| self.row(i))
    }

    /// Empty the table, keeping its buffers.
    fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
        self.problems.clear();
    }
}

/// The most 外字 reported per file; the rest are the same mistake.
pub(super) const MAX_PRIVATE_USE_REPORTS: usize = 20;
const MAX_MALFORMED_REPORTS: usize = 20;

/// Read a whole file. Never fails: problems are listed in [`Table::problems`].
pub fn read(bytes: &[u8], options: ReadOptions) -> Table {
    let mut table = Table::default();
    read_into(&mut table, bytes, options);
    table
}

/// Read a whole file into `table`, reusing its buffers: a checker that reads many small
/// files keeps one table and spares the allocator.
pub fn read_into(table: &mut Table, bytes: &[u8], options: ReadOptions) {
    table.clear();
    let Some((bytes, encoding)) = unwrap(bytes, options, &mut table.problems) else {
        return;
    };
    decode(bytes, encoding, &mut table.text, &mut table.problems);
    report_private_use(&table.text, &mut table.problems);
    tokenize::parse(
        table.text.as_bytes(),
        &mut table.cells,
        &mut table.problems,
        &|text| String::from_utf8_lossy(text).chars().count(),
    );
}

/// What every reading does first: refuse a file too large, take off a DOS end-of-file mark
/// and a byte-order mark, and choose the encoding. `None` when the file is too large.
pub(super) fn unwrap<'a>(
    bytes: &'a [u8],
    options: ReadOptions,
    problems: &mut Vec<ReadProblem>,
) -> Option<(&'a [u8], &'static Encoding)> {
    if bytes.len() >= u32::MAX as usize / 2 {
        problems.push(ReadProblem::TooLarge);
        return None;
    }
    let mut bytes = bytes;
    if let [head @ .., 0x1a] = bytes {
        bytes = head;
        problems.push(ReadProblem::EofMark);
    }
    let has_bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if has_bom {
        bytes = &bytes[3..];
        if options.encoding == SourceEncoding::Ms932 {
            problems.push(ReadProblem::Utf8Bom);
        }
    }
    let encoding = match options.encoding {
        // A BOM says UTF-8 louder than the default does; decoding it as MS932 would only add noise.
        SourceEncoding::Ms932 if !has_bom => SHIFT_JIS,
        _ => UTF_8,
    };
    Some((bytes, encoding))
}

pub(super) fn decode(
    bytes: &[u8],
    encoding: &'static Encoding,
    text: &mut String,
    problems: &mut Vec<ReadProblem>,
) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    text.reserve(capacity);
    let mut consumed = 0;
    let mut reported = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[consumed..], text, true);
        consumed += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(bytes.len() - consumed + 16),
            DecoderResult::Malformed(bad, after) => {
                let end = consumed - after as usize;
                let start = end - bad as usize;
                if reported < MAX_MALFORMED_REPORTS {
                    problems.push(ReadProblem::Malformed {
                        line: line_at(bytes, start),
                        offset: start,
                        bytes: bytes[start..end].to_vec(),
                    });
                    reported += 1;
                }
                text.push('\u{FFFD}');
            }
        }
    }
}

/// 外字 decode to the private use area U+E000–U+F8FF, whose UTF-8 starts EE, or EF 80–A3.
pub(super) fn report_private_use(text: &str, problems: &mut Vec<ReadProblem>) {
    let bytes = text.as_bytes();
    let mut reported = 0;
    for at in memchr2_iter(0xEE, 0xEF, bytes) {
        let private = bytes[at] == 0xEE || bytes.get(at + 1).is_some_and(|&b| b <= 0xA3);
        if private && reported < MAX_PRIVATE_USE_REPORTS {
            let ch = text[at..].chars().next().unwrap_or('\u{FFFD}');
            problems.push(ReadProblem::PrivateUse {
                line: line_at(bytes, at),
                ch,
            });
            reported += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Vec<Vec<String>> {
        let table = read(
            text.as_bytes(),
            ReadOptions {
                encoding: SourceEncoding::Utf8,
            },
        );
        table
            .rows()
            .map(|r| r.fields().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn quoting_follows_the_standard() {
        assert_eq!(
            items("a,\"b,c\",\"say \"\"hi\"\"\"\r\n"),
            [["a", "b,c", "say \"hi\""]]
        );
        assert_eq!(items("a,,\r\n,\r\n"), [vec!["a", "", ""], vec!["", ""]]);
        assert_eq!(items("x\"y,\"\"\n"), [["x\"y", ""]]);
        assert_eq!(items("\r\n\r\na\n\n\nb"), [["a"], ["b"]]);
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let table = read(b"a,b\r\nc,\"d\r\ne,f\r\n", ReadOptions::default());
        assert_eq!(table.problems, [ReadProblem::UnterminatedQuote { line: 2 }]);
        assert_eq!(table.row(1).get(1), "d\r\ne,f\r\n");
    }

    #[test]
    fn a_quote_the_standard_does_not_allow_is_located() {
        let problems = |text: &str| {
            read(
                text.as_bytes(),
                ReadOptions {
                    encoding: SourceEncoding::Utf8,
                },
            )
            .problems
        };
        let stray = |line, column, row, item| ReadProblem::StrayQuote {
            line,
            column,
            row,
            item,
        };
        // An inner quote not doubled: the closing quote is found early.
        assert_eq!(
            problems("a,b\r\n1,\"彼は\"はい\"と\",2\r\n"),
            [stray(2, 6, 1, 2)]
        );
        assert_eq!(problems("\"ab\"c,d"), [stray(1, 4, 0, 1)]);
        // A quote in an unquoted item, on the second line of a row.
        assert_eq!(problems("\"x\r\ny\",ab\"c,\"d\"e\r\n"), [stray(2, 6, 0, 2)]);
        // Doubled quotes, quoted commas and line breaks are the standard's own.
        assert!(problems("\"say \"\"hi\"\"\",\"a,b\r\nc\",\"\"\r\n").is_empty());
    }

    #[test]
    fn malformed_bytes_and_gaiji_are_located() {
        let table = read(b"a\r\nb\x81\",c\r\n\xF0\x40", ReadOptions::default());
        assert!(matches!(
            table.problems[0],
            ReadProblem::Malformed {
                line: 2,
                offset: 4,
                ..
            }
        ));
        assert_eq!(
            table.problems[1],
            ReadProblem::PrivateUse {
                line: 3,
                ch: '\u{E000}'
            }
        );
    }
}
