//! Parcels in CMS (RFC 5652): SignedData by the sender, inside EnvelopedData for the
//! recipient (AES-256-GCM content encryption, ECDH key agreement with the recipient's
//! P-256 certificate). The relay can read neither; `openssl cms -decrypt` then
//! `openssl cms -verify` open one.

use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::stack::Stack;
use openssl::symm::Cipher;
use openssl::x509::X509;

use crate::authority::Trust;
use crate::certificate::Certificate;
use crate::error::{Error, Result};
use crate::keys::PrivateKey;

/// Sign `content` as `sender` and encrypt it to `recipient`; returns the DER of the
/// EnvelopedData.
pub fn seal(
    content: &[u8],
    sender: &Certificate,
    sender_key: &PrivateKey,
    recipient: &Certificate,
) -> Result<Vec<u8>> {
    let signed = CmsContentInfo::sign(
        Some(&sender.0),
        Some(&sender_key.0),
        None,
        Some(content),
        CMSOptions::BINARY,
    )?
    .to_der()?;
    let mut recipients = Stack::<X509>::new()?;
    recipients.push(recipient.0.clone())?;
    let enveloped = CmsContentInfo::encrypt(
        &recipients,
        &signed,
        Cipher::aes_256_gcm(),
        CMSOptions::BINARY,
    )?;
    Ok(enveloped.to_der()?)
}

/// The `contentType` a parcel must start with (after the outer SEQUENCE's tag and length),
/// as DER: authEnvelopedData (1.2.840.113549.1.9.16.1.23, RFC 5083), which AES-GCM makes,
/// or envelopedData (1.2.840.113549.1.7.3).
const ENVELOPED: [&[u8]; 2] = [
    &[
        0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x17,
    ],
    &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03,
    ],
];

/// How far into a parcel its recipient entries are looked for: one recipient's entry takes
/// a few hundred bytes, and they all precede the content.
const RECIPIENTS_WITHIN: usize = 16 * 1024;

fn der_length(length: usize) -> Vec<u8> {
    if length < 0x80 {
        return vec![length as u8];
    }
    let bytes: Vec<u8> = length
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    let mut out = vec![0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(der_length(content.len()));
    out.extend_from_slice(content);
    out
}

/// Whether `parcel` is CMS EnvelopedData with a recipient entry for `recipient` (its
/// issuer and serial number, as OpenSSL writes the key-agreement recipient): what the
/// relay can check of a parcel it cannot read, before it keeps it.
pub fn is_addressed_to(parcel: &[u8], recipient: &Certificate) -> Result<bool> {
    if CmsContentInfo::from_der(parcel).is_err() {
        return Ok(false);
    }
    let content_type = parcel.get(1..).and_then(|rest| {
        let skip = match rest.first() {
            Some(b) if *b < 0x80 => 1,
            Some(b) => 1 + usize::from(*b & 0x7f),
            None => return None,
        };
        rest.get(skip..)
    });
    let enveloped =
        content_type.is_some_and(|rest| ENVELOPED.iter().any(|oid| rest.starts_with(oid)));
    if parcel.first() != Some(&0x30) || !enveloped {
        return Ok(false);
    }
    let mut serial = recipient.0.serial_number().to_bn()?.to_vec();
    if serial.first().is_none_or(|b| b & 0x80 != 0) {
        serial.insert(0, 0);
    }
    let mut issuer_and_serial = recipient.0.issuer_name().to_der()?;
    issuer_and_serial.extend(der(0x02, &serial));
    let wanted = der(0x30, &issuer_and_serial);
    // The recipient entries come before the encrypted content: its first bytes suffice.
    let head = &parcel[..parcel.len().min(RECIPIENTS_WITHIN)];
    Ok(head.windows(wanted.len()).any(|w| w == wanted.as_slice()))
}

/// Decrypt `parcel` with the recipient's key, then check that `sender` signed it (and no
/// one else: the signer is looked up among `sender` only) and that `sender` chains to the
/// authority. Returns the content exactly as it was signed.
pub fn open(
    parcel: &[u8],
    recipient: &Certificate,
    recipient_key: &PrivateKey,
    sender: &Certificate,
    trust: &Trust,
) -> Result<Vec<u8>> {
    let enveloped = CmsContentInfo::from_der(parcel)
        .map_err(|e| Error::Parcel(format!("CMSとして読めません / not CMS: {e}")))?;
    let signed = enveloped
        .decrypt(&recipient_key.0, &recipient.0)
        .map_err(|e| {
            Error::Parcel(format!(
                "この事業所の鍵では復号できません / cannot be decrypted with this office's key: {e}"
            ))
        })?;
    let mut signed = CmsContentInfo::from_der(&signed)
        .map_err(|e| Error::Parcel(format!("署名データとして読めません / not SignedData: {e}")))?;
    let mut signers = Stack::<X509>::new()?;
    signers.push(sender.0.clone())?;
    let mut content = Vec::new();
    signed
        .verify(
            Some(&signers),
            Some(&trust.store),
            None,
            Some(&mut content),
            CMSOptions::NOINTERN | CMSOptions::BINARY,
        )
        .map_err(|e| {
            Error::Parcel(format!(
                "送信元の署名が確認できません / the sender's signature does not verify: {e}"
            ))
        })?;
    Ok(content)
}
