//! What offices and the relay say about parcels, enrolment and the directory.

use serde::{Deserialize, Serialize};

/// A signed JSON object as it travels (`seal::receipt::Signed`): the object's exact bytes
/// and the signature over them. Only its shape is described here; `seal` keeps the type.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedView {
    /// The signed object's JSON, as a string (its exact bytes).
    pub body: String,
    /// ECDSA-SHA256 (DER), base64.
    pub signature: String,
}

/// The proof that the audit log of `first` entries is a prefix of the log of `second`
/// (RFC 9162 §2.1.4): between two checkpoints the log only grew, nothing was rewritten.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsistencyView {
    pub first: u64,
    pub second: u64,
    /// The hashes of the proof, hex, in the RFC's order (empty when the sizes are equal).
    pub proof: Vec<String>,
}

/// A receipt as the relay gives it (`seal::receipt::SignedReceipt`): signed by the hub,
/// with the hub's certificate; it verifies offline against the operator's authority.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedReceiptView {
    pub receipt: SignedView,
    /// The hub's certificate, PEM.
    pub hub_certificate: String,
}

/// A signed manifest (`seal::manifest::SignedManifest`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedManifestView {
    /// The manifest's JSON, base64.
    pub manifest: String,
    /// ECDSA-SHA256 (DER), base64.
    pub signature: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolRequest {
    /// The one-time code from the operator (`ABCD-EFGH-JKMN-PQRS`).
    pub code: String,
    /// The office's certificate request, PEM, naming its 事業所番号.
    pub request: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    pub office: OfficeView,
    /// The office's new certificate, PEM.
    pub certificate: String,
    /// The operator's authority, PEM: what the office trusts from now on.
    pub authority: String,
}

/// An office in the directory (事業所検索).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficeView {
    pub number: String,
    pub name: String,
    pub kinds: Vec<String>,
    pub prefecture: u8,
    pub active: bool,
    /// The current certificate (PEM) to encrypt parcels to, if it has one.
    pub certificate: Option<String>,
    pub certificate_not_after: Option<i64>,
    /// The versions of the standard the office's care software reads and writes; empty
    /// lists when the office has not said.
    #[serde(default)]
    pub csv: CsvVersions,
}

/// Which CSVバージョン values (`202407` for V4.1, `202208` for V3) an office's care software
/// reads and writes, as the office declares them: a sender converts V3 for a partner that
/// reads only V4.1, and a planner sees which partners are ready for what.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CsvVersions {
    /// Values the care software imports.
    #[cfg_attr(feature = "openapi", schema(max_items = 2))]
    pub reads: Vec<CsvVersionValue>,
    /// Values the care software exports.
    #[cfg_attr(feature = "openapi", schema(max_items = 2))]
    pub writes: Vec<CsvVersionValue>,
}

/// A CSVバージョン value an office may declare.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CsvVersionValue {
    /// V3 (3.0 to 3.2).
    #[serde(rename = "202208")]
    V3,
    /// V4.1, the current version.
    #[serde(rename = "202407")]
    V4_1,
}

impl CsvVersionValue {
    pub const ALL: [CsvVersionValue; 2] = [CsvVersionValue::V4_1, CsvVersionValue::V3];

    /// The value as the standard writes it in a record's first item.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V3 => "202208",
            Self::V4_1 => "202407",
        }
    }

    /// The name people use for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::V3 => "V3",
            Self::V4_1 => "V4.1",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|v| text.trim() == v.as_str() || text.trim().eq_ignore_ascii_case(v.label()))
    }
}

impl CsvVersions {
    /// Each value once, V4.1 first: two declarations that say the same are equal.
    pub fn normalised(&self) -> Self {
        let keep = |values: &[CsvVersionValue]| {
            CsvVersionValue::ALL
                .into_iter()
                .filter(|v| values.contains(v))
                .collect()
        };
        Self {
            reads: keep(&self.reads),
            writes: keep(&self.writes),
        }
    }

    /// Whether the office has said anything.
    pub fn is_declared(&self) -> bool {
        !self.reads.is_empty() || !self.writes.is_empty()
    }

    /// Whether files of `value` would have to be converted for this office to read them:
    /// it said what it reads, and that is not among it.
    pub fn cannot_read(&self, value: CsvVersionValue) -> bool {
        !self.reads.is_empty() && !self.reads.contains(&value)
    }

    /// `取込 V4.1・V3 ／ 出力 V4.1`, or `未登録` when the office has said nothing.
    pub fn summary_ja(&self) -> String {
        if !self.is_declared() {
            return "未登録".to_owned();
        }
        format!(
            "取込 {} ／ 出力 {}",
            Self::describe(&self.reads),
            Self::describe(&self.writes)
        )
    }

    /// `V4.1・V3`, or `—` when not said.
    pub fn describe(values: &[CsvVersionValue]) -> String {
        if values.is_empty() {
            return "—".to_owned();
        }
        values
            .iter()
            .map(|v| v.label())
            .collect::<Vec<_>>()
            .join("・")
    }
}

/// A parcel's record as its sender or recipient sees it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// A parcel waiting in an inbox, with what the recipient needs to check it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxItem {
    pub parcel: ParcelView,
    /// The sender's signed manifest, as sent.
    #[cfg_attr(feature = "openapi", schema(value_type = SignedManifestView))]
    pub manifest: renkei_seal::manifest::SignedManifest,
    /// The certificate (PEM) the sender signed with.
    pub sender_certificate: String,
}
