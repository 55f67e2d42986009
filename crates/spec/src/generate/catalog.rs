//! What each kind of provider offers in generated data: real codes of the 令和6年度 table
//! where the table has the kind, plausible made-up codes where it does not (78, 介護予防,
//! 総合事業), with the usual days, times and units.

use crate::services::CodeTable;

/// One service a provider delivers: its code and when it usually happens.
#[derive(Clone, Copy, Debug)]
pub struct Offering {
    pub code: &'static str,
    pub name: &'static str,
    /// Units per occurrence (for rentals: the monthly rental in units).
    pub units: u32,
    /// `HHMM` start and end; `None` for services without a time (rentals).
    pub time: Option<(u16, u16)>,
    /// Visits a week (0 for monthly rentals).
    pub per_week: u8,
    /// An addition billed on the same days (入浴介助加算 …).
    pub addition: Option<(&'static str, &'static str, u32)>,
}

const fn o(
    code: &'static str,
    name: &'static str,
    units: u32,
    time: Option<(u16, u16)>,
    per_week: u8,
) -> Offering {
    Offering {
        code,
        name,
        units,
        time,
        per_week,
        addition: None,
    }
}

/// The offerings of a provider kind; units come from the table when it has the code.
pub fn offerings(kind: &str, care_level: &str) -> Vec<Offering> {
    let level = match care_level {
        "21" => 1,
        "22" => 2,
        "23" => 3,
        "24" => 4,
        "25" => 5,
        _ => 1,
    };
    let mut list = match kind {
        "11" => vec![
            o("111211", "身体介護２", 0, Some((1000, 1045)), 3),
            o("117311", "生活援助３", 0, Some((1400, 1500)), 2),
            o("114111", "身体１生活１", 0, Some((900, 1015)), 2),
        ],
        "12" => vec![o("121111", "訪問入浴", 0, Some((1330, 1430)), 1)],
        "13" => vec![o("131111", "訪看Ⅰ２", 0, Some((1100, 1130)), 1)],
        "15" => {
            let code = ["152341", "152342", "152343", "152344", "152345"][level - 1];
            let mut day = o(code, "通所介護Ⅰ３", 0, Some((930, 1630)), 2);
            day.addition = Some(("155301", "通所介護入浴介助加算Ⅰ", 0));
            vec![day]
        }
        "16" => {
            let code = ["161101", "161103", "161105", "161107", "161109"][level - 1];
            vec![o(code, "通所リハⅠ１１", 0, Some((1000, 1200)), 2)]
        }
        "17" => vec![
            o("171003", "特殊寝台貸与", 900, None, 0),
            o("171001", "車いす貸与", 500, None, 0),
            o("171007", "手すり貸与", 300, None, 0),
            o("171009", "歩行器貸与", 250, None, 0),
        ],
        "78" => vec![o("782341", "地域通所介護３１", 750, Some((930, 1630)), 2)],
        "A2" => vec![o(
            "A21111",
            "訪問型独自サービス１１",
            287,
            Some((1000, 1045)),
            1,
        )],
        "A6" => vec![o(
            "A61111",
            "通所型独自サービス１１",
            436,
            Some((1000, 1530)),
            1,
        )],
        "63" => vec![o("631111", "予防訪問看護Ⅰ２", 451, Some((1100, 1130)), 1)],
        "67" => vec![
            o("671009", "予防歩行器貸与", 250, None, 0),
            o("671007", "予防手すり貸与", 300, None, 0),
        ],
        _ => Vec::new(),
    };
    let table = CodeTable::get();
    for offering in &mut list {
        if let Some(code) = table.lookup(offering.code)
            && code.units > 0
        {
            offering.units = code.units;
        }
        if let Some((code, name, _)) = offering.addition {
            let units = table.lookup(code).map_or(40, |c| c.units);
            offering.addition = Some((code, name, units));
        }
    }
    list
}

/// The neighbouring 訪問介護 service a visit is sometimes done as instead of the planned
/// one (longer or shorter than planned), with its units from the table.
pub fn done_instead(code: &str) -> Option<(&'static str, u32)> {
    let instead = match code {
        "111211" => "111311",
        "117311" => "117211",
        "114111" => "114211",
        _ => return None,
    };
    let units = CodeTable::get().lookup(instead).map_or(0, |c| c.units);
    Some((instead, units))
}

/// 単位数単価 by kind for the 1級地 of Tokyo's 23 wards, as the generator's one region.
pub fn unit_price(kind: &str) -> &'static str {
    match kind {
        "11" | "12" | "13" | "63" | "A2" => "11.40",
        "15" | "16" | "78" | "A6" => "10.90",
        _ => "10.00",
    }
}

/// 区分支給限度基準額 (units a month) by 要介護状態区分.
pub fn limit_units(care_level: &str) -> u32 {
    match care_level {
        "06" | "12" => 5032,
        "13" => 10531,
        "21" => 16765,
        "22" => 19705,
        "23" => 27048,
        "24" => 30938,
        _ => 36217,
    }
}

/// The kind a provider office is generated with, in turn: home help, day care, rental …
pub const PROVIDER_KINDS: &[&str] = &["11", "15", "17", "13", "78", "16", "12"];
/// Kinds of providers that serve 要支援 people of a 地域包括 (介護予防・総合事業).
pub const PREVENTION_KINDS: &[&str] = &["A2", "A6", "67", "63"];
