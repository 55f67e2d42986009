//! The relay's storage, on SQLite and on PostgreSQL: parcels, their life, and the audit
//! log's proofs.

use std::sync::Arc;

use renkei_hub::Error;
use renkei_hub::store::{
    Accepted, Access, AccessAction, Account, AccountRole, Action, Backend, CertificateRecord,
    EnrolmentCode, Logged, NewParcel, NewRecord, OpinionRequest, Organisation, ParcelStore,
    PostgresStore, RegistryEntry, SqliteStore, State, Store,
};
use renkei_infobase::{Consent, PersonKey, RecordKind};
use renkei_seal::merkle;

fn parcel(n: u32, sender: &str, recipient: &str) -> NewParcel {
    let payload = format!("sealed bytes of parcel {n}").into_bytes();
    NewParcel {
        id: format!("hub-{n}"),
        sender: sender.into(),
        recipient: recipient.into(),
        client_parcel_id: format!("client-{n}"),
        payload_sha256: renkei_seal::sha256_hex(&payload),
        manifest: format!("{{\"n\":{n}}}"),
        sender_certificate: format!("fingerprint of {sender}"),
        payload,
        time: 1_764_000_000 + i64::from(n),
    }
}

fn proven(logged: &Logged) -> bool {
    let leaf = merkle::leaf_hash(logged.entry.as_bytes());
    merkle::verify_inclusion(
        &leaf,
        logged.index,
        logged.size,
        &logged.proof,
        &logged.root,
    )
}

const PLANNER: &str = "0300000100";
const PROVIDER: &str = "0300000005";

async fn a_parcel_lives_from_acceptance_to_acknowledgement_on(store: impl Store) {
    let Accepted::New(record, logged) = store.accept(parcel(1, PLANNER, PROVIDER)).await.unwrap()
    else {
        panic!("first acceptance is new")
    };
    assert!(proven(&logged));
    assert_eq!((record.state, logged.index), (State::Accepted, 0));

    let inbox = store.inbox(PROVIDER, None, 100).await.unwrap();
    assert_eq!(inbox, std::slice::from_ref(&record));
    assert!(store.inbox(PLANNER, None, 100).await.unwrap().is_empty());
    assert_eq!(
        store.payload("hub-1").await.unwrap().unwrap(),
        b"sealed bytes of parcel 1"
    );

    let (downloaded, logged) = store
        .advance("hub-1", Action::Downloaded, None, 5)
        .await
        .unwrap();
    assert_eq!(
        (downloaded.state, downloaded.downloaded),
        (State::Downloaded, Some(5))
    );
    assert!(proven(&logged));
    // Downloading again changes nothing and gives the first entry.
    let (_, again) = store
        .advance("hub-1", Action::Downloaded, None, 6)
        .await
        .unwrap();
    assert_eq!(again.index, logged.index);

    let (acknowledged, logged) = store
        .advance("hub-1", Action::Acknowledged, Some("{\"ack\":1}".into()), 7)
        .await
        .unwrap();
    assert_eq!(acknowledged.state, State::Acknowledged);
    assert_eq!(acknowledged.acknowledgement.as_deref(), Some("{\"ack\":1}"));
    assert_eq!(logged.index, 2);
    assert!(store.inbox(PROVIDER, None, 100).await.unwrap().is_empty());
    assert_eq!(
        store.outbox(PLANNER, 10).await.unwrap()[0].state,
        State::Acknowledged
    );

    let (purged, _) = store
        .advance("hub-1", Action::Purged, None, 9)
        .await
        .unwrap();
    assert_eq!(purged.state, State::Purged);
    assert!(store.payload("hub-1").await.unwrap().is_none());
    assert!(matches!(
        store.advance("hub-1", Action::NotDelivered, None, 10).await,
        Err(Error::WrongState { .. })
    ));
    assert!(matches!(
        store.advance("hub-404", Action::Downloaded, None, 10).await,
        Err(Error::NoParcel(_))
    ));
    assert_eq!(store.log_size().await.unwrap(), 4);
}

