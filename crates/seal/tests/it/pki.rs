//! The PKI and envelopes as the relay and offices use them, and as stock OpenSSL sees them.

use std::process::Command;

use renkei_seal::manifest::{FORMAT, Manifest, ManifestFile, SignedManifest};
use renkei_seal::merkle::{self, MemoryTree};
use renkei_seal::receipt::{
    Acknowledgement, Action, AuditEntry, Checkpoint, Receipt, Signed, SignedReceipt,
};
use renkei_seal::{
    ArchivedFile, Authority, Certificate, CertificateRequest, Error, OfficeIdentity, PrivateKey,
    open, pack, seal, sha256_hex, unix_now, unpack,
};

struct Office {
    key: PrivateKey,
    certificate: Certificate,
}

/// Enrolment as it happens: the office makes its key and a request; the authority issues a
/// certificate with the details the operator registered.
fn enrol(authority: &Authority, number: &str, kinds: &[&str], name: &str) -> Office {
    let key = PrivateKey::generate().unwrap();
    let request = CertificateRequest::new(&key, number).unwrap();
    let request = CertificateRequest::from_pem(&request.to_pem().unwrap()).unwrap();
    let identity = OfficeIdentity::new(number, kinds, name).unwrap();
    let certificate = authority.issue_office(&request, &identity, 365).unwrap();
    Office { key, certificate }
}

fn seal_from_to(content: &[u8], sender: &Office, recipient: &Office) -> Vec<u8> {
    seal(
        content,
        &sender.certificate,
        &sender.key,
        &recipient.certificate,
    )
    .unwrap()
}

fn sample_files() -> Vec<ArchivedFile> {
    vec![
        ArchivedFile {
            name: "UPPLAN_202512_0300000100_43_0300000005_11_20251125100000.CSV".into(),
            // MS932 free text with a comma and a quote, as the standard writes it.
            bytes: b"202407,\"\x96\xec\x93\x63,\"\"\x91\xbe\x98\x59\"\"\"\r\n".to_vec(),
        },
        ArchivedFile {
            name: "UPHOSOKU_202512_0300000100_43_0300000005_11_20251125100000.CSV".into(),
            bytes: b"202407,1\r\n".to_vec(),
        },
    ]
}

#[test]
fn certificates_carry_the_office_and_chain_to_the_authority() {
    let authority = Authority::create("renkei 試験認証局", 10).unwrap();
    let planner = enrol(
        &authority,
        "0300000100",
        &["43"],
        "さくら居宅介護支援事業所",
    );
    let identity = planner.certificate.identity().unwrap();
    assert_eq!(identity.number, "0300000100");
    assert_eq!(identity.kinds, ["43"]);
    assert_eq!(identity.name, "さくら居宅介護支援事業所");
    assert!(identity.is_planner());
    let trust = authority.trust().unwrap();
    trust.verify(&planner.certificate).unwrap();

    let pem = planner.certificate.to_pem().unwrap();
    assert_eq!(Certificate::from_pem(&pem).unwrap(), planner.certificate);

    let stranger = Authority::create("other", 1).unwrap();
    let foreign = enrol(&stranger, "0300000200", &["11"], "x");
    assert!(matches!(
        trust.verify(&foreign.certificate),
        Err(Error::Untrusted(_))
    ));

    let key = PrivateKey::generate().unwrap();
    let request = CertificateRequest::new(&key, "0300000300").unwrap();
    let office = OfficeIdentity::new("0300000300", &["11"], "y").unwrap();
    let expired = authority
        .issue_office_until(&request, &office, unix_now() - 86_400)
        .unwrap();
    assert!(matches!(trust.verify(&expired), Err(Error::Expired { .. })));
}

