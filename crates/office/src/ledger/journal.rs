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
    pub files: Vec<String>,
    pub state: IncomingState,
    pub received: i64,
    pub acknowledged: Option<i64>,
    pub log_index: i64,
}

const SENT: &str = "SELECT client_parcel_id, parcel_id, recipient, files, state, created, accepted, \
                    log_index FROM outgoing";
const RECEIVED: &str =
    "SELECT parcel_id, sender, files, state, received, acknowledged, log_index FROM incoming";

type SentRow = (
    String,
    Option<String>,
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
);
type ReceivedRow = (String, String, String, String, i64, Option<i64>, i64);

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
    ))
}

fn sent(
    (client_parcel_id, parcel_id, recipient, files, state, created, accepted, log_index): SentRow,
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
    })
}

fn received(
    (parcel_id, sender, files, state, received, acknowledged, log_index): ReceivedRow,
) -> Result<ReceivedParcel> {
    Ok(ReceivedParcel {
        parcel_id,
        sender,
        files: from_json(&files)?,
        state: IncomingState::parse(&state)?,
        received,
        acknowledged,
        log_index,
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

    pub fn received_parcel(&self, id: &str) -> Result<Option<ReceivedParcel>> {
        let row = self.with(|c| {
            c.prepare_cached(&format!("{RECEIVED} WHERE parcel_id = ?1"))?
                .query_row([id], received_row)
                .optional()
        })?;
        row.map(received).transpose()
    }
}
