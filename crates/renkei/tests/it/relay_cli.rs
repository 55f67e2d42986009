//! The relay through the command line, over real TLS on loopback: init, codes, two
//! offices enrolling, send, receive, acknowledge, receipts verified offline; then a
//! revocation, and a clean stop.

use crate::common::{HubProcess, enrol, free_port, ok, renkei};
use renkei_spec::generate::{self, World};
use renkei_spec::progress::Silent;

#[test]
fn offices_exchange_files_through_a_relay_by_command_line() {
    let work = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&work.path().join("hub"), free_port());
    let config = crate::common::month(3, 1, 3);
    let world = World::new(config.clone());
    let (planner_office, provider_office) = (&world.planners[0], &world.providers[0]);
    let provider_number = provider_office.number.as_str();
    let planner = work.path().join("planner");
    let provider = work.path().join("provider");
    enrol(
        &hub,
        &planner,
        planner_office.number.as_str(),
        &planner_office.name,
        "43",
    );
    enrol(
        &hub,
        &provider,
        provider_number,
        &provider_office.name,
        provider_office.kind.as_str(),
    );
    let listed = ok(&["hub", "--data", hub.data.to_str().unwrap(), "offices"]);
    assert!(
        listed.contains(&provider_office.name) && listed.contains("2件"),
        "{listed}"
    );

    // The planner's month for the provider, as its care software wrote it.
    let outgoing = work.path().join("out");
    std::fs::create_dir_all(&outgoing).unwrap();
    let mut names = Vec::new();
    let mut paths = Vec::new();
    generate::generate::<renkei_spec::Error>(config, &Silent, |file| {
        if file.name.from == planner_office.number {
            let path = outgoing.join(file.name.to_string());
            std::fs::write(&path, &file.bytes).unwrap();
            names.push(file.name.to_string());
            paths.push(path.to_str().unwrap().to_owned());
        }
        Ok(())
    })
    .unwrap();
    let planner_dir = planner.to_str().unwrap();
    let mut send = vec!["office", "--dir", planner_dir, "send"];
    send.extend(paths.iter().map(String::as_str));
    let sent = ok(&send);
    assert!(sent.contains("送信しました"), "{sent}");
    for name in &names {
        assert!(
            !outgoing.join(name).exists(),
            "a sent file leaves its folder"
        );
        assert!(planner.join("sent").join(name).exists());
    }
    // The same files sent again (the clerk copied them back) do not make a second parcel.
    for (name, path) in names.iter().zip(&paths) {
        std::fs::copy(planner.join("sent").join(name), path).unwrap();
    }
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
    assert!(
        received.contains(&format!("{}ファイル", names.len())),
        "{received}"
    );
    let parcel_id = received
        .split_whitespace()
        .skip_while(|w| *w != "received:")
        .nth(1)
        .unwrap()
        .to_owned();
    for name in &names {
        let arrived = import.join(name);
        assert_eq!(
            std::fs::read(arrived).unwrap(),
            std::fs::read(planner.join("sent").join(name)).unwrap()
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
    std::fs::write(&altered, text.replacen(provider_number, "1399999999", 1)).unwrap();
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
        provider_number,
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
