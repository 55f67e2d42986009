//! The information base's sign-in and pages: staff with a password and a one-time code,
//! persons with their municipality's activation code, and each side's pages doing the
//! work of the national flow under the same rules as the API.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use renkei_hub::Error;
use renkei_hub::relay::{Relay, RelayConfig, clinic_holder, current_code, municipality_holder};
use renkei_hub::setup::{HubFiles, Settings};
use renkei_hub::store::{AccountRole, InfobaseStore};
use renkei_infobase::upload::UploadKind;
use renkei_infobase::{Participant, PersonKey, RecordKind};
use tower::ServiceExt;

const INSURER: &str = "131045";
const CLINIC: &str = "1310100001";
const PASSWORD: &str = "correct horse battery";

async fn relay(dir: &std::path::Path) -> Arc<Relay> {
    let files = HubFiles::new(dir.join("hub"));
    files
        .init(&Settings {
            name: "renkei-test".into(),
            hosts: vec!["localhost".into()],
            database: None,
        })
        .unwrap();
    Arc::new(files.open(None, RelayConfig::default()).await.unwrap())
}

/// Where the tests' sign-ins come from.
const HERE: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

fn now() -> i64 {
    renkei_seal::unix_now()
}

/// A municipality and a clinic, each with an administrator; the secrets of their codes.
async fn organisations(relay: &Relay) -> (String, String) {
    relay
        .add_municipality(INSURER, "新宿区", now())
        .await
        .unwrap();
    relay
        .add_clinic(CLINIC, "架空内科クリニック", Vec::new(), now())
        .await
        .unwrap();
    let municipality = relay
        .add_staff(
            &municipality_holder(INSURER),
            "tanaka",
            AccountRole::Admin,
            PASSWORD,
            now(),
        )
        .await
        .unwrap();
    let clinic = relay
        .add_staff(
            &clinic_holder(CLINIC),
            "suzuki",
            AccountRole::Admin,
            PASSWORD,
            now(),
        )
        .await
        .unwrap();
    (municipality.totp_secret, clinic.totp_secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_needs_the_password_and_a_fresh_code() {
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(dir.path()).await;
    let (secret, _) = organisations(&relay).await;
    let holder = municipality_holder(INSURER);
    let time = now();
    let code = current_code(&secret, time).unwrap();

    let wrong_password = relay
        .staff_sign_in(&holder, "tanaka", "not the password", &code, HERE, time)
        .await;
    assert!(matches!(wrong_password, Err(Error::PortalSignInFailed)));
    let wrong_code = relay
        .staff_sign_in(&holder, "tanaka", PASSWORD, "000000", HERE, time)
        .await;
    assert!(matches!(wrong_code, Err(Error::PortalSignInFailed)));
    let unknown = relay
        .staff_sign_in(&holder, "nobody", PASSWORD, &code, HERE, time)
        .await;
    assert!(matches!(unknown, Err(Error::PortalSignInFailed)));

    let session = relay
        .staff_sign_in(&holder, "tanaka", PASSWORD, &code, HERE, time)
        .await
        .unwrap();
    let user = relay.portal_user(Some(&session.token), time).await.unwrap();
    assert_eq!(
        user.viewer,
        Participant::Municipality {
            insurer: INSURER.into()
        }
    );
    assert_eq!(user.role, AccountRole::Admin);

    // The same code does not sign in twice, even with the right password.
    let replayed = relay
        .staff_sign_in(&holder, "tanaka", PASSWORD, &code, HERE, time)
        .await;
    assert!(matches!(replayed, Err(Error::PortalSignInFailed)));

    // Wrong codes in a row lock the account; its administrator's reset unlocks it.
    for _ in 0..renkei_web::signin::Limits::default().per_account {
        let _ = relay
            .staff_sign_in(&holder, "tanaka", PASSWORD, "000000", HERE, time)
            .await;
    }
    let later = time + 60;
    let code = current_code(&secret, later).unwrap();
    assert!(matches!(
        relay
            .staff_sign_in(&holder, "tanaka", PASSWORD, &code, HERE, later)
            .await,
        Err(Error::SignInLocked { .. })
    ));
    let reset = relay
        .add_staff(&holder, "tanaka", AccountRole::Admin, PASSWORD, later)
        .await
        .unwrap();
    let code = current_code(&reset.totp_secret, later).unwrap();
    relay
        .staff_sign_in(&holder, "tanaka", PASSWORD, &code, HERE, later)
        .await
        .unwrap();

    relay.portal_sign_out(&session.token).await.unwrap();
    assert!(matches!(
        relay.portal_user(Some(&session.token), time).await,
        Err(Error::LoginRequired)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clinic_that_also_gives_care_is_seen_with_its_services() {
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(dir.path()).await;
    relay
        .add_clinic("1310100002", "架空医院", vec!["13".into()], now())
        .await
        .unwrap();
    let staff = relay
        .add_staff(
            &clinic_holder("1310100002"),
            "sato",
            AccountRole::Staff,
            PASSWORD,
            now(),
        )
        .await
        .unwrap();
    let time = now();
    let code = current_code(&staff.totp_secret, time).unwrap();
    let session = relay
        .staff_sign_in(
            &clinic_holder("1310100002"),
            "sato",
            PASSWORD,
            &code,
            HERE,
            time,
        )
        .await
        .unwrap();
    let user = relay.portal_user(Some(&session.token), time).await.unwrap();
    assert_eq!(
        user.viewer,
        Participant::Clinic {
            number: "1310100002".into(),
            care_kinds: vec!["13".into()]
        }
    );
    // Bad numbers and names are told, not kept.
    assert!(matches!(
        relay
            .add_clinic("12345", "短い番号", Vec::new(), time)
            .await,
        Err(Error::BadRequest(_))
    ));
    assert!(matches!(
        relay
            .add_staff(
                &clinic_holder("1310100002"),
                "田中",
                AccountRole::Staff,
                PASSWORD,
                time
            )
            .await,
        Err(Error::BadRequest(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_starts_with_their_municipalitys_code() {
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(dir.path()).await;
    organisations(&relay).await;
    let person = PersonKey::new(INSURER, "0000000001");
    let municipality = Participant::Municipality {
        insurer: INSURER.into(),
    };
    let time = now();

    // Only the person's own municipality gives codes.
    let other = Participant::Municipality {
        insurer: "131040".into(),
    };
    assert!(matches!(
        relay.issue_activation(&other, &person, time).await,
        Err(Error::Disclosure(_))
    ));
    let code = relay
        .issue_activation(&municipality, &person, time)
        .await
        .unwrap();

    assert!(matches!(
        relay
            .activate(&person, "AAAA-BBBB-CCCC", PASSWORD, HERE, time)
            .await,
        Err(Error::ActivationFailed)
    ));
    // Typed in lower case with spaces, it still works; too late, it does not.
    let typed = code.to_lowercase().replace('-', " ");
    let late = time + renkei_hub::relay::ACTIVATION_DAYS * 24 * 3600 + 1;
    assert!(matches!(
        relay.activate(&person, &typed, PASSWORD, HERE, late).await,
        Err(Error::ActivationFailed)
    ));
    let session = relay
        .activate(&person, &typed, PASSWORD, HERE, time)
        .await
        .unwrap();
    let user = relay.portal_user(Some(&session.token), time).await.unwrap();
    assert_eq!(user.viewer, Participant::Person(person.clone()));
    // A code is good once.
    assert!(matches!(
        relay
            .activate(&person, &code, "another password", HERE, time)
            .await,
        Err(Error::ActivationFailed)
    ));
    relay
        .person_sign_in(&person, PASSWORD, HERE, time)
        .await
        .unwrap();
    assert!(matches!(
        relay
            .person_sign_in(&person, "wrong password", HERE, time)
            .await,
        Err(Error::PortalSignInFailed)
    ));

    // Five wrong passwords in a row (the one above and four more) lock the account, the
    // right one included, for a while.
    for _ in 1..renkei_web::signin::Limits::default().per_account {
        assert!(matches!(
            relay.person_sign_in(&person, "a guess", HERE, time).await,
            Err(Error::PortalSignInFailed)
        ));
    }
    let locked = relay.person_sign_in(&person, PASSWORD, HERE, time).await;
    match &locked {
        Err(error @ Error::SignInLocked { .. }) => assert_eq!(error.status(), 429),
        other => panic!("expected the lock, got {other:?}"),
    }
    relay
        .person_sign_in(
            &person,
            PASSWORD,
            HERE,
            time + renkei_web::signin::Limits::default().lock_seconds + 1,
        )
        .await
        .unwrap();

    // A new code (a forgotten password) ends the old password and its sessions.
    relay
        .issue_activation(&municipality, &person, time)
        .await
        .unwrap();
    assert!(matches!(
        relay.person_sign_in(&person, PASSWORD, HERE, time).await,
        Err(Error::PortalSignInFailed)
    ));
    assert!(relay.portal_user(Some(&session.token), time).await.is_err());
}

/// A browser of one signed-in account: keeps its cookie, sends forms as pages do.
struct Browser {
    router: axum::Router,
    cookie: Option<String>,
}

impl Browser {
    fn new(relay: &Arc<Relay>) -> Self {
        Self {
            router: renkei_hub::http::router(Arc::clone(relay)),
            cookie: None,
        }
    }

    async fn send(
        &mut self,
        request: axum::http::request::Builder,
        body: Body,
    ) -> (StatusCode, String) {
        let request = match &self.cookie {
            Some(cookie) => request.header(header::COOKIE, cookie),
            None => request,
        };
        let response = self
            .router
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        if let Some(set) = response.headers().get(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_owned();
            self.cookie = (!pair.ends_with('=')).then_some(pair);
        }
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_owned());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        match location {
            Some(location) if status.is_redirection() => (status, location),
            _ => (status, text),
        }
    }

    async fn get(&mut self, path: &str) -> (StatusCode, String) {
        self.send(Request::get(path), Body::empty()).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, "https://localhost")
                .header(header::HOST, "localhost"),
            Body::from(body),
        )
        .await
    }

    async fn upload(&mut self, path: &str, parts: &[(&str, &str, &[u8])]) -> (StatusCode, String) {
        let boundary = "renkei-test-boundary";
        let mut body = Vec::new();
        for (name, file, bytes) in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let disposition = if file.is_empty() {
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
            } else {
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\r\n"
                )
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Request::post(path).header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            ),
            Body::from(body),
        )
        .await
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn csv(kind: UploadKind, lines: &[String]) -> Vec<u8> {
    let mut text = kind.columns().join(",");
    for line in lines {
        text.push('\n');
        text.push_str(line);
    }
    text.push('\n');
    text.into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_side_does_its_part_through_the_pages() {
    let dir = tempfile::tempdir().unwrap();
    let relay = relay(dir.path()).await;
    let (municipality_secret, clinic_secret) = organisations(&relay).await;
    let insured = "0000000007";

    // The municipality signs in and loads applications and consents.
    let mut municipality = Browser::new(&relay);
    let (status, _) = municipality.get("/base/municipality").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "a page without a session goes to sign-in"
    );
    let code = current_code(&municipality_secret, now()).unwrap();
    let (status, home) = municipality
        .post(
            "/base/login/staff",
            &[
                ("side", "municipality"),
                ("number", INSURER),
                ("name", "tanaka"),
                ("password", PASSWORD),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!((status, home.as_str()), (StatusCode::SEE_OTHER, "/base/"));
    let (_, target) = municipality.get("/base/").await;
    assert_eq!(target, "/base/municipality");

    let bad = csv(
        UploadKind::Application,
        &[format!("{INSURER},{insured},新規,2026-13-01")],
    );
    let (status, page) = municipality
        .upload("/base/municipality/upload", &[("file", "申請.csv", &bad)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("何も読み込んでいません"), "{page}");
    let applications = csv(
        UploadKind::Application,
        &[
            format!("{INSURER},{insured},新規,20261101"),
            format!("{INSURER},0000000008,更新,20261102"),
        ],
    );
    let (status, page) = municipality
        .upload(
            "/base/municipality/upload",
            &[("file", "申請.csv", &applications)],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("記録2件"), "{page}");
    let (_, overview) = municipality.get("/base/municipality").await;
    assert!(overview.contains(insured), "{overview}");
    // Listing a person in the overview is a read of their application, in their log.
    let listed = relay
        .store()
        .access_log(&PersonKey::new(INSURER, insured), 10, 0)
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|a| a.viewer == format!("municipality:{INSURER}")
                && a.kind == RecordKind::Application
                && a.refusal.is_none()),
        "{listed:?}"
    );

    // It asks the clinic for the opinion and records the survey.
    let person_page = format!("/base/municipality/people/{insured}");
    for (act, form) in [
        (
            "step",
            vec![
                ("application", "20261101"),
                ("step", "認定調査"),
                ("date", "20261105"),
            ],
        ),
        (
            "opinion",
            vec![("application", "20261101"), ("clinic", CLINIC)],
        ),
        ("consent", vec![("consent", "standing")]),
        (
            "survey",
            vec![
                ("application", "20261101"),
                ("date", "20261105"),
                ("investigator", "架空 調査員"),
                ("walking", "何かにつかまればできる"),
            ],
        ),
    ] {
        let (status, target) = municipality
            .post(&format!("{person_page}/{act}"), &form)
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{act}: {target}");
    }
    let (_, page) = municipality.get(&person_page).await;
    assert!(
        page.contains("同意あり") && page.contains("依頼中"),
        "{page}"
    );
    assert!(
        page.contains("何かにつかまればできる"),
        "the survey: {page}"
    );

    // A form from another site is refused before it does anything.
    let (status, _) = municipality
        .send(
            Request::post(format!("{person_page}/consent"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::HOST, "localhost"),
            Body::from("consent=withdrawn"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The clinic sees the request, and no other page.
    let mut clinic = Browser::new(&relay);
    let code = current_code(&clinic_secret, now()).unwrap();
    clinic
        .post(
            "/base/login/staff",
            &[
                ("side", "clinic"),
                ("number", CLINIC),
                ("name", "suzuki"),
                ("password", PASSWORD),
                ("code", &code),
            ],
        )
        .await;
    let (status, list) = clinic.get("/base/clinic").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(insured) && list.contains("依頼中"), "{list}");
    let (status, _) = clinic.get(&person_page).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let form = format!("/base/clinic/opinions/{INSURER}/{insured}/20261101");
    let (status, _) = clinic
        .upload(
            &form,
            &[
                ("doctor", "", "架空 一郎".as_bytes()),
                ("diagnosis", "", "変形性膝関節症".as_bytes()),
                ("stability", "", "安定".as_bytes()),
                ("pdf", "opinion.pdf", b"%PDF-1.4\n%fictional\n"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, list) = clinic.get("/base/clinic").await;
    assert!(list.contains("提出済"), "{list}");
    // The clinic was not asked for the other person's opinion.
    let (status, _) = clinic
        .upload(
            &format!("/base/clinic/opinions/{INSURER}/0000000008/20261102"),
            &[("doctor", "", b"x"), ("diagnosis", "", b"y")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The municipality sees the opinion with its PDF, enters the result, gives a code.
    let (_, page) = municipality.get(&person_page).await;
    assert!(
        page.contains("変形性膝関節症") && page.contains("PDFを開く"),
        "{page}"
    );
    let (status, pdf) = municipality
        .get(&format!("/base/opinions/{INSURER}/{insured}/20261101/pdf"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf.starts_with("%PDF-"));
    let (status, _) = municipality
        .post(
            &format!("{person_page}/result"),
            &[
                ("application", "20261101"),
                ("care_level", "22"),
                ("from", "20261201"),
                ("to", "20271130"),
                ("board_opinion", "特になし"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // 住宅改修 twice: the running total says how far past the ¥200,000 cap it went.
    for (date, amount) in [("20261110", "150,000"), ("20261120", "80000")] {
        let (status, _) = municipality
            .post(
                &format!("{person_page}/allowance"),
                &[
                    ("allowance", "housing_reform"),
                    ("date", date),
                    ("amount", amount),
                    ("note", "手すりの取付け"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (status, page) = municipality
        .post(
            &format!("{person_page}/allowance"),
            &[
                ("allowance", "housing_reform"),
                ("date", "20261120"),
                ("amount", "たくさん"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    let (_, page) = municipality.get(&person_page).await;
    assert!(
        page.contains("通算: 2件 230,000円 / 上限200,000円(上限を30,000円超えています)"),
        "{page}"
    );
    let (status, page) = municipality
        .post(&format!("{person_page}/activation"), &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    let start = page.find("id=\"activation-code\">").unwrap() + "id=\"activation-code\">".len();
    let code = page[start..start + 14].to_owned();

    // The person sets a password, sees the result and who looked, and withdraws.
    let mut person = Browser::new(&relay);
    let (status, _) = person
        .post(
            "/base/activate",
            &[
                ("insurer", INSURER),
                ("insured", insured),
                ("code", &code),
                ("password", PASSWORD),
                ("again", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, me) = person.get("/base/me").await;
    assert_eq!(status, StatusCode::OK);
    assert!(me.contains("要介護２"), "the result: {me}");
    // Who looked, by name: the clinic and the municipality.
    assert!(
        me.contains("<td>架空内科クリニック</td>"),
        "the clinic's view is logged: {me}"
    );
    assert!(me.contains("<td>新宿区</td>"), "{me}");
    let (status, _) = person.get("/base/municipality").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An office is registered only by answering its request: a typed number is no path
    // (a caller could be talked into registering a stranger).
    let (status, _) = person
        .post("/base/me/register", &[("office", "1310000043")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, target) = person.post("/base/me/withdraw", &[]).await;
    assert_eq!(
        (status, target.as_str()),
        (StatusCode::SEE_OTHER, "/base/me?done=withdraw")
    );
    let (_, me) = person.get("/base/me?done=withdraw").await;
    assert!(me.contains("撤回しています"), "{me}");

    // Signing out ends the session.
    person.post("/base/logout", &[]).await;
    let (status, _) = person.get("/base/me").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
