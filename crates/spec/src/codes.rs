//! Code tables of the standard (§7), as the values that may stand in a column.

pub const SEX: &[&str] = &["1", "2"];
/// 計画書区分: 初回, 紹介, 継続 and their combinations.
pub const PLAN_CLASS: &[&str] = &["11", "12", "21", "51", "52", "53", "54"];
/// 認定状況区分: 申請中, 認定済.
pub const CERT_STATUS: &[&str] = &["1", "2"];
/// 要介護状態区分 in the 居宅 files: 事業対象者, 要支援１・２, 要介護１–５.
pub const CARE_LEVEL: &[&str] = &["06", "12", "13", "21", "22", "23", "24", "25"];
/// 要介護状態区分 in 利用者基本情報, where `01` means 非該当 (not `06`).
pub const CARE_LEVEL_KIHON: &[&str] = &["01", "12", "13", "21", "22", "23", "24", "25"];
/// 要支援状態区分 of the 介護予防 plan: 要支援１, 要支援２, 地域支援事業.
pub const SUPPORT_LEVEL: &[&str] = &["1", "2", "3"];
/// 生活援助中心型の算定理由.
pub const HOUSEWORK_REASON: &[&str] = &["1", "2", "3"];
/// 保険対象区分: Y 対象, N 対象外.
pub const INSURED_SERVICE: &[&str] = &["Y", "N"];
/// 曜日 of 第3表: 1 月 … 7 日.
pub const WEEKDAY: &[&str] = &["1", "2", "3", "4", "5", "6", "7"];
/// ３０日超区分 and the other 該当/非該当 flags.
pub const FLAG_01: &[&str] = &["0", "1"];
/// 有/無, 要/否, 自前/委託 and other two-valued codes written 1 and 2.
pub const ONE_TWO: &[&str] = &["1", "2"];
pub const CONSULT_METHOD: &[&str] = &["01", "02", "03"];
pub const CONSULT_COUNT: &[&str] = &["01", "02"];
pub const CURRENT_STATE: &[&str] = &["01", "02"];
/// 障害高齢者の日常生活自立度.
pub const PHYSICAL_INDEPENDENCE: &[&str] = &["01", "11", "12", "21", "22", "31", "32", "41", "42"];
/// 認知症高齢者の日常生活自立度.
pub const DEMENTIA_INDEPENDENCE: &[&str] = &["01", "02", "03", "04", "05", "06", "07", "08"];
/// 居住形態.
pub const RESIDENCE: &[&str] = &["01", "02", "03", "04", "05", "06", "07", "08"];
/// 経過 of 現病歴・既往歴: 治療中, 経過観察中, その他.
pub const COURSE: &[&str] = &["01", "02", "03"];

/// Service time "no time" (時刻なし).
pub const NO_TIME: &str = "9999";
/// The 全合計 line of 第7表.
pub const GRAND_TOTAL_CODE: &str = "999999";
/// サービス事業所コード of the 全合計 line of 第7表 ("ALL9").
pub const ALL_NINES_OFFICE: &str = "9999999999";

/// Whether a 第7表 サービスコード is a 種類別小計 (kind + `AAAA`, `EEEE` or `ZZZZ`) or the
/// 全合計 (`999999`) rather than a service's line.
pub fn is_sikyu_total(code: &[u8]) -> bool {
    code == GRAND_TOTAL_CODE.as_bytes()
        || (code.len() == 6 && code.is_ascii() && matches!(&code[2..], b"AAAA" | b"EEEE" | b"ZZZZ"))
}
