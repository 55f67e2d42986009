//! Writing: the canonical form of the standard, byte for byte.
//!
//! CRLF after every record, no header line, no BOM. Free-text items are quoted when they
//! are not empty; an empty item is written as nothing (the standard's "Null（空）"), which
//! is also how most care software writes it. Other items are written bare, and quoted only
//! if they hold a comma, quote or line break (which makes them invalid anyway, but keeps
//! the file readable).

use encoding_rs::{EncoderResult, SHIFT_JIS};

use super::record::Fields;
use crate::error::{Error, Result};
use crate::layout::Layout;

/// Write records of `layout` in MS932. Refuses a character outside MS932 or in the
/// user-defined area (外字), naming the record and item.
pub fn write<'r, R: Fields + ?Sized + 'r>(
    layout: &Layout,
    records: impl IntoIterator<Item = &'r R>,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = SHIFT_JIS.new_encoder();
    for (index, record) in records.into_iter().enumerate() {
        check_count(layout, index, record)?;
        for i in 0..record.count() {
            if i > 0 {
                out.push(b',');
            }
            let value = record.field(i);
            let quoted = needs_quotes(layout, i, value);
            if quoted {
                out.push(b'"');
            }
            encode_item(&mut encoder, layout, index, i, value, quoted, &mut out)?;
            if quoted {
                out.push(b'"');
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    Ok(out)
}

fn check_count<R: Fields + ?Sized>(layout: &Layout, index: usize, record: &R) -> Result<()> {
    if record.count() != layout.len() {
        return Err(Error::ItemCount {
            record: index + 1,
            found: record.count(),
            expected: layout.len(),
            layout: layout.label().to_owned(),
        });
    }
    Ok(())
}

fn needs_quotes(layout: &Layout, index: usize, value: &str) -> bool {
    (layout.is_free_text(index) && !value.is_empty())
        || value
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

fn encode_item(
    encoder: &mut encoding_rs::Encoder,
    layout: &Layout,
    record: usize,
    item: usize,
    value: &str,
    quoted: bool,
    out: &mut Vec<u8>,
) -> Result<()> {
    let unencodable = |ch: char, private: bool| Error::Unencodable {
        record: record + 1,
        item_no: item + 1,
        item_name: layout.items().get(item).map_or("?", |s| s.name),
        ch,
        code: ch as u32,
        detail: if private { "(外字)" } else { "" },
        detail_en: if private {
            " (user-defined character)"
        } else {
            ""
        },
    };
    if value.is_ascii() {
        if quoted && value.contains('"') {
            out.extend_from_slice(value.replace('"', "\"\"").as_bytes());
        } else {
            out.extend_from_slice(value.as_bytes());
        }
        return Ok(());
    }
    if let Some(ch) = value
        .chars()
        .find(|c| ('\u{E000}'..='\u{F8FF}').contains(c))
    {
        return Err(unencodable(ch, true));
    }
    let escaped;
    let value = if quoted && value.contains('"') {
        escaped = value.replace('"', "\"\"");
        escaped.as_str()
    } else {
        value
    };
    let mut remaining = value;
    loop {
        out.reserve(remaining.len() * 2 + 8);
        let spare = out.capacity() - out.len();
        let start = out.len();
        out.resize(start + spare, 0);
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(remaining, &mut out[start..], true);
        out.truncate(start + written);
        remaining = &remaining[read..];
        match result {
            EncoderResult::InputEmpty => return Ok(()),
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(ch) => return Err(unencodable(ch, false)),
        }
    }
}
