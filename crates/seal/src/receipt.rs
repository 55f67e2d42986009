//! Receipts and checkpoints: what the hub signs so an office can prove, offline and years
//! later, that a parcel was accepted, downloaded or acknowledged, and where that stands in
//! the audit log.
//!
//! Each signed object keeps the exact JSON bytes that were signed (as a string field), so
//! verification never depends on re-encoding.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::authority::Trust;
use crate::certificate::Certificate;
use crate::error::{Error, Result};
use crate::keys::PrivateKey;
use crate::merkle::{self, Hash};

/// A state change of a parcel, as the audit log records it (one leaf each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub index: u64,
    pub time: i64,
    pub action: Action,
    pub parcel_id: String,
    pub sender: String,
    pub recipient: String,
    pub payload_sha256: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Accepted,
    Downloaded,
    Acknowledged,
    NotDelivered,
    Purged,
    /// The recipient could not open the parcel or refused what was in it (取込不可).
    Rejected,
}

impl AuditEntry {
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        Ok(serde_json::to_vec(self)?)
    }
}

/// The log's head at one moment: its size and root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Which log: the hub's name.
    pub origin: String,
    pub size: u64,
    /// Root hash, hex.
    pub root: String,
    pub time: i64,
}

/// Any JSON object as signed: its bytes (kept verbatim) and the ECDSA-SHA256 signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    pub body: String,
    /// DER signature, base64.
    pub signature: String,
}

impl Signed {
    pub fn sign<T: Serialize>(value: &T, key: &PrivateKey) -> Result<Self> {
        let body = serde_json::to_string(value)?;
        let signature = STANDARD.encode(key.sign(body.as_bytes())?);
        Ok(Self { body, signature })
    }

    pub fn verify<T: for<'de> Deserialize<'de>>(&self, signer: &Certificate) -> Result<T> {
        let signature = STANDARD
            .decode(&self.signature)
            .map_err(|e| Error::decode("署名", "signature", e))?;
        signer.verify_signature(self.body.as_bytes(), &signature)?;
        Ok(serde_json::from_str(&self.body)?)
    }
}

/// What the recipient signs when the files are safely written: proof of delivery that the
/// hub relays to the sender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub parcel_id: String,
    pub recipient: String,
    pub payload_sha256: String,
    pub time: i64,
}

/// What the recipient signs when a parcel cannot be taken in (取込不可): it could not be
/// opened, or what was inside was refused. The sender sees the reason in its outbox; the
/// parcel leaves the recipient's inbox so it does not hold up the ones behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub parcel_id: String,
    pub recipient: String,
    pub payload_sha256: String,
    /// Why, in Japanese with English beside it, as the recipient's office found it.
    pub reason: String,
    pub time: i64,
    /// When the files failed the recipient's check of the standard (取込エラー): what it
    /// found. Left out when empty, so rejections made before it read and verify as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<CheckFinding>,
}

/// One finding of a check of the standard's files, as a clerk reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckFinding {
    pub file: Option<String>,
    pub line: Option<u32>,
    /// `項目10「サービス利用日」`.
    pub item: Option<String>,
    pub error: bool,
    pub rule: String,
    pub message_ja: String,
    pub message_en: String,
    /// Whose record the line is (`保険者番号-被保険者番号`), for the reader to name them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

/// What a recipient signs about a parcel (an acknowledgement, a rejection): the parcel it
/// speaks of, the recipient, and the digest of the bytes it was given.
pub trait Statement: for<'de> Deserialize<'de> {
    fn about(&self) -> (&str, &str, &str);
}

impl Statement for Acknowledgement {
    fn about(&self) -> (&str, &str, &str) {
        (&self.parcel_id, &self.recipient, &self.payload_sha256)
    }
}

impl Statement for Rejection {
    fn about(&self) -> (&str, &str, &str) {
        (&self.parcel_id, &self.recipient, &self.payload_sha256)
    }
}

/// `signed`, checked as a statement of type `T` by the recipient whose certificate is
/// `pem` (issued by the authority: a relay cannot speak for a recipient with a certificate
/// of its own making), about the parcel of `receipt`.
fn check_statement<T: Statement>(
    signed: &Signed,
    pem: &str,
    receipt: &Receipt,
    trust: &Trust,
) -> Result<()> {
    let recipient = Certificate::from_pem(pem.as_bytes())?;
    trust.verify(&recipient)?;
    let said: T = signed.verify(&recipient)?;
    let (parcel_id, _, payload_sha256) = said.about();
    if recipient.identity()?.number != receipt.recipient
        || parcel_id != receipt.parcel_id
        || payload_sha256 != receipt.payload_sha256
    {
        return Err(Error::Receipt(
            "受信者の署名者または内容が違います / the recipient's statement is not the recipient's for this parcel".into(),
        ));
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub action: Action,
    pub parcel_id: String,
    pub client_parcel_id: String,
    pub sender: String,
    pub recipient: String,
    pub payload_sha256: String,
    pub time: i64,
    /// The audit entry (its JSON bytes) and its position.
    pub entry: String,
    pub log_index: u64,
    /// Inclusion proof of the entry in the checkpoint's tree, hex hashes.
    pub proof: Vec<String>,
    pub checkpoint: Signed,
    /// For an acknowledgement: the recipient's own signature and certificate (PEM).
    pub acknowledgement: Option<(Signed, String)>,
    /// For a rejection (取込不可): the recipient's signed [`Rejection`] and certificate (PEM).
    /// Left out when empty, so receipts made before it existed read and verify as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<(Signed, String)>,
}

/// A receipt as an office keeps it: signed by the hub, with the hub's certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedReceipt {
    pub receipt: Signed,
    /// The hub's certificate, PEM.
    pub hub_certificate: String,
}

