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