async fn the_same_parcel_id_is_accepted_once_on(store: impl Store) {
    let Accepted::New(first, first_logged) =
        store.accept(parcel(1, PLANNER, PROVIDER)).await.unwrap()
    else {
        panic!()
    };
    let mut resent = parcel(1, PLANNER, PROVIDER);
    resent.id = "hub-other".into();
    let Accepted::Again(again, logged) = store.accept(resent).await.unwrap() else {
        panic!("a resend is recognised")
    };
    assert_eq!(again, first);
    assert_eq!(logged.entry, first_logged.entry);
    assert!(proven(&logged));

    let mut changed = parcel(1, PLANNER, PROVIDER);
    changed.payload = b"other bytes".to_vec();
    changed.payload_sha256 = renkei_seal::sha256_hex(&changed.payload);
    assert!(matches!(
        store.accept(changed).await,
        Err(Error::ParcelIdReused { .. })
    ));
    // Another sender may use the same client id.
    let other = parcel(1, PROVIDER, PLANNER);
    let mut other = other;
    other.id = "hub-2".into();
    assert!(matches!(
        store.accept(other).await.unwrap(),
        Accepted::New(..)
    ));
    assert_eq!(store.log_size().await.unwrap(), 2);
}

async fn concurrent_parcels_commit_in_groups_into_one_log_on(store: impl Store) {
    let store = Arc::new(store);
    let tasks: Vec<_> = (0..300)
        .map(|n| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.accept(parcel(n, PLANNER, PROVIDER)).await })
        })
        .collect();
    let mut indices = Vec::new();
    for task in tasks {
        match task.await.unwrap().unwrap() {
            Accepted::New(_, logged) => {
                assert!(proven(&logged));
                indices.push(logged.index);
            }
            Accepted::Again(..) => panic!("every parcel is new"),
        }
    }
    indices.sort_unstable();
    assert_eq!(indices, (0..300).collect::<Vec<u64>>());
    // Every entry is proven in the final tree too.
    let size = store.log_size().await.unwrap();
    let roots: std::collections::BTreeSet<_> = {
        let mut roots = std::collections::BTreeSet::new();
        for index in [0, 1, 150, 299] {
            let logged = store.logged(index).await.unwrap();
            assert!(proven(&logged));
            assert_eq!(logged.size, size);
            roots.insert(logged.root);
        }
        roots
    };
    assert_eq!(roots.len(), 1, "one log, one root");
    assert_eq!(
        store.inbox(PROVIDER, Some(149), 1000).await.unwrap().len(),
        150
    );
}

async fn everything_is_there_after_reopening<S: Store>(open: impl AsyncFn() -> S) {
    let root_before = {
        let store = open().await;
        for n in 0..5 {
            store.accept(parcel(n, PLANNER, PROVIDER)).await.unwrap();
        }
        store
            .advance("hub-3", Action::Downloaded, None, 1)
            .await
            .unwrap();
        store.logged(0).await.unwrap().root
    };
    let store = open().await;
    assert_eq!(store.log_size().await.unwrap(), 6);
    assert_eq!(store.logged(0).await.unwrap().root, root_before);
    assert_eq!(
        store.parcel("hub-3").await.unwrap().unwrap().state,
        State::Downloaded
    );
    let Accepted::New(_, logged) = store.accept(parcel(9, PLANNER, PROVIDER)).await.unwrap() else {
        panic!()
    };
    assert_eq!(logged.index, 6);
    assert!(proven(&logged));
}

fn registered(number: &str, municipality: &str, name: &str) -> RegistryEntry {
    RegistryEntry {
        number: number.into(),
        name: format!("架空{name}事業所"),
        kind: "43".into(),
        prefecture: municipality[..2].parse().unwrap(),
        municipality: municipality.into(),
        municipality_name: name.into(),
    }
}

