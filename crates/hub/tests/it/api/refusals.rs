//! Every refusal of the relay, each with its own code, through the API over mutual TLS.

use renkei_proto::ProblemCode;
use std::time::Duration;

use renkei_hub::relay::RelayConfig;
use renkei_office::client::HubClient;
use renkei_office::parcel;
use renkei_office::profile::Profile;
use renkei_seal::manifest::SignedManifest;
use renkei_seal::receipt::{Acknowledgement, Signed};
use renkei_seal::{Authority, CertificateRequest, OfficeIdentity, PrivateKey};
use renkei_testkit::{Office, file, named, now, pair, refusal, send, start, valid_actual};

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

/// A parcel of `files` from one office to another, built but not sent.
fn built_with(
    from: &Office,
    to: &Office,
    files: &[renkei_seal::ArchivedFile],
    id: &str,
) -> parcel::Outgoing {
    parcel::build(
        &from.profile,
        &to.profile.number,
        to.profile.certificate().unwrap(),
        files,
        id,
        now(),
    )
    .unwrap()
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
    let code = hub.operator_code();
    assert_eq!(
        refusal(
            anonymous
                .login(renkei_testkit::OPERATOR, "wrong password", &code)
                .await
        ),
        "login_failed"
    );
    assert_eq!(
        refusal(
            anonymous
                .login("nobody", renkei_testkit::PASSWORD, &code)
                .await
        ),
        "login_failed"
    );
    // The right password without the authenticator's code does not sign in.
    assert_eq!(
        refusal(
            anonymous
                .login(renkei_testkit::OPERATOR, renkei_testkit::PASSWORD, "000000")
                .await
        ),
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

/// `outgoing` with its manifest changed by `change` and signed again by `from`, as a
/// modified office client would send it.
fn resigned(
    from: &Office,
    outgoing: &parcel::Outgoing,
    change: impl FnOnce(&mut renkei_seal::manifest::Manifest),
) -> SignedManifest {
    let mut manifest = outgoing.manifest.unverified().unwrap();
    change(&mut manifest);
    SignedManifest::sign(&manifest, &from.profile.key).unwrap()
}

/// A provider sends C a 予定 that names another planner as its sender, hiding its kind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_naming_another_sender_is_refused_whatever_kind_is_declared() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let other_planner = hub.office("1310000044", "別の居宅介護支援", &["43"]).await;
    let forged = [file(&named("UPPLAN", &other_planner, &planner), "予定")];
    let outgoing = built_with(&provider, &planner, &forged, "forged-name");
    for declared in [None, Some("UPPLAN"), Some("UPJSK")] {
        let manifest = resigned(&provider, &outgoing, |m| {
            m.files[0].kind = declared.map(str::to_owned)
        });
        let code = refusal(
            provider
                .client
                .send(&manifest, outgoing.payload.clone())
                .await,
        );
        assert_eq!(code, "file_sender_mismatch", "kind {declared:?}");
    }
    // Its own name, to someone else than the parcel's recipient.
    let misaddressed = [file(&named("UPJSK", &provider, &other_planner), "実績")];
    let code = refusal(send(&provider, &planner, &misaddressed, "misaddressed").await);
    assert_eq!(code, "file_recipient_mismatch");
    // A standard file declared as an attachment, or an attachment declared as a kind.
    let actual = [file(&named("UPJSK", &provider, &planner), "実績")];
    let outgoing = built_with(&provider, &planner, &actual, "hidden-kind");
    let hidden = resigned(&provider, &outgoing, |m| m.files[0].kind = None);
    let code = refusal(
        provider
            .client
            .send(&hidden, outgoing.payload.clone())
            .await,
    );
    assert_eq!(code, "kind_mismatch");
    let report = [file("報告書.pdf", "%PDF")];
    let outgoing = built_with(&provider, &planner, &report, "declared-attachment");
    let declared = resigned(&provider, &outgoing, |m| {
        m.files[0].kind = Some("UPJSK".into())
    });
    let code = refusal(
        provider
            .client
            .send(&declared, outgoing.payload.clone())
            .await,
    );
    assert_eq!(code, "kind_mismatch");
    // A name Windows cannot hold never reaches a recipient.
    let device = resigned(&provider, &outgoing, |m| m.files[0].name = "NUL.CSV".into());
    let code = refusal(provider.client.send(&device, outgoing.payload).await);
    assert_eq!(code, "manifest_invalid");
    // Nothing of it reached the planner.
    assert!(
        planner
            .client
            .inbox(None, Duration::ZERO)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Keep `payload` for `to` as sent by `from` with `files` in its manifest, past every check
/// of the relay (as a relay without them would), and return the parcel's id.
async fn planted(
    hub: &renkei_testkit::Hub,
    from: &Office,
    to: &Office,
    files: &[renkei_seal::ArchivedFile],
    payload: Vec<u8>,
    id: &str,
) -> String {
    let outgoing = built_with(from, to, files, id);
    let manifest = resigned(from, &outgoing, |m| {
        m.payload_sha256 = renkei_seal::sha256_hex(&payload);
        m.payload_size = payload.len() as u64;
    });
    let parcel_id = format!("planted-{id}");
    hub.relay
        .plant(renkei_hub::store::NewParcel {
            id: parcel_id.clone(),
            sender: from.profile.number.clone(),
            recipient: to.profile.number.clone(),
            client_parcel_id: id.into(),
            payload_sha256: renkei_seal::sha256_hex(&payload),
            manifest: serde_json::to_string(&manifest).unwrap(),
            sender_certificate: from.profile.certificate().unwrap().fingerprint(),
            payload,
            time: now(),
        })
        .await;
    parcel_id
}

fn sealed(from: &Office, to: &Office, archive: &[u8]) -> Vec<u8> {
    renkei_seal::seal(
        archive,
        from.profile.certificate().unwrap(),
        &from.profile.key,
        to.profile.certificate().unwrap(),
    )
    .unwrap()
}

/// The receiving office checks the names again: a forged 送信元 that got past the relay is
/// refused before anything reaches the import folder, and the sender hears 取込不可.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_recipient_refuses_a_forged_name_the_relay_let_through() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let other_planner = hub.office("1310000044", "別の居宅介護支援", &["43"]).await;
    let forged = [file(&named("UPPLAN", &other_planner, &planner), "予定")];
    let payload = sealed(&provider, &planner, &renkei_seal::pack(&forged).unwrap());
    let id = planted(&hub, &provider, &planner, &forged, payload, "forged").await;

    let office = hub.at_work(&planner);
    let import = hub.dir.path().join("import");
    let report = receive_now(&office, &import).await;
    assert!(report.received.is_empty());
    assert_eq!(report.failed.len(), 1);
    let reason = report.failed[0].1.to_string();
    assert!(reason.contains("送信元"), "{reason}");
    assert_eq!(
        std::fs::read_dir(&import).unwrap().count(),
        0,
        "import folder stays empty"
    );
    // Told once: the relay has it as 取込不可, out of the inbox, with the reason signed.
    let seen = provider.client.parcel(&id).await.unwrap();
    assert_eq!(seen.state, "rejected");
    assert_eq!(seen.state_ja, "取込不可");
    assert!(seen.rejected_reason.unwrap().contains("送信元"));
    assert!(
        planner
            .client
            .inbox(None, Duration::ZERO)
            .await
            .unwrap()
            .is_empty()
    );
    let receipts = provider.client.receipts(&id).await.unwrap();
    let last = receipts
        .last()
        .unwrap()
        .verify(&planner.profile.trust().unwrap())
        .unwrap();
    assert_eq!(last.action, renkei_seal::receipt::Action::Rejected);
    assert!(last.rejection.is_some());
    // The planner's refusals page keeps it.
    let refusals = office.ledger.refusals(0, 10).unwrap();
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].1.received_from.as_deref(), Some("1310000011"));
}

