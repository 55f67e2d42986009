//! What the store keeps for the information base's pages: the organisations that sign in
//! (municipalities and clinics), their staff and the insured persons' accounts, sessions,
//! and the opinions municipalities asked of clinics.

use renkei_infobase::PersonKey;

/// A municipality or clinic known to the information base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    /// `municipality:131045` or `clinic:1310100001`.
    pub holder: String,
    pub name: String,
    /// Care services a clinic also provides (サービス種類コード); empty for most.
    pub kinds: Vec<String>,
    pub created: i64,
}

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountRole {
    /// Manages the organisation's staff accounts as well.
    Admin,
    Staff,
    /// The insured person themself.
    Person,
}

impl AccountRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Staff => "staff",
            Self::Person => "person",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "admin" => Some(Self::Admin),
            "staff" => Some(Self::Staff),
            "person" => Some(Self::Person),
            _ => None,
        }
    }

    pub fn name_ja(self) -> &'static str {
        match self {
            Self::Admin => "管理者",
            Self::Staff => "職員",
            Self::Person => "ご本人",
        }
    }
}

/// One sign-in account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The organisation (`municipality:…`, `clinic:…`) or `person:{insurer}:{insured}`.
    pub holder: String,
    /// The staff member's sign-in name; empty for a person.
    pub name: String,
    pub role: AccountRole,
    /// Argon2id; `None` for a person until they activate.
    pub password_hash: Option<String>,
    /// The second factor's shared secret (base32), for staff.
    pub totp_secret: Option<String>,
    /// A person's one-time activation code (its SHA-256) and until when it works.
    pub activation_sha256: Option<String>,
    pub activation_expires: Option<i64>,
    pub created: i64,
}

/// An opinion a municipality asked of a clinic for one of its insured's applications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpinionRequest {
    /// The clinic's number.
    pub clinic: String,
    pub person: PersonKey,
    /// The opinion record's key (the application's).
    pub key: String,
    pub requested: i64,
}