async fn adoption_counts_registered_enrolled_and_active_offices_on(store: impl Store) {
    let register = vec![
        registered(PLANNER, "03201", "盛岡市"),
        registered(PROVIDER, "03201", "盛岡市"),
        registered("0300000200", "03202", "宮古市"),
        registered("1300000001", "13104", "新宿区"),
    ];
    assert_eq!(store.load_registry(register.clone()).await.unwrap(), 4);
    // Loading again replaces rather than adds.
    assert_eq!(store.load_registry(register).await.unwrap(), 4);
    store
        .add_code(EnrolmentCode {
            code_sha256: "digest of a code".into(),
            office: PLANNER.into(),
            name: "架空居宅".into(),
            kinds: vec!["43".into()],
            created: 0,
            expires: i64::MAX / 2,
            used: None,
        })
        .await
        .unwrap();
    let certificate = CertificateRecord {
        fingerprint: "fingerprint".into(),
        serial: "01".into(),
        office: PLANNER.into(),
        pem: String::new(),
        not_before: 0,
        not_after: i64::MAX / 2,
        issued: 1,
        revoked: None,
        revocation_reason: None,
    };
    store
        .enrol("digest of a code", certificate, 1)
        .await
        .unwrap();
    store.accept(parcel(1, PLANNER, PROVIDER)).await.unwrap();
    store.accept(parcel(2, PLANNER, PROVIDER)).await.unwrap();
    // What the office's software reads and writes is kept as said, and only for it.
    let enrolled = store.office(PLANNER).await.unwrap().unwrap();
    assert!(enrolled.csv_reads.is_empty() && enrolled.csv_writes.is_empty());
    store
        .set_csv_versions(PLANNER, "202407,202208".into(), "202208".into())
        .await
        .unwrap();
    let declared = store.office(PLANNER).await.unwrap().unwrap();
    assert_eq!(
        (declared.csv_reads, declared.csv_writes),
        (
            vec!["202407".into(), "202208".into()],
            vec!["202208".into()]
        )
    );
    assert!(
        store
            .set_csv_versions("0399999999", String::new(), String::new())
            .await
            .is_err(),
        "an office not enrolled has nothing to change"
    );

    let by_prefecture = store.adoption(None, 0).await.unwrap();
    let counts: Vec<(&str, u64, u64, u64)> = by_prefecture
        .iter()
        .map(|a| (a.area.as_str(), a.registered, a.enrolled, a.active))
        .collect();
    assert_eq!(counts, [("03", 3, 1, 2), ("13", 1, 0, 0)]);
    let by_municipality = store.adoption(Some(3), 0).await.unwrap();
    let counts: Vec<(&str, &str, u64, u64, u64)> = by_municipality
        .iter()
        .map(|a| {
            (
                a.area.as_str(),
                a.name.as_str(),
                a.registered,
                a.enrolled,
                a.active,
            )
        })
        .collect();
    assert_eq!(
        counts,
        [("03201", "盛岡市", 2, 1, 2), ("03202", "宮古市", 1, 0, 0)]
    );
    // Nobody was active after the parcels.
    let later = store.adoption(None, 1_764_000_100).await.unwrap();
    assert!(later.iter().all(|a| a.active == 0));

    let pairs = store.pairs(0, 10).await.unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        (
            pairs[0].sender.as_str(),
            pairs[0].recipient.as_str(),
            pairs[0].parcels
        ),
        (PLANNER, PROVIDER, 2)
    );
}

async fn an_operator_session_ends_at_sign_out_on(store: impl Store) {
    store
        .set_operator("operator", "hash", "SECRET", 1)
        .await
        .unwrap();
    assert_eq!(
        store.operator_password("operator").await.unwrap(),
        Some(("hash".into(), Some("SECRET".into())))
    );
    // A one-time code's step signs in once, and no earlier one after it.
    assert!(store.claim_operator_step("operator", 100).await.unwrap());
    assert!(!store.claim_operator_step("operator", 100).await.unwrap());
    assert!(!store.claim_operator_step("operator", 99).await.unwrap());
    assert!(store.claim_operator_step("operator", 101).await.unwrap());
    assert!(!store.claim_operator_step("nobody", 102).await.unwrap());
    store
        .add_session("digest one", "operator", 1_000)
        .await
        .unwrap();
    store
        .add_session("digest two", "operator", 1_000)
        .await
        .unwrap();
    assert_eq!(
        store.session("digest one", 10).await.unwrap().as_deref(),
        Some("operator")
    );
    store.end_session("digest one").await.unwrap();
    assert_eq!(store.session("digest one", 10).await.unwrap(), None);
    assert_eq!(
        store.session("digest two", 10).await.unwrap().as_deref(),
        Some("operator")
    );
    assert_eq!(
        store.session("digest two", 1_000).await.unwrap(),
        None,
        "expired"
    );
}