/// What the office's own receiving code does with its inbox as it stands now.
async fn receive_now(
    office: &renkei_office::Office,
    import: &std::path::Path,
) -> renkei_office::receiving::ReceiveReport {
    renkei_office::receiving::receive(
        office,
        import,
        Duration::ZERO,
        &renkei_spec::progress::Silent,
    )
    .await
    .unwrap()
}

/// A tar whose one entry's header claims `size` bytes, with 512 bytes present.
fn claiming(name: &str, size: u64) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.set_path(name).unwrap();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    let mut bytes = header.as_bytes().to_vec();
    bytes.extend([b'x'; 512]);
    bytes.extend([0u8; 1024]);
    bytes
}

/// Parcels sealed and signed by an enrolled office whose archives lie about their sizes
/// are rejected without harm, and a valid parcel behind them is placed and acknowledged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parcel_that_lies_about_its_sizes_does_not_stop_the_ones_behind_it() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let name = named("UPJSK", &provider, &planner);
    let listed = [file(&name, "実績")];
    let mut bad = Vec::new();
    for (size, id) in [(1u64 << 40, "tera"), (u64::MAX, "max")] {
        let payload = sealed(&provider, &planner, &claiming(&name, size));
        bad.push(planted(&hub, &provider, &planner, &listed, payload, id).await);
    }
    // Two copies of one name, and a device name, each sealed and signed.
    let twice = [file(&name, "1"), file(&name.to_lowercase(), "2")];
    let mut archive = renkei_seal::pack(&twice[..1]).unwrap();
    archive.truncate(1024);
    archive.extend(renkei_seal::pack(&twice[1..]).unwrap());
    let payload = sealed(&provider, &planner, &archive);
    bad.push(planted(&hub, &provider, &planner, &twice, payload, "twice").await);
    let good = [valid_actual(&provider, &planner, "20251125100001")];
    let sent = send(&provider, &planner, &good, "good").await.unwrap();

    let office = hub.at_work(&planner);
    let import = hub.dir.path().join("import");
    let report = receive_now(&office, &import).await;
    assert_eq!(report.failed.len(), 3, "{:?}", report.failed);
    assert_eq!(report.received.len(), 1);
    assert_eq!(report.received[0].placed, [good[0].name.clone()]);
    assert!(import.join(&good[0].name).exists());
    assert_eq!(std::fs::read_dir(&import).unwrap().count(), 1);
    for id in &bad {
        let seen = provider.client.parcel(id).await.unwrap();
        assert_eq!(seen.state, "rejected", "{id}");
    }
    let good_id = sent
        .receipt
        .verify(&provider.profile.trust().unwrap())
        .unwrap()
        .parcel_id;
    assert_eq!(
        provider.client.parcel(&good_id).await.unwrap().state,
        "acknowledged"
    );
    // A second run finds nothing left: each was reported once.
    let again = receive_now(&office, &import).await;
    assert!(again.failed.is_empty() && again.received.is_empty());
    assert_eq!(office.ledger.refusals(0, 10).unwrap().len(), 3);
}

