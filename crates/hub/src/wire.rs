//! The API's request and response bodies, shared by the hub and its clients so both sides
//! read the same shapes. Signed objects from `seal` travel as they are (opaque objects
//! in the OpenAPI document).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::store::{CertificateRecord, DailyVolume, Office, ParcelRecord};

/// The signed manifest travels beside the body, which is the sealed parcel itself.
pub const MANIFEST_HEADER: &str = "renkei-manifest";
pub const MANIFEST_SIGNATURE_HEADER: &str = "renkei-manifest-signature";
pub const PARCEL_CONTENT_TYPE: &str = "application/pkcs7-mime";

/// A signed JSON object as it travels (`seal::receipt::Signed`): the object's exact bytes
/// and the signature over them. Only its shape is described here; `seal` keeps the type.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SignedView {
    /// The signed object's JSON, as a string (its exact bytes).
    pub body: String,
    /// ECDSA-SHA256 (DER), base64.
    pub signature: String,
}

/// A receipt as the relay gives it (`seal::receipt::SignedReceipt`): signed by the hub,
/// with the hub's certificate; it verifies offline against the operator's authority.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SignedReceiptView {
    pub receipt: SignedView,
    /// The hub's certificate, PEM.
    pub hub_certificate: String,
}

/// A signed manifest (`seal::manifest::SignedManifest`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct SignedManifestView {
    /// The manifest's JSON, base64.
    pub manifest: String,
    /// ECDSA-SHA256 (DER), base64.
    pub signature: String,
}

/// Every refusal: a stable code to match on, and a message (Japanese / English) saying
/// what is wrong and what to do.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    pub code: String,
    pub message: String,
    pub status: u16,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct EnrolRequest {
    /// The one-time code from the operator (`ABCD-EFGH-JKMN-PQRS`).
    pub code: String,
    /// The office's certificate request, PEM, naming its 事業所番号.
    pub request: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct EnrolResponse {
    pub office: OfficeView,
    /// The office's new certificate, PEM.
    pub certificate: String,
    /// The operator's authority, PEM: what the office trusts from now on.
    pub authority: String,
}

/// An office in the directory (事業所検索).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct OfficeView {
    pub number: String,
    pub name: String,
    pub kinds: Vec<String>,
    pub prefecture: u8,
    pub active: bool,
    /// The current certificate (PEM) to encrypt parcels to, if it has one.
    pub certificate: Option<String>,
    pub certificate_not_after: Option<i64>,
}

impl OfficeView {
    pub fn new(office: Office, certificate: Option<CertificateRecord>) -> Self {
        Self {
            number: office.number,
            name: office.name,
            kinds: office.kinds,
            prefecture: office.prefecture,
            active: office.active,
            certificate_not_after: certificate.as_ref().map(|c| c.not_after),
            certificate: certificate.map(|c| c.pem),
        }
    }
}

/// A parcel's record as its sender or recipient sees it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct ParcelView {
    pub id: String,
    pub sender: String,
    pub recipient: String,
    pub client_parcel_id: String,
    pub payload_sha256: String,
    pub size: u64,
    /// `accepted`, `downloaded`, `acknowledged`, `rejected`, `not_delivered` or `purged`.
    pub state: String,
    /// 受付済・到達・取込済・取込不可・未達通知済・保存期間満了.
    pub state_ja: String,
    pub accepted: i64,
    /// Where the acceptance stands in the audit log; inboxes page by it.
    pub log_index: u64,
    pub downloaded: Option<i64>,
    pub acknowledged: Option<i64>,
    /// Why the recipient could not take it in, when it is `rejected` (取込不可).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_reason: Option<String>,
}

/// The reason in a stored rejection: the recipient's signed statement, checked when kept.
fn rejected_reason(parcel: &ParcelRecord) -> Option<String> {
    let (signed, _pem): (renkei_seal::receipt::Signed, String) =
        serde_json::from_str(parcel.rejection.as_deref()?).ok()?;
    let rejection: renkei_seal::receipt::Rejection = serde_json::from_str(&signed.body).ok()?;
    Some(rejection.reason)
}