#[test]
fn identities_are_checked() {
    assert!(OfficeIdentity::new("030000010", &["43"], "x").is_err());
    // A municipality's 保険者番号.
    assert!(
        OfficeIdentity::new("131045", &[], "新宿区")
            .unwrap()
            .is_municipality()
    );
    assert!(OfficeIdentity::new("13104", &[], "x").is_err());
    assert!(OfficeIdentity::new("0300000100", &["4"], "x").is_err());
    assert!(OfficeIdentity::new("0300000100", &["A2", "11"], "x").is_ok());
}

#[test]
fn a_parcel_opens_only_for_its_recipient_and_only_from_its_sender() {
    let authority = Authority::create("renkei", 10).unwrap();
    let trust = authority.trust().unwrap();
    let planner = enrol(&authority, "0300000100", &["43"], "planner");
    let provider = enrol(&authority, "0300000005", &["11"], "provider");
    let other = enrol(&authority, "0300000006", &["15"], "other");

    let files = sample_files();
    let content = pack(&files).unwrap();
    let parcel = seal_from_to(&content, &planner, &provider);
    // The relay can tell to whom it is addressed, without reading it.
    assert!(renkei_seal::is_addressed_to(&parcel, &provider.certificate).unwrap());
    assert!(!renkei_seal::is_addressed_to(&parcel, &other.certificate).unwrap());
    assert!(!renkei_seal::is_addressed_to(&parcel, &planner.certificate).unwrap());
    assert!(!renkei_seal::is_addressed_to(b"not CMS at all", &provider.certificate).unwrap());
    let signed_only = openssl_signed_only(&content, &planner);
    assert!(!renkei_seal::is_addressed_to(&signed_only, &provider.certificate).unwrap());
    let opened = open(
        &parcel,
        &provider.certificate,
        &provider.key,
        &planner.certificate,
        &trust,
    )
    .unwrap();
    assert_eq!(unpack(&opened).unwrap(), files);

    // Another office cannot decrypt it.
    let wrong_reader = open(
        &parcel,
        &other.certificate,
        &other.key,
        &planner.certificate,
        &trust,
    );
    assert!(matches!(wrong_reader, Err(Error::Parcel(_))));
    // The recipient refuses it when someone else claims to have sent it.
    let wrong_sender = open(
        &parcel,
        &provider.certificate,
        &provider.key,
        &other.certificate,
        &trust,
    );
    assert!(matches!(wrong_sender, Err(Error::Parcel(_))));
    // A changed byte anywhere breaks it.
    let mut tampered = parcel.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 1;
    assert!(
        open(
            &tampered,
            &provider.certificate,
            &provider.key,
            &planner.certificate,
            &trust
        )
        .is_err()
    );
}

fn openssl(args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .output()
        .expect("the openssl command is installed (Debian package openssl)")
}

#[test]
fn stock_openssl_decrypts_and_verifies_a_parcel() {
    let authority = Authority::create("renkei", 10).unwrap();
    let planner = enrol(&authority, "0300000100", &["43"], "planner");
    let provider = enrol(&authority, "0300000005", &["11"], "provider");
    let content = pack(&sample_files()).unwrap();
    let parcel = seal_from_to(&content, &planner, &provider);

    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    std::fs::write(path("parcel.der"), &parcel).unwrap();
    std::fs::write(
        path("recipient.pem"),
        provider.certificate.to_pem().unwrap(),
    )
    .unwrap();
    std::fs::write(path("recipient.key"), provider.key.to_pem().unwrap()).unwrap();
    std::fs::write(path("ca.pem"), authority.certificate.to_pem().unwrap()).unwrap();

    let decrypted = openssl(&[
        "cms",
        "-decrypt",
        "-binary",
        "-inform",
        "DER",
        "-in",
        &path("parcel.der"),
        "-recip",
        &path("recipient.pem"),
        "-inkey",
        &path("recipient.key"),
        "-out",
        &path("signed.der"),
    ]);
    assert!(
        decrypted.status.success(),
        "{}",
        String::from_utf8_lossy(&decrypted.stderr)
    );
    let verify_under = |ca: &str, out: &str| {
        openssl(&[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            &path("signed.der"),
            "-CAfile",
            &path(ca),
            "-out",
            &path(out),
        ])
    };
    let verified = verify_under("ca.pem", "content.tar");
    let stderr = String::from_utf8_lossy(&verified.stderr);
    assert!(verified.status.success(), "{stderr}");
    assert!(stderr.contains("Verification successful"), "{stderr}");
    assert_eq!(std::fs::read(path("content.tar")).unwrap(), content);

    // And OpenSSL refuses the signature under another authority.
    let stranger = Authority::create("other", 1).unwrap();
    std::fs::write(path("other.pem"), stranger.certificate.to_pem().unwrap()).unwrap();
    let refused = verify_under("other.pem", "x.tar");
    assert!(!refused.status.success());
}