async fn a_persons_records_keep_every_version_with_consent_registrations_and_accesses_on(
    store: impl Store,
) {
    let person = PersonKey::new("131045", "0000012345");
    let neighbour = PersonKey::new("131045", "0000054321");
    let record = |person: &PersonKey, kind, key: &str, body: &str, time| NewRecord {
        person: person.clone(),
        kind,
        key: key.into(),
        body: body.into(),
        author: "municipality:131045".into(),
        time,
    };
    let kept = store
        .put_records(vec![
            record(
                &person,
                RecordKind::InsuranceCard,
                "card",
                r#"{"name":"架空 花子"}"#,
                1,
            ),
            record(
                &neighbour,
                RecordKind::InsuranceCard,
                "card",
                r#"{"name":"架空 太郎"}"#,
                1,
            ),
            record(
                &person,
                RecordKind::Application,
                "20260401",
                r#"{"kind":"新規"}"#,
                2,
            ),
            // A correction is a second version of the same record, in the same batch too.
            record(
                &person,
                RecordKind::InsuranceCard,
                "card",
                r#"{"name":"架空 はな子"}"#,
                3,
            ),
        ])
        .await
        .unwrap();
    let versions: Vec<i64> = kept.iter().map(|v| v.version).collect();
    assert_eq!(versions, [1, 1, 1, 2]);
    let cards = store
        .records(&person, Some(RecordKind::InsuranceCard))
        .await
        .unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(
        (cards[1].version, cards[1].body.as_str()),
        (2, r#"{"name":"架空 はな子"}"#)
    );
    assert_eq!(store.records(&person, None).await.unwrap().len(), 3);

    assert_eq!(store.consent(&person).await.unwrap(), Consent::None);
    store
        .set_consent(&person, Consent::Standing, "municipality:131045", 4)
        .await
        .unwrap();
    assert_eq!(store.consent(&person).await.unwrap(), Consent::Standing);
    store
        .set_consent(&person, Consent::Withdrawn, "person", 5)
        .await
        .unwrap();
    assert_eq!(store.consent(&person).await.unwrap(), Consent::Withdrawn);
    assert_eq!(store.consent(&neighbour).await.unwrap(), Consent::None);

    store
        .set_registration(&person, "1310000043", Some("person"), 6)
        .await
        .unwrap();
    store
        .set_registration(&person, "1310000011", Some("municipality"), 7)
        .await
        .unwrap();
    store
        .set_registration(&person, "1310000011", None, 8)
        .await
        .unwrap();
    let registrations = store.registrations(&person).await.unwrap();
    let states: Vec<(&str, &str, Option<i64>)> = registrations
        .iter()
        .map(|r| (r.office.as_str(), r.confirmed_by.as_str(), r.ended))
        .collect();
    assert_eq!(
        states,
        [
            ("1310000043", "person", None),
            ("1310000011", "municipality", Some(8))
        ]
    );

    store
        .log_access(vec![
            Access {
                person: person.clone(),
                viewer: "office:1310000043".into(),
                action: AccessAction::Read,
                kind: RecordKind::InsuranceCard,
                refusal: None,
                time: 9,
            },
            Access {
                person: person.clone(),
                viewer: "office:1310000011".into(),
                action: AccessAction::Read,
                kind: RecordKind::Survey,
                refusal: Some("care_managers_only".into()),
                time: 10,
            },
        ])
        .await
        .unwrap();
    // The consents recorded above are the oldest lines, with who recorded them.
    let log = store.access_log(&person, 10, 0).await.unwrap();
    assert_eq!(log.len(), 4);
    assert_eq!(
        (log[0].viewer.as_str(), log[0].refusal.as_deref()),
        ("office:1310000011", Some("care_managers_only"))
    );
    assert_eq!(
        (log[2].viewer.as_str(), &log[2].action),
        ("person", &AccessAction::Consent(Consent::Withdrawn))
    );
    assert_eq!(
        (log[3].viewer.as_str(), &log[3].action),
        (
            "municipality:131045",
            &AccessAction::Consent(Consent::Standing)
        )
    );
    // Paged: the second line alone, then nothing past the end.
    let second = store.access_log(&person, 1, 1).await.unwrap();
    assert_eq!(second, log[1..2]);
    assert!(store.access_log(&person, 10, 4).await.unwrap().is_empty());
    assert!(
        store
            .access_log(&neighbour, 10, 0)
            .await
            .unwrap()
            .is_empty()
    );

    // Requests to be the person's office, until answered.
    store
        .request_registration(&person, "1310000015", 11)
        .await
        .unwrap();
    store
        .request_registration(&person, "1310000015", 12)
        .await
        .unwrap();
    store
        .request_registration(&person, "1310000016", 13)
        .await
        .unwrap();
    let requests = store.registration_requests(&person).await.unwrap();
    assert_eq!(
        requests
            .iter()
            .map(|r| (r.office.as_str(), r.requested))
            .collect::<Vec<_>>(),
        [("1310000015", 11), ("1310000016", 13)]
    );
    assert!(
        store
            .drop_registration_request(&person, "1310000015")
            .await
            .unwrap()
    );
    assert!(
        !store
            .drop_registration_request(&person, "1310000015")
            .await
            .unwrap()
    );
    assert!(
        store
            .registration_requests(&neighbour)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.withdrawn_consents("131045").await.unwrap(),
        [person.insured.as_str()]
    );
}

async fn the_information_base_keeps_its_accounts_sessions_and_opinion_requests_on(
    store: impl Store,
) {
    let clinic = Organisation {
        holder: "clinic:1310100001".into(),
        name: "架空内科".into(),
        kinds: vec!["13".into()],
        created: 1,
    };
    store.put_organisation(clinic.clone()).await.unwrap();
    store
        .put_organisation(Organisation {
            holder: "municipality:131045".into(),
            name: "新宿区".into(),
            kinds: Vec::new(),
            created: 1,
        })
        .await
        .unwrap();
    assert_eq!(
        store.organisation("clinic:1310100001").await.unwrap(),
        Some(clinic.clone())
    );
    assert_eq!(store.organisation("clinic:131").await.unwrap(), None);
    assert_eq!(store.organisations("clinic:").await.unwrap(), vec![clinic]);

    let account = Account {
        holder: "clinic:1310100001".into(),
        name: "suzuki".into(),
        role: AccountRole::Admin,
        password_hash: Some("hash".into()),
        totp_secret: Some("SECRET".into()),
        activation_sha256: None,
        activation_expires: None,
        created: 2,
    };
    store.put_account(account.clone()).await.unwrap();
    assert_eq!(
        store.account("clinic:1310100001", "suzuki").await.unwrap(),
        Some(account.clone())
    );
    assert!(
        store
            .claim_totp_step("clinic:1310100001", "suzuki", 100)
            .await
            .unwrap()
    );
    assert!(
        !store
            .claim_totp_step("clinic:1310100001", "suzuki", 100)
            .await
            .unwrap()
    );
    assert!(
        !store
            .claim_totp_step("clinic:1310100001", "suzuki", 99)
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_totp_step("clinic:1310100001", "suzuki", 101)
            .await
            .unwrap()
    );

    store
        .add_portal_session("digest", "clinic:1310100001", "suzuki", 1_000)
        .await
        .unwrap();
    assert_eq!(
        store.portal_session("digest", 10).await.unwrap(),
        Some(("clinic:1310100001".into(), "suzuki".into()))
    );
    assert_eq!(
        store.portal_session("digest", 1_000).await.unwrap(),
        None,
        "expired"
    );
    // A replaced account (a new password) ends its sessions.
    store.put_account(account.clone()).await.unwrap();
    assert_eq!(store.portal_session("digest", 10).await.unwrap(), None);
    store
        .add_portal_session("digest two", "clinic:1310100001", "suzuki", 1_000)
        .await
        .unwrap();
    store.end_portal_session("digest two").await.unwrap();
    assert_eq!(store.portal_session("digest two", 10).await.unwrap(), None);
    store
        .remove_account("clinic:1310100001", "suzuki")
        .await
        .unwrap();
    assert!(
        store
            .accounts("clinic:1310100001")
            .await
            .unwrap()
            .is_empty()
    );

    let person = PersonKey::new("131045", "0000000001");
    for (key, requested) in [("20261101", 5), ("20261201", 6)] {
        store
            .add_opinion_request(OpinionRequest {
                clinic: "1310100001".into(),
                person: person.clone(),
                key: key.into(),
                requested,
            })
            .await
            .unwrap();
    }
    let asked = store.opinion_requests("1310100001").await.unwrap();
    assert_eq!(
        asked.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["20261201", "20261101"],
        "newest first"
    );
    assert!(
        store
            .opinion_requests("1310100002")
            .await
            .unwrap()
            .is_empty()
    );

    // The newest version of each application, by insured then key.
    let application = |insured: &str, key: &str, body: &str| NewRecord {
        person: PersonKey::new("131045", insured),
        kind: RecordKind::Application,
        key: key.into(),
        body: body.into(),
        author: "municipality:131045".into(),
        time: 1,
    };
    store
        .put_records(vec![
            application("0000000002", "20261101", "{\"v\":1}"),
            application("0000000001", "20261101", "{\"v\":1}"),
            application("0000000001", "20261101", "{\"v\":2}"),
        ])
        .await
        .unwrap();
    let latest = store
        .latest_records("131045", RecordKind::Application, 10, 0)
        .await
        .unwrap();
    assert_eq!(
        latest
            .iter()
            .map(|r| (r.person.insured.as_str(), r.version))
            .collect::<Vec<_>>(),
        [("0000000001", 2), ("0000000002", 1)]
    );
    let second_page = store
        .latest_records("131045", RecordKind::Application, 1, 1)
        .await
        .unwrap();
    assert_eq!(second_page[0].person.insured, "0000000002");
}

/// Run `test` on a fresh SQLite store, then on a fresh PostgreSQL database, as the relay
/// would open either.
async fn on_each_store(test: impl AsyncFn(Backend)) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Backend::Sqlite(SqliteStore::open(dir.path().join("hub.db")).unwrap());
    let _on = Failing(sqlite.name());
    test(sqlite).await;
    let database = TestDatabase::create().await;
    let postgres = Backend::Postgres(PostgresStore::connect(&database.url).await.unwrap());
    let _on = Failing(postgres.name());
    test(postgres).await;
}

