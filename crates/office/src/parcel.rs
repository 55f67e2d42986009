//! Parcels from the office's side: files in, a signed manifest and a sealed CMS out; and
//! back again on receipt, checking every signature and digest before a file is trusted.

use renkei_proto::InboxItem;
use renkei_proto::{MAX_REASON_CHARS, MAX_RETURNED_FINDINGS};
use renkei_seal::manifest::{FORMAT, Manifest, ManifestFile, SignedManifest};
use renkei_seal::receipt::{Acknowledgement, Rejection, Signed};
use renkei_seal::{ArchiveLimits, ArchivedFile, Certificate};
use renkei_spec::FileName;

use crate::ledger::RefusedFinding;
use crate::profile::{Profile, write_atomically};
use crate::{Error, Result};

/// A parcel ready to send.
#[derive(Debug)]
pub struct Outgoing {
    pub manifest: SignedManifest,
    pub payload: Vec<u8>,
    pub client_parcel_id: String,
}

/// Describe a file for the manifest: its kind and 対象年月 when its name follows the
/// standard; otherwise it travels as an attachment (a PDF report, an image).
fn describe(file: &ArchivedFile) -> ManifestFile {
    let parsed = FileName::parse(&file.name).ok();
    ManifestFile {
        name: file.name.clone(),
        kind: parsed.as_ref().map(|n| n.kind.prefix().to_owned()),
        month: parsed
            .as_ref()
            .and_then(FileName::year_month)
            .map(|m| m.to_string()),
        size: file.bytes.len() as u64,
        sha256: renkei_seal::sha256_hex(&file.bytes),
    }
}

/// The parcel kept under `client_parcel_id`, or a new one sealed and kept before it is
/// sent. Sealing is randomised (a fresh content key, a fresh signature), so a resend after
/// a lost answer must send the very same bytes for the relay to know it.
pub fn prepare(
    profile: &Profile,
    recipient: &str,
    recipient_certificate: &Certificate,
    files: &[ArchivedFile],
    client_parcel_id: &str,
    time: i64,
) -> Result<Outgoing> {
    let dir = profile.dir.join("outgoing");
    let payload_path = dir.join(format!("{client_parcel_id}.cms"));
    let manifest_path = dir.join(format!("{client_parcel_id}.manifest.json"));
    if manifest_path.exists() {
        let manifest = std::fs::read(&manifest_path).map_err(|e| Error::file(&manifest_path, e))?;
        let manifest = serde_json::from_slice(&manifest)
            .map_err(|e| Error::Answer(format!("{}: {e}", manifest_path.display())))?;
        let payload = std::fs::read(&payload_path).map_err(|e| Error::file(&payload_path, e))?;
        return Ok(Outgoing {
            manifest,
            payload,
            client_parcel_id: client_parcel_id.to_owned(),
        });
    }
    let outgoing = build(
        profile,
        recipient,
        recipient_certificate,
        files,
        client_parcel_id,
        time,
    )?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::file(&dir, e))?;
    // The manifest last: its presence says the parcel is whole.
    write_atomically(&payload_path, &outgoing.payload)?;
    let manifest =
        serde_json::to_vec(&outgoing.manifest).map_err(|e| Error::Answer(e.to_string()))?;
    write_atomically(&manifest_path, &manifest)?;
    Ok(outgoing)
}

/// Drop the sealed bytes kept for `client_parcel_id` once its files are filed away.
pub fn forget_prepared(profile: &Profile, client_parcel_id: &str) {
    let dir = profile.dir.join("outgoing");
    // The manifest first: without it, what remains is never taken for a whole parcel.
    let _ = std::fs::remove_file(dir.join(format!("{client_parcel_id}.manifest.json")));
    let _ = std::fs::remove_file(dir.join(format!("{client_parcel_id}.cms")));
}

/// Seal `files` for `recipient` (its number and certificate) as `client_parcel_id`.
pub fn build(
    profile: &Profile,
    recipient: &str,
    recipient_certificate: &Certificate,
    files: &[ArchivedFile],
    client_parcel_id: &str,
    time: i64,
) -> Result<Outgoing> {
    let archive = renkei_seal::pack(files)?;
    let payload = renkei_seal::seal(
        &archive,
        profile.certificate()?,
        &profile.key,
        recipient_certificate,
    )?;
    let manifest = Manifest {
        format: FORMAT,
        client_parcel_id: client_parcel_id.to_owned(),
        sender: profile.number.clone(),
        recipient: recipient.to_owned(),
        created: time,
        payload_sha256: renkei_seal::sha256_hex(&payload),
        payload_size: payload.len() as u64,
        files: files.iter().map(describe).collect(),
    };
    Ok(Outgoing {
        manifest: SignedManifest::sign(&manifest, &profile.key)?,
        payload,
        client_parcel_id: client_parcel_id.to_owned(),
    })
}