#[test]
fn manifests_verify_against_their_signer_only() {
    let authority = Authority::create("renkei", 10).unwrap();
    let planner = enrol(&authority, "0300000100", &["43"], "planner");
    let provider = enrol(&authority, "0300000005", &["11"], "provider");
    let files = sample_files();
    let manifest = Manifest {
        format: FORMAT,
        client_parcel_id: "p-1".into(),
        sender: "0300000100".into(),
        recipient: "0300000005".into(),
        created: unix_now(),
        payload_sha256: sha256_hex(b"parcel"),
        payload_size: 6,
        files: files
            .iter()
            .map(|f| ManifestFile {
                name: f.name.clone(),
                kind: Some(f.name.split('_').next().unwrap().into()),
                month: Some("202512".into()),
                size: f.bytes.len() as u64,
                sha256: sha256_hex(&f.bytes),
            })
            .collect(),
    };
    let signed = SignedManifest::sign(&manifest, &planner.key).unwrap();
    assert_eq!(signed.verify(&planner.certificate).unwrap(), manifest);
    assert!(matches!(
        signed.verify(&provider.certificate),
        Err(Error::BadSignature(_))
    ));
    let mut forged = signed.clone();
    let mut other = manifest.clone();
    other.recipient = "0300000006".into();
    forged.manifest = SignedManifest::sign(&other, &provider.key)
        .unwrap()
        .manifest;
    assert!(forged.verify(&planner.certificate).is_err());
}

