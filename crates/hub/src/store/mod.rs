//! Storage behind a trait: offices and their certificates, enrolment codes, parcels with
//! their bytes, and the append-only audit log. A parcel's bytes, its record and its audit
//! entry commit in one transaction; nothing is answered before the commit.

mod sqlite;

use std::future::Future;

use renkei_seal::merkle::Hash;
pub use renkei_seal::receipt::Action;
pub use sqlite::SqliteStore;

use crate::Result;

/// Where a parcel is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Accepted by the hub, waiting for the recipient.
    Accepted,
    Downloaded,
    Acknowledged,
    /// No acknowledgement within the set time: the sender was told.
    NotDelivered,
    /// Past retention: the bytes are gone, the record and its log entries stay.
    Purged,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Accepted => "accepted",
            State::Downloaded => "downloaded",
            State::Acknowledged => "acknowledged",
            State::NotDelivered => "not_delivered",
            State::Purged => "purged",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            State::Accepted,
            State::Downloaded,
            State::Acknowledged,
            State::NotDelivered,
            State::Purged,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// As the office console shows it.
    pub fn name_ja(self) -> &'static str {
        match self {
            State::Accepted => "受付済",
            State::Downloaded => "到達",
            State::Acknowledged => "取込済",
            State::NotDelivered => "未達通知済",
            State::Purged => "保存期間満了",
        }
    }
}

/// A parcel as the sender's request brought it, checked and ready to keep.
#[derive(Clone, Debug)]
pub struct NewParcel {
    pub id: String,
    pub sender: String,
    pub recipient: String,
    pub client_parcel_id: String,
    pub payload_sha256: String,
    /// The signed manifest, as JSON.
    pub manifest: String,
    pub payload: Vec<u8>,
    pub time: i64,
}

/// A parcel's record (without its bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParcelRecord {
    pub id: String,
    pub sender: String,
    pub recipient: String,
    pub client_parcel_id: String,
    pub payload_sha256: String,
    pub size: u64,
    pub manifest: String,
    pub state: State,
    pub accepted: i64,
    /// Position of the acceptance in the audit log; inboxes page by it.
    pub accepted_index: u64,
    pub downloaded: Option<i64>,
    pub acknowledged: Option<i64>,
    /// The recipient's signed acknowledgement, as JSON.
    pub acknowledgement: Option<String>,
}

/// An audit entry as written, with its inclusion proof in the tree just after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    pub entry: String,
    pub index: u64,
    pub size: u64,
    pub root: Hash,
    pub proof: Vec<Hash>,
}

/// What accepting a parcel did.
#[derive(Clone, Debug)]
pub enum Accepted {
    New(ParcelRecord, Logged),
    /// The same sender sent the same parcel id with the same digest before: nothing new
    /// was stored, and this is the first acceptance.
    Again(ParcelRecord, Logged),
}

/// Storage of the relay. Implementations commit each write before their future resolves.
pub trait Store: Send + Sync + 'static {
    /// Keep a parcel and its acceptance entry in one transaction. The same sender and
    /// client parcel id with the same digest gives [`Accepted::Again`]; with another digest,
    /// [`crate::Error::ParcelIdReused`].
    fn accept(&self, parcel: NewParcel) -> impl Future<Output = Result<Accepted>> + Send;

    /// Move a parcel on (downloaded, acknowledged, not delivered, purged) and log it.
    /// `acknowledgement` is the recipient's signed acknowledgement for [`Action::Acknowledged`].
    fn advance(
        &self,
        parcel_id: &str,
        action: Action,
        acknowledgement: Option<String>,
        time: i64,
    ) -> impl Future<Output = Result<(ParcelRecord, Logged)>> + Send;

    fn parcel(&self, id: &str) -> impl Future<Output = Result<Option<ParcelRecord>>> + Send;

    /// The parcel's bytes, until it is purged.
    fn payload(&self, id: &str) -> impl Future<Output = Result<Option<Vec<u8>>>> + Send;

    /// Parcels for `recipient` not yet acknowledged, accepted after log position `after`.
    fn inbox(
        &self,
        recipient: &str,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<ParcelRecord>>> + Send;

    /// Parcels `sender` sent, newest first.
    fn outbox(
        &self,
        sender: &str,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<ParcelRecord>>> + Send;

    /// The entry at `index` with its proof in the log as it is now (to give a receipt
    /// again).
    fn logged(&self, index: u64) -> impl Future<Output = Result<Logged>> + Send;

    /// The number of entries in the audit log.
    fn log_size(&self) -> impl Future<Output = Result<u64>> + Send;
}
