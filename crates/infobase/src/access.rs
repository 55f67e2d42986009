//! Who sees what (介護情報基盤の閲覧範囲), checked on every request:
//!
//! - a municipality sees everything of its own insured, nothing of another's;
//! - a care office sees a person only under a standing 包括同意 and only once it is the
//!   person's registered office (担当事業所); care managers (居宅介護支援 43, 介護予防支援
//!   46) then see 証, certification progress and results, 認定調査票, 主治医意見書,
//!   allowances and registered plans; other care offices see 証, allowances and registered
//!   plans, never the certification's working papers;
//! - a clinic sees only the opinions it was asked for or wrote, and never 負担割合証 or
//!   負担限度額認定証 unless it also provides care services (then it is a care office too);
//! - the person sees all of their own records, and every access to them; nobody else's.

use crate::participant::Participant;
use crate::record::{PersonKey, RecordKind};

/// Service kinds whose offices make care plans: their care managers see the certification.
const CARE_MANAGEMENT_KINDS: [&str; 2] = ["43", "46"];

/// The person's consent as the requester finds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consent {
    /// No 包括同意 was ever recorded.
    None,
    /// Recorded at an application and standing.
    Standing,
    /// Withdrawn by the person.
    Withdrawn,
}

/// What the rules need to know of the person and the requester.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub consent: Consent,
    /// The requesting office is the person's registered office (担当事業所), not ended.
    pub registered: bool,
    /// For an opinion: the requesting clinic was asked for it or wrote it.
    pub own_opinion: bool,
}

/// Why a request is refused; each has its own code and a message that says what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "この方の包括同意が記録されていません。市町村に同意の記録を依頼するか、認定申請の際に同意を記録してください / no consent is recorded for this person"
    )]
    NoConsent,
    #[error("この方は同意を撤回しています。閲覧できません / the person withdrew their consent")]
    ConsentWithdrawn,
    #[error(
        "この事業所はこの方の担当事業所として登録されていません。ご本人の確認を受けて登録してください / this office is not the person's registered office"
    )]
    NotRegistered,
    #[error(
        "認定調査票・主治医意見書と認定の経過は、担当のケアマネジャー(居宅介護支援・介護予防支援)だけが閲覧できます / only the person's care manager sees the certification's papers"
    )]
    CareManagersOnly,
    #[error("他の市町村の被保険者です / the person is insured by another municipality")]
    OtherMunicipality,
    #[error(
        "医療機関が閲覧できるのは、依頼を受けた又は作成した主治医意見書だけです / a clinic sees only the opinions it was asked for or wrote"
    )]
    ClinicOpinionsOnly,
    #[error(
        "負担割合証・負担限度額認定証は、介護サービスを提供していない医療機関には開示されません / burden certificates are not disclosed to a clinic without care services"
    )]
    ClinicBurdenCertificates,
    #[error("ご本人以外の記録は閲覧できません / a person sees only their own records")]
    OtherPerson,
    #[error(
        "閲覧の記録はご本人と市町村だけが見られます / only the person and the municipality see the access log"
    )]
    PersonOnly,
    #[error(
        "同意の記録は市町村(または代わりに事業所)が、撤回はご本人か市町村ができます / consent is recorded by the municipality (or an office on its behalf) and withdrawn by the person or the municipality"
    )]
    ConsentNotYours,
    #[error(
        "担当事業所の登録と終了は、ご本人の確認か市町村が行います。事業所だけでは登録できません / an office is registered only with the person's confirmation or by the municipality"
    )]
    RegistrationNotYours,
    #[error(
        "この記録は書き込めません。市町村は自らの被保険者の記録を、医療機関は依頼された主治医意見書を、事業所は担当する方のケアプランを登録できます / you may not write this record"
    )]
    RecordNotYours,
    #[error(
        "この主治医意見書は依頼されていません。市町村からの依頼を確かめてください / no opinion was asked of this clinic"
    )]
    OpinionNotRequested,
    #[error(
        "ご本人(または市町村)が撤回した同意は、事業所からは戻せません。ご本人が市町村の窓口で申し出てください / a withdrawn consent cannot be restored by an office; the person asks the municipality"
    )]
    WithdrawalStands,
    #[error(
        "このケアプランは別の事業所が登録したものです。自事業所のケアプランだけを登録・更新できます / this plan was registered by another office"
    )]
    NotTheAuthor,
    #[error(
        "ケアプランへの同意・不同意は、ご本人がご自分のページで回答します。事業所からは記録できません / only the person records a decision on a draft plan"
    )]
    DecisionIsThePersons,
}