#[test]
fn receipts_prove_their_entry_offline() {
    let authority = Authority::create("renkei", 10).unwrap();
    let trust = authority.trust().unwrap();
    let hub_key = PrivateKey::generate().unwrap();
    let hub = authority
        .issue_server(&hub_key, &["localhost", "127.0.0.1"], 365)
        .unwrap();
    let provider = enrol(&authority, "0300000005", &["11"], "provider");

    let mut tree = MemoryTree::default();
    let mut entries = Vec::new();
    for index in 0..13u64 {
        let entry = AuditEntry {
            index,
            time: 1_764_000_000 + index as i64,
            action: if index == 12 {
                Action::Acknowledged
            } else {
                Action::Accepted
            },
            parcel_id: format!("parcel-{index}"),
            sender: "0300000100".into(),
            recipient: "0300000005".into(),
            payload_sha256: sha256_hex(&index.to_be_bytes()),
        };
        let bytes = String::from_utf8(entry.to_bytes().unwrap()).unwrap();
        tree.push(merkle::leaf_hash(bytes.as_bytes()));
        entries.push((entry, bytes));
    }
    let checkpoint = Checkpoint {
        origin: "test hub".into(),
        size: tree.len(),
        root: hex::encode(merkle::root(&tree, tree.len())),
        time: 1_764_000_100,
    };
    let checkpoint = Signed::sign(&checkpoint, &hub_key).unwrap();
    let receipt_for = |index: usize, acknowledgement| {
        let (entry, bytes) = &entries[index];
        Receipt {
            action: entry.action,
            parcel_id: entry.parcel_id.clone(),
            client_parcel_id: "c".into(),
            sender: entry.sender.clone(),
            recipient: entry.recipient.clone(),
            payload_sha256: entry.payload_sha256.clone(),
            time: entry.time,
            entry: bytes.clone(),
            log_index: entry.index,
            proof: merkle::inclusion_proof(&tree, entry.index, tree.len())
                .iter()
                .map(hex::encode)
                .collect(),
            checkpoint: checkpoint.clone(),
            acknowledgement,
            rejection: None,
        }
    };
    let hub_pem = String::from_utf8(hub.to_pem().unwrap()).unwrap();
    let signed = |receipt: &Receipt| SignedReceipt {
        receipt: Signed::sign(receipt, &hub_key).unwrap(),
        hub_certificate: hub_pem.clone(),
    };

    let accepted = receipt_for(5, None);
    assert_eq!(signed(&accepted).verify(&trust).unwrap(), accepted);

    let ack = Acknowledgement {
        parcel_id: "parcel-12".into(),
        recipient: "0300000005".into(),
        payload_sha256: entries[12].0.payload_sha256.clone(),
        time: 1_764_000_050,
    };
    let ack = Signed::sign(&ack, &provider.key).unwrap();
    let provider_pem = String::from_utf8(provider.certificate.to_pem().unwrap()).unwrap();
    let acknowledged = receipt_for(12, Some((ack.clone(), provider_pem.clone())));
    signed(&acknowledged).verify(&trust).unwrap();

    // Tampering with any part is found.
    let mut moved = accepted.clone();
    moved.log_index = 6;
    assert!(signed(&moved).verify(&trust).is_err());
    let mut other_parcel = accepted.clone();
    other_parcel.parcel_id = "parcel-6".into();
    assert!(signed(&other_parcel).verify(&trust).is_err());
    let mut forged_sig = signed(&accepted);
    forged_sig.receipt.body = forged_sig.receipt.body.replace("parcel-5", "parcel-7");
    assert!(forged_sig.verify(&trust).is_err());
    let stranger = Authority::create("other", 1).unwrap().trust().unwrap();
    assert!(signed(&accepted).verify(&stranger).is_err());
    // An acknowledgement signed for another parcel does not pass.
    let misplaced = receipt_for(11, Some((ack, provider_pem)));
    assert!(signed(&misplaced).verify(&trust).is_err());
    // Nor one by a "recipient" whose certificate a dishonest relay made under an authority
    // of its own: the relay signs the receipt, it cannot speak for the recipient.
    let relays_own = Authority::create("a relay's own", 1).unwrap();
    let impostor = enrol(&relays_own, "0300000005", &["11"], "provider");
    let said = Acknowledgement {
        parcel_id: "parcel-12".into(),
        recipient: "0300000005".into(),
        payload_sha256: entries[12].0.payload_sha256.clone(),
        time: 1_764_000_050,
    };
    let said = Signed::sign(&said, &impostor.key).unwrap();
    let impostor_pem = String::from_utf8(impostor.certificate.to_pem().unwrap()).unwrap();
    let forged = receipt_for(12, Some((said, impostor_pem)));
    assert!(signed(&forged).verify(&trust).is_err());
}

/// A parcel that is CMS but not enveloped: SignedData alone, readable by anyone.
fn openssl_signed_only(content: &[u8], sender: &Office) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, data, out) = (
        dir.path().join("c.pem"),
        dir.path().join("k.pem"),
        dir.path().join("d"),
        dir.path().join("o.der"),
    );
    std::fs::write(&cert, sender.certificate.to_pem().unwrap()).unwrap();
    std::fs::write(&key, sender.key.to_pem().unwrap()).unwrap();
    std::fs::write(&data, content).unwrap();
    let status = std::process::Command::new("openssl")
        .args([
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-outform",
            "DER",
            "-signer",
        ])
        .arg(&cert)
        .arg("-inkey")
        .arg(&key)
        .arg("-in")
        .arg(&data)
        .arg("-out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(out).unwrap()
}
