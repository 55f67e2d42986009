//! The recipient's side: learn of parcels, download, acknowledge; and what each party
//! may see of a parcel afterwards (its state and receipts).

use std::time::Duration;

use renkei_seal::receipt::{Acknowledgement, Action, Rejection, Signed, SignedReceipt, Statement};

use super::{Caller, Relay};
use crate::store::{OfficeStore, ParcelRecord, ParcelStore};
use crate::{Error, Result};

/// The longest reason a recipient may give for a rejection: enough for every problem an
/// office's opening code names, not a place to store data.
pub use renkei_proto::MAX_REASON_CHARS;

/// The longest an inbox request may wait for a parcel.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// A parcel waiting for its recipient, with the certificate its sender signed with.
#[derive(Clone, Debug)]
pub struct Waiting {
    pub parcel: ParcelRecord,
    pub sender_certificate: String,
}

impl Relay {
    /// Parcels for the caller after log position `after`; when there are none, wait up to
    /// `wait` for one to arrive.
    pub async fn inbox(
        &self,
        caller: &Caller,
        after: Option<u64>,
        limit: usize,
        wait: Duration,
    ) -> Result<Vec<Waiting>> {
        if wait.is_zero() {
            let parcels = self.store.inbox(caller.number(), after, limit).await?;
            return self.with_certificates(parcels).await;
        }
        let waiter = self
            .doorbells
            .register(caller.number(), self.config.waiting_per_office)
            .ok_or(Error::TooManyWaiting)?;
        let deadline = tokio::time::Instant::now() + wait.min(MAX_WAIT);
        loop {
            let parcels = self.store.inbox(caller.number(), after, limit).await?;
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if !parcels.is_empty() || left.is_zero() || !waiter.wait(left).await {
                return self.with_certificates(parcels).await;
            }
        }
    }

    async fn with_certificates(&self, parcels: Vec<ParcelRecord>) -> Result<Vec<Waiting>> {
        let mut waiting = Vec::with_capacity(parcels.len());
        for parcel in parcels {
            let sender_certificate = self
                .store
                .certificate(&parcel.sender_certificate)
                .await?
                .map(|c| c.pem)
                .unwrap_or_default();
            waiting.push(Waiting {
                parcel,
                sender_certificate,
            });
        }
        Ok(waiting)
    }

    /// A parcel the caller sent or receives.
    pub async fn parcel(&self, caller: &Caller, id: &str) -> Result<ParcelRecord> {
        let parcel = self
            .store
            .parcel(id)
            .await?
            .ok_or_else(|| Error::NoParcel(id.to_owned()))?;
        if parcel.recipient != caller.number() && parcel.sender != caller.number() {
            return Err(Error::NotYourParcel(id.to_owned()));
        }
        Ok(parcel)
    }

