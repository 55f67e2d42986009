//! For tests only: a relay on loopback with real TLS, on SQLite or PostgreSQL, and offices
//! enrolled with it the way an office does. The relay's, the office console's and the
//! command line's tests share it; nothing that ships depends on it.

// Test fixtures: what they hold is looked at through their fields, not printed.
#![allow(missing_debug_implementations)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use renkei_hub::relay::{IssuedCode, Notary, Relay, Swept};
use renkei_hub::setup::{HubFiles, Settings};
use renkei_hub::store::PostgresStore;
use renkei_office::client::{HubClient, SendOutcome};
use renkei_office::parcel;
use renkei_office::profile::Profile;
use renkei_seal::{ArchivedFile, Certificate};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// How a test sets the relay's limits, without depending on the relay itself.
pub use renkei_hub::relay::RelayConfig;

pub const OPERATOR: &str = "operator";
pub const PASSWORD: &str = "a long operator password";

pub struct Hub {
    pub dir: TempDir,
    pub url: String,
    pub relay: TestRelay,
    pub authority: Certificate,
    /// The operator's authenticator key, and the token of its one sign-in (a one-time
    /// code signs in once).
    pub operator_secret: String,
    operator_token: std::sync::Mutex<Option<String>>,
    /// The PostgreSQL database the relay uses, dropped with the hub.
    database: Option<String>,
    _stop: oneshot::Sender<()>,
}

/// The relay on whichever store the run asked for: `RENKEI_TEST_STORE=postgres` runs these
/// tests on PostgreSQL (`RENKEI_TEST_POSTGRES` names the server), anything else on SQLite;
/// with the calls tests make of it in the form they need.
pub struct TestRelay {
    pub relay: Arc<Relay>,
}

impl TestRelay {
    /// Load a municipality's file into the information base.
    pub async fn load(
        &self,
        insurer: &str,
        file: &str,
    ) -> renkei_hub::Result<renkei_hub::relay::Loaded> {
        let municipality = renkei_infobase::Participant::Municipality {
            insurer: insurer.into(),
        };
        self.relay.load(&municipality, file.as_bytes(), 1).await
    }

    /// Register `office` as the person's, confirmed by the person.
    pub async fn register(
        &self,
        person: &renkei_infobase::PersonKey,
        office: &str,
    ) -> renkei_hub::Result<()> {
        let by = renkei_infobase::Participant::Person(person.clone());
        self.relay.register_office(&by, person, office, 2).await
    }

    /// The offices waiting for the person's answer.
    pub async fn requests(
        &self,
        person: &renkei_infobase::PersonKey,
    ) -> renkei_hub::Result<Vec<String>> {
        let by = renkei_infobase::Participant::Person(person.clone());
        self.relay
            .registration_requests(&by, person)
            .await
            .map(|r| r.into_iter().map(|r| r.office).collect())
    }

    /// `by`'s answer to `office`'s request to be the person's office.
    pub async fn answer(
        &self,
        by: &renkei_infobase::Participant,
        person: &renkei_infobase::PersonKey,
        office: &str,
        approved: bool,
    ) -> renkei_hub::Result<()> {
        self.relay
            .answer_registration(by, person, office, approved, now())
            .await
    }

    /// The person withdraws their consent on their own page.
    pub async fn withdraw(&self, person: &renkei_infobase::PersonKey) -> renkei_hub::Result<()> {
        let by = renkei_infobase::Participant::Person(person.clone());
        self.relay
            .set_consent(&by, person, renkei_infobase::Consent::Withdrawn, now())
            .await
    }

    pub async fn consent(
        &self,
        person: &renkei_infobase::PersonKey,
    ) -> renkei_hub::Result<renkei_infobase::Consent> {
        use renkei_hub::store::InfobaseStore;
        self.relay.store().consent(person).await
    }

    /// The person's access log as they read it, newest first.
    pub async fn log(
        &self,
        person: &renkei_infobase::PersonKey,
    ) -> renkei_hub::Result<Vec<renkei_hub::store::Access>> {
        let by = renkei_infobase::Participant::Person(person.clone());
        self.relay.access_log(&by, person, 100, 0, now()).await
    }

    /// The person's password, set with an activation code from their municipality.
    pub async fn activate(
        &self,
        person: &renkei_infobase::PersonKey,
        password: &str,
    ) -> renkei_hub::Result<()> {
        let municipality = renkei_infobase::Participant::Municipality {
            insurer: person.insurer.clone(),
        };
        let code = self
            .relay
            .issue_activation(&municipality, person, now())
            .await?;
        self.relay
            .activate(person, &code, password, LOOPBACK, now())
            .await
            .map(|_| ())
    }

    pub async fn issue_code(
        &self,
        number: &str,
        name: &str,
        kinds: &[String],
        time: i64,
    ) -> renkei_hub::Result<IssuedCode> {
        self.relay.issue_code(number, name, kinds, time).await
    }

    pub async fn sweep(&self, time: i64) -> renkei_hub::Result<Swept> {
        self.relay.sweep(time).await
    }

