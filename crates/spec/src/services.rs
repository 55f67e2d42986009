//! Service kinds (サービス種類) and codes: which kinds the standard links (§9), their names,
//! and the 令和6年度 service-code table for the home-care kinds (`data/README.md`).

use std::sync::OnceLock;

use crate::ids::ServiceKind;

/// Whether the standard exchanges records of a service kind (連携対象).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Yes,
    /// The kind exists but is not linked (施設, 住宅改修 …): records of it must not be sent.
    No,
    /// The reference could not read the mark (総合事業 A7, A8); taken as linked, warned at most.
    Unsure,
}

struct KindInfo {
    code: &'static str,
    name: &'static str,
    target: Target,
}

const fn k(code: &'static str, name: &'static str, target: Target) -> KindInfo {
    KindInfo { code, name, target }
}

const KINDS: &[KindInfo] = &[
    k("11", "訪問介護", Target::Yes),
    k("12", "訪問入浴介護", Target::Yes),
    k("13", "訪問看護", Target::Yes),
    k("14", "訪問リハビリテーション", Target::Yes),
    k("15", "通所介護", Target::Yes),
    k("16", "通所リハビリテーション", Target::Yes),
    k("17", "福祉用具貸与", Target::Yes),
    k("21", "短期入所生活介護", Target::Yes),
    k("22", "短期入所療養介護（老健）", Target::Yes),
    k("23", "短期入所療養介護（療養型医療施設等）", Target::Yes),
    k("2A", "短期入所療養介護（介護医療院）", Target::Yes),
    k("31", "居宅療養管理指導", Target::Yes),
    k("71", "夜間対応型訪問介護", Target::Yes),
    k("76", "定期巡回・随時対応型訪問介護看護", Target::Yes),
    k("72", "認知症対応型通所介護", Target::Yes),
    k("78", "地域密着型通所介護", Target::Yes),
    k("73", "小規模多機能型居宅介護", Target::Yes),
    k("68", "小規模多機能型居宅介護（短期利用）", Target::Yes),
    k("77", "看護小規模多機能型居宅介護", Target::Yes),
    k("79", "看護小規模多機能型居宅介護（短期利用）", Target::Yes),
    k("27", "特定施設入居者生活介護（短期利用）", Target::Yes),
    k(
        "28",
        "地域密着型特定施設入居者生活介護（短期利用）",
        Target::Yes,
    ),
    k("38", "認知症対応型共同生活介護（短期利用）", Target::Yes),
    k("33", "特定施設入居者生活介護", Target::No),
    k("36", "地域密着型特定施設入居者生活介護", Target::No),
    k("32", "認知症対応型共同生活介護", Target::No),
    k("41", "特定福祉用具販売", Target::No),
    k("42", "住宅改修", Target::No),
    k("51", "介護福祉施設サービス", Target::No),
    k("52", "介護保健施設サービス", Target::No),
    k("53", "介護療養施設サービス", Target::No),
    k("54", "地域密着型介護老人福祉施設入所者生活介護", Target::No),
    k("59", "特定介護サービス等", Target::No),
    k("81", "市町村特別給付", Target::No),
    k("43", "居宅介護支援", Target::No),
    k("46", "介護予防支援", Target::No),
    k("62", "介護予防訪問入浴介護", Target::Yes),
    k("63", "介護予防訪問看護", Target::Yes),
    k("64", "介護予防訪問リハビリテーション", Target::Yes),
    k("66", "介護予防通所リハビリテーション", Target::Yes),
    k("67", "介護予防福祉用具貸与", Target::Yes),
    k("24", "介護予防短期入所生活介護", Target::Yes),
    k("25", "介護予防短期入所療養介護（老健）", Target::Yes),
    k(
        "26",
        "介護予防短期入所療養介護（療養型医療施設等）",
        Target::Yes,
    ),
    k("2B", "介護予防短期入所療養介護（介護医療院）", Target::Yes),
    k("34", "介護予防居宅療養管理指導", Target::Yes),
    k("74", "介護予防認知症対応型通所介護", Target::Yes),
    k("75", "介護予防小規模多機能型居宅介護", Target::Yes),
    k(
        "69",
        "介護予防小規模多機能型居宅介護（短期利用）",
        Target::Yes,
    ),
    k(
        "39",
        "介護予防認知症対応型共同生活介護（短期利用）",
        Target::Yes,
    ),
    k("35", "介護予防特定施設入居者生活介護", Target::No),
    k("37", "介護予防認知症対応型共同生活介護", Target::No),
    k("44", "特定介護予防福祉用具販売", Target::No),
    k("45", "介護予防住宅改修", Target::No),
    k("A1", "訪問型サービス（みなし）", Target::Yes),
    k("A2", "訪問型サービス（独自）", Target::Yes),
    k("A3", "訪問型サービス（独自／定率）", Target::Yes),
    k("A4", "訪問型サービス（独自／定額）", Target::Yes),
    k("A5", "通所型サービス（みなし）", Target::Yes),
    k("A6", "通所型サービス（独自）", Target::Yes),
    k("A7", "通所型サービス（独自／定率）", Target::Unsure),
    k("A8", "通所型サービス（独自／定額）", Target::Unsure),
];

/// Position of a 2-character kind (digits and capitals) in a 36×36 table.
fn slot(kind: &[u8]) -> Option<usize> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some((b - b'0') as usize),
        b'A'..=b'Z' => Some((b - b'A') as usize + 10),
        _ => None,
    };
    match *kind {
        [a, b] => Some(digit(a)? * 36 + digit(b)?),
        _ => None,
    }
}

