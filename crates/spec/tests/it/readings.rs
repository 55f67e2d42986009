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

/// One item as another vendor's software might write it.
#[derive(Clone, Debug)]
enum Item {
    /// Quoted as the standard says, inner quotes doubled.
    Quoted(String),
    Bare(String),
    /// Quoted, with one inner quote left undoubled.
    InnerQuoteNotDoubled(String, String),
    /// Unquoted, with a quote inside.
    QuoteInBare(String, String),
}

impl Item {
    fn is_stray(&self) -> bool {
        matches!(self, Item::InnerQuoteNotDoubled(..) | Item::QuoteInBare(..))
    }

    fn write(&self, out: &mut String) {
        match self {
            Item::Quoted(text) => {
                out.push('"');
                out.push_str(&text.replace('"', "\"\""));
                out.push('"');
            }
            Item::Bare(text) => out.push_str(text),
            Item::InnerQuoteNotDoubled(a, b) => out.push_str(&format!("\"{a}\"{b}\"")),
            Item::QuoteInBare(a, b) => out.push_str(&format!("{a}\"{b}")),
        }
    }
}

/// Text of Japanese and ASCII, with commas and line breaks where it is quoted.
fn words(quoted: bool) -> impl Strategy<Value = String> {
    let pieces = if quoted {
        prop::sample::select(
            &[
                "山田",
                "ｶﾅ",
                "訪問介護",
                "a",
                "12",
                ",",
                "\r\n",
                "\"",
                " ",
                "髙",
            ][..],
        )
    } else {
        prop::sample::select(&["山田", "ｶﾅ", "訪問介護", "a", "12", " ", "―"][..])
    };
    proptest::collection::vec(pieces, 1..4).prop_map(|p| p.concat())
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        4 => words(true).prop_map(Item::Quoted),
        4 => words(false).prop_map(Item::Bare),
        1 => (words(false), words(false)).prop_map(|(a, b)| Item::InnerQuoteNotDoubled(a, b)),
        1 => (words(false), words(false)).prop_map(|(a, b)| Item::QuoteInBare(a, b)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every row with a quote the standard does not allow is reported at that row and
    /// item, in MS932 and in UTF-8 alike; no other row is.
    #[test]
    fn stray_quotes_are_found_where_they_are_in_either_encoding(
        rows in proptest::collection::vec(proptest::collection::vec(item(), 1..6), 1..6),
        utf8 in any::<bool>(),
    ) {
        let mut text = String::new();
        for row in &rows {
            for (i, item) in row.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                item.write(&mut text);
            }
            text.push_str("\r\n");
        }
        let (bytes, encoding) = if utf8 {
            (text.clone().into_bytes(), SourceEncoding::Utf8)
        } else {
            (encoding_rs::SHIFT_JIS.encode(&text).0.into_owned(), SourceEncoding::Ms932)
        };
        assert_same_reading(&bytes, encoding);
        let table = codec::read(&bytes, ReadOptions { encoding });
        let stray: Vec<(u32, u32)> = table
            .problems
            .iter()
            .filter_map(|p| match p {
                codec::ReadProblem::StrayQuote { row, item, .. } => Some((*row, *item)),
                _ => None,
            })
            .collect();
        // Items of a well-formed row are where they were written; the first stray one is
        // reported, and the rows after a broken one can start anywhere, so only the rows up
        // to the first broken one are compared.
        let first_broken = rows.iter().position(|row| row.iter().any(Item::is_stray));
        match first_broken {
            None => prop_assert!(stray.is_empty(), "{stray:?} in {text:?}"),
            Some(at) => {
                let item = rows[at].iter().position(Item::is_stray).unwrap() + 1;
                prop_assert_eq!(stray.first().copied(), Some((at as u32, item as u32)), "{}", text);
            }
        }
    }
}
