//! Who takes part in the information base. A certificate from the operator's authority
//! speaks for a municipality, a clinic or a care office; which one is decided here, once,
//! from what the certificate was issued for, so that no other code reads number shapes.

use crate::record::PersonKey;

/// renkei's own mark among a certificate's kinds for a clinic (医療機関) taking part in the
/// information base: not a サービス種類コード, which are digits.
pub const CLINIC_MARK: &str = "CL";

/// Who asks, or who wrote a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Participant {
    /// A municipality (保険者), by 保険者番号.
    Municipality { insurer: String },
    /// A care office, by 事業所番号 and サービス種類コード.
    Office { number: String, kinds: Vec<String> },
    /// A clinic (医療機関); `care_kinds` are the care services it also provides, if any.
    Clinic {
        number: String,
        care_kinds: Vec<String>,
    },
    /// The insured person, signed in themself.
    Person(PersonKey),
}

impl Participant {
    /// Whom an enrolled certificate speaks for: a municipality is enrolled by its
    /// 保険者番号 (6 digits), a clinic with [`CLINIC_MARK`] among its kinds, and anything
    /// else is a care office by its 事業所番号 and サービス種類コード.
    pub fn enrolled(number: &str, kinds: &[String]) -> Self {
        if number.len() == 6 {
            Participant::Municipality {
                insurer: number.to_owned(),
            }
        } else if kinds.iter().any(|k| k == CLINIC_MARK) {
            Participant::Clinic {
                number: number.to_owned(),
                care_kinds: kinds
                    .iter()
                    .filter(|k| *k != CLINIC_MARK)
                    .cloned()
                    .collect(),
            }
        } else {
            Participant::Office {
                number: number.to_owned(),
                kinds: kinds.to_vec(),
            }
        }
    }

    /// Whether it provides care services, and so sends and receives the standard's files:
    /// a care office with a サービス種類コード, or a clinic that also gives care.
    pub fn gives_care(&self) -> bool {
        match self {
            Participant::Office { kinds, .. } => !kinds.is_empty(),
            Participant::Clinic { care_kinds, .. } => !care_kinds.is_empty(),
            Participant::Municipality { .. } | Participant::Person(_) => false,
        }
    }

    /// How the access log names the viewer.
    pub fn label(&self) -> String {
        match self {
            Participant::Municipality { insurer } => municipality_holder(insurer),
            Participant::Office { number, .. } => format!("office:{number}"),
            Participant::Clinic { number, .. } => clinic_holder(number),
            // Which person, so that another person's attempt is told apart in a log.
            Participant::Person(key) => person_holder(key),
        }
    }

    /// The office or clinic number, for registrations.
    pub fn number(&self) -> Option<&str> {
        match self {
            Participant::Office { number, .. } | Participant::Clinic { number, .. } => Some(number),
            _ => None,
        }
    }
}

/// How the sign-in accounts and the access log name a municipality.
pub fn municipality_holder(insurer: &str) -> String {
    format!("municipality:{insurer}")
}

/// How the sign-in accounts and the access log name a clinic.
pub fn clinic_holder(number: &str) -> String {
    format!("clinic:{number}")
}

/// How the sign-in accounts and the access log name a person.
pub fn person_holder(person: &PersonKey) -> String {
    format!("person:{}:{}", person.insurer, person.insured)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enrolled_certificate_speaks_for_one_participant() {
        assert_eq!(
            Participant::enrolled("131045", &[]),
            Participant::Municipality {
                insurer: "131045".into()
            }
        );
        assert_eq!(
            Participant::enrolled("1310100001", &["CL".into(), "13".into()]),
            Participant::Clinic {
                number: "1310100001".into(),
                care_kinds: vec!["13".into()]
            }
        );
        assert_eq!(
            Participant::enrolled("1310000043", &["43".into()]),
            Participant::Office {
                number: "1310000043".into(),
                kinds: vec!["43".into()]
            }
        );
    }
}