/// A tar holding one regular file named `name`, written header by header so that names
/// `pack` refuses can be built, as a modified client would.
fn tar_naming(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_gnu();
    header.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    let mut archive = header.as_bytes().to_vec();
    archive.extend(bytes);
    archive.resize(archive.len().div_ceil(512) * 512 + 1024, 0);
    archive
}

/// Names Windows refuses or changes (device names, trailing dots and spaces), sealed and
/// signed by an enrolled office and let through by a relay without checks, are refused by
/// the receiving office with the name and why, and nothing reaches its import folder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_windows_cannot_hold_are_refused_on_receipt() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let listed = [file(&named("UPJSK", &provider, &planner), "実績")];
    let names = [
        "NUL.CSV",
        "CON",
        "aux.csv",
        "COM1.CSV",
        "UPJSK.CSV.",
        "UPJSK.CSV ",
    ];
    for (n, name) in names.iter().enumerate() {
        let payload = sealed(&provider, &planner, &tar_naming(name, "実績".as_bytes()));
        planted(
            &hub,
            &provider,
            &planner,
            &listed,
            payload,
            &format!("device-{n}"),
        )
        .await;
    }
    let office = hub.at_work(&planner);
    let import = hub.dir.path().join("import");
    let report = receive_now(&office, &import).await;
    assert!(report.received.is_empty());
    assert_eq!(report.failed.len(), names.len(), "{:?}", report.failed);
    for ((_, error), name) in report.failed.iter().zip(names) {
        let said = error.to_string();
        assert!(said.contains(&format!("「{name}」は使えません")), "{said}");
        let why = if name.ends_with(['.', ' ']) {
            "末尾が「.」か空白です"
        } else {
            "Windowsの予約名です"
        };
        assert!(said.contains(why), "{said}");
    }
    assert_eq!(std::fs::read_dir(&import).unwrap().count(), 0);
}

/// Only the recipient may reject, only with its own signature, and only once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_recipient_rejects_a_parcel() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let sent = send(&planner, &provider, &plan(&planner, &provider), "to-reject")
        .await
        .unwrap();
    let id = sent
        .receipt
        .verify(&planner.profile.trust().unwrap())
        .unwrap()
        .parcel_id;
    let item = provider
        .client
        .inbox(None, Duration::ZERO)
        .await
        .unwrap()
        .remove(0);
    // The sender cannot make its own parcel look refused.
    let by_sender = parcel::rejection(&planner.profile, &item, "理由", &[], now()).unwrap();
    assert_eq!(
        refusal(planner.client.reject(&id, &by_sender).await),
        "parcel_not_yours"
    );
    // Signed by another key than the connected certificate's.
    let stranger = PrivateKey::generate().unwrap();
    let rejection = renkei_seal::receipt::Rejection {
        parcel_id: id.clone(),
        recipient: provider.profile.number.clone(),
        payload_sha256: item.parcel.payload_sha256.clone(),
        reason: "理由".into(),
        time: now(),
        findings: Vec::new(),
    };
    let forged = Signed::sign(&rejection, &stranger).unwrap();
    assert_eq!(
        refusal(provider.client.reject(&id, &forged).await),
        "acknowledgement_invalid"
    );
    // More findings than a rejection may carry: the recipient signs them, the relay refuses.
    let finding = renkei_seal::receipt::CheckFinding {
        file: None,
        line: None,
        item: None,
        error: true,
        rule: "I001".into(),
        message_ja: "必須項目が空です".into(),
        message_en: "required item is empty".into(),
        person: None,
    };
    let flood = renkei_seal::receipt::Rejection {
        parcel_id: id.clone(),
        recipient: provider.profile.number.clone(),
        payload_sha256: item.parcel.payload_sha256.clone(),
        reason: "取込エラー".into(),
        time: now(),
        findings: vec![finding; renkei_proto::MAX_RETURNED_FINDINGS + 1],
    };
    let flood = Signed::sign(&flood, &provider.profile.key).unwrap();
    assert_eq!(
        refusal(provider.client.reject(&id, &flood).await),
        "acknowledgement_invalid"
    );
    let empty = parcel::rejection(&provider.profile, &item, " ", &[], now()).unwrap();
    assert_eq!(
        refusal(provider.client.reject(&id, &empty).await),
        "acknowledgement_invalid"
    );
    let own = parcel::rejection(&provider.profile, &item, "開けません", &[], now()).unwrap();
    provider.client.reject(&id, &own).await.unwrap();
    // Rejected, it cannot be acknowledged afterwards.
    let acknowledgement = parcel::acknowledgement(&provider.profile, &item, now()).unwrap();
    assert_eq!(
        refusal(provider.client.acknowledge(&id, &acknowledgement).await),
        "parcel_wrong_state"
    );
}

