//! Reading: decode (MS932 or UTF-8), then split into records with a quote-aware parser.

use encoding_rs::{DecoderResult, SHIFT_JIS, UTF_8};
use memchr::memchr2_iter;
use serde::Serialize;

use super::record::{RowRef, Span};

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
    /// The file ends with the DOS end-of-file mark (0x1A), which was ignored.
    EofMark,
    /// The file is larger than a CSV of the standard can reasonably be (4 GiB).
    TooLarge,
}

/// The records of one file: the decoded text and, for each item, where it is in it.
#[derive(Debug, Default)]
pub struct Table {
    text: String,
    /// Items that were quoted with doubled quotes inside, unescaped.
    unescaped: String,
    spans: Vec<Span>,
    rows: Vec<Row>,
    pub problems: Vec<ReadProblem>,
}

#[derive(Clone, Copy, Debug)]
struct Row {
    first_span: u32,
    count: u32,
    line: u32,
}

impl Table {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn row(&self, index: usize) -> RowRef<'_> {
        let row = self.rows[index];
        let first = row.first_span as usize;
        RowRef {
            text: &self.text,
            unescaped: &self.unescaped,
            spans: &self.spans[first..first + row.count as usize],
            line: row.line,
        }
    }

    pub fn rows(&self) -> impl ExactSizeIterator<Item = RowRef<'_>> + '_ {
        (0..self.rows.len()).map(|i| self.row(i))
    }

    /// Empty the table, keeping its buffers.
    fn clear(&mut self) {
        self.text.clear();
        self.unescaped.clear();
        self.spans.clear();
        self.rows.clear();
        self.problems.clear();
    }
}

/// The most 外字 reported per file; the rest are the same mistake.
const MAX_PRIVATE_USE_REPORTS: usize = 20;
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
    if bytes.len() >= u32::MAX as usize / 2 {
        table.problems.push(ReadProblem::TooLarge);
        return;
    }
    let mut bytes = bytes;
    if let [head @ .., 0x1a] = bytes {
        bytes = head;
        table.problems.push(ReadProblem::EofMark);
    }
    let has_bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if has_bom {
        bytes = &bytes[3..];
        if options.encoding == SourceEncoding::Ms932 {
            table.problems.push(ReadProblem::Utf8Bom);
        }
    }
    let encoding = match options.encoding {
        // A BOM says UTF-8 louder than the default does; decoding it as MS932 would only add noise.
        SourceEncoding::Ms932 if !has_bom => SHIFT_JIS,
        _ => UTF_8,
    };
    decode(bytes, encoding, &mut table.text, &mut table.problems);
    report_private_use(&table.text, &mut table.problems);
    parse(table);
}

