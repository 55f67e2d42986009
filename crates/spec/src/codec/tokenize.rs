//! Splitting a file into rows and items (RFC 4180 as the standard uses it).
//!
//! The tokenizer works on bytes, decoded UTF-8 or the file's own MS932 alike: the bytes
//! that give the structure (`,` `"` CR LF) are ASCII, which UTF-8 never uses inside a
//! character and MS932 never uses as the second byte of one (those are 40–FC).
//!
//! Written here rather than taken from csv-core because items are kept as ranges of the
//! bytes (no copy), line numbers must count CR-only files, and an unclosed quote must be
//! reported where it starts. Blank lines are skipped.
//!
//! A `"` the standard does not allow (text after a quoted item's closing quote, which is
//! an inner quote left undoubled, or a quote inside an unquoted item) is reported where it
//! is, with the row: where such an item was meant to end cannot be known, so the rest of
//! that row is not to be trusted. Its items are still cut at the next comma, so that the
//! rows after it are read as they are written.

use memchr::memchr2_iter;

use super::ReadProblem;
use super::record::Span;

/// The characters of a line's text before a stray quote, in the file's own encoding: the
/// column a person counts to.
pub(super) type CountChars<'c> = &'c dyn Fn(&[u8]) -> usize;

/// Where a file's items are: the tokenizer's output, kept between files for its buffers.
#[derive(Debug, Default)]
pub(super) struct Cells {
    /// Items that were quoted with doubled quotes inside, unescaped.
    pub unescaped: Vec<u8>,
    pub spans: Vec<Span>,
    pub rows: Vec<Row>,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Row {
    pub first_span: u32,
    pub count: u32,
    pub line: u32,
}

impl Cells {
    pub fn clear(&mut self) {
        self.unescaped.clear();
        self.spans.clear();
        self.rows.clear();
    }

