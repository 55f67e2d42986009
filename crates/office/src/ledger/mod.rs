//! The office's ledger in SQLite: each parcel it sends or receives and how far it got, so
//! that a run after a crash, a network fault or a stopped relay picks up where the last one
//! stopped — nothing sent twice, nothing placed twice, nothing lost — and the versions of
//! each document.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::versions::DocumentVersion;
use crate::{Error, Result};

mod api;
mod history;
mod journal;
mod people;
mod refusals;
mod staff;

pub use api::{ApiCall, ApiKeyRow, KeptAnswer};
pub use history::DocumentRow;
pub use journal::{Direction, ReceivedParcel, SentParcel};
pub use people::PeopleNames;
pub use refusals::{RefusalRecord, RefusedFinding};
pub use staff::{Role, StaffMember};

const MIGRATIONS: &[&str] = &[
    include_str!("0001_ledger.sql"),
    include_str!("0002_console.sql"),
    include_str!("0003_evidence.sql"),
    include_str!("0004_second_factor.sql"),
    include_str!("0005_api.sql"),
    include_str!("0006_people.sql"),
    include_str!("0007_attachments.sql"),
];

/// A file of an outgoing parcel: where it lies in the export folder and what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingFile {
    pub name: String,
    /// Relative to the export folder.
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutgoingState {
    /// Sealed and kept; not yet answered by the relay.
    Prepared,
    /// The relay accepted it; the files still lie in the export folder.
    Accepted,
    /// The files were moved to the sent folder: done.
    Filed,
}

impl OutgoingState {
    fn parse(state: &str) -> Result<Self> {
        Ok(match state {
            "prepared" => Self::Prepared,
            "accepted" => Self::Accepted,
            "filed" => Self::Filed,
            other => return Err(database(format!("unknown outgoing state {other}"))),
        })
    }
}

#[derive(Clone, Debug)]
pub struct Outgoing {
    pub client_parcel_id: String,
    pub recipient: String,
    pub files: Vec<OutgoingFile>,
    pub state: OutgoingState,
    pub parcel_id: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncomingState {
    /// Temporary files being written; nothing visible in the import folder yet.
    Writing,
    /// Temporary files complete; renames into the import folder under way.
    Placing,
    /// Every file is in the import folder (or was taken from it by the care software).
    Placed,
    /// Checked and kept for the care software to fetch through the local API; the sender
    /// hears of it only when the care software confirms its import (or says it failed).
    Held,
    Acknowledged,
    /// It could not be opened, or what it held was refused: nothing of it was placed, and
    /// the relay was told (取込不可).
    Rejected,
}

impl IncomingState {
    fn parse(state: &str) -> Result<Self> {
        Ok(match state {
            "writing" => Self::Writing,
            "placing" => Self::Placing,
            "placed" => Self::Placed,
            "held" => Self::Held,
            "acknowledged" => Self::Acknowledged,
            "rejected" => Self::Rejected,
            other => return Err(database(format!("unknown incoming state {other}"))),
        })
    }
}

#[derive(Clone, Debug)]
pub struct Incoming {
    pub parcel_id: String,
    pub sender: String,
    pub files: Vec<String>,
    pub state: IncomingState,
}

/// A line of the office's history (送受信記録).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryLine {
    /// `sent` or `received`.
    pub direction: &'static str,
    pub parcel_id: String,
    pub partner: String,
    pub files: usize,
    pub state: String,
    pub time: i64,
}

/// Documents by their newest version: how many are current, superseded and deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentCounts {
    pub current: u64,
    pub superseded: u64,
    pub deleted: u64,
}

#[derive(Debug)]
pub struct Ledger {
    connection: Mutex<Connection>,
}

/// SQLite opens paths of at most 512 bytes on Unix and 260 characters on Windows (it does
/// not use the long-path prefix that Rust's own file calls add), so a ledger deep in a tree
/// fails to open where every other file would not: say so, and what to do.
fn opening(path: &Path, error: rusqlite::Error) -> Error {
    // A little under the limits: the journal and WAL files add their suffixes.
    const SQLITE_LONGEST: usize = if cfg!(windows) { 240 } else { 480 };
    if path.as_os_str().len() > SQLITE_LONGEST {
        return Error::Ledger(format!(
            "{error}: {}: データフォルダのパスが長すぎるかもしれません。--dir で短いフォルダ(例: C:\\renkei-data)を指定してください / the data folder's path is too long for the ledger; name a shorter one with --dir",
            path.display()
        ));
    }
    database(error)
}

fn database(error: impl std::fmt::Display) -> Error {
    Error::Ledger(error.to_string())
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(database)
}

fn from_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(database)
}