    /// The sealed bytes, for the recipient only; the first download is logged.
    pub async fn download(&self, caller: &Caller, id: &str, time: i64) -> Result<Vec<u8>> {
        let parcel = self.parcel(caller, id).await?;
        if parcel.recipient != caller.number() {
            return Err(Error::NotYourParcel(id.to_owned()));
        }
        let payload = self.store.payload(id).await?.ok_or(Error::WrongState {
            id: id.to_owned(),
            state: parcel.state.name_ja(),
            state_en: parcel.state.as_str(),
        })?;
        if parcel.downloaded.is_none() {
            match self.store.advance(id, Action::Downloaded, None, time).await {
                // Acknowledged (or noticed) before any download was logged: the bytes are
                // still the recipient's to fetch again.
                Ok(_) | Err(Error::WrongState { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(payload)
    }

    /// The parcel `id` and what `signed` says of it, once the caller is its recipient and
    /// signed it with the connected certificate, naming this parcel, itself and the digest.
    async fn recipients_statement<T: Statement>(
        &self,
        caller: &Caller,
        id: &str,
        signed: &Signed,
    ) -> Result<(ParcelRecord, T)> {
        let parcel = self.parcel(caller, id).await?;
        if parcel.recipient != caller.number() {
            return Err(Error::NotYourParcel(id.to_owned()));
        }
        let said: T = signed.verify(&caller.certificate).map_err(|e| {
            Error::AcknowledgementInvalid(format!(
                "接続した証明書の署名ではありません / not signed by the connected certificate: {e}"
            ))
        })?;
        if said.about() != (&parcel.id, &parcel.recipient, &parcel.payload_sha256) {
            return Err(Error::AcknowledgementInvalid(
                "小包ID・受信者・ダイジェストがこの小包と一致しません / parcel id, recipient or digest does not match".into(),
            ));
        }
        Ok((parcel, said))
    }

    /// The recipient's signed acknowledgement that the files are safely written.
    pub async fn acknowledge(
        &self,
        caller: &Caller,
        id: &str,
        acknowledgement: Signed,
        time: i64,
    ) -> Result<SignedReceipt> {
        self.recipients_statement::<Acknowledgement>(caller, id, &acknowledgement)
            .await?;
        let stored = self.statement(caller, acknowledgement)?;
        let (record, logged) = self
            .store
            .advance(id, Action::Acknowledged, Some(stored), time)
            .await?;
        self.notary.receipt(&record, &logged, time)
    }

    /// The recipient's signed word that it cannot take the parcel in (取込不可): the parcel
    /// leaves its inbox, and the sender reads the reason in its outbox and receipts.
    pub async fn reject(
        &self,
        caller: &Caller,
        id: &str,
        rejection: Signed,
        time: i64,
    ) -> Result<SignedReceipt> {
        let (_, said) = self
            .recipients_statement::<Rejection>(caller, id, &rejection)
            .await?;
        if said.reason.trim().is_empty() || said.reason.chars().count() > MAX_REASON_CHARS {
            return Err(Error::AcknowledgementInvalid(format!(
                "理由は1〜{MAX_REASON_CHARS}文字で書いてください / the reason must be 1 to {MAX_REASON_CHARS} characters"
            )));
        }
        if said.findings.len() > renkei_proto::MAX_RETURNED_FINDINGS {
            return Err(Error::AcknowledgementInvalid(format!(
                "検査の結果は{}件までです / at most {} findings",
                renkei_proto::MAX_RETURNED_FINDINGS,
                renkei_proto::MAX_RETURNED_FINDINGS
            )));
        }
        let stored = self.statement(caller, rejection)?;
        let (record, logged) = self
            .store
            .advance(id, Action::Rejected, Some(stored), time)
            .await?;
        tracing::debug!(parcel = %record.id, recipient = %record.recipient, "rejected by its recipient");
        self.notary.receipt(&record, &logged, time)
    }

    /// A recipient's signed statement with the certificate it was checked against, as kept.
    fn statement(&self, caller: &Caller, signed: Signed) -> Result<String> {
        let pem = String::from_utf8(caller.certificate.to_pem()?)
            .map_err(|e| Error::Database(e.to_string()))?;
        serde_json::to_string(&(signed, pem)).map_err(|e| Error::Database(e.to_string()))
    }

    /// Parcels the caller sent, newest first, with their states.
    pub async fn outbox(&self, caller: &Caller, limit: usize) -> Result<Vec<ParcelRecord>> {
        self.store.outbox(caller.number(), limit).await
    }

    /// Every receipt of the parcel so far (acceptance, download, acknowledgement,
    /// non-delivery, purge), each proven against the log as it is now.
    pub async fn receipts(
        &self,
        caller: &Caller,
        id: &str,
        time: i64,
    ) -> Result<Vec<SignedReceipt>> {
        let parcel = self.parcel(caller, id).await?;
        let mut receipts = Vec::new();
        for index in self.store.history(id).await? {
            let logged = self.store.logged(index).await?;
            receipts.push(self.notary.receipt(&parcel, &logged, time)?);
        }
        Ok(receipts)
    }
}
