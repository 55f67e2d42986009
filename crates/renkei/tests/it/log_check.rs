//! `renkei office log-check`: the relay's audit log only grew since the receipts the office
//! keeps; and a history rewritten behind them (an insider editing the relay's database and
//! restarting it) is caught by the office, over TLS, from the receipts alone.

use crate::common::{HubProcess, ok, planner_and_provider, renkei};

/// The provider sends `name` (a PDF) to the planner: one accepted receipt kept.
fn send_report(provider: &str, folder: &std::path::Path, name: &str) {
    let report = folder.join(name);
    std::fs::write(&report, b"%PDF-1.7 fictional monthly report").unwrap();
    let sent = ok(&[
        "office",
        "--dir",
        provider,
        "send",
        "--to",
        "1310000043",
        report.to_str().unwrap(),
    ]);
    assert!(sent.contains("送信しました"), "{sent}");
}

#[test]
fn a_log_that_only_grew_passes_and_a_rewritten_one_is_caught() {
    let work = tempfile::tempdir().unwrap();
    let (hub, planner, provider) = planner_and_provider(work.path());
    let provider = provider.to_str().unwrap();
    let folder = work.path().join("files");
    std::fs::create_dir_all(&folder).unwrap();

    // Nothing kept yet: nothing to compare, and no error.
    let said = ok(&["office", "--dir", provider, "log-check"]);
    assert!(said.contains("比べる検査点がまだありません"), "{said}");

    // Two parcels and the planner's acknowledgements: receipts at several log sizes.
    send_report(provider, &folder, "月次報告書_1.pdf");
    ok(&["office", "--dir", planner.to_str().unwrap(), "receive"]);
    send_report(provider, &folder, "月次報告書_2.pdf");
    let said = ok(&["office", "--dir", provider, "log-check"]);
    assert!(said.contains("増えただけです"), "{said}");
    assert!(said.contains("受領証 2 件"), "{said}");
    let planner_said = ok(&["office", "--dir", planner.to_str().unwrap(), "log-check"]);
    assert!(planner_said.contains("増えただけです"), "{planner_said}");

    // The insider: the relay stopped, its first entry rewritten (the triggers that forbid it
    // dropped first), the relay started again on the same address.
    let data = hub.data.clone();
    let port: u16 = hub.url.rsplit(':').next().unwrap().parse().unwrap();
    hub.stop();
    let db = rusqlite::Connection::open(data.join("renkei.db")).unwrap();
    db.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET leaf = zeroblob(32) WHERE idx = 0;",
    )
    .unwrap();
    drop(db);
    let _hub = HubProcess::start(&data, port);

    let refused = |dir: &str| {
        let out = renkei(&["office", "--dir", dir, "log-check"]);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(2), "{said}");
        assert!(said.contains("書き換えられた疑いがあります"), "{said}");
        said
    };
    // The head now has the size of the last receipt and another root: a fork on its face.
    let said = refused(provider);
    assert!(said.contains("同じ大きさ"), "{said}");
    // Once the log grows past it, the relay's own consistency proof fails the old receipts.
    send_report(provider, &folder, "月次報告書_3.pdf");
    let said = refused(provider);
    assert!(said.contains("続きになっていません"), "{said}");
}