impl Ledger {
    pub fn open(path: &Path) -> Result<Self> {
        let mut connection = Connection::open(path).map_err(|e| opening(path, e))?;
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(database)?;
        // The ledger decides what happens after a crash: it must be on disk when a step
        // is taken on the strength of it.
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(database)?;
        let applied: usize = connection
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(database)?;
        for (number, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
            let transaction = connection.transaction().map_err(database)?;
            transaction.execute_batch(sql).map_err(database)?;
            transaction
                .pragma_update(None, "user_version", number + 1)
                .map_err(database)?;
            transaction.commit().map_err(database)?;
        }
        Ok(Self {
            connection: Mutex::new(connection),
        })
    }

    fn with<T>(&self, work: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let connection = self
            .connection
            .lock()
            .map_err(|_| Error::Ledger("ledger lock poisoned".into()))?;
        work(&connection).map_err(database)
    }

    pub fn outgoing(&self, client_parcel_id: &str) -> Result<Option<Outgoing>> {
        let row = self.with(|c| {
            c.prepare_cached(
                "SELECT recipient, files, state, parcel_id FROM outgoing WHERE client_parcel_id = ?1",
            )?
            .query_row([client_parcel_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })
            .optional()
        })?;
        row.map(|(recipient, files, state, parcel_id)| {
            Ok(Outgoing {
                client_parcel_id: client_parcel_id.to_owned(),
                recipient,
                files: from_json(&files)?,
                state: OutgoingState::parse(&state)?,
                parcel_id,
            })
        })
        .transpose()
    }

