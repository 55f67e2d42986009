//! The manifest: what the relay may know of a parcel (who to whom, which files, how big,
//! their digests), signed by the sender. The parcel itself stays sealed.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::certificate::Certificate;
use crate::error::{Error, Result};
use crate::keys::PrivateKey;

pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The sender's own id for this parcel: sending again with the same id is safe.
    pub client_parcel_id: String,
    /// 事業所番号 of the sender and the recipient.
    pub sender: String,
    pub recipient: String,
    pub created: i64,
    /// SHA-256 (hex) and size of the sealed parcel as sent.
    pub payload_sha256: String,
    pub payload_size: u64,
    pub files: Vec<ManifestFile>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub name: String,
    /// Interface file prefix (`UPPLAN` …), or `None` for an attachment.
    pub kind: Option<String>,
    /// 対象年月 (`YYYYMM`) when the file name gives one.
    pub month: Option<String>,
    pub size: u64,
    /// SHA-256 (hex) of the file's bytes before sealing.
    pub sha256: String,
}

/// A manifest as signed: its JSON bytes exactly as the sender made them, and the
/// signature over them. The bytes are never re-encoded before verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedManifest {
    /// The manifest's JSON, base64.
    pub manifest: String,
    /// ECDSA-SHA256 (DER), base64.
    pub signature: String,
}

impl SignedManifest {
    pub fn sign(manifest: &Manifest, key: &PrivateKey) -> Result<Self> {
        let bytes = serde_json::to_vec(manifest)?;
        let signature = key.sign(&bytes)?;
        Ok(Self {
            manifest: STANDARD.encode(bytes),
            signature: STANDARD.encode(signature),
        })
    }

    /// The manifest, once `signer` is shown to have signed exactly these bytes.
    pub fn verify(&self, signer: &Certificate) -> Result<Manifest> {
        let bytes = STANDARD
            .decode(&self.manifest)
            .map_err(|e| Error::decode("送付状", "manifest", e))?;
        let signature = STANDARD
            .decode(&self.signature)
            .map_err(|e| Error::decode("送付状の署名", "manifest signature", e))?;
        signer
            .verify_signature(&bytes, &signature)
            .map_err(|_| Error::BadSignature("manifest"))?;
        Ok(serde_json::from_slice(&bytes)?)
    }

    /// The manifest without checking the signature, to find out who claims to have sent it.
    pub fn unverified(&self) -> Result<Manifest> {
        let bytes = STANDARD
            .decode(&self.manifest)
            .map_err(|e| Error::decode("送付状", "manifest", e))?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}
