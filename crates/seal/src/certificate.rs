//! Certificates: the office's (and the hub's), as issued by the operator's authority.

use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::sign::Verifier;
use openssl::x509::X509;

use crate::error::{Error, Result};
use crate::identity::{KIND_URN, OFFICE_URN, OfficeIdentity};

#[derive(Clone)]
pub struct Certificate(pub(crate) X509);

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("serial", &self.serial())
            .field("subject", &self.subject())
            .finish()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.to_der().ok() == other.to_der().ok()
    }
}

impl Certificate {
    pub fn from_pem(pem: &[u8]) -> Result<Self> {
        X509::from_pem(pem)
            .map(Self)
            .map_err(|e| Error::decode("証明書", "certificate", e))
    }

    pub fn from_der(der: &[u8]) -> Result<Self> {
        X509::from_der(der)
            .map(Self)
            .map_err(|e| Error::decode("証明書", "certificate", e))
    }

    pub fn to_pem(&self) -> Result<Vec<u8>> {
        Ok(self.0.to_pem()?)
    }

    pub fn to_der(&self) -> Result<Vec<u8>> {
        Ok(self.0.to_der()?)
    }

    /// The serial number in upper-case hex: what revocation lists and logs name.
    pub fn serial(&self) -> String {
        self.0
            .serial_number()
            .to_bn()
            .and_then(|bn| bn.to_hex_str().map(|s| s.to_string()))
            .unwrap_or_default()
    }

    /// SHA-256 of the DER, lower-case hex.
    pub fn fingerprint(&self) -> String {
        self.0
            .digest(MessageDigest::sha256())
            .map(|d| hex::encode(&*d))
            .unwrap_or_default()
    }

    /// The subject's common name and organisation, for people to read.
    pub fn subject(&self) -> String {
        let name = self.0.subject_name();
        [Nid::COMMONNAME, Nid::ORGANIZATIONNAME]
            .into_iter()
            .filter_map(|nid| name.entries_by_nid(nid).next())
            .filter_map(|e| e.data().to_string().ok())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The office this certificate speaks for.
    pub fn identity(&self) -> Result<OfficeIdentity> {
        let uris: Vec<String> = self
            .0
            .subject_alt_names()
            .into_iter()
            .flatten()
            .filter_map(|n| n.uri().map(str::to_owned))
            .collect();
        let number = uris
            .iter()
            .find_map(|u| u.strip_prefix(OFFICE_URN))
            .ok_or(Error::NoOfficeIdentity)?;
        let kinds: Vec<&str> = uris
            .iter()
            .filter_map(|u| u.strip_prefix(KIND_URN))
            .collect();
        let name = self
            .0
            .subject_name()
            .entries_by_nid(Nid::ORGANIZATIONNAME)
            .next()
            .and_then(|e| e.data().to_string().ok())
            .unwrap_or_default();
        OfficeIdentity::new(number, &kinds, &name)
    }

    /// End of validity, seconds since 1970.
    /// The subject name in DER, as TLS names acceptable authorities.
    pub fn subject_der(&self) -> Result<Vec<u8>> {
        Ok(self.0.subject_name().to_der()?)
    }

    pub fn not_after(&self) -> i64 {
        asn1_to_unix(self.0.not_after())
    }

    pub fn not_before(&self) -> i64 {
        asn1_to_unix(self.0.not_before())
    }

    /// Check an ECDSA-SHA256 signature made by this certificate's key.
    pub fn verify_signature(&self, bytes: &[u8], signature: &[u8]) -> Result<()> {
        let key = self.0.public_key()?;
        let mut verifier = Verifier::new(MessageDigest::sha256(), &key)?;
        verifier.update(bytes)?;
        // A malformed signature is as bad as a wrong one; OpenSSL reports it as an error.
        if verifier.verify(signature).unwrap_or(false) {
            Ok(())
        } else {
            Err(Error::BadSignature("ECDSA-SHA256"))
        }
    }
}

fn asn1_to_unix(time: &openssl::asn1::Asn1TimeRef) -> i64 {
    let Ok(epoch) = Asn1Time::from_unix(0) else {
        return 0;
    };
    epoch
        .diff(time)
        .map_or(0, |d| i64::from(d.days) * 86_400 + i64::from(d.secs))
}

/// `2026-11-24 12:00:00 UTC` for messages.
pub fn format_unix(seconds: i64) -> String {
    Asn1Time::from_unix(seconds).map_or_else(|_| seconds.to_string(), |t| t.to_string())
}