/// Says which back end a failing test was running on.
struct Failing(&'static str);

impl Drop for Failing {
    #[allow(clippy::print_stderr)]
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("(on {})", self.0);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parcel_lives_from_acceptance_to_acknowledgement() {
    on_each_store(a_parcel_lives_from_acceptance_to_acknowledgement_on).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_parcel_id_is_accepted_once() {
    on_each_store(the_same_parcel_id_is_accepted_once_on).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_parcels_commit_in_groups_into_one_log() {
    on_each_store(concurrent_parcels_commit_in_groups_into_one_log_on).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adoption_counts_registered_enrolled_and_active_offices() {
    on_each_store(adoption_counts_registered_enrolled_and_active_offices_on).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_session_ends_at_sign_out() {
    on_each_store(an_operator_session_ends_at_sign_out_on).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persons_records_keep_every_version_with_consent_registrations_and_accesses() {
    on_each_store(a_persons_records_keep_every_version_with_consent_registrations_and_accesses_on)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_information_base_keeps_its_accounts_sessions_and_opinion_requests() {
    on_each_store(the_information_base_keeps_its_accounts_sessions_and_opinion_requests_on).await;
}

#[tokio::test]
async fn sqlite_keeps_everything_and_the_log_cannot_be_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hub.db");
    everything_is_there_after_reopening(async || SqliteStore::open(&path).unwrap()).await;
    let raw = rusqlite::Connection::open(&path).unwrap();
    let update = raw.execute("UPDATE audit_log SET entry = 'forged' WHERE idx = 0", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = raw.execute("DELETE FROM audit_log", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_everything_and_the_log_cannot_be_rewritten() {
    let database = TestDatabase::create().await;
    everything_is_there_after_reopening(async || {
        PostgresStore::connect(&database.url).await.unwrap()
    })
    .await;
    let raw = database.client().await;
    for forgery in [
        "UPDATE audit_log SET entry = 'forged' WHERE idx = 0",
        "DELETE FROM audit_log",
    ] {
        let error = raw.batch_execute(forgery).await.unwrap_err();
        let text = error
            .as_db_error()
            .map(|e| e.message().to_owned())
            .unwrap_or_default();
        assert!(text.contains("append-only"), "{forgery}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stores_sharing_a_database_keep_one_log_and_sweep_one_at_a_time() {
    let database = TestDatabase::create().await;
    let (one, two) = (
        Arc::new(PostgresStore::connect(&database.url).await.unwrap()),
        Arc::new(PostgresStore::connect(&database.url).await.unwrap()),
    );
    let mut arrivals = two.arrivals().expect("PostgreSQL tells of arrivals");
    // Both write at once, as two hub processes would.
    let tasks: Vec<_> = (0..200)
        .map(|n| {
            let store = Arc::clone(if n % 2 == 0 { &one } else { &two });
            tokio::spawn(async move { store.accept(parcel(n, PLANNER, PROVIDER)).await })
        })
        .collect();
    let mut indices = Vec::new();
    for task in tasks {
        let Accepted::New(_, logged) = task.await.unwrap().unwrap() else {
            panic!("every parcel is new")
        };
        assert!(proven(&logged));
        indices.push(logged.index);
    }
    indices.sort_unstable();
    assert_eq!(indices, (0..200).collect::<Vec<u64>>(), "no gap, no fork");
    let (a, b) = (one.logged(7).await.unwrap(), two.logged(7).await.unwrap());
    assert_eq!((a.size, a.root), (b.size, b.root), "one log, one root");
    // The second store heard of arrivals, including those the first committed.
    let heard = tokio::time::timeout(std::time::Duration::from_secs(5), arrivals.recv())
        .await
        .unwrap();
    assert_eq!(heard.as_deref(), Some(PROVIDER));

    // Exclusive work runs in one place at a time.
    let inner = Arc::clone(&two);
    let outer = one
        .exclusively("sweep", async move {
            inner.exclusively("sweep", async { Ok(()) }).await
        })
        .await
        .unwrap();
    assert_eq!(
        outer,
        Some(None),
        "the second was left out while the first ran"
    );
    assert_eq!(
        two.exclusively("sweep", async { Ok(1) }).await.unwrap(),
        Some(1)
    );
}

/// A fresh database on the PostgreSQL server of `RENKEI_TEST_POSTGRES` (default: the local
/// server as user postgres), dropped afterwards.
struct TestDatabase {
    url: String,
}

impl TestDatabase {
    async fn create() -> Self {
        let server = std::env::var("RENKEI_TEST_POSTGRES")
            .unwrap_or_else(|_| "host=127.0.0.1 user=postgres".into());
        let name = hex::encode(renkei_seal::random_bytes::<6>().unwrap());
        let url = format!("{server} dbname=renkei_test_{name}");
        PostgresStore::ensure_database(&url)
            .await
            .expect("PostgreSQL runs (bash .ci/run starts it)");
        Self { url }
    }

    async fn client(&self) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        client
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let url = self.url.clone();
        // Dropped from inside a runtime: a thread of its own does the async work.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(PostgresStore::drop_database(&url))
        })
        .join();
    }
}
