//! The parcels sent and received with their times, for the console's lists and the
//! monthly evidence report (送受信記録).

use rusqlite::{OptionalExtension, Row, params};

use super::{IncomingState, Ledger, OutgoingFile, OutgoingState, from_json};
use crate::Result;

#[derive(Clone, Debug)]
pub struct SentParcel {
    pub client_parcel_id: String,
    /// The relay's id, once it accepted the parcel.
    pub parcel_id: Option<String>,
    pub recipient: String,
    pub files: Vec<OutgoingFile>,
    pub state: OutgoingState,
    pub created: i64,
    pub accepted: Option<i64>,
    /// The acceptance's position in the relay's audit log.
    pub log_index: Option<i64>,
    /// SHA-256 of the sealed parcel (unknown for parcels sent before it was kept).
    pub payload_sha256: Option<String>,
}

impl SentParcel {
    /// The relay's id when there is one, else ours.
    pub fn id(&self) -> &str {
        self.parcel_id.as_deref().unwrap_or(&self.client_parcel_id)
    }

    pub fn time(&self) -> i64 {
        self.accepted.unwrap_or(self.created)
    }

    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

#[derive(Clone, Debug)]
pub struct ReceivedParcel {
    pub parcel_id: String,
    pub sender: String,
    /// Its standard files, placed for the care software.
    pub files: Vec<String>,
    /// Its other files (月次報告書 and the like), kept aside; empty for a parcel taken in
    /// before the ledger kept them.
    pub attachments: Vec<String>,
    pub state: IncomingState,
    pub received: i64,
    pub acknowledged: Option<i64>,
    pub log_index: i64,
    pub payload_sha256: Option<String>,
}

const SENT: &str = "SELECT client_parcel_id, parcel_id, recipient, files, state, created, accepted, \
                    log_index, payload_sha256 FROM outgoing";
/// The columns of a received parcel, and last its place in the order of arrival (`rowid`,
/// read by [`Ledger::received_after`] and left by the rest).
const RECEIVED: &str = "SELECT parcel_id, sender, files, state, received, acknowledged, log_index, \
                        payload_sha256, attachments, rowid FROM incoming";

type SentRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);
type ReceivedRow = (
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    Option<String>,
    String,
);

fn sent_row(r: &Row<'_>) -> rusqlite::Result<SentRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn received_row(r: &Row<'_>) -> rusqlite::Result<ReceivedRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn sent(
    (
        client_parcel_id,
        parcel_id,
        recipient,
        files,
        state,
        created,
        accepted,
        log_index,
        payload_sha256,
    ): SentRow,
) -> Result<SentParcel> {
    Ok(SentParcel {
        client_parcel_id,
        parcel_id,
        recipient,
        files: from_json(&files)?,
        state: OutgoingState::parse(&state)?,
        created,
        accepted,
        log_index,
        payload_sha256,
    })
}

fn received(
    (
        parcel_id,
        sender,
        files,
        state,
        received,
        acknowledged,
        log_index,
        payload_sha256,
        attachments,
    ): ReceivedRow,
) -> Result<ReceivedParcel> {
    Ok(ReceivedParcel {
        parcel_id,
        sender,
        files: from_json(&files)?,
        attachments: from_json(&attachments)?,
        state: IncomingState::parse(&state)?,
        received,
        acknowledged,
        log_index,
        payload_sha256,
    })
}

