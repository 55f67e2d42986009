//! A relay on loopback with real TLS, and offices enrolled with it the way an office does.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use renkei_hub::relay::{Relay, RelayConfig};
use renkei_hub::setup::{HubFiles, Settings};
use renkei_hub::store::SqliteStore;
use renkei_office::client::{HubClient, SendOutcome};
use renkei_office::parcel;
use renkei_office::profile::Profile;
use renkei_seal::{ArchivedFile, Certificate};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const OPERATOR: &str = "operator";
pub const PASSWORD: &str = "a long operator password";

pub struct Hub {
    pub dir: TempDir,
    pub url: String,
    pub relay: Arc<Relay<SqliteStore>>,
    pub authority: Certificate,
    _stop: oneshot::Sender<()>,
}

pub async fn start(config: RelayConfig) -> Hub {
    let dir = tempfile::tempdir().unwrap();
    let files = HubFiles::new(dir.path().join("hub"));
    files
        .init(&Settings {
            name: "renkei-test".into(),
            hosts: vec!["localhost".into(), "127.0.0.1".into()],
        })
        .unwrap();
    let relay = Arc::new(files.open(config).unwrap());
    relay.set_operator(OPERATOR, PASSWORD, now()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://localhost:{}",
        listener.local_addr().unwrap().port()
    );
    let (stop, stopped) = oneshot::channel::<()>();
    let router = renkei_hub::http::router(Arc::clone(&relay));
    tokio::spawn(renkei_hub::http::tls::serve(
        listener,
        files.tls().unwrap(),
        router,
        async move {
            let _ = stopped.await;
        },
        Duration::from_secs(1),
    ));
    let authority = Certificate::from_pem(&std::fs::read(files.authority_path()).unwrap()).unwrap();
    Hub {
        dir,
        url,
        relay,
        authority,
        _stop: stop,
    }
}

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

    pub fn anonymous(&self) -> HubClient {
        HubClient::anonymous(&self.url, &self.authority).unwrap()
    }

    pub async fn operator(&self) -> HubClient {
        let session = self.anonymous().login(OPERATOR, PASSWORD).await.unwrap();
        self.anonymous().with_token(session.token)
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

pub fn refusal<T: std::fmt::Debug>(result: renkei_office::Result<T>) -> String {
    match result {
        Ok(value) => panic!("expected a refusal, got {value:?}"),
        Err(error) => error
            .code()
            .unwrap_or_else(|| panic!("expected a refusal code, got {error}"))
            .to_owned(),
    }
}

pub fn profile_dir(hub: &Hub, name: &str) -> std::path::PathBuf {
    hub.dir.path().join(name)
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}