    /// Keep a parcel as if the relay's checks had let it through (an older or subverted
    /// relay): what the receiving office must still refuse on its own.
    pub async fn plant(&self, parcel: renkei_hub::store::NewParcel) {
        use renkei_hub::store::ParcelStore;
        self.relay.store().accept(parcel).await.unwrap();
    }

    /// Enrol `number` with `pem` as its certificate, as a relay that handed out the wrong
    /// certificate (or one not of its authority) would have it in its directory.
    pub async fn plant_enrolment(&self, number: &str, pem: &str) {
        use renkei_hub::store::{CertificateRecord, OfficeStore};
        let code = self
            .issue_code(number, "植え付けた事業所", &["15".into()], now())
            .await
            .unwrap();
        let digest =
            renkei_seal::sha256_hex(renkei_hub::relay::normalise_code(&code.code).as_bytes());
        let record = CertificateRecord {
            fingerprint: format!("planted-{number}"),
            serial: format!("planted-{number}"),
            office: number.into(),
            pem: pem.into(),
            not_before: 0,
            not_after: now() + 86_400,
            issued: now(),
            revoked: None,
            revocation_reason: None,
        };
        self.relay
            .store()
            .enrol(&digest, record, now())
            .await
            .unwrap();
    }

    pub fn notary(&self) -> &Notary {
        self.relay.notary()
    }

