//! The store on PostgreSQL, for a relay that outgrows one machine: several hub processes
//! share one database.
//!
//! As on SQLite, each process has one writer that commits jobs in groups, each job in its
//! own savepoint, every caller answered after the commit. What is new is that other
//! processes append too: every group first takes a transaction-scoped advisory lock (so
//! appends from all processes form one sequence, with no gap and no fork) and then reads
//! the entries other processes appended since, so that its in-memory Merkle tree is the
//! log's own before it adds to it. Proofs for readers catch up the same way.

mod infobase;
mod offices;
mod portal;
mod statistics;

use std::future::Future;
use std::sync::Arc;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use renkei_seal::merkle::{self, Hash, MemoryTree};
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row, Statement};

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
use crate::{Error, Result};
use renkei_infobase::{Consent, PersonKey, RecordKind};

/// Migrations in order, the same steps as SQLite's.
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

/// The advisory lock that orders appends to the audit log across processes.
const LOG_LOCK: i64 = 0x7265_6e6b_6569; // "renkei"

use crate::store::MAX_GROUP;

fn database(error: impl std::fmt::Display) -> Error {
    Error::Database(error.to_string())
}

/// A write, carried to the writer task.
enum Job {
    Accept(NewParcel),
    Advance {
        parcel_id: String,
        action: Action,
        acknowledgement: Option<String>,
        time: i64,
    },
    AddCode(EnrolmentCode),
    Enrol {
        code_sha256: String,
        certificate: CertificateRecord,
        time: i64,
    },
    Revoke {
        office: String,
        serial: Option<String>,
        reason: String,
        time: i64,
    },
    SetCsvVersions {
        office: String,
        reads: String,
        writes: String,
    },
    SetActive {
        office: String,
        active: bool,
    },
    SetOperator {
        name: String,
        password_hash: String,
        totp_secret: String,
        time: i64,
    },
    AddSession {
        token_sha256: String,
        operator: String,
        expires: i64,
    },
    LoadRegistry(Vec<RegistryEntry>),
    EndSession(String),
    PutRecords(Vec<NewRecord>),
    SetConsents {
        people: Vec<PersonKey>,
        consent: Consent,
        recorded_by: String,
        time: i64,
    },
    SetRegistration {
        person: PersonKey,
        office: String,
        confirmed_by: Option<String>,
        time: i64,
    },
    LogAccess(Vec<Access>),
}

enum Done {
    Accepted(Accepted),
    Advanced(ParcelRecord, Logged),
    Office(Office),
    Revoked(Vec<CertificateRecord>),
    Count(usize),
    Records(Vec<RecordVersion>),
    Nothing,
}

type Reply = oneshot::Sender<Result<Done>>;

#[derive(Debug)]
pub struct PostgresStore {
    config: tokio_postgres::Config,
    pool: Pool,
    jobs: mpsc::UnboundedSender<(Job, Reply)>,
    tree: Arc<Mutex<MemoryTree>>,
}

impl PostgresStore {
    /// Connect to `url` (`postgres://user@host/db` or `host=… user=…`), apply migrations
    /// and load the audit tree.
    pub async fn connect(url: &str) -> Result<Self> {
        let config: tokio_postgres::Config = url.parse().map_err(database)?;
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(database)?;
        let writer = connect(&config).await?;
        migrate(&writer).await?;
        let tree = Arc::new(Mutex::new(MemoryTree::default()));
        catch_up(&writer, &mut *tree.lock().await).await?;
        let (jobs, queue) = mpsc::unbounded_channel();
        tokio::spawn(write_loop(writer, queue, Arc::clone(&tree)));
        Ok(Self {
            config,
            pool,
            jobs,
            tree,
        })
    }

    /// Create the database `url` names if the server does not have it yet; true when made.
    pub async fn ensure_database(url: &str) -> Result<bool> {
        let (admin, name) = administration(url).await?;
        let exists = admin
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .await
            .map_err(database)?
            .is_some();
        if !exists {
            admin
                .batch_execute(&format!("CREATE DATABASE \"{name}\""))
                .await
                .map_err(database)?;
        }
        Ok(!exists)
    }

    /// Drop the database `url` names, closing its connections (for tests and benchmarks).
    pub async fn drop_database(url: &str) -> Result<()> {
        let (admin, name) = administration(url).await?;
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await
            .map_err(database)
    }

    async fn write(&self, job: Job) -> Result<Done> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send((job, reply)).map_err(|_| Error::Closed)?;
        answer.await.map_err(|_| Error::Closed)?
    }

    async fn reader(&self) -> Result<deadpool_postgres::Object> {
        self.pool.get().await.map_err(database)
    }
}