    pub fn row(&self, index: usize) -> (&[Span], u32) {
        let row = self.rows[index];
        let first = row.first_span as usize;
        (&self.spans[first..first + row.count as usize], row.line)
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

/// The line (1-based) of the byte at `offset`.
pub(super) fn line_at(bytes: &[u8], offset: usize) -> u32 {
    1 + count_line_ends(&bytes[..offset.min(bytes.len())])
}

/// Split `text` into rows and items.
pub(super) fn parse(
    text: &[u8],
    cells: &mut Cells,
    problems: &mut Vec<ReadProblem>,
    count_chars: CountChars<'_>,
) {
    let n = text.len();
    let Cells {
        unescaped,
        spans,
        rows,
    } = cells;
    // Typical records are 100–300 bytes of about 25 items: reserve so the vectors rarely grow.
    rows.reserve(n / 128 + 1);
    spans.reserve(n / 6 + 1);
    let mut structure = Structure::new(text);
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
        let mut stray_seen = false;
        loop {
            let (span, stray) = if text[pos] == b'"' {
                let (span, next, lines, stray) = quoted(&mut structure, pos, unescaped);
                if next > n {
                    problems.push(ReadProblem::UnterminatedQuote { line });
                }
                let stray = stray.map(|at| (at, line + lines));
                line += lines;
                pos = next.min(n);
                (span, stray)
            } else {
                let (end, stray) = structure.item_end(pos);
                let span = Span {
                    start: pos as u32,
                    end: end as u32,
                };
                pos = end;
                (span, stray.map(|at| (at, line)))
            };
            // The first stray quote of a row is the mistake; later ones follow from it.
            if let Some((at, quote_line)) = stray
                && !stray_seen
            {
                stray_seen = true;
                let line_start = memchr::memrchr2(b'\r', b'\n', &text[..at]).map_or(0, |i| i + 1);
                problems.push(ReadProblem::StrayQuote {
                    line: quote_line,
                    column: count_chars(&text[line_start..at]) as u32 + 1,
                    row: rows.len() as u32,
                    item: spans.len() as u32 - first_span + 1,
                });
            }
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
}

/// The length of the line end at `pos`: 2 for CRLF, 1 for a lone CR or LF, 0 for none.
fn line_end_len(text: &[u8], pos: usize) -> usize {
    match (text.get(pos), text.get(pos + 1)) {
        (Some(b'\r'), Some(b'\n')) => 2,
        (Some(b'\r' | b'\n'), _) => 1,
        _ => 0,
    }
}

/// Where the structural bytes are, found 64 bytes at a time. Items are a few bytes long
/// and free text is quoted: looking at every byte, or starting a search for each item,
/// cost more than all the rest of reading.
struct Structure<'a> {
    text: &'a [u8],
    /// The 64-byte block whose mask is held.
    block: usize,
    mask: u64,
}

impl<'a> Structure<'a> {
    const BLOCK: usize = 64;

    fn new(text: &'a [u8]) -> Self {
        Self {
            text,
            block: usize::MAX,
            mask: 0,
        }
    }

    /// The first structural byte at or after `from`, or the text's length.
    fn next(&mut self, from: usize) -> usize {
        let mut block = from / Self::BLOCK;
        let mut ahead = !0u64 << (from % Self::BLOCK);
        loop {
            let start = block * Self::BLOCK;
            if start >= self.text.len() {
                return self.text.len();
            }
            if block != self.block {
                self.block = block;
                self.mask = block_mask(&self.text[start..]);
            }
            let found = self.mask & ahead;
            if found != 0 {
                return start + found.trailing_zeros() as usize;
            }
            block += 1;
            ahead = !0;
        }
    }

    /// The end of an unquoted item from `from` (the next comma or line end, or the end of
    /// the text), and where the first quote inside it is, if there is one.
    fn item_end(&mut self, from: usize) -> (usize, Option<usize>) {
        let mut at = from;
        let mut quote = None;
        loop {
            at = self.next(at);
            if self.text.get(at) != Some(&b'"') {
                return (at, quote);
            }
            quote.get_or_insert(at);
            at += 1;
        }
    }
}

/// Bit `i` set where byte `i` of the first 64 of `bytes` is `,` `"` CR or LF.
fn block_mask(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<{ Structure::BLOCK }>() {
        Some(block) => full_block_mask(block),
        None => {
            let mut block = [0u8; Structure::BLOCK];
            block[..bytes.len()].copy_from_slice(bytes);
            full_block_mask(&block)
        }
    }
}

/// Written so that the compiler makes vector compares of it: a pass of comparisons into
/// bytes of 0 or 1, then each eight of them packed into eight bits by one multiplication
/// (each byte's bit lands in its own place of the top byte, and no two terms overlap, so
/// nothing carries).
fn full_block_mask(block: &[u8; Structure::BLOCK]) -> u64 {
    let mut hits = [0u8; Structure::BLOCK];
    for (hit, &b) in hits.iter_mut().zip(block) {
        *hit = u8::from((b == b',') | (b == b'"') | (b == b'\r') | (b == b'\n'));
    }
    let mut mask = 0;
    for (i, eight) in hits.chunks_exact(8).enumerate() {
        let word = u64::from_le_bytes(eight.try_into().unwrap_or_default());
        mask |= (word.wrapping_mul(0x0102_0408_1020_4080) >> 56) << (i * 8);
    }
    mask
}

/// A quoted item starting at `open`: its span, where reading goes on (past the text's
/// length when the quote is never closed), the line ends inside it, and where its closing
/// quote is when text follows it (the quote was an inner one, not doubled).
fn quoted(
    structure: &mut Structure<'_>,
    open: usize,
    unescaped: &mut Vec<u8>,
) -> (Span, usize, u32, Option<usize>) {
    let bytes = structure.text;
    let start = open + 1;
    let mut at = start;
    let mut doubled = false;
    let mut lines = 0;
    let close = loop {
        let found = structure.next(at);
        match bytes.get(found) {
            None => break None,
            Some(b'"') if bytes.get(found + 1) == Some(&b'"') => {
                doubled = true;
                at = found + 2;
            }
            Some(b'"') => break Some(found),
            // Lines end at LF, CRLF or a lone CR; CRLF is counted at its LF.
            Some(b'\n') => {
                lines += 1;
                at = found + 1;
            }
            Some(b'\r') => {
                if bytes.get(found + 1) != Some(&b'\n') {
                    lines += 1;
                }
                at = found + 1;
            }
            Some(_) => at = found + 1,
        }
    };
    let Some(close) = close else {
        return (
            Span {
                start: start as u32,
                end: bytes.len() as u32,
            },
            bytes.len() + 1,
            lines,
            None,
        );
    };
    let after = close + 1;
    if !matches!(bytes.get(after), None | Some(b',' | b'\r' | b'\n')) {
        // Text after the closing quote: keep the raw item, quotes included, to show it.
        let (end, _) = structure.item_end(after);
        return (
            Span {
                start: open as u32,
                end: end as u32,
            },
            end,
            lines,
            Some(close),
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
            None,
        );
    }
    let from = unescaped.len();
    let mut rest = &bytes[start..close];
    while let Some(quote) = memchr::memchr(b'"', rest) {
        // Inside a closed quoted item every quote is doubled: keep one of each pair.
        unescaped.extend_from_slice(&rest[..=quote]);
        rest = &rest[(quote + 2).min(rest.len())..];
    }
    unescaped.extend_from_slice(rest);
    (
        Span {
            start: from as u32 | Span::UNESCAPED,
            end: unescaped.len() as u32,
        },
        after,
        lines,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_masks_find_every_structural_byte() {
        for i in 0..64 {
            let mut block = [b'a'; 64];
            block[i] = b',';
            assert_eq!(block_mask(&block), 1 << i, "a comma at {i}");
        }
        let mut block = [b'x'; 64];
        block[0] = b',';
        block[3] = b'"';
        block[9] = b'\n';
        block[63] = b'\r';
        assert_eq!(block_mask(&block), 1 | 1 << 3 | 1 << 9 | 1 << 63);
        assert_eq!(block_mask(b"ab,"), 1 << 2, "a short tail");
    }

    #[test]
    fn structure_is_found_across_blocks() {
        let long = format!("{},x\r\n", "y".repeat(130));
        let mut structure = Structure::new(long.as_bytes());
        assert_eq!(structure.item_end(5), (130, None));
        assert_eq!(structure.next(131), 132);
        assert_eq!(structure.next(134), 134);
        assert_eq!(Structure::new(b"a\"b\"c,d").item_end(0), (5, Some(1)));
        assert_eq!(Structure::new(b"abc").item_end(1), (3, None));
    }
}
