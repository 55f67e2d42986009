//! Every refusal the relay answers with: a stable code that clients match on, and a
//! message (Japanese / English) that says what is wrong and what to do.

use renkei_infobase::Refusal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Every refusal: a stable code to match on, and a message (Japanese / English) saying
/// what is wrong and what to do.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: ProblemCode,
    pub message: String,
    pub status: u16,
}

/// Declares the codes once: the enum, its text on the wire, and the list of all of them.
macro_rules! problem_codes {
    ($($name:ident = $text:literal,)*) => {
        /// A refusal's stable code. A code this build does not know (a newer relay's) is
        /// kept as [`ProblemCode::Unrecognised`] rather than lost.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum ProblemCode {
            $($name,)*
            Unrecognised(String),
        }

        impl ProblemCode {
            /// Every code this build knows.
            pub const KNOWN: &[ProblemCode] = &[$(ProblemCode::$name,)*];

            /// The code as it travels (`recipient_unknown` …).
            pub fn as_str(&self) -> &str {
                match self {
                    $(ProblemCode::$name => $text,)*
                    ProblemCode::Unrecognised(text) => text,
                }
            }

            /// The code a text names; an unknown text is kept as it is.
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => ProblemCode::$name,)*
                    other => ProblemCode::Unrecognised(other.to_owned()),
                }
            }
        }
    };
}

problem_codes! {
    // Who is calling.
    CertificateRequired = "certificate_required",
    CertificateUnknown = "certificate_unknown",
    CertificateExpired = "certificate_expired",
    CertificateNotYetValid = "certificate_not_yet_valid",
    CertificateRevoked = "certificate_revoked",
    OfficeInactive = "office_inactive",
    // What a parcel says of itself.
    ManifestInvalid = "manifest_invalid",
    ManifestSignatureInvalid = "manifest_signature_invalid",
    SenderMismatch = "sender_mismatch",
    RecipientUnknown = "recipient_unknown",
    RecipientInactive = "recipient_inactive",
    KindNotReceivable = "kind_not_receivable",
    KindNotSendable = "kind_not_sendable",
    FileSenderMismatch = "file_sender_mismatch",
    FileRecipientMismatch = "file_recipient_mismatch",
    KindMismatch = "kind_mismatch",
    DigestMismatch = "digest_mismatch",
    ParcelTooLarge = "parcel_too_large",
    ParcelIdReused = "parcel_id_reused",
    PayloadNotAddressed = "payload_not_addressed",
    // A parcel's life.
    ParcelNotFound = "parcel_not_found",
    ParcelNotYours = "parcel_not_yours",
    ParcelWrongState = "parcel_wrong_state",
    AcknowledgementInvalid = "acknowledgement_invalid",
    // Limits.
    BadRequest = "bad_request",
    BodyIncomplete = "body_incomplete",
    QuotaExceeded = "quota_exceeded",
    TooManyWaiting = "too_many_waiting",
    // Enrolment.
    EnrolmentCodeUnknown = "enrolment_code_unknown",
    EnrolmentCodeUsed = "enrolment_code_used",
    EnrolmentCodeExpired = "enrolment_code_expired",
    EnrolmentOfficeMismatch = "enrolment_office_mismatch",
    OfficeNotFound = "office_not_found",
    // The audit log.
    LogSizeUnknown = "log_size_unknown",
    // Signing in.
    LoginFailed = "login_failed",
    LoginRequired = "login_required",
    SignInFailed = "sign_in_failed",
    SignInLocked = "sign_in_locked",
    SignInBusy = "sign_in_busy",
    ActivationFailed = "activation_failed",
    // The information base (each refusal of `renkei_infobase::Refusal`).
    ConsentRequired = "consent_required",
    ConsentWithdrawn = "consent_withdrawn",
    OfficeNotRegistered = "office_not_registered",
    CareManagersOnly = "care_managers_only",
    OtherMunicipality = "other_municipality",
    ClinicOpinionsOnly = "clinic_opinions_only",
    ClinicBurdenCertificates = "clinic_burden_certificates",
    OtherPerson = "other_person",
    PersonOnly = "person_only",
    ConsentNotYours = "consent_not_yours",
    RegistrationNotYours = "registration_not_yours",
    RecordNotYours = "record_not_yours",
    OpinionNotRequested = "opinion_not_requested",
    ConsentWithdrawalStands = "consent_withdrawal_stands",
    RecordNotAuthored = "record_not_authored",
    DecisionIsThePersons = "decision_is_the_persons",
    UploadInvalid = "upload_invalid",
    // The relay itself.
    NotFound = "not_found",
    Internal = "internal",
    Crypto = "crypto",
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for ProblemCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for ProblemCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProblemCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(ProblemCode::parse(&text))
    }
}

impl From<Refusal> for ProblemCode {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NoConsent => ProblemCode::ConsentRequired,
            Refusal::ConsentWithdrawn => ProblemCode::ConsentWithdrawn,
            Refusal::NotRegistered => ProblemCode::OfficeNotRegistered,
            Refusal::CareManagersOnly => ProblemCode::CareManagersOnly,
            Refusal::OtherMunicipality => ProblemCode::OtherMunicipality,
            Refusal::ClinicOpinionsOnly => ProblemCode::ClinicOpinionsOnly,
            Refusal::ClinicBurdenCertificates => ProblemCode::ClinicBurdenCertificates,
            Refusal::OtherPerson => ProblemCode::OtherPerson,
            Refusal::PersonOnly => ProblemCode::PersonOnly,
            Refusal::ConsentNotYours => ProblemCode::ConsentNotYours,
            Refusal::RegistrationNotYours => ProblemCode::RegistrationNotYours,
            Refusal::RecordNotYours => ProblemCode::RecordNotYours,
            Refusal::OpinionNotRequested => ProblemCode::OpinionNotRequested,
            Refusal::WithdrawalStands => ProblemCode::ConsentWithdrawalStands,
            Refusal::NotTheAuthor => ProblemCode::RecordNotAuthored,
            Refusal::DecisionIsThePersons => ProblemCode::DecisionIsThePersons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_itself() {
        for code in ProblemCode::KNOWN {
            assert_eq!(&ProblemCode::parse(code.as_str()), code);
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(&serde_json::from_str::<ProblemCode>(&json).unwrap(), code);
        }
        assert_eq!(
            ProblemCode::parse("a_newer_code"),
            ProblemCode::Unrecognised("a_newer_code".into())
        );
    }

    #[test]
    fn a_refusal_travels_under_the_name_the_access_log_keeps() {
        for refusal in Refusal::ALL {
            assert_eq!(ProblemCode::from(refusal).as_str(), refusal.code());
        }
    }
}
