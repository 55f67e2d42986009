//! Opening a received parcel never panics and never reserves memory from what a header
//! claims, whatever an enrolled (and hostile) sender seals and signs: the fuzzer writes the
//! archive inside a properly sealed and signed parcel, or the sealed bytes themselves, and
//! the recipient's own opening code (signatures, digests, archive, names) takes it.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use renkei_hub::wire::{InboxItem, ParcelView};
use renkei_office::parcel;
use renkei_office::profile::Profile;
use renkei_seal::manifest::{FORMAT, Manifest, ManifestFile, SignedManifest};
use renkei_seal::{ArchiveLimits, Authority, Certificate, CertificateRequest, OfficeIdentity, PrivateKey};

struct Parties {
    sender_key: PrivateKey,
    sender: Certificate,
    recipient: Profile,
}

const SENDER: &str = "1310000011";
const RECIPIENT: &str = "1310000043";

fn parties() -> &'static Parties {
    static PARTIES: OnceLock<Parties> = OnceLock::new();
    PARTIES.get_or_init(|| {
        let authority = Authority::create("fuzz authority", 1).unwrap();
        let authority_pem = String::from_utf8(authority.certificate.to_pem().unwrap()).unwrap();
        let sender_key = PrivateKey::generate().unwrap();
        let request = CertificateRequest::new(&sender_key, SENDER).unwrap();
        let identity = OfficeIdentity::new(SENDER, &["11"], "送信元").unwrap();
        let sender = authority.issue_office(&request, &identity, 30).unwrap();
        let dir = std::env::temp_dir().join(format!("renkei-fuzz-open-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut recipient = Profile::init(&dir, RECIPIENT).unwrap();
        let request = CertificateRequest::from_pem(recipient.request_pem().unwrap().as_bytes()).unwrap();
        let identity = OfficeIdentity::new(RECIPIENT, &["43"], "受信先").unwrap();
        let certificate = authority.issue_office(&request, &identity, 30).unwrap();
        let certificate = String::from_utf8(certificate.to_pem().unwrap()).unwrap();
        recipient
            .save_enrolment("https://localhost:1", &certificate, &authority_pem)
            .unwrap();
        Parties { sender_key, sender, recipient }
    })
}

/// The files a lenient reader finds, so that the manifest matches and the deeper checks
/// (names, parties) are reached.
fn listed(archive: &[u8]) -> Vec<ManifestFile> {
    let mut files = Vec::new();
    let mut reader = tar::Archive::new(archive);
    let Ok(entries) = reader.entries() else { return files };
    for entry in entries.take(64) {
        let Ok(mut entry) = entry else { break };
        let name = entry.path().ok().and_then(|p| p.to_str().map(str::to_owned)).unwrap_or_default();
        let mut bytes = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::Read::take(&mut entry, 1 << 20), &mut bytes);
        files.push(ManifestFile {
            name,
            kind: None,
            month: None,
            size: bytes.len() as u64,
            sha256: renkei_seal::sha256_hex(&bytes),
        });
    }
    files
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, data)) = data.split_first() else { return };
    let parties = parties();
    let recipient_certificate = parties.recipient.certificate().unwrap();
    let (payload, files) = if mode & 1 == 0 {
        let sealed = renkei_seal::seal(data, &parties.sender, &parties.sender_key, recipient_certificate)
            .unwrap();
        (sealed, listed(data))
    } else {
        (data.to_vec(), Vec::new())
    };
    let manifest = Manifest {
        format: FORMAT,
        client_parcel_id: "fuzz".into(),
        sender: SENDER.into(),
        recipient: RECIPIENT.into(),
        created: 0,
        payload_sha256: renkei_seal::sha256_hex(&payload),
        payload_size: payload.len() as u64,
        files,
    };
    let item = InboxItem {
        parcel: ParcelView {
            id: "fuzz".into(),
            sender: SENDER.into(),
            recipient: RECIPIENT.into(),
            client_parcel_id: "fuzz".into(),
            payload_sha256: manifest.payload_sha256.clone(),
            size: payload.len() as u64,
            state: "accepted".into(),
            state_ja: "受付済".into(),
            accepted: 0,
            log_index: 0,
            downloaded: None,
            acknowledged: None,
            rejected_reason: None,
        },
        manifest: SignedManifest::sign(&manifest, &parties.sender_key).unwrap(),
        sender_certificate: String::from_utf8(parties.sender.to_pem().unwrap()).unwrap(),
    };
    let limits = ArchiveLimits { max_files: 50, max_file_bytes: 64 * 1024, max_total_bytes: 256 * 1024 };
    if let Ok(opened) = parcel::open_within(&parties.recipient, &item, &payload, &limits) {
        assert!(opened.files.len() <= limits.max_files);
        for file in &opened.files {
            assert!(renkei_seal::name_problem(&file.name).is_none(), "{}", file.name);
            assert!(file.bytes.len() as u64 <= limits.max_file_bytes);
        }
    }
});
