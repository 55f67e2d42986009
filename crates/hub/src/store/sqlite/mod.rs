//! The embedded default: SQLite in WAL mode, fully synchronous.
//!
//! All writes go through one writer thread that commits them in groups: every job in a
//! group runs in its own savepoint inside one transaction, and each caller hears back only
//! after that transaction commits. One fsync then covers many parcels at the month-start
//! peak. Reads use their own connections and never wait for the writer.

mod infobase;
mod offices;
mod portal;
mod statistics;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};

use renkei_seal::merkle::{self, MemoryTree};
use rusqlite::{Connection, OptionalExtension, Row, params};
use tokio::sync::oneshot;

use super::log::{self, logged_in, step};
use super::{
    Accepted, Access, Action, Adoption, CertificateRecord, DailyVolume, EnrolmentCode, Logged,
    NewParcel, NewRecord, Office, OfficeQuery, PairVolume, ParcelRecord, RecordVersion,
    Registration, RegistrationRequest, RegistryEntry, State,
};
use super::{
    Account, AccountStore, InfobaseStore, OfficeStore, OpinionRequest, Organisation, ParcelStore,
};
use crate::store::sql;
use crate::store::sql::columns::PARCEL_COLUMNS;
use crate::store::sql::sqlite_text;
use crate::{Error, Result};
use renkei_infobase::{Consent, PersonKey, RecordKind};

/// Migrations in order; `PRAGMA user_version` says how many are applied. Those the two
/// dialects write alike are shared (`sql/migrations/`); the others differ in type names.
const MIGRATIONS: &[&str] = &[
    include_str!("0001_parcels.sql"),
    include_str!("0002_offices.sql"),
    include_str!("../sql/migrations/0003_registry.sql"),
    include_str!("0004_base.sql"),
    include_str!("../sql/migrations/0005_portal.sql"),
    include_str!("../sql/migrations/0006_sign_in_lock.sql"),
    include_str!("0007_rejection.sql"),
    include_str!("0008_base_trust.sql"),
    include_str!("0009_operator_second_factor.sql"),
    include_str!("../sql/migrations/0010_undelivered.sql"),
    include_str!("../sql/migrations/0011_csv_versions.sql"),
];

use crate::store::MAX_GROUP;

type Reply = Box<dyn FnOnce(bool) + Send>;
type Job = Box<dyn FnOnce(&Connection, &mut MemoryTree) -> Reply + Send>;

#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
    readers: Arc<Mutex<Vec<Connection>>>,
    tree: Arc<RwLock<MemoryTree>>,
    /// Log entries known committed; readers prove against this size.
    committed: Arc<AtomicU64>,
}

fn open_connection(path: &Path) -> Result<Connection> {
    let connection = Connection::open(path)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a commit is on disk before it returns, so a 201 never outlives a power cut.
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(connection)
}

fn migrate(connection: &mut Connection) -> Result<()> {
    let applied: usize = connection.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (number, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(sql)?;
        transaction.pragma_update(None, "user_version", number + 1)?;
        transaction.commit()?;
    }
    Ok(())
}