impl Refusal {
    pub const ALL: [Refusal; 16] = [
        Refusal::NoConsent,
        Refusal::ConsentWithdrawn,
        Refusal::NotRegistered,
        Refusal::CareManagersOnly,
        Refusal::OtherMunicipality,
        Refusal::ClinicOpinionsOnly,
        Refusal::ClinicBurdenCertificates,
        Refusal::OtherPerson,
        Refusal::PersonOnly,
        Refusal::ConsentNotYours,
        Refusal::RegistrationNotYours,
        Refusal::RecordNotYours,
        Refusal::OpinionNotRequested,
        Refusal::WithdrawalStands,
        Refusal::NotTheAuthor,
        Refusal::DecisionIsThePersons,
    ];

    pub fn of_code(code: &str) -> Option<Refusal> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Why, in a few words, as the person's access log shows it.
    pub fn short_ja(&self) -> &'static str {
        match self {
            Refusal::NoConsent => "同意の記録がないため",
            Refusal::ConsentWithdrawn => "同意を撤回しているため",
            Refusal::NotRegistered => "担当事業所でないため",
            Refusal::CareManagersOnly => "ケアマネジャーだけが見られる記録のため",
            Refusal::OtherMunicipality => "他の市町村のため",
            Refusal::ClinicOpinionsOnly => "依頼されていない意見書のため",
            Refusal::ClinicBurdenCertificates => "医療機関には開示しない記録のため",
            Refusal::OtherPerson => "ご本人でないため",
            Refusal::PersonOnly => "ご本人と市町村だけが見られるため",
            Refusal::ConsentNotYours => "同意を記録できる立場でないため",
            Refusal::RegistrationNotYours => "登録できる立場でないため",
            Refusal::RecordNotYours => "書き込めない記録のため",
            Refusal::OpinionNotRequested => "依頼されていない意見書のため",
            Refusal::WithdrawalStands => "撤回された同意は事業所から戻せないため",
            Refusal::NotTheAuthor => "別の事業所の記録のため",
            Refusal::DecisionIsThePersons => "同意の回答はご本人だけができるため",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NoConsent => "consent_required",
            Refusal::ConsentWithdrawn => "consent_withdrawn",
            Refusal::NotRegistered => "office_not_registered",
            Refusal::CareManagersOnly => "care_managers_only",
            Refusal::OtherMunicipality => "other_municipality",
            Refusal::ClinicOpinionsOnly => "clinic_opinions_only",
            Refusal::ClinicBurdenCertificates => "clinic_burden_certificates",
            Refusal::OtherPerson => "other_person",
            Refusal::PersonOnly => "person_only",
            Refusal::ConsentNotYours => "consent_not_yours",
            Refusal::RegistrationNotYours => "registration_not_yours",
            Refusal::RecordNotYours => "record_not_yours",
            Refusal::OpinionNotRequested => "opinion_not_requested",
            Refusal::WithdrawalStands => "consent_withdrawal_stands",
            Refusal::NotTheAuthor => "record_not_authored",
            Refusal::DecisionIsThePersons => "decision_is_the_persons",
        }
    }
}

/// May `by` record `consent` for `person`? A municipality for its own insured; an office on
/// the municipality's behalf, at an application, may record it standing; the person and the
/// municipality may withdraw it.
pub fn may_set_consent(
    by: &Participant,
    person: &PersonKey,
    consent: Consent,
) -> Result<(), Refusal> {
    match (by, consent) {
        (Participant::Municipality { insurer }, _) if *insurer != person.insurer => {
            Err(Refusal::OtherMunicipality)
        }
        (Participant::Municipality { .. }, _) => Ok(()),
        (Participant::Person(me), Consent::Withdrawn) if me == person => Ok(()),
        (Participant::Person(me), _) if me != person => Err(Refusal::OtherPerson),
        (Participant::Office { .. }, Consent::Standing) => Ok(()),
        _ => Err(Refusal::ConsentNotYours),
    }
}

