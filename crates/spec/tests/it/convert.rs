//! V3 send units converted to V4.1: every item carried to its V4.1 place, names in the
//! V4.1 form, nothing made up, and what could not be filled said.

use renkei_spec::codec::{self, ReadOptions};
use renkei_spec::convert::{self, Kinds};
use renkei_spec::ids::ServiceKind;
use renkei_spec::unit;
use renkei_spec::validate::Input;
use renkei_spec::{Error, FileName, Generation, Layout};

use crate::fixtures;
use crate::generator::{config, month_of};

fn inputs(files: &[(String, Vec<u8>)]) -> Vec<Input<'_>> {
    files
        .iter()
        .map(|(name, bytes)| Input { name, bytes })
        .collect()
}

/// Every item of every V3 record is found at its V4.1 place in the converted file.
fn assert_carried_over(source: Input<'_>, converted: &convert::ConvertedFile) {
    let name = FileName::parse(source.name).unwrap();
    let (v3, v4) = (
        Layout::of(name.kind, Generation::V3).unwrap(),
        Layout::of(name.kind, Generation::V4).unwrap(),
    );
    let before = codec::read(source.bytes, ReadOptions::default());
    let after = codec::read(&converted.bytes, ReadOptions::default());
    assert_eq!(before.len(), after.len(), "{}", converted.name);
    for (old, new) in before.rows().zip(after.rows()) {
        assert_eq!(new.len(), v4.len());
        assert_eq!(new.get(0), "202407");
        for col in 1..v4.len() {
            let expected = v3.position(col).map_or("", |i| old.get(i));
            assert_eq!(
                new.get(col),
                expected,
                "{} item {}",
                converted.name,
                col + 1
            );
        }
    }
}

#[test]
fn a_v3_unit_becomes_v4_1_item_for_item() {
    let case = fixtures::case("valid-schedule-v3");
    let files = case.inputs();
    let converted = convert::to_v4(&files, Kinds::default()).unwrap();
    assert!(converted.report.is_sendable(), "{:?}", converted.report);
    assert_eq!(converted.report.rule_ids(), Vec::<&str>::new());
    let names: Vec<&str> = converted.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "UPPLAN_202512_1300000001_43_1300000002_11_20251126090000.CSV",
            "UPSIKYU_202512_1300000001_43_1300000002_11_20251126090000.CSV",
            "UPHOSOKU_202512_1300000001_43_1300000002_11_20251126090000.CSV",
        ]
    );
    for (source, file) in files.iter().zip(&converted.files) {
        assert_eq!(source.name, file.source);
        assert_carried_over(*source, file);
    }
    assert!(converted.gaps.is_empty(), "{:?}", converted.gaps);
}

#[test]
fn a_generated_v3_month_converts_unit_by_unit_without_an_error() {
    let month = month_of(config(5, 2, 5, 30, Generation::V3));
    let grouped = unit::group(month.iter(), |f| {
        // The generator's names are canonical, so they group as written.
        Box::leak(f.name.to_string().into_boxed_str())
    });
    let mut equipment_gaps = 0;
    let mut plan_gaps = 0;
    // Each provider's kind as its 予定 names it and as its 実績 names it.
    let mut named = std::collections::BTreeMap::<(String, &str), String>::new();
    for (key, files) in &grouped.units {
        let owned: Vec<(String, Vec<u8>)> = files
            .iter()
            .map(|f| (f.name.to_string(), f.bytes.clone()))
            .collect();
        let files = inputs(&owned);
        // A plan names no service codes: the recipient's kind comes from the caller, as
        // the office's sync takes it from the directory.
        let from_provider = files
            .iter()
            .any(|f| FileName::parse(f.name).unwrap().kind.sent_by_provider());
        let kinds = Kinds {
            from: None,
            to: (!from_provider).then(|| ServiceKind::parse("11").unwrap()),
        };
        let converted = convert::to_v4(&files, kinds)
            .unwrap_or_else(|e| panic!("unit {} {} → {}: {e}", key.serial, key.from, key.to));
        assert_eq!(converted.report.errors(), 0, "{:?}", converted.report);
        assert!(
            !converted.report.rule_ids().contains(&"N006"),
            "each office's kind is where it belongs: {:?}",
            converted.report.rule_ids()
        );
        for (source, file) in files.iter().zip(&converted.files) {
            assert_carried_over(*source, file);
            let name = FileName::parse(&file.name).unwrap();
            match name.kind {
                renkei_spec::FileKind::Schedule => {
                    named.insert(
                        (name.to.to_string(), "予定"),
                        name.to_kind.unwrap().to_string(),
                    );
                }
                renkei_spec::FileKind::Actual => {
                    named.insert(
                        (name.from.to_string(), "実績"),
                        name.from_kind.unwrap().to_string(),
                    );
                }
                _ => {}
            }
        }
        for gap in &converted.gaps {
            if gap.ja.contains("福祉用具貸与") {
                equipment_gaps += 1;
            }
            if gap.ja.contains("第3表") {
                plan_gaps += 1;
            }
        }
    }
    let mut compared = 0;
    for ((office, side), kind) in &named {
        if *side == "予定"
            && let Some(actual) = named.get(&(office.clone(), "実績"))
        {
            assert_eq!(
                kind, actual,
                "office {office}: the kind its 予定 and its 実績 are named with"
            );
            compared += 1;
        }
    }
    assert!(compared > 1, "{named:?}");
    assert!(plan_gaps > 0, "plans are said to lack their 第3表");
    assert!(
        equipment_gaps > 0,
        "rental lines are said to lack their codes"
    );
}

#[test]
fn what_cannot_be_converted_is_refused_with_the_way_out() {
    // A plan alone does not say the recipient's kind.
    let month = month_of(config(5, 1, 2, 4, Generation::V3));
    let plan: Vec<(String, Vec<u8>)> = month
        .iter()
        .filter(|f| f.name.kind.prefix().starts_with("UP1KYO"))
        .take(1)
        .map(|f| (f.name.to_string(), f.bytes.clone()))
        .collect();
    let error = convert::to_v4(&inputs(&plan), Kinds::default()).unwrap_err();
    assert!(error.to_string().contains("--to-kind"), "{error}");
    // A V4.1 unit is not converted again.
    let error = convert::to_v4(
        &fixtures::case("valid-schedule-v4.1").inputs(),
        Kinds::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("V4"), "{error}");
    // A unit with an error is fixed first.
    let error =
        convert::to_v4(&fixtures::case("I003-v4.1").inputs(), Kinds::default()).unwrap_err();
    assert!(matches!(error, Error::NotConvertible { .. }));
    assert!(error.to_string().contains("renkei check"), "{error}");
}
