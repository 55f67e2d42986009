//! Storage behind a trait: offices and their certificates, enrolment codes, parcels with
//! their bytes, and the append-only audit log. A parcel's bytes, its record and its audit
//! entry commit in one transaction; nothing is answered before the commit.

mod backend;
mod infobase;
mod log;
mod offices;
mod portal;
mod postgres;
mod sql;
mod sqlite;
mod statistics;

use std::future::Future;

pub use backend::Backend;
pub use infobase::{
    Access, AccessAction, NewRecord, RecordVersion, Registration, RegistrationRequest,
};
pub use offices::{CertificateRecord, DailyVolume, EnrolmentCode, Office, OfficeQuery};
pub use portal::{Account, AccountRole, OpinionRequest, Organisation};
pub use postgres::PostgresStore;
use renkei_seal::merkle::Hash;
pub use renkei_seal::receipt::Action;
pub use sqlite::SqliteStore;
pub use statistics::{Adoption, PairVolume, RegistryEntry};

use crate::Result;
use renkei_infobase::{Consent, PersonKey, RecordKind};

/// The most jobs one write transaction takes, on either back end.
const MAX_GROUP: usize = 512;

/// Sessions that expired this long before a new one's end are swept when it is added.
const SESSION_SWEEP_AGE: i64 = 7 * 24 * 3600;

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
    /// The recipient could not take it in (取込不可) and said why, signed.
    Rejected,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Accepted => "accepted",
            State::Downloaded => "downloaded",
            State::Acknowledged => "acknowledged",
            State::NotDelivered => "not_delivered",
            State::Purged => "purged",
            State::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            State::Accepted,
            State::Downloaded,
            State::Acknowledged,
            State::NotDelivered,
            State::Purged,
            State::Rejected,
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
            State::Rejected => "取込不可",
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
    /// The signed manifest as the sender sent it, as JSON.
    pub manifest: String,
    /// Fingerprint of the certificate the sender authenticated with.
    pub sender_certificate: String,
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
    pub sender_certificate: String,
    pub state: State,
    pub accepted: i64,
    /// Position of the acceptance in the audit log; inboxes page by it.
    pub accepted_index: u64,
    pub downloaded: Option<i64>,
    pub acknowledged: Option<i64>,
    /// The recipient's signed acknowledgement, as JSON.
    pub acknowledgement: Option<String>,
    /// The recipient's signed rejection (取込不可), as JSON.
    pub rejection: Option<String>,
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

/// Storage of the relay, by area: each back end implements all four, and [`Backend`] is
/// the one the relay runs on. Implementations commit each write before their future
/// resolves.
pub trait Store: ParcelStore + OfficeStore + AccountStore + InfobaseStore {}

impl<T: ParcelStore + OfficeStore + AccountStore + InfobaseStore> Store for T {}