fn hash_from_hex(text: &str) -> Result<Hash> {
    let bytes = hex::decode(text).map_err(|e| Error::Receipt(format!("bad hash '{text}': {e}")))?;
    bytes
        .try_into()
        .map_err(|_| Error::Receipt(format!("hash '{text}' is not 32 bytes")))
}

/// The checkpoint `signed` by the hub whose certificate (PEM) is `hub`, the certificate
/// checked against the authority.
pub fn verified_checkpoint(signed: &Signed, hub: &str, trust: &Trust) -> Result<Checkpoint> {
    let hub = Certificate::from_pem(hub.as_bytes())?;
    trust.verify(&hub)?;
    signed
        .verify(&hub)
        .map_err(|e| Error::Receipt(format!("checkpoint signature: {e}")))
}

/// That the log `older` describes is a prefix of the log `newer` describes, by the hub's
/// consistency `proof` (hex hashes): between the two checkpoints it signed, the hub only
/// appended. A log that rewrote or dropped an entry cannot show this.
pub fn verify_growth(older: &Checkpoint, newer: &Checkpoint, proof: &[String]) -> Result<()> {
    if older.origin != newer.origin {
        return Err(Error::Receipt(format!(
            "検査点の監査ログが違います（{} と {}） / the checkpoints are of different logs ({} and {})",
            older.origin, newer.origin, older.origin, newer.origin
        )));
    }
    if older.size == 0 {
        return Ok(());
    }
    let proof = proof
        .iter()
        .map(|h| hash_from_hex(h))
        .collect::<Result<Vec<_>>>()?;
    let (old_root, new_root) = (hash_from_hex(&older.root)?, hash_from_hex(&newer.root)?);
    if merkle::verify_consistency(older.size, newer.size, &old_root, &new_root, &proof) {
        Ok(())
    } else {
        Err(Error::Receipt(format!(
            "中継サーバーの監査ログ（大きさ{}）が、以前に署名した大きさ{}の監査ログの続きになっていません。記録が書き換えられた疑いがあります。受領証を保管し、運用者に連絡してください / the log of size {} is not an extension of the log of size {} the hub signed before: its history was rewritten",
            newer.size, older.size, newer.size, older.size
        )))
    }
}

impl SignedReceipt {
    /// Check everything a receipt claims against the authority alone: the hub's
    /// certificate, its signatures on the receipt and the checkpoint, the entry's place in
    /// the log, and that the entry is about this parcel.
    pub fn verify(&self, trust: &Trust) -> Result<Receipt> {
        self.verify_with_checkpoint(trust)
            .map(|(receipt, _)| receipt)
    }

    /// As [`Self::verify`], with the log's head the receipt's checkpoint signs (what a
    /// check of the log's growth compares).
    pub fn verify_with_checkpoint(&self, trust: &Trust) -> Result<(Receipt, Checkpoint)> {
        let hub = Certificate::from_pem(self.hub_certificate.as_bytes())?;
        trust.verify(&hub)?;
        let receipt: Receipt = self
            .receipt
            .verify(&hub)
            .map_err(|e| Error::Receipt(format!("hub signature: {e}")))?;
        let checkpoint: Checkpoint = receipt
            .checkpoint
            .verify(&hub)
            .map_err(|e| Error::Receipt(format!("checkpoint signature: {e}")))?;
        let proof = receipt
            .proof
            .iter()
            .map(|h| hash_from_hex(h))
            .collect::<Result<Vec<_>>>()?;
        let leaf = merkle::leaf_hash(receipt.entry.as_bytes());
        let root = hash_from_hex(&checkpoint.root)?;
        if !merkle::verify_inclusion(&leaf, receipt.log_index, checkpoint.size, &proof, &root) {
            return Err(Error::Receipt(format!(
                "監査ログ{}番の記録が検査点(大きさ{})に含まれません / entry {} is not in the checkpoint of size {}",
                receipt.log_index, checkpoint.size, receipt.log_index, checkpoint.size
            )));
        }
        let entry: AuditEntry = serde_json::from_str(&receipt.entry)?;
        let matches = entry.index == receipt.log_index
            && entry.action == receipt.action
            && entry.parcel_id == receipt.parcel_id
            && entry.sender == receipt.sender
            && entry.recipient == receipt.recipient
            && entry.payload_sha256 == receipt.payload_sha256;
        if !matches {
            return Err(Error::Receipt(
                "監査ログの記録が受領証と食い違います / the log entry does not match the receipt"
                    .into(),
            ));
        }
        if let Some((acknowledgement, pem)) = &receipt.acknowledgement {
            check_statement::<Acknowledgement>(acknowledgement, pem, &receipt, trust)?;
        }
        if let Some((rejection, pem)) = &receipt.rejection {
            check_statement::<Rejection>(rejection, pem, &receipt, trust)?;
        }
        Ok((receipt, checkpoint))
    }
}
