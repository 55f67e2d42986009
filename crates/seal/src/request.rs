//! Certificate requests: the office makes its key pair and sends only this.

use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Public};
use openssl::x509::{X509NameBuilder, X509Req, X509ReqBuilder};

use crate::error::{Error, Result};
use crate::keys::PrivateKey;

pub struct CertificateRequest(X509Req);

impl std::fmt::Debug for CertificateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CertificateRequest")
    }
}

impl CertificateRequest {
    /// A request for `key`, naming the office it is for. The authority takes the office's
    /// details from the enrolment record, not from here: the request proves the key.
    pub fn new(key: &PrivateKey, office_number: &str) -> Result<Self> {
        let mut name = X509NameBuilder::new()?;
        name.append_entry_by_nid(Nid::COMMONNAME, office_number)?;
        let name = name.build();
        let mut builder = X509ReqBuilder::new()?;
        builder.set_subject_name(&name)?;
        builder.set_pubkey(&key.0)?;
        builder.sign(&key.0, MessageDigest::sha256())?;
        // Read back from its encoding, so the request in hand is the one the authority gets
        // (OpenSSL 3.6, which the Windows build carries, does not verify a request straight
        // from its builder).
        Ok(Self(X509Req::from_der(&builder.build().to_der()?)?))
    }

    pub fn to_pem(&self) -> Result<Vec<u8>> {
        Ok(self.0.to_pem()?)
    }

    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        X509Req::from_pem(pem)
            .map(Self)
            .map_err(|e| Error::decode("証明書署名要求", "certificate request", e))
    }

    /// The office number the request names (its subject's common name).
    pub fn office_number(&self) -> Option<String> {
        self.0
            .subject_name()
            .entries_by_nid(Nid::COMMONNAME)
            .next()
            .and_then(|entry| String::from_utf8(entry.data().as_slice().to_vec()).ok())
    }

    /// The requested public key, once the request's own signature shows its maker holds the
    /// private key.
    pub(crate) fn verified_key(&self) -> Result<PKey<Public>> {
        let key = self.0.public_key()?;
        if self.0.verify(&key).unwrap_or(false) {
            Ok(key)
        } else {
            Err(Error::BadSignature("certificate request"))
        }
    }
}
