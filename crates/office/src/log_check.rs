//! Whether the relay's audit log only grew: the checkpoints of the receipts this office
//! keeps, in order of size, and the relay's head now, each shown by the relay's consistency
//! proof (RFC 9162 §2.1.4) to extend the one before. A relay that rewrote or dropped an
//! entry after signing a receipt cannot pass, and the receipts kept are the evidence.

use std::collections::BTreeMap;

use renkei_seal::receipt::{self, Checkpoint, SignedReceipt};

use crate::{Error, Office, Result};

/// What a check covered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Growth {
    /// Receipts read.
    pub receipts: usize,
    /// Distinct checkpoints, the relay's head now included, each proven to extend the last.
    pub checkpoints: usize,
    /// The smallest and largest log sizes compared.
    pub from: u64,
    pub to: u64,
}

/// Check every kept receipt's checkpoint, and the relay's head now, against each other.
pub async fn check(office: &Office) -> Result<Growth> {
    let trust = office.profile.trust()?;
    let (receipts, mut by_size, hub) = kept_checkpoints(office, &trust)?;
    if let Some(hub) = &hub {
        let head = office.retry.run(|| office.client.checkpoint()).await?;
        let head = receipt::verified_checkpoint(&head, hub, &trust)?;
        add(&mut by_size, head)?;
    }
    let checkpoints: Vec<&Checkpoint> = by_size.values().collect();
    for pair in checkpoints.windows(2) {
        let (older, newer) = (pair[0], pair[1]);
        let proof = office
            .retry
            .run(|| office.client.consistency(older.size, newer.size))
            .await?;
        if (proof.first, proof.second) != (older.size, newer.size) {
            return Err(Error::Answer(format!(
                "中継サーバーの答えが求めた大きさ（{}→{}）の証明ではありません / the proof is for {}→{}",
                older.size, newer.size, proof.first, proof.second
            )));
        }
        receipt::verify_growth(older, newer, &proof.proof)?;
    }
    Ok(Growth {
        receipts,
        checkpoints: checkpoints.len(),
        from: checkpoints.first().map_or(0, |c| c.size),
        to: checkpoints.last().map_or(0, |c| c.size),
    })
}

/// The verified checkpoints of the kept receipts by log size, with how many receipts were
/// read and the certificate of the hub that signed the newest.
fn kept_checkpoints(
    office: &Office,
    trust: &renkei_seal::Trust,
) -> Result<(usize, BTreeMap<u64, Checkpoint>, Option<String>)> {
    let dir = office.profile.receipts_dir();
    let mut by_size = BTreeMap::new();
    let mut newest: Option<(u64, String)> = None;
    let mut read = 0;
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, by_size, None)),
        Err(e) => return Err(Error::file(&dir, e)),
    };
    for entry in entries {
        let path = entry.map_err(|e| Error::file(&dir, e))?.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::file(&path, e))?;
        let signed: SignedReceipt = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Answer(format!(
                "受領証 {} を読めません / cannot read the receipt: {e}",
                path.display()
            ))
        })?;
        let (_, checkpoint) = signed.verify_with_checkpoint(trust)?;
        if newest
            .as_ref()
            .is_none_or(|(size, _)| checkpoint.size > *size)
        {
            newest = Some((checkpoint.size, signed.hub_certificate.clone()));
        }
        add(&mut by_size, checkpoint)?;
        read += 1;
    }
    Ok((read, by_size, newest.map(|(_, hub)| hub)))
}

/// Keep `checkpoint` under its size; two signed heads of one size with different roots are
/// a fork already, with no proof needed.
fn add(by_size: &mut BTreeMap<u64, Checkpoint>, checkpoint: Checkpoint) -> Result<()> {
    if let Some(known) = by_size.get(&checkpoint.size)
        && known.root != checkpoint.root
    {
        return Err(Error::Seal(renkei_seal::Error::Receipt(format!(
            "中継サーバーが同じ大きさ{}の監査ログに違う内容で署名しています。記録が書き換えられた疑いがあります。受領証を保管し、運用者に連絡してください / the hub signed two different logs of size {}",
            checkpoint.size, checkpoint.size
        ))));
    }
    by_size.entry(checkpoint.size).or_insert(checkpoint);
    Ok(())
}