/// The sending office seals only to a certificate of the operator's authority that names
/// the recipient, whatever the directory says; and a "not found" is asked again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_directory_that_hands_out_the_wrong_certificate_is_not_sealed_to() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let provider_pem =
        String::from_utf8(provider.profile.certificate().unwrap().to_pem().unwrap()).unwrap();
    hub.relay.plant_enrolment("1310000015", &provider_pem).await;
    let foreign = Authority::create("よその認証局", 1).unwrap();
    let key = PrivateKey::generate().unwrap();
    let request = CertificateRequest::new(&key, "1310000016").unwrap();
    let identity = OfficeIdentity::new("1310000016", &["15"], "偽の事業所").unwrap();
    let foreign_pem = String::from_utf8(
        foreign
            .issue_office(&request, &identity, 30)
            .unwrap()
            .to_pem()
            .unwrap(),
    )
    .unwrap();
    hub.relay.plant_enrolment("1310000016", &foreign_pem).await;

    let office = hub.at_work(&planner);
    let error = office
        .recipient("1310000015")
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("事業所「1310000011」"), "{error}");
    let error = office
        .recipient("1310000016")
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("認証局"), "{error}");
    let (view, certificate) = office.recipient("1310000011").await.unwrap();
    assert_eq!(view.number, "1310000011");
    assert_eq!(certificate.identity().unwrap().number, "1310000011");
    // Unknown now, enrolled a moment later: found without restarting.
    assert!(matches!(
        office.recipient("1310000017").await,
        Err(renkei_office::Error::NoRecipient(_))
    ));
    hub.office("1310000017", "架空通所介護", &["15"]).await;
    office.recipient("1310000017").await.unwrap();
}

/// TLS that trusts the relay's authority and shows no certificate.
fn trusting_the_authority(hub: &renkei_testkit::Hub) -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(
            hub.authority.to_der().unwrap(),
        ))
        .unwrap();
    rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth()
}

