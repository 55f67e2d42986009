//! Reading: decode (MS932 or UTF-8), then split into records with a quote-aware parser.

use std::cell::RefCell;

use csv_core::{ReadRecordResult, ReaderBuilder};
use encoding_rs::{DecoderResult, SHIFT_JIS, UTF_8};
use memchr::{memchr_iter, memchr2_iter};
use serde::Serialize;

use super::record::RowRef;

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

/// The records of one file, kept in one buffer.
#[derive(Debug, Default)]
pub struct Table {
    text: String,
    bounds: Vec<u32>,
    rows: Vec<Row>,
    pub problems: Vec<ReadProblem>,
    /// Number of lines in the file.
    pub lines: u32,
}

#[derive(Clone, Copy, Debug)]
struct Row {
    start: u32,
    first_bound: u32,
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
        let first = row.first_bound as usize;
        RowRef {
            text: &self.text,
            bounds: &self.bounds[first..first + row.count as usize],
            start: row.start,
            line: row.line,
        }
    }

    pub fn rows(&self) -> impl ExactSizeIterator<Item = RowRef<'_>> + '_ {
        (0..self.rows.len()).map(|i| self.row(i))
    }
}

/// The most 外字 reported per file; the rest are the same mistake.
const MAX_PRIVATE_USE_REPORTS: usize = 20;
const MAX_MALFORMED_REPORTS: usize = 20;

/// Read a whole file. Never fails: problems are listed in [`Table::problems`].
pub fn read(bytes: &[u8], options: ReadOptions) -> Table {
    let mut table = Table::default();
    if bytes.len() >= u32::MAX as usize / 2 {
        table.problems.push(ReadProblem::TooLarge);
        return table;
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
    table.text = decode(bytes, encoding, &mut table.problems);
    report_private_use(&table.text, &mut table.problems);
    parse(&mut table);
    table
}

fn decode(
    bytes: &[u8],
    encoding: &'static encoding_rs::Encoding,
    problems: &mut Vec<ReadProblem>,
) -> String {
    // The common case: valid input decodes in one pass without the error bookkeeping.
    if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        return text.into_owned();
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut text = String::with_capacity(capacity);
    let mut consumed = 0;
    let mut reported = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[consumed..], &mut text, true);
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
    text
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

/// Buffers reused from file to file: building csv-core's DFA costs more than reading a
/// small file, and most files of a month are small.
struct Scratch {
    reader: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch {
        reader: ReaderBuilder::new().build(),
        fields: Vec::new(),
        ends: vec![0; 128],
    });
}

fn parse(table: &mut Table) {
    SCRATCH.with_borrow_mut(|scratch| parse_with(table, scratch));
}

fn parse_with(table: &mut Table, scratch: &mut Scratch) {
    let input = table.text.as_bytes();
    let Scratch {
        reader,
        fields,
        ends,
    } = scratch;
    reader.reset();
    // Field bytes are copied out unchanged; keeping them in a second buffer costs one copy and
    // lets a row's items be borrowed without per-row allocations. Stale bytes past the end
    // are overwritten before they are read.
    if fields.len() < input.len().max(16) {
        fields.resize(input.len().max(16), 0);
    }
    let mut fields_len = 0;
    let mut ends_len = 0;
    let mut pos = 0;
    let mut line = 1u32;
    let mut counted_to = 0;
    let mut row_start_field = 0;
    let mut record_start = 0;
    // Typical records are 100–300 bytes of about 25 items: reserve so the vectors rarely grow.
    let mut rows = Vec::with_capacity(input.len() / 128 + 1);
    let mut bounds: Vec<u32> = Vec::with_capacity(input.len() / 6 + 1);
    loop {
        let (result, nin, nout, nend) = reader.read_record(
            &input[pos..],
            &mut fields[fields_len..],
            &mut ends[ends_len..],
        );
        pos += nin;
        fields_len += nout;
        ends_len += nend;
        match result {
            // Only an empty slice means end of input to csv-core; it comes on the next turn.
            ReadRecordResult::InputEmpty if nin == 0 && pos >= input.len() => break,
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull => fields.resize(fields.len() * 2, 0),
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => {
                // The row starts after any blank lines csv-core skipped.
                let skipped = input[record_start..pos]
                    .iter()
                    .take_while(|&&b| b == b'\r' || b == b'\n')
                    .count();
                line += count_line_ends(&input[counted_to..record_start + skipped]);
                counted_to = record_start + skipped;
                push_row(
                    &mut rows,
                    &mut bounds,
                    &ends[..ends_len],
                    row_start_field,
                    line,
                );
                row_start_field = fields_len;
                record_start = pos;
                ends_len = 0;
            }
            ReadRecordResult::End => break,
        }
    }
    table.lines = line + count_line_ends(&input[counted_to..]);
    if memchr_iter(b'"', input).count() % 2 == 1 {
        let line = rows.last().map_or(1, |r: &Row| r.line);
        table.problems.push(ReadProblem::UnterminatedQuote { line });
    }
    // The field buffer holds exactly the bytes of the items, split only at ASCII delimiters of
    // valid UTF-8 text, so it is valid UTF-8 again.
    table.text = String::from_utf8(fields[..fields_len].to_vec()).unwrap_or_default();
    table.rows = rows;
    table.bounds = bounds;
}

fn push_row(rows: &mut Vec<Row>, bounds: &mut Vec<u32>, ends: &[usize], start: usize, line: u32) {
    rows.push(Row {
        start: start as u32,
        first_bound: bounds.len() as u32,
        count: ends.len() as u32,
        line,
    });
    bounds.extend(ends.iter().map(|&e| (start + e) as u32));
}
