//! Reading then writing gives the same bytes, for every file kind; records survive
//! write-then-read; the reader never panics on arbitrary bytes.

use proptest::prelude::*;
use renkei_spec::codec::{self, ReadOptions, Record};
use renkei_spec::validate::{self, Input, Options};
use renkei_spec::{FileKind, Generation, Layout};

use crate::generator::{config, month_of};

fn roundtrip(layout: &Layout, bytes: &[u8]) -> Vec<u8> {
    let table = codec::read(bytes, ReadOptions::default());
    assert!(table.problems.is_empty(), "{:?}", table.problems);
    let rows: Vec<_> = table.rows().collect();
    codec::write(layout, rows.iter()).expect("writable")
}

#[test]
fn generated_files_of_every_kind_roundtrip_byte_for_byte() {
    for generation in [Generation::V4, Generation::V3] {
        for file in month_of(config(11, 4, 12, 60, generation)) {
            let layout = Layout::of(file.name.kind, generation).unwrap();
            assert_eq!(roundtrip(layout, &file.bytes), file.bytes, "{}", file.name);
        }
    }
}

/// A record of `kind` with every item filled by `fill(index)`.
fn filled(
    kind: FileKind,
    generation: Generation,
    fill: impl Fn(usize) -> String,
) -> (Record, &'static Layout) {
    let layout = Layout::of(kind, generation).unwrap();
    (Record((0..layout.len()).map(fill).collect()), layout)
}

#[test]
fn every_layout_roundtrips_with_awkward_free_text() {
    let awkward = "コメント、\"引用\"あり,カンマ\r\n改行も\r\n～①㈱髙";
    for generation in [Generation::V3, Generation::V4] {
        for kind in FileKind::ALL
            .into_iter()
            .filter(|k| k.is_csv() && k.exists_in(generation))
        {
            let (record, layout) = filled(kind, generation, |i| {
                if layout_free(kind, generation, i) {
                    awkward.to_owned()
                } else {
                    format!("{i}")
                }
            });
            let bytes = codec::write(layout, [&record, &record]).unwrap();
            assert_eq!(roundtrip(layout, &bytes), bytes, "{kind}");
            let table = codec::read(&bytes, ReadOptions::default());
            assert_eq!(table.len(), 2);
            assert_eq!(table.row(1).to_record(), record, "{kind}");
        }
    }
}

fn layout_free(kind: FileKind, generation: Generation, index: usize) -> bool {
    Layout::of(kind, generation).unwrap().is_free_text(index)
}

#[test]
fn the_writer_refuses_what_ms932_cannot_hold() {
    let layout = Layout::of(FileKind::Plan1, Generation::V4).unwrap();
    for (text, needle) in [("〜", "U+301C"), ("𠮟る", "U+20B9F"), ("\u{E000}", "外字")] {
        let (record, _) = filled(FileKind::Plan1, Generation::V4, |i| {
            if i == 23 {
                text.to_owned()
            } else {
                String::new()
            }
        });
        let error = codec::write(layout, [&record]).unwrap_err().to_string();
        assert!(
            error.contains(needle)
                && error.contains("総合的な援助の方針")
                && error.contains("項目24"),
            "{error}"
        );
    }
}

#[test]
fn line_ends_of_any_kind_are_read_with_their_line_numbers() {
    for sep in ["\r\n", "\n", "\r"] {
        let text = format!(
            "202407,131045,0000000001,202512{sep}{sep}202407,131045,\"a{sep}b\",202512{sep}202407,1,2,3"
        );
        let table = codec::read(text.as_bytes(), ReadOptions::default());
        let lines: Vec<u32> = table.rows().map(|r| r.line()).collect();
        assert_eq!(lines, [1, 3, 5], "{sep:?}");
        assert_eq!(table.row(1).get(2), format!("a{sep}b"));
    }
}

fn free_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("あ"),
            Just("漢"),
            Just("ｶﾅ"),
            Just(","),
            Just("\""),
            Just("\r\n"),
            Just("a"),
            Just(" "),
            Just("～"),
            Just("①"),
            Just("高"),
            Just("ー")
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_records_survive_write_then_read(
        kind_index in 0usize..FileKind::ALL.len(),
        texts in proptest::collection::vec(free_text(), 71),
        digits in proptest::collection::vec("[0-9]{0,8}", 71),
    ) {
        let kind = FileKind::ALL[kind_index];
        prop_assume!(kind.is_csv());
        let layout = Layout::of(kind, Generation::V4).unwrap();
        let record = Record((0..layout.len()).map(|i| if layout.is_free_text(i) { texts[i].clone() } else { digits[i].clone() }).collect());
        let bytes = codec::write(layout, [&record]).unwrap();
        let table = codec::read(&bytes, ReadOptions::default());
        prop_assert!(table.problems.is_empty());
        prop_assert_eq!(table.len(), 1);
        prop_assert_eq!(table.row(0).to_record(), record);
    }

    #[test]
    fn reading_and_checking_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = codec::read(&bytes, ReadOptions::default());
        let name = "UPPLAN_202512_1300000001_43_1300000002_11_20251126090000.CSV";
        let _ = validate::check(&[Input { name, bytes: &bytes }], Options::default());
    }

    #[test]
    fn names_never_panic(name in "[A-Z0-9_.a-z]{0,80}") {
        let _ = renkei_spec::FileName::parse(&name);
    }
}

/// Inputs the fuzzer once crashed on, replayed as the fuzz target does (first byte selects
/// the encoding and the file name).
#[test]
fn former_fuzz_crashes_are_read_and_checked() {
    use renkei_spec::codec::SourceEncoding;
    const NAMES: [&str; 4] = [
        "UPPLAN_202512_1300000001_43_1300000002_11_20251126090000.CSV",
        "UPSIKYU_202512_1300000001_43_1300000002_11_20251126090000.CSV",
        "UPHOSOKU_000000_1300000001_43_1300000002_11_20251126090000.CSV",
        "UPKIHON_1300000001_46_1300000002_A2_20251126090000.CSV",
    ];
    for entry in std::fs::read_dir(crate::fixtures::dir("fuzz")).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let Some((&selector, bytes)) = data.split_first() else {
            continue;
        };
        let encoding = if selector & 0x80 == 0 {
            SourceEncoding::Ms932
        } else {
            SourceEncoding::Utf8
        };
        let _ = codec::read(bytes, ReadOptions { encoding });
        for name in NAMES {
            let _ = validate::check(&[Input { name, bytes }], Options { encoding });
        }
    }
}
