//! The operator's certificate authority (`renkei hub init`) and the trust every party puts
//! in it.

use openssl::asn1::{Asn1Time, Asn1Type};
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, PKeyRef, Public};
use openssl::stack::Stack;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::{X509, X509Builder, X509Extension, X509NameBuilder, X509StoreContext};

use crate::certificate::{Certificate, format_unix};
use crate::error::{Error, Result};
use crate::identity::OfficeIdentity;
use crate::keys::PrivateKey;
use crate::request::CertificateRequest;

const DAY: i64 = 86_400;

/// The operator's CA: its certificate and key. Only the hub holds it.
#[derive(Debug)]
pub struct Authority {
    pub certificate: Certificate,
    pub key: PrivateKey,
}

impl Authority {
    /// A new authority, valid for `years`.
    pub fn create(name: &str, years: u32) -> Result<Self> {
        let key = PrivateKey::generate()?;
        let public = PKey::public_key_from_der(&key.0.public_key_to_der()?)?;
        let until = crate::unix_now() + i64::from(years) * 365 * DAY;
        let mut builder = base_builder(name, name, &public, until)?;
        builder.append_extension(BasicConstraints::new().critical().ca().pathlen(0).build()?)?;
        builder.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()?,
        )?;
        let ski = SubjectKeyIdentifier::new().build(&builder.x509v3_context(None, None))?;
        builder.append_extension(ski)?;
        builder.sign(&key.0, MessageDigest::sha256())?;
        Ok(Self {
            certificate: Certificate(builder.build()),
            key,
        })
    }

    pub fn trust(&self) -> Result<Trust> {
        Trust::new(self.certificate.clone())
    }

    /// An office certificate for the key in `request`, for TLS client authentication, for
    /// signing (parcels, manifests, acknowledgements) and for receiving encrypted parcels.
    pub fn issue_office(
        &self,
        request: &CertificateRequest,
        office: &OfficeIdentity,
        days: u32,
    ) -> Result<Certificate> {
        let until = crate::unix_now() + i64::from(days) * DAY;
        self.issue_office_until(request, office, until)
    }

    /// As [`Self::issue_office`], valid until `not_after` (seconds since 1970).
    pub fn issue_office_until(
        &self,
        request: &CertificateRequest,
        office: &OfficeIdentity,
        not_after: i64,
    ) -> Result<Certificate> {
        let public = request.verified_key()?;
        let usage = KeyUsage::new()
            .critical()
            .digital_signature()
            .non_repudiation()
            .key_agreement()
            .build()?;
        let purposes = ExtendedKeyUsage::new()
            .client_auth()
            .email_protection()
            .build()?;
        let mut builder = self.leaf_builder(
            &office.number,
            &office.name,
            &public,
            not_after,
            usage,
            purposes,
        )?;
        let mut names = SubjectAlternativeName::new();
        for uri in office.uris() {
            names.uri(&uri);
        }
        let names = names.build(&builder.x509v3_context(Some(&self.certificate.0), None))?;
        builder.append_extension(names)?;
        self.finish(builder)
    }

    /// The hub's own certificate: TLS server for `hosts` (names or IP addresses), and the
    /// signer of receipts and checkpoints.
    pub fn issue_server(&self, key: &PrivateKey, hosts: &[&str], days: u32) -> Result<Certificate> {
        let public = PKey::public_key_from_der(&key.0.public_key_to_der()?)?;
        let cn = hosts.first().copied().unwrap_or("renkei hub");
        let until = crate::unix_now() + i64::from(days) * DAY;
        let usage = KeyUsage::new()
            .critical()
            .digital_signature()
            .non_repudiation()
            .build()?;
        let purposes = ExtendedKeyUsage::new().server_auth().build()?;
        let mut builder = self.leaf_builder(cn, "renkei hub", &public, until, usage, purposes)?;
        let mut names = SubjectAlternativeName::new();
        for host in hosts {
            if host.parse::<std::net::IpAddr>().is_ok() {
                names.ip(host);
            } else {
                names.dns(host);
            }
        }
        let names = names.build(&builder.x509v3_context(Some(&self.certificate.0), None))?;
        builder.append_extension(names)?;
        self.finish(builder)
    }

    /// A certificate under this authority, not a CA itself, with its key usages.
    fn leaf_builder(
        &self,
        common_name: &str,
        organisation: &str,
        public: &PKeyRef<Public>,
        not_after: i64,
        usage: X509Extension,
        purposes: X509Extension,
    ) -> Result<X509Builder> {
        let mut builder = base_builder(common_name, organisation, public, not_after)?;
        builder.set_issuer_name(self.certificate.0.subject_name())?;
        builder.append_extension(BasicConstraints::new().critical().build()?)?;
        builder.append_extension(usage)?;
        builder.append_extension(purposes)?;
        Ok(builder)
    }

    fn finish(&self, mut builder: X509Builder) -> Result<Certificate> {
        let aki = AuthorityKeyIdentifier::new()
            .keyid(false)
            .build(&builder.x509v3_context(Some(&self.certificate.0), None))?;
        builder.append_extension(aki)?;
        builder.sign(&self.key.0, MessageDigest::sha256())?;
        Ok(Certificate(builder.build()))
    }
}

