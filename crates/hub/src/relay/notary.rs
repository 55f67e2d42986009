//! The hub's signature on what happened: receipts and log checkpoints.

use renkei_seal::receipt::{Action, AuditEntry, Checkpoint, Receipt, Signed, SignedReceipt};
use renkei_seal::{Certificate, PrivateKey};

use crate::store::{Logged, ParcelRecord};
use crate::{Error, Result};

#[derive(Debug)]
pub struct Notary {
    /// The log's name in checkpoints.
    pub origin: String,
    pub certificate: Certificate,
    certificate_pem: String,
    key: PrivateKey,
}

impl Notary {
    pub fn new(origin: String, certificate: Certificate, key: PrivateKey) -> Result<Self> {
        let certificate_pem = String::from_utf8(certificate.to_pem()?)
            .map_err(|e| Error::Tls(format!("hub certificate PEM: {e}")))?;
        Ok(Self {
            origin,
            certificate,
            certificate_pem,
            key,
        })
    }

    pub fn checkpoint(&self, size: u64, root: &[u8; 32], time: i64) -> Result<Signed> {
        let checkpoint = Checkpoint {
            origin: self.origin.clone(),
            size,
            root: hex::encode(root),
            time,
        };
        Ok(Signed::sign(&checkpoint, &self.key)?)
    }

    /// A receipt for the log entry `logged` about `parcel`, proven against the tree of
    /// `logged.size` entries.
    pub fn receipt(
        &self,
        parcel: &ParcelRecord,
        logged: &Logged,
        time: i64,
    ) -> Result<SignedReceipt> {
        let entry: AuditEntry = serde_json::from_str(&logged.entry)
            .map_err(|e| Error::Database(format!("audit entry {}: {e}", logged.index)))?;
        let statement = |json: &str, what: &str| {
            serde_json::from_str::<(Signed, String)>(json)
                .map_err(|e| Error::Database(format!("{what}: {e}")))
        };
        let acknowledgement = match (&entry.action, &parcel.acknowledgement) {
            (Action::Acknowledged, Some(json)) => Some(statement(json, "acknowledgement")?),
            _ => None,
        };
        let rejection = match (&entry.action, &parcel.rejection) {
            (Action::Rejected, Some(json)) => Some(statement(json, "rejection")?),
            _ => None,
        };
        let receipt = Receipt {
            action: entry.action,
            parcel_id: parcel.id.clone(),
            client_parcel_id: parcel.client_parcel_id.clone(),
            sender: parcel.sender.clone(),
            recipient: parcel.recipient.clone(),
            payload_sha256: parcel.payload_sha256.clone(),
            time: entry.time,
            log_index: logged.index,
            proof: logged.proof.iter().map(hex::encode).collect(),
            checkpoint: self.checkpoint(logged.size, &logged.root, time)?,
            acknowledgement,
            rejection,
            entry: logged.entry.clone(),
        };
        Ok(SignedReceipt {
            receipt: Signed::sign(&receipt, &self.key)?,
            hub_certificate: self.certificate_pem.clone(),
        })
    }
}