/// A connection to the server's `postgres` database, and the database name `url` gives
/// (letters, digits and `_` only, so that it can be written into SQL).
async fn administration(url: &str) -> Result<(Client, String)> {
    let mut config: tokio_postgres::Config = url.parse().map_err(database)?;
    let name = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres")
        .to_owned();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(Error::Database(format!(
            "データベース名「{name}」は英数字と _ だけにしてください / database name '{name}': use letters, digits and _"
        )));
    }
    config.dbname("postgres");
    Ok((connect(&config).await?, name))
}

async fn connect(config: &tokio_postgres::Config) -> Result<Client> {
    let (client, connection) = config.connect(NoTls).await.map_err(database)?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::error!("PostgreSQL connection lost: {error}");
        }
    });
    Ok(client)
}

/// The channel a committed acceptance notifies, with the recipient's number.
const ARRIVALS: &str = "renkei_inbox";

/// Forward notifications of arrivals to `arrivals` for as long as someone listens,
/// reconnecting after a lost connection.
async fn listen(config: tokio_postgres::Config, arrivals: mpsc::UnboundedSender<String>) {
    let mut pause = std::time::Duration::from_millis(250);
    while !arrivals.is_closed() {
        let Ok((client, mut connection)) = config.connect(NoTls).await else {
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(std::time::Duration::from_secs(10));
            continue;
        };
        pause = std::time::Duration::from_millis(250);
        // The connection must be driven for LISTEN to be answered at all.
        let forward = async {
            loop {
                match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                    Some(Ok(tokio_postgres::AsyncMessage::Notification(note))) => {
                        if arrivals.send(note.payload().to_owned()).is_err() {
                            return;
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => return,
                }
            }
        };
        tokio::pin!(forward);
        let subscribe = format!("LISTEN {ARRIVALS}");
        tokio::select! {
            listening = client.batch_execute(&subscribe) => {
                if listening.is_ok() {
                    forward.await;
                }
            }
            () = &mut forward => {}
        }
        if !arrivals.is_closed() {
            tracing::warn!(
                "PostgreSQL の通知が途切れました。接続し直します / lost the arrivals channel; reconnecting"
            );
        }
    }
}

/// The advisory lock key of exclusive work called `name` (FNV-1a of the name).
fn work_lock(name: &str) -> i64 {
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    hash as i64
}

async fn migrate(client: &Client) -> Result<()> {
    // One process migrates at a time; the others find the work done.
    client
        .batch_execute(
            "SELECT pg_advisory_lock(7); \
             CREATE TABLE IF NOT EXISTS renkei_schema (version INTEGER NOT NULL)",
        )
        .await
        .map_err(database)?;
    let outcome = async {
        let applied: i64 = client
            .query_one("SELECT count(*) FROM renkei_schema", &[])
            .await
            .map_err(database)?
            .get(0);
        for (number, sql) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
            let script = format!(
                "BEGIN; {sql}; INSERT INTO renkei_schema (version) VALUES ({}); COMMIT;",
                number + 1
            );
            client.batch_execute(&script).await.map_err(database)?;
        }
        Ok(())
    }
    .await;
    client
        .batch_execute("SELECT pg_advisory_unlock(7)")
        .await
        .map_err(database)?;
    outcome
}

/// Add to `tree` the leaves other processes appended since it was last read.
async fn catch_up(
    client: &impl tokio_postgres::GenericClient,
    tree: &mut MemoryTree,
) -> Result<()> {
    let rows = client
        .query(
            "SELECT leaf FROM audit_log WHERE idx >= $1 ORDER BY idx",
            &[&(tree.len() as i64)],
        )
        .await
        .map_err(database)?;
    for row in rows {
        let leaf: Vec<u8> = row.get(0);
        let leaf: Hash = leaf
            .try_into()
            .map_err(|_| Error::Database("audit leaf is not 32 bytes".into()))?;
        tree.push(leaf);
    }
    Ok(())
}

