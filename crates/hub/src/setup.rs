//! The hub's files in its data folder: the authority, the hub's own key and certificate,
//! the settings, and the database. `renkei hub init` makes them; `serve` opens them.
//!
//! The authority's key sits beside the hub because the hub certifies offices at enrolment;
//! the folder must be readable by the hub's account only (keys are written 0600).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use renkei_seal::{Authority, Certificate, PrivateKey};
use serde::{Deserialize, Serialize};

use crate::relay::{Notary, Relay, RelayConfig};
use crate::store::{Backend, PostgresStore, SqliteStore};
use crate::{Error, Result};

const SETTINGS: &str = "hub.json";
const AUTHORITY: &str = "authority.pem";
const AUTHORITY_KEY: &str = "authority-key.pem";
const HUB: &str = "hub.pem";
const HUB_KEY: &str = "hub-key.pem";
const DATABASE: &str = "renkei.db";

/// Years the authority lasts; days the hub's certificate lasts.
const AUTHORITY_YEARS: u32 = 20;
const HUB_DAYS: u32 = 825;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Settings {
    /// The log's name in checkpoints and the authority's name.
    pub name: String,
    /// Names and addresses the hub's TLS certificate is valid for.
    pub hosts: Vec<String>,
    /// A PostgreSQL database shared by several hub processes (`postgres://…` or
    /// `host=… dbname=…`); none: the embedded SQLite file in the data folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

/// The data folder of a hub.
#[derive(Clone, Debug)]
pub struct HubFiles {
    pub dir: PathBuf,
}

impl HubFiles {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn authority_path(&self) -> PathBuf {
        self.path(AUTHORITY)
    }

    pub fn database_path(&self) -> PathBuf {
        self.path(DATABASE)
    }

    pub fn exists(&self) -> bool {
        self.path(SETTINGS).exists()
    }

    /// Make a new authority, the hub's key and certificate for `hosts`, and the database.
    /// Refuses to overwrite an existing hub: its authority is what every office trusts.
    pub fn init(&self, settings: &Settings) -> Result<()> {
        if self.exists() {
            return Err(Error::Io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} にはすでに中継サーバーがあります。作り直すと全事業所の登録が無効になるため、上書きしません / a hub already exists there; it is not overwritten",
                    self.dir.display()
                ),
            )));
        }
        std::fs::create_dir_all(&self.dir)?;
        let authority = Authority::create(&format!("{} 認証局", settings.name), AUTHORITY_YEARS)?;
        let hub_key = PrivateKey::generate()?;
        let hosts: Vec<&str> = settings.hosts.iter().map(String::as_str).collect();
        let hub = authority.issue_server(&hub_key, &hosts, HUB_DAYS)?;
        write_private(&self.path(AUTHORITY_KEY), &authority.key.to_pem()?)?;
        std::fs::write(self.path(AUTHORITY), authority.certificate.to_pem()?)?;
        write_private(&self.path(HUB_KEY), &hub_key.to_pem()?)?;
        std::fs::write(self.path(HUB), hub.to_pem()?)?;
        if settings.database.is_none() {
            SqliteStore::open(self.database_path())?.close();
        }
        let json =
            serde_json::to_vec_pretty(settings).map_err(|e| Error::Database(e.to_string()))?;
        // Written last: a hub counts as made only when everything else is there.
        std::fs::write(self.path(SETTINGS), json)?;
        Ok(())
    }

    pub fn settings(&self) -> Result<Settings> {
        let path = self.path(SETTINGS);
        let bytes = std::fs::read(&path).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!(
                    "{} を読めません。先に `renkei hub init` を実行してください / cannot read it; run `renkei hub init` first: {e}",
                    path.display()
                ),
            ))
        })?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Database(e.to_string()))
    }

    /// Open the relay on its database: `database` (a PostgreSQL connection string) when
    /// given, else the one the folder was made with — PostgreSQL, or the embedded SQLite
    /// file. The back end is chosen here, once.
    pub async fn open(&self, database: Option<&str>, config: RelayConfig) -> Result<Relay> {
        let configured = match database {
            Some(url) => Some(url.to_owned()),
            None => self.settings()?.database,
        };
        let store = match configured {
            Some(url) => Backend::Postgres(PostgresStore::connect(&url).await?),
            None => Backend::Sqlite(SqliteStore::open(self.database_path())?),
        };
        self.relay(Arc::new(store), config)
    }

    /// The keys of this folder with `store`, as a relay.
    pub fn relay(&self, store: Arc<Backend>, config: RelayConfig) -> Result<Relay> {
        let settings = self.settings()?;
        let authority = Authority {
            certificate: Certificate::from_pem(&std::fs::read(self.path(AUTHORITY))?)?,
            key: PrivateKey::from_pem(&std::fs::read(self.path(AUTHORITY_KEY))?)?,
        };
        let hub = Certificate::from_pem(&std::fs::read(self.path(HUB))?)?;
        let hub_key = PrivateKey::from_pem(&std::fs::read(self.path(HUB_KEY))?)?;
        let notary = Notary::new(settings.name, hub, hub_key)?;
        Relay::new(store, authority, notary, config)
    }

    /// TLS for serving: the hub's certificate and key, asking for office certificates.
    pub fn tls(&self) -> Result<Arc<rustls::ServerConfig>> {
        crate::http::tls::server_config(
            &std::fs::read(self.path(HUB))?,
            &std::fs::read(self.path(HUB_KEY))?,
            &std::fs::read(self.path(AUTHORITY))?,
        )
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes)?;
    Ok(())
}
