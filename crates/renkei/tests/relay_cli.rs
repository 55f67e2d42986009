//! The relay through the command line, over real TLS on loopback: init, codes, two
//! offices enrolling, send, receive, acknowledge, receipts verified offline; then a
//! revocation, and a clean stop.

mod common;

use common::{HubProcess, enrol, free_port, ok, renkei};

#[test]
fn offices_exchange_files_through_a_relay_by_command_line() {
    let work = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&work.path().join("hub"), free_port());
    let planner = work.path().join("planner");
    let provider = work.path().join("provider");
    enrol(
        &hub,
        &planner,
        "1310000043",
        "架空居宅介護支援センター",
        "43",
    );
    enrol(
        &hub,
        &provider,
        "1310000011",
        "架空訪問介護ステーション",
        "11",
    );
    let listed = ok(&[
        "hub",
        "--data",
        hub.data.to_str().unwrap(),
        "offices",
        "--prefecture",
        "東京都",
    ]);
    assert!(
        listed.contains("架空訪問介護ステーション") && listed.contains("2件"),
        "{listed}"
    );

    let outgoing = work.path().join("out");
    std::fs::create_dir_all(&outgoing).unwrap();
    let names = [
        "UP1KYO_1310000043_43_1310000011_11_20251125100000.CSV",
        "UPPLAN_202512_1310000043_43_1310000011_11_20251125103000.CSV",
    ];
    let mut paths = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let path = outgoing.join(name);
        std::fs::write(
            &path,
            format!("202407,{n},\"架空の内容, with a comma\"\r\n"),
        )
        .unwrap();
        paths.push(path.to_str().unwrap().to_owned());
    }
    let planner_dir = planner.to_str().unwrap();
    let mut send = vec!["office", "--dir", planner_dir, "send", "--to", "1310000011"];
    send.extend(paths.iter().map(String::as_str));
    let sent = ok(&send);
    assert!(sent.contains("送信しました"), "{sent}");
    // Sending the same files again does not make a second parcel.
    let again = ok(&send);
    assert!(again.contains("送信済みでした"), "{again}");

    let provider_dir = provider.to_str().unwrap();
    let import = provider.join("import");
    let received = ok(&[
        "office",
        "--dir",
        provider_dir,
        "receive",
        "--import",
        import.to_str().unwrap(),
        "--wait",
        "5",
    ]);
    assert!(received.contains("2ファイル"), "{received}");
    let parcel_id = received
        .split_whitespace()
        .skip_while(|w| *w != "received:")
        .nth(1)
        .unwrap()
        .to_owned();
    for (name, path) in names.iter().zip(&paths) {
        let arrived = import.join(name);
        assert_eq!(
            std::fs::read(arrived).unwrap(),
            std::fs::read(path).unwrap()
        );
    }

    // The office keeps the parcel as it arrived, still sealed and signed.
    assert!(
        provider
            .join("received")
            .join(format!("{parcel_id}.cms"))
            .exists()
    );
    let outbox = ok(&["office", "--dir", planner_dir, "outbox"]);
    assert!(outbox.contains("取込済"), "{outbox}");
    let receipts = ok(&["office", "--dir", planner_dir, "receipts", &parcel_id]);
    assert_eq!(receipts.lines().count(), 3, "{receipts}");
    for step in ["accepted", "downloaded", "acknowledged"] {
        let file = planner
            .join("receipts")
            .join(format!("{parcel_id}-{step}.json"));
        let verified = ok(&[
            "verify-receipt",
            file.to_str().unwrap(),
            "--authority",
            hub.authority().to_str().unwrap(),
        ]);
        assert!(verified.contains("正しい受領証です"), "{verified}");
    }

    // A receipt altered by one character no longer verifies.
    let file = planner
        .join("receipts")
        .join(format!("{parcel_id}-acknowledged.json"));
    let text = std::fs::read_to_string(&file).unwrap();
    let altered = work.path().join("altered.json");
    std::fs::write(&altered, text.replacen("1310000011", "1310000012", 1)).unwrap();
    let out = renkei(&[
        "verify-receipt",
        altered.to_str().unwrap(),
        "--authority",
        hub.authority().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));

    ok(&[
        "hub",
        "--data",
        hub.data.to_str().unwrap(),
        "revoke",
        "1310000011",
        "--reason",
        "鍵の紛失",
    ]);
    // The register is re-read within seconds; wait for the hub to see the revocation.
    let mut refused = String::new();
    for _ in 0..40 {
        let out = renkei(&["office", "--dir", provider_dir, "receive"]);
        refused = String::from_utf8_lossy(&out.stderr).into_owned();
        if !out.status.success() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    assert!(refused.contains("certificate_revoked"), "{refused}");

    assert!(hub.stop().success());
}
