//! What the store keeps about offices: who they are, their certificates (with revocation),
//! the one-time codes that enrol them, and the operators who issue those codes.

/// An enrolled office, as the directory (事業所検索) shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Office {
    /// 介護保険事業所番号.
    pub number: String,
    pub name: String,
    /// サービス種類コード.
    pub kinds: Vec<String>,
    /// 都道府県番号: the first two digits of the office number.
    pub prefecture: u8,
    /// An operator may stop an office without revoking its certificates.
    pub active: bool,
    pub enrolled: i64,
    /// CSVバージョン values the office's care software reads, as it declared them.
    pub csv_reads: Vec<String>,
    /// CSVバージョン values it writes.
    pub csv_writes: Vec<String>,
}

impl Office {
    /// Whom the certificate speaks for under the information base's rules.
    pub fn participant(&self) -> renkei_infobase::Participant {
        renkei_infobase::Participant::enrolled(&self.number, &self.kinds)
    }

    /// Whether the office plans care (居宅介護支援 43, 介護予防支援 46).
    pub fn is_planner(&self) -> bool {
        self.kinds.iter().any(|k| k == "43" || k == "46")
    }
}

/// A certificate the authority issued to an office.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRecord {
    /// SHA-256 of the DER, hex: how a TLS client certificate is looked up.
    pub fingerprint: String,
    pub serial: String,
    pub office: String,
    pub pem: String,
    pub not_before: i64,
    pub not_after: i64,
    pub issued: i64,
    pub revoked: Option<i64>,
    pub revocation_reason: Option<String>,
}

impl CertificateRecord {
    /// Usable at `time`: within its validity and not revoked.
    pub fn is_current(&self, time: i64) -> bool {
        self.revoked.is_none() && self.not_before <= time && time < self.not_after
    }
}

/// A one-time enrolment code as the operator issued it. The code itself is shown once
/// and only its digest is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolmentCode {
    pub code_sha256: String,
    /// The office the code enrols, with the name and kinds its certificate will carry.
    pub office: String,
    pub name: String,
    pub kinds: Vec<String>,
    pub created: i64,
    pub expires: i64,
    pub used: Option<i64>,
}

/// A directory search: every field given must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OfficeQuery {
    /// Office numbers starting with this.
    pub number: Option<String>,
    /// Part of the name.
    pub name: Option<String>,
    /// One サービス種類コード.
    pub kind: Option<String>,
    pub prefecture: Option<u8>,
    pub limit: usize,
}

/// LIKE patterns of a query's number prefix, name part and kind, with the user's `%`, `_`
/// and `\` escaped so they match themselves (`ESCAPE '\'`). The same on every store.
pub(crate) struct LikePatterns {
    pub number: Option<String>,
    pub name: Option<String>,
    /// Matched against `',' || kinds || ','`.
    pub kind: Option<String>,
}

impl OfficeQuery {
    pub(crate) fn like_patterns(&self) -> LikePatterns {
        let escape = |s: &str| {
            s.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        };
        LikePatterns {
            number: self.number.as_deref().map(|n| format!("{}%", escape(n))),
            name: self.name.as_deref().map(|n| format!("%{}%", escape(n))),
            kind: self.kind.as_deref().map(|k| format!("%,{},%", escape(k))),
        }
    }
}

/// Parcels and bytes accepted on one day (the date in Japan, `YYYY-MM-DD`: the offices'
/// working day, not UTC's, which would split a Japanese morning across two dates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyVolume {
    pub day: String,
    pub parcels: u64,
    pub bytes: u64,
}

pub(crate) fn join_kinds(kinds: &[String]) -> String {
    kinds.join(",")
}

pub(crate) fn split_kinds(kinds: &str) -> Vec<String> {
    kinds
        .split(',')
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}
