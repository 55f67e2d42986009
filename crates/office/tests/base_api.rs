//! The information base over the API with an office's certificate, on the relay's real TLS:
//! refusals arrive with their codes, and a registered care manager under consent reads the
//! records and registers a plan.

mod common;

use common::{pair, refusal, start_on};
use renkei_hub::base::PersonKey;
use renkei_hub::relay::RelayConfig;
use renkei_hub::wire::RecordRequest;

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
    let results = |office: &common::Office| {
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

    let plan = RecordRequest {
        kind: renkei_hub::base::RecordKind::CarePlan,
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
        kind: renkei_hub::base::RecordKind::Survey,
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
async fn the_person_registers_the_office_at_its_counter_with_their_own_password() {
    let hub = start_on(RelayConfig::default(), postgres()).await;
    let (planner, _) = pair(&hub).await;
    let person = PersonKey::new("131045", "0000054321");
    hub.relay
        .load(
            "131045",
            "保険者番号,被保険者番号,同意日\n131045,0000054321,20260401\n",
        )
        .await
        .unwrap();
    let register = |password: &'static str| {
        let client = planner.client.clone();
        async move { client.base_register("131045", "0000054321", password).await }
    };
    // Before the person has a password of their own, nothing registers the office.
    assert_eq!(
        refusal(register("a guessed password").await),
        "sign_in_failed"
    );
    hub.relay
        .activate(&person, "the person's own password")
        .await
        .unwrap();
    assert_eq!(
        refusal(register("a guessed password").await),
        "sign_in_failed"
    );
    assert_eq!(
        refusal(
            planner
                .client
                .base_records("131045", "0000054321", "insurance_card")
                .await
        ),
        "office_not_registered"
    );
    register("the person's own password").await.unwrap();
    let shown = planner
        .client
        .base_records("131045", "0000054321", "insurance_card")
        .await
        .unwrap();
    assert!(
        shown.is_empty(),
        "registered: shown, though nothing was loaded"
    );
}
