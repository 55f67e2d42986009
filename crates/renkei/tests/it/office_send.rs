//! `renkei office send` as a clerk uses it: a unit with an error is refused with its report
//! and stays where it is; a report (PDF) goes to the office named with `--to` and arrives
//! as an attachment.

use crate::common::{HubProcess, enrol, free_port, ok, renkei};

#[test]
fn errors_are_refused_here_and_attachments_travel() {
    let work = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&work.path().join("hub"), free_port());
    let planner = work.path().join("planner");
    let provider = work.path().join("provider");
    enrol(&hub, &planner, "1310000043", "架空居宅介護支援", "43");
    enrol(&hub, &provider, "1310000011", "架空訪問介護", "11");
    let provider_dir = provider.to_str().unwrap();
    let folder = work.path().join("files");
    std::fs::create_dir_all(&folder).unwrap();

    // 実績 with too few items: refused with the report, nothing sent, the file stays.
    let broken = folder.join("UPJSK_202512_1310000011_11_1310000043_43_20251225100000.CSV");
    std::fs::write(&broken, "202407,131011\r\n").unwrap();
    let out = renkei(&[
        "office",
        "--dir",
        provider_dir,
        "send",
        broken.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("送りませんでした") && said.contains("エラー"),
        "{said}"
    );
    assert!(broken.exists());

    // Another office's export, copied here by mistake: never sent under our signature.
    let foreign = folder.join("UPJSK_202512_1310000099_11_1310000043_43_20251225100000.CSV");
    std::fs::write(&foreign, "202407,131011\r\n").unwrap();
    let out = renkei(&[
        "office",
        "--dir",
        provider_dir,
        "send",
        foreign.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("送信元が事業所 1310000099"), "{said}");
    assert!(foreign.exists());
    std::fs::remove_file(&foreign).unwrap();

    // A PDF needs to be told where it goes.
    let report = folder.join("月次報告書_202512.pdf");
    std::fs::write(&report, b"%PDF-1.7 fictional monthly report").unwrap();
    let out = renkei(&[
        "office",
        "--dir",
        provider_dir,
        "send",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("標準仕様のファイル名ではありません"));
    let sent = ok(&[
        "office",
        "--dir",
        provider_dir,
        "send",
        "--to",
        "1310000043",
        report.to_str().unwrap(),
    ]);
    assert!(sent.contains("送信しました"), "{sent}");
    assert!(!report.exists() && provider.join("sent").join("月次報告書_202512.pdf").exists());

    let received = ok(&["office", "--dir", planner.to_str().unwrap(), "receive"]);
    assert!(received.contains("添付 1件"), "{received}");
    let arrived = planner
        .join("attachments")
        .join("1310000011")
        .join("月次報告書_202512.pdf");
    assert_eq!(
        std::fs::read(arrived).unwrap(),
        b"%PDF-1.7 fictional monthly report"
    );
}
