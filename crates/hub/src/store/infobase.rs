//! What the store keeps for the information base (介護情報基盤): every version of every
//! record of an insured person, their consent, their registered offices, and each access.

pub use renkei_infobase::NewRecord;
use renkei_infobase::{Consent, PersonKey, RecordKind};

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

/// An office's request to be the person's 担当事業所, waiting for the person's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationRequest {
    pub office: String,
    pub requested: i64,
}

/// What a line of the access log says was done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccessAction {
    /// The person's records of the line's kind were asked for.
    Read,
    /// 包括同意 recorded as standing, or withdrawn.
    Consent(Consent),
    /// The office (number) asked to be the person's office.
    RegistrationRequested(String),
    /// The office became the person's office.
    Registered(String),
    /// The person declined the office's request.
    RegistrationDeclined(String),
    /// The office's registration was ended.
    RegistrationEnded(String),
}

impl AccessAction {
    pub(crate) fn to_text(&self) -> String {
        match self {
            AccessAction::Read => "read".into(),
            AccessAction::Consent(consent) => format!("consent_{}", consent_text(*consent)),
            AccessAction::RegistrationRequested(o) => format!("registration_requested:{o}"),
            AccessAction::Registered(o) => format!("registered:{o}"),
            AccessAction::RegistrationDeclined(o) => format!("registration_declined:{o}"),
            AccessAction::RegistrationEnded(o) => format!("registration_ended:{o}"),
        }
    }

    pub(crate) fn of_text(text: &str) -> Self {
        let (what, office) = text.split_once(':').unwrap_or((text, ""));
        let office = office.to_owned();
        match what {
            "consent_standing" => AccessAction::Consent(Consent::Standing),
            "consent_withdrawn" => AccessAction::Consent(Consent::Withdrawn),
            "consent_none" => AccessAction::Consent(Consent::None),
            "registration_requested" => AccessAction::RegistrationRequested(office),
            "registered" => AccessAction::Registered(office),
            "registration_declined" => AccessAction::RegistrationDeclined(office),
            "registration_ended" => AccessAction::RegistrationEnded(office),
            _ => AccessAction::Read,
        }
    }
}

/// One request for a person's records, granted or refused, or one change of their consent
/// or offices: the person reads these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Access {
    pub person: PersonKey,
    /// `office:1310000043` …: who asked, or who made the change.
    pub viewer: String,
    pub action: AccessAction,
    /// The kind asked for; [`RecordKind::AccessLog`] on a line that changed something.
    pub kind: RecordKind,
    /// The refusal's code, or `None` when the records were shown.
    pub refusal: Option<String>,
    pub time: i64,
}

pub(crate) fn kind_text(kind: RecordKind) -> &'static str {
    kind.as_str()
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