fn base_builder(
    common_name: &str,
    organisation: &str,
    public: &PKeyRef<Public>,
    not_after: i64,
) -> Result<X509Builder> {
    let mut builder = X509Builder::new()?;
    builder.set_version(2)?;
    let mut serial = BigNum::new()?;
    serial.rand(127, MsbOption::MAYBE_ZERO, false)?;
    let serial = serial.to_asn1_integer()?;
    builder.set_serial_number(&serial)?;
    let mut name = X509NameBuilder::new()?;
    name.append_entry_by_nid(Nid::COMMONNAME, common_name)?;
    name.append_entry_by_nid_with_type(Nid::ORGANIZATIONNAME, organisation, Asn1Type::UTF8STRING)?;
    let name = name.build();
    builder.set_subject_name(&name)?;
    builder.set_issuer_name(&name)?;
    builder.set_pubkey(public)?;
    // An hour of slack for clocks that run a little behind.
    let not_before = Asn1Time::from_unix((crate::unix_now() - 3600).min(not_after - 60))?;
    let not_after = Asn1Time::from_unix(not_after)?;
    builder.set_not_before(&not_before)?;
    builder.set_not_after(&not_after)?;
    Ok(builder)
}

/// Trust in the operator's authority: what every office and verifier holds.
pub struct Trust {
    pub authority: Certificate,
    pub(crate) store: X509Store,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trust")
            .field("authority", &self.authority)
            .finish()
    }
}

impl Trust {
    pub fn new(authority: Certificate) -> Result<Self> {
        let mut store = X509StoreBuilder::new()?;
        store.add_cert(authority.0.clone())?;
        Ok(Self {
            authority,
            store: store.build(),
        })
    }

    /// Whether `certificate` was issued by this authority and is valid now. Revocation is
    /// the hub's register to keep; this checks the chain and the dates.
    pub fn verify(&self, certificate: &Certificate) -> Result<()> {
        let now = crate::unix_now();
        if certificate.not_after() < now {
            return Err(Error::Expired {
                not_after: format_unix(certificate.not_after()),
            });
        }
        if certificate.not_before() > now {
            return Err(Error::NotYetValid {
                not_before: format_unix(certificate.not_before()),
            });
        }
        let chain = Stack::<X509>::new()?;
        let mut context = X509StoreContext::new()?;
        let verdict = context.init(&self.store, &certificate.0, &chain, |c| {
            Ok(c.verify_cert()?.then_some(()).ok_or_else(|| c.error()))
        })?;
        verdict.map_err(|e| Error::Untrusted(e.error_string().to_owned()))
    }
}
