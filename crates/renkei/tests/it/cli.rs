//! The command line as a person or a script uses it: real processes, real files.

use std::path::Path;
use std::process::{Command, Output};

fn renkei(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_renkei"))
        .args(args)
        .output()
        .expect("renkei runs")
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn gen_month(dir: &Path) {
    let out = renkei(&[
        "gen",
        "--seed",
        "3",
        "--planners",
        "4",
        "--providers",
        "8",
        "--users",
        "40",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text(&out).contains("ファイル"), "{}", text(&out));
}

#[test]
fn gen_then_check_passes_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    gen_month(dir.path());
    let out = renkei(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("エラー0件"), "{}", text(&out));
}

#[test]
fn a_broken_file_fails_with_its_place_and_exit_one() {
    let dir = tempfile::tempdir().unwrap();
    gen_month(dir.path());
    let victim = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("UPPLAN")
        })
        .unwrap();
    let bytes = std::fs::read(&victim).unwrap();
    // Change the first record's サービス利用日 (item 10) into the 32nd of its month.
    let line_end = bytes.iter().position(|&b| b == b'\n').unwrap() - 1;
    let first: Vec<&[u8]> = bytes[..line_end].split(|&b| b == b',').collect();
    let mut broken = first.clone();
    let bad = [&first[9][..6], b"32"].concat();
    broken[9] = &bad;
    let mut new = broken.join(&b","[..]);
    new.extend_from_slice(&bytes[line_end..]);
    std::fs::write(&victim, new).unwrap();
    let out = renkei(&[
        "check",
        "--errors-only",
        victim.parent().unwrap().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out);
    assert!(
        report.contains("I003") && report.contains("1行") && report.contains("サービス利用日"),
        "{report}"
    );

    let out = renkei(&["check", "--json", victim.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = &json["units"][0]["files"][0]["findings"];
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"]["id"] == "I003" && f["item_no"] == 10)
    );
}

#[test]
fn a_missing_path_is_explained() {
    let out = renkei(&["check", "/nonexistent/renkei"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("見つかりません"));
}

/// The V4.1 files in `dir`, as names.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_v3_month_is_converted_to_v4_1_and_passes_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let (v3, v4) = (dir.path().join("v3"), dir.path().join("v4"));
    let out = renkei(&[
        "gen",
        "--v3",
        "--seed",
        "8",
        "--providers",
        "3",
        "--users",
        "12",
        "--out",
        v3.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A plan does not say its recipient's kind: those units wait for --to-kind; the rest go.
    let out = renkei(&[
        "convert",
        "--to",
        "202407",
        "--out",
        v4.to_str().unwrap(),
        v3.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("--to-kind"), "{}", text(&out));
    assert!(
        names_in(&v4).iter().any(|n| n.starts_with("UPPLAN_")),
        "the 予定 units were converted: {:?}",
        names_in(&v4)
    );

    let out = renkei(&[
        "convert",
        "--to",
        "202407",
        "--to-kind",
        "11",
        "--out",
        v4.to_str().unwrap(),
        v3.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let printed = text(&out);
    assert!(printed.contains("V4.1(202407)に変換しました"), "{printed}");
    assert!(
        printed.contains("第3表"),
        "the missing 第3表 is said: {printed}"
    );
    assert_eq!(
        names_in(&v4).len(),
        names_in(&v3).len(),
        "one V4.1 file for each V3 file"
    );
    assert!(
        names_in(&v4).iter().all(|n| n.split('_').count() >= 6),
        "{:?}",
        names_in(&v4)
    );
    let out = renkei(&["check", v4.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("エラー0件"), "{}", text(&out));
}

#[test]
fn the_conformance_kit_passes_as_written_and_a_changed_case_fails() {
    let dir = tempfile::tempdir().unwrap();
    let kit = dir.path().join("kit");
    let out = renkei(&["conformance", "--write-kit", kit.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(kit.join("README-ja.txt").exists());
    for case in [
        "S005-v4.1",
        "S005-v3",
        "I001-v3",
        "valid-sikyu-totals-v4.1",
        "V005-v4.1",
    ] {
        assert!(kit.join(case).join("expect.txt").exists(), "{case}");
    }
    let out = renkei(&["conformance", kit.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("不合格0件"), "{}", text(&out));

    // A vendor's export of the valid 予定 with 回数 left out of a service line of 第7表.
    let case = kit.join("valid-schedule-v4.1");
    let sikyu = std::fs::read_dir(&case)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| files_named(p, "UPSIKYU"))
        .unwrap();
    let bytes = std::fs::read(&sikyu).unwrap();
    let count = b",,,1,244,244,";
    let at = bytes
        .windows(count.len())
        .position(|w| w == count)
        .expect("the service line's count");
    let broken = [
        &bytes[..at],
        &b",,,,244,244,"[..],
        &bytes[at + count.len()..],
    ]
    .concat();
    std::fs::write(&sikyu, broken).unwrap();
    let out = renkei(&["conformance", kit.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let printed = text(&out);
    assert!(
        printed.contains(
            "不合格 / FAIL  valid-schedule-v4.1: 期待 / expected []、見つかったもの / found [I001]"
        ),
        "{printed}"
    );
    assert!(printed.contains("不合格1件"), "{printed}");
}

fn files_named(path: &Path, prefix: &str) -> bool {
    path.file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with(prefix)
}

#[test]
fn a_month_goes_to_json_and_back_to_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, json, back) = (
        dir.path().join("csv"),
        dir.path().join("json"),
        dir.path().join("back"),
    );
    gen_month(&csv);
    let out = renkei(&[
        "convert",
        "--to",
        "json",
        "--out",
        json.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("標準の書き方と違う"), "{}", text(&out));
    let documents = names_in(&json);
    assert!(
        documents.iter().all(|n| n.ends_with(".json")),
        "{documents:?}"
    );
    assert!(
        documents.len() < names_in(&csv).len(),
        "one document per send unit"
    );
    let out = renkei(&[
        "convert",
        "--to",
        "csv",
        "--out",
        back.to_str().unwrap(),
        json.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(names_in(&back), names_in(&csv));
    for name in names_in(&csv) {
        assert_eq!(
            std::fs::read(back.join(&name)).unwrap(),
            std::fs::read(csv.join(&name)).unwrap(),
            "{name}"
        );
    }

    // A care system's JSON with a character MS932 lacks and a misspelt field: both named,
    // nothing written.
    let document = std::fs::read_to_string(json.join(&documents[0])).unwrap();
    let broken = document
        .replacen("\"insurer\"", "\"insurer_no\"", 1)
        .replacen("\"planner_name\": \"", "\"planner_name\": \"〜", 1);
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("unit.json"), broken).unwrap();
    let out_dir = dir.path().join("bad-out");
    let out = renkei(&[
        "convert",
        "--to",
        "csv",
        "--out",
        out_dir.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let printed = text(&out);
    assert!(printed.contains("項目 insurer_no"), "{printed}");
    assert!(printed.contains("U+301C"), "{printed}");
    assert!(names_in(&out_dir).is_empty());
}

#[test]
fn the_schemas_are_written_for_care_software() {
    let dir = tempfile::tempdir().unwrap();
    let out = renkei(&["schema", "--out", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let unit: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("unit.json")).unwrap()).unwrap();
    assert_eq!(
        unit["properties"]["form"]["const"],
        "renkei-careplan-json/1"
    );
    let out = renkei(&["schema", "UPPLAN", "--v3"]);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        plan["properties"]["service_code"]["title"],
        "サービスコード"
    );
    assert!(
        plan["properties"].get("tais").is_none(),
        "V3 has no TAISコード"
    );
    let out = renkei(&["schema", "UPXXX"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("UPPLAN"));
}
