//! Every refusal of the relay, each with its own code, through the API over mutual TLS.

mod common;

use std::time::Duration;

use common::{Office, file, named, now, pair, refusal, send, start};
use renkei_hub::relay::RelayConfig;
use renkei_office::client::HubClient;
use renkei_office::parcel;
use renkei_office::profile::Profile;
use renkei_seal::manifest::SignedManifest;
use renkei_seal::receipt::{Acknowledgement, Signed};
use renkei_seal::{Authority, CertificateRequest, OfficeIdentity, PrivateKey};

fn plan(from: &Office, to: &Office) -> Vec<renkei_seal::ArchivedFile> {
    vec![file(&named("UP1KYO", from, to), "第1表")]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_endpoints_need_a_certificate() {
    let hub = start(RelayConfig::default()).await;
    let code = refusal(hub.anonymous().inbox(None, Duration::ZERO).await);
    assert_eq!(code, "certificate_required");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_from_another_authority_is_unknown() {
    let hub = start(RelayConfig::default()).await;
    let foreign = Authority::create("よその認証局", 1).unwrap();
    let mut profile = Profile::init(&hub.dir.path().join("foreign"), "1310000043").unwrap();
    let request = CertificateRequest::from_pem(profile.request_pem().unwrap().as_bytes()).unwrap();
    let identity = OfficeIdentity::new("1310000043", &["43"], "偽の事業所").unwrap();
    let certificate = foreign.issue_office(&request, &identity, 30).unwrap();
    let authority = String::from_utf8(hub.authority.to_pem().unwrap()).unwrap();
    profile
        .save_enrolment(
            &hub.url,
            std::str::from_utf8(&certificate.to_pem().unwrap()).unwrap(),
            &authority,
        )
        .unwrap();
    let client = HubClient::for_office(&profile).unwrap();
    assert_eq!(refusal(client.me().await), "certificate_unknown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_certificate_is_refused_as_expired() {
    let config = RelayConfig {
        certificate_days: 0,
        ..RelayConfig::default()
    };
    let hub = start(config).await;
    let office = hub.office("1310000043", "架空居宅介護支援", &["43"]).await;
    // Valid until the second it was issued.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(refusal(office.client.me().await), "certificate_expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_office_is_refused_until_started_again() {
    let hub = start(RelayConfig::default()).await;
    let (_planner, provider) = pair(&hub).await;
    let operator = hub.operator().await;
    operator.set_active("1310000011", false).await.unwrap();
    assert_eq!(refusal(provider.client.me().await), "office_inactive");
    operator.set_active("1310000011", true).await.unwrap();
    provider.client.me().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_certificate_is_refused_at_once() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let operator = hub.operator().await;
    let revoked = operator.revoke("1310000043", "鍵の紛失").await.unwrap();
    assert_eq!(revoked.len(), 1);
    assert_eq!(refusal(planner.client.me().await), "certificate_revoked");
    assert_eq!(
        refusal(send(&planner, &provider, &plan(&planner, &provider), "x").await),
        "certificate_revoked"
    );
}

/// A parcel from the planner to the provider, built but not sent.
fn built(planner: &Office, provider: &Office, id: &str) -> parcel::Outgoing {
    parcel::build(
        &planner.profile,
        &provider.profile.number,
        provider.profile.certificate().unwrap(),
        &plan(planner, provider),
        id,
        now(),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manifest_signed_by_another_key_is_refused() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let outgoing = built(&planner, &provider, "forged");
    let manifest = outgoing.manifest.unverified().unwrap();
    let stranger = PrivateKey::generate().unwrap();
    let forged = SignedManifest::sign(&manifest, &stranger).unwrap();
    let code = refusal(planner.client.send(&forged, outgoing.payload).await);
    assert_eq!(code, "manifest_signature_invalid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manifest_naming_another_sender_is_refused() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let outgoing = built(&planner, &provider, "other-sender");
    let mut manifest = outgoing.manifest.unverified().unwrap();
    manifest.sender = "1310000099".into();
    let other_sender = SignedManifest::sign(&manifest, &planner.profile.key).unwrap();
    let code = refusal(planner.client.send(&other_sender, outgoing.payload).await);
    assert_eq!(code, "sender_mismatch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_manifest_is_refused() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let outgoing = built(&planner, &provider, "garbled");
    let garbled = SignedManifest {
        manifest: "not base64 at all!".into(),
        signature: outgoing.manifest.signature.clone(),
    };
    let code = refusal(planner.client.send(&garbled, outgoing.payload).await);
    assert_eq!(code, "manifest_invalid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_recipient_is_refused() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let outgoing = parcel::build(
        &planner.profile,
        "1399999999",
        provider.profile.certificate().unwrap(),
        &plan(&planner, &provider),
        "nobody",
        now(),
    )
    .unwrap();
    let code = refusal(
        planner
            .client
            .send(&outgoing.manifest, outgoing.payload)
            .await,
    );
    assert_eq!(code, "recipient_unknown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_recipient_is_refused() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    hub.operator()
        .await
        .set_active("1310000011", false)
        .await
        .unwrap();
    let code = refusal(send(&planner, &provider, &plan(&planner, &provider), "stopped").await);
    assert_eq!(code, "recipient_inactive");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recipient_without_a_valid_certificate_is_refused() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    hub.operator()
        .await
        .revoke("1310000011", "廃止")
        .await
        .unwrap();
    let code = refusal(send(&planner, &provider, &plan(&planner, &provider), "revoked").await);
    assert_eq!(code, "recipient_inactive");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actuals_sent_to_a_provider_are_refused() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let other = hub.office("1310000015", "架空通所介護", &["15"]).await;
    let actual = [file(&named("UPJSK", &provider, &other), "実績")];
    let code = refusal(send(&provider, &other, &actual, "jsk").await);
    assert_eq!(code, "kind_not_receivable");
    // To a planner, 実績 goes through.
    let actual = [file(&named("UPJSK", &provider, &planner), "実績")];
    send(&provider, &planner, &actual, "jsk-ok").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_sent_by_a_provider_is_refused() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let code = refusal(
        send(
            &provider,
            &planner,
            &plan(&provider, &planner),
            "by-provider",
        )
        .await,
    );
    assert_eq!(code, "kind_not_sendable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_and_unknown_names_travel_either_way() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let report = [file("月次報告書.pdf", "%PDF-1.7 ...")];
    send(&provider, &planner, &report, "report").await.unwrap();
    let odd = [file(
        "UNKNOWN_1310000043_43_1310000011_11_20251125100000.CSV",
        "?",
    )];
    send(&planner, &provider, &odd, "odd").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payload_that_differs_from_its_manifest_is_refused() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let outgoing = built(&planner, &provider, "digest");
    let mut tampered = outgoing.payload.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    let code = refusal(planner.client.send(&outgoing.manifest, tampered).await);
    assert_eq!(code, "digest_mismatch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parcel_over_the_size_limit_is_refused() {
    let config = RelayConfig {
        max_parcel_bytes: 4096,
        ..RelayConfig::default()
    };
    let hub = start(config).await;
    let (planner, provider) = pair(&hub).await;
    send(&planner, &provider, &plan(&planner, &provider), "small")
        .await
        .unwrap();
    let big = [file(
        &named("UP1KYO", &planner, &provider),
        &"あ".repeat(3000),
    )];
    let code = refusal(send(&planner, &provider, &big, "big").await);
    assert_eq!(code, "parcel_too_large");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parcel_id_is_not_reused_for_other_content() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    send(&planner, &provider, &plan(&planner, &provider), "once")
        .await
        .unwrap();
    // Sealed afresh: other bytes under the same id.
    let code = refusal(send(&planner, &provider, &plan(&planner, &provider), "once").await);
    assert_eq!(code, "parcel_id_reused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_cannot_read_or_acknowledge_anothers_parcels() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let other = hub.office("1310000015", "架空通所介護", &["15"]).await;
    let sent = send(&planner, &provider, &plan(&planner, &provider), "private")
        .await
        .unwrap()
        .receipt
        .verify(&planner.profile.trust().unwrap())
        .unwrap();
    let id = sent.parcel_id.as_str();
    assert_eq!(refusal(other.client.payload(id).await), "parcel_not_yours");
    assert_eq!(refusal(other.client.receipts(id).await), "parcel_not_yours");
    assert_eq!(refusal(other.client.parcel(id).await), "parcel_not_yours");
    // The sender may see it but not download it.
    assert_eq!(
        refusal(planner.client.payload(id).await),
        "parcel_not_yours"
    );
    let acknowledgement = Acknowledgement {
        parcel_id: id.into(),
        recipient: other.profile.number.clone(),
        payload_sha256: sent.payload_sha256.clone(),
        time: now(),
    };
    let signed = Signed::sign(&acknowledgement, &other.profile.key).unwrap();
    assert_eq!(
        refusal(other.client.acknowledge(id, &signed).await),
        "parcel_not_yours"
    );
    assert_eq!(
        refusal(provider.client.payload("no-such-parcel").await),
        "parcel_not_found"
    );

    // The recipient's acknowledgement must be its own, about this parcel.
    let signed = Signed::sign(&acknowledgement, &provider.profile.key).unwrap();
    assert_eq!(
        refusal(provider.client.acknowledge(id, &signed).await),
        "acknowledgement_invalid"
    );
    let stranger = PrivateKey::generate().unwrap();
    let right = Acknowledgement {
        recipient: provider.profile.number.clone(),
        ..acknowledgement
    };
    let signed = Signed::sign(&right, &stranger).unwrap();
    assert_eq!(
        refusal(provider.client.acknowledge(id, &signed).await),
        "acknowledgement_invalid"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolment_codes_work_once_for_their_office() {
    let hub = start(RelayConfig::default()).await;
    let code = hub
        .relay
        .issue_code("1310000043", "架空居宅介護支援", &["43".into()], now())
        .await
        .unwrap();
    let anonymous = hub.anonymous();
    let key = PrivateKey::generate().unwrap();
    let request = |number: &str| {
        String::from_utf8(
            CertificateRequest::new(&key, number)
                .unwrap()
                .to_pem()
                .unwrap(),
        )
        .unwrap()
    };
    let wrong = refusal(anonymous.enrol(&code.code, &request("1310000011")).await);
    assert_eq!(wrong, "enrolment_office_mismatch");
    let unknown = refusal(
        anonymous
            .enrol("AAAA-BBBB-CCCC-DDDD", &request("1310000043"))
            .await,
    );
    assert_eq!(unknown, "enrolment_code_unknown");
    // Typed in lower case without hyphens, it still works.
    let typed = code.code.replace('-', "").to_lowercase();
    anonymous
        .enrol(&typed, &request("1310000043"))
        .await
        .unwrap();
    let used = refusal(anonymous.enrol(&code.code, &request("1310000043")).await);
    assert_eq!(used, "enrolment_code_used");

    let old = hub
        .relay
        .issue_code(
            "1310000011",
            "架空訪問介護",
            &["11".into()],
            now() - 15 * 86_400,
        )
        .await
        .unwrap();
    let expired = refusal(anonymous.enrol(&old.code, &request("1310000011")).await);
    assert_eq!(expired, "enrolment_code_expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operator_endpoints_need_a_login() {
    let hub = start(RelayConfig::default()).await;
    let anonymous = hub.anonymous();
    assert_eq!(
        refusal(anonymous.login(common::OPERATOR, "wrong password").await),
        "login_failed"
    );
    assert_eq!(
        refusal(anonymous.login("nobody", common::PASSWORD).await),
        "login_failed"
    );
    assert_eq!(
        refusal(anonymous.issue_code("1310000043", "x", &["43"]).await),
        "login_required"
    );
    let forged = hub.anonymous().with_token("0".repeat(64));
    assert_eq!(
        refusal(forged.revoke("1310000043", "x").await),
        "login_required"
    );

    let operator = hub.operator().await;
    let issued = operator
        .issue_code("1310000043", "架空居宅介護支援", &["43"])
        .await
        .unwrap();
    assert_eq!(issued.office, "1310000043");
    let bad = refusal(operator.issue_code("131", "x", &["43"]).await);
    assert_eq!(bad, "bad_request");
    assert_eq!(
        refusal(operator.revoke("1399999999", "x").await),
        "office_not_found"
    );
}
