//! The information base through the relay: each rule of consent, registration and role
//! from the side that must be refused, and the person's access log naming every request.

use renkei_hub::Error;
use renkei_hub::relay::{Relay, RelayConfig};
use renkei_hub::setup::{HubFiles, Settings};
use renkei_hub::store::{InfobaseStore, NewRecord};
use renkei_infobase::{Consent, Participant, PersonKey, RecordKind};
use renkei_proto::ProblemCode;

const MUNICIPALITY: &str = "131045";

async fn relay(dir: &std::path::Path) -> Relay {
    let files = HubFiles::new(dir.join("hub"));
    files
        .init(&Settings {
            name: "renkei-test".into(),
            hosts: vec!["localhost".into()],
            database: None,
        })
        .unwrap();
    files.open(None, RelayConfig::default()).await.unwrap()
}

fn office(number: &str, kind: &str) -> Participant {
    Participant::Office {
        number: number.into(),
        kinds: vec![kind.into()],
    }
}

fn clinic(number: &str, care_kinds: &[&str]) -> Participant {
    Participant::Clinic {
        number: number.into(),
        care_kinds: care_kinds.iter().map(|k| (*k).to_owned()).collect(),
    }
}

fn refused<T: std::fmt::Debug>(outcome: renkei_hub::Result<T>) -> ProblemCode {
    match outcome {
        Err(error @ Error::Disclosure(_)) => {
            assert_eq!(error.status(), 403);
            error.code()
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rule_refuses_the_side_it_must() {
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(dir.path()).await;
    let municipality = Participant::Municipality {
        insurer: MUNICIPALITY.into(),
    };
    let person = PersonKey::new(MUNICIPALITY, "0000012345");
    let someone_else = PersonKey::new(MUNICIPALITY, "0000054321");
    let care_manager = office("1310000043", "43");
    let home_help = office("1310000011", "11");
    let asked_clinic = clinic("1310100001", &[]);
    let other_clinic = clinic("1310100002", &[]);
    let record = |kind, key: &str, body: &str| NewRecord {
        person: person.clone(),
        kind,
        key: key.into(),
        body: body.into(),
        author: format!("municipality:{MUNICIPALITY}"),
        time: 1,
    };
    relay
        .store()
        .put_records(vec![
            record(RecordKind::InsuranceCard, "card", r#"{"name":"架空 花子"}"#),
            record(RecordKind::BurdenRatio, "2026", r#"{"ratio":1}"#),
            record(RecordKind::Survey, "20260401", r#"{"items":{}}"#),
            record(
                RecordKind::Opinion,
                "20260401",
                r#"{"clinic":"1310100001"}"#,
            ),
            record(
                RecordKind::Opinion,
                "20260402",
                r#"{"clinic":"1310100002"}"#,
            ),
        ])
        .await
        .unwrap();
    let card = async |viewer: &Participant| {
        relay
            .disclose(viewer, &person, RecordKind::InsuranceCard, 10)
            .await
    };

    // No consent yet: no office sees anything; the municipality sees its own insured.
    assert_eq!(refused(card(&care_manager).await), "consent_required");
    assert_eq!(card(&municipality).await.unwrap().len(), 1);
    let other_town = Participant::Municipality {
        insurer: "132019".into(),
    };
    assert_eq!(refused(card(&other_town).await), "other_municipality");

    // Consent, recorded by the municipality at the application.
    assert_eq!(
        refused(
            relay
                .set_consent(&asked_clinic, &person, Consent::Standing, 11)
                .await
        ),
        "consent_not_yours"
    );
    relay
        .set_consent(&municipality, &person, Consent::Standing, 11)
        .await
        .unwrap();
    assert_eq!(refused(card(&care_manager).await), "office_not_registered");

    // An office cannot register itself; the person confirms it, or the municipality.
    assert_eq!(
        refused(
            relay
                .register_office(&care_manager, &person, "1310000043", 12)
                .await
        ),
        "registration_not_yours"
    );
    assert_eq!(
        refused(
            relay
                .register_office(
                    &Participant::Person(someone_else.clone()),
                    &person,
                    "1310000043",
                    12
                )
                .await
        ),
        "other_person"
    );
    relay
        .register_office(
            &Participant::Person(person.clone()),
            &person,
            "1310000043",
            12,
        )
        .await
        .unwrap();
    relay
        .register_office(&municipality, &person, "1310000011", 12)
        .await
        .unwrap();
    assert_eq!(card(&care_manager).await.unwrap().len(), 1);
    assert_eq!(card(&home_help).await.unwrap().len(), 1);

    // The certification's papers are the care manager's only.
    let opinions = async |viewer: &Participant| {
        relay
            .disclose(viewer, &person, RecordKind::Opinion, 13)
            .await
    };
    assert_eq!(opinions(&care_manager).await.unwrap().len(), 2);
    assert_eq!(refused(opinions(&home_help).await), "care_managers_only");
    assert_eq!(
        refused(
            relay
                .disclose(&home_help, &person, RecordKind::Survey, 13)
                .await
        ),
        "care_managers_only"
    );

    // A clinic reads the opinions it was asked for, no other, and no burden certificate.
    let own = opinions(&asked_clinic).await.unwrap();
    assert_eq!(own.len(), 1);
    assert!(own[0].body.contains("1310100001"));
    let third_clinic = clinic("1310100003", &[]);
    assert_eq!(
        refused(opinions(&third_clinic).await),
        "clinic_opinions_only"
    );
    assert_eq!(opinions(&other_clinic).await.unwrap().len(), 1);
    assert_eq!(
        refused(
            relay
                .disclose(&asked_clinic, &person, RecordKind::BurdenRatio, 14)
                .await
        ),
        "clinic_burden_certificates"
    );

    // A person reads their own records, never another's.
    let me = Participant::Person(person.clone());
    assert_eq!(card(&me).await.unwrap().len(), 1);
    assert_eq!(
        refused(
            relay
                .disclose(
                    &Participant::Person(someone_else.clone()),
                    &person,
                    RecordKind::InsuranceCard,
                    15
                )
                .await
        ),
        "other_person"
    );

    // The person ends the home help's registration, then withdraws consent.
    relay
        .end_registration(&me, &person, "1310000011", 16)
        .await
        .unwrap();
    assert_eq!(refused(card(&home_help).await), "office_not_registered");
    assert_eq!(
        refused(
            relay
                .set_consent(&care_manager, &person, Consent::Withdrawn, 17)
                .await
        ),
        "consent_not_yours"
    );
    relay
        .set_consent(&me, &person, Consent::Withdrawn, 17)
        .await
        .unwrap();
    assert_eq!(refused(card(&care_manager).await), "consent_withdrawn");

    // The access log: the person and the municipality read it; it names every request.
    assert_eq!(
        refused(relay.access_log(&care_manager, &person, 1000, 0, 18).await),
        "consent_withdrawn"
    );
    assert_eq!(
        refused(
            relay
                .access_log(&Participant::Person(someone_else), &person, 1000, 0, 18)
                .await
        ),
        "other_person"
    );
    let log = relay.access_log(&me, &person, 1000, 0, 18).await.unwrap();
    let care_managers: Vec<Option<&str>> = log
        .iter()
        .filter(|a| a.viewer == "office:1310000043" && a.kind == RecordKind::InsuranceCard)
        .map(|a| a.refusal.as_deref())
        .collect();
    assert_eq!(
        care_managers,
        [
            Some("consent_withdrawn"),
            None,
            Some("office_not_registered"),
            Some("consent_required")
        ],
        "newest first"
    );
    assert!(
        log.iter()
            .any(|a| a.viewer == "clinic:1310100001" && a.kind == RecordKind::Opinion)
    );
    // The person's own looks are not in their log (their own changes are); another
    // person's attempt is.
    assert!(
        log.iter()
            .filter(|a| a.viewer == "person:131045:0000012345")
            .all(|a| a.action != renkei_hub::store::AccessAction::Read)
    );
    assert!(
        log.iter().any(
            |a| a.viewer.starts_with("person:") && a.refusal.as_deref() == Some("other_person")
        )
    );
    assert!(
        relay
            .access_log(&municipality, &person, 1000, 0, 19)
            .await
            .is_ok()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_follow_the_roles() {
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(dir.path()).await;
    let municipality = Participant::Municipality {
        insurer: MUNICIPALITY.into(),
    };
    let person = PersonKey::new(MUNICIPALITY, "0000012345");
    let me = Participant::Person(person.clone());
    let care_manager = office("1310000043", "43");
    let home_help = office("1310000011", "11");
    let asked_clinic = clinic("1310100001", &[]);
    let new = |kind, key: &str, body: &str| NewRecord {
        person: person.clone(),
        kind,
        key: key.into(),
        body: body.into(),
        author: String::new(),
        time: 0,
    };

    // The municipality loads its own insured and asks a clinic for an opinion.
    let other_town = Participant::Municipality {
        insurer: "132019".into(),
    };
    assert_eq!(
        refused(
            relay
                .submit(
                    &other_town,
                    vec![new(RecordKind::InsuranceCard, "card", "{}")],
                    1
                )
                .await
        ),
        "other_municipality"
    );
    let kept = relay
        .submit(
            &municipality,
            vec![
                new(RecordKind::InsuranceCard, "card", r#"{"name":"架空 花子"}"#),
                new(
                    RecordKind::Opinion,
                    "20260401",
                    r#"{"clinic":"1310100001","status":"requested"}"#,
                ),
            ],
            1,
        )
        .await
        .unwrap();
    assert_eq!(kept[0].author, "municipality:131045");

    // Only the clinic asked may submit the opinion, as the next version of the request.
    let opinion = new(
        RecordKind::Opinion,
        "20260401",
        r#"{"clinic":"1310100001","status":"submitted","items":{"diagnosis":"架空の診断"}}"#,
    );
    assert_eq!(
        refused(
            relay
                .submit(&clinic("1310100002", &[]), vec![opinion.clone()], 2)
                .await
        ),
        "opinion_not_requested"
    );
    let submitted = relay.submit(&asked_clinic, vec![opinion], 2).await.unwrap();
    assert_eq!(
        (submitted[0].version, submitted[0].author.as_str()),
        (2, "clinic:1310100001")
    );

    // An office writes plans only, for a person it is registered for under consent.
    let plan = new(RecordKind::CarePlan, "20260420", r#"{"forms":"第1表…"}"#);
    assert_eq!(
        refused(relay.submit(&care_manager, vec![plan.clone()], 3).await),
        "consent_required"
    );
    relay
        .set_consent(&municipality, &person, Consent::Standing, 3)
        .await
        .unwrap();
    relay
        .register_office(&me, &person, "1310000043", 3)
        .await
        .unwrap();
    relay
        .register_office(&me, &person, "1310000011", 3)
        .await
        .unwrap();
    assert_eq!(
        refused(
            relay
                .submit(&home_help, vec![new(RecordKind::Survey, "x", "{}")], 4)
                .await
        ),
        "record_not_yours"
    );
    relay.submit(&care_manager, vec![plan], 4).await.unwrap();

    // A draft the person approves: their decision is a new version, the draft unchanged.
    relay
        .submit(
            &care_manager,
            vec![new(RecordKind::DraftPlan, "20260501", r#"{"forms":"案"}"#)],
            5,
        )
        .await
        .unwrap();
    assert_eq!(
        refused(
            relay
                .decide_draft(&care_manager, &person, "20260501", true, 6)
                .await
        ),
        "record_not_yours"
    );
    let decided = relay
        .decide_draft(&me, &person, "20260501", true, 6)
        .await
        .unwrap();
    assert_eq!(decided.version, 2);
    assert!(
        decided.body.contains(r#""decision":"approved""#),
        "{}",
        decided.body
    );
    let drafts = relay
        .disclose(&me, &person, RecordKind::DraftPlan, 7)
        .await
        .unwrap();
    assert_eq!(drafts.len(), 2);
    assert!(!drafts[0].body.contains("decision"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_municipality_loads_a_file_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(dir.path()).await;
    let municipality = Participant::Municipality {
        insurer: MUNICIPALITY.into(),
    };
    let person = PersonKey::new(MUNICIPALITY, "0000012345");
    let good = "保険者番号,被保険者番号,申請区分,申請日\n131045,0000012345,新規,20260401\n131045,0000012346,更新,20260402\n";
    let bad = "保険者番号,被保険者番号,申請区分,申請日\n131045,0000012347,新規,20260401\n131045,0000012348,再申請,20260402\n";
    match relay.load(&municipality, bad.as_bytes(), 1).await {
        Err(error @ Error::UploadInvalid { .. }) => {
            assert_eq!(
                (error.code(), error.status()),
                (ProblemCode::UploadInvalid, 422)
            );
            assert!(error.to_string().contains("3行目「申請区分」"), "{error}");
        }
        other => panic!("expected the file refused, got {other:?}"),
    }
    let nobody = PersonKey::new(MUNICIPALITY, "0000012347");
    assert!(
        relay
            .store()
            .records(&nobody, None)
            .await
            .unwrap()
            .is_empty(),
        "nothing of a bad file is kept"
    );
    assert_eq!(
        refused(
            relay
                .load(&office("1310000043", "43"), good.as_bytes(), 1)
                .await
        ),
        "record_not_yours"
    );
    let loaded = relay.load(&municipality, good.as_bytes(), 1).await.unwrap();
    assert_eq!((loaded.lines, loaded.records), (2, 2));
    let applications = relay
        .disclose(&municipality, &person, RecordKind::Application, 2)
        .await
        .unwrap();
    assert!(applications[0].body.contains("新規"));

    let consents = "保険者番号,被保険者番号,同意日\n131045,0000012345,20260401\n";
    assert_eq!(
        relay
            .load(&municipality, consents.as_bytes(), 3)
            .await
            .unwrap()
            .consents,
        1
    );
    assert_eq!(
        relay.store().consent(&person).await.unwrap(),
        Consent::Standing
    );
}