impl SqliteStore {
    /// Open (or create) the store at `path`, apply migrations and load the audit tree.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_owned();
        let mut connection = open_connection(&path)?;
        migrate(&mut connection)?;
        let mut tree = MemoryTree::default();
        {
            let mut statement = connection.prepare("SELECT leaf FROM audit_log ORDER BY idx")?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let leaf: Vec<u8> = row.get(0)?;
                let leaf: merkle::Hash = leaf
                    .try_into()
                    .map_err(|_| Error::Database("audit leaf is not 32 bytes".into()))?;
                tree.push(leaf);
            }
        }
        let committed = Arc::new(AtomicU64::new(tree.len()));
        let tree = Arc::new(RwLock::new(tree));
        let (jobs, queue) = mpsc::channel::<Job>();
        let writer = {
            let tree = Arc::clone(&tree);
            let committed = Arc::clone(&committed);
            std::thread::Builder::new()
                .name("renkei-sqlite-writer".into())
                .spawn(move || write_loop(connection, queue, tree, committed))
                .map_err(|e| Error::Database(e.to_string()))?
        };
        Ok(Self {
            path,
            jobs: Mutex::new(Some(jobs)),
            writer: Mutex::new(Some(writer)),
            readers: Arc::new(Mutex::new(Vec::new())),
            tree,
            committed,
        })
    }

    /// Finish the writes under way and stop the writer.
    pub fn close(&self) {
        self.jobs.lock().map(|mut j| j.take()).ok();
        if let Some(handle) = self.writer.lock().ok().and_then(|mut w| w.take()) {
            let _ = handle.join();
        }
    }

    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection, &mut MemoryTree) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |connection, tree| {
            let before = tree.len();
            let outcome = in_savepoint(connection, || work(connection, tree));
            if outcome.is_err() {
                tree.truncate(before);
            }
            Box::new(move |committed| {
                let _ = reply.send(match outcome {
                    Ok(_) if !committed => Err(Error::Database(
                        "書き込みを確定できませんでした / the commit failed".into(),
                    )),
                    other => other,
                });
            })
        });
        let sent = self
            .jobs
            .lock()
            .map_err(|_| Error::Closed)?
            .as_ref()
            .ok_or(Error::Closed)?
            .send(job);
        sent.map_err(|_| Error::Closed)?;
        answer.await.map_err(|_| Error::Closed)?
    }

    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection, &RwLock<MemoryTree>, u64) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let readers = Arc::clone(&self.readers);
        let tree = Arc::clone(&self.tree);
        let committed = Arc::clone(&self.committed);
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = readers.lock().ok().and_then(|mut r| r.pop());
            let connection = match pooled {
                Some(c) => c,
                None => open_connection(&path)?,
            };
            // Only proofs need the tree: other reads never wait for the writer's lock on it.
            let result = work(&connection, &tree, committed.load(Ordering::Acquire));
            if let Ok(mut r) = readers.lock() {
                r.push(connection);
            }
            result
        })
        .await
        .map_err(|e| Error::Database(e.to_string()))?
    }
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.close();
    }
}

fn in_savepoint<T>(connection: &Connection, work: impl FnOnce() -> Result<T>) -> Result<T> {
    connection.execute_batch("SAVEPOINT job")?;
    match work() {
        Ok(value) => {
            connection.execute_batch("RELEASE job")?;
            Ok(value)
        }
        Err(error) => {
            connection.execute_batch("ROLLBACK TO job; RELEASE job")?;
            Err(error)
        }
    }
}

fn write_loop(
    connection: Connection,
    queue: mpsc::Receiver<Job>,
    tree: Arc<RwLock<MemoryTree>>,
    committed: Arc<AtomicU64>,
) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let Ok(mut tree) = tree.write() else { return };
        let start = tree.len();
        let began = connection.execute_batch("BEGIN IMMEDIATE").is_ok();
        let replies: Vec<Reply> = group
            .into_iter()
            .map(|job| job(&connection, &mut tree))
            .collect();
        let ok = began && connection.execute_batch("COMMIT").is_ok();
        if ok {
            committed.store(tree.len(), Ordering::Release);
        } else {
            let _ = connection.execute_batch("ROLLBACK");
            tree.truncate(start);
        }
        drop(tree);
        for reply in replies {
            reply(ok);
        }
    }
}

fn parcel_from_row(row: &Row<'_>) -> rusqlite::Result<ParcelRecord> {
    let state: String = row.get(7)?;
    Ok(ParcelRecord {
        id: row.get(0)?,
        sender: row.get(1)?,
        recipient: row.get(2)?,
        client_parcel_id: row.get(3)?,
        payload_sha256: row.get(4)?,
        size: row.get(5)?,
        manifest: row.get(6)?,
        // Only this module writes states; anything else is a damaged database, not a parcel
        // to treat as new.
        state: State::parse(&state).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                7,
                rusqlite::types::Type::Text,
                format!("unknown parcel state '{state}'").into(),
            )
        })?,
        accepted: row.get(8)?,
        accepted_index: row.get(9)?,
        downloaded: row.get(10)?,
        acknowledged: row.get(11)?,
        acknowledgement: row.get(12)?,
        sender_certificate: row.get(13)?,
        rejection: row.get(14)?,
    })
}

