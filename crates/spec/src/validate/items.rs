//! Item-level checks (§8.2 10–11): required items, lengths and formats, driven by the layout.

use super::Sink;
use super::rules::*;
use crate::codec::RowRef;
use crate::ids::Date;
use crate::layout::{Format, ItemSpec, Layout, Need};

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn alnum_upper(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

fn is_date(s: &str) -> bool {
    // The fast path rejects most bad values before the calendar is consulted.
    s.len() == 8 && digits(s) && Date::parse(s).is_ok()
}

fn is_year_month(s: &str) -> bool {
    s.len() == 6 && digits(s) && matches!(s[4..].parse::<u8>(), Ok(1..=12)) && s[..4] >= *"1900"
}

fn is_time(s: &str) -> bool {
    s.len() == 4
        && digits(s)
        && (s == crate::codes::NO_TIME || (s[..2] <= *"23" && s[2..] <= *"59"))
}

fn is_equipment_code(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 12 && b[5] == b'-' && digits(&s[..5]) && digits(&s[6..]))
        || (b.len() == 11 && digits(s))
}

fn is_zip(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 8 && b[3] == b'-' && digits(&s[..3]) && digits(&s[4..]))
        || (b.len() == 7 && digits(s))
}

fn is_phone(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'(' | b')' | b'+' | b' '))
}

fn is_decimal(s: &str) -> bool {
    match s.split_once('.') {
        Some((whole, frac)) => digits(whole) && digits(frac),
        None => digits(s),
    }
}

/// Check every item of one row whose item count matches the layout.
pub(super) fn check_row(layout: &Layout, row: &RowRef<'_>, sink: &mut Sink<'_>) {
    for (index, spec) in layout.items().iter().enumerate() {
        let value = row.get(index);
        if value.is_empty() {
            match spec.need {
                Need::Required => {
                    sink.at(&I001, Some(row.line()), Some((index, spec)), None, "", "")
                }
                Need::Probably => {
                    sink.at(&I002, Some(row.line()), Some((index, spec)), None, "", "")
                }
                Need::Conditional | Need::Optional => {}
            }
            continue;
        }
        check_value(spec, index, value, row.line(), sink);
    }
}

fn check_value(spec: &'static ItemSpec, index: usize, value: &str, line: u32, sink: &mut Sink<'_>) {
    let at = Some((index, spec));
    let bad = |sink: &mut Sink<'_>, rule: &'static Rule, ja: &str, en: &str| {
        sink.at(
            rule,
            Some(line),
            at,
            Some(value),
            format!("「{value}」{ja}"),
            format!("'{value}'{en}"),
        );
    };
    // Lengths of the extraction are uncertain ([spec-ocr]), so going over is a warning;
    // the format checks below catch values that are really wrong.
    if let Some(len) = spec.len
        && value.len() > len as usize
        && value.chars().count() > len as usize
    {
        bad(
            sink,
            &I006,
            &format!(" は{len}文字を超えています"),
            &format!(" is longer than {len}"),
        );
    }
    match spec.format {
        Format::Version | Format::Free => {}
        Format::Insurer if !(value.len() == 6 && digits(value)) => bad(sink, &I010, "", ""),
        Format::Insured
            if !(value.len() == 10
                && (digits(value) || (value.starts_with('H') && digits(&value[1..])))) =>
        {
            bad(sink, &I008, "", "")
        }
        Format::Office if !(value.len() == 10 && digits(value)) => bad(sink, &I009, "", ""),
        Format::Date if !is_date(value) => bad(sink, &I003, "", ""),
        Format::DateOrZeros if value != "00000000" && !is_date(value) => bad(sink, &I003, "", ""),
        Format::YearMonth if !is_year_month(value) => {
            bad(sink, &I003, " (年月YYYYMM)", " (year-month YYYYMM)")
        }
        Format::YearMonthOrZeros if value != "000000" && !is_year_month(value) => {
            bad(sink, &I003, " (年月YYYYMM)", " (year-month YYYYMM)")
        }
        Format::Time if !is_time(value) => bad(sink, &I004, "", ""),
        Format::Int if !digits(value) => bad(sink, &I005, "", ""),
        Format::SignedInt if !digits(value.strip_prefix('-').unwrap_or(value)) => {
            bad(sink, &I005, "", "")
        }
        Format::Decimal if !is_decimal(value) => bad(sink, &I005, "", ""),
        Format::Code(codes) if !codes.contains(&value) => bad(
            sink,
            &I007,
            &format!(" (使える値: {})", codes.join(", ")),
            &format!(" (allowed: {})", codes.join(", ")),
        ),
        Format::Kind if !(value.len() == 2 && alnum_upper(value)) => bad(sink, &I012, "", ""),
        Format::ServiceCode | Format::SikyuCode if !(value.len() == 6 && alnum_upper(value)) => {
            bad(sink, &I012, "", "")
        }
        Format::EquipmentCode if !is_equipment_code(value) => bad(sink, &I013, "", ""),
        Format::Zip if !is_zip(value) => bad(sink, &I014, "", ""),
        Format::Phone if !is_phone(value) => bad(sink, &I014, "", ""),
        Format::DayFlags
            if !(value.len() == 31 && value.bytes().all(|b| b == b'0' || b == b'1')) =>
        {
            bad(sink, &I011, "", "")
        }
        Format::Unused => bad(sink, &I015, "", ""),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(is_time("0000") && is_time("2359") && is_time("9999"));
        assert!(!is_time("2400") && !is_time("1260") && !is_time("930"));
        assert!(is_equipment_code("00001-000010") && is_equipment_code("00001000010"));
        assert!(!is_equipment_code("0001-0000100"));
        assert!(is_zip("100-0001") && !is_zip("1000-001"));
        assert!(is_phone("03-1234-5678") && !is_phone("tel"));
        assert!(is_decimal("10.90") && !is_decimal("10.") && !is_decimal(".9"));
        assert!(is_year_month("202511") && !is_year_month("202513"));
        assert!(is_date("20240229") && !is_date("20250229"));
    }
}
