//! Faults during a sync, with real processes on loopback: the relay stopped in the middle
//! of an office's sync and started again; an office killed in the middle of a receive and
//! run again. Every document arrives exactly once, and the import folder never shows a
//! file that is not whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{HubProcess, free_port, ok, planner_and_provider, visible};
use renkei_seal::ArchivedFile;
use renkei_spec::generate::World;

fn office_process(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_renkei"))
        .args(["office", "--dir", dir.to_str().unwrap()])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("renkei office runs")
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .count()
    })
}

/// Every visible file is one of the expected files, byte for byte.
fn assert_whole(seen: &BTreeMap<String, Vec<u8>>, expected: &BTreeMap<String, Vec<u8>>) {
    for (name, bytes) in seen {
        assert_eq!(
            Some(bytes),
            expected.get(name),
            "{name} in the import folder is whole and expected"
        );
    }
}

#[test]
fn a_relay_restarted_mid_sync_delivers_every_file_once() {
    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let data = work.path().join("hub");
    let hub = HubProcess::start(&data, port);
    let config = crate::common::month(5, 12, 240);
    let world = World::new(config.clone());
    let office_dir = |number: &str| work.path().join(number);
    crate::common::enrol_world(&hub, work.path(), &world);
    let planner = world.planners[0].number.as_str().to_owned();
    let export = work.path().join("export");
    std::fs::create_dir_all(&export).unwrap();
    // What each provider should end up with: the planner's files addressed to it.
    let expected = crate::common::export_month(config, &planner, &export);
    let total: usize = expected.values().map(BTreeMap::len).sum();

    let sent = office_dir(&planner).join("sent");
    let import = office_dir(&planner).join("import");
    let mut sync = office_process(
        &office_dir(&planner),
        &[
            "sync",
            "--export",
            export.to_str().unwrap(),
            "--import",
            import.to_str().unwrap(),
        ],
    );
    // Stop the relay as soon as the first parcel is through.
    let deadline = Instant::now() + Duration::from_secs(60);
    while count_files(&sent) == 0 {
        assert!(Instant::now() < deadline, "the sync never sent anything");
        std::thread::sleep(Duration::from_millis(1));
    }
    hub.kill();
    let moved_at_kill = count_files(&sent);
    assert!(
        moved_at_kill < total,
        "the relay stopped in the middle of the sync"
    );
    std::thread::sleep(Duration::from_millis(1500));
    let hub = HubProcess::start(&data, port);
    let status = sync.wait().unwrap();
    let mut output = String::new();
    std::io::Read::read_to_string(sync.stdout.as_mut().unwrap(), &mut output).unwrap();
    assert!(
        status.success(),
        "the sync got through after the restart:\n{output}"
    );
    assert_eq!(count_files(&export), 0, "every file left the export folder");
    assert_eq!(count_files(&sent), total);

    for (provider, files) in &expected {
        let provider_import = office_dir(provider).join("import");
        ok(&[
            "office",
            "--dir",
            office_dir(provider).to_str().unwrap(),
            "receive",
            "--import",
            provider_import.to_str().unwrap(),
        ]);
        assert_eq!(
            &visible(&provider_import),
            files,
            "{provider} got its files once"
        );
    }
    // One parcel per destination at the relay, however often the sync had to try.
    let outbox = ok(&[
        "office",
        "--dir",
        office_dir(&planner).to_str().unwrap(),
        "outbox",
    ]);
    assert!(
        outbox.contains(&format!("{}件 / parcels", expected.len())),
        "{outbox}"
    );
    drop(hub);
}

#[test]
fn an_office_killed_mid_receive_places_every_file_exactly_once() {
    const PARCELS: usize = 60;
    let work = tempfile::tempdir().unwrap();
    let (_hub, planner, provider) = planner_and_provider(work.path());

    // Large plans that pass the recipient's check: it takes them in while it is killed.
    let expected = send_large_plans(&planner, PARCELS);

    let import = provider.join("import");
    let consumed = work.path().join("consumed");
    std::fs::create_dir_all(&consumed).unwrap();
    let receive_args = ["receive", "--import", import.to_str().unwrap()];
    let mut receive = office_process(&provider, &receive_args);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let seen = visible(&import);
        assert_whole(&seen, &expected);
        if seen.len() >= 10 {
            break;
        }
        assert!(Instant::now() < deadline, "the receive placed nothing");
        std::thread::sleep(Duration::from_millis(1));
    }
    receive.kill().unwrap();
    receive.wait().unwrap();
    let placed_at_kill = visible(&import);
    assert_whole(&placed_at_kill, &expected);
    assert!(
        placed_at_kill.len() < expected.len(),
        "the office was killed in the middle of the receive"
    );
    // The care software takes what was placed, as it would, before the office runs again.
    for name in placed_at_kill.keys() {
        std::fs::rename(import.join(name), consumed.join(name)).unwrap();
    }

    ok(&[
        "office",
        "--dir",
        provider.to_str().unwrap(),
        "receive",
        "--import",
        import.to_str().unwrap(),
    ]);
    let taken = visible(&consumed);
    let placed_again = visible(&import);
    for name in placed_again.keys() {
        assert!(!taken.contains_key(name), "{name} was placed twice");
    }
    let mut all = taken;
    all.extend(placed_again);
    assert_eq!(all, expected, "every file arrived, whole");
    let leftovers: Vec<PathBuf> = std::fs::read_dir(&import)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".renkei-partial"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file is left: {leftovers:?}"
    );
    // Nothing waits at the relay any more.
    let again = ok(&[
        "office",
        "--dir",
        provider.to_str().unwrap(),
        "receive",
        "--import",
        import.to_str().unwrap(),
    ]);
    assert!(!again.contains("received:"), "{again}");
}

