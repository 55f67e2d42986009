//! What the store keeps for the information base (介護情報基盤): every version of every
//! record of an insured person, their consent, their registered offices, and each access.

use crate::base::{Consent, PersonKey, RecordKind};

/// A record version to keep; the store gives it the next version number of its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRecord {
    pub person: PersonKey,
    pub kind: RecordKind,
    /// Which record of its kind (an application's date, a plan's date …): versions share it.
    pub key: String,
    /// The record's items, JSON.
    pub body: String,
    /// Who wrote it: `municipality:131045`, `clinic:1310100001`, `office:1310000043`.
    pub author: String,
    pub time: i64,
}

/// A kept version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordVersion {
    pub id: i64,
    pub person: PersonKey,
    pub kind: RecordKind,
    pub key: String,
    /// 1 for the first version of its record.
    pub version: i64,
    pub body: String,
    pub author: String,
    pub created: i64,
}

/// An office registered as the person's 担当事業所.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub office: String,
    /// `person` (the person confirmed at the office) or `municipality`.
    pub confirmed_by: String,
    pub registered: i64,
    /// When the person (or the municipality) ended it.
    pub ended: Option<i64>,
}

/// One request for a person's records, granted or refused: the person reads these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Access {
    pub person: PersonKey,
    /// `office:1310000043` …
    pub viewer: String,
    pub kind: RecordKind,
    /// The refusal's code, or `None` when the records were shown.
    pub refusal: Option<String>,
    pub time: i64,
}

pub(crate) fn kind_text(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::InsuranceCard => "insurance_card",
        RecordKind::BurdenRatio => "burden_ratio",
        RecordKind::BurdenLimit => "burden_limit",
        RecordKind::Application => "application",
        RecordKind::Survey => "survey",
        RecordKind::Opinion => "opinion",
        RecordKind::Result => "result",
        RecordKind::HousingReform => "housing_reform",
        RecordKind::EquipmentPurchase => "equipment_purchase",
        RecordKind::CarePlan => "care_plan",
        RecordKind::DraftPlan => "draft_plan",
        RecordKind::AccessLog => "access_log",
    }
}

pub(crate) fn kind_of(text: &str) -> Option<RecordKind> {
    RecordKind::ALL.into_iter().find(|k| kind_text(*k) == text)
}

pub(crate) fn consent_text(consent: Consent) -> &'static str {
    match consent {
        Consent::None => "none",
        Consent::Standing => "standing",
        Consent::Withdrawn => "withdrawn",
    }
}

pub(crate) fn consent_of(text: &str) -> Consent {
    match text {
        "standing" => Consent::Standing,
        "withdrawn" => Consent::Withdrawn,
        _ => Consent::None,
    }
}