impl Ledger {
    /// Parcels sent from `since` until `until`, newest first.
    pub fn sent_parcels(&self, since: i64, until: i64, limit: usize) -> Result<Vec<SentParcel>> {
        let rows = self.with(|c| {
            c.prepare_cached(&format!(
                "{SENT} WHERE coalesce(accepted, created) >= ?1 AND coalesce(accepted, created) < ?2 \
                 ORDER BY coalesce(accepted, created) DESC LIMIT ?3"
            ))?
            .query_map(params![since, until, limit], sent_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        rows.into_iter().map(sent).collect()
    }

    /// Parcels received from `since` until `until`, newest first.
    pub fn received_parcels(
        &self,
        since: i64,
        until: i64,
        limit: usize,
    ) -> Result<Vec<ReceivedParcel>> {
        let rows = self.with(|c| {
            c.prepare_cached(&format!(
                "{RECEIVED} WHERE received >= ?1 AND received < ?2 ORDER BY received DESC LIMIT ?3"
            ))?
            .query_map(params![since, until, limit], received_row)?
            .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        rows.into_iter().map(received).collect()
    }

    /// How many parcels this office has received in all: a page compares it with what it
    /// showed to say that new ones arrived.
    pub fn received_count(&self) -> Result<u64> {
        self.with(|c| {
            c.prepare_cached("SELECT count(*) FROM incoming")?
                .query_row([], |r| r.get(0))
        })
    }

    /// A sent parcel by the relay's id or ours.
    pub fn sent_parcel(&self, id: &str) -> Result<Option<SentParcel>> {
        let row = self.with(|c| {
            c.prepare_cached(&format!(
                "{SENT} WHERE parcel_id = ?1 OR client_parcel_id = ?1 LIMIT 1"
            ))?
            .query_row([id], sent_row)
            .optional()
        })?;
        row.map(sent).transpose()
    }

    /// Parcels in the order this office first took them in, after the place `cursor` (0 for
    /// all), each with its place: what the local API's arrivals page through.
    pub fn received_after(&self, cursor: i64, limit: usize) -> Result<Vec<(i64, ReceivedParcel)>> {
        let rows = self.with(|c| {
            c.prepare_cached(&format!(
                "{RECEIVED} WHERE rowid > ?1 ORDER BY rowid LIMIT ?2"
            ))?
            .query_map(params![cursor, limit], |r| {
                Ok((r.get::<_, i64>(9)?, received_row(r)?))
            })?
            .collect::<rusqlite::Result<Vec<(i64, ReceivedRow)>>>()
        })?;
        rows.into_iter()
            .map(|(place, row)| Ok((place, received(row)?)))
            .collect()
    }

    /// The place of a received parcel in the order of arrival ([`Ledger::received_after`]).
    pub fn received_place(&self, id: &str) -> Result<Option<i64>> {
        self.with(|c| {
            c.prepare_cached("SELECT rowid FROM incoming WHERE parcel_id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()
        })
    }

    pub fn received_parcel(&self, id: &str) -> Result<Option<ReceivedParcel>> {
        let row = self.with(|c| {
            c.prepare_cached(&format!("{RECEIVED} WHERE parcel_id = ?1"))?
                .query_row([id], received_row)
                .optional()
        })?;
        row.map(received).transpose()
    }
}

impl Ledger {
    /// Keep the digest of a sealed parcel sent (by our id) or received (by the relay's).
    pub fn note_digest(&self, direction: Direction, id: &str, payload_sha256: &str) -> Result<()> {
        let sql = match direction {
            Direction::Sent => {
                "UPDATE outgoing SET payload_sha256 = ?2 WHERE client_parcel_id = ?1"
            }
            Direction::Received => "UPDATE incoming SET payload_sha256 = ?2 WHERE parcel_id = ?1",
        };
        self.with(|c| c.prepare_cached(sql)?.execute([id, payload_sha256]))?;
        Ok(())
    }

    /// Remember an office's name, as the directory or its certificate gave it.
    pub fn note_partner(&self, number: &str, name: &str, time: i64) -> Result<()> {
        if name.is_empty() {
            return Ok(());
        }
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO partners (number, name, seen) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (number) DO UPDATE SET name = ?2, seen = ?3",
            )?
            .execute(params![number, name, time])
        })?;
        Ok(())
    }

    /// The names of the offices exchanged with, by number.
    pub fn partner_names(&self) -> Result<std::collections::HashMap<String, String>> {
        self.with(|c| {
            c.prepare_cached("SELECT number, name FROM partners")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.with(|c| {
            c.prepare_cached("SELECT value FROM settings WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()
        })
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = ?2",
            )?
            .execute([key, value])
        })?;
        Ok(())
    }

    /// Documents recorded from `since` until `until`, counted by direction and family.
    pub fn document_totals(&self, since: i64, until: i64) -> Result<Vec<(String, String, u64)>> {
        self.with(|c| {
            c.prepare_cached(
                "SELECT direction, family, count(*) FROM documents \
                 WHERE recorded >= ?1 AND recorded < ?2 AND deletion = 0 GROUP BY 1, 2 ORDER BY 1, 2",
            )?
            .query_map(params![since, until], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect()
        })
    }
}

/// Which way a parcel went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}