async fn write_loop(
    client: Client,
    mut queue: mpsc::UnboundedReceiver<(Job, Reply)>,
    tree: Arc<Mutex<MemoryTree>>,
) {
    let writer = Writer {
        client,
        statements: std::sync::Mutex::default(),
    };
    let client = &writer.client;
    while let Some(first) = queue.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let mut tree = tree.lock().await;
        let began = client
            .batch_execute("BEGIN")
            .await
            .and(Ok(()))
            .map_err(database);
        let locked = match began {
            Ok(()) => match client
                .execute("SELECT pg_advisory_xact_lock($1)", &[&LOG_LOCK])
                .await
            {
                Ok(_) => catch_up(client, &mut tree).await,
                Err(e) => Err(database(e)),
            },
            Err(e) => Err(e),
        };
        let start = tree.len();
        let mut outcomes = Vec::with_capacity(group.len());
        let mut replies = Vec::with_capacity(group.len());
        for (job, reply) in group {
            let outcome = match &locked {
                Err(e) => Err(Error::Database(e.to_string())),
                // Parcels check everything before they write, so they need no savepoint:
                // hundreds of subtransactions in one transaction would slow PostgreSQL
                // down. A database failure among them fails the whole group, whose
                // callers send again.
                Ok(()) if matches!(job, Job::Accept(_) | Job::Advance { .. }) => {
                    apply(&writer, &mut tree, job).await
                }
                Ok(()) => in_savepoint(&writer, &mut tree, job).await,
            };
            outcomes.push(outcome);
            replies.push(reply);
        }
        let committed = locked.is_ok() && client.batch_execute("COMMIT").await.is_ok();
        if !committed {
            let _ = client.batch_execute("ROLLBACK").await;
            tree.truncate(start);
        }
        drop(tree);
        for (outcome, reply) in outcomes.into_iter().zip(replies) {
            let _ = reply.send(match outcome {
                Ok(_) if !committed => Err(Error::Database(
                    "書き込みを確定できませんでした / the commit failed".into(),
                )),
                other => other,
            });
        }
    }
}

async fn in_savepoint(w: &Writer, tree: &mut MemoryTree, job: Job) -> Result<Done> {
    let client = &w.client;
    let before = tree.len();
    client
        .batch_execute("SAVEPOINT job")
        .await
        .map_err(database)?;
    match apply(w, tree, job).await {
        Ok(done) => {
            client
                .batch_execute("RELEASE SAVEPOINT job")
                .await
                .map_err(database)?;
            Ok(done)
        }
        Err(error) => {
            tree.truncate(before);
            client
                .batch_execute("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job")
                .await
                .map_err(database)?;
            Err(error)
        }
    }
}

async fn apply(w: &Writer, tree: &mut MemoryTree, job: Job) -> Result<Done> {
    let client = &w.client;
    match job {
        Job::Accept(parcel) => accept(w, tree, parcel).await.map(Done::Accepted),
        Job::Advance {
            parcel_id,
            action,
            acknowledgement,
            time,
        } => advance(w, tree, &parcel_id, action, acknowledgement, time)
            .await
            .map(|(record, logged)| Done::Advanced(record, logged)),
        Job::AddCode(code) => offices::add_code(client, &code)
            .await
            .map(|()| Done::Nothing),
        Job::Enrol {
            code_sha256,
            certificate,
            time,
        } => offices::enrol(client, &code_sha256, &certificate, time)
            .await
            .map(Done::Office),
        Job::Revoke {
            office,
            serial,
            reason,
            time,
        } => offices::revoke(client, &office, serial.as_deref(), &reason, time)
            .await
            .map(Done::Revoked),
        Job::SetActive { office, active } => offices::set_active(client, &office, active)
            .await
            .map(|()| Done::Nothing),
        Job::SetCsvVersions {
            office,
            reads,
            writes,
        } => offices::set_csv_versions(client, &office, &reads, &writes)
            .await
            .map(|()| Done::Nothing),
        Job::SetOperator {
            name,
            password_hash,
            totp_secret,
            time,
        } => offices::set_operator(client, &name, &password_hash, &totp_secret, time)
            .await
            .map(|()| Done::Nothing),
        Job::AddSession {
            token_sha256,
            operator,
            expires,
        } => offices::add_session(client, &token_sha256, &operator, expires)
            .await
            .map(|()| Done::Nothing),
        Job::LoadRegistry(entries) => statistics::load_registry(client, &entries)
            .await
            .map(Done::Count),
        Job::PutRecords(records) => infobase::put_records(client, &records)
            .await
            .map(Done::Records),
        Job::SetConsents {
            people,
            consent,
            recorded_by,
            time,
        } => infobase::set_consents(client, &people, consent, &recorded_by, time)
            .await
            .map(|()| Done::Nothing),
        Job::SetRegistration {
            person,
            office,
            confirmed_by,
            time,
        } => infobase::set_registration(client, &person, &office, confirmed_by.as_deref(), time)
            .await
            .map(|()| Done::Nothing),
        Job::LogAccess(accesses) => infobase::log_access(client, &accesses)
            .await
            .map(|()| Done::Nothing),
        Job::EndSession(token_sha256) => client
            .execute(sql::parcels::END_OPERATOR_SESSION, &[&token_sha256])
            .await
            .map(|_| Done::Nothing)
            .map_err(database),
    }
}

