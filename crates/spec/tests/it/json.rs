//! The JSON form: CSV → JSON → CSV gives the same bytes for every generated file and every
//! hand-written case of the kit, in both generations; what JSON can say and CSV cannot is
//! refused with its file, record and field; the schemas name every item and are the ones
//! published in `docs/schema/`.

use std::collections::BTreeSet;

use proptest::prelude::*;
use renkei_spec::codec::{self, ReadOptions};
use renkei_spec::conformance;
use renkei_spec::json::{self, FORM, FileDocument, JsonProblem, JsonRecord, UnitDocument, schema};
use renkei_spec::unit;
use renkei_spec::validate::Input;
use renkei_spec::{Error, FileKind, FileName, Generation, Layout};
use serde_json::{Value, json};

use crate::generator::{config, month_of};

/// Through the JSON text and back: the files the document gives.
fn through_json(files: &[Input<'_>]) -> Vec<(String, Vec<u8>)> {
    let document = json::unit_to_json(files).expect("every file becomes JSON");
    let text = serde_json::to_vec_pretty(&document).unwrap();
    let read = json::parse_unit(&text).expect("the text reads back");
    assert_eq!(read, document);
    json::unit_from_json(&read)
        .expect("the document becomes CSV")
        .into_iter()
        .map(|f| (f.name, f.bytes))
        .collect()
}

fn owned(files: &[Input<'_>]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|f| (f.name.to_owned(), f.bytes.to_vec()))
        .collect()
}

#[test]
fn every_generated_unit_comes_back_byte_for_byte() {
    let mut kinds = BTreeSet::new();
    for generation in [Generation::V4, Generation::V3] {
        let month = month_of(config(19, 3, 9, 40, generation));
        let names: Vec<String> = month.iter().map(|f| f.name.to_string()).collect();
        let grouped = unit::group(month.iter().zip(&names), |(_, name)| name.as_str());
        assert!(grouped.unnamed.is_empty());
        for (_, files) in &grouped.units {
            let inputs: Vec<Input<'_>> = files
                .iter()
                .map(|(f, name)| Input {
                    name,
                    bytes: &f.bytes,
                })
                .collect();
            kinds.extend(files.iter().map(|(f, _)| (f.name.kind, generation)));
            assert_eq!(through_json(&inputs), owned(&inputs));
        }
    }
    assert!(kinds.len() >= 10, "the month has few kinds: {kinds:?}");
}

/// Every case of the kit, as care software writes it (many quote nothing), gives the same
/// document again after a trip through CSV; the files already in the canonical form come
/// back byte for byte.
#[test]
fn every_case_of_the_kit_keeps_its_records_through_json() {
    for case in conformance::cases() {
        let inputs = case.inputs();
        // A case whose bytes cannot be records (a broken quote, a wrong item count, a name
        // that is not the standard's) is refused whole, as `broken_csv…` shows.
        let Ok(document) = json::unit_to_json(&inputs) else {
            continue;
        };
        let back = json::unit_from_json(&document).unwrap();
        for ((file, input), part) in back.iter().zip(&inputs).zip(&document.files) {
            let name = FileName::parse(input.name).unwrap();
            if canonical(&name, input.bytes) {
                assert_eq!(file.bytes, input.bytes, "{} {}", case.id, input.name);
            }
            assert_eq!(&json::file_to_json(&file.name, &file.bytes).unwrap(), part);
        }
    }
}

/// Hand-written samples of every layout in the JSON form (`tests/fixtures/json/`): the
/// kit's valid cases (`valid-*.json`, each the document of its case's files, written again
/// with `RENKEI_BLESS=1`) and samples written directly in JSON. Each, written as CSV, passes
/// the checker with no error and comes back as the same document, and that CSV comes back
/// byte for byte.
#[test]
fn the_json_samples_of_every_layout_go_both_ways() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json");
    if std::env::var_os("RENKEI_BLESS").is_some() {
        for case in conformance::cases()
            .into_iter()
            .filter(|c| c.rule.is_none())
        {
            let document = json::unit_to_json(&case.inputs()).unwrap();
            let mut text = serde_json::to_vec_pretty(&document).unwrap();
            text.push(b'\n');
            std::fs::write(dir.join(format!("{}.json", case.id)), text).unwrap();
        }
    }
    let cases = conformance::cases();
    let mut kinds = BTreeSet::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let sample = json::parse_unit(&std::fs::read(&path).unwrap()).unwrap();
        if let Some(case) = cases.iter().find(|c| c.id == stem) {
            assert_eq!(
                json::unit_to_json(&case.inputs()).unwrap(),
                sample,
                "{stem} differs from its case"
            );
        } else {
            assert!(
                !stem.starts_with("valid-"),
                "{stem}: no such case in the kit"
            );
        }
        let files = json::unit_from_json(&sample).unwrap();
        let inputs: Vec<Input<'_>> = files.iter().map(json::CsvFile::input).collect();
        let report = renkei_spec::validate::check(&inputs, Default::default());
        assert_eq!(report.errors(), 0, "{stem}: {report:?}");
        assert_eq!(json::unit_to_json(&inputs).unwrap(), sample, "{stem}");
        assert_eq!(through_json(&inputs), owned(&inputs), "{stem}");
        for file in &files {
            let name = FileName::parse(&file.name).unwrap();
            kinds.insert((name.kind, name.generation));
        }
    }
    for generation in [Generation::V4, Generation::V3] {
        for kind in FileKind::ALL
            .into_iter()
            .filter(|k| k.is_csv() && k.exists_in(generation))
        {
            assert!(
                kinds.contains(&(kind, generation)),
                "no JSON sample of {kind} in {generation}"
            );
        }
    }
}

