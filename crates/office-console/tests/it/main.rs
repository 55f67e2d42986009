//! The office console over HTTP: every page needs a staff session, forms are taken only
//! from the console itself, administrators alone manage accounts, and a unit refused before
//! sending is kept with its report line by line.

mod api;

use std::sync::Arc;

use renkei_office::Office;
use renkei_office::ledger::Role;
use renkei_office_console::{Console, Folders, session};
use renkei_testkit::RelayConfig;
use renkei_testkit::{Office as Enrolled, pair, profile_dir, start};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, ORIGIN, SET_COOKIE};

const ADMIN_PASSWORD: &str = "admin-password-0123";

struct Running {
    base: String,
    http: reqwest::Client,
    office: Arc<Office>,
    hub: renkei_testkit::Hub,
    planner: Enrolled,
    provider: Enrolled,
}

/// A relay, two enrolled offices, and the planner's console on loopback with an administrator.
async fn console() -> Running {
    let hub = start(RelayConfig::default()).await;
    let (planner, provider) = pair(&hub).await;
    let dir = profile_dir(&hub, &planner.profile.number);
    let office = Arc::new(Office::open(&dir).unwrap());
    session::set_account(&office.ledger, "admin", Role::Admin, ADMIN_PASSWORD)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let console = Console::new(Arc::clone(&office), Folders::inside(&dir));
    tokio::spawn(renkei_office_console::serve(
        listener,
        console,
        Vec::new(),
        std::future::pending(),
    ));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Running {
        base,
        http,
        office,
        hub,
        planner,
        provider,
    }
}