    fn router(&self) -> renkei_hub::http::Router {
        renkei_hub::http::router(Arc::clone(&self.relay))
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(url) = self.database.take() {
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
}

pub async fn start(config: RelayConfig) -> Hub {
    start_on(
        config,
        std::env::var("RENKEI_TEST_STORE").as_deref() == Ok("postgres"),
    )
    .await
}

pub async fn start_on(config: RelayConfig, postgres: bool) -> Hub {
    start_limited(
        config,
        postgres,
        renkei_hub::http::tls::ListenerLimits::default(),
    )
    .await
}

/// A relay whose listener keeps to `limits` (lowered in tests of abuse).
pub async fn start_limited(
    config: RelayConfig,
    postgres: bool,
    limits: renkei_hub::http::tls::ListenerLimits,
) -> Hub {
    let dir = tempfile::tempdir().unwrap();
    let files = HubFiles::new(dir.path().join("hub"));
    let database = postgres.then(|| {
        let server = std::env::var("RENKEI_TEST_POSTGRES")
            .unwrap_or_else(|_| "host=127.0.0.1 user=postgres".into());
        let name = hex_name();
        format!("{server} dbname=renkei_test_{name}")
    });
    files
        .init(&Settings {
            name: "renkei-test".into(),
            hosts: vec!["localhost".into(), "127.0.0.1".into()],
            database: database.clone(),
        })
        .unwrap();
    let relay = match &database {
        Some(url) => {
            PostgresStore::ensure_database(url).await.unwrap();
            TestRelay {
                relay: Arc::new(files.open(Some(url), config).await.unwrap()),
            }
        }
        None => TestRelay {
            relay: Arc::new(files.open(None, config).await.unwrap()),
        },
    };
    let operator_secret = relay
        .relay
        .set_operator(OPERATOR, PASSWORD, now())
        .await
        .unwrap();
    let (url, stop) = serve(&files, relay.router(), limits).await;
    let authority = Certificate::from_pem(&std::fs::read(files.authority_path()).unwrap()).unwrap();
    Hub {
        dir,
        url,
        relay,
        authority,
        operator_secret,
        operator_token: std::sync::Mutex::default(),
        database,
        _stop: stop,
    }
}

/// Serve `router` over TLS on a port of its own; stops when the sender is dropped.
async fn serve(
    files: &HubFiles,
    router: renkei_hub::http::Router,
    limits: renkei_hub::http::tls::ListenerLimits,
) -> (String, oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://localhost:{}",
        listener.local_addr().unwrap().port()
    );
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(renkei_hub::http::tls::serve_with(
        listener,
        files.tls().unwrap(),
        router,
        async move {
            let _ = stopped.await;
        },
        Duration::from_secs(1),
        limits,
    ));
    (url, stop)
}

/// A second relay on the same PostgreSQL database, as another hub process would be.
pub struct OtherProcess {
    pub url: String,
    pub relay: TestRelay,
    _stop: oneshot::Sender<()>,
}

impl Hub {
    pub async fn another_process(&self, config: RelayConfig) -> OtherProcess {
        let url = self.database.as_deref().expect("a relay on PostgreSQL");
        let files = HubFiles::new(self.dir.path().join("hub"));
        let relay = TestRelay {
            relay: Arc::new(files.open(Some(url), config).await.unwrap()),
        };
        let (url, stop) = serve(
            &files,
            relay.router(),
            renkei_hub::http::tls::ListenerLimits::default(),
        )
        .await;
        OtherProcess {
            url,
            relay,
            _stop: stop,
        }
    }
}

fn hex_name() -> String {
    renkei_seal::random_bytes::<6>()
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where sign-ins made directly on the relay come from.
pub const LOOPBACK: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

pub fn now() -> i64 {
    renkei_seal::unix_now()
}

pub struct Office {
    pub profile: Profile,
    pub client: HubClient,
}

impl Hub {
    /// An office enrolled through the API with a code the operator issued.
    pub async fn office(&self, number: &str, name: &str, kinds: &[&str]) -> Office {
        let kinds: Vec<String> = kinds.iter().map(|k| (*k).to_owned()).collect();
        let code = self
            .relay
            .issue_code(number, name, &kinds, now())
            .await
            .unwrap();
        let mut profile = Profile::init(&self.dir.path().join(number), number).unwrap();
        profile
            .enrol(&self.url, &self.authority, &code.code)
            .await
            .unwrap();
        let client = HubClient::for_office(&profile).unwrap();
        Office { profile, client }
    }

    /// The enrolled office `office` as its own software opens it: profile, ledger, client.
    pub fn at_work(&self, office: &Office) -> renkei_office::Office {
        let mut at_work =
            renkei_office::Office::open(&self.dir.path().join(&office.profile.number)).unwrap();
        at_work.retry = renkei_office::retry::Retry::never();
        at_work
    }

    pub fn anonymous(&self) -> HubClient {
        HubClient::anonymous(&self.url, &self.authority).unwrap()
    }

    /// The operator, signed in with the password and the current one-time code.
    pub async fn operator(&self) -> HubClient {
        let known = self.operator_token.lock().unwrap().clone();
        let token = match known {
            Some(token) => token,
            None => {
                let code = self.operator_code();
                let session = self
                    .anonymous()
                    .login(OPERATOR, PASSWORD, &code)
                    .await
                    .unwrap();
                *self.operator_token.lock().unwrap() = Some(session.token.clone());
                session.token
            }
        };
        self.anonymous().with_token(token)
    }

    /// The operator's authenticator's code now.
    pub fn operator_code(&self) -> String {
        renkei_hub::relay::current_code(&self.operator_secret, now()).unwrap()
    }
}

/// A planner (居宅介護支援) and a provider (訪問介護), both enrolled.
pub async fn pair(hub: &Hub) -> (Office, Office) {
    (
        hub.office("1310000043", "架空居宅介護支援", &["43"]).await,
        hub.office("1310000011", "架空訪問介護", &["11"]).await,
    )
}

pub fn file(name: &str, text: &str) -> ArchivedFile {
    ArchivedFile {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

/// A 実績 (第6表) of one service line that passes the standard's check, from a provider to
/// its planner, under ファイル連番 `serial`: what a recipient's check lets through.
pub fn valid_actual(from: &Office, to: &Office, serial: &str) -> ArchivedFile {
    let (provider, planner) = (&from.profile.number, &to.profile.number);
    let record = format!(
        "202407,131045,0000000001,20260102,202512,{planner},山田　花子,244,,20251201,,1000,1045,1,111211,,,,,{provider},さくら訪問介護,,0,{provider},"
    );
    let fields: Vec<&str> = record.split(',').collect();
    let layout =
        renkei_spec::Layout::of(renkei_spec::FileKind::Actual, renkei_spec::Generation::V4)
            .expect("the 第6表 layout");
    ArchivedFile {
        name: named("UPJSK", from, to).replace("20251125100000", serial),
        bytes: renkei_spec::codec::write(layout, [&fields[..]]).expect("MS932"),
    }
}

/// A standard file name of `prefix` from one office to another.
pub fn named(prefix: &str, from: &Office, to: &Office) -> String {
    let month = match prefix {
        "UPPLAN" | "UPJSK" | "UPSIKYU" => "202512_",
        _ => "",
    };
    format!(
        "{prefix}_{month}{}_{}_{}_{}_20251125100000.CSV",
        from.profile.number,
        kind_of(from),
        to.profile.number,
        kind_of(to),
    )
}

fn kind_of(office: &Office) -> String {
    office
        .profile
        .certificate
        .as_ref()
        .and_then(|c| c.identity().ok())
        .and_then(|i| i.kinds.first().cloned())
        .unwrap_or_else(|| "43".into())
}

pub async fn send(
    from: &Office,
    to: &Office,
    files: &[ArchivedFile],
    id: &str,
) -> renkei_office::Result<SendOutcome> {
    let outgoing = parcel::build(
        &from.profile,
        &to.profile.number,
        to.profile.certificate().unwrap(),
        files,
        id,
        now(),
    )?;
    from.client.send(&outgoing.manifest, outgoing.payload).await
}

/// The relay's refusal code of a call that must be refused.
pub fn refusal<T: std::fmt::Debug>(result: renkei_office::Result<T>) -> renkei_proto::ProblemCode {
    match result {
        Ok(value) => panic!("expected a refusal, got {value:?}"),
        Err(error) => error
            .code()
            .unwrap_or_else(|| panic!("expected a refusal code, got {error}"))
            .clone(),
    }
}

pub fn profile_dir(hub: &Hub, name: &str) -> std::path::PathBuf {
    hub.dir.path().join(name)
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}