/// A received parcel, opened and checked.
#[derive(Debug)]
pub struct Opened {
    pub manifest: Manifest,
    pub files: Vec<ArchivedFile>,
}

/// Open `payload` of `item` within the default limits; see [`open_within`].
pub fn open(profile: &Profile, item: &InboxItem, payload: &[u8]) -> Result<Opened> {
    open_within(profile, item, payload, &ArchiveLimits::default())
}

/// Open `payload` of `item`: the sender's certificate must chain to our authority and
/// name the sender; it must have signed the manifest and the content; every file must
/// match the manifest's digests; the archive must keep to `limits`; and every file the
/// standard names must name that sender as 送信元 and this office as 送信先. Nothing the
/// relay says is trusted on its own: a relay that let a forged name through is caught here.
pub fn open_within(
    profile: &Profile,
    item: &InboxItem,
    payload: &[u8],
    limits: &ArchiveLimits,
) -> Result<Opened> {
    let trust = profile.trust()?;
    let sender = Certificate::from_pem(item.sender_certificate.as_bytes())?;
    trust.verify(&sender)?;
    let named = sender.identity()?.number;
    if named != item.parcel.sender {
        return Err(Error::Mismatch(format!(
            "送信者の証明書は事業所「{named}」のものです / the sender certificate is office '{named}'s"
        )));
    }
    let manifest = item.manifest.verify(&sender)?;
    if manifest.sender != named {
        return Err(Error::Unacceptable(format!(
            "送付状の送信元「{}」が証明書の事業所「{named}」と違います / the manifest names sender '{}' but the certificate is '{named}'s",
            manifest.sender, manifest.sender
        )));
    }
    let digest = renkei_seal::sha256_hex(payload);
    if digest != manifest.payload_sha256 || manifest.recipient != profile.number {
        return Err(Error::Mismatch(format!(
            "ダイジェスト {digest} / 宛先 {}",
            manifest.recipient
        )));
    }
    let content = renkei_seal::open(
        payload,
        profile.certificate()?,
        &profile.key,
        &sender,
        &trust,
    )?;
    let files = renkei_seal::unpack_within(&content, limits)?;
    let listed: Vec<(&str, String)> = files
        .iter()
        .map(|f| (f.name.as_str(), renkei_seal::sha256_hex(&f.bytes)))
        .collect();
    let expected: Vec<(&str, String)> = manifest
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.sha256.clone()))
        .collect();
    if listed != expected {
        return Err(Error::Mismatch(
            "ファイルの一覧または中身が送付状と違います / files differ from the manifest".into(),
        ));
    }
    for file in &files {
        check_parties(&file.name, &named, &profile.number)?;
    }
    Ok(Opened { manifest, files })
}

/// A file the standard names must be from the office that signed it and to this office.
fn check_parties(name: &str, sender: &str, recipient: &str) -> Result<()> {
    let Ok(parsed) = FileName::parse(name) else {
        return Ok(());
    };
    if parsed.from.as_str() != sender {
        return Err(Error::Unacceptable(format!(
            "ファイル「{name}」の送信元は「{}」ですが、送ってきたのは事業所「{sender}」です。取り込みません / file '{name}' names sender '{}' but came from office '{sender}': not imported",
            parsed.from.as_str(),
            parsed.from.as_str()
        )));
    }
    if parsed.to.as_str() != recipient {
        return Err(Error::Unacceptable(format!(
            "ファイル「{name}」の送信先は「{}」で、この事業所ではありません。取り込みません / file '{name}' is for office '{}', not this one: not imported",
            parsed.to.as_str(),
            parsed.to.as_str()
        )));
    }
    Ok(())
}

/// The signed rejection (取込不可, or 取込エラー with the check's `findings`) of a parcel
/// this office cannot take in, and why.
pub fn rejection(
    profile: &Profile,
    item: &InboxItem,
    reason: &str,
    findings: &[RefusedFinding],
    time: i64,
) -> Result<Signed> {
    let rejection = Rejection {
        parcel_id: item.parcel.id.clone(),
        recipient: profile.number.clone(),
        payload_sha256: item.parcel.payload_sha256.clone(),
        reason: reason.chars().take(MAX_REASON_CHARS).collect(),
        time,
        findings: findings
            .iter()
            .take(MAX_RETURNED_FINDINGS)
            .cloned()
            .collect(),
    };
    Ok(Signed::sign(&rejection, &profile.key)?)
}

/// The signed acknowledgement for a parcel whose files are safely written.
pub fn acknowledgement(profile: &Profile, item: &InboxItem, time: i64) -> Result<Signed> {
    let acknowledgement = Acknowledgement {
        parcel_id: item.parcel.id.clone(),
        recipient: profile.number.clone(),
        payload_sha256: item.parcel.payload_sha256.clone(),
        time,
    };
    Ok(Signed::sign(&acknowledgement, &profile.key)?)
}
