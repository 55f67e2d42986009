//! The parent links of a file's records (§3.1), kept in one buffer: a month has a key for
//! nearly every record, and three strings each cost more than checking the record did.

use std::borrow::Cow;

use encoding_rs::{Encoding, SHIFT_JIS};

/// 保険者番号, 被保険者番号 and the third key item (作成日, 対象年月 or 相談日), as the
/// file's own bytes (see [`crate::codec::RawTable`]).
pub(super) type Key<'a> = [&'a [u8]; 3];

#[derive(Debug)]
pub(super) struct ParentKeys {
    text: Vec<u8>,
    entries: Vec<Entry>,
    /// The file's encoding, to show a key in a message.
    encoding: &'static Encoding,
}

impl Default for ParentKeys {
    fn default() -> Self {
        Self::with_capacity(0, SHIFT_JIS)
    }
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    start: u32,
    ends: [u32; 3],
    line: u32,
}

impl ParentKeys {
    pub(super) fn with_capacity(records: usize, encoding: &'static Encoding) -> Self {
        Self {
            // 6 + 10 + 8 bytes in a well-formed key.
            text: Vec::with_capacity(records * 24),
            entries: Vec::with_capacity(records),
            encoding,
        }
    }

    /// One part of a key decoded, for a message.
    pub(super) fn shown<'b>(&self, part: &'b [u8]) -> Cow<'b, str> {
        self.encoding.decode_without_bom_handling(part).0
    }

    pub(super) fn push(&mut self, key: Key<'_>, line: u32) {
        // A file is refused above 2 GiB, so its keys' offsets fit in u32.
        let start = self.text.len() as u32;
        let mut ends = [0; 3];
        for (end, part) in ends.iter_mut().zip(key) {
            self.text.extend_from_slice(part);
            *end = self.text.len() as u32;
        }
        self.entries.push(Entry { start, ends, line });
    }

    fn key(&self, entry: &Entry) -> Key<'_> {
        let [a, b, c] = entry.ends.map(|e| e as usize);
        let start = entry.start as usize;
        [&self.text[start..a], &self.text[a..b], &self.text[b..c]]
    }

    pub(super) fn last(&self) -> Option<Key<'_>> {
        self.entries.last().map(|e| self.key(e))
    }

    /// Each key with the line of the record it came from.
    pub(super) fn iter(&self) -> impl Iterator<Item = (Key<'_>, u32)> + '_ {
        self.entries.iter().map(|e| (self.key(e), e.line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_back_as_pushed() {
        let mut keys = ParentKeys::with_capacity(1, SHIFT_JIS);
        keys.push([b"131016", b"0000000001", b"20251201"], 3);
        keys.push([b"", b"H000000002", b"202512"], 9);
        assert_eq!(keys.last(), Some([&b""[..], b"H000000002", b"202512"]));
        let all: Vec<_> = keys.iter().collect();
        assert_eq!(
            all,
            [
                ([&b"131016"[..], b"0000000001", b"20251201"], 3),
                ([&b""[..], b"H000000002", b"202512"], 9)
            ]
        );
        assert_eq!(keys.shown(b"\x82\xA0H1"), "あH1");
    }
}
