//! Every rule has a hand-written fixture that triggers exactly that rule, and the valid
//! fixtures trigger none.

use renkei_spec::Generation;
use renkei_spec::conformance::{self, Case};
use renkei_spec::validate::{self, Input, Options, rules};

use crate::fixtures;

fn check(case: &Case) -> validate::Report {
    validate::check(&case.inputs(), Options::default())
}

#[test]
fn every_case_of_the_kit_finds_exactly_what_it_expects() {
    let cases = conformance::cases();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let verdict = conformance::judge(&case.expected(), &case.inputs());
            (!verdict.passed()).then(|| {
                format!(
                    "{} ({}): found {:?}",
                    case.id, case.description, verdict.found
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        cases
            .iter()
            .any(|c| c.rule.is_none() && c.generation == Generation::V3)
    );
}

#[test]
fn every_rule_has_a_case_in_v4_1_and_the_listed_ones_in_v3() {
    let cases = conformance::cases();
    let has = |id: &str, generation: Generation| {
        cases
            .iter()
            .any(|c| c.rule.is_some_and(|r| r.id == id) && c.generation == generation)
    };
    for rule in rules::ALL {
        if rule.id == "E005" {
            continue; // needs a 2 GiB file: see `a_file_too_large_is_refused_unread`
        }
        assert!(
            has(rule.id, Generation::V4) || has(rule.id, Generation::V3),
            "rule {} has no case in crates/spec/conformance/rules",
            rule.id
        );
    }
    let missing: Vec<&&str> = conformance::V3_RULES
        .iter()
        .filter(|id| !has(id, Generation::V3))
        .collect();
    assert!(missing.is_empty(), "rules without a V3 case: {missing:?}");
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "case ids are unique");
}

#[test]
fn a_case_fails_when_what_it_finds_differs_from_its_expectation() {
    let case = fixtures::case("I003-v4.1");
    assert!(!conformance::judge(&[], &case.inputs()).passed());
    assert!(!conformance::judge(&["I003", "I001"], &case.inputs()).passed());
    assert!(conformance::judge(&["I003"], &case.inputs()).passed());
    let text = conformance::expectation_text(&case);
    assert_eq!(
        conformance::parse_expectation(&text),
        Some(vec!["I003".to_owned()])
    );
    let valid = fixtures::case("valid-plan-v4.1");
    assert_eq!(
        conformance::parse_expectation(&conformance::expectation_text(&valid)),
        Some(Vec::new())
    );
}

#[test]
fn a_file_too_large_is_refused_unread() {
    // calloc'd zero pages: the size is refused before a byte is read.
    let bytes = vec![0u8; u32::MAX as usize / 2 + 1];
    let name = "DLTPLAN_202512_1300000001_43_1300000002_11_20251126090000.CSV";
    let report = validate::check(
        &[Input {
            name,
            bytes: &bytes,
        }],
        Options::default(),
    );
    assert_eq!(report.units[0].rule_ids(), ["E005"]);
}

#[test]
fn findings_say_where_and_what_to_do() {
    let report = check(&fixtures::case("I003-v4.1"));
    let finding = report.units[0]
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .next()
        .expect("one finding");
    assert_eq!(finding.line, Some(1));
    assert_eq!(finding.item_no, Some(4));
    assert_eq!(finding.item_name, Some("作成年月日"));
    let text = finding.to_string();
    assert!(
        text.contains("I003") && text.contains("20251131") && text.contains("invalid date"),
        "{text}"
    );
    assert!(!finding.rule.fix_ja.is_empty() && !finding.rule.fix_en.is_empty());
}

#[test]
fn rule_ids_are_unique_and_well_formed() {
    let mut ids: Vec<&str> = rules::ALL.iter().map(|r| r.id).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count);
    assert!(
        ids.iter()
            .all(|id| id.len() == 4 && "NESVMITU".contains(&id[..1]))
    );
}

#[test]
fn a_stray_quote_is_shown_at_its_line_character_and_item() {
    let report = check(&fixtures::case("S005-v4.1"));
    let finding = report.units[0]
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .find(|f| f.rule.id == "S005")
        .expect("an S005 finding");
    assert_eq!(finding.line, Some(1));
    assert_eq!(finding.item_no, Some(22));
    assert_eq!(
        finding.item_name,
        Some("利用者及び家族の生活に対する意向を踏まえた課題分析の結果")
    );
    // The quote before できる: the characters before it on the line, plus one.
    let line = "202407,131045,0000000001,20251115,160-0023,東京都新宿区西新宿1丁目1番1号,,鈴木　一郎,居宅介護支援事業所わかば,160-0023,東京都新宿区西新宿2丁目2番,,1300000001,20251115,20240401,21,2,20250301,20250401,20270331,22,\"本人：自宅で暮らし続けたい。家族：";
    let column = line.chars().count() + 1;
    assert!(
        finding.detail_ja.contains(&format!("{column}文字目")),
        "{}",
        finding.detail_ja
    );
}

#[test]
fn a_version_written_as_v4_1s_issue_month_is_read_as_v4_1() {
    let report = check(&fixtures::case("V005-v4.1"));
    assert!(report.units[0].is_sendable());
    assert_eq!(report.units[0].rule_ids(), ["V005"]);
    let finding = report.units[0]
        .files
        .iter()
        .flat_map(|f| &f.findings)
        .next()
        .expect("a V005 finding");
    assert!(
        finding.rule.fix_ja.contains("202407"),
        "{}",
        finding.rule.fix_ja
    );
}

#[test]
fn the_conformance_page_lists_every_rule_with_its_severity() {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/conformance.md"),
    )
    .expect("docs/conformance.md");
    let mut missing = Vec::new();
    for rule in rules::ALL {
        let severity = match rule.severity {
            rules::Severity::Error => "エラー",
            rules::Severity::Warning => "警告",
        };
        let row = format!(
            "| {} | {severity} | {} |",
            rule.id,
            rule.title_ja.replace('\\', "")
        );
        if !page.contains(&row) {
            missing.push(row);
        }
    }
    assert!(
        missing.is_empty(),
        "rows missing from docs/conformance.md:\n{}",
        missing.join("\n")
    );
}
