//! The audit log's shape, shared by every store: what each action records, which states
//! it may follow, and an entry with its proof.

use renkei_seal::merkle::{self, Hash, MemoryTree};
use renkei_seal::receipt::AuditEntry;

use super::{Action, Logged, NewParcel, ParcelRecord, State};
use crate::{Error, Result};

/// The entry's JSON and its leaf hash, for `action` on `parcel` at position `index`.
pub(crate) fn entry(
    index: u64,
    action: Action,
    parcel: &ParcelRecord,
    time: i64,
) -> Result<(String, Hash)> {
    let entry = AuditEntry {
        index,
        time,
        action,
        parcel_id: parcel.id.clone(),
        sender: parcel.sender.clone(),
        recipient: parcel.recipient.clone(),
        payload_sha256: parcel.payload_sha256.clone(),
    };
    let entry = String::from_utf8(entry.to_bytes()?).map_err(|e| Error::Database(e.to_string()))?;
    let leaf = merkle::leaf_hash(entry.as_bytes());
    Ok((entry, leaf))
}

pub(crate) fn logged_in(tree: &MemoryTree, index: u64, size: u64, entry: String) -> Logged {
    Logged {
        entry,
        index,
        size,
        root: merkle::root(tree, size),
        proof: merkle::inclusion_proof(tree, index, size),
    }
}

/// Which index column records an action, which states it may follow and the state it
/// leads to (whose name is also the action's name in the log).
pub(crate) fn step(action: Action) -> (&'static str, &'static [State], State) {
    use State::*;
    match action {
        Action::Accepted => ("accepted_index", &[], Accepted),
        Action::Downloaded => ("downloaded_index", &[Accepted], Downloaded),
        Action::Acknowledged => (
            "acknowledged_index",
            &[Accepted, Downloaded, NotDelivered],
            Acknowledged,
        ),
        Action::NotDelivered => ("not_delivered_index", &[Accepted, Downloaded], NotDelivered),
        Action::Rejected => (
            "rejected_index",
            &[Accepted, Downloaded, NotDelivered],
            Rejected,
        ),
        Action::Purged => (
            "purged_index",
            &[Accepted, Downloaded, Acknowledged, NotDelivered, Rejected],
            Purged,
        ),
    }
}

impl NewParcel {
    /// The record of this parcel accepted at log position `index`, and its bytes.
    pub(crate) fn into_record(self, index: u64) -> (ParcelRecord, Vec<u8>) {
        let record = ParcelRecord {
            id: self.id,
            sender: self.sender,
            recipient: self.recipient,
            client_parcel_id: self.client_parcel_id,
            payload_sha256: self.payload_sha256,
            size: self.payload.len() as u64,
            manifest: self.manifest,
            sender_certificate: self.sender_certificate,
            state: State::Accepted,
            accepted: self.time,
            accepted_index: index,
            downloaded: None,
            acknowledged: None,
            acknowledgement: None,
            rejection: None,
        };
        (record, self.payload)
    }
}