    pub fn prepared(
        &self,
        client_parcel_id: &str,
        recipient: &str,
        files: &[OutgoingFile],
        time: i64,
    ) -> Result<()> {
        let files = to_json(&files)?;
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO outgoing (client_parcel_id, recipient, files, state, created) \
                 VALUES (?1, ?2, ?3, 'prepared', ?4) ON CONFLICT (client_parcel_id) DO NOTHING",
            )?
            .execute(params![client_parcel_id, recipient, files, time])
        })?;
        Ok(())
    }

    pub fn accepted(
        &self,
        client_parcel_id: &str,
        parcel_id: &str,
        log_index: u64,
        time: i64,
    ) -> Result<()> {
        self.with(|c| {
            c.prepare_cached(
                "UPDATE outgoing SET state = 'accepted', parcel_id = ?2, log_index = ?3, accepted = ?4 \
                 WHERE client_parcel_id = ?1 AND state = 'prepared'",
            )?
            .execute(params![client_parcel_id, parcel_id, log_index, time])
        })?;
        Ok(())
    }

    pub fn filed(&self, client_parcel_id: &str) -> Result<()> {
        self.with(|c| {
            c.prepare_cached("UPDATE outgoing SET state = 'filed' WHERE client_parcel_id = ?1")?
                .execute([client_parcel_id])
        })?;
        Ok(())
    }

    pub fn incoming(&self, parcel_id: &str) -> Result<Option<Incoming>> {
        let row = self.with(|c| {
            c.prepare_cached("SELECT sender, files, state FROM incoming WHERE parcel_id = ?1")?
                .query_row([parcel_id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })
                .optional()
        })?;
        row.map(|(sender, files, state)| {
            Ok(Incoming {
                parcel_id: parcel_id.to_owned(),
                sender,
                files: from_json(&files)?,
                state: IncomingState::parse(&state)?,
            })
        })
        .transpose()
    }

    /// A parcel being taken in: `files` are its standard files, to be placed for the care
    /// software; `attachments` the rest, kept aside.
    pub fn writing(
        &self,
        parcel_id: &str,
        sender: &str,
        log_index: u64,
        files: &[String],
        attachments: &[String],
        time: i64,
    ) -> Result<()> {
        let files = to_json(&files)?;
        let attachments = to_json(&attachments)?;
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO incoming (parcel_id, sender, log_index, files, attachments, state, received) \
                 VALUES (?1, ?2, ?3, ?4, ?5, 'writing', ?6) \
                 ON CONFLICT (parcel_id) DO UPDATE SET files = excluded.files, \
                 attachments = excluded.attachments, state = 'writing'",
            )?
            .execute(params![parcel_id, sender, log_index, files, attachments, time])
        })?;
        Ok(())
    }

    /// A parcel that will not be taken in: nothing of it is placed, whatever state it had.
    pub fn rejected(&self, parcel_id: &str, sender: &str, log_index: u64, time: i64) -> Result<()> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO incoming (parcel_id, sender, log_index, files, state, received) \
                 VALUES (?1, ?2, ?3, '[]', 'rejected', ?4) \
                 ON CONFLICT (parcel_id) DO UPDATE SET state = 'rejected'",
            )?
            .execute(params![parcel_id, sender, log_index, time])
        })?;
        Ok(())
    }

    pub fn set_incoming(&self, parcel_id: &str, state: IncomingState, time: i64) -> Result<()> {
        let state = match state {
            IncomingState::Writing => "writing",
            IncomingState::Placing => "placing",
            IncomingState::Placed => "placed",
            IncomingState::Held => "held",
            IncomingState::Acknowledged => "acknowledged",
            IncomingState::Rejected => "rejected",
        };
        self.with(|c| {
            c.prepare_cached(
                "UPDATE incoming SET state = ?2, \
                 acknowledged = CASE WHEN ?2 = 'acknowledged' THEN ?3 ELSE acknowledged END \
                 WHERE parcel_id = ?1",
            )?
            .execute(params![parcel_id, state, time])
        })?;
        Ok(())
    }

    /// Keep the versions of documents a parcel exchanged with `partner`, and mark which are
    /// no longer the newest: a later ファイル連番 of the same document supersedes an earlier
    /// one, and a deletion supersedes everything before it. Each partner holds its own copy
    /// of a document (the plan sent to two providers is two documents).
    ///
    /// Returns the deletions of documents of which no version was kept before: a 取消 of
    /// something never exchanged, which is said, not refused (the standard allows
    /// withdrawing by telephone, so either side may not have had it).
    pub fn documents(
        &self,
        direction: &str,
        partner: &str,
        parcel_id: &str,
        versions: &[DocumentVersion],
        time: i64,
    ) -> Result<Vec<DocumentVersion>> {
        let mut connection = self
            .connection
            .lock()
            .map_err(|_| Error::Ledger("ledger lock poisoned".into()))?;
        let transaction = connection.transaction().map_err(database)?;
        let mut unknown = Vec::new();
        for version in versions {
            let key = format!("{partner}:{}", version.key);
            if version.deletion {
                let known: bool = transaction
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM documents WHERE direction = ?1 AND family = ?2 \
                         AND doc_key = ?3 AND deletion = 0)",
                    )
                    .and_then(|mut s| {
                        s.query_row(params![direction, version.family, key], |r| r.get(0))
                    })
                    .map_err(database)?;
                if !known {
                    unknown.push(version.clone());
                }
            }
            transaction
                .prepare_cached(
                    "INSERT OR IGNORE INTO documents (direction, family, doc_key, serial, file, parcel, deletion, recorded) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        direction,
                        version.family,
                        key,
                        version.serial,
                        version.file,
                        parcel_id,
                        version.deletion,
                        time
                    ])
                })
                .map_err(database)?;
            // Everything but the newest row of this document is superseded; among equal
            // serials the one recorded last wins.
            transaction
                .prepare_cached(
                    "UPDATE documents SET superseded = (id != (SELECT id FROM documents \
                     WHERE direction = ?1 AND family = ?2 AND doc_key = ?3 \
                     ORDER BY serial DESC, id DESC LIMIT 1)) \
                     WHERE direction = ?1 AND family = ?2 AND doc_key = ?3",
                )
                .and_then(|mut s| s.execute(params![direction, version.family, key]))
                .map_err(database)?;
        }
        transaction.commit().map_err(database)?;
        Ok(unknown)
    }

    /// Documents of `family` (`plan`, `schedule`, `actual` …) in `direction`, counted by
    /// whether their version is current, superseded, or a deletion that stands.
    pub fn document_counts(&self, direction: &str, family: &str) -> Result<DocumentCounts> {
        self.with(|c| {
            c.prepare_cached(
                "SELECT \
                   coalesce(sum(superseded = 0 AND deletion = 0), 0), \
                   coalesce(sum(superseded = 1), 0), \
                   coalesce(sum(superseded = 0 AND deletion = 1), 0) \
                 FROM documents WHERE direction = ?1 AND family = ?2",
            )?
            .query_row(params![direction, family], |r| {
                Ok(DocumentCounts {
                    current: r.get(0)?,
                    superseded: r.get(1)?,
                    deleted: r.get(2)?,
                })
            })
        })
    }

    /// The newest `limit` parcels sent and received.
    pub fn history(&self, limit: usize) -> Result<Vec<HistoryLine>> {
        self.with(|c| {
            let mut statement = c.prepare_cached(
                "SELECT 'sent', coalesce(parcel_id, client_parcel_id), recipient, files, state, \
                   coalesce(accepted, created) FROM outgoing \
                 UNION ALL \
                 SELECT 'received', parcel_id, sender, files, state, received FROM incoming \
                 ORDER BY 6 DESC LIMIT ?1",
            )?;
            let rows = statement.query_map([limit], |r| {
                let direction: String = r.get(0)?;
                let files: String = r.get(3)?;
                Ok(HistoryLine {
                    direction: if direction == "sent" {
                        "sent"
                    } else {
                        "received"
                    },
                    parcel_id: r.get(1)?,
                    partner: r.get(2)?,
                    files: serde_json::from_str::<Vec<serde_json::Value>>(&files)
                        .map_or(0, |f| f.len()),
                    state: r.get(4)?,
                    time: r.get(5)?,
                })
            })?;
            rows.collect()
        })
    }
}