fn parcel_by(
    connection: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> Result<Option<ParcelRecord>> {
    let sql = format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE {filter}");
    Ok(connection
        .prepare_cached(&sql)?
        .query_row(args, parcel_from_row)
        .optional()?)
}

/// Append an entry; its proof is against the tree just after it.
fn append(
    connection: &Connection,
    tree: &mut MemoryTree,
    action: Action,
    parcel: &ParcelRecord,
    time: i64,
) -> Result<Logged> {
    let index = tree.len();
    let (entry, leaf) = log::entry(index, action, parcel, time)?;
    connection
        .prepare_cached(&sqlite_text(sql::parcels::APPEND_LOG_ENTRY))?
        .execute(params![
            index,
            parcel.id,
            step(action).2.as_str(),
            entry,
            leaf.as_slice()
        ])?;
    tree.push(leaf);
    Ok(logged_in(tree, index, tree.len(), entry))
}

fn entry_at(connection: &Connection, index: u64) -> Result<String> {
    connection
        .prepare_cached(&sqlite_text(sql::parcels::LOG_ENTRY))?
        .query_row([index], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::Database(format!("no audit entry {index}")))
}

impl ParcelStore for SqliteStore {
    async fn accept(&self, parcel: NewParcel) -> Result<Accepted> {
        self.write(move |connection, tree| {
            if let Some(first) = parcel_by(
                connection,
                "sender = ?1 AND client_parcel_id = ?2",
                params![parcel.sender, parcel.client_parcel_id],
            )? {
                if first.payload_sha256 != parcel.payload_sha256 {
                    return Err(Error::ParcelIdReused {
                        client_parcel_id: parcel.client_parcel_id,
                    });
                }
                let entry = entry_at(connection, first.accepted_index)?;
                let logged = logged_in(tree, first.accepted_index, tree.len(), entry);
                return Ok(Accepted::Again(first, logged));
            }
            let (record, payload) = parcel.into_record(tree.len());
            connection
                .prepare_cached(
                    "INSERT INTO parcels (id, sender, recipient, client_parcel_id, payload_sha256, \
                     size, manifest, state, accepted, accepted_index, sender_certificate) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?
                .execute(params![
                    record.id,
                    record.sender,
                    record.recipient,
                    record.client_parcel_id,
                    record.payload_sha256,
                    record.size,
                    record.manifest,
                    record.state.as_str(),
                    record.accepted,
                    record.accepted_index,
                    record.sender_certificate,
                ])?;
            connection
                .prepare_cached("INSERT INTO payloads (parcel, bytes) VALUES (?1, ?2)")?
                .execute(params![record.id, payload])?;
            let logged = append(connection, tree, Action::Accepted, &record, record.accepted)?;
            Ok(Accepted::New(record, logged))
        })
        .await
    }
    async fn advance(
        &self,
        parcel_id: &str,
        action: Action,
        acknowledgement: Option<String>,
        time: i64,
    ) -> Result<(ParcelRecord, Logged)> {
        let parcel_id = parcel_id.to_owned();
        self.write(move |connection, tree| {
            let record = parcel_by(connection, "id = ?1", [&parcel_id])?
                .ok_or_else(|| Error::NoParcel(parcel_id.clone()))?;
            let (column, from, to) = step(action);
            // A step taken before is answered with its first entry (a repeated download).
            let done: Option<u64> = connection
                .prepare_cached(&format!("SELECT {column} FROM parcels WHERE id = ?1"))?
                .query_row([&parcel_id], |r| r.get(0))?;
            if let Some(index) = done {
                let entry = entry_at(connection, index)?;
                return Ok((record, logged_in(tree, index, tree.len(), entry)));
            }
            if !from.contains(&record.state) {
                return Err(Error::WrongState {
                    id: parcel_id,
                    state: record.state.name_ja(),
                    state_en: record.state.as_str(),
                });
            }
            let logged = append(connection, tree, action, &record, time)?;
            connection
                .prepare_cached(&format!(
                    "UPDATE parcels SET state = ?2, {column} = ?3, \
                     downloaded = CASE WHEN ?4 = 'downloaded' THEN ?5 ELSE downloaded END, \
                     acknowledged = CASE WHEN ?4 = 'acknowledged' THEN ?5 ELSE acknowledged END, \
                     acknowledgement = CASE WHEN ?4 = 'acknowledged' THEN COALESCE(?6, acknowledgement) ELSE acknowledgement END, \
                     rejection = CASE WHEN ?4 = 'rejected' THEN ?6 ELSE rejection END WHERE id = ?1"
                ))?
                .execute(params![
                    parcel_id,
                    to.as_str(),
                    logged.index,
                    to.as_str(),
                    time,
                    acknowledgement,
                ])?;
            if action == Action::Purged {
                connection
                    .prepare_cached(&sqlite_text(sql::parcels::DROP_PAYLOAD))?
                    .execute([&parcel_id])?;
            }
            let record = parcel_by(connection, "id = ?1", [&parcel_id])?
                .ok_or_else(|| Error::NoParcel(parcel_id.clone()))?;
            Ok((record, logged))
        })
        .await
    }
    async fn parcel(&self, id: &str) -> Result<Option<ParcelRecord>> {
        let id = id.to_owned();
        self.read(move |connection, _, _| parcel_by(connection, "id = ?1", [id]))
            .await
    }
    async fn sent(&self, sender: &str, client_parcel_id: &str) -> Result<Option<ParcelRecord>> {
        let (sender, id) = (sender.to_owned(), client_parcel_id.to_owned());
        self.read(move |connection, _, _| {
            parcel_by(
                connection,
                "sender = ?1 AND client_parcel_id = ?2",
                params![sender, id],
            )
        })
        .await
    }
    async fn payload(&self, id: &str) -> Result<Option<Vec<u8>>> {
        let id = id.to_owned();
        self.read(move |connection, _, _| {
            Ok(connection
                .prepare_cached(&sqlite_text(sql::parcels::PAYLOAD))?
                .query_row([id], |r| r.get(0))
                .optional()?)
        })
        .await
    }
    async fn inbox(
        &self,
        recipient: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<ParcelRecord>> {
        let recipient = recipient.to_owned();
        self.read(move |connection, _, committed| {
            let sql = format!(
                "SELECT {PARCEL_COLUMNS} FROM parcels WHERE recipient = ?1 AND accepted_index >= ?2 \
                 AND accepted_index < ?3 AND state IN ('accepted', 'downloaded') \
                 ORDER BY accepted_index LIMIT ?4"
            );
            let from = after.map_or(0, |a| a + 1);
            let rows = connection
                .prepare_cached(&sql)?
                .query_map(params![recipient, from, committed, limit], parcel_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }
    async fn undelivered_bytes(&self, sender: &str) -> Result<u64> {
        let sender = sender.to_owned();
        self.read(move |connection, _, _| {
            let bytes: i64 = connection
                .prepare_cached(
                    "SELECT coalesce(sum(size), 0) FROM parcels WHERE sender = ?1 \
                     AND state IN ('accepted', 'downloaded')",
                )?
                .query_row([&sender], |r| r.get(0))?;
            Ok(bytes as u64)
        })
        .await
    }
    async fn outbox(&self, sender: &str, limit: usize) -> Result<Vec<ParcelRecord>> {
        let sender = sender.to_owned();
        self.read(move |connection, _, _| {
            let sql = sqlite_text(sql::parcels::OUTBOX);
            let rows = connection
                .prepare_cached(&sql)?
                .query_map(params![sender, limit], parcel_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }
    async fn logged(&self, index: u64) -> Result<Logged> {
        self.read(move |connection, tree, committed| {
            if index >= committed {
                return Err(Error::Database(format!("no audit entry {index}")));
            }
            let entry = entry_at(connection, index)?;
            let tree = tree.read().map_err(|_| Error::Closed)?;
            Ok(logged_in(&tree, index, committed, entry))
        })
        .await
    }
    async fn log_size(&self) -> Result<u64> {
        Ok(self.committed.load(Ordering::Acquire))
    }
    async fn consistency(&self, first: u64, second: u64) -> Result<Option<Vec<merkle::Hash>>> {
        self.read(move |_, tree, committed| {
            if second > committed {
                return Ok(None);
            }
            let tree = tree.read().map_err(|_| Error::Closed)?;
            Ok(Some(merkle::consistency_proof(&*tree, first, second)))
        })
        .await
    }
    async fn history(&self, parcel_id: &str) -> Result<Vec<u64>> {
        let id = parcel_id.to_owned();
        self.read(move |connection, _, committed| {
            let steps: Option<[Option<u64>; 6]> = connection
                .prepare_cached(&sqlite_text(sql::parcels::HISTORY))?
                .query_row([&id], |r| {
                    Ok([
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ])
                })
                .optional()?;
            let steps = steps.ok_or(Error::NoParcel(id))?;
            let mut steps: Vec<u64> = steps
                .into_iter()
                .flatten()
                .filter(|i| *i < committed)
                .collect();
            steps.sort_unstable();
            Ok(steps)
        })
        .await
    }
    async fn due(
        &self,
        states: &'static [State],
        before: i64,
        limit: usize,
    ) -> Result<Vec<ParcelRecord>> {
        self.read(move |connection, _, _| {
            let states: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
            let sql = format!(
                "SELECT {PARCEL_COLUMNS} FROM parcels WHERE state IN (SELECT value FROM json_each(?1)) \
                 AND accepted < ?2 ORDER BY accepted LIMIT ?3"
            );
            let states = serde_json::to_string(&states).map_err(|e| Error::Database(e.to_string()))?;
            let rows = connection
                .prepare_cached(&sql)?
                .query_map(params![states, before, limit], parcel_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }
    async fn volumes(&self, since: i64) -> Result<Vec<DailyVolume>> {
        self.read(move |connection, _, _| {
            let rows = connection
                .prepare_cached(
                    "SELECT date(accepted + 32400, 'unixepoch'), count(*), sum(size) FROM parcels \
                     WHERE accepted >= ?1 GROUP BY 1 ORDER BY 1",
                )?
                .query_map([since], |r| {
                    Ok(DailyVolume {
                        day: r.get(0)?,
                        parcels: r.get(1)?,
                        bytes: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }
}

impl OfficeStore for SqliteStore {
    async fn load_registry(&self, entries: Vec<RegistryEntry>) -> Result<usize> {
        self.write(move |connection, _| statistics::load_registry(connection, &entries))
            .await
    }
    async fn adoption(&self, prefecture: Option<u8>, since: i64) -> Result<Vec<Adoption>> {
        self.read(move |connection, _, _| statistics::adoption(connection, prefecture, since))
            .await
    }
    async fn pairs(&self, since: i64, limit: usize) -> Result<Vec<PairVolume>> {
        self.read(move |connection, _, _| statistics::pairs(connection, since, limit))
            .await
    }
    async fn add_code(&self, code: EnrolmentCode) -> Result<()> {
        self.write(move |connection, _| offices::add_code(connection, &code))
            .await
    }
    async fn code(&self, code_sha256: &str) -> Result<Option<EnrolmentCode>> {
        let code_sha256 = code_sha256.to_owned();
        self.read(move |connection, _, _| offices::code(connection, &code_sha256))
            .await
    }
    async fn enrol(
        &self,
        code_sha256: &str,
        certificate: CertificateRecord,
        time: i64,
    ) -> Result<Office> {
        let code_sha256 = code_sha256.to_owned();
        self.write(move |connection, _| {
            offices::enrol(connection, &code_sha256, &certificate, time)
        })
        .await
    }
    async fn certificate(&self, fingerprint: &str) -> Result<Option<CertificateRecord>> {
        let fingerprint = fingerprint.to_owned();
        self.read(move |connection, _, _| offices::certificate(connection, &fingerprint))
            .await
    }
    async fn office(&self, number: &str) -> Result<Option<Office>> {
        let number = number.to_owned();
        self.read(move |connection, _, _| offices::office(connection, &number))
            .await
    }
    async fn current_certificate(
        &self,
        number: &str,
        time: i64,
    ) -> Result<Option<CertificateRecord>> {
        let number = number.to_owned();
        self.read(move |connection, _, _| offices::current_certificate(connection, &number, time))
            .await
    }
    async fn offices(
        &self,
        query: OfficeQuery,
        time: i64,
    ) -> Result<Vec<(Office, Option<CertificateRecord>)>> {
        self.read(move |connection, _, _| offices::offices(connection, &query, time))
            .await
    }
    async fn revoke(
        &self,
        office: &str,
        serial: Option<String>,
        reason: String,
        time: i64,
    ) -> Result<Vec<CertificateRecord>> {
        let office = office.to_owned();
        self.write(move |connection, _| {
            offices::revoke(connection, &office, serial.as_deref(), &reason, time)
        })
        .await
    }
    async fn set_active(&self, office: &str, active: bool) -> Result<()> {
        let office = office.to_owned();
        self.write(move |connection, _| offices::set_active(connection, &office, active))
            .await
    }
    async fn set_csv_versions(&self, office: &str, reads: String, writes: String) -> Result<()> {
        let office = office.to_owned();
        self.write(move |connection, _| {
            offices::set_csv_versions(connection, &office, &reads, &writes)
        })
        .await
    }
}

impl AccountStore for SqliteStore {
    async fn set_operator(
        &self,
        name: &str,
        password_hash: &str,
        totp_secret: &str,
        time: i64,
    ) -> Result<()> {
        let (name, password_hash, secret) = (
            name.to_owned(),
            password_hash.to_owned(),
            totp_secret.to_owned(),
        );
        self.write(move |connection, _| {
            offices::set_operator(connection, &name, &password_hash, &secret, time)
        })
        .await
    }
    async fn operator_password(&self, name: &str) -> Result<Option<(String, Option<String>)>> {
        let name = name.to_owned();
        self.read(move |connection, _, _| offices::operator_password(connection, &name))
            .await
    }
    async fn claim_operator_step(&self, name: &str, step: i64) -> Result<bool> {
        let name = name.to_owned();
        self.write(move |connection, _| offices::claim_operator_step(connection, &name, step))
            .await
    }
    async fn add_session(&self, token_sha256: &str, operator: &str, expires: i64) -> Result<()> {
        let (token, operator) = (token_sha256.to_owned(), operator.to_owned());
        self.write(move |connection, _| {
            offices::add_session(connection, &token, &operator, expires)
        })
        .await
    }
    async fn session(&self, token_sha256: &str, time: i64) -> Result<Option<String>> {
        let token = token_sha256.to_owned();
        self.read(move |connection, _, _| offices::session(connection, &token, time))
            .await
    }
    async fn put_organisation(&self, organisation: Organisation) -> Result<()> {
        self.write(move |connection, _| portal::put_organisation(connection, &organisation))
            .await
    }
    async fn organisation(&self, holder: &str) -> Result<Option<Organisation>> {
        let holder = holder.to_owned();
        self.read(move |connection, _, _| portal::organisation(connection, &holder))
            .await
    }
    async fn organisations(&self, prefix: &str) -> Result<Vec<Organisation>> {
        let prefix = prefix.to_owned();
        self.read(move |connection, _, _| portal::organisations(connection, &prefix))
            .await
    }
    async fn put_account(&self, account: Account) -> Result<()> {
        self.write(move |connection, _| portal::put_account(connection, &account))
            .await
    }
    async fn account(&self, holder: &str, name: &str) -> Result<Option<Account>> {
        let (holder, name) = (holder.to_owned(), name.to_owned());
        self.read(move |connection, _, _| portal::account(connection, &holder, &name))
            .await
    }
    async fn accounts(&self, holder: &str) -> Result<Vec<Account>> {
        let holder = holder.to_owned();
        self.read(move |connection, _, _| portal::accounts(connection, &holder))
            .await
    }
    async fn remove_account(&self, holder: &str, name: &str) -> Result<()> {
        let (holder, name) = (holder.to_owned(), name.to_owned());
        self.write(move |connection, _| portal::remove_account(connection, &holder, &name))
            .await
    }
    async fn claim_totp_step(&self, holder: &str, name: &str, step: i64) -> Result<bool> {
        let (holder, name) = (holder.to_owned(), name.to_owned());
        self.write(move |connection, _| portal::claim_totp_step(connection, &holder, &name, step))
            .await
    }
    async fn add_portal_session(
        &self,
        token_sha256: &str,
        holder: &str,
        name: &str,
        expires: i64,
    ) -> Result<()> {
        let (token, holder, name) = (token_sha256.to_owned(), holder.to_owned(), name.to_owned());
        self.write(move |connection, _| {
            portal::add_session(connection, &token, &holder, &name, expires)
        })
        .await
    }
    async fn portal_session(
        &self,
        token_sha256: &str,
        time: i64,
    ) -> Result<Option<(String, String)>> {
        let token = token_sha256.to_owned();
        self.read(move |connection, _, _| portal::session(connection, &token, time))
            .await
    }
    async fn end_portal_session(&self, token_sha256: &str) -> Result<()> {
        let token = token_sha256.to_owned();
        self.write(move |connection, _| portal::end_session(connection, &token))
            .await
    }
    async fn add_opinion_request(&self, request: OpinionRequest) -> Result<()> {
        self.write(move |connection, _| portal::add_opinion_request(connection, &request))
            .await
    }
    async fn opinion_requests(&self, clinic: &str) -> Result<Vec<OpinionRequest>> {
        let clinic = clinic.to_owned();
        self.read(move |connection, _, _| portal::opinion_requests(connection, &clinic))
            .await
    }
    async fn end_session(&self, token_sha256: &str) -> Result<()> {
        let token = token_sha256.to_owned();
        self.write(move |connection, _| {
            connection
                .prepare_cached(&sqlite_text(sql::parcels::END_OPERATOR_SESSION))?
                .execute([token])?;
            Ok(())
        })
        .await
    }
}

impl InfobaseStore for SqliteStore {
    async fn put_records(&self, records: Vec<NewRecord>) -> Result<Vec<RecordVersion>> {
        self.write(move |connection, _| infobase::put_records(connection, &records))
            .await
    }
    async fn records(
        &self,
        person: &PersonKey,
        kind: Option<RecordKind>,
    ) -> Result<Vec<RecordVersion>> {
        let person = person.clone();
        self.read(move |connection, _, _| infobase::records(connection, &person, kind))
            .await
    }
    async fn set_consents(
        &self,
        people: Vec<PersonKey>,
        consent: Consent,
        recorded_by: &str,
        time: i64,
    ) -> Result<()> {
        let by = recorded_by.to_owned();
        self.write(move |connection, _| {
            for person in &people {
                infobase::set_consent(connection, person, consent, &by, time)?;
                infobase::log_consent(connection, person, consent, &by, time)?;
            }
            Ok(())
        })
        .await
    }
    async fn withdrawn_consents(&self, insurer: &str) -> Result<Vec<String>> {
        let insurer = insurer.to_owned();
        self.read(move |connection, _, _| infobase::withdrawn_consents(connection, &insurer))
            .await
    }
    async fn consent(&self, person: &PersonKey) -> Result<Consent> {
        let person = person.clone();
        self.read(move |connection, _, _| infobase::consent(connection, &person))
            .await
    }
    async fn set_registration(
        &self,
        person: &PersonKey,
        office: &str,
        confirmed_by: Option<&str>,
        time: i64,
    ) -> Result<()> {
        let (person, office, by) = (
            person.clone(),
            office.to_owned(),
            confirmed_by.map(str::to_owned),
        );
        self.write(move |connection, _| {
            infobase::set_registration(connection, &person, &office, by.as_deref(), time)
        })
        .await
    }
    async fn registrations(&self, person: &PersonKey) -> Result<Vec<Registration>> {
        let person = person.clone();
        self.read(move |connection, _, _| infobase::registrations(connection, &person))
            .await
    }
    async fn log_access(&self, accesses: Vec<Access>) -> Result<()> {
        self.write(move |connection, _| infobase::log_access(connection, &accesses))
            .await
    }
    async fn access_log(
        &self,
        person: &PersonKey,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Access>> {
        let person = person.clone();
        self.read(move |connection, _, _| infobase::access_log(connection, &person, limit, offset))
            .await
    }
    async fn request_registration(
        &self,
        person: &PersonKey,
        office: &str,
        time: i64,
    ) -> Result<()> {
        let (person, office) = (person.clone(), office.to_owned());
        self.write(move |connection, _| {
            infobase::request_registration(connection, &person, &office, time)
        })
        .await
    }
    async fn registration_requests(&self, person: &PersonKey) -> Result<Vec<RegistrationRequest>> {
        let person = person.clone();
        self.read(move |connection, _, _| infobase::registration_requests(connection, &person))
            .await
    }
    async fn drop_registration_request(&self, person: &PersonKey, office: &str) -> Result<bool> {
        let (person, office) = (person.clone(), office.to_owned());
        self.write(move |connection, _| {
            infobase::drop_registration_request(connection, &person, &office)
        })
        .await
    }
    async fn latest_records(
        &self,
        insurer: &str,
        kind: RecordKind,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<RecordVersion>> {
        let insurer = insurer.to_owned();
        self.read(move |connection, _, _| {
            infobase::latest_records(connection, &insurer, kind, limit, offset)
        })
        .await
    }
}