/// Whether the bytes are what the writer writes for their records.
fn canonical(name: &FileName, bytes: &[u8]) -> bool {
    let Some(layout) = Layout::of(name.kind, name.generation) else {
        return true;
    };
    let table = codec::read(bytes, ReadOptions::default());
    let rows: Vec<_> = table.rows().collect();
    codec::write(layout, rows.iter()).is_ok_and(|written| written == bytes)
}

fn record(pairs: &[(&str, Value)]) -> JsonRecord {
    JsonRecord(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

const PLAN1_V4: &str = "UP1KYO_1310000017_43_1310000025_11_20260105093000.CSV";
const PLAN1_V3: &str = "UP1KYO_1310000017_1310000025_20260105093000.CSV";
const SCHEDULE_V3: &str = "UPPLAN_202601_1310000017_1310000025_20260105093000.CSV";

fn file(name: &str, records: Vec<JsonRecord>) -> FileDocument {
    FileDocument {
        name: name.to_owned(),
        layout: None,
        records,
        base64: None,
    }
}

fn problems_of(document: &FileDocument) -> Vec<JsonProblem> {
    match json::file_from_json(document) {
        Err(Error::Json { problems }) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn what_ms932_cannot_hold_is_refused_with_its_field_and_character() {
    let document = file(
        PLAN1_V4,
        vec![
            record(&[("policy", json!("穏やかに"))]),
            record(&[
                ("policy", json!("波ダッシュ〜")),
                ("office_name", json!("𠮟咤")),
            ]),
        ],
    );
    let problems = problems_of(&document);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].record, Some(2));
    assert_eq!(problems[0].field.as_deref(), Some("office_name"));
    assert!(problems[0].ja.contains("U+20B9F") && problems[0].ja.contains("MS932"));
    assert_eq!(problems[1].field.as_deref(), Some("policy"));
    assert!(problems[1].ja.contains("U+301C"), "{}", problems[1]);
    let private = file(PLAN1_V4, vec![record(&[("policy", json!("\u{E000}"))])]);
    assert!(problems_of(&private)[0].en.contains("U+E000"));
}

#[test]
fn every_refusal_says_where_and_what_to_do() {
    let cases: Vec<(FileDocument, usize, &str, &str)> = vec![
        (
            file(PLAN1_V4, vec![record(&[("polcy", json!("x"))])]),
            1,
            "polcy",
            "renkei schema",
        ),
        (
            file(
                SCHEDULE_V3,
                vec![record(&[("tais", json!("01234-000001"))])],
            ),
            1,
            "tais",
            "V4.1 の様式にだけ",
        ),
        (
            file(PLAN1_V4, vec![record(&[("care_level", json!(21))])]),
            1,
            "care_level",
            "文字列",
        ),
        (
            file(
                PLAN1_V4,
                vec![record(&[("policy", json!("a")), ("policy", json!("b"))])],
            ),
            1,
            "policy",
            "2回",
        ),
    ];
    for (document, record_no, field, words) in cases {
        let problems = problems_of(&document);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].record, Some(record_no));
        assert_eq!(problems[0].field.as_deref(), Some(field));
        assert!(problems[0].to_string().contains(words), "{}", problems[0]);
    }
    let mut mismatched = file(PLAN1_V3, vec![]);
    mismatched.layout = Some("V4.1".into());
    assert!(problems_of(&mismatched)[0].ja.contains("世代"));
    mismatched.layout = Some("5.0".into());
    assert!(problems_of(&mismatched)[0].ja.contains("読めません"));
    let not_a_name = file("plan.csv", vec![]);
    assert!(problems_of(&not_a_name)[0].ja.contains("ファイル名"));
    // JSON that is not the form: where it breaks, and what the form is.
    for text in [
        &b"{\"form\": \"renkei-careplan-json/1\", \"files\": [}"[..],
        b"{\"form\": \"careplan/5.0\", \"files\": []}",
        b"{\"form\": \"renkei-careplan-json/1\", \"files\": [], \"extra\": 1}",
    ] {
        let error = json::parse_unit(text).unwrap_err().to_string();
        assert!(error.contains(FORM), "{error}");
    }
    let empty = UnitDocument {
        form: FORM.into(),
        files: vec![],
    };
    assert!(json::unit_from_json(&empty).is_err());
}