impl Running {
    async fn sign_in(&self, name: &str, password: &str) -> Option<String> {
        let answer = self
            .http
            .post(format!("{}/login", self.base))
            .form(&[("name", name), ("password", password), ("next", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        answer
            .headers()
            .get(SET_COOKIE)
            .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        request.send().await.unwrap()
    }

    async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, cookie)
            .form(form)
            .send()
            .await
            .unwrap()
    }
}

fn location(answer: &reqwest::Response) -> String {
    answer
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_needs_a_session_and_forms_come_from_the_console_only() {
    let running = console().await;
    for path in [
        "/",
        "/outbox",
        "/inbox",
        "/people",
        "/documents",
        "/documents/1",
        "/refusals",
        "/partners",
        "/evidence",
        "/evidence.csv",
        "/evidence.pdf",
        "/effect",
        "/effect.pdf",
        "/send",
        "/staff",
        "/parcels/0123abcd",
        // The month-end pages hold every person's services and forms of the month.
        "/reconcile",
        "/reconcile.csv",
        "/reconcile/131045/0000012345",
        "/board",
        "/people/print",
        "/people/print.pdf",
        "/events",
    ] {
        let answer = running.get(path, None).await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(
            location(&answer).starts_with("/login?next="),
            "{path}: {}",
            location(&answer)
        );
    }
    // Posting without a session is sent to sign in too; nothing is done.
    let answer = running
        .http
        .post(format!("{}/staff", running.base))
        .form(&[
            ("name", "intruder"),
            ("password", "0123456789ab"),
            ("role", "admin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(running.office.ledger.staff().unwrap().len(), 1);

    assert_eq!(running.sign_in("admin", "wrong password").await, None);
    let cookie = running.sign_in("admin", ADMIN_PASSWORD).await.unwrap();
    let home = running.get("/", Some(&cookie)).await;
    assert_eq!(home.status(), StatusCode::OK);
    assert!(home.text().await.unwrap().contains("送信待ち"));

    // A form posted from another site is refused, whatever cookie it carries.
    let forged = running
        .http
        .post(format!("{}/staff", running.base))
        .header(COOKIE, &cookie)
        .header(ORIGIN, "http://evil.example")
        .form(&[
            ("name", "intruder"),
            ("password", "0123456789ab"),
            ("role", "admin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(running.office.ledger.staff().unwrap().len(), 1);
    // The inbox's 受信 button likewise: another site's form, or no session, does nothing.
    let forged = running
        .http
        .post(format!("{}/inbox/receive", running.base))
        .header(COOKIE, &cookie)
        .header(ORIGIN, "http://evil.example")
        .form(&[("month", "202512")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let anonymous = running
        .http
        .post(format!("{}/inbox/receive", running.base))
        .form(&[("month", "202512")])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert!(location(&anonymous).starts_with("/login"));
    // Sending again and withdrawing a document (取消) likewise: another site cannot make the
    // office send, and nothing is prepared for it.
    // The audit log's check likewise (it asks the relay, and its finding shows on the page).
    for path in [
        "/parcels/0123456789abcdef0123456789abcdef/resend",
        "/documents/1/withdraw",
        "/evidence/log-check",
    ] {
        let forged = running
            .http
            .post(format!("{}{path}", running.base))
            .header(COOKIE, &cookie)
            .header(ORIGIN, "http://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN, "{path}");
        let anonymous = running
            .http
            .post(format!("{}{path}", running.base))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&anonymous).starts_with("/login"), "{path}");
    }

    // After signing in, only a path of this console is followed.
    let answer = running
        .http
        .post(format!("{}/login", running.base))
        .form(&[
            ("name", "admin"),
            ("password", ADMIN_PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&answer), "/");

    // Signing out ends the session for good.
    let out = running.post("/logout", &cookie, &[]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        running.get("/", Some(&cookie)).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_alone_manage_accounts() {
    let running = console().await;
    let admin = running.sign_in("admin", ADMIN_PASSWORD).await.unwrap();
    let short = running
        .post(
            "/staff",
            &admin,
            &[("name", "suzuki"), ("password", "short"), ("role", "staff")],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(short.contains("10文字以上"), "{short}");
    let added = running
        .post(
            "/staff",
            &admin,
            &[
                ("name", "suzuki"),
                ("password", "suzuki-password-1"),
                ("role", "staff"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(added.contains("suzuki を職員として登録しました"), "{added}");

    let staff = running
        .sign_in("suzuki", "suzuki-password-1")
        .await
        .unwrap();
    let refused = running
        .post(
            "/staff",
            &staff,
            &[
                ("name", "tanaka"),
                ("password", "tanaka-password-1"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.unwrap().contains("管理者だけ"));
    let own = running
        .get("/staff", Some(&staff))
        .await
        .text()
        .await
        .unwrap();
    assert!(own.contains("自分のパスワードを変える") && !own.contains("職員を追加する"));

    // A staff member changes their own password; the old one no longer signs in.
    let changed = running
        .post(
            "/staff/password",
            &staff,
            &[
                ("current", "suzuki-password-1"),
                ("password", "suzuki-password-2"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(changed.contains("パスワードを変更しました"), "{changed}");
    assert_eq!(
        running.get("/", Some(&staff)).await.status(),
        StatusCode::SEE_OTHER,
        "a new password ends the sessions of the old"
    );
    assert_eq!(running.sign_in("suzuki", "suzuki-password-1").await, None);
    assert!(
        running
            .sign_in("suzuki", "suzuki-password-2")
            .await
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_refused_before_sending_is_kept_with_its_report() {
    let running = console().await;
    let dir = running.office.profile.dir.clone();
    let export = dir.join("export");
    std::fs::create_dir_all(&export).unwrap();
    let name = renkei_testkit::named("UPPLAN", &running.planner, &running.provider);
    std::fs::write(export.join(&name), "202407,131011\r\n").unwrap();
    let report = renkei_office::sending::send_folder(
        &running.office,
        &export,
        &dir.join("sent"),
        &renkei_spec::progress::Silent,
    )
    .await
    .unwrap();
    assert_eq!((report.sent.len(), report.refused.len()), (0, 1));

    let cookie = running.sign_in("admin", ADMIN_PASSWORD).await.unwrap();
    let home = running.get("/", Some(&cookie)).await.text().await.unwrap();
    assert!(home.contains("送れなかったもの"));
    let list = running
        .get("/refusals", Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("エラーが"), "{list}");
    let key = list
        .split("href=\"/refusals/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let page = running
        .get(&format!("/refusals/{key}"), Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&name) && page.contains("S001"), "{page}");
    assert!(
        page.contains("<td class=\"n\">1</td>"),
        "the line is named: {page}"
    );
    // The file stays in the export folder for the clerk to correct.
    assert!(export.join(&name).exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_information_base_pages_ask_for_a_one_time_code_too() {
    let running = console().await;
    let cookie = running.sign_in("admin", ADMIN_PASSWORD).await.unwrap();
    let answer = running.get("/base", Some(&cookie)).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&answer), "/verify?next=/base");

    // The first time, a key to enrol; it is kept only when a code made with it comes back.
    let page = running
        .get("/verify?next=/base", Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    let key = page
        .split("id=\"totp-secret\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    assert!(
        running
            .office
            .ledger
            .totp_secret("admin")
            .unwrap()
            .is_none()
    );
    let wrong = running
        .post(
            "/verify",
            &cookie,
            &[("code", "000000"), ("new_key", &key), ("next", "/base")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        wrong.text().await.unwrap().contains(&key),
        "the same key again"
    );
    let code = renkei_seal::totp::code(&key, renkei_seal::unix_now()).unwrap();
    let right = running
        .post(
            "/verify",
            &cookie,
            &[("code", &code), ("new_key", &key), ("next", "/base")],
        )
        .await;
    assert_eq!(location(&right), "/base");
    assert_eq!(
        running
            .office
            .ledger
            .totp_secret("admin")
            .unwrap()
            .as_deref(),
        Some(key.as_str())
    );
    // The same code does not open a second session.
    let second = running.sign_in("admin", ADMIN_PASSWORD).await.unwrap();
    let replay = running
        .post("/verify", &second, &[("code", &code), ("next", "/base")])
        .await;
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);

    // Five wrong codes in a row (the replay above and four more) end the session: the
    // password is asked again.
    let mut last = None;
    for _ in 0..4 {
        last = Some(
            running
                .post("/verify", &second, &[("code", "000000"), ("next", "/base")])
                .await,
        );
    }
    assert_eq!(location(&last.unwrap()), "/login?failed=2&next=/base");
    let after = running.get("/verify", Some(&second)).await;
    assert!(location(&after).starts_with("/login"));
    let login = running
        .get("/login?failed=2", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(login.contains("確認コードの誤りが続いたため"));
}

/// A request with `host` as its `Host` header, as a page of another site whose name was
/// made to point at this PC (DNS rebinding) sends it.
async fn get_as_host(running: &Running, path: &str, host: &str) -> reqwest::Response {
    running
        .http
        .get(format!("{}{path}", running.base))
        .header(reqwest::header::HOST, host)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_answers_only_to_its_own_address_and_forms_of_its_own_pages() {
    let running = console().await;
    let own = running.base.trim_start_matches("http://").to_owned();
    let port = own.rsplit_once(':').unwrap().1.to_owned();
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "127.0.0.1:1".to_owned(),
        String::new(),
    ] {
        let answer = get_as_host(&running, "/login", &host).await;
        assert_eq!(answer.status(), StatusCode::MISDIRECTED_REQUEST, "{host:?}");
    }
    assert_eq!(
        get_as_host(&running, "/login", &own).await.status(),
        StatusCode::OK
    );
    let localhost = format!("localhost:{port}");
    assert_eq!(
        get_as_host(&running, "/login", &localhost).await.status(),
        StatusCode::OK
    );

    // `Origin: null` (a sandboxed frame, a data: page) is another site: no sign-in.
    for origin in ["null", "http://evil.example", "http://localhost:1"] {
        let answer = running
            .http
            .post(format!("{}/login", running.base))
            .header(ORIGIN, origin)
            .form(&[
                ("name", "admin"),
                ("password", ADMIN_PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "{origin}");
        assert!(answer.headers().get(SET_COOKIE).is_none());
    }

    // Only a path of this console follows a sign-in; browsers read `/\` as `//`.
    for next in [
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/",
        "/\t/evil",
    ] {
        let answer = running
            .http
            .post(format!("{}/login", running.base))
            .form(&[
                ("name", "admin"),
                ("password", ADMIN_PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&answer), "/", "{next:?}");
    }
    // The sign-in page shows nothing of the URL.
    let page = running
        .get(
            "/login?failed=<script>alert(1)</script>&next=/%22%3E%3Cscript%3E",
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("<script>alert") && !page.contains("\"><script>"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_wrong_passwords_at_once_get_at_most_five_answers() {
    let running = Arc::new(console().await);
    let tries: Vec<_> = (0..50)
        .map(|_| {
            let running = Arc::clone(&running);
            tokio::spawn(async move {
                let answer = running
                    .http
                    .post(format!("{}/login", running.base))
                    .form(&[
                        ("name", "admin"),
                        ("password", "a wrong password"),
                        ("next", "/"),
                    ])
                    .send()
                    .await
                    .unwrap();
                location(&answer)
            })
        })
        .collect();
    let mut wrong = 0;
    let mut locked = 0;
    for attempt in tries {
        match attempt.await.unwrap() {
            l if l.starts_with("/login?failed=1") => wrong += 1,
            l if l.starts_with("/login?failed=3") || l.starts_with("/login?failed=4") => {
                locked += 1
            }
            other => panic!("unexpected answer {other}"),
        }
    }
    assert!(wrong <= 5, "{wrong} wrong-password answers");
    assert_eq!(wrong + locked, 50);
    // Locked now, the right password too; an unknown name locks the same way.
    assert_eq!(running.sign_in("admin", ADMIN_PASSWORD).await, None);
    for _ in 0..5 {
        assert_eq!(running.sign_in("nobody", "a wrong password").await, None);
    }
    let page = running
        .get("/login?failed=3", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("ログインできません"), "{page}");
    // Every answer carries the security headers; no inline script is allowed.
    let answer = running.get("/login", None).await;
    let policy = answer
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"));
    assert!(policy.contains("frame-ancestors 'none'"));
    assert_eq!(answer.headers()["x-content-type-options"], "nosniff");
    assert_eq!(answer.headers()["referrer-policy"], "same-origin");
}

#[test]
fn the_pages_use_the_glossarys_words() {
    // Every template and every Rust source that writes page text: none of the words the
    // glossary avoids (the browser test reads the pages as shown, too).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut dirs = vec![root.join("templates"), root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // The local API speaks to software vendors, in the API's own words.
                if !path.ends_with("api") {
                    dirs.push(path);
                }
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (number, line) in text.lines().enumerate() {
                // Comments speak to programmers.
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for (word, instead) in renkei_spec::glossary::AVOID {
                    if line.contains(word) {
                        found.push(format!(
                            "{}:{}: 「{word}」→「{instead}」",
                            path.display(),
                            number + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
