//! The information base over the API with an office's certificate, on the relay's real TLS:
//! refusals arrive with their codes, and a registered care manager under consent reads the
//! records and registers a plan.

use renkei_hub::relay::RelayConfig;
use renkei_infobase::PersonKey;
use renkei_proto::ProblemCode;
use renkei_proto::RecordRequest;
use renkei_testkit::{pair, refusal, start_on};

fn postgres() -> bool {
    std::env::var("RENKEI_TEST_STORE").as_deref() == Ok("postgres")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_care_office_reads_records_only_when_the_rules_let_it() {
    let hub = start_on(RelayConfig::default(), postgres()).await;
    let (planner, provider) = pair(&hub).await;
    hub.relay
        .load(
            "131045",
            "保険者番号,被保険者番号,申請日,要介護状態区分,認定有効期間開始日,認定有効期間終了日,審査会の意見\n\
             131045,0000012345,20260401,要介護２,20260501,20270430,特になし\n",
        )
        .await
        .unwrap();
    let results = |office: &renkei_testkit::Office| {
        let client = office.client.clone();
        async move { client.base_records("131045", "0000012345", "result").await }
    };
    assert_eq!(refusal(results(&planner).await), "consent_required");
    planner
        .client
        .base_consent("131045", "0000012345")
        .await
        .unwrap();
    assert_eq!(refusal(results(&planner).await), "office_not_registered");

    let person = PersonKey::new("131045", "0000012345");
    hub.relay
        .register(&person, &planner.profile.number)
        .await
        .unwrap();
    hub.relay
        .register(&person, &provider.profile.number)
        .await
        .unwrap();
    let shown = results(&planner).await.unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].body["care_level"], "22");
    // The provider (訪問介護) is registered too, but the certification is the care manager's.
    assert_eq!(refusal(results(&provider).await), "care_managers_only");

    // Many people at once, as the console's month list asks: each person's each kind
    // decided as if asked alone, and every one of them written to that person's log.
    use renkei_infobase::RecordKind;
    use renkei_proto::{OverviewRequest, PersonRef};
    let stranger = PersonKey::new("131045", "0000099999");
    let request = OverviewRequest {
        people: [&person, &stranger]
            .iter()
            .map(|p| PersonRef {
                insurer: p.insurer.clone(),
                insured: p.insured.clone(),
            })
            .collect(),
        kinds: vec![RecordKind::Result, RecordKind::AccessLog],
    };
    let logged = |who: &PersonKey| {
        let relay = hub.relay.relay.clone();
        let who = who.clone();
        async move {
            relay
                .access_log(
                    &renkei_infobase::Participant::Person(who.clone()),
                    &who,
                    1000,
                    0,
                    0,
                )
                .await
                .unwrap()
                .len()
        }
    };
    let (before, stranger_before) = (logged(&person).await, logged(&stranger).await);
    let seen = planner.client.base_overview(&request).await.unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0].kinds[0].records.len(),
        1,
        "the result, as asked alone"
    );
    assert_eq!(seen[0].kinds[0].records[0].body["care_level"], "22");
    let code = |answer: &renkei_proto::KindAnswer| {
        answer.refused.as_ref().map(|p| p.code.as_str().to_owned())
    };
    assert_eq!(
        code(&seen[0].kinds[1]).as_deref(),
        Some("person_only"),
        "no one else's log"
    );
    assert_eq!(code(&seen[1].kinds[0]).as_deref(), Some("consent_required"));
    assert!(seen[1].kinds[0].records.is_empty());
    assert_eq!(logged(&person).await, before + 2, "both kinds logged");
    assert_eq!(
        logged(&stranger).await,
        stranger_before + 2,
        "refusals logged too"
    );
    let by_provider = provider.client.base_overview(&request).await.unwrap();
    assert_eq!(
        code(&by_provider[0].kinds[0]).as_deref(),
        Some("care_managers_only")
    );
    // A list longer than the documented bound is refused whole, nothing disclosed.
    let flood = OverviewRequest {
        people: (0..=renkei_proto::OVERVIEW_MAX_PEOPLE)
            .map(|i| PersonRef {
                insurer: "131045".into(),
                insured: format!("{i:010}"),
            })
            .collect(),
        kinds: vec![RecordKind::Result],
    };
    assert_eq!(
        refusal(planner.client.base_overview(&flood).await),
        "bad_request"
    );
    assert_eq!(
        logged(&person).await,
        before + 4,
        "the provider's two, and nothing of the flood"
    );

    let plan = RecordRequest {
        kind: renkei_infobase::RecordKind::CarePlan,
        key: "20260501".into(),
        body: serde_json::json!({"第1表": {"総合的な援助の方針": "架空の方針"}}),
    };
    let kept = planner
        .client
        .base_submit("131045", "0000012345", &plan)
        .await
        .unwrap();
    assert_eq!(
        (kept.version, kept.author.as_str()),
        (1, "office:1310000043")
    );
    let plans = provider
        .client
        .base_records("131045", "0000012345", "care_plan")
        .await
        .unwrap();
    assert_eq!(plans[0].body["第1表"]["総合的な援助の方針"], "架空の方針");
    let survey = RecordRequest {
        kind: renkei_infobase::RecordKind::Survey,
        ..plan
    };
    assert_eq!(
        refusal(
            provider
                .client
                .base_submit("131045", "0000012345", &survey)
                .await
        ),
        "record_not_yours"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_is_registered_only_when_the_person_approves_its_request() {
    let hub = start_on(RelayConfig::default(), postgres()).await;
    let (planner, provider) = pair(&hub).await;
    let person = PersonKey::new("131045", "0000054321");
    hub.relay
        .load(
            "131045",
            "保険者番号,被保険者番号,同意日\n131045,0000054321,20260401\n",
        )
        .await
        .unwrap();
    let cards = |office: &renkei_testkit::Office| {
        let client = office.client.clone();
        async move {
            client
                .base_records("131045", "0000054321", "insurance_card")
                .await
        }
    };
    // The office asks; nothing of the person's passes through it, and asking alone does
    // not register it. An unknown person gets the same answer.
    planner
        .client
        .base_request_registration("131045", "0000054321")
        .await
        .unwrap();
    planner
        .client
        .base_request_registration("131045", "0000099999")
        .await
        .unwrap();
    assert_eq!(refusal(cards(&planner).await), "office_not_registered");
    let requests = hub.relay.requests(&person).await.unwrap();
    assert_eq!(requests, [planner.profile.number.as_str()]);
    // Only the person answers: not another person, not an office.
    let other = PersonKey::new("131045", "0000012345");
    let by_other = hub
        .relay
        .answer(
            &renkei_infobase::Participant::Person(other),
            &person,
            &planner.profile.number,
            true,
        )
        .await;
    assert_eq!(by_other.unwrap_err().code(), "other_person");
    let by_office = hub
        .relay
        .answer(
            &renkei_infobase::Participant::Office {
                number: planner.profile.number.clone(),
                kinds: vec!["43".into()],
            },
            &person,
            &planner.profile.number,
            true,
        )
        .await;
    assert_eq!(by_office.unwrap_err().code(), "registration_not_yours");
    // A request that was never made cannot be approved.
    let never = hub
        .relay
        .answer(
            &renkei_infobase::Participant::Person(person.clone()),
            &person,
            &provider.profile.number,
            true,
        )
        .await;
    assert_eq!(never.unwrap_err().code(), "bad_request");
    hub.relay
        .answer(
            &renkei_infobase::Participant::Person(person.clone()),
            &person,
            &planner.profile.number,
            true,
        )
        .await
        .unwrap();
    assert!(
        cards(&planner).await.unwrap().is_empty(),
        "registered: shown"
    );
    assert!(hub.relay.requests(&person).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawal_stands_against_offices_and_bulk_uploads() {
    let hub = start_on(RelayConfig::default(), postgres()).await;
    let (planner, _) = pair(&hub).await;
    let person = PersonKey::new("131045", "0000012345");
    let consents =
        "保険者番号,被保険者番号,同意日\n131045,0000012345,20260401\n131045,0000012346,20260401\n";
    hub.relay.load("131045", consents).await.unwrap();
    hub.relay.withdraw(&person).await.unwrap();
    // No care office can restore it, by the API the office console uses.
    assert_eq!(
        refusal(planner.client.base_consent("131045", "0000012345").await),
        "consent_withdrawal_stands"
    );
    // The municipality's next file of consents leaves it withdrawn and says so.
    let loaded = hub.relay.load("131045", consents).await.unwrap();
    assert_eq!(loaded.consents, 1);
    assert_eq!(loaded.withdrawn, ["0000012345"]);
    assert_eq!(
        hub.relay.consent(&person).await.unwrap(),
        renkei_infobase::Consent::Withdrawn
    );
    // The person reads who did what: the municipality recorded, the person withdrew, the
    // office tried to restore and was refused.
    let log = hub.relay.log(&person).await.unwrap();
    let lines: Vec<(&str, Option<&str>)> = log
        .iter()
        .map(|a| (a.viewer.as_str(), a.refusal.as_deref()))
        .collect();
    assert_eq!(
        lines,
        [
            ("office:1310000043", Some("consent_withdrawal_stands")),
            ("person:131045:0000012345", None),
            ("municipality:131045", None),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plans_are_their_authors_and_decisions_the_persons() {
    let hub = start_on(RelayConfig::default(), postgres()).await;
    let (planner, provider) = pair(&hub).await;
    let other_planner = hub.office("1310000044", "別の居宅介護支援", &["43"]).await;
    let person = PersonKey::new("131045", "0000012345");
    hub.relay
        .load(
            "131045",
            "保険者番号,被保険者番号,同意日\n131045,0000012345,20260401\n",
        )
        .await
        .unwrap();
    for office in [&planner, &provider, &other_planner] {
        hub.relay
            .register(&person, &office.profile.number)
            .await
            .unwrap();
    }
    let draft = RecordRequest {
        kind: renkei_infobase::RecordKind::DraftPlan,
        key: "20260501".into(),
        body: serde_json::json!({"第1表": {"総合的な援助の方針": "架空の方針"}}),
    };
    planner
        .client
        .base_submit("131045", "0000012345", &draft)
        .await
        .unwrap();
    // Another registered office cannot write a version of the planner's draft.
    assert_eq!(
        refusal(
            other_planner
                .client
                .base_submit("131045", "0000012345", &draft)
                .await
        ),
        "record_not_authored"
    );
    // An office posting the person's decision is refused, its own draft or not.
    for decision in [
        serde_json::json!({"decision": "approved"}),
        serde_json::json!({"第1表": {}, "decided": 1}),
    ] {
        let decided = RecordRequest {
            body: decision,
            ..draft.clone()
        };
        assert_eq!(
            refusal(
                planner
                    .client
                    .base_submit("131045", "0000012345", &decided)
                    .await
            ),
            "decision_is_the_persons"
        );
    }
    // The planner writes a new version of its own draft.
    let kept = planner
        .client
        .base_submit("131045", "0000012345", &draft)
        .await
        .unwrap();
    assert_eq!(kept.version, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn municipalities_and_clinics_use_the_api_with_their_own_certificates() {
    let hub = start_on(RelayConfig::default(), postgres()).await;
    let municipality = hub.office("131045", "新宿区", &[]).await;
    let clinic = hub
        .office("1310100001", "架空内科クリニック", &["CL"])
        .await;
    let (planner, _) = pair(&hub).await;
    let header = "保険者番号,被保険者番号,申請区分,申請日\n";
    // Offices send them no files: the directory leaves them out.
    let listed: Vec<String> = planner
        .client
        .directory(&[])
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.number)
        .collect();
    assert!(listed.contains(&planner.profile.number));
    assert!(!listed.iter().any(|n| n == "131045" || n == "1310100001"));

    // A file with a bad line is refused whole, with the line in the message.
    let bad = format!("{header}131045,0000000001,新規,20261101\n131045,0000000002,新規,20261341\n");
    let refused = municipality.client.base_upload(bad.into_bytes()).await;
    match &refused {
        Err(renkei_office::Error::Refused { code, message, .. }) => {
            assert_eq!(*code, ProblemCode::UploadInvalid);
            assert!(message.contains("3行目「申請日」"), "the line: {message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let good = format!("{header}131045,0000000001,新規,20261101\n");
    let loaded = municipality
        .client
        .base_upload(good.clone().into_bytes())
        .await
        .unwrap();
    assert_eq!(
        (loaded.kind.as_str(), loaded.records),
        ("要介護認定の申請", 1)
    );
    assert_eq!(
        refusal(clinic.client.base_upload(good.into_bytes()).await),
        "record_not_yours"
    );
    assert_eq!(
        refusal(
            municipality
                .client
                .base_records("131128", "0000000001", "application")
                .await
        ),
        "other_municipality"
    );

    // The municipality asks the clinic; the clinic sees the request and writes the opinion.
    let ask = RecordRequest {
        kind: renkei_infobase::RecordKind::Opinion,
        key: "20261101".into(),
        body: serde_json::json!({"clinic": "1310100001", "state": "依頼中"}),
    };
    municipality
        .client
        .base_submit("131045", "0000000001", &ask)
        .await
        .unwrap();
    let asked = clinic.client.base_opinions().await.unwrap();
    assert_eq!(
        (asked[0].insured.as_str(), asked[0].key.as_str()),
        ("0000000001", "20261101")
    );
    assert_eq!(
        refusal(planner.client.base_opinions().await),
        "clinic_opinions_only"
    );
    let opinion = RecordRequest {
        body: serde_json::json!({"clinic": "1310100001", "state": "提出済", "diagnosis": "架空の診断"}),
        ..ask
    };
    clinic
        .client
        .base_submit("131045", "0000000001", &opinion)
        .await
        .unwrap();
    let seen = municipality
        .client
        .base_records("131045", "0000000001", "opinion")
        .await
        .unwrap();
    assert_eq!(seen.last().unwrap().body["diagnosis"], "架空の診断");
    assert_eq!(seen.last().unwrap().author, "clinic:1310100001");
    assert_eq!(
        refusal(
            clinic
                .client
                .base_records("131045", "0000000001", "burden_ratio")
                .await
        ),
        "clinic_burden_certificates"
    );
    // Nobody asked the clinic about another person.
    assert_eq!(
        refusal(
            clinic
                .client
                .base_submit("131045", "0000000002", &opinion)
                .await
        ),
        "opinion_not_requested"
    );
}
