//! Crash safety: several offices send at once, the hub is killed with SIGKILL in the
//! middle, and after a restart every parcel that was answered is there exactly once and
//! intact, and nothing else is half there.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{HubProcess, enrol, free_port};
use renkei_office::client::HubClient;
use renkei_office::parcel::{self, Outgoing};
use renkei_office::profile::Profile;
use renkei_seal::ArchivedFile;

const SENDERS: usize = 4;
const PARCELS_EACH: usize = 150;
/// Kill the hub once this many parcels have been answered.
const KILL_AFTER: usize = 120;

fn parcels_for(
    profile: &Profile,
    planner: &Profile,
    sender: usize,
) -> Vec<(Outgoing, Vec<ArchivedFile>)> {
    (0..PARCELS_EACH)
        .map(|n| {
            let name = format!(
                "UPJSK_202512_{}_11_{}_43_20251125{:06}.CSV",
                profile.number, planner.number, n
            );
            let files = vec![ArchivedFile {
                name,
                bytes: format!("実績 {sender}-{n} {}\r\n", "x".repeat(1000)).into_bytes(),
            }];
            let outgoing = parcel::prepare(
                profile,
                &planner.number,
                planner.certificate().unwrap(),
                &files,
                &format!("crash-{sender}-{n}"),
                renkei_seal::unix_now(),
            )
            .unwrap();
            (outgoing, files)
        })
        .collect()
}

#[test]
fn a_hub_killed_mid_load_keeps_every_answered_parcel_exactly_once() {
    kill_mid_load(None);
}

#[test]
fn one_of_two_hubs_on_postgres_killed_mid_load_loses_nothing_answered() {
    let server = std::env::var("RENKEI_TEST_POSTGRES")
        .unwrap_or_else(|_| "host=127.0.0.1 user=postgres".into());
    let name: String = renkei_seal::random_bytes::<6>()
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let url = format!("{server} dbname=renkei_test_{name}");
    kill_mid_load(Some(&url));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime
        .block_on(renkei_hub::store::PostgresStore::drop_database(&url))
        .unwrap();
}

/// Several offices send at once through one hub, or through two hubs sharing `database`;
/// the (last) hub is killed with SIGKILL in the middle. With one hub it is started again;
/// with two, the other carries on. Every parcel answered is then there exactly once, whole.
fn kill_mid_load(database: Option<&str>) {
    let work = tempfile::tempdir().unwrap();
    let port = free_port();
    let data = work.path().join("hub");
    let hub = HubProcess::start_with(&data, port, database);
    let second = database.map(|_| HubProcess::start(&data, free_port()));
    let planner_dir = work.path().join("planner");
    enrol(&hub, &planner_dir, "1310000043", "架空居宅介護支援", "43");
    let sender_dirs: Vec<_> = (0..SENDERS)
        .map(|s| {
            let dir = work.path().join(format!("provider-{s}"));
            enrol(
                &hub,
                &dir,
                &format!("13100001{s:02}"),
                &format!("架空訪問介護{s}"),
                "11",
            );
            dir
        })
        .collect();
    let planner = Profile::load(&planner_dir).unwrap();
    let prepared: Vec<_> = sender_dirs
        .iter()
        .enumerate()
        .map(|(s, dir)| {
            let mut profile = Profile::load(dir).unwrap();
            let parcels = parcels_for(&profile, &planner, s);
            // With two hubs, every other office sends through the second.
            if let (Some(second), 1) = (&second, s % 2) {
                profile.hub = Some(second.url.clone());
            }
            (profile, parcels)
        })
        .collect();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Client parcel id → the digest the hub answered for.
    let answered: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let victim = second.as_ref().unwrap_or(&hub);
    let pid = victim.child.id();
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for (profile, parcels) in &prepared {
            let client = HubClient::for_office(profile).unwrap();
            let answered = Arc::clone(&answered);
            let parcels: Vec<_> = parcels
                .iter()
                .map(|(o, _)| {
                    (
                        o.manifest.clone(),
                        o.payload.clone(),
                        o.client_parcel_id.clone(),
                    )
                })
                .collect();
            tasks.push(tokio::spawn(async move {
                for (manifest, payload, id) in parcels {
                    match client.send(&manifest, payload).await {
                        Ok(sent) => {
                            let receipt: renkei_seal::receipt::Receipt =
                                serde_json::from_str(&sent.receipt.receipt.body).unwrap();
                            answered.lock().unwrap().insert(id, receipt.payload_sha256);
                        }
                        // The hub is gone: this sender stops, its parcel in flight unknown.
                        Err(_) => return,
                    }
                }
            }));
        }
        while answered.lock().unwrap().len() < KILL_AFTER {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
        for task in tasks {
            task.await.unwrap();
        }
    });
    let hub = match second {
        // The other hub carries on.
        Some(second) => {
            second.kill();
            hub
        }
        None => {
            hub.kill();
            HubProcess::start(&data, port)
        }
    };
    let answered = answered.lock().unwrap().clone();
    assert!(answered.len() >= KILL_AFTER);
    assert!(
        answered.len() < SENDERS * PARCELS_EACH,
        "the kill came before the senders finished"
    );

    let originals: HashMap<String, (String, Vec<ArchivedFile>)> = prepared
        .iter()
        .flat_map(|(_, parcels)| parcels.iter())
        .map(|(o, files)| {
            let manifest = o.manifest.unverified().unwrap();
            (
                o.client_parcel_id.clone(),
                (manifest.payload_sha256, files.clone()),
            )
        })
        .collect();
    runtime.block_on(async {
        let client = HubClient::for_office(&planner).unwrap();
        let mut present = Vec::new();
        let mut after = None;
        loop {
            let page = client.inbox(after, Duration::ZERO).await.unwrap();
            let Some(last) = page.last() else { break };
            after = Some(last.parcel.log_index);
            present.extend(page);
        }
        let ids: HashSet<&str> = present
            .iter()
            .map(|i| i.parcel.client_parcel_id.as_str())
            .collect();
        assert_eq!(ids.len(), present.len(), "no parcel is there twice");
        for (id, digest) in &answered {
            assert!(
                ids.contains(id.as_str()),
                "answered parcel {id} survived the kill"
            );
            assert_eq!(&originals[id].0, digest);
        }
        // Whatever is there — answered or committed just before the kill — is whole.
        for item in &present {
            let payload = client.payload(&item.parcel.id).await.unwrap();
            let opened = parcel::open(&planner, item, &payload).unwrap();
            assert_eq!(opened.files, originals[&item.parcel.client_parcel_id].1);
        }
        // Sending everything again stores only what was missing.
        let mut new = 0;
        for (profile, parcels) in &prepared {
            let mut profile = Profile::load(&profile.dir).unwrap();
            profile.hub = Some(hub.url.clone());
            let sender = HubClient::for_office(&profile).unwrap();
            for (outgoing, _) in parcels {
                let sent = sender
                    .send(&outgoing.manifest, outgoing.payload.clone())
                    .await
                    .unwrap();
                new += usize::from(sent.new);
            }
        }
        assert_eq!(present.len() + new, SENDERS * PARCELS_EACH);
        // The audit log is one unbroken sequence: acceptances, then the downloads above.
        let checkpoint: renkei_seal::receipt::Checkpoint =
            serde_json::from_str(&client.checkpoint().await.unwrap().body).unwrap();
        assert_eq!(
            checkpoint.size as usize,
            SENDERS * PARCELS_EACH + present.len()
        );
    });
    assert!(hub.stop().success());
}
