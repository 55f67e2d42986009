//! What comes back of this office's parcels: a recipient that could not take one in signed
//! why (取込不可), with its check's findings when the files failed the standard's check
//! there (取込エラー). The statement is taken from the relay's receipt and believed only when
//! the receipt verifies against the authority and the recipient's own certificate signed it:
//! the relay carries the report, it cannot write one.

use renkei_proto::ParcelView;
use renkei_seal::Trust;
use renkei_seal::receipt::{Action, Rejection, SignedReceipt};

use crate::ledger::{RefusalRecord, RefusedFinding};
use crate::sending::save_receipt;
use crate::{Office, Result};

/// The step a rejection's receipt is kept under.
const REJECTED: &str = "rejected";

/// One rejection heard of, as the recipient signed it.
#[derive(Clone, Debug)]
pub struct Returned {
    pub parcel_id: String,
    pub recipient: String,
    pub reason: String,
    /// The recipient's check's findings: empty unless it is a 取込エラー.
    pub findings: Vec<RefusedFinding>,
}

impl Returned {
    /// 取込エラー (the files failed the recipient's check) or 取込不可 (the parcel could not
    /// be opened or was refused for what it is).
    pub fn state_ja(&self) -> &'static str {
        if self.findings.is_empty() {
            "取込不可"
        } else {
            "取込エラー"
        }
    }
}

/// The rejections of this office's parcels not heard of yet: each fetched from the relay,
/// verified, kept with its receipt and kept on the refusals page. A rejection whose receipt
/// does not verify is left for the next look (and shown as the relay's word only).
pub async fn collect(office: &Office) -> Result<Vec<Returned>> {
    let parcels = office.retry.run(|| office.client.outbox(1000)).await?;
    collect_from(office, &parcels).await
}

/// [`collect`], for the outbox as the relay just gave it.
pub async fn collect_from(office: &Office, parcels: &[ParcelView]) -> Result<Vec<Returned>> {
    let trust = office.profile.trust()?;
    let mut returned = Vec::new();
    for parcel in parcels.iter().filter(|p| p.state == "rejected") {
        if office.profile.receipt_path(&parcel.id, REJECTED).exists() {
            continue;
        }
        let receipts = office
            .retry
            .run(|| office.client.receipts(&parcel.id))
            .await?;
        for signed in receipts {
            let Some((heard, time)) = read(&signed, &trust, &parcel.id) else {
                continue;
            };
            save_receipt(office, &signed, &parcel.id, REJECTED)?;
            keep(office, &heard, time)?;
            returned.push(heard);
        }
    }
    Ok(returned)
}

/// The rejection of `parcel_id` this office keeps, read again from its receipt.
pub fn kept(office: &Office, parcel_id: &str) -> Option<Returned> {
    let path = office.profile.receipt_path(parcel_id, REJECTED);
    let signed: SignedReceipt = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    read(&signed, &office.profile.trust().ok()?, parcel_id).map(|(heard, _)| heard)
}

/// The recipient's rejection in a receipt, and when it was made: only when the receipt
/// verifies, which includes the recipient's signature and its certificate's authority.
fn read(signed: &SignedReceipt, trust: &Trust, parcel_id: &str) -> Option<(Returned, i64)> {
    let receipt = match signed.verify(trust) {
        Ok(receipt) => receipt,
        Err(error) => {
            tracing::warn!(parcel = %parcel_id, "a rejection's receipt does not verify: {error}");
            return None;
        }
    };
    if receipt.action != Action::Rejected || receipt.parcel_id != parcel_id {
        return None;
    }
    let (statement, _) = receipt.rejection.as_ref()?;
    let rejection: Rejection = serde_json::from_str(&statement.body).ok()?;
    Some((
        Returned {
            parcel_id: receipt.parcel_id.clone(),
            recipient: receipt.recipient.clone(),
            reason: rejection.reason,
            findings: rejection.findings,
        },
        rejection.time,
    ))
}

/// On the refusals page, with the files of the parcel as this office sent them (or, for a
/// parcel its ledger does not know, the files the findings name).
fn keep(office: &Office, heard: &Returned, time: i64) -> Result<()> {
    let mut files: Vec<String> = office
        .ledger
        .sent_parcel(&heard.parcel_id)?
        .map(|p| p.files.into_iter().map(|f| f.name).collect())
        .unwrap_or_default();
    if files.is_empty() {
        files = heard
            .findings
            .iter()
            .filter_map(|f| f.file.clone())
            .collect();
        files.dedup();
    }
    let state = heard.state_ja();
    office.ledger.refused(&RefusalRecord {
        time,
        reason_ja: format!(
            "送信先が{state}として返しました。直して送り直してください: {}",
            heard.reason
        ),
        reason_en: format!(
            "the recipient could not take the files in ({}); correct them and send again",
            if heard.findings.is_empty() {
                "refused"
            } else {
                "import error"
            }
        ),
        recipient: Some(heard.recipient.clone()),
        received_from: None,
        parcel_id: Some(heard.parcel_id.clone()),
        files,
        findings: heard.findings.clone(),
    })
}