/// May `by` register (or end) an office as the person's? The person, confirming with their
/// own sign-in, or their municipality; never the office alone.
pub fn may_register(by: &Participant, person: &PersonKey) -> Result<(), Refusal> {
    match by {
        Participant::Person(me) if me == person => Ok(()),
        Participant::Person(_) => Err(Refusal::OtherPerson),
        Participant::Municipality { insurer } if *insurer == person.insurer => Ok(()),
        Participant::Municipality { .. } => Err(Refusal::OtherMunicipality),
        _ => Err(Refusal::RegistrationNotYours),
    }
}

/// May `viewer` see `person`'s records of `kind`, as things stand?
pub fn decide(
    viewer: &Participant,
    person: &PersonKey,
    kind: RecordKind,
    standing: Standing,
) -> Result<(), Refusal> {
    match viewer {
        Participant::Person(me) => (me == person).then_some(()).ok_or(Refusal::OtherPerson),
        Participant::Municipality { insurer } => (*insurer == person.insurer)
            .then_some(())
            .ok_or(Refusal::OtherMunicipality),
        Participant::Clinic { care_kinds, .. } => {
            if kind == RecordKind::Opinion {
                return standing
                    .own_opinion
                    .then_some(())
                    .ok_or(Refusal::ClinicOpinionsOnly);
            }
            if care_kinds.is_empty() {
                return Err(if kind.is_burden_certificate() {
                    Refusal::ClinicBurdenCertificates
                } else {
                    Refusal::ClinicOpinionsOnly
                });
            }
            // A clinic that also provides care is a care office for everything else.
            office(care_kinds, kind, standing)
        }
        Participant::Office { kinds, .. } => office(kinds, kind, standing),
    }
}