fn parcel_from_row(row: &Row) -> Result<ParcelRecord> {
    let state: String = row.get(7);
    Ok(ParcelRecord {
        id: row.get(0),
        sender: row.get(1),
        recipient: row.get(2),
        client_parcel_id: row.get(3),
        payload_sha256: row.get(4),
        size: row.get::<_, i64>(5) as u64,
        manifest: row.get(6),
        state: State::parse(&state)
            .ok_or_else(|| Error::Database(format!("unknown parcel state '{state}'")))?,
        accepted: row.get(8),
        accepted_index: row.get::<_, i64>(9) as u64,
        downloaded: row.get(10),
        acknowledged: row.get(11),
        acknowledgement: row.get(12),
        sender_certificate: row.get(13),
        rejection: row.get(14),
    })
}

async fn parcel_by(
    client: &impl tokio_postgres::GenericClient,
    filter: &str,
    args: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Option<ParcelRecord>> {
    let sql = format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE {filter}");
    client
        .query_opt(&sql, args)
        .await
        .map_err(database)?
        .map(|row| parcel_from_row(&row))
        .transpose()
}

/// The writer's connection, with its statements prepared once: each later use is one
/// round trip instead of two.
struct Writer {
    client: Client,
    statements: std::sync::Mutex<std::collections::HashMap<String, Statement>>,
}

impl Writer {
    async fn statement(&self, sql: &str) -> Result<Statement> {
        let known = self
            .statements
            .lock()
            .ok()
            .and_then(|s| s.get(sql).cloned());
        if let Some(statement) = known {
            return Ok(statement);
        }
        let statement = self.client.prepare(sql).await.map_err(database)?;
        if let Ok(mut statements) = self.statements.lock() {
            statements.insert(sql.to_owned(), statement.clone());
        }
        Ok(statement)
    }

    async fn execute(&self, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<u64> {
        let statement = self.statement(sql).await?;
        self.client
            .execute(&statement, args)
            .await
            .map_err(database)
    }

    async fn query_opt(&self, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>> {
        let statement = self.statement(sql).await?;
        self.client
            .query_opt(&statement, args)
            .await
            .map_err(database)
    }

    async fn parcel_by(
        &self,
        filter: &str,
        args: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<ParcelRecord>> {
        let sql = format!("SELECT {PARCEL_COLUMNS} FROM parcels WHERE {filter}");
        self.query_opt(&sql, args)
            .await?
            .map(|row| parcel_from_row(&row))
            .transpose()
    }

    async fn entry_at(&self, index: u64) -> Result<String> {
        self.query_opt(sql::parcels::LOG_ENTRY, &[&(index as i64)])
            .await?
            .map(|row| row.get(0))
            .ok_or_else(|| Error::Database(format!("no audit entry {index}")))
    }
}

async fn entry_at(client: &impl tokio_postgres::GenericClient, index: u64) -> Result<String> {
    client
        .query_opt(sql::parcels::LOG_ENTRY, &[&(index as i64)])
        .await
        .map_err(database)?
        .map(|row| row.get(0))
        .ok_or_else(|| Error::Database(format!("no audit entry {index}")))
}

async fn append(
    w: &Writer,
    tree: &mut MemoryTree,
    action: Action,
    parcel: &ParcelRecord,
    time: i64,
) -> Result<Logged> {
    let index = tree.len();
    let (entry, leaf) = log::entry(index, action, parcel, time)?;
    w.execute(
        sql::parcels::APPEND_LOG_ENTRY,
        &[
            &(index as i64),
            &parcel.id,
            &step(action).2.as_str(),
            &entry,
            &leaf.as_slice(),
        ],
    )
    .await?;
    tree.push(leaf);
    Ok(logged_in(tree, index, tree.len(), entry))
}

async fn accept(w: &Writer, tree: &mut MemoryTree, parcel: NewParcel) -> Result<Accepted> {
    if let Some(first) = w
        .parcel_by(
            "sender = $1 AND client_parcel_id = $2",
            &[&parcel.sender, &parcel.client_parcel_id],
        )
        .await?
    {
        if first.payload_sha256 != parcel.payload_sha256 {
            return Err(Error::ParcelIdReused {
                client_parcel_id: parcel.client_parcel_id,
            });
        }
        let entry = w.entry_at(first.accepted_index).await?;
        let logged = logged_in(tree, first.accepted_index, tree.len(), entry);
        return Ok(Accepted::Again(first, logged));
    }
    let (record, payload) = parcel.into_record(tree.len());
    // The parcel, its bytes and the wake-up of its recipient (on every hub process, once
    // this commits) in one round trip.
    w.execute(
        "WITH parcel AS (INSERT INTO parcels (id, sender, recipient, client_parcel_id, \
         payload_sha256, size, manifest, state, accepted, accepted_index, sender_certificate) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id), \
         bytes AS (INSERT INTO payloads (parcel, bytes) SELECT id, $12 FROM parcel) \
         SELECT pg_notify($13, $3)",
        &[
            &record.id,
            &record.sender,
            &record.recipient,
            &record.client_parcel_id,
            &record.payload_sha256,
            &(record.size as i64),
            &record.manifest,
            &record.state.as_str(),
            &record.accepted,
            &(record.accepted_index as i64),
            &record.sender_certificate,
            &payload,
            &ARRIVALS,
        ],
    )
    .await?;
    let logged = append(w, tree, Action::Accepted, &record, record.accepted).await?;
    Ok(Accepted::New(record, logged))
}

async fn advance(
    w: &Writer,
    tree: &mut MemoryTree,
    parcel_id: &str,
    action: Action,
    acknowledgement: Option<String>,
    time: i64,
) -> Result<(ParcelRecord, Logged)> {
    let record = w
        .parcel_by("id = $1", &[&parcel_id])
        .await?
        .ok_or_else(|| Error::NoParcel(parcel_id.to_owned()))?;
    let (column, from, to) = step(action);
    let done: Option<i64> = w
        .query_opt(
            &format!("SELECT {column} FROM parcels WHERE id = $1"),
            &[&parcel_id],
        )
        .await?
        .and_then(|row| row.get(0));
    if let Some(index) = done {
        let entry = w.entry_at(index as u64).await?;
        return Ok((record, logged_in(tree, index as u64, tree.len(), entry)));
    }
    if !from.contains(&record.state) {
        return Err(Error::WrongState {
            id: parcel_id.to_owned(),
            state: record.state.name_ja(),
            state_en: record.state.as_str(),
        });
    }
    let logged = append(w, tree, action, &record, time).await?;
    w.execute(
        &format!(
            "UPDATE parcels SET state = $2, {column} = $3, \
             downloaded = CASE WHEN $2 = 'downloaded' THEN $4 ELSE downloaded END, \
             acknowledged = CASE WHEN $2 = 'acknowledged' THEN $4 ELSE acknowledged END, \
             acknowledgement = CASE WHEN $2 = 'acknowledged' THEN COALESCE($5, acknowledgement) ELSE acknowledgement END, \
             rejection = CASE WHEN $2 = 'rejected' THEN $5 ELSE rejection END WHERE id = $1"
        ),
        &[
            &parcel_id,
            &to.as_str(),
            &(logged.index as i64),
            &time,
            &acknowledgement,
        ],
    )
    .await?;
    if action == Action::Purged {
        w.execute(sql::parcels::DROP_PAYLOAD, &[&parcel_id]).await?;
    }
    let record = w
        .parcel_by("id = $1", &[&parcel_id])
        .await?
        .ok_or_else(|| Error::NoParcel(parcel_id.to_owned()))?;
    Ok((record, logged))
}

fn parcels(rows: Vec<Row>) -> Result<Vec<ParcelRecord>> {
    rows.iter().map(parcel_from_row).collect()
}

impl ParcelStore for PostgresStore {
    async fn accept(&self, parcel: NewParcel) -> Result<Accepted> {
        match self.write(Job::Accept(parcel)).await? {
            Done::Accepted(accepted) => Ok(accepted),
            _ => Err(Error::Database("unexpected answer to accept".into())),
        }
    }
    async fn advance(
        &self,
        parcel_id: &str,
        action: Action,
        acknowledgement: Option<String>,
        time: i64,
    ) -> Result<(ParcelRecord, Logged)> {
        let job = Job::Advance {
            parcel_id: parcel_id.to_owned(),
            action,
            acknowledgement,
            time,
        };
        match self.write(job).await? {
            Done::Advanced(record, logged) => Ok((record, logged)),
            _ => Err(Error::Database("unexpected answer to advance".into())),
        }
    }
    async fn parcel(&self, id: &str) -> Result<Option<ParcelRecord>> {
        parcel_by(&**self.reader().await?, "id = $1", &[&id]).await
    }
    async fn sent(&self, sender: &str, client_parcel_id: &str) -> Result<Option<ParcelRecord>> {
        parcel_by(
            &**self.reader().await?,
            "sender = $1 AND client_parcel_id = $2",
            &[&sender, &client_parcel_id],
        )
        .await
    }
    async fn payload(&self, id: &str) -> Result<Option<Vec<u8>>> {
        let client = self.reader().await?;
        let row = client
            .query_opt(sql::parcels::PAYLOAD, &[&id])
            .await
            .map_err(database)?;
        Ok(row.map(|r| r.get(0)))
    }
    async fn inbox(
        &self,
        recipient: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<ParcelRecord>> {
        let client = self.reader().await?;
        let from = after.map_or(0, |a| a as i64 + 1);
        let sql = format!(
            "SELECT {PARCEL_COLUMNS} FROM parcels WHERE recipient = $1 AND accepted_index >= $2 \
             AND state IN ('accepted', 'downloaded') ORDER BY accepted_index LIMIT $3"
        );
        let rows = client
            .query(&sql, &[&recipient, &from, &(limit as i64)])
            .await
            .map_err(database)?;
        parcels(rows)
    }
    async fn undelivered_bytes(&self, sender: &str) -> Result<u64> {
        let bytes: i64 = self
            .reader()
            .await?
            .query_one(
                "SELECT coalesce(sum(size), 0)::bigint FROM parcels WHERE sender = $1 \
                 AND state IN ('accepted', 'downloaded')",
                &[&sender],
            )
            .await
            .map_err(database)?
            .get(0);
        Ok(bytes as u64)
    }
    async fn outbox(&self, sender: &str, limit: usize) -> Result<Vec<ParcelRecord>> {
        let client = self.reader().await?;
        let sql = sql::parcels::OUTBOX;
        let rows = client
            .query(sql, &[&sender, &(limit as i64)])
            .await
            .map_err(database)?;
        parcels(rows)
    }
    async fn logged(&self, index: u64) -> Result<Logged> {
        let client = self.reader().await?;
        let mut tree = self.tree.lock().await;
        catch_up(&**client, &mut tree).await?;
        if index >= tree.len() {
            return Err(Error::Database(format!("no audit entry {index}")));
        }
        let entry = entry_at(&**client, index).await?;
        Ok(logged_in(&tree, index, tree.len(), entry))
    }
    async fn consistency(&self, first: u64, second: u64) -> Result<Option<Vec<Hash>>> {
        let client = self.reader().await?;
        let mut tree = self.tree.lock().await;
        catch_up(&**client, &mut tree).await?;
        Ok((second <= tree.len()).then(|| merkle::consistency_proof(&*tree, first, second)))
    }
    async fn log_size(&self) -> Result<u64> {
        let client = self.reader().await?;
        let size: i64 = client
            .query_one("SELECT coalesce(max(idx) + 1, 0) FROM audit_log", &[])
            .await
            .map_err(database)?
            .get(0);
        Ok(size as u64)
    }
    async fn history(&self, parcel_id: &str) -> Result<Vec<u64>> {
        let client = self.reader().await?;
        let row = client
            .query_opt(sql::parcels::HISTORY, &[&parcel_id])
            .await
            .map_err(database)?
            .ok_or_else(|| Error::NoParcel(parcel_id.to_owned()))?;
        let mut steps: Vec<u64> = (0..6)
            .filter_map(|i| row.get::<_, Option<i64>>(i))
            .map(|i| i as u64)
            .collect();
        steps.sort_unstable();
        Ok(steps)
    }
    async fn due(
        &self,
        states: &'static [State],
        before: i64,
        limit: usize,
    ) -> Result<Vec<ParcelRecord>> {
        let client = self.reader().await?;
        let states: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
        let sql = format!(
            "SELECT {PARCEL_COLUMNS} FROM parcels WHERE state = ANY($1) AND accepted < $2 \
             ORDER BY accepted LIMIT $3"
        );
        let rows = client
            .query(&sql, &[&states, &before, &(limit as i64)])
            .await
            .map_err(database)?;
        parcels(rows)
    }
    async fn volumes(&self, since: i64) -> Result<Vec<DailyVolume>> {
        let client = self.reader().await?;
        let rows = client
            .query(
                "SELECT to_char(to_timestamp(accepted) AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD') AS day, \
                 count(*), sum(size)::BIGINT FROM parcels WHERE accepted >= $1 \
                 GROUP BY day ORDER BY day",
                &[&since],
            )
            .await
            .map_err(database)?;
        Ok(rows
            .iter()
            .map(|r| DailyVolume {
                day: r.get(0),
                parcels: r.get::<_, i64>(1) as u64,
                bytes: r.get::<_, i64>(2) as u64,
            })
            .collect())
    }
    fn arrivals(&self) -> Option<mpsc::UnboundedReceiver<String>> {
        let (sender, receiver) = mpsc::unbounded_channel();
        tokio::spawn(listen(self.config.clone(), sender));
        Some(receiver)
    }
    async fn exclusively<T: Send>(
        &self,
        name: &'static str,
        work: impl Future<Output = Result<T>> + Send,
    ) -> Result<Option<T>> {
        // A session lock on one pooled connection, held for the work and then released.
        let client = self.reader().await?;
        let key = work_lock(name);
        let got: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .await
            .map_err(database)?
            .get(0);
        if !got {
            return Ok(None);
        }
        let outcome = work.await;
        client
            .execute("SELECT pg_advisory_unlock($1)", &[&key])
            .await
            .map_err(database)?;
        outcome.map(Some)
    }
}

impl OfficeStore for PostgresStore {
    async fn load_registry(&self, entries: Vec<RegistryEntry>) -> Result<usize> {
        match self.write(Job::LoadRegistry(entries)).await? {
            Done::Count(count) => Ok(count),
            _ => Ok(0),
        }
    }
    async fn adoption(&self, prefecture: Option<u8>, since: i64) -> Result<Vec<Adoption>> {
        statistics::adoption(&**self.reader().await?, prefecture, since).await
    }
    async fn pairs(&self, since: i64, limit: usize) -> Result<Vec<PairVolume>> {
        statistics::pairs(&**self.reader().await?, since, limit).await
    }
    async fn add_code(&self, code: EnrolmentCode) -> Result<()> {
        self.write(Job::AddCode(code)).await.map(|_| ())
    }
    async fn code(&self, code_sha256: &str) -> Result<Option<EnrolmentCode>> {
        offices::code(&**self.reader().await?, code_sha256).await
    }
    async fn enrol(
        &self,
        code_sha256: &str,
        certificate: CertificateRecord,
        time: i64,
    ) -> Result<Office> {
        let job = Job::Enrol {
            code_sha256: code_sha256.to_owned(),
            certificate,
            time,
        };
        match self.write(job).await? {
            Done::Office(office) => Ok(office),
            _ => Err(Error::Database("unexpected answer to enrol".into())),
        }
    }
    async fn certificate(&self, fingerprint: &str) -> Result<Option<CertificateRecord>> {
        offices::certificate(&**self.reader().await?, fingerprint).await
    }
    async fn office(&self, number: &str) -> Result<Option<Office>> {
        offices::office(&**self.reader().await?, number).await
    }
    async fn current_certificate(
        &self,
        number: &str,
        time: i64,
    ) -> Result<Option<CertificateRecord>> {
        offices::current_certificate(&**self.reader().await?, number, time).await
    }
    async fn offices(
        &self,
        query: OfficeQuery,
        time: i64,
    ) -> Result<Vec<(Office, Option<CertificateRecord>)>> {
        offices::offices(&**self.reader().await?, &query, time).await
    }
    async fn revoke(
        &self,
        office: &str,
        serial: Option<String>,
        reason: String,
        time: i64,
    ) -> Result<Vec<CertificateRecord>> {
        let job = Job::Revoke {
            office: office.to_owned(),
            serial,
            reason,
            time,
        };
        match self.write(job).await? {
            Done::Revoked(revoked) => Ok(revoked),
            _ => Err(Error::Database("unexpected answer to revoke".into())),
        }
    }
    async fn set_active(&self, office: &str, active: bool) -> Result<()> {
        let job = Job::SetActive {
            office: office.to_owned(),
            active,
        };
        self.write(job).await.map(|_| ())
    }
    async fn set_csv_versions(&self, office: &str, reads: String, writes: String) -> Result<()> {
        let job = Job::SetCsvVersions {
            office: office.to_owned(),
            reads,
            writes,
        };
        self.write(job).await.map(|_| ())
    }
}

impl AccountStore for PostgresStore {
    async fn set_operator(
        &self,
        name: &str,
        password_hash: &str,
        totp_secret: &str,
        time: i64,
    ) -> Result<()> {
        let job = Job::SetOperator {
            name: name.to_owned(),
            password_hash: password_hash.to_owned(),
            totp_secret: totp_secret.to_owned(),
            time,
        };
        self.write(job).await.map(|_| ())
    }
    async fn operator_password(&self, name: &str) -> Result<Option<(String, Option<String>)>> {
        offices::operator_password(&**self.reader().await?, name).await
    }
    async fn claim_operator_step(&self, name: &str, step: i64) -> Result<bool> {
        offices::claim_operator_step(&**self.reader().await?, name, step).await
    }
    async fn add_session(&self, token_sha256: &str, operator: &str, expires: i64) -> Result<()> {
        let job = Job::AddSession {
            token_sha256: token_sha256.to_owned(),
            operator: operator.to_owned(),
            expires,
        };
        self.write(job).await.map(|_| ())
    }
    async fn session(&self, token_sha256: &str, time: i64) -> Result<Option<String>> {
        offices::session(&**self.reader().await?, token_sha256, time).await
    }
    async fn put_organisation(&self, organisation: Organisation) -> Result<()> {
        portal::put_organisation(&**self.reader().await?, &organisation).await
    }
    async fn organisation(&self, holder: &str) -> Result<Option<Organisation>> {
        portal::organisation(&**self.reader().await?, holder).await
    }
    async fn organisations(&self, prefix: &str) -> Result<Vec<Organisation>> {
        portal::organisations(&**self.reader().await?, prefix).await
    }
    async fn put_account(&self, account: Account) -> Result<()> {
        portal::put_account(&**self.reader().await?, &account).await
    }
    async fn account(&self, holder: &str, name: &str) -> Result<Option<Account>> {
        Ok(
            portal::accounts(&**self.reader().await?, holder, Some(name))
                .await?
                .into_iter()
                .next(),
        )
    }
    async fn accounts(&self, holder: &str) -> Result<Vec<Account>> {
        portal::accounts(&**self.reader().await?, holder, None).await
    }
    async fn remove_account(&self, holder: &str, name: &str) -> Result<()> {
        portal::remove_account(&**self.reader().await?, holder, name).await
    }
    async fn claim_totp_step(&self, holder: &str, name: &str, step: i64) -> Result<bool> {
        portal::claim_totp_step(&**self.reader().await?, holder, name, step).await
    }
    async fn add_portal_session(
        &self,
        token_sha256: &str,
        holder: &str,
        name: &str,
        expires: i64,
    ) -> Result<()> {
        portal::add_session(&**self.reader().await?, token_sha256, holder, name, expires).await
    }
    async fn portal_session(
        &self,
        token_sha256: &str,
        time: i64,
    ) -> Result<Option<(String, String)>> {
        portal::session(&**self.reader().await?, token_sha256, time).await
    }
    async fn end_portal_session(&self, token_sha256: &str) -> Result<()> {
        portal::end_session(&**self.reader().await?, token_sha256).await
    }
    async fn add_opinion_request(&self, request: OpinionRequest) -> Result<()> {
        portal::add_opinion_request(&**self.reader().await?, &request).await
    }
    async fn opinion_requests(&self, clinic: &str) -> Result<Vec<OpinionRequest>> {
        portal::opinion_requests(&**self.reader().await?, clinic).await
    }
    async fn end_session(&self, token_sha256: &str) -> Result<()> {
        self.write(Job::EndSession(token_sha256.to_owned()))
            .await
            .map(|_| ())
    }
}

impl InfobaseStore for PostgresStore {
    async fn put_records(&self, records: Vec<NewRecord>) -> Result<Vec<RecordVersion>> {
        match self.write(Job::PutRecords(records)).await? {
            Done::Records(kept) => Ok(kept),
            _ => Ok(Vec::new()),
        }
    }
    async fn records(
        &self,
        person: &PersonKey,
        kind: Option<RecordKind>,
    ) -> Result<Vec<RecordVersion>> {
        infobase::records(&**self.reader().await?, person, kind).await
    }
    async fn set_consents(
        &self,
        people: Vec<PersonKey>,
        consent: Consent,
        recorded_by: &str,
        time: i64,
    ) -> Result<()> {
        let job = Job::SetConsents {
            people,
            consent,
            recorded_by: recorded_by.to_owned(),
            time,
        };
        self.write(job).await.map(|_| ())
    }
    async fn consent(&self, person: &PersonKey) -> Result<Consent> {
        infobase::consent(&**self.reader().await?, person).await
    }
    async fn withdrawn_consents(&self, insurer: &str) -> Result<Vec<String>> {
        infobase::withdrawn_consents(&**self.reader().await?, insurer).await
    }
    async fn set_registration(
        &self,
        person: &PersonKey,
        office: &str,
        confirmed_by: Option<&str>,
        time: i64,
    ) -> Result<()> {
        let job = Job::SetRegistration {
            person: person.clone(),
            office: office.to_owned(),
            confirmed_by: confirmed_by.map(str::to_owned),
            time,
        };
        self.write(job).await.map(|_| ())
    }
    async fn registrations(&self, person: &PersonKey) -> Result<Vec<Registration>> {
        infobase::registrations(&**self.reader().await?, person).await
    }
    async fn log_access(&self, accesses: Vec<Access>) -> Result<()> {
        self.write(Job::LogAccess(accesses)).await.map(|_| ())
    }
    async fn access_log(
        &self,
        person: &PersonKey,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<Access>> {
        infobase::access_log(&**self.reader().await?, person, limit, offset).await
    }
    // Requests are a table of their own, outside the log: written on a pooled connection.
    async fn request_registration(
        &self,
        person: &PersonKey,
        office: &str,
        time: i64,
    ) -> Result<()> {
        infobase::request_registration(&**self.reader().await?, person, office, time).await
    }
    async fn registration_requests(&self, person: &PersonKey) -> Result<Vec<RegistrationRequest>> {
        infobase::registration_requests(&**self.reader().await?, person).await
    }
    async fn drop_registration_request(&self, person: &PersonKey, office: &str) -> Result<bool> {
        infobase::drop_registration_request(&**self.reader().await?, person, office).await
    }
    async fn latest_records(
        &self,
        insurer: &str,
        kind: RecordKind,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<RecordVersion>> {
        infobase::latest_records(&**self.reader().await?, insurer, kind, limit, offset).await
    }
}
