//! The main job and the flow it shows, with real processes on loopback.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{HubProcess, enrol, free_port, ok};
use renkei_spec::generate::{self, World};
use renkei_spec::progress::Silent;

fn files_in(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn renkei_demo_runs_the_exchange_and_leaves_its_data() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("demo");
    let printed = ok(&["demo", "--no-ui", "--dir", dir.to_str().unwrap()]);
    for said in [
        "計画書・利用票",
        "事業所が受信",
        "実績",
        "居宅が受信",
        "renkei office --dir",
    ] {
        assert!(printed.contains(said), "{said} in:\n{printed}");
    }
    // A second run clears its own folder and runs again.
    ok(&["demo", "--no-ui", "--dir", dir.to_str().unwrap()]);
    // It never clears a folder that is not its own.
    let other = work.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("keep.txt"), "大事なファイル").unwrap();
    let refused = crate::common::renkei(&["demo", "--no-ui", "--dir", other.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(other.join("keep.txt").exists());
}

#[test]
fn a_month_goes_round_between_offices_run_as_processes() {
    let work = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&work.path().join("hub"), free_port());
    let config = crate::common::month(2, 3, 40);
    let world = World::new(config.clone());
    let folder = |number: &str| work.path().join(number);
    crate::common::enrol_world(&hub, work.path(), &world);
    // Each office's export gets what the generator says it writes; each recipient expects
    // exactly the files addressed to it.
    let mut expected: BTreeMap<String, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
    generate::generate::<renkei_spec::Error>(config, &Silent, |file| {
        let name = file.name.to_string();
        let export = folder(file.name.from.as_str()).join("export");
        std::fs::create_dir_all(&export).unwrap();
        std::fs::write(export.join(&name), &file.bytes).unwrap();
        expected
            .entry(file.name.to.as_str().to_owned())
            .or_default()
            .insert(name, file.bytes);
        Ok(())
    })
    .unwrap();
    let sync = |number: &str| {
        let dir = folder(number);
        ok(&[
            "office",
            "--dir",
            dir.to_str().unwrap(),
            "sync",
            "--export",
            dir.join("export").to_str().unwrap(),
            "--import",
            dir.join("import").to_str().unwrap(),
        ])
    };
    let planner = world.planners[0].number.as_str();
    let said = sync(planner);
    assert!(said.contains("送信しました"), "{said}");
    for provider in &world.providers {
        sync(provider.number.as_str());
    }
    sync(planner);
    for office in world.planners.iter().chain(&world.providers) {
        let number = office.number.as_str();
        assert_eq!(
            files_in(&folder(number).join("import")),
            expected.remove(number).unwrap_or_default(),
            "{number} received exactly its files"
        );
        assert!(files_in(&folder(number).join("export")).is_empty());
    }
    let history = ok(&[
        "office",
        "--dir",
        folder(planner).to_str().unwrap(),
        "history",
    ]);
    assert!(history.contains("受信 実績"), "{history}");
}

#[test]
fn a_watching_sync_sends_new_exports_and_places_arrivals() {
    let work = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&work.path().join("hub"), free_port());
    let config = crate::common::month(4, 1, 3);
    let world = World::new(config.clone());
    let (planner, provider) = (&world.planners[0], &world.providers[0]);
    let planner_dir = work.path().join("planner");
    let provider_dir = work.path().join("provider");
    enrol(
        &hub,
        &planner_dir,
        planner.number.as_str(),
        &planner.name,
        planner.kind.as_str(),
    );
    enrol(
        &hub,
        &provider_dir,
        provider.number.as_str(),
        &provider.name,
        provider.kind.as_str(),
    );
    let watch = |dir: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_renkei"))
            .args(["office", "--dir", dir.to_str().unwrap(), "sync", "--watch"])
            .args(["--export", dir.join("export").to_str().unwrap()])
            .args(["--import", dir.join("import").to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let export = planner_dir.join("export");
    std::fs::create_dir_all(&export).unwrap();
    let mut watchers = [watch(&planner_dir), watch(&provider_dir)];

    // A unit with an error is refused and stays where it is; nothing arrives.
    let broken = format!(
        "UP1KYO_{}_43_{}_{}_20251130090000.CSV",
        planner.number.as_str(),
        provider.number.as_str(),
        provider.kind.as_str()
    );
    std::fs::write(export.join(&broken), "202407,131011\r\n").unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert!(files_in(&provider_dir.join("import")).is_empty());
    assert!(
        export.join(&broken).exists(),
        "a refused unit stays in the export folder"
    );
    std::fs::remove_file(export.join(&broken)).unwrap();

    // The month the care software writes (under a hidden name, then renamed) goes across.
    let mut expected = BTreeMap::new();
    generate::generate::<renkei_spec::Error>(config, &Silent, |file| {
        if file.name.from.as_str() == planner.number.as_str() {
            let name = file.name.to_string();
            let hidden = export.join(format!(".{name}.tmp"));
            std::fs::write(&hidden, &file.bytes).unwrap();
            std::fs::rename(&hidden, export.join(&name)).unwrap();
            expected.insert(name, file.bytes);
        }
        Ok(())
    })
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while files_in(&provider_dir.join("import")) != expected {
        assert!(
            std::time::Instant::now() < deadline,
            "the watching offices moved the month across"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    for watcher in &mut watchers {
        watcher.kill().unwrap();
        watcher.wait().unwrap();
    }
}

/// Every file under `dir`, recursively.
fn every_file(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            every_file(&path, found);
        } else {
            found.push(path);
        }
    }
}

#[test]
fn the_log_of_a_whole_run_holds_no_insured_number() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("demo");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_renkei"))
        .args(["demo", "--no-ui", "--dir", dir.to_str().unwrap()])
        .env("RENKEI_LOG", "debug")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let log = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(log.lines().count() > 20, "a debug log was written:\n{log}");
    // The people of the run: every 被保険者番号 of every CSV the offices exchanged.
    let mut files = Vec::new();
    every_file(&dir, &mut files);
    let mut people = std::collections::BTreeSet::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
    {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(parsed) = renkei_spec::FileName::parse(&name) else {
            continue;
        };
        let Some(layout) = renkei_spec::Layout::of(parsed.kind, parsed.generation) else {
            continue;
        };
        let bytes = std::fs::read(path).unwrap();
        let table = renkei_spec::codec::read(&bytes, renkei_spec::codec::ReadOptions::default());
        for row in table.rows() {
            let insured = row
                .col(layout, renkei_spec::layout::plan1::INSURED)
                .to_owned();
            if insured.len() == 10 {
                people.insert(insured);
            }
        }
    }
    assert!(people.len() > 10, "the run exchanged files for people");
    let told: Vec<&String> = people.iter().filter(|p| log.contains(p.as_str())).collect();
    assert!(told.is_empty(), "insured numbers in the log: {told:?}");
}