fn office(kinds: &[String], kind: RecordKind, standing: Standing) -> Result<(), Refusal> {
    match standing.consent {
        Consent::None => return Err(Refusal::NoConsent),
        Consent::Withdrawn => return Err(Refusal::ConsentWithdrawn),
        Consent::Standing => {}
    }
    if !standing.registered {
        return Err(Refusal::NotRegistered);
    }
    let care_manager = kinds
        .iter()
        .any(|k| CARE_MANAGEMENT_KINDS.contains(&k.as_str()));
    match kind {
        RecordKind::InsuranceCard
        | RecordKind::BurdenRatio
        | RecordKind::BurdenLimit
        | RecordKind::HousingReform
        | RecordKind::EquipmentPurchase
        | RecordKind::CarePlan
        | RecordKind::DraftPlan => Ok(()),
        RecordKind::Application | RecordKind::Survey | RecordKind::Opinion | RecordKind::Result => {
            care_manager.then_some(()).ok_or(Refusal::CareManagersOnly)
        }
        RecordKind::AccessLog => Err(Refusal::PersonOnly),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> PersonKey {
        PersonKey::new("131045", "0000012345")
    }

    const STANDING: Standing = Standing {
        consent: Consent::Standing,
        registered: true,
        own_opinion: false,
    };

    fn care_manager() -> Participant {
        Participant::Office {
            number: "1310000043".into(),
            kinds: vec!["43".into()],
        }
    }

    fn home_help() -> Participant {
        Participant::Office {
            number: "1310000011".into(),
            kinds: vec!["11".into()],
        }
    }

    fn clinic(care_kinds: &[&str]) -> Participant {
        Participant::Clinic {
            number: "1310100001".into(),
            care_kinds: care_kinds.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    #[test]
    fn the_municipality_sees_its_own_insured_only() {
        let own = Participant::Municipality {
            insurer: "131045".into(),
        };
        let other = Participant::Municipality {
            insurer: "132019".into(),
        };
        let nothing = Standing {
            consent: Consent::None,
            registered: false,
            own_opinion: false,
        };
        for kind in RecordKind::ALL {
            assert_eq!(decide(&own, &person(), kind, nothing), Ok(()), "{kind:?}");
            assert_eq!(
                decide(&other, &person(), kind, STANDING),
                Err(Refusal::OtherMunicipality)
            );
        }
    }

    #[test]
    fn an_office_needs_a_standing_consent_and_its_registration() {
        for viewer in [care_manager(), home_help()] {
            let none = Standing {
                consent: Consent::None,
                ..STANDING
            };
            let withdrawn = Standing {
                consent: Consent::Withdrawn,
                ..STANDING
            };
            let unregistered = Standing {
                registered: false,
                ..STANDING
            };
            for kind in [RecordKind::InsuranceCard, RecordKind::CarePlan] {
                assert_eq!(
                    decide(&viewer, &person(), kind, none),
                    Err(Refusal::NoConsent)
                );
                assert_eq!(
                    decide(&viewer, &person(), kind, withdrawn),
                    Err(Refusal::ConsentWithdrawn)
                );
                assert_eq!(
                    decide(&viewer, &person(), kind, unregistered),
                    Err(Refusal::NotRegistered)
                );
                assert_eq!(decide(&viewer, &person(), kind, STANDING), Ok(()));
            }
        }
    }

    #[test]
    fn only_care_managers_see_the_certifications_papers() {
        for kind in [
            RecordKind::Survey,
            RecordKind::Opinion,
            RecordKind::Application,
            RecordKind::Result,
        ] {
            assert_eq!(
                decide(&care_manager(), &person(), kind, STANDING),
                Ok(()),
                "{kind:?}"
            );
            assert_eq!(
                decide(&home_help(), &person(), kind, STANDING),
                Err(Refusal::CareManagersOnly),
                "{kind:?}"
            );
        }
        for kind in [
            RecordKind::InsuranceCard,
            RecordKind::BurdenRatio,
            RecordKind::BurdenLimit,
            RecordKind::HousingReform,
            RecordKind::EquipmentPurchase,
            RecordKind::CarePlan,
        ] {
            assert_eq!(
                decide(&home_help(), &person(), kind, STANDING),
                Ok(()),
                "{kind:?}"
            );
        }
        assert_eq!(
            decide(&care_manager(), &person(), RecordKind::AccessLog, STANDING),
            Err(Refusal::PersonOnly)
        );
    }

    #[test]
    fn a_clinic_sees_its_own_opinions_and_no_burden_certificates() {
        let asked = Standing {
            own_opinion: true,
            ..STANDING
        };
        assert_eq!(
            decide(&clinic(&[]), &person(), RecordKind::Opinion, asked),
            Ok(())
        );
        assert_eq!(
            decide(&clinic(&[]), &person(), RecordKind::Opinion, STANDING),
            Err(Refusal::ClinicOpinionsOnly)
        );
        for kind in [RecordKind::BurdenRatio, RecordKind::BurdenLimit] {
            assert_eq!(
                decide(&clinic(&[]), &person(), kind, STANDING),
                Err(Refusal::ClinicBurdenCertificates)
            );
            // A clinic that also runs 訪問看護 (13) is a care office for these.
            assert_eq!(decide(&clinic(&["13"]), &person(), kind, STANDING), Ok(()));
            let unregistered = Standing {
                registered: false,
                ..STANDING
            };
            assert_eq!(
                decide(&clinic(&["13"]), &person(), kind, unregistered),
                Err(Refusal::NotRegistered)
            );
        }
        for kind in [
            RecordKind::InsuranceCard,
            RecordKind::Survey,
            RecordKind::CarePlan,
        ] {
            assert_eq!(
                decide(&clinic(&[]), &person(), kind, STANDING),
                Err(Refusal::ClinicOpinionsOnly)
            );
        }
    }

    #[test]
    fn a_person_sees_all_of_their_own_and_nobody_elses() {
        let me = Participant::Person(person());
        let nothing = Standing {
            consent: Consent::Withdrawn,
            registered: false,
            own_opinion: false,
        };
        for kind in RecordKind::ALL {
            assert_eq!(decide(&me, &person(), kind, nothing), Ok(()));
            let neighbour = PersonKey::new("131045", "0000054321");
            assert_eq!(
                decide(&me, &neighbour, kind, nothing),
                Err(Refusal::OtherPerson)
            );
        }
    }

    #[test]
    fn every_refusal_has_its_own_code_and_reads_back_from_it() {
        let codes: std::collections::BTreeSet<&str> =
            Refusal::ALL.iter().map(Refusal::code).collect();
        assert_eq!(codes.len(), Refusal::ALL.len());
        for refusal in Refusal::ALL {
            assert_eq!(Refusal::of_code(refusal.code()), Some(refusal));
            assert!(!refusal.short_ja().is_empty());
        }
        assert_eq!(Refusal::of_code("no_such_code"), None);
    }
}
