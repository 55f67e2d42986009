//! Two relays on one PostgreSQL database, as two hub processes behind one address: a parcel
//! sent through one is learnt of, delivered and acknowledged through the other, and both
//! keep one audit log.

use std::time::{Duration, Instant};

use renkei_hub::relay::{DAY, RelayConfig};
use renkei_office::client::HubClient;
use renkei_office::parcel;
use renkei_office::profile::Profile;
use renkei_seal::receipt::{Action, Checkpoint};
use renkei_testkit::{file, named, now, pair, send, start_on};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parcel_sent_through_one_relay_arrives_through_another() {
    let hub = start_on(RelayConfig::default(), true).await;
    let other = hub.another_process(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    // The provider talks to the other relay.
    let mut profile = Profile::load(&provider.profile.dir).unwrap();
    profile.hub = Some(other.url.clone());
    let elsewhere = HubClient::for_office(&profile).unwrap();

    let waiting = {
        let client = elsewhere.clone();
        tokio::spawn(async move {
            let asked = Instant::now();
            let items = client.inbox(None, Duration::from_secs(30)).await.unwrap();
            (items, asked.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let files = [file(&named("UP1KYO", &planner, &provider), "第1表")];
    send(&planner, &provider, &files, "shared-1").await.unwrap();
    let (items, waited) = waiting.await.unwrap();
    assert_eq!(items.len(), 1);
    assert!(
        waited < Duration::from_secs(10),
        "woken through the database, not by the end of the wait"
    );

    let item = &items[0];
    let payload = elsewhere.payload(&item.parcel.id).await.unwrap();
    let opened = parcel::open(&provider.profile, item, &payload).unwrap();
    assert_eq!(opened.files, files);
    let acknowledgement = parcel::acknowledgement(&provider.profile, item, now()).unwrap();
    elsewhere
        .acknowledge(&item.parcel.id, &acknowledgement)
        .await
        .unwrap();

    // The sender, on the first relay, sees every step in one log.
    let trust = planner.profile.trust().unwrap();
    let steps: Vec<(Action, u64)> = planner
        .client
        .receipts(&item.parcel.id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.verify(&trust).unwrap())
        .map(|r| (r.action, r.log_index))
        .collect();
    assert_eq!(
        steps,
        [
            (Action::Accepted, 0),
            (Action::Downloaded, 1),
            (Action::Acknowledged, 2)
        ]
    );
    let head = |client: HubClient| async move {
        let signed = client.checkpoint().await.unwrap();
        serde_json::from_str::<Checkpoint>(&signed.body).unwrap()
    };
    let (a, b) = (head(hub.anonymous()).await, head(elsewhere.clone()).await);
    assert_eq!((a.size, &a.root), (b.size, &b.root));

    // Sweeping on both at once tells the sender once.
    send(&planner, &provider, &files, "shared-2").await.unwrap();
    let later = now() + 8 * DAY;
    let (one, two) = tokio::join!(hub.relay.sweep(later), other.relay.sweep(later));
    assert_eq!(
        one.unwrap().not_delivered + two.unwrap().not_delivered,
        1,
        "one notice, whichever relay gave it"
    );
}
