//! What the information base's API (介護情報基盤) takes and gives.

use renkei_infobase::RecordKind;
use serde::{Deserialize, Serialize};

/// A version of a record of the information base, as disclosed.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordView {
    pub kind: RecordKind,
    /// Which record of its kind; its versions share it.
    pub key: String,
    pub version: i64,
    /// The record's items.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub body: serde_json::Value,
    /// Who wrote this version (`municipality:131045`, `clinic:…`, `office:…`).
    pub author: String,
    pub created: i64,
}

/// A record an office registers: a plan the person agreed to (`care_plan`) or a draft for
/// them to approve (`draft_plan`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordRequest {
    pub kind: RecordKind,
    pub key: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub body: serde_json::Value,
}

/// An office's request to be the person's 担当事業所, as the API answers it: it waits for
/// the person's answer on their own page. The answer is the same whether or not the person
/// is known to the information base.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationRequested {
    /// Always `requested`.
    pub state: String,
    /// What to tell the person, in Japanese.
    pub message: String,
}

/// What a municipality's upload kept.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpinionRequestView {
    pub insurer: String,
    pub insured: String,
    /// The opinion's record key: the application's.
    pub key: String,
    /// Unix seconds.
    pub requested: i64,
}