impl From<&ParcelRecord> for ParcelView {
    fn from(parcel: &ParcelRecord) -> Self {
        Self {
            id: parcel.id.clone(),
            sender: parcel.sender.clone(),
            recipient: parcel.recipient.clone(),
            client_parcel_id: parcel.client_parcel_id.clone(),
            payload_sha256: parcel.payload_sha256.clone(),
            size: parcel.size,
            state: parcel.state.as_str().to_owned(),
            state_ja: parcel.state.name_ja().to_owned(),
            accepted: parcel.accepted,
            log_index: parcel.accepted_index,
            downloaded: parcel.downloaded,
            acknowledged: parcel.acknowledged,
            rejected_reason: rejected_reason(parcel),
        }
    }
}

/// A parcel waiting in an inbox, with what the recipient needs to check it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct InboxItem {
    pub parcel: ParcelView,
    /// The sender's signed manifest, as sent.
    #[schema(value_type = SignedManifestView)]
    pub manifest: renkei_seal::manifest::SignedManifest,
    /// The certificate (PEM) the sender signed with.
    pub sender_certificate: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub name: String,
    pub password: String,
    /// The authenticator's current six-digit code; each code signs in once.
    pub code: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer …`.
    pub token: String,
    pub expires: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeRequest {
    /// 事業所番号 (10 digits).
    pub number: String,
    pub name: String,
    /// サービス種類コード, such as `43` or `11`.
    pub kinds: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeResponse {
    /// Shown once: give it to the office.
    pub code: String,
    pub office: String,
    pub expires: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RevokeRequest {
    /// Only this certificate; all of the office's when absent.
    pub serial: Option<String>,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RevokedView {
    pub serial: String,
    pub fingerprint: String,
    pub revoked: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct VolumeView {
    pub day: String,
    pub parcels: u64,
    pub bytes: u64,
}

impl From<DailyVolume> for VolumeView {
    fn from(volume: DailyVolume) -> Self {
        Self {
            day: volume.day,
            parcels: volume.parcels,
            bytes: volume.bytes,
        }
    }
}

/// A version of a record of the information base, as disclosed.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordView {
    pub kind: crate::base::RecordKind,
    /// Which record of its kind; its versions share it.
    pub key: String,
    pub version: i64,
    /// The record's items.
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
    /// Who wrote this version (`municipality:131045`, `clinic:…`, `office:…`).
    pub author: String,
    pub created: i64,
}

impl From<crate::store::RecordVersion> for RecordView {
    fn from(version: crate::store::RecordVersion) -> Self {
        Self {
            kind: version.kind,
            key: version.key,
            version: version.version,
            body: serde_json::from_str(&version.body).unwrap_or(serde_json::Value::Null),
            author: version.author,
            created: version.created,
        }
    }
}

/// A record an office registers: a plan the person agreed to (`care_plan`) or a draft for
/// them to approve (`draft_plan`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RecordRequest {
    pub kind: crate::base::RecordKind,
    pub key: String,
    #[schema(value_type = Object)]
    pub body: serde_json::Value,
}

/// An office's request to be the person's 担当事業所, as the API answers it: it waits for
/// the person's answer on their own page. The answer is the same whether or not the person
/// is known to the information base.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct RegistrationRequested {
    /// Always `requested`.
    pub state: String,
    /// What to tell the person, in Japanese.
    pub message: String,
}

/// What a municipality's upload kept.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct LoadedView {
    /// The file's kind, as its header named it (`被保険者証`, `要介護認定の申請` …).
    pub kind: String,
    pub lines: usize,
    pub records: usize,
    pub consents: usize,
    /// 被保険者番号 whose consent stands withdrawn: the file's consent for them was not
    /// recorded. The municipality takes it up with the person.
    #[serde(default)]
    pub withdrawn: Vec<String>,
}

/// An opinion (主治医意見書) a municipality asked of the calling clinic.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OpinionRequestView {
    pub insurer: String,
    pub insured: String,
    /// The opinion's record key: the application's.
    pub key: String,
    /// Unix seconds.
    pub requested: i64,
}
