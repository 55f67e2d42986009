//! The relay's rules, apart from any transport: who may enrol, who may send what to whom,
//! who may download and acknowledge, and the receipts that prove each step (DESIGN §4).
//! The HTTP layer only translates requests into these calls.

mod callers;
mod delivery;
mod directory;
mod doorbells;
mod enrolment;
mod infobase;
mod names;
mod notary;
mod operators;
mod portal;
mod quotas;
mod sending;
pub use delivery::{MAX_WAIT, Waiting};
pub use operators::{Session, hash_password};
pub use sending::Sent;
mod sweeps;

use std::sync::Arc;

use renkei_seal::{Authority, Trust};

pub use callers::Caller;
pub use enrolment::{Enrolled, IssuedCode, normalise_code};
pub use infobase::Loaded;
pub use names::{Names, holders_of_log};
pub use notary::Notary;

pub use portal::{
    ACTIVATION_DAYS, NewStaff, PortalSession, PortalUser, clinic_holder, current_code,
    municipality_holder, person_holder,
};
pub use sweeps::Swept;

use crate::Result;
use crate::store::{Backend, ParcelStore};

/// Limits and periods the operator sets.
#[derive(Clone, Debug)]
pub struct RelayConfig {
    /// The largest sealed parcel accepted, in bytes.
    pub max_parcel_bytes: u64,
    /// Seconds without acknowledgement before the sender is told of non-delivery.
    pub not_delivered_after: i64,
    /// Seconds after acceptance before a parcel's bytes are purged.
    pub retention: i64,
    /// Days an office certificate is valid.
    pub certificate_days: u32,
    /// Seconds an enrolment code stays usable.
    pub code_validity: i64,
    /// Seconds an operator session lasts.
    pub session_length: i64,
    /// The longest a request body may pause between two of its pieces: a client that
    /// sends headers and then trickles (or holds) its body is cut off.
    pub body_idle: std::time::Duration,
    /// Long polls of one office's inbox waiting at once.
    pub waiting_per_office: usize,
    /// What one sending office may send.
    pub quota: Quota,
}

/// What one sending office may send, per hour and held undelivered at once: enough for the
/// month-start peak of a large office, not enough to fill the relay's disk.
#[derive(Clone, Copy, Debug)]
pub struct Quota {
    pub parcels_per_hour: u64,
    pub bytes_per_hour: u64,
    /// Bytes of its parcels not yet taken by their recipients.
    pub undelivered_bytes: u64,
}

impl Default for Quota {
    fn default() -> Self {
        Self {
            parcels_per_hour: 20_000,
            bytes_per_hour: 4 * 1024 * 1024 * 1024,
            undelivered_bytes: 8 * 1024 * 1024 * 1024,
        }
    }
}

impl Default for RelayConfig {
    fn default() -> Self {
        Self {
            max_parcel_bytes: 32 * 1024 * 1024,
            not_delivered_after: 7 * DAY,
            retention: 90 * DAY,
            certificate_days: 825,
            code_validity: 14 * DAY,
            session_length: 8 * 3600,
            body_idle: std::time::Duration::from_secs(30),
            waiting_per_office: 4,
            quota: Quota::default(),
        }
    }
}

pub const DAY: i64 = 86_400;

/// The relay: a store, the authority that enrols offices, and the hub's signing key.
#[derive(Debug)]
pub struct Relay {
    store: Arc<Backend>,
    authority: Authority,
    trust: Trust,
    notary: Notary,
    config: RelayConfig,
    callers: callers::Callers,
    doorbells: Arc<doorbells::Doorbells>,
    /// Sign-in attempts of the operators, and of the information base's pages.
    operator_sign_ins: renkei_web::signin::Guard,
    portal_sign_ins: renkei_web::signin::Guard,
    quotas: quotas::Quotas,
    /// Recipients' certificates as parsed, by fingerprint.
    recipient_certificates:
        std::sync::Mutex<std::collections::HashMap<String, renkei_seal::Certificate>>,
}

/// A sign-in the guard holds back, as the relay refuses it.
pub(crate) fn held(held: renkei_web::signin::Held) -> crate::Error {
    match held {
        renkei_web::signin::Held::Locked { until } => crate::Error::SignInLocked {
            until: renkei_spec::jst::jst(until),
        },
        renkei_web::signin::Held::Busy => crate::Error::SignInBusy,
    }
}

impl Relay {
    pub fn new(
        store: Arc<Backend>,
        authority: Authority,
        notary: Notary,
        config: RelayConfig,
    ) -> Result<Self> {
        let trust = authority.trust()?;
        let doorbells = Arc::new(doorbells::Doorbells::default());
        // Parcels accepted by other hub processes wake this one's waiting offices too.
        if let Some((mut arrivals, runtime)) = tokio::runtime::Handle::try_current()
            .ok()
            .and_then(|runtime| Some((store.arrivals()?, runtime)))
        {
            let doorbells = Arc::clone(&doorbells);
            runtime.spawn(async move {
                while let Some(office) = arrivals.recv().await {
                    doorbells.ring(&office);
                }
            });
        }
        Ok(Self {
            store,
            authority,
            trust,
            notary,
            config,
            callers: callers::Callers::default(),
            doorbells,
            operator_sign_ins: renkei_web::signin::Guard::default(),
            portal_sign_ins: renkei_web::signin::Guard::default(),
            quotas: quotas::Quotas::default(),
            recipient_certificates: Default::default(),
        })
    }

    pub fn store(&self) -> &Backend {
        &self.store
    }

    pub fn config(&self) -> &RelayConfig {
        &self.config
    }

    pub fn notary(&self) -> &Notary {
        &self.notary
    }

    pub fn trust(&self) -> &Trust {
        &self.trust
    }

    /// The office behind a TLS client certificate (DER), if it may act at `time`.
    pub async fn authenticate(&self, der: Option<&[u8]>, time: i64) -> Result<Caller> {
        let der = der.ok_or(crate::Error::CertificateRequired)?;
        self.callers
            .authenticate(self.store.as_ref(), &self.trust, der, time)
            .await
    }

    /// The proof that the log of `first` entries is a prefix of the log of `second`.
    pub async fn consistency(&self, first: u64, second: u64) -> Result<Vec<[u8; 32]>> {
        if first == 0 || first > second {
            return Err(crate::Error::BadRequest(format!(
                "監査ログの大きさ {first} から {second} への証明は作れません。1 ≦ first ≦ second で指定してください / no consistency proof from size {first} to {second}: ask for 1 <= first <= second"
            )));
        }
        match self.store.consistency(first, second).await? {
            Some(proof) => Ok(proof),
            None => Err(crate::Error::LogSizeUnknown {
                asked: second,
                size: self.store.log_size().await?,
            }),
        }
    }

    /// The log's head now, signed.
    pub async fn checkpoint(&self, time: i64) -> Result<renkei_seal::receipt::Signed> {
        let size = self.store.log_size().await?;
        if size == 0 {
            // RFC 9162: the root of the empty tree is the hash of nothing.
            return self.notary.checkpoint(0, &renkei_seal::sha256(b""), time);
        }
        // The proof read gives the size and root it was made against, which may have grown.
        let head = self.store.logged(size - 1).await?;
        self.notary.checkpoint(head.size, &head.root, time)
    }
}
