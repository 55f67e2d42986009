//! Accepting a parcel: the authenticity check and routing of DESIGN §4 step 4, in the
//! order that tells the sender the most useful thing first.

use renkei_seal::manifest::{FORMAT, Manifest, SignedManifest};
use renkei_seal::receipt::SignedReceipt;
use renkei_spec::FileName;

use super::{Caller, Relay};
use crate::store::{Accepted, CertificateRecord, NewParcel, Office, OfficeStore, ParcelStore};
use crate::{Error, Result};

/// What sending gave: the receipt, and whether this request stored the parcel (false when
/// it had been accepted before under the same id and digest).
#[derive(Debug)]
pub struct Sent {
    pub receipt: SignedReceipt,
    pub new: bool,
}

impl Relay {
    pub async fn send(
        &self,
        caller: &Caller,
        signed: &SignedManifest,
        payload: Vec<u8>,
        time: i64,
    ) -> Result<Sent> {
        let limit = self.config.max_parcel_bytes;
        if payload.len() as u64 > limit {
            return Err(Error::ParcelTooLarge {
                size: payload.len() as u64,
                limit,
            });
        }
        let claimed = signed
            .unverified()
            .map_err(|e| Error::ManifestInvalid(e.to_string()))?;
        if claimed.sender != caller.number() {
            return Err(Error::SenderMismatch {
                manifest: claimed.sender,
                authenticated: caller.number().to_owned(),
            });
        }
        let manifest = signed
            .verify(&caller.certificate)
            .map_err(|_| Error::ManifestSignature)?;
        if manifest.format != FORMAT {
            return Err(Error::ManifestInvalid(format!(
                "形式{}には対応していません / format {} is not supported",
                manifest.format, manifest.format
            )));
        }
        let (recipient, certificate) = self.receivable_by(&manifest, time).await?;
        check_files(&manifest, &caller.office, &recipient)?;
        let actual = renkei_seal::sha256_hex(&payload);
        if actual != manifest.payload_sha256 || payload.len() as u64 != manifest.payload_size {
            return Err(Error::DigestMismatch {
                manifest: format!("{} ({} B)", manifest.payload_sha256, manifest.payload_size),
                actual: format!("{actual} ({} B)", payload.len()),
            });
        }
        // The relay cannot read a parcel, but it can see that it is one: CMS enveloped
        // for the recipient's current certificate, not any bytes an office cares to store.
        let certificate = self.recipient_certificate(&certificate)?;
        if !renkei_seal::is_addressed_to(&payload, &certificate)? {
            return Err(Error::PayloadNotAddressed(recipient.number));
        }
        let quota = self
            .quotas
            .check(
                &self.store,
                &self.config.quota,
                caller.number(),
                payload.len() as u64,
                time,
            )
            .await;
        if let Err(over) = quota {
            // A resend of a parcel already accepted is answered with its first receipt
            // whatever the quota says: nothing sent is lost to a lost answer.
            let resend = self
                .store
                .sent(caller.number(), &manifest.client_parcel_id)
                .await?
                .is_some_and(|first| first.payload_sha256 == actual);
            if !resend {
                return Err(over);
            }
        }
        // Kept as the sender signed it, so the recipient can check the signature too.
        let signed_manifest =
            serde_json::to_string(signed).map_err(|e| Error::ManifestInvalid(e.to_string()))?;
        let parcel = NewParcel {
            id: hex::encode(renkei_seal::random_bytes::<16>()?),
            sender: manifest.sender,
            recipient: manifest.recipient,
            client_parcel_id: manifest.client_parcel_id,
            payload_sha256: actual,
            manifest: signed_manifest,
            sender_certificate: caller.record.fingerprint.clone(),
            payload,
            time,
        };
        let (record, logged, new) = match self.store.accept(parcel).await? {
            Accepted::New(record, logged) => (record, logged, true),
            Accepted::Again(record, logged) => (record, logged, false),
        };
        if new {
            self.quotas.count(caller.number(), record.size, time);
            self.doorbells.ring(&record.recipient);
            tracing::debug!(parcel = %record.id, sender = %record.sender, recipient = %record.recipient, size = record.size, "accepted");
        }
        Ok(Sent {
            receipt: self.notary.receipt(&record, &logged, time)?,
            new,
        })
    }