/// A browser-like client of the relay's pages from `local`, one address of the loopback
/// range (the relay listens on 127.0.0.1; 127.0.0.2 and the rest reach it too).
fn browser_from(hub: &renkei_testkit::Hub, local: std::net::IpAddr) -> reqwest::Client {
    let config = trusting_the_authority(hub);
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .local_address(local)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn loopback(last: u8) -> std::net::IpAddr {
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, last))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_wrong_operator_passwords_at_once_get_at_most_five_answers() {
    let hub = std::sync::Arc::new(start(RelayConfig::default()).await);
    let code = hub.operator_code();
    for name in [renkei_testkit::OPERATOR, "no-such-operator"] {
        let tries: Vec<_> = (0..50)
            .map(|_| {
                let (client, code) = (hub.anonymous(), code.clone());
                tokio::spawn(
                    async move { refusal(client.login(name, "a wrong password", &code).await) },
                )
            })
            .collect();
        let mut codes = Vec::new();
        for attempt in tries {
            codes.push(attempt.await.unwrap());
        }
        let wrong = codes
            .iter()
            .filter(|c| **c == ProblemCode::LoginFailed)
            .count();
        let locked = codes
            .iter()
            .filter(|c| **c == ProblemCode::SignInLocked)
            .count();
        // The same for an account that does not exist: a lock reveals nothing.
        assert!(wrong <= 5, "{name}: {wrong} wrong-password answers");
        assert_eq!(wrong + locked, 50, "{name}: {codes:?}");
    }
    // The right password and code are locked out too, for now.
    assert_eq!(
        refusal(
            hub.anonymous()
                .login(renkei_testkit::OPERATOR, renkei_testkit::PASSWORD, &code)
                .await
        ),
        "sign_in_locked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_locked_out_from_one_address_still_signs_in_from_their_own() {
    let hub = start(RelayConfig::default()).await;
    let person = renkei_infobase::PersonKey::new("131045", "0000012345");
    hub.relay
        .load(
            "131045",
            "保険者番号,被保険者番号,同意日\n131045,0000012345,20260401\n",
        )
        .await
        .unwrap();
    hub.relay
        .activate(&person, "the person's own password")
        .await
        .unwrap();
    let sign_in = |client: reqwest::Client, password: &'static str| {
        let url = format!("{}/base/login/person", hub.url);
        async move {
            client
                .post(url)
                .form(&[
                    ("insurer", "131045"),
                    ("insured", "0000012345"),
                    ("password", password),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    // A stranger (or an office) guesses from its own address until it is locked there.
    let stranger = browser_from(&hub, loopback(2));
    for _ in 0..5 {
        assert_eq!(
            sign_in(stranger.clone(), "a guess").await.status(),
            reqwest::StatusCode::UNAUTHORIZED
        );
    }
    let locked = sign_in(stranger.clone(), "the person's own password").await;
    assert_eq!(locked.status(), reqwest::StatusCode::TOO_MANY_REQUESTS);
    // The person, at home, is not locked out.
    let home = sign_in(browser_from(&hub, loopback(3)), "the person's own password").await;
    assert_eq!(home.status(), reqwest::StatusCode::SEE_OTHER);
    assert!(home.headers().get(reqwest::header::SET_COOKIE).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relays_pages_and_answers_carry_security_headers_and_refuse_other_sites() {
    let hub = start(RelayConfig::default()).await;
    let browser = browser_from(&hub, loopback(1));
    for path in [
        "/base/",
        "/console/login",
        "/openapi.json",
        "/api/v1/inbox",
        "/nowhere",
    ] {
        let answer = browser
            .get(format!("{}{path}", hub.url))
            .send()
            .await
            .unwrap();
        let headers = answer.headers();
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(
            policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"),
            "{path}: {policy}"
        );
        assert!(policy.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
    // A form from another site, `Origin: null` included, is refused on every surface.
    let host = hub.url.trim_start_matches("https://").to_owned();
    for (path, form) in [
        (
            "/console/login",
            vec![
                ("name", "operator"),
                ("password", renkei_testkit::PASSWORD),
                ("code", "000000"),
            ],
        ),
        (
            "/base/login/person",
            vec![
                ("insurer", "131045"),
                ("insured", "0000012345"),
                ("password", "x"),
            ],
        ),
        ("/base/logout", vec![]),
    ] {
        for origin in ["null", "https://evil.example", "https://localhost:1"] {
            let answer = browser
                .post(format!("{}{path}", hub.url))
                .header(reqwest::header::ORIGIN, origin)
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(
                answer.status(),
                reqwest::StatusCode::FORBIDDEN,
                "{path} {origin}"
            );
        }
        let own = browser
            .post(format!("{}{path}", hub.url))
            .header(reqwest::header::ORIGIN, format!("https://{host}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_ne!(own.status(), reqwest::StatusCode::FORBIDDEN, "{path}");
    }
    // The sign-in pages show nothing taken from the URL.
    for path in [
        "/base/?problem=%3Cscript%3Ealert(1)%3C/script%3E",
        "/console/login?failed=%3Cb%3Ex",
    ] {
        let page = browser
            .get(format!("{}{path}", hub.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !page.contains("<script>alert") && !page.contains("<b>x"),
            "{path}"
        );
    }
    // A failed sign-in gives back what was typed, so that only the wrong part is typed
    // again: escaped, and never the password.
    let hostile = "\"><script>alert(1)</script>";
    let page = browser
        .post(format!("{}/base/login/staff", hub.url))
        .header(reqwest::header::ORIGIN, format!("https://{host}"))
        .form(&[
            ("side", "clinic"),
            ("number", "1310100001"),
            ("name", hostile),
            ("password", "secret-typed-password"),
            ("code", "000000"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"value="1310100001""#), "the number is kept");
    assert!(!page.contains("<script>alert"), "what was typed is escaped");
    assert!(page.contains("&#34;&#62;&#60;script&#62;"), "{page}");
    assert!(
        !page.contains("secret-typed-password"),
        "the password is not sent back"
    );
    assert!(
        !page.contains(" / "),
        "the message is in Japanese only: {page}"
    );
}

/// A TLS connection to the relay from `local` (no certificate), as a hand-written client.
async fn raw_tls(
    hub: &renkei_testkit::Hub,
    local: std::net::IpAddr,
) -> std::io::Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>> {
    let config = trusting_the_authority(hub);
    let port: u16 = hub.url.rsplit_once(':').unwrap().1.parse().unwrap();
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(std::net::SocketAddr::new(local, 0))?;
    let tcp = socket
        .connect(std::net::SocketAddr::from(([127, 0, 0, 1], port)))
        .await?;
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    tokio::time::timeout(Duration::from_secs(5), connector.connect(name, tcp))
        .await
        .map_err(|_| std::io::Error::other("handshake timed out"))?
}

/// Headers of a JSON request and the first bytes of its body, then nothing more.
async fn trickle(stream: &mut tokio_rustls::client::TlsStream<tokio::net::TcpStream>) {
    use tokio::io::AsyncWriteExt;
    let head = "POST /api/v1/operator/login HTTP/1.1\r\nHost: localhost\r\n\
                Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.flush().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_cannot_take_the_listener_away_from_others() {
    use tokio::io::AsyncReadExt;
    let config = RelayConfig {
        body_idle: Duration::from_millis(800),
        ..RelayConfig::default()
    };
    let limits = renkei_hub::http::tls::ListenerLimits {
        per_address: 2,
        per_certificate: 2,
    };
    let hub = renkei_testkit::start_limited(config, false, limits).await;
    // Two connections from one address send headers and then trickle nothing.
    let mut slow = Vec::new();
    for _ in 0..2 {
        let mut stream = raw_tls(&hub, loopback(2)).await.unwrap();
        trickle(&mut stream).await;
        slow.push(stream);
    }
    // A third from that address is closed at once; another address is served.
    let third = raw_tls(&hub, loopback(2)).await;
    assert!(third.is_err(), "a third connection from one address");
    let other = browser_from(&hub, loopback(3));
    let answer = other
        .get(format!("{}/api/v1/authority", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::OK);
    // The slow ones are answered and closed once their bodies pause too long.
    for mut stream in slow {
        let mut answer = Vec::new();
        let read =
            tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
        assert!(read.is_ok(), "closed within the body timeout");
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 4"), "{text}");
    }
    // Then the address is served again.
    let again = browser_from(&hub, loopback(2))
        .get(format!("{}/api/v1/authority", hub.url))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), reqwest::StatusCode::OK);
}

/// One answer read off a kept-alive connection: its status line, the rest left unread
/// only if it has no `Content-Length`.
async fn answer_on(stream: &mut tokio_rustls::client::TlsStream<tokio::net::TcpStream>) -> String {
    use tokio::io::AsyncReadExt;
    let mut read = Vec::new();
    let mut byte = [0u8; 1];
    while !read.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).await.unwrap();
        assert_eq!(
            n,
            1,
            "closed before an answer: {}",
            String::from_utf8_lossy(&read)
        );
        read.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&read).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await.unwrap();
    head.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_connection_outlives_the_clients_pool() {
    use tokio::io::AsyncWriteExt;
    // A client gives a pooled connection up after CLIENT_POOL_IDLE; the relay must not close
    // it before, or a request written as it closes is lost in flight. Waiting the whole pool
    // time would be slow: past the ten seconds the relay once closed at is enough to fail.
    let wait = Duration::from_secs(11).min(renkei_proto::CLIENT_POOL_IDLE);
    let hub = start(RelayConfig::default()).await;
    let mut stream = raw_tls(&hub, loopback(4)).await.unwrap();
    let request = b"GET /api/v1/authority HTTP/1.1\r\nHost: localhost\r\n\r\n";
    stream.write_all(request).await.unwrap();
    assert_eq!(answer_on(&mut stream).await, "HTTP/1.1 200 OK");
    tokio::time::sleep(wait).await;
    stream.write_all(request).await.unwrap();
    assert_eq!(answer_on(&mut stream).await, "HTTP/1.1 200 OK");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_polls_and_sending_are_bounded_per_office() {
    let config = RelayConfig {
        waiting_per_office: 2,
        quota: renkei_hub::relay::Quota {
            parcels_per_hour: 3,
            bytes_per_hour: u64::MAX,
            undelivered_bytes: u64::MAX,
        },
        ..RelayConfig::default()
    };
    let hub = std::sync::Arc::new(start(config).await);
    let (planner, provider) = pair(&hub).await;
    // Two long polls of one inbox wait; a third is refused at once.
    let waits: Vec<_> = (0..2)
        .map(|_| {
            let client = provider.client.clone();
            tokio::spawn(async move { client.inbox(None, Duration::from_secs(20)).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        refusal(provider.client.inbox(None, Duration::from_secs(20)).await),
        "too_many_waiting"
    );
    // A parcel wakes them; then each sender keeps to its quota.
    let first = built(&planner, &provider, "q1");
    planner
        .client
        .send(&first.manifest, first.payload.clone())
        .await
        .unwrap();
    for id in ["q2", "q3"] {
        send(&planner, &provider, &plan(&planner, &provider), id)
            .await
            .unwrap();
    }
    for wait in waits {
        assert!(!wait.await.unwrap().unwrap().is_empty());
    }
    assert_eq!(
        refusal(send(&planner, &provider, &plan(&planner, &provider), "q4").await),
        "quota_exceeded"
    );
    // The same parcel again (a resend after a lost answer) is answered with its receipt.
    let again = planner
        .client
        .send(&first.manifest, first.payload.clone())
        .await
        .unwrap();
    assert!(!again.new);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_undelivered_bytes_an_office_may_hold_are_bounded() {
    let config = RelayConfig {
        quota: renkei_hub::relay::Quota {
            undelivered_bytes: 6_000,
            ..renkei_hub::relay::Quota::default()
        },
        ..RelayConfig::default()
    };
    let hub = start(config).await;
    let (planner, provider) = pair(&hub).await;
    send(&planner, &provider, &plan(&planner, &provider), "held-1")
        .await
        .unwrap();
    let mut refused = None;
    for id in ["held-2", "held-3", "held-4"] {
        if let Err(error) = send(&planner, &provider, &plan(&planner, &provider), id).await {
            refused = error.code().cloned();
            break;
        }
    }
    assert_eq!(refused, Some(ProblemCode::QuotaExceeded));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payload_must_be_cms_enveloped_for_the_recipient() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let other = hub.office("1310000015", "架空通所介護", &["15"]).await;
    // Sealed for another office, but sent to the provider.
    let misdirected = parcel::build(
        &planner.profile,
        &provider.profile.number,
        other.profile.certificate().unwrap(),
        &plan(&planner, &provider),
        "misdirected",
        now(),
    )
    .unwrap();
    assert_eq!(
        refusal(
            planner
                .client
                .send(&misdirected.manifest, misdirected.payload)
                .await
        ),
        "payload_not_addressed"
    );
    // Any bytes the sender cares to store, with a manifest that matches them.
    let outgoing = built(&planner, &provider, "not-cms");
    let junk = vec![0x42u8; 4096];
    let manifest = resigned(&planner, &outgoing, |m| {
        m.payload_sha256 = renkei_seal::sha256_hex(&junk);
        m.payload_size = junk.len() as u64;
    });
    assert_eq!(
        refusal(planner.client.send(&manifest, junk).await),
        "payload_not_addressed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_office_stays_stopped_when_it_enrols_again() {
    let hub = start(RelayConfig::default()).await;
    let (_planner, provider) = pair(&hub).await;
    // A code issued before the stop, unused, is used after it.
    let old = hub
        .relay
        .issue_code("1310000011", "架空訪問介護", &["11".into()], now())
        .await
        .unwrap();
    hub.operator()
        .await
        .set_active("1310000011", false)
        .await
        .unwrap();
    let mut again = Profile::init(&hub.dir.path().join("again"), "1310000011").unwrap();
    again
        .enrol(&hub.url, &hub.authority, &old.code)
        .await
        .unwrap();
    let client = HubClient::for_office(&again).unwrap();
    assert_eq!(refusal(client.me().await), "office_inactive");
    assert_eq!(refusal(provider.client.me().await), "office_inactive");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_bounds_are_kept_not_clamped() {
    let hub = start(RelayConfig::default()).await;
    let (planner, _) = pair(&hub).await;
    // A long poll of more than a minute is refused, not shortened without a word.
    assert_eq!(
        refusal(planner.client.inbox(None, Duration::from_secs(61)).await),
        "bad_request"
    );
    for query in [
        &[("limit", "0")][..],
        &[("limit", "1001")],
        &[("limit", "-1")],
    ] {
        let answer = browser_from(&hub, loopback(1))
            .get(format!("{}/api/v1/directory", hub.url))
            .query(query)
            .send()
            .await
            .unwrap();
        // Without a certificate the caller is refused first; with one, the bound.
        assert_eq!(
            answer.status(),
            reqwest::StatusCode::UNAUTHORIZED,
            "{query:?}"
        );
    }
    assert_eq!(
        refusal(planner.client.directory(&[("limit", "501")]).await),
        "bad_request"
    );
    assert_eq!(
        refusal(planner.client.directory(&[("kind", "x")]).await),
        "bad_request"
    );
    planner
        .client
        .directory(&[("limit", "500"), ("prefecture", "東京都")])
        .await
        .unwrap();
}

/// Files that another vendor's software (or a modified client) sent past its own check fail
/// the recipient's: nothing is placed, and the sender gets the recipient's findings, signed,
/// as 取込エラー on its refusals page, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_that_fail_the_recipients_check_come_back_to_the_sender_as_an_import_error() {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let mut broken = valid_actual(&provider, &planner, "20251125100002");
    // サービス利用日 (item 10) on the 32nd: the sender's own check would have refused it.
    let at = broken
        .bytes
        .windows(9)
        .position(|w| w == b",20251201")
        .unwrap();
    broken.bytes.splice(at + 7..at + 9, *b"32");
    let sent = send(&provider, &planner, &[broken.clone()], "broken")
        .await
        .unwrap();
    let id = sent
        .receipt
        .verify(&provider.profile.trust().unwrap())
        .unwrap()
        .parcel_id;

    let office = hub.at_work(&planner);
    let import = hub.dir.path().join("import");
    let report = receive_now(&office, &import).await;
    assert!(report.received.is_empty());
    assert!(
        matches!(
            &report.failed[0].1,
            renkei_office::Error::ImportCheck { errors: 1, .. }
        ),
        "{:?}",
        report.failed
    );
    assert_eq!(
        std::fs::read_dir(&import).unwrap().count(),
        0,
        "nothing placed"
    );
    let kept = office.ledger.refusals(0, 10).unwrap();
    assert_eq!(kept[0].1.findings[0].rule, "I003");
    assert!(
        hub.dir
            .path()
            .join(&planner.profile.number)
            .join("received")
            .join(format!("{id}.cms"))
            .exists(),
        "the parcel is kept as it came"
    );

    let sender = hub.at_work(&provider);
    let returned = renkei_office::returned::collect(&sender).await.unwrap();
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0].parcel_id, id);
    assert_eq!(returned[0].recipient, planner.profile.number);
    assert_eq!(returned[0].state_ja(), "取込エラー");
    let finding = &returned[0].findings[0];
    assert_eq!(finding.rule, "I003");
    assert_eq!(finding.file.as_deref(), Some(broken.name.as_str()));
    assert_eq!(finding.line, Some(1));
    assert_eq!(finding.item.as_deref(), Some("項目10「サービス利用日」"));
    let refusals = sender.ledger.refusals(0, 10).unwrap();
    assert_eq!(refusals.len(), 1);
    assert_eq!(
        refusals[0].1.recipient.as_deref(),
        Some(planner.profile.number.as_str())
    );
    assert_eq!(refusals[0].1.files, [broken.name.clone()]);
    assert!(
        refusals[0].1.reason_ja.contains("取込エラー"),
        "{}",
        refusals[0].1.reason_ja
    );
    // Heard once: the next look finds nothing new.
    assert!(
        renkei_office::returned::collect(&sender)
            .await
            .unwrap()
            .is_empty()
    );
}

/// A reqwest client that shows `office`'s certificate, for requests written by hand.
fn speaking_for(hub: &renkei_testkit::Hub, office: &Office) -> reqwest::Client {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(
            hub.authority.to_der().unwrap(),
        ))
        .unwrap();
    let certificate = rustls::pki_types::CertificateDer::from(
        office.profile.certificate().unwrap().to_der().unwrap(),
    );
    let key =
        rustls::pki_types::PrivateKeyDer::from_pem_slice(&office.profile.key.to_pem().unwrap())
            .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_client_auth_cert(vec![certificate], key)
    .unwrap();
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .unwrap()
}

/// What an office's care software reads and writes is said by that office alone (the
/// certificate names it; a body naming another office changes nothing of the other's), only
/// as values of the standard, and partners see it in the directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_declares_its_own_csv_versions_and_no_one_elses() {
    use renkei_proto::{CsvVersionValue, CsvVersions};
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let only_v4 = CsvVersions {
        reads: vec![CsvVersionValue::V4_1],
        writes: vec![CsvVersionValue::V4_1],
    };
    let view = provider.client.set_csv_versions(&only_v4).await.unwrap();
    assert_eq!((view.number.as_str(), &view.csv), ("1310000011", &only_v4));
    let seen = |office: &'static str| {
        let client = planner.client.clone();
        async move { client.office(office).await.unwrap().unwrap().csv }
    };
    assert_eq!(seen("1310000011").await, only_v4, "the partner sees it");

    // No certificate, no say.
    let code = refusal(
        hub.anonymous()
            .set_csv_versions(&CsvVersions::default())
            .await,
    );
    assert_eq!(code, "certificate_required");

    // The planner, by hand, names the provider in the body: only its own entry changes.
    let by_hand = speaking_for(&hub, &planner);
    let url = format!("{}/api/v1/me/csv-versions", hub.url);
    let answer = by_hand
        .put(&url)
        .json(&serde_json::json!({
            "number": "1310000011",
            "reads": ["202208"],
            "writes": ["202208"]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), reqwest::StatusCode::OK);
    let answered: renkei_proto::OfficeView = answer.json().await.unwrap();
    assert_eq!(answered.number, "1310000043");
    assert_eq!(
        seen("1310000011").await,
        only_v4,
        "the provider's is untouched"
    );
    assert_eq!(seen("1310000043").await.reads, [CsvVersionValue::V3]);
    // A value said twice is kept once.
    let twice = CsvVersions {
        reads: vec![CsvVersionValue::V3, CsvVersionValue::V3],
        writes: vec![CsvVersionValue::V3],
    };
    let view = planner.client.set_csv_versions(&twice).await.unwrap();
    assert_eq!(view.csv.reads, [CsvVersionValue::V3]);

    // Values the standard does not have, more than there are, and other shapes are refused with
    // the relay's problem, and nothing changes.
    for body in [
        serde_json::json!({"reads": ["202410"], "writes": ["202407"]}),
        serde_json::json!({"reads": ["202407", "202407", "202407"], "writes": []}),
        serde_json::json!({"reads": "202407", "writes": ["202407"]}),
        serde_json::json!({"reads": ["V4.1"], "writes": ["<script>"]}),
    ] {
        let answer = by_hand.put(&url).json(&body).send().await.unwrap();
        assert_eq!(answer.status(), reqwest::StatusCode::BAD_REQUEST, "{body}");
        let problem: renkei_proto::Problem = answer.json().await.unwrap();
        assert_eq!(problem.code, ProblemCode::BadRequest, "{body}");
    }
    assert_eq!(seen("1310000043").await.reads, [CsvVersionValue::V3]);
}