fn decode(
    bytes: &[u8],
    encoding: &'static encoding_rs::Encoding,
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
fn report_private_use(text: &str, problems: &mut Vec<ReadProblem>) {
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

/// Lines end at LF, CRLF or a lone CR.
fn count_line_ends(bytes: &[u8]) -> u32 {
    let mut count = 0;
    for at in memchr2_iter(b'\r', b'\n', bytes) {
        if bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n') {
            count += 1;
        }
    }
    count
}

fn line_at(bytes: &[u8], offset: usize) -> u32 {
    1 + count_line_ends(&bytes[..offset.min(bytes.len())])
}

/// Split the decoded text into rows and items (RFC 4180 as the standard uses it).
///
/// Written here rather than taken from csv-core because items are kept as ranges of the
/// decoded text (no copy, no second UTF-8 check), line numbers must count CR-only files,
/// and an unclosed quote must be reported where it starts. Blank lines are skipped; a quote
/// inside an unquoted item is kept as a character; text after a closing quote stays in the
/// item, quotes and all, so the item checks can point at it.
fn parse(table: &mut Table) {
    let text = table.text.as_bytes();
    let n = text.len();
    let mut rows = std::mem::take(&mut table.rows);
    let mut spans = std::mem::take(&mut table.spans);
    let mut unescaped = std::mem::take(&mut table.unescaped);
    // Typical records are 100–300 bytes of about 25 items: reserve so the vectors rarely grow.
    rows.reserve(n / 128 + 1);
    spans.reserve(n / 6 + 1);
    let mut pos = 0;
    let mut line = 1u32;
    while pos < n {
        // Blank lines between records.
        let blank = line_end_len(text, pos);
        if blank > 0 {
            line += 1;
            pos += blank;
            continue;
        }
        let first_span = spans.len() as u32;
        let row_line = line;
        loop {
            let span = if text[pos] == b'"' {
                let (span, next, lines) = quoted(&table.text, pos, &mut unescaped);
                if next > n {
                    table.problems.push(ReadProblem::UnterminatedQuote { line });
                }
                line += lines;
                pos = next.min(n);
                span
            } else {
                let end = item_end(text, pos);
                let span = Span {
                    start: pos as u32,
                    end: end as u32,
                };
                pos = end;
                span
            };
            spans.push(span);
            if text.get(pos) == Some(&b',') {
                pos += 1;
                if pos < n && !matches!(text[pos], b'\r' | b'\n') {
                    continue;
                }
                // A comma before the line end: the last item is empty.
                spans.push(Span {
                    start: pos as u32,
                    end: pos as u32,
                });
            }
            break;
        }
        let end = line_end_len(text, pos);
        if end > 0 {
            line += 1;
            pos += end;
        }
        rows.push(Row {
            first_span,
            count: spans.len() as u32 - first_span,
            line: row_line,
        });
    }
    table.rows = rows;
    table.spans = spans;
    table.unescaped = unescaped;
}

/// The length of the line end at `pos`: 2 for CRLF, 1 for a lone CR or LF, 0 for none.
fn line_end_len(text: &[u8], pos: usize) -> usize {
    match (text.get(pos), text.get(pos + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\r' | b'\n'), _) => 1,
        _ => 0,
    }
}

/// The end of an unquoted item: the next comma or line end. Items are a few bytes long,
/// where a plain loop beats setting up a vector search.
fn item_end(text: &[u8], from: usize) -> usize {
    text[from..]
        .iter()
        .position(|&b| matches!(b, b',' | b'\r' | b'\n'))
        .map_or(text.len(), |i| from + i)
}

/// A quoted item starting at `open`: its span, where reading goes on (past `text.len()` when
/// the quote is never closed) and the line ends inside it.
fn quoted(text: &str, open: usize, unescaped: &mut String) -> (Span, usize, u32) {
    let bytes = text.as_bytes();
    let start = open + 1;
    let mut at = start;
    let mut doubled = false;
    let close = loop {
        match memchr::memchr(b'"', &bytes[at..]) {
            Some(i) if bytes.get(at + i + 1) == Some(&b'"') => {
                doubled = true;
                at += i + 2;
            }
            Some(i) => break Some(at + i),
            None => break None,
        }
    };
    let Some(close) = close else {
        let lines = count_line_ends(&bytes[start..]);
        return (
            Span {
                start: start as u32,
                end: bytes.len() as u32,
            },
            bytes.len() + 1,
            lines,
        );
    };
    let lines = count_line_ends(&bytes[start..close]);
    let after = close + 1;
    if !matches!(bytes.get(after), None | Some(b',' | b'\r' | b'\n')) {
        // Text after the closing quote: keep the raw item, quotes included.
        let end = item_end(bytes, after);
        return (
            Span {
                start: open as u32,
                end: end as u32,
            },
            end,
            lines,
        );
    }
    if !doubled {
        return (
            Span {
                start: start as u32,
                end: close as u32,
            },
            after,
            lines,
        );
    }
    let from = unescaped.len();
    unescaped.push_str(&text[start..close].replace("\"\"", "\""));
    (
        Span {
            start: from as u32 | Span::UNESCAPED,
            end: unescaped.len() as u32,
        },
        after,
        lines,
    )
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
        assert_eq!(items("\"ab\"c,d"), [["\"ab\"c", "d"]]);
        assert_eq!(items("\r\n\r\na\n\n\nb"), [["a"], ["b"]]);
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let table = read(b"a,b\r\nc,\"d\r\ne,f\r\n", ReadOptions::default());
        assert_eq!(table.problems, [ReadProblem::UnterminatedQuote { line: 2 }]);
        assert_eq!(table.row(1).get(1), "d\r\ne,f\r\n");
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