/// Kinds are looked up for every 第6表 and 第7表 line: a direct table, not a search.
/// Kinds are taken as bytes too, as the checker reads them from files.
fn info(kind: &[u8]) -> Option<&'static KindInfo> {
    static BY_SLOT: OnceLock<Vec<Option<&'static KindInfo>>> = OnceLock::new();
    let table = BY_SLOT.get_or_init(|| {
        let mut table = vec![None; 36 * 36];
        for info in KINDS {
            if let Some(i) = slot(info.code.as_bytes()) {
                table[i] = Some(info);
            }
        }
        table
    });
    slot(kind).and_then(|i| table[i])
}

/// The Japanese name of a service kind, if the standard lists it.
pub fn kind_name(kind: impl AsRef<[u8]>) -> Option<&'static str> {
    info(kind.as_ref()).map(|i| i.name)
}

/// Whether records of `kind` are exchanged; `None` for a kind the standard does not list.
pub fn target(kind: impl AsRef<[u8]>) -> Option<Target> {
    info(kind.as_ref()).map(|i| i.target)
}

/// Whether `kind` is rental of welfare equipment (福祉用具貸与, 介護予防福祉用具貸与),
/// whose lines carry TAIS or 届出 codes and may carry 明細判別コード.
pub fn is_equipment_rental(kind: impl AsRef<[u8]>) -> bool {
    matches!(kind.as_ref(), b"17" | b"67")
}

/// How a service code is counted (算定単位).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Per {
    Time,
    Day,
    Month,
}

/// 基本 (base), 加算 (addition) or 減算 (reduction).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Calculation {
    Base,
    Addition,
    Reduction,
}

/// One row of the service-code table.
#[derive(Clone, Copy, Debug)]
pub struct ServiceCode {
    pub code: &'static str,
    pub units: u32,
    pub per: Per,
    pub calculation: Calculation,
    pub name: &'static str,
}

impl ServiceCode {
    pub fn kind(&self) -> &'static str {
        &self.code[..2]
    }
}

/// The 令和6年度 service-code table of the home-care kinds.
#[derive(Debug)]
pub struct CodeTable {
    codes: Vec<ServiceCode>,
    /// Every code packed into an integer ([`packed`]), sorted, with its row: the checker
    /// looks up a code for each line of a month, where hashing the text cost more.
    by_code: Vec<(u64, u32)>,
    /// The kinds it covers as packed two bytes, sorted.
    kinds: Vec<u16>,
}

impl CodeTable {
    /// The embedded table, parsed once.
    pub fn get() -> &'static CodeTable {
        static TABLE: OnceLock<CodeTable> = OnceLock::new();
        TABLE.get_or_init(|| CodeTable::parse(include_str!("../data/service-codes-r6.tsv")))
    }

    fn parse(text: &'static str) -> Self {
        let mut codes = Vec::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(code), Some(units), Some(per), Some(calc), Some(name)) = (
                cols.next(),
                cols.next(),
                cols.next(),
                cols.next(),
                cols.next(),
            ) else {
                continue;
            };
            codes.push(ServiceCode {
                code,
                units: units.parse().unwrap_or(0),
                per: match per {
                    "日" => Per::Day,
                    "月" => Per::Month,
                    _ => Per::Time,
                },
                calculation: match calc {
                    "加算" => Calculation::Addition,
                    "減算" => Calculation::Reduction,
                    _ => Calculation::Base,
                },
                name,
            });
        }
        let mut by_code: Vec<(u64, u32)> = codes
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((packed(c.code.as_bytes())?, i as u32)))
            .collect();
        by_code.sort_unstable();
        by_code.dedup_by_key(|(code, _)| *code);
        let mut kinds: Vec<u16> = codes
            .iter()
            .filter_map(|c| packed_kind(c.kind().as_bytes()))
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        Self {
            codes,
            by_code,
            kinds,
        }
    }

    pub fn lookup(&self, code: impl AsRef<[u8]>) -> Option<&ServiceCode> {
        let key = packed(code.as_ref())?;
        let at = self.by_code.binary_search_by_key(&key, |&(c, _)| c).ok()?;
        Some(&self.codes[self.by_code[at].1 as usize])
    }

    /// Whether the table covers `kind`, so that a code of it missing from the table is suspect.
    pub fn covers(&self, kind: impl AsRef<[u8]>) -> bool {
        packed_kind(kind.as_ref()).is_some_and(|kind| self.kinds.binary_search(&kind).is_ok())
    }
}

/// A six-byte code as one integer; `None` for any other length.
fn packed(code: &[u8]) -> Option<u64> {
    let bytes: [u8; 6] = code.try_into().ok()?;
    Some(bytes.iter().fold(0, |acc, &b| acc << 8 | u64::from(b)))
}

fn packed_kind(kind: &[u8]) -> Option<u16> {
    let bytes: [u8; 2] = kind.try_into().ok()?;
    Some(u16::from_be_bytes(bytes))
}

/// A service kind as a typed value, when the code is known to be well formed.
pub fn kind_of_code(code: &str) -> Option<ServiceKind> {
    code.get(..2).and_then(|k| ServiceKind::parse(k).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_answers() {
        let table = CodeTable::get();
        let code = table.lookup("114845").unwrap();
        assert_eq!(
            (code.units, code.per, code.name),
            (163, Per::Time, "身体介護０１")
        );
        assert!(table.covers("17"));
        assert!(!table.covers("78"));
        assert!(table.covers("43") && !table.covers("A2"));
        assert_eq!(target("33"), Some(Target::No));
        assert_eq!(target("78"), Some(Target::Yes));
        assert_eq!(target("A7"), Some(Target::Unsure));
        assert_eq!(target("99"), None);
    }
}
