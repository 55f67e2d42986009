//! MS932 without decoding: whether bytes are all MS932, where their 外字 are, how many
//! characters an item has. The checker reads files this way (see [`super::RawTable`]).
//!
//! Which byte pairs are characters is not written here: a table is built once from
//! encoding_rs's own Shift_JIS decoder, so the two always agree. One lookup per character
//! costs much less than decoding, which walks several range tables per kanji and writes
//! every character out again.

use std::sync::OnceLock;

use encoding_rs::SHIFT_JIS;

/// Lead bytes of a double-byte character: 81–9F and E0–FC.
const LEADS: usize = (0x9F - 0x81 + 1) + (0xFC - 0xE0 + 1);

/// A 外字 (user-defined area, lead bytes F0–F9): where its first byte is, and the
/// private-use character it decodes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct PrivateUse {
    pub offset: usize,
    pub ch: char,
}

fn lead_index(lead: u8) -> Option<usize> {
    match lead {
        0x81..=0x9F => Some(usize::from(lead - 0x81)),
        0xE0..=0xFC => Some(usize::from(lead - 0xE0) + (0x9F - 0x81 + 1)),
        _ => None,
    }
}

/// For every (lead, any byte) pair, the character it decodes to, or NUL where encoding_rs
/// finds none (NUL is one byte, so it never stands for a pair).
fn pairs() -> &'static [[char; 256]] {
    static PAIRS: OnceLock<Vec<[char; 256]>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut pairs = vec![['\0'; 256]; LEADS];
        for lead in (0x81..=0x9Fu8).chain(0xE0..=0xFC) {
            let Some(index) = lead_index(lead) else {
                continue;
            };
            for trail in 0..=255u8 {
                let pair = [lead, trail];
                let decoded = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(&pair);
                let mut chars = decoded.as_deref().unwrap_or("").chars();
                if let (Some(ch), None) = (chars.next(), chars.next()) {
                    pairs[index][usize::from(trail)] = ch;
                }
            }
        }
        pairs
    })
}

/// Which pairs are characters, one bit each: 2 KB, where the characters themselves take
/// 60 KB, more than a processor's first cache.
fn valid_pairs() -> &'static [[u64; 4]] {
    static VALID: OnceLock<Vec<[u64; 4]>> = OnceLock::new();
    VALID.get_or_init(|| {
        pairs()
            .iter()
            .map(|chars| {
                let mut bits = [0u64; 4];
                for (trail, &ch) in chars.iter().enumerate() {
                    if ch != '\0' {
                        bits[trail / 64] |= 1 << (trail % 64);
                    }
                }
                bits
            })
            .collect()
    })
}

/// The end of the run of ASCII bytes from `from`, eight bytes at a time.
fn ascii_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(eight) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(eight.try_into().unwrap_or([0x80; 8]));
        let high = word & 0x8080_8080_8080_8080;
        if high != 0 {
            return at + high.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(u8::is_ascii) {
        at += 1;
    }
    at
}

/// Whether `bytes` are all MS932 (exactly as encoding_rs decodes without a replacement),
/// noting each 外字 in `private_use`.
pub(super) fn scan(bytes: &[u8], private_use: &mut Vec<PrivateUse>) -> bool {
    let valid = valid_pairs();
    let mut at = 0;
    while at < bytes.len() {
        at = ascii_end(bytes, at);
        // Japanese text: characters one after another, without looking for ASCII between.
        while let Some(&lead) = bytes.get(at) {
            if lead.is_ascii() {
                break;
            }
            if let Some(index) = lead_index(lead) {
                let Some(&trail) = bytes.get(at + 1) else {
                    return false;
                };
                let trail = usize::from(trail);
                if valid[index][trail / 64] >> (trail % 64) & 1 == 0 {
                    return false;
                }
                if (0xF0..=0xF9).contains(&lead) {
                    let ch = pairs()[index][trail];
                    private_use.push(PrivateUse { offset: at, ch });
                }
                at += 2;
            } else if matches!(lead, 0x80 | 0xA1..=0xDF) {
                // 80 stands for U+0080 and A1–DF are half-width katakana, one byte each.
                at += 1;
            } else {
                return false;
            }
        }
    }
    true
}

/// The number of characters in MS932 `bytes` (a lead byte and its trail are one).
pub(super) fn chars(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut at = 0;
    while at < bytes.len() {
        at += if lead_index(bytes[at]).is_some() {
            2
        } else {
            1
        };
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte pair (and every single byte, before an ASCII one) is judged as encoding_rs
    /// judges it, with 外字 noted exactly where it decodes to the private use area.
    #[test]
    fn agrees_with_encoding_rs_everywhere() {
        let mut gaiji = Vec::new();
        for first in 0..=255u8 {
            for second in 0..=255u8 {
                let bytes = [first, second, b'a'];
                gaiji.clear();
                let decoded = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(&bytes);
                let valid = scan(&bytes, &mut gaiji);
                assert_eq!(valid, decoded.is_some(), "{first:02X} {second:02X}");
                if let Some(text) = decoded {
                    let private: Vec<char> = text
                        .chars()
                        .filter(|c| ('\u{E000}'..='\u{F8FF}').contains(c))
                        .collect();
                    let noted: Vec<char> = gaiji.iter().map(|g| g.ch).collect();
                    assert_eq!(noted, private, "{first:02X} {second:02X}");
                    assert_eq!(
                        chars(&bytes),
                        text.chars().count(),
                        "{first:02X} {second:02X}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_text_is_scanned_and_counted() {
        let (bytes, _, _) = SHIFT_JIS.encode("訪問介護,ｶﾀｶﾅ,\"第６表\" and a long ASCII run\r\n");
        let mut gaiji = Vec::new();
        assert!(scan(&bytes, &mut gaiji));
        assert!(gaiji.is_empty());
        assert_eq!(chars(&bytes), 38);
        assert!(scan(b"ab\xF0\x40c", &mut gaiji));
        assert_eq!(
            gaiji,
            [PrivateUse {
                offset: 2,
                ch: '\u{E000}'
            }]
        );
        assert!(!scan(b"a\x81", &mut Vec::new()), "a lead byte at the end");
        assert!(
            !scan(b"a\x81\x20", &mut Vec::new()),
            "a lead byte before ASCII"
        );
    }
}