/// Parcels, their bytes and the audit log: what sending and delivery keep.
pub trait ParcelStore: Send + Sync + 'static {
    /// Keep a parcel and its acceptance entry in one transaction. The same sender and
    /// client parcel id with the same digest gives [`Accepted::Again`]; with another digest,
    /// [`crate::Error::ParcelIdReused`].
    fn accept(&self, parcel: NewParcel) -> impl Future<Output = Result<Accepted>> + Send;
    /// Move a parcel on (downloaded, acknowledged, rejected, not delivered, purged) and log
    /// it. `statement` is the recipient's signed acknowledgement for
    /// [`Action::Acknowledged`], or its signed rejection for [`Action::Rejected`].
    fn advance(
        &self,
        parcel_id: &str,
        action: Action,
        statement: Option<String>,
        time: i64,
    ) -> impl Future<Output = Result<(ParcelRecord, Logged)>> + Send;
    fn parcel(&self, id: &str) -> impl Future<Output = Result<Option<ParcelRecord>>> + Send;
    /// The parcel `sender` sent under its own id `client_parcel_id`, if it did.
    fn sent(
        &self,
        sender: &str,
        client_parcel_id: &str,
    ) -> impl Future<Output = Result<Option<ParcelRecord>>> + Send;
    /// The parcel's bytes, until it is purged.
    fn payload(&self, id: &str) -> impl Future<Output = Result<Option<Vec<u8>>>> + Send;
    /// Parcels for `recipient` not yet acknowledged, accepted after log position `after`.
    fn inbox(
        &self,
        recipient: &str,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<ParcelRecord>>> + Send;
    /// Bytes of the parcels `sender` sent that their recipients have not taken yet.
    fn undelivered_bytes(&self, sender: &str) -> impl Future<Output = Result<u64>> + Send;
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
    /// The proof that the log of `first` entries is a prefix of the log of `second`
    /// (0 < `first` ≤ `second`); `None` while the log has fewer than `second` entries.
    fn consistency(
        &self,
        first: u64,
        second: u64,
    ) -> impl Future<Output = Result<Option<Vec<Hash>>>> + Send;
    /// The log positions of the parcel's steps, in the order they happened.
    fn history(&self, parcel_id: &str) -> impl Future<Output = Result<Vec<u64>>> + Send;
    /// Parcels still in one of `states` that were accepted before `before`, oldest first:
    /// the work of the non-delivery and purge tasks.
    fn due(
        &self,
        states: &'static [State],
        before: i64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<ParcelRecord>>> + Send;
    /// Parcels accepted per day since `since`.
    fn volumes(&self, since: i64) -> impl Future<Output = Result<Vec<DailyVolume>>> + Send;
    /// Offices that another hub process on the same database accepted a parcel for, as
    /// they commit; `None` for a store only one process writes (SQLite).
    fn arrivals(&self) -> Option<tokio::sync::mpsc::UnboundedReceiver<String>> {
        None
    }
    /// Run `work` unless another hub process is already running work of the same `name`;
    /// `None` when it was left to the other. A store of one process always runs it.
    fn exclusively<T: Send>(
        &self,
        name: &'static str,
        work: impl Future<Output = Result<T>> + Send,
    ) -> impl Future<Output = Result<Option<T>>> + Send {
        let _ = name;
        async move { work.await.map(Some) }
    }
}

/// Offices, their certificates and enrolment codes, and the area's register.
pub trait OfficeStore: Send + Sync + 'static {
    /// Add or replace offices of the register; returns how many rows were written.
    fn load_registry(
        &self,
        entries: Vec<RegistryEntry>,
    ) -> impl Future<Output = Result<usize>> + Send;
    /// Adoption by prefecture (`prefecture` None) or by the municipalities of one
    /// prefecture; an office is active when it sent or received a parcel since `since`.
    fn adoption(
        &self,
        prefecture: Option<u8>,
        since: i64,
    ) -> impl Future<Output = Result<Vec<Adoption>>> + Send;
    /// The `limit` pairs that exchanged the most parcels since `since`.
    fn pairs(
        &self,
        since: i64,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<PairVolume>>> + Send;
    fn add_code(&self, code: EnrolmentCode) -> impl Future<Output = Result<()>> + Send;
    fn code(&self, code_sha256: &str)
    -> impl Future<Output = Result<Option<EnrolmentCode>>> + Send;
    /// Use the code once, at `time`: record its office (or refresh its name and kinds) and
    /// the certificate just issued for it, in one transaction. A code used or expired in
    /// the meantime is refused and nothing is kept.
    fn enrol(
        &self,
        code_sha256: &str,
        certificate: CertificateRecord,
        time: i64,
    ) -> impl Future<Output = Result<Office>> + Send;
    fn certificate(
        &self,
        fingerprint: &str,
    ) -> impl Future<Output = Result<Option<CertificateRecord>>> + Send;
    fn office(&self, number: &str) -> impl Future<Output = Result<Option<Office>>> + Send;
    /// The office's newest certificate usable at `time`.
    fn current_certificate(
        &self,
        number: &str,
        time: i64,
    ) -> impl Future<Output = Result<Option<CertificateRecord>>> + Send;
    /// Offices matching the query, by number, each with its current certificate.
    fn offices(
        &self,
        query: OfficeQuery,
        time: i64,
    ) -> impl Future<Output = Result<Vec<(Office, Option<CertificateRecord>)>>> + Send;
    /// Revoke the office's certificates (only the one with `serial` when given); returns
    /// the certificates revoked now.
    fn revoke(
        &self,
        office: &str,
        serial: Option<String>,
        reason: String,
        time: i64,
    ) -> impl Future<Output = Result<Vec<CertificateRecord>>> + Send;
    fn set_active(&self, office: &str, active: bool) -> impl Future<Output = Result<()>> + Send;
    /// Keep the CSVバージョン values (comma-separated) the office's software reads and writes.
    fn set_csv_versions(
        &self,
        office: &str,
        reads: String,
        writes: String,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Who signs in: operators, the information base's organisations and accounts, their sessions.
pub trait AccountStore: Send + Sync + 'static {
    /// Create or replace an operator account: the password already hashed, and the
    /// authenticator's key of its one-time codes. The old sessions end.
    fn set_operator(
        &self,
        name: &str,
        password_hash: &str,
        totp_secret: &str,
        time: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The operator's password hash and authenticator's key.
    fn operator_password(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Option<(String, Option<String>)>>> + Send;
    /// Use one-time code step `step` of the operator, once: false when it (or a later
    /// one) was used already.
    fn claim_operator_step(
        &self,
        name: &str,
        step: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
    fn add_session(
        &self,
        token_sha256: &str,
        operator: &str,
        expires: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The operator signed in with this token, if it has not expired at `time`.
    fn session(
        &self,
        token_sha256: &str,
        time: i64,
    ) -> impl Future<Output = Result<Option<String>>> + Send;
    /// Sign out: the session with this token ends now.
    fn end_session(&self, token_sha256: &str) -> impl Future<Output = Result<()>> + Send;
    /// Add or change a municipality or clinic.
    fn put_organisation(
        &self,
        organisation: Organisation,
    ) -> impl Future<Output = Result<()>> + Send;
    fn organisation(
        &self,
        holder: &str,
    ) -> impl Future<Output = Result<Option<Organisation>>> + Send;
    /// The organisations whose holder starts with `prefix` (`clinic:` …), by holder.
    fn organisations(&self, prefix: &str)
    -> impl Future<Output = Result<Vec<Organisation>>> + Send;
    /// Add or replace an account; the sessions it had end.
    fn put_account(&self, account: Account) -> impl Future<Output = Result<()>> + Send;
    fn account(
        &self,
        holder: &str,
        name: &str,
    ) -> impl Future<Output = Result<Option<Account>>> + Send;
    /// The organisation's accounts, by name.
    fn accounts(&self, holder: &str) -> impl Future<Output = Result<Vec<Account>>> + Send;
    fn remove_account(&self, holder: &str, name: &str) -> impl Future<Output = Result<()>> + Send;
    /// Use up one-time-code time step `step` for the account: false when it (or a later
    /// one) was already used, so a code seen once cannot sign in again.
    fn claim_totp_step(
        &self,
        holder: &str,
        name: &str,
        step: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
    fn add_portal_session(
        &self,
        token_sha256: &str,
        holder: &str,
        name: &str,
        expires: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The account (holder, name) signed in with this token, while it lasts.
    fn portal_session(
        &self,
        token_sha256: &str,
        time: i64,
    ) -> impl Future<Output = Result<Option<(String, String)>>> + Send;
    fn end_portal_session(&self, token_sha256: &str) -> impl Future<Output = Result<()>> + Send;
    fn add_opinion_request(
        &self,
        request: OpinionRequest,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The opinions asked of the clinic, newest first.
    fn opinion_requests(
        &self,
        clinic: &str,
    ) -> impl Future<Output = Result<Vec<OpinionRequest>>> + Send;
}

/// The information base (介護情報基盤): records, consent, registrations and the access log.
pub trait InfobaseStore: Send + Sync + 'static {
    /// Keep record versions, each as the next version of its record, in one transaction.
    fn put_records(
        &self,
        records: Vec<NewRecord>,
    ) -> impl Future<Output = Result<Vec<RecordVersion>>> + Send;
    /// Every version of the person's records (of `kind` when given), oldest first.
    fn records(
        &self,
        person: &PersonKey,
        kind: Option<RecordKind>,
    ) -> impl Future<Output = Result<Vec<RecordVersion>>> + Send;
    /// Record the people's 包括同意 as standing or withdrawn, in one transaction, each with a
    /// line in the person's access log naming `recorded_by`.
    fn set_consents(
        &self,
        people: Vec<PersonKey>,
        consent: Consent,
        recorded_by: &str,
        time: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Record one person's 包括同意.
    fn set_consent(
        &self,
        person: &PersonKey,
        consent: Consent,
        recorded_by: &str,
        time: i64,
    ) -> impl Future<Output = Result<()>> + Send {
        self.set_consents(vec![person.clone()], consent, recorded_by, time)
    }
    fn consent(&self, person: &PersonKey) -> impl Future<Output = Result<Consent>> + Send;
    /// The 被保険者番号 of the municipality's insured whose consent stands withdrawn.
    fn withdrawn_consents(&self, insurer: &str)
    -> impl Future<Output = Result<Vec<String>>> + Send;
    /// Register `office` as the person's office (`confirmed_by` Some) or end it (None).
    fn set_registration(
        &self,
        person: &PersonKey,
        office: &str,
        confirmed_by: Option<&str>,
        time: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    fn registrations(
        &self,
        person: &PersonKey,
    ) -> impl Future<Output = Result<Vec<Registration>>> + Send;
    fn log_access(&self, accesses: Vec<Access>) -> impl Future<Output = Result<()>> + Send;
    /// The person's access log, newest first: `limit` lines after the newest `offset`.
    fn access_log(
        &self,
        person: &PersonKey,
        limit: usize,
        offset: usize,
    ) -> impl Future<Output = Result<Vec<Access>>> + Send;
    /// Keep an office's request to be the person's office (again, it keeps its first time).
    fn request_registration(
        &self,
        person: &PersonKey,
        office: &str,
        time: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The requests waiting for the person's answer, oldest first.
    fn registration_requests(
        &self,
        person: &PersonKey,
    ) -> impl Future<Output = Result<Vec<RegistrationRequest>>> + Send;
    /// Forget a request once answered; false when there was none.
    fn drop_registration_request(
        &self,
        person: &PersonKey,
        office: &str,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// The newest version of each record of `kind` of the municipality's insured, by
    /// 被保険者番号 then key: a page of the municipality's overview.
    fn latest_records(
        &self,
        insurer: &str,
        kind: RecordKind,
        limit: usize,
        offset: usize,
    ) -> impl Future<Output = Result<Vec<RecordVersion>>> + Send;
}