    /// A recipient's certificate, parsed once: OpenSSL's decoding of a certificate's key
    /// costs more than the rest of a send's checks together.
    fn recipient_certificate(
        &self,
        record: &CertificateRecord,
    ) -> Result<renkei_seal::Certificate> {
        let mut parsed = self
            .recipient_certificates
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(certificate) = parsed.get(&record.fingerprint) {
            return Ok(certificate.clone());
        }
        let certificate = renkei_seal::Certificate::from_pem(record.pem.as_bytes())?;
        // Offices are a few thousand per relay; a bound keeps a flood of enrolments harmless.
        if parsed.len() >= 100_000 {
            parsed.clear();
        }
        parsed.insert(record.fingerprint.clone(), certificate.clone());
        Ok(certificate)
    }

    /// The recipient and its current certificate, if it is enrolled, active and holds a
    /// usable one.
    async fn receivable_by(
        &self,
        manifest: &Manifest,
        time: i64,
    ) -> Result<(Office, CertificateRecord)> {
        let recipient = self
            .store
            .office(&manifest.recipient)
            .await?
            .ok_or_else(|| Error::RecipientUnknown(manifest.recipient.clone()))?;
        let certificate = self
            .store
            .current_certificate(&recipient.number, time)
            .await?;
        match certificate {
            Some(certificate) if recipient.active => Ok((recipient, certificate)),
            _ => Err(Error::RecipientInactive(recipient.number)),
        }
    }
}

/// Every file the standard names must name the signed-in sender as 送信元 and the
/// manifest's recipient as 送信先, and its kind decides the direction: 実績 goes from a
/// provider to a planner; plans, 予定 and the rest go from a planner. What the manifest
/// declares as `kind` must be what the name says, so a `kind: null` cannot hide a standard
/// file. A file whose name is not the standard's is an attachment: the receiving office
/// keeps it with its own files, never in the import folder.
fn check_files(manifest: &Manifest, sender: &Office, recipient: &Office) -> Result<()> {
    for file in &manifest.files {
        if let Some(problem) = renkei_seal::name_problem(&file.name) {
            return Err(Error::ManifestInvalid(format!(
                "ファイル名「{}」は使えません({problem}) / file name '{}' cannot be used",
                file.name, file.name
            )));
        }
        let Ok(name) = FileName::parse(&file.name) else {
            if let Some(prefix) = &file.kind {
                return Err(Error::KindMismatch {
                    file: file.name.clone(),
                    declared: prefix.clone(),
                    named: "添付ファイル / attachment".into(),
                });
            }
            continue;
        };
        if name.from.as_str() != sender.number {
            return Err(Error::FileSenderMismatch {
                file: file.name.clone(),
                authenticated: sender.number.clone(),
            });
        }
        if name.to.as_str() != recipient.number {
            return Err(Error::FileRecipientMismatch {
                file: file.name.clone(),
                recipient: recipient.number.clone(),
            });
        }
        let prefix = name.kind.prefix();
        if file.kind.as_deref() != Some(prefix) {
            return Err(Error::KindMismatch {
                file: file.name.clone(),
                declared: file.kind.clone().unwrap_or_else(|| "null".into()),
                named: prefix.to_owned(),
            });
        }
        let what = format!("{}({prefix})", name.kind.name_ja());
        if name.kind.sent_by_provider() {
            if !recipient.is_planner() {
                return Err(Error::KindNotReceivable {
                    kind: what,
                    recipient: recipient.number.clone(),
                });
            }
        } else if !sender.is_planner() {
            return Err(Error::KindNotSendable { kind: what });
        }
    }
    Ok(())
}
