//! `renkei office send` as a clerk uses it: a unit with an error is refused with its report
//! and stays where it is; a report (PDF) goes to the office named with `--to` and arrives
//! as an attachment.

use crate::common::{HubProcess, free_port, ok, planner_and_provider, renkei};

#[test]
fn errors_are_refused_here_and_attachments_travel() {
    let work = tempfile::tempdir().unwrap();
    let (_hub, planner, provider) = planner_and_provider(work.path());
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
    // The ledger names it beside the (no) standard files, for the inbox to say so.
    let office = renkei_office::Office::open(&planner).unwrap();
    let parcels = office.ledger.received_parcels(0, i64::MAX, 10).unwrap();
    assert_eq!(parcels.len(), 1);
    assert!(parcels[0].files.is_empty());
    assert_eq!(parcels[0].attachments, ["月次報告書_202512.pdf"]);
}

/// The names of the standard's files in `dir`.
fn names(dir: &std::path::Path) -> Vec<String> {
    crate::common::visible(dir).into_keys().collect()
}

/// A planner whose care software still writes V3 sends its month through `renkei office
/// sync`: the partner that said its software reads only V4.1 gets V4.1 that passes the
/// check, with what V3 could not fill said to the sender; the one that reads V3 gets the
/// files as written. The sent folder keeps both forms.
#[test]
fn a_v3_month_reaches_a_partner_that_reads_only_v4_1_converted() {
    let work = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&work.path().join("hub"), free_port());
    let config = renkei_spec::generate::Config {
        generation: renkei_spec::Generation::V3,
        ..crate::common::month(11, 2, 6)
    };
    let world = renkei_spec::generate::World::new(config.clone());
    crate::common::enrol_world(&hub, work.path(), &world);
    let planner = work.path().join(world.planners[0].number.as_str());
    let (modern, older) = (&world.providers[0], &world.providers[1]);
    let older_dir = work.path().join(older.number.as_str());
    // Offices start as reading V4.1 only (init's default, told to the relay at enrolment);
    // the second provider's software reads V3 too.
    let said = ok(&[
        "office",
        "--dir",
        older_dir.to_str().unwrap(),
        "csv-versions",
        "--reads",
        "202407,202208",
        "--writes",
        "V3",
    ]);
    assert!(said.contains("事業所検索に載せました"), "{said}");
    assert!(
        said.contains("取込 (reads) V4.1・V3、出力 (writes) V3"),
        "{said}"
    );

    let export = work.path().join("export");
    std::fs::create_dir_all(&export).unwrap();
    let expected = crate::common::export_month(config, world.planners[0].number.as_str(), &export);
    let synced = ok(&[
        "office",
        "--dir",
        planner.to_str().unwrap(),
        "sync",
        "--export",
        export.to_str().unwrap(),
        "--import",
        planner.join("import").to_str().unwrap(),
    ]);
    assert!(
        synced.contains(&format!(
            "V3をV4.1に変換して送ります(送信先 {} の介護ソフトはV4.1だけを読みます)",
            modern.number
        )),
        "{synced}"
    );
    assert!(
        !synced.contains(&format!("送信先 {} の介護ソフトはV4.1だけ", older.number)),
        "{synced}"
    );
    assert!(
        synced.contains("第3表"),
        "the missing 第3表 is said: {synced}"
    );
    assert!(names(&export).is_empty(), "everything left: {synced}");

    for (office, converted) in [(modern, true), (older, false)] {
        let dir = work.path().join(office.number.as_str());
        let import = dir.join("import");
        ok(&[
            "office",
            "--dir",
            dir.to_str().unwrap(),
            "receive",
            "--import",
            import.to_str().unwrap(),
        ]);
        let written: Vec<String> = expected[office.number.as_str()].keys().cloned().collect();
        let arrived = names(&import);
        assert_eq!(arrived.len(), written.len(), "{arrived:?}");
        if converted {
            // V4.1 names carry both offices' service kinds.
            assert!(
                arrived.iter().all(|n| renkei_spec::FileName::parse(n)
                    .is_ok_and(|name| name.generation == renkei_spec::Generation::V4)),
                "{arrived:?}"
            );
            let checked = ok(&["check", import.to_str().unwrap()]);
            assert!(checked.contains("エラー0件"), "{checked}");
            let first = &crate::common::visible(&import)[&arrived[0]];
            assert!(first.starts_with(b"202407,"), "V4.1 records");
        } else {
            assert_eq!(arrived, written, "V3 as the care software wrote it");
        }
    }
    // The sent folder keeps what the care software wrote, and what went to the V4.1 office.
    let kept = names(&planner.join("sent"));
    for name in expected.values().flat_map(|files| files.keys()) {
        assert!(kept.contains(name), "{name} is kept as written: {kept:?}");
    }
    assert_eq!(
        kept.len(),
        expected.values().map(|f| f.len()).sum::<usize>() + expected[modern.number.as_str()].len()
    );
}