/// `parcels` parcels of a large 第1表 and 第2表 each from `planner` (1310000043) to
/// 1310000011; the files sent, by name.
fn send_large_plans(planner: &Path, parcels: usize) -> BTreeMap<String, Vec<u8>> {
    let mut expected = BTreeMap::new();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let office = renkei_office::Office::open(planner).unwrap();
        for n in 0..parcels {
            let serial = format!("20251201{:06}", n);
            let files: Vec<ArchivedFile> = ["UP1KYO", "UP2KYO"]
                .iter()
                .map(|prefix| ArchivedFile {
                    name: format!("{prefix}_1310000043_43_1310000011_11_{serial}.CSV"),
                    bytes: large_plan_file(prefix, n),
                })
                .collect();
            for file in &files {
                expected.insert(file.name.clone(), file.bytes.clone());
            }
            renkei_office::sending::send_files(&office, "1310000011", files)
                .await
                .unwrap();
        }
    });
    expected
}

#[test]
fn two_receivers_of_one_office_take_each_parcel_in_once() {
    // A sync in the background and the console's own receiving (or a second sync) run on
    // one PC at once: they take turns, so no parcel is taken in (and placed) twice.
    const PARCELS: usize = 30;
    let work = tempfile::tempdir().unwrap();
    let (hub, planner, provider) = planner_and_provider(work.path());
    let expected = send_large_plans(&planner, PARCELS);

    let import = provider.join("import");
    let receive_args = ["receive", "--import", import.to_str().unwrap()];
    let receivers: Vec<Child> = (0..2)
        .map(|_| office_process(&provider, &receive_args))
        .collect();
    let mut taken_in = Vec::new();
    for receiver in receivers {
        let out = receiver.wait_with_output().unwrap();
        let printed = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{printed}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        taken_in.extend(
            printed
                .lines()
                .filter_map(|l| l.split("received: ").nth(1))
                .map(|l| l.split_whitespace().next().unwrap_or_default().to_owned()),
        );
    }
    let distinct: std::collections::BTreeSet<_> = taken_in.iter().collect();
    assert_eq!(
        (taken_in.len(), distinct.len()),
        (PARCELS, PARCELS),
        "each parcel taken in by one receiver, once: {taken_in:?}"
    );
    assert_eq!(visible(&import), expected, "every file placed, whole");
    drop(hub);
}

/// A 第1表 or 第2表 from 1310000043 to 1310000011 that passes the standard's check, with
/// free text of some 12 KB so that a receive takes long enough to be killed in.
fn large_plan_file(prefix: &str, n: usize) -> Vec<u8> {
    use renkei_spec::{FileKind, Generation, Layout};
    let text = format!("{n}{}", "内容".repeat(2000));
    let (kind, record) = match prefix {
        "UP1KYO" => (
            FileKind::Plan1,
            format!(
                "202407,131045,0000000001,20251115,160-0023,東京都新宿区西新宿1丁目1番1号,,鈴木　一郎,居宅介護支援事業所わかば,160-0023,東京都新宿区西新宿2丁目2番,,1310000043,20251115,20240401,21,2,20250301,20250401,20270331,22,{text},特になし,転倒を防ぎます。,,,1310000043,"
            ),
        ),
        _ => (
            FileKind::Plan2,
            format!(
                "202407,131045,0000000001,20251115,20251115,1,{text},1,自宅で安全に入浴できる,週2回入浴できる,20251201～20260531,20251201～20260228,1,入浴介助,Y,訪問介護,1310000011,さくら訪問介護,週2回,20251201～20260228,1310000043,"
            ),
        ),
    };
    let fields: Vec<&str> = record.split(',').collect();
    let layout = Layout::of(kind, Generation::V4).unwrap();
    renkei_spec::codec::write(layout, [&fields[..]]).unwrap()
}
