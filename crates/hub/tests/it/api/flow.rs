//! A parcel's whole life through the relay's API over mutual TLS: send, learn of it,
//! download, open, acknowledge, and receipts that verify offline.

use std::time::{Duration, Instant};

use renkei_hub::relay::{DAY, RelayConfig};
use renkei_office::parcel;
use renkei_seal::receipt::{Action, SignedReceipt};
use renkei_testkit::{file, named, now, send, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_travels_from_planner_to_provider_with_receipts() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = renkei_testkit::pair(&hub).await;

    let me = provider.client.me().await.unwrap();
    assert_eq!(
        (me.number.as_str(), me.kinds.as_slice()),
        ("1310000011", &["11".to_owned()][..])
    );
    let found = planner
        .client
        .directory(&[("name", "訪問"), ("prefecture", "東京都")])
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].certificate.is_some());
    let by_kind = planner.client.directory(&[("kind", "11")]).await.unwrap();
    let by_number = planner
        .client
        .directory(&[("number", "131000004")])
        .await
        .unwrap();
    assert_eq!(
        (by_kind[0].number.as_str(), by_number[0].number.as_str()),
        ("1310000011", "1310000043")
    );
    assert_eq!(
        renkei_testkit::refusal(
            planner
                .client
                .directory(&[("prefecture", "ムー大陸")])
                .await
        ),
        "bad_request"
    );

    // The provider waits on its inbox before anything is sent: it hears at once.
    let waiting = {
        let client = provider.client.clone();
        tokio::spawn(async move {
            let asked = Instant::now();
            let items = client.inbox(None, Duration::from_secs(30)).await.unwrap();
            (items, asked.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let files = [
        file(&named("UP1KYO", &planner, &provider), "第1表"),
        file(&named("UPPLAN", &planner, &provider), "予定, with a comma"),
    ];
    let sent = send(&planner, &provider, &files, "plan-1").await.unwrap();
    assert!(sent.new);
    let trust = planner.profile.trust().unwrap();
    let accepted = sent.receipt.verify(&trust).unwrap();
    assert_eq!(accepted.action, Action::Accepted);

    let (items, waited) = waiting.await.unwrap();
    assert_eq!(items.len(), 1, "the waiting inbox hears of the parcel");
    assert!(
        waited < Duration::from_secs(10),
        "woken by the send, not by the end of the wait"
    );
    let item = &items[0];
    assert_eq!(item.parcel.id, accepted.parcel_id);

    let payload = provider.client.payload(&item.parcel.id).await.unwrap();
    let opened = parcel::open(&provider.profile, item, &payload).unwrap();
    assert_eq!(opened.files, files);
    let acknowledgement = parcel::acknowledgement(&provider.profile, item, now()).unwrap();
    let receipt = provider
        .client
        .acknowledge(&item.parcel.id, &acknowledgement)
        .await
        .unwrap();
    let acknowledged = receipt.verify(&trust).unwrap();
    assert_eq!(acknowledged.action, Action::Acknowledged);
    assert!(acknowledged.acknowledgement.is_some());

    // Acknowledged parcels leave the inbox; the sender sees the state and every receipt.
    assert!(
        provider
            .client
            .inbox(None, Duration::ZERO)
            .await
            .unwrap()
            .is_empty()
    );
    let outbox = planner.client.outbox(10).await.unwrap();
    assert_eq!(outbox[0].state, "acknowledged");
    assert_eq!(outbox[0].state_ja, "取込済");
    let receipts = planner.client.receipts(&item.parcel.id).await.unwrap();
    let steps: Vec<Action> = receipts
        .iter()
        .map(|r| r.verify(&trust).unwrap().action)
        .collect();
    assert_eq!(
        steps,
        [Action::Accepted, Action::Downloaded, Action::Acknowledged]
    );
    // The provider's view of receipts verifies the same way.
    assert_eq!(
        provider
            .client
            .receipts(&item.parcel.id)
            .await
            .unwrap()
            .len(),
        3
    );

    // Anyone can ask for the proof that the log only grew from the first receipt's
    // checkpoint to the last's; the office checks it against both signed heads.
    let checkpoint_of = |signed: &SignedReceipt| signed.verify_with_checkpoint(&trust).unwrap().1;
    let older = checkpoint_of(&sent.receipt);
    let newer = checkpoint_of(&receipt);
    assert!(older.size < newer.size);
    let stranger = hub.anonymous();
    let proof = stranger.consistency(older.size, newer.size).await.unwrap();
    assert_eq!((proof.first, proof.second), (older.size, newer.size));
    renkei_seal::receipt::verify_growth(&older, &newer, &proof.proof).unwrap();
    // A proof for other sizes, or another root, does not pass.
    assert!(
        renkei_seal::receipt::verify_growth(&older, &older_with_root(&newer, &older), &proof.proof)
            .is_err()
    );
    for (first, second, code) in [
        (0, 1, "bad_request"),
        (2, 1, "bad_request"),
        (1, newer.size + 100, "log_size_unknown"),
    ] {
        assert_eq!(
            renkei_testkit::refusal(stranger.consistency(first, second).await),
            code,
            "{first}→{second}"
        );
    }

    // The operator sees the offices and the day's volume.
    let operator = hub.operator().await;
    assert_eq!(operator.offices().await.unwrap().len(), 2);
    let volumes = operator.volumes(1).await.unwrap();
    assert_eq!(volumes.iter().map(|v| v.parcels).sum::<u64>(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_again_after_a_lost_answer_returns_the_first_receipt() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = renkei_testkit::pair(&hub).await;
    let outgoing = parcel::prepare(
        &planner.profile,
        &provider.profile.number,
        provider.profile.certificate().unwrap(),
        &[file(&named("UP2KYO", &planner, &provider), "第2表")],
        "plan-2",
        now(),
    )
    .unwrap();
    let first = planner
        .client
        .send(&outgoing.manifest, outgoing.payload.clone())
        .await
        .unwrap();
    // Prepared again under the same id: the very same bytes, so the relay knows them.
    let again = parcel::prepare(
        &planner.profile,
        &provider.profile.number,
        provider.profile.certificate().unwrap(),
        &[],
        "plan-2",
        now(),
    )
    .unwrap();
    assert_eq!(again.payload, outgoing.payload);
    let second = planner
        .client
        .send(&again.manifest, again.payload)
        .await
        .unwrap();
    assert!(first.new && !second.new);
    let trust = planner.profile.trust().unwrap();
    let (first, second) = (
        first.receipt.verify(&trust).unwrap(),
        second.receipt.verify(&trust).unwrap(),
    );
    assert_eq!(
        (first.parcel_id, first.log_index, first.entry),
        (second.parcel_id, second.log_index, second.entry)
    );
    assert_eq!(
        provider
            .client
            .inbox(None, Duration::ZERO)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unacknowledged_parcels_are_noticed_then_purged() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = renkei_testkit::pair(&hub).await;
    let unread = send(
        &planner,
        &provider,
        &[file(&named("UP1KYO", &planner, &provider), "a")],
        "a",
    )
    .await
    .unwrap()
    .receipt
    .verify(&planner.profile.trust().unwrap())
    .unwrap();

    let swept = hub.relay.sweep(now() + 8 * DAY).await.unwrap();
    assert_eq!((swept.not_delivered, swept.purged), (1, 0));
    let seen = planner.client.parcel(&unread.parcel_id).await.unwrap();
    assert_eq!(
        (seen.state.as_str(), seen.state_ja.as_str()),
        ("not_delivered", "未達通知済")
    );
    // The recipient may still fetch and acknowledge it until it is purged.
    assert_eq!(
        provider
            .client
            .inbox(None, Duration::ZERO)
            .await
            .unwrap()
            .len(),
        0
    );
    provider.client.payload(&unread.parcel_id).await.unwrap();

    let swept = hub.relay.sweep(now() + 91 * DAY).await.unwrap();
    assert_eq!((swept.not_delivered, swept.purged), (0, 1));
    let code = renkei_testkit::refusal(provider.client.payload(&unread.parcel_id).await);
    assert_eq!(code, "parcel_wrong_state");
    let trust = planner.profile.trust().unwrap();
    let steps: Vec<Action> = planner
        .client
        .receipts(&unread.parcel_id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.verify(&trust).unwrap().action)
        .collect();
    // The late download is served but not logged: the notice already stands.
    assert_eq!(
        steps,
        [Action::Accepted, Action::NotDelivered, Action::Purged]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_is_described_at_openapi_json() {
    let hub = start(RelayConfig::default()).await;
    let document = renkei_hub::http::document();
    let json = serde_json::to_value(&document).unwrap();
    for path in [
        "/api/v1/parcels",
        "/api/v1/inbox",
        "/api/v1/enrol",
        "/api/v1/operator/codes",
        "/api/v1/base/people/{insurer}/{insured}/records",
        "/api/v1/base/people/{insurer}/{insured}/consent",
    ] {
        assert!(json["paths"].get(path).is_some(), "{path} documented");
    }
    // Served by the hub itself, without a certificate.
    let served = hub.anonymous().openapi().await.unwrap();
    assert_eq!(served, json);
    let checkpoint: renkei_seal::receipt::Checkpoint = hub
        .anonymous()
        .checkpoint()
        .await
        .unwrap()
        .verify(&hub.relay.notary().certificate)
        .unwrap();
    assert_eq!(
        (checkpoint.origin.as_str(), checkpoint.size),
        ("renkei-test", 0)
    );
}

/// `checkpoint` claiming `other`'s root: a head the hub never signed for that size.
fn older_with_root(
    checkpoint: &renkei_seal::receipt::Checkpoint,
    other: &renkei_seal::receipt::Checkpoint,
) -> renkei_seal::receipt::Checkpoint {
    renkei_seal::receipt::Checkpoint {
        root: other.root.clone(),
        ..checkpoint.clone()
    }
}
