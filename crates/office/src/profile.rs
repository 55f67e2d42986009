//! The office's own files: its private key (made here, never sent), its certificate and
//! the operator's authority once enrolled, and which relay it uses.

use std::path::{Path, PathBuf};

use renkei_seal::{Certificate, CertificateRequest, PrivateKey, Trust};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

const SETTINGS: &str = "office.json";
const KEY: &str = "office-key.pem";
const CERTIFICATE: &str = "office.pem";
const AUTHORITY: &str = "authority.pem";

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Settings {
    number: String,
    hub: Option<String>,
}

/// An office's local identity.
#[derive(Debug)]
pub struct Profile {
    pub dir: PathBuf,
    pub number: String,
    pub hub: Option<String>,
    pub key: PrivateKey,
    pub certificate: Option<Certificate>,
    pub authority: Option<Certificate>,
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::file(path, e))
}

/// Write through a temporary file and rename, so a crash never leaves half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes).map_err(|e| Error::file(&temporary, e))?;
    crate::platform::held::rename(&temporary, path, Default::default())
        .map_err(|e| Error::file(path, e))
}

impl Profile {
    /// Make the office's key pair in `dir` for office `number`.
    pub fn init(dir: &Path, number: &str) -> Result<Self> {
        // Checked the same way the authority will check it.
        renkei_seal::OfficeIdentity::new(number, &[], "")?;
        std::fs::create_dir_all(dir).map_err(|e| Error::file(dir, e))?;
        let key = PrivateKey::generate()?;
        let key_path = dir.join(KEY);
        crate::platform::write_private(&key_path, &key.to_pem()?)
            .map_err(|e| Error::file(&key_path, e))?;
        let profile = Self {
            dir: dir.to_owned(),
            number: number.to_owned(),
            hub: None,
            key,
            certificate: None,
            authority: None,
        };
        profile.save_settings()?;
        Ok(profile)
    }

    pub fn load(dir: &Path) -> Result<Self> {
        let settings_path = dir.join(SETTINGS);
        if !settings_path.exists() {
            return Err(Error::NoProfile {
                path: dir.display().to_string(),
            });
        }
        let settings: Settings = serde_json::from_slice(&read(&settings_path)?)
            .map_err(|e| Error::Answer(format!("{}: {e}", settings_path.display())))?;
        let optional = |name: &str| -> Result<Option<Certificate>> {
            let path = dir.join(name);
            if path.exists() {
                Ok(Some(Certificate::from_pem(&read(&path)?)?))
            } else {
                Ok(None)
            }
        };
        let key_path = dir.join(KEY);
        let key = PrivateKey::from_pem(&read(&key_path)?)?;
        // A key restored from a backup takes the folder's access: narrowed again here. A
        // file system without permissions (a FAT stick) is told of, not refused.
        match crate::platform::keep_private(&key_path) {
            Ok(false) => {}
            Ok(true) => tracing::warn!(
                "鍵ファイル {} はほかの利用者も読める状態でした(バックアップから戻したときなど)。本人だけが読めるように直しました / the key file was readable by others; now only by this user",
                key_path.display()
            ),
            Err(error) => tracing::warn!(
                "鍵ファイル {} を本人だけが読めるようにできません。鍵は暗号化したドライブに置いてください / cannot restrict the key file: {error}",
                key_path.display()
            ),
        }
        Ok(Self {
            dir: dir.to_owned(),
            number: settings.number,
            hub: settings.hub,
            key,
            certificate: optional(CERTIFICATE)?,
            authority: optional(AUTHORITY)?,
        })
    }

    fn save_settings(&self) -> Result<()> {
        let settings = Settings {
            number: self.number.clone(),
            hub: self.hub.clone(),
        };
        let json =
            serde_json::to_vec_pretty(&settings).map_err(|e| Error::Answer(e.to_string()))?;
        write_atomically(&self.dir.join(SETTINGS), &json)
    }

    /// The request to send with an enrolment code.
    pub fn request_pem(&self) -> Result<String> {
        let request = CertificateRequest::new(&self.key, &self.number)?;
        String::from_utf8(request.to_pem()?).map_err(|e| Error::Answer(e.to_string()))
    }

    /// Keep what enrolment gave: the certificate, the authority and the relay's address.
    pub fn save_enrolment(&mut self, hub: &str, certificate: &str, authority: &str) -> Result<()> {
        let certificate_parsed = Certificate::from_pem(certificate.as_bytes())?;
        let authority_parsed = Certificate::from_pem(authority.as_bytes())?;
        write_atomically(&self.dir.join(AUTHORITY), authority.as_bytes())?;
        write_atomically(&self.dir.join(CERTIFICATE), certificate.as_bytes())?;
        self.hub = Some(hub.to_owned());
        self.certificate = Some(certificate_parsed);
        self.authority = Some(authority_parsed);
        self.save_settings()
    }

    /// Enrol with the relay at `hub`, trusting `authority` (the operator's certificate,
    /// handed over with the code): send a request for this office's key with the one-time
    /// `code`, and keep the certificate that comes back.
    pub async fn enrol(
        &mut self,
        hub: &str,
        authority: &Certificate,
        code: &str,
    ) -> Result<renkei_proto::OfficeView> {
        let client = crate::client::HubClient::anonymous(hub, authority)?;
        let enrolled = client.enrol(code, &self.request_pem()?).await?;
        let given = Certificate::from_pem(enrolled.authority.as_bytes())?;
        if given.fingerprint() != authority.fingerprint() {
            return Err(Error::AuthorityMismatch {
                expected: authority.fingerprint(),
                actual: given.fingerprint(),
            });
        }
        self.save_enrolment(hub, &enrolled.certificate, &enrolled.authority)?;
        Ok(enrolled.office)
    }

    pub fn certificate(&self) -> Result<&Certificate> {
        self.certificate.as_ref().ok_or(Error::NotEnrolled)
    }

    /// The office's name as its certificate carries it (empty before enrolment).
    pub fn office_name(&self) -> String {
        self.certificate()
            .ok()
            .and_then(|c| c.identity().ok())
            .map(|i| i.name)
            .unwrap_or_default()
    }

    pub fn trust(&self) -> Result<Trust> {
        let authority = self.authority.clone().ok_or(Error::NotEnrolled)?;
        Ok(Trust::new(authority)?)
    }

    pub fn hub(&self) -> Result<&str> {
        self.hub.as_deref().ok_or(Error::NotEnrolled)
    }

    /// Where receipts are kept, one file per parcel and step.
    pub fn receipts_dir(&self) -> PathBuf {
        self.dir.join("receipts")
    }

    /// Where the receipt of parcel `parcel_id`'s step `step` (`accepted`, `rejected` …) is kept.
    pub fn receipt_path(&self, parcel_id: &str, step: &str) -> PathBuf {
        self.receipts_dir().join(format!("{parcel_id}-{step}.json"))
    }
}
