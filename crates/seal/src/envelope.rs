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
