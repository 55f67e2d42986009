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

/// The most people one overview request may name: a month of a large care office.
pub const OVERVIEW_MAX_PEOPLE: usize = 2000;

/// A person asked about, by 保険者番号 and 被保険者番号.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRef {
    pub insurer: String,
    pub insured: String,
}

/// Many people's records of a few kinds in one request: a care office's list of the month's
/// people. Each person's each kind is decided and logged as if asked alone.
///
/// At most 2,000 people and 12 kinds; more is refused whole (400). The bounds are said here
/// rather than as `maxItems`, whose boundary cases (2,001 objects) only exhaust a fuzzer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverviewRequest {
    /// At most 2,000.
    pub people: Vec<PersonRef>,
    /// At most 12.
    pub kinds: Vec<RecordKind>,
}

/// One kind of one person: the records, or why not.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindAnswer {
    pub kind: RecordKind,
    #[serde(default)]
    pub records: Vec<RecordView>,
    /// The refusal, as the single request would have answered it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<crate::Problem>,
}

/// One person of an overview, the kinds in the order asked.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonOverview {
    pub insurer: String,
    pub insured: String,
    pub kinds: Vec<KindAnswer>,
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
