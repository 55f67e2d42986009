//! The checker's reading (the file's own bytes) and the decoding reading see the same rows,
//! items and problems, on generated files and on arbitrary bytes.

use proptest::prelude::*;
use renkei_spec::codec::{self, RawTable, ReadOptions, SourceEncoding};

use renkei_spec::Generation;

use crate::generator::{config, month_of};

/// Both readings of `bytes` agree; panics with the first difference.
fn assert_same_reading(bytes: &[u8], encoding: SourceEncoding) {
    let options = ReadOptions { encoding };
    let table = codec::read(bytes, options);
    let raw = RawTable::read(bytes, options);
    assert_eq!(raw.problems, table.problems, "problems");
    assert_eq!(raw.len(), table.len(), "rows");
    for (decoded, raw) in table.rows().zip(raw.rows()) {
        assert_eq!(raw.line(), decoded.line(), "line");
        assert_eq!(raw.len(), decoded.len(), "items on line {}", decoded.line());
        for index in 0..decoded.len() {
            assert_eq!(
                raw.text(index),
                decoded.get(index),
                "item {index} on line {}",
                decoded.line()
            );
        }
        if encoding == SourceEncoding::Ms932 && table.problems.is_empty() {
            for index in 0..decoded.len() {
                assert_eq!(raw.chars(index), decoded.get(index).chars().count());
            }
        }
    }
}

#[test]
fn generated_files_read_the_same_both_ways() {
    for generation in [Generation::V4, Generation::V3] {
        let files = month_of(config(11, 2, 6, 40, generation));
        let mut checked = 0;
        for file in files.iter().filter(|f| f.name.kind.is_csv()) {
            assert_same_reading(&file.bytes, SourceEncoding::Ms932);
            checked += 1;
        }
        assert!(checked > 50, "{checked} files");
    }
}

#[test]
fn broken_files_read_the_same_both_ways() {
    for bytes in [
        &b"a,\"b\"\"c\",d\r\n\"open\r\nline,x"[..],
        b"\x81,\x82\xA0,\xF0\x40\r\n\xFF\xA0\x80,\"\x81\"\"\"\r",
        b"\xEF\xBB\xBFutf-8 \xE3\x81\x82,\xE3\x81\r\n\x1a",
        b"\"ab\"cd,\"\",,\n\n\r\r\n\x82",
    ] {
        assert_same_reading(bytes, SourceEncoding::Ms932);
        assert_same_reading(bytes, SourceEncoding::Utf8);
    }
}

/// Bytes where the structure and MS932's own ranges are likely.
fn csv_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(&b",\"\r\n0A "[..]),
        2 => 0x81u8..=0x9F,
        2 => 0x40u8..=0xFC,
        1 => 0xE0u8..=0xFC,
        1 => any::<u8>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_read_the_same_both_ways(
        bytes in proptest::collection::vec(csv_byte(), 0..300),
        utf8 in any::<bool>(),
    ) {
        let encoding = if utf8 { SourceEncoding::Utf8 } else { SourceEncoding::Ms932 };
        assert_same_reading(&bytes, encoding);
    }
}