#[test]
fn broken_csv_is_refused_not_guessed() {
    let layout = Layout::of(FileKind::Plan1, Generation::V4).unwrap();
    let mut fields = vec![String::new(); layout.len()];
    fields[0] = "202407".into();
    let line = fields.join(",");
    for (bytes, words) in [
        (format!("{line},extra\r\n").into_bytes(), "項目数"),
        (
            format!("{}\"a\"b\"\r\n", &line[..line.len() - 1]).into_bytes(),
            "「\"」",
        ),
        (vec![0x82, 0x0d, 0x0a], "MS932"),
    ] {
        let error = json::file_to_json(PLAN1_V4, &bytes)
            .unwrap_err()
            .to_string();
        assert!(error.contains(words), "{error}");
    }
}

#[test]
fn the_image_file_travels_as_base64() {
    let name = "UPKIHON_IMAGE_1310000017_46_1310000025_46_20260105093000_0001.jpg";
    let jpeg = [
        0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0xFF, 0xD9,
    ];
    let document = json::file_to_json(name, &jpeg).unwrap();
    assert_eq!(document.base64.as_deref(), Some("/9j/4AAQSkZJRv/Z"));
    assert_eq!(json::file_from_json(&document).unwrap().bytes, jpeg);
    let mut broken = document.clone();
    broken.base64 = Some("not base64!".into());
    assert_eq!(problems_of(&broken)[0].field.as_deref(), Some("base64"));
}

