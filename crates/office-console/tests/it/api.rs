//! The local API as care software calls it, and as a stranger on the machine or another
//! office would try it: hand-built requests to the console's own listener, a real relay
//! behind it.

use renkei_office::api_key::{self, Scope};
use renkei_spec::json;
use renkei_spec::validate::Input;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, WWW_AUTHENTICATE};
use serde_json::Value;

use super::{ADMIN_PASSWORD, Running, console};

/// A 予定 of one service line from the planner to the provider that passes the check.
fn schedule(running: &Running) -> renkei_seal::ArchivedFile {
    let actual =
        renkei_testkit::valid_actual(&running.provider, &running.planner, "20251125100000");
    renkei_seal::ArchivedFile {
        name: renkei_testkit::named("UPPLAN", &running.planner, &running.provider),
        bytes: actual.bytes,
    }
}

fn document(files: &[renkei_seal::ArchivedFile]) -> Vec<u8> {
    let inputs: Vec<Input<'_>> = files
        .iter()
        .map(|f| Input {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    serde_json::to_vec(&json::unit_to_json(&inputs).unwrap()).unwrap()
}

fn key(running: &Running, name: &str, scopes: &[Scope]) -> String {
    api_key::make(&running.office.ledger, name, scopes, "test")
        .unwrap()
        .token
}

impl Running {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, Vec<u8>)>,
        idempotency: Option<&str>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(key) = idempotency {
            request = request.header("Idempotency-Key", key);
        }
        if let Some((content_type, bytes)) = body {
            request = request.header(CONTENT_TYPE, content_type).body(bytes);
        }
        let answer = request.send().await.unwrap();
        let (status, headers) = (answer.status(), answer.headers().clone());
        let bytes = answer.bytes().await.unwrap();
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, headers, value)
    }

    async fn send_json(
        &self,
        token: &str,
        body: Vec<u8>,
        key: &str,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        self.call(
            reqwest::Method::POST,
            "/api/v1/units",
            Some(token),
            Some(("application/json", body)),
            Some(key),
        )
        .await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_care_system_sends_a_unit_and_sees_it_reach_and_be_imported() {
    let running = console().await;
    let token = key(&running, "介護ソフト", &[Scope::Send, Scope::Receive]);
    let body = document(&[schedule(&running)]);

    let (status, headers, answer) = running.send_json(&token, body.clone(), "first-send").await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(headers[CONTENT_TYPE], "application/json");
    let destination = &answer["destinations"][0];
    assert_eq!(
        destination["office"],
        running.provider.profile.number.as_str()
    );
    assert_eq!(destination["state"], "sent");
    let parcel = destination["parcel"].as_str().unwrap().to_owned();

    // The same call again: the first answer, and nothing sent twice.
    let (status, headers, again) = running.send_json(&token, body.clone(), "first-send").await;
    assert_eq!((status, &again), (StatusCode::CREATED, &answer));
    assert_eq!(headers["idempotent-replayed"], "true");
    // The same key for other files is refused.
    let mut other = schedule(&running);
    other.name = other.name.replace("20251125100000", "20251125110000");
    let (status, _, refused) = running
        .send_json(&token, document(&[other]), "first-send")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["code"], "idempotency_key_reused");
    assert_eq!(
        running
            .office
            .ledger
            .sent_parcels(0, i64::MAX, 10)
            .unwrap()
            .len(),
        1
    );
    // The same request twice at once (a care system's retry racing its first try): one
    // parcel, and the other call gets the first answer or is told to wait for it.
    let mut raced = schedule(&running);
    raced.name = raced.name.replace("20251125100000", "20251125120000");
    let body = document(&[raced]);
    let (first, second) = tokio::join!(
        running.send_json(&token, body.clone(), "raced"),
        running.send_json(&token, body.clone(), "raced"),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert!(
        statuses == [StatusCode::CREATED, StatusCode::CREATED]
            || statuses == [StatusCode::CREATED, StatusCode::CONFLICT],
        "{statuses:?}"
    );
    assert_eq!(
        running
            .office
            .ledger
            .sent_parcels(0, i64::MAX, 10)
            .unwrap()
            .len(),
        2
    );
    // The office keeps what was sent, and its console shows it, as for the folders.
    let cookie = running.sign_in("admin", ADMIN_PASSWORD).await.unwrap();
    let kept = running
        .get(
            &format!("/parcels/{parcel}/files/{}", schedule(&running).name),
            Some(&cookie),
        )
        .await;
    assert_eq!(kept.status(), StatusCode::OK);
    assert_eq!(
        kept.bytes().await.unwrap().as_ref(),
        schedule(&running).bytes.as_slice()
    );

    let (status, _, listing) = running
        .call(
            reqwest::Method::GET,
            "/api/v1/sent?month=202512",
            Some(&token),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{listing}");
    assert_eq!(listing["parcels"][0]["parcel"], parcel.as_str());
    assert_eq!(listing["parcels"][0]["state"], "sent");
    assert_eq!(listing["parcels"][0]["months"][0], "202512");
    let (_, _, none) = running
        .call(
            reqwest::Method::GET,
            "/api/v1/sent?month=202601",
            Some(&token),
            None,
            None,
        )
        .await;
    assert_eq!(none["parcels"].as_array().unwrap().len(), 0);
    let (_, _, first) = running
        .call(
            reqwest::Method::GET,
            "/api/v1/sent/changes",
            Some(&token),
            None,
            None,
        )
        .await;
    let cursor = first["cursor"].as_i64().unwrap();

    // The provider takes it in; a waiting call hears of it.
    let waiting = {
        let base = running.base.clone();
        let http = running.http.clone();
        let token = token.clone();
        tokio::spawn(async move {
            http.get(format!("{base}/api/v1/sent/changes?after={cursor}&wait=20"))
                .header(AUTHORIZATION, format!("Bearer {token}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        })
    };
    let provider = running.hub.at_work(&running.provider);
    let import = tempfile::tempdir().unwrap();
    let received = renkei_office::receiving::receive(
        &provider,
        import.path(),
        std::time::Duration::ZERO,
        &renkei_spec::progress::Silent,
    )
    .await
    .unwrap();
    assert_eq!(
        received.received.len(),
        2,
        "the first parcel and the raced one"
    );
    let changes: Value = serde_json::from_str(&waiting.await.unwrap()).unwrap();
    assert!(
        changes["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["parcel"] == parcel.as_str() && c["state"] == "imported"),
        "{changes}"
    );
    assert!(changes["cursor"].as_i64().unwrap() > cursor);

    let (status, _, one) = running
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/sent/{parcel}"),
            Some(&token),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["state_ja"], "取込済");
    assert!(one["receipts"]["accepted"].is_object(), "{one}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_with_errors_is_refused_whole_with_every_problem_and_where_it_is() {
    let running = console().await;
    let token = key(&running, "介護ソフト", &[Scope::Send]);
    let good = schedule(&running);
    let mut unit: Value = serde_json::from_slice(&document(std::slice::from_ref(&good))).unwrap();
    unit["files"][0]["records"][0]["day"] = "20251132".into();
    let (status, headers, answer) = running
        .send_json(&token, serde_json::to_vec(&unit).unwrap(), "bad-date")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(headers[CONTENT_TYPE], "application/problem+json");
    assert_eq!(answer["code"], "check_failed");
    let problem = &answer["problems"][0];
    assert_eq!(problem["file"], good.name.as_str());
    assert_eq!(problem["line"], 1);
    assert_eq!(problem["record"], 1);
    assert_eq!(problem["column"], 10);
    assert_eq!(problem["item"], "サービス利用日");
    assert_eq!(problem["field"], "day");
    assert!(problem["rule"].as_str().unwrap().len() == 4, "{problem}");
    assert!(
        !problem["fix_ja"].as_str().unwrap().is_empty()
            && !problem["fix_en"].as_str().unwrap().is_empty()
    );
    // A character MS932 lacks, and a misspelt field: the JSON form's problems.
    let mut unit: Value = serde_json::from_slice(&document(std::slice::from_ref(&good))).unwrap();
    unit["files"][0]["records"][0]["planner_name"] = "髙橋〜".into();
    unit["files"][0]["records"][0]["servce_code"] = "111211".into();
    let (status, _, answer) = running
        .send_json(&token, serde_json::to_vec(&unit).unwrap(), "bad-json")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["code"], "invalid_document");
    let fields: Vec<&str> = answer["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["servce_code", "planner_name"], "{answer}");
    // Not JSON, no key for idempotency, another media type: said, never a 500.
    for (content_type, body, idempotency, status) in [
        (
            "application/json",
            b"{".to_vec(),
            Some("x1"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "application/json",
            document(std::slice::from_ref(&good)),
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            "text/csv",
            good.bytes.clone(),
            Some("x2"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "multipart/form-data; boundary=x",
            b"garbage".to_vec(),
            Some("x3"),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (got, _, answer) = running
            .call(
                reqwest::Method::POST,
                "/api/v1/units",
                Some(&token),
                Some((content_type, body)),
                idempotency,
            )
            .await;
        assert_eq!(got, status, "{content_type}: {answer}");
        assert!(answer["title"].as_str().is_some() && answer["title_en"].as_str().is_some());
    }
    assert!(
        running
            .office
            .ledger
            .sent_parcels(0, i64::MAX, 10)
            .unwrap()
            .is_empty()
    );

    // The CSV files as the care software wrote them, in a multipart body.
    let form = reqwest::multipart::Form::new().part(
        "files",
        reqwest::multipart::Part::bytes(good.bytes.clone()).file_name(good.name.clone()),
    );
    let answer = running
        .http
        .post(format!("{}/api/v1/units", running.base))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header("Idempotency-Key", "csv-files")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_this_offices_keys_in_use_work_and_only_for_their_scopes() {
    let running = console().await;
    let sender = key(&running, "送信だけ", &[Scope::Send]);
    let reader = key(&running, "見るだけ", &[Scope::Receive]);
    let revoked = key(&running, "古い鍵", &[Scope::Send, Scope::Receive]);
    assert!(api_key::revoke(&running.office.ledger, "古い鍵").unwrap());
    // A key of another office on this machine (the provider's ledger) is not this office's.
    let provider = running.hub.at_work(&running.provider);
    let foreign = api_key::make(
        &provider.ledger,
        "よその鍵",
        &[Scope::Send, Scope::Receive],
        "x",
    )
    .unwrap()
    .token;
    // A key's id with a made-up secret.
    // (The secret may hold `_` itself: the id is the second part.)
    let id = sender.split('_').nth(1).unwrap();
    let forged = format!("renkei_{id}_{}", "A".repeat(43));
    let cookie = running.sign_in("admin", ADMIN_PASSWORD).await.unwrap();

    let get = |token: Option<String>| {
        let running = &running;
        async move {
            running
                .call(
                    reqwest::Method::GET,
                    "/api/v1/sent",
                    token.as_deref(),
                    None,
                    None,
                )
                .await
        }
    };
    let (status, headers, answer) = get(None).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("api_key_required"))
    );
    assert!(
        headers[WWW_AUTHENTICATE]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    for (token, code) in [
        (foreign.clone(), "api_key_unknown"),
        (forged.clone(), "api_key_unknown"),
        ("renkei_zz".to_owned(), "api_key_unknown"),
        (revoked.clone(), "api_key_revoked"),
    ] {
        let (status, _, answer) = get(Some(token.clone())).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some(code)),
            "{token}"
        );
    }
    // A staff member's console session is not a key.
    let answer = running
        .http
        .get(format!("{}/api/v1/sent", running.base))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    // Each key does what its scopes say, and no more.
    let (status, _, answer) = get(Some(sender.clone())).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("scope_missing"))
    );
    let body = document(&[schedule(&running)]);
    let (status, _, answer) = running.send_json(&reader, body.clone(), "k").await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("scope_missing"))
    );
    let (status, _, _) = get(Some(reader.clone())).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        running
            .office
            .ledger
            .sent_parcels(0, i64::MAX, 10)
            .unwrap()
            .is_empty()
    );
    // The documents need no key.
    for path in [
        "/api/v1/openapi.json",
        "/api/v1/schema/unit.json",
        "/api/v1/schema/V4.1/UPPLAN.json",
    ] {
        let (status, _, answer) = running
            .call(reqwest::Method::GET, path, None, None, None)
            .await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(answer.is_object());
    }

    // The console's own paths are not the API's: no key asked, nothing recorded.
    let page = running.get("/favicon.ico", None).await;
    assert_ne!(page.status(), StatusCode::UNAUTHORIZED);
    let (status, _, answer) = running
        .call(
            reqwest::Method::GET,
            "/api/v1/nothing",
            Some(&reader),
            None,
            None,
        )
        .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );

    // Every call is recorded with the key's name, refused ones too.
    let calls = running.office.ledger.api_calls(100).unwrap();
    let named = |name: &str, status: u16| {
        calls
            .iter()
            .any(|c| c.key_name == name && c.status == status)
    };
    assert!(named("(鍵なし)", 401) && named("(無効な鍵)", 401));
    assert!(named("送信だけ", 403) && named("見るだけ", 200) && named("見るだけ", 403));
    assert!(
        !calls
            .iter()
            .any(|c| c.path.contains("openapi") || c.path.contains("favicon"))
    );
    assert!(
        calls
            .iter()
            .any(|c| c.path == "/api/v1/nothing" && c.status == 404)
    );
    let last_used = api_key::list(&running.office.ledger).unwrap();
    assert!(
        last_used
            .iter()
            .find(|k| k.name == "見るだけ")
            .unwrap()
            .last_used
            .is_some()
    );
}

/// The provider sends the planner a 実績 under ファイル連番 `serial`: the file and the
/// relay's parcel id.
async fn provider_sends(running: &Running, serial: &str) -> (renkei_seal::ArchivedFile, String) {
    let actual = renkei_testkit::valid_actual(&running.provider, &running.planner, serial);
    let sent = renkei_testkit::send(
        &running.provider,
        &running.planner,
        std::slice::from_ref(&actual),
        serial,
    )
    .await
    .unwrap();
    let parcel = sent
        .receipt
        .verify(&running.provider.profile.trust().unwrap())
        .unwrap()
        .parcel_id;
    (actual, parcel)
}

/// The provider's view at the relay of the parcel it sent.
async fn relay_state(running: &Running, parcel: &str) -> String {
    running
        .provider
        .client
        .outbox(100)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id == parcel)
        .map(|p| p.state)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_care_system_takes_in_what_arrived_and_only_its_word_acknowledges_it() {
    let running = console().await;
    renkei_office::receiving::set_delivery(
        &running.office,
        renkei_office::receiving::Delivery::Api,
    )
    .unwrap();
    let token = key(&running, "介護ソフト", &[Scope::Receive]);
    let (actual, parcel) = provider_sends(&running, "20251201090000").await;

    let (status, _, arrivals) = running
        .call(
            reqwest::Method::GET,
            "/api/v1/received?wait=10",
            Some(&token),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{arrivals}");
    assert_eq!(arrivals["delivery"], "api");
    let arrival = &arrivals["parcels"][0];
    assert_eq!(arrival["parcel"], parcel.as_str());
    assert_eq!(arrival["state"], "held");
    assert_eq!(arrival["from"], running.provider.profile.number.as_str());
    let cursor = arrivals["cursor"].as_i64().unwrap();
    // Held, not placed and not acknowledged: the sender sees it reached, no more.
    let import = running.office.profile.dir.join("import");
    assert!(!import.exists() || std::fs::read_dir(&import).unwrap().next().is_none());
    assert_eq!(relay_state(&running, &parcel).await, "downloaded");

    // Fetched as the JSON form and as the sender's own bytes.
    let (status, _, unit) = running
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/received/{parcel}"),
            Some(&token),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{unit}");
    assert_eq!(unit["document"]["files"][0]["name"], actual.name.as_str());
    assert_eq!(
        unit["document"]["files"][0]["records"][0]["service_code"],
        "111211"
    );
    let bytes = running
        .http
        .get(format!(
            "{}/api/v1/received/{parcel}/files/{}",
            running.base, actual.name
        ))
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), actual.bytes.as_slice());

    // The care software's word, and only then the acknowledgement; said twice, once.
    for _ in 0..2 {
        let (status, _, word) = running
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/received/{parcel}/imported"),
                Some(&token),
                None,
                None,
            )
            .await;
        assert_eq!(
            (status, word["state"].as_str()),
            (StatusCode::OK, Some("imported")),
            "{word}"
        );
    }
    assert_eq!(relay_state(&running, &parcel).await, "acknowledged");

    // The next one cannot be taken in: the sender reads why.
    let (_, other) = provider_sends(&running, "20251202090000").await;
    let (_, _, arrivals) = running
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/received?after={cursor}&wait=10"),
            Some(&token),
            None,
            None,
        )
        .await;
    assert_eq!(
        arrivals["parcels"].as_array().unwrap().len(),
        1,
        "{arrivals}"
    );
    assert_eq!(arrivals["parcels"][0]["parcel"], other.as_str());
    let reason = r#"{"reason": "利用者 0000000001 が介護ソフトに登録されていません"}"#
        .as_bytes()
        .to_vec();
    let (status, _, word) = running
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/received/{other}/failed"),
            Some(&token),
            Some(("application/json", reason)),
            None,
        )
        .await;
    assert_eq!(
        (status, word["state"].as_str()),
        (StatusCode::OK, Some("not_imported")),
        "{word}"
    );
    assert_eq!(relay_state(&running, &other).await, "rejected");
    let provider = running.hub.at_work(&running.provider);
    let returned = renkei_office::returned::collect(&provider).await.unwrap();
    assert!(
        returned
            .iter()
            .any(|r| r.parcel_id == other && r.reason.contains("介護ソフトに登録されていません")),
        "{returned:?}"
    );

    // A word on what is not held, or on no such parcel, is refused and changes nothing.
    let (status, _, refused) = running
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/received/{other}/imported"),
            Some(&token),
            None,
            None,
        )
        .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_held"))
    );
    for path in [
        "/api/v1/received/0000/imported",
        "/api/v1/received/..%2F..%2Fx/imported",
    ] {
        let (status, _, _) = running
            .call(reqwest::Method::POST, path, Some(&token), None, None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _, _) = running
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/received/{other}/failed"),
            Some(&token),
            Some(("application/json", b"{\"reason\": \" \"}".to_vec())),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Nothing new: the call waits, then says so.
    let (_, _, empty) = running
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/received?after={}&wait=1", arrivals["cursor"]),
            Some(&token),
            None,
            None,
        )
        .await;
    assert_eq!(empty["parcels"].as_array().unwrap().len(), 0);
    // A key for sending only may not read what arrived.
    let sender = key(&running, "送信だけ", &[Scope::Send]);
    let (status, _, _) = running
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/received/{parcel}"),
            Some(&sender),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_information_base_through_the_api_keeps_the_relays_rules_and_log() {
    let running = console().await;
    running
        .hub
        .relay
        .load(
            "131045",
            "保険者番号,被保険者番号,申請日,要介護状態区分,認定有効期間開始日,認定有効期間終了日,審査会の意見\n\
             131045,0000012345,20260401,要介護２,20260501,20270430,特になし\n",
        )
        .await
        .unwrap();
    let token = key(&running, "介護ソフト", &[Scope::Infobase]);
    let records = "/api/v1/infobase/people/131045/0000012345/records?kind=result";
    // Without the person's consent the relay refuses, and the API says so with its code.
    let (status, _, refused) = running
        .call(reqwest::Method::GET, records, Some(&token), None, None)
        .await;
    assert!(status.is_client_error(), "{status} {refused}");
    assert_eq!(refused["code"], "relay_refused");
    assert_eq!(refused["relay_code"], "consent_required");
    running
        .planner
        .client
        .base_consent("131045", "0000012345")
        .await
        .unwrap();
    let person = renkei_infobase::PersonKey::new("131045", "0000012345");
    running
        .hub
        .relay
        .register(&person, &running.planner.profile.number)
        .await
        .unwrap();
    let (status, _, shown) = running
        .call(reqwest::Method::GET, records, Some(&token), None, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(shown["records"][0]["body"]["care_level"], "22");

    // A plan given whole, registered 交付用 under this office's name.
    let plan = serde_json::json!({
        "purpose": "delivery",
        "key": "20260501",
        "plan": {"policy": "架空の方針"},
    });
    let (status, _, kept) = running
        .call(
            reqwest::Method::POST,
            "/api/v1/infobase/people/131045/0000012345/plans",
            Some(&token),
            Some(("application/json", serde_json::to_vec(&plan).unwrap())),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{kept}");
    assert_eq!(kept["author"], "office:1310000043");
    assert_eq!(kept["kind"], "care_plan");
    // Every look is in the person's log under this office, the refused one too.
    let log = running.hub.relay.log(&person).await.unwrap();
    let ours: Vec<_> = log
        .iter()
        .filter(|a| a.viewer == "office:1310000043")
        .collect();
    assert!(
        ours.iter()
            .any(|a| a.refusal.as_deref() == Some("consent_required"))
    );
    assert!(ours.iter().any(|a| a.refusal.is_none()));

    // What the API refuses before asking the relay.
    for (method, path, body) in [
        (
            reqwest::Method::GET,
            "/api/v1/infobase/people/13104/0000012345/records?kind=result",
            None,
        ),
        (
            reqwest::Method::GET,
            "/api/v1/infobase/people/131045/0000012345/records?kind=diary",
            None,
        ),
        (
            reqwest::Method::POST,
            "/api/v1/infobase/people/131045/0000012345/plans",
            Some(br#"{"purpose": "delivery"}"#.to_vec()),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/infobase/people/131045/0000012345/plans",
            Some(br#"{"purpose": "sign", "plan": {"a": "b"}}"#.to_vec()),
        ),
    ] {
        let (status, _, answer) = running
            .call(
                method,
                path,
                Some(&token),
                body.map(|b| ("application/json", b)),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {answer}");
    }
    let (status, _, _) = running
        .call(
            reqwest::Method::POST,
            "/api/v1/infobase/people/131045/0000012345/plans",
            Some(&token),
            Some((
                "application/json",
                br#"{"purpose": "draft", "parcel": "0000"}"#.to_vec(),
            )),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A key without the scope reaches nothing of it.
    let sender = key(&running, "送信だけ", &[Scope::Send, Scope::Receive]);
    let (status, _, _) = running
        .call(reqwest::Method::GET, records, Some(&sender), None, None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
