//! The store the relay runs on, chosen once at start: SQLite for one process (the
//! default, and `renkei demo`'s), PostgreSQL for several processes on one database. The
//! rest of the relay holds a `Backend` and never names a back end's type.

use std::future::Future;

use renkei_infobase::{Consent, PersonKey, RecordKind};

use super::*;
use crate::Result;

#[derive(Debug)]
pub enum Backend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

/// The one place a call is sent to whichever back end is running.
macro_rules! on_backend {
    ($backend:expr, $store:ident => $call:expr) => {
        match $backend {
            Backend::Sqlite($store) => $call,
            Backend::Postgres($store) => $call,
        }
    };
}

impl Backend {
    /// Finish the writes under way: SQLite's writer thread stops after its last group;
    /// PostgreSQL's connections close when the pool is dropped.
    pub fn close(&self) {
        if let Backend::Sqlite(store) = self {
            store.close();
        }
    }

    /// Which back end this is, as logs and benchmarks name it.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "SQLite",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }
}

impl ParcelStore for Backend {
    async fn accept(&self, parcel: NewParcel) -> Result<Accepted> {
        on_backend!(self, s => s.accept(parcel).await)
    }
    async fn advance(
        &self,
        parcel_id: &str,
        action: Action,
        statement: Option<String>,
        time: i64,
    ) -> Result<(ParcelRecord, Logged)> {
        on_backend!(self, s => s.advance(parcel_id, action, statement, time).await)
    }
    async fn parcel(&self, id: &str) -> Result<Option<ParcelRecord>> {
        on_backend!(self, s => s.parcel(id).await)
    }
    async fn sent(&self, sender: &str, client_parcel_id: &str) -> Result<Option<ParcelRecord>> {
        on_backend!(self, s => s.sent(sender, client_parcel_id).await)
    }
    async fn payload(&self, id: &str) -> Result<Option<Vec<u8>>> {
        on_backend!(self, s => s.payload(id).await)
    }
    async fn inbox(
        &self,
        recipient: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<ParcelRecord>> {
        on_backend!(self, s => s.inbox(recipient, after, limit).await)
    }
    async fn undelivered_bytes(&self, sender: &str) -> Result<u64> {
        on_backend!(self, s => s.undelivered_bytes(sender).await)
    }
    async fn outbox(&self, sender: &str, limit: usize) -> Result<Vec<ParcelRecord>> {
        on_backend!(self, s => s.outbox(sender, limit).await)
    }
    async fn logged(&self, index: u64) -> Result<Logged> {
        on_backend!(self, s => s.logged(index).await)
    }
    async fn log_size(&self) -> Result<u64> {
        on_backend!(self, s => s.log_size().await)
    }
    async fn consistency(&self, first: u64, second: u64) -> Result<Option<Vec<Hash>>> {
        on_backend!(self, s => s.consistency(first, second).await)
    }
    async fn history(&self, parcel_id: &str) -> Result<Vec<u64>> {
        on_backend!(self, s => s.history(parcel_id).await)
    }
    async fn due(
        &self,
        states: &'static [State],
        before: i64,
        limit: usize,
    ) -> Result<Vec<ParcelRecord>> {
        on_backend!(self, s => s.due(states, before, limit).await)
    }
    async fn volumes(&self, since: i64) -> Result<Vec<DailyVolume>> {
        on_backend!(self, s => s.volumes(since).await)
    }
    fn arrivals(&self) -> Option<tokio::sync::mpsc::UnboundedReceiver<String>> {
        on_backend!(self, s => s.arrivals())
    }
    async fn exclusively<T: Send>(
        &self,
        name: &'static str,
        work: impl Future<Output = Result<T>> + Send,
    ) -> Result<Option<T>> {
        on_backend!(self, s => s.exclusively(name, work).await)
    }
}

impl OfficeStore for Backend {
    async fn load_registry(&self, entries: Vec<RegistryEntry>) -> Result<usize> {
        on_backend!(self, s => s.load_registry(entries).await)
    }
    async fn adoption(&self, prefecture: Option<u8>, since: i64) -> Result<Vec<Adoption>> {
        on_backend!(self, s => s.adoption(prefecture, since).await)
    }
    async fn pairs(&self, since: i64, limit: usize) -> Result<Vec<PairVolume>> {
        on_backend!(self, s => s.pairs(since, limit).await)
    }
    async fn add_code(&self, code: EnrolmentCode) -> Result<()> {
        on_backend!(self, s => s.add_code(code).await)
    }
    async fn code(&self, code_sha256: &str) -> Result<Option<EnrolmentCode>> {
        on_backend!(self, s => s.code(code_sha256).await)
    }
    async fn enrol(
        &self,
        code_sha256: &str,
        certificate: CertificateRecord,
        time: i64,
    ) -> Result<Office> {
        on_backend!(self, s => s.enrol(code_sha256, certificate, time).await)
    }
    async fn certificate(&self, fingerprint: &str) -> Result<Option<CertificateRecord>> {
        on_backend!(self, s => s.certificate(fingerprint).await)
    }
    async fn office(&self, number: &str) -> Result<Option<Office>> {
        on_backend!(self, s => s.office(number).await)
    }
    async fn current_certificate(
        &self,
        number: &str,
        time: i64,
    ) -> Result<Option<CertificateRecord>> {
        on_backend!(self, s => s.current_certificate(number, time).await)
    }
    async fn offices(
        &self,
        query: OfficeQuery,
        time: i64,
    ) -> Result<Vec<(Office, Option<CertificateRecord>)>> {
        on_backend!(self, s => s.offices(query, time).await)
    }
    async fn revoke(
        &self,
        office: &str,
        serial: Option<String>,
        reason: String,
        time: i64,
    ) -> Result<Vec<CertificateRecord>> {
        on_backend!(self, s => s.revoke(office, serial, reason, time).await)
    }
    async fn set_active(&self, office: &str, active: bool) -> Result<()> {
        on_backend!(self, s => s.set_active(office, active).await)
    }
    async fn set_csv_versions(&self, office: &str, reads: String, writes: String) -> Result<()> {
        on_backend!(self, s => s.set_csv_versions(office, reads, writes).await)
    }
}

impl AccountStore for Backend {
    async fn set_operator(
        &self,
        name: &str,
        password_hash: &str,
        totp_secret: &str,
        time: i64,
    ) -> Result<()> {
        on_backend!(self, s => s.set_operator(name, password_hash, totp_secret, time).await)
    }
    async fn operator_password(&self, name: &str) -> Result<Option<(String, Option<String>)>> {
        on_backend!(self, s => s.operator_password(name).await)
    }
    async fn claim_operator_step(&self, name: &str, step: i64) -> Result<bool> {
        on_backend!(self, s => s.claim_operator_step(name, step).await)
    }
    async fn add_session(&self, token_sha256: &str, operator: &str, expires: i64) -> Result<()> {
        on_backend!(self, s => s.add_session(token_sha256, operator, expires).await)
    }
    async fn session(&self, token_sha256: &str, time: i64) -> Result<Option<String>> {
        on_backend!(self, s => s.session(token_sha256, time).await)
    }
    async fn end_session(&self, token_sha256: &str) -> Result<()> {
        on_backend!(self, s => s.end_session(token_sha256).await)
    }
    async fn put_organisation(&self, organisation: Organisation) -> Result<()> {
        on_backend!(self, s => s.put_organisation(organisation).await)
    }
    async fn organisation(&self, holder: &str) -> Result<Option<Organisation>> {
        on_backend!(self, s => s.organisation(holder).await)
    }
    async fn organisations(&self, prefix: &str) -> Result<Vec<Organisation>> {
        on_backend!(self, s => s.organisations(prefix).await)
    }
    async fn put_account(&self, account: Account) -> Result<()> {
        on_backend!(self, s => s.put_account(account).await)
    }
    async fn account(&self, holder: &str, name: &str) -> Result<Option<Account>> {
        on_backend!(self, s => s.account(holder, name).await)
    }
    async fn accounts(&self, holder: &str) -> Result<Vec<Account>> {
        on_backend!(self, s => s.accounts(holder).await)
    }
    async fn remove_account(&self, holder: &str, name: &str) -> Result<()> {
        on_backend!(self, s => s.remove_account(holder, name).await)
    }
    async fn claim_totp_step(&self, holder: &str, name: &str, step: i64) -> Result<bool> {
        on_backend!(self, s => s.claim_totp_step(holder, name, step).await)
    }
    async fn add_portal_session(
        &self,
        token_sha256: &str,
        holder: &str,
        name: &str,
        expires: i64,
    ) -> Result<()> {
        on_backend!(self, s => s.add_portal_session(token_sha256, holder, name, expires).await)
    }
    async fn portal_session(
        &self,
        token_sha256: &str,
        time: i64,
    ) -> Result<Option<(String, String)>> {
        on_backend!(self, s => s.portal_session(token_sha256, time).await)
    }
    async fn end_portal_session(&self, token_sha256: &str) -> Result<()> {
        on_backend!(self, s => s.end_portal_session(token_sha256).await)
    }
    async fn add_opinion_request(&self, request: OpinionRequest) -> Result<()> {
        on_backend!(self, s => s.add_opinion_request(request).await)
    }
    async fn opinion_requests(&self, clinic: &str) -> Result<Vec<OpinionRequest>> {
        on_backend!(self, s => s.opinion_requests(clinic).await)
    }
}

impl InfobaseStore for Backend {
    async fn put_records(&self, records: Vec<NewRecord>) -> Result<Vec<RecordVersion>> {
        on_backend!(self, s => s.put_records(records).await)
    }
    async fn records(
        &self,
        person: &PersonKey,
        kind: Option<RecordKind>,
    ) -> Result<Vec<RecordVersion>> {
        on_backend!(self, s => s.records(person, kind).await)
    }
    async fn set_consents(
        &self,
        people: Vec<PersonKey>,
        consent: Consent,
        recorded_by: &str,
        time: i64,
    ) -> Result<()> {
        on_backend!(self, s => s.set_consents(people, consent, recorded_by, time).await)
    }
    async fn set_consent(
        &self,
        person: &PersonKey,
        consent: Consent,
        recorded_by: &str,
        time: i64,
    ) -> Result<()> {
        on_backend!(self, s => s.set_consent(person, consent, recorded_by, time).await)
    }
    async fn consent(&self, person: &PersonKey) -> Result<Consent> {
        on_backend!(self, s => s.consent(person).await)
    }
    async fn withdrawn_consents(&self, insurer: &str) -> Result<Vec<String>> {
        on_backend!(self, s => s.withdrawn_consents(insurer).await)
    }
    async fn set_registration(
        &self,
        person: &PersonKey,
        office: &str,
        confirmed_by: Option<&str>,
        time: i64,
    ) -> Result<()> {
        on_backend!(self, s => s.set_registration(person, office, confirmed_by, time).await)
    }
    async fn registrations(&self, person: &PersonKey) -> Result<Vec<Registration>> {
        on_backend!(self, s => s.registrations(person).await)
    }
    async fn log_access(&self, accesses: Vec<Access>) -> Result<()> {
        on_backend!(self, s => s.log_access(accesses).await)
    }
    async fn access_log(
        &self,
        person: &PersonKey,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Access>> {
        on_backend!(self, s => s.access_log(person, limit, offset).await)
    }
    async fn request_registration(
        &self,
        person: &PersonKey,
        office: &str,
        time: i64,
    ) -> Result<()> {
        on_backend!(self, s => s.request_registration(person, office, time).await)
    }
    async fn registration_requests(&self, person: &PersonKey) -> Result<Vec<RegistrationRequest>> {
        on_backend!(self, s => s.registration_requests(person).await)
    }
    async fn drop_registration_request(&self, person: &PersonKey, office: &str) -> Result<bool> {
        on_backend!(self, s => s.drop_registration_request(person, office).await)
    }
    async fn latest_records(
        &self,
        insurer: &str,
        kind: RecordKind,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<RecordVersion>> {
        on_backend!(self, s => s.latest_records(insurer, kind, limit, offset).await)
    }
}
