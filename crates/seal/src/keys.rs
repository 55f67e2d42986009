//! Private keys: ECDSA P-256, made where they are used and never sent anywhere.

use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;

use crate::error::{Error, Result};

pub struct PrivateKey(pub(crate) PKey<Private>);

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(P-256, hidden)")
    }
}

impl PrivateKey {
    pub fn generate() -> Result<Self> {
        let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
        Ok(Self(PKey::from_ec_key(EcKey::generate(&group)?)?))
    }

    /// PKCS#8 PEM, as `openssl` writes `-----BEGIN PRIVATE KEY-----`.
    pub fn to_pem(&self) -> Result<Vec<u8>> {
        Ok(self.0.private_key_to_pem_pkcs8()?)
    }

    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        PKey::private_key_from_pem(pem)
            .map(Self)
            .map_err(|e| Error::decode("秘密鍵", "private key", e))
    }

    /// PKCS#8 DER, as rustls takes a key.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        Ok(self.0.private_key_to_pkcs8()?)
    }

    /// An ECDSA-SHA256 signature (DER) over `bytes`.
    pub fn sign(&self, bytes: &[u8]) -> Result<Vec<u8>> {
        let mut signer = Signer::new(MessageDigest::sha256(), &self.0)?;
        signer.update(bytes)?;
        Ok(signer.sign_to_vec()?)
    }
}