/// Free text as care staff type it: kana, kanji, the symbols MS932 has, line breaks,
/// quotes and commas.
fn free_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("あ".to_owned()),
            Just("漢字".to_owned()),
            Just("ｶﾅ".to_owned()),
            Just("①".to_owned()),
            Just("～".to_owned()),
            Just("\"".to_owned()),
            Just(",".to_owned()),
            Just("\r\n".to_owned()),
            Just(" ".to_owned()),
            "[a-zA-Z0-9]{1,4}",
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn any_record_of_any_layout_survives_json_both_ways(
        layout_index in 0usize..32,
        values in proptest::collection::vec(free_text(), 71),
        digits in proptest::collection::vec("[0-9]{0,6}", 71),
    ) {
        let layouts: Vec<(FileKind, Generation)> = [Generation::V4, Generation::V3]
            .into_iter()
            .flat_map(|g| FileKind::ALL.into_iter().filter(move |k| k.is_csv() && k.exists_in(g)).map(move |k| (k, g)))
            .collect();
        let (kind, generation) = layouts[layout_index % layouts.len()];
        let layout = Layout::of(kind, generation).unwrap();
        let record = JsonRecord(
            (0..layout.len())
                .map(|i| {
                    let value = if layout.is_free_text(i) { values[i].clone() } else { digits[i].clone() };
                    (layout.field(i).to_owned(), Value::String(value))
                })
                .filter(|(_, v)| v != "")
                .collect(),
        );
        let name = sample_name(kind, generation);
        let document = file(&name, vec![record.clone(), record]);
        let csv = json::file_from_json(&document).unwrap();
        let again = json::file_to_json(&csv.name, &csv.bytes).unwrap();
        prop_assert_eq!(&again.records, &document.records);
        prop_assert_eq!(json::file_from_json(&again).unwrap(), csv);
    }
}

/// A name of `kind` in `generation` that the reader takes.
fn sample_name(kind: FileKind, generation: Generation) -> String {
    let month = if kind.has_month_token() {
        "_202601"
    } else {
        ""
    };
    let pairs = match generation {
        Generation::V4 => "_1310000017_43_1310000025_11",
        Generation::V3 => "_1310000017_1310000025",
    };
    format!("{}{month}{pairs}_20260105093000.CSV", kind.prefix())
}

#[test]
fn each_layout_schema_names_every_item_with_its_number_and_length() {
    for generation in [Generation::V4, Generation::V3] {
        for kind in FileKind::ALL
            .into_iter()
            .filter(|k| k.is_csv() && k.exists_in(generation))
        {
            let layout = Layout::of(kind, generation).unwrap();
            let schema = schema::record(kind, layout);
            let properties = schema["properties"].as_object().unwrap();
            assert_eq!(properties.len(), layout.len(), "{kind} {generation}");
            for (index, spec) in layout.items().iter().enumerate() {
                let field = &properties[layout.field(index)];
                assert!(
                    layout
                        .field(index)
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                );
                assert_eq!(field["title"], spec.name);
                assert_eq!(field["x-renkei-item-no"], spec.no);
                assert_eq!(field["maxLength"].as_u64(), spec.len.map(u64::from));
            }
        }
    }
    // The same item keeps its field in both generations.
    let v4 = Layout::of(FileKind::Schedule, Generation::V4).unwrap();
    let v3 = Layout::of(FileKind::Schedule, Generation::V3).unwrap();
    assert_eq!(
        v4.index_of_field("service_code").map(|i| v4.items()[i].no),
        Some(15)
    );
    assert_eq!(
        v3.index_of_field("service_code").map(|i| v3.items()[i].no),
        Some(15)
    );
    assert_eq!(v3.index_of_field("tais"), None);
}

/// The schemas care software is given (`docs/schema/`, written by `renkei schema --out
/// docs/schema`) are the ones this code reads and writes: a renamed field fails here.
#[test]
fn the_published_schemas_are_the_ones_in_use() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema");
    for (path, expected) in schema::all() {
        let text = std::fs::read_to_string(root.join(&path)).unwrap_or_else(|e| {
            panic!("docs/schema/{path}: {e}; write them with renkei schema --out docs/schema")
        });
        let published: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            published, expected,
            "docs/schema/{path} differs: write it again with renkei schema --out docs/schema (and never rename a field)"
        );
        // The API serves each one by its path, built alone.
        assert_eq!(schema::at(&path).as_ref(), Some(&expected), "{path}");
    }
    for missing in [
        "V3/UP3KYO.json",
        "V4.1/UPKIHON_IMAGE.json",
        "V4.1/upplan.json",
        "V5/UPPLAN.json",
        "x",
    ] {
        assert_eq!(schema::at(missing), None, "{missing}");
    }
}
