//! Item-level checks (§8.2 10–11): required items, lengths and formats, driven by the layout.
//!
//! Items are checked as the file's bytes (see [`crate::codec::RawTable`]): every format
//! but free text is ASCII, the same bytes in MS932 and UTF-8. A value is decoded only to
//! be reported.

use super::Sink;
use super::rules::*;
use crate::codec::RawRow;
use crate::ids::{Date, YearMonth, digits_value};
use crate::layout::{Format, Layout, Need, sikyu};

fn digits(s: &[u8]) -> bool {
    let mut eights = s.chunks_exact(8);
    !s.is_empty()
        && eights.all(|eight| eight_digits(eight.try_into().unwrap_or_default()))
        && eights.remainder().iter().all(u8::is_ascii_digit)
}

/// Whether eight bytes are all ASCII digits, at once: every byte is 3x, and adding 6 to
/// it leaves it 3x (no byte is 3A–3F). No addition carries once every byte is 3x.
fn eight_digits(eight: [u8; 8]) -> bool {
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    let word = u64::from_le_bytes(eight);
    word & HIGH == THREES && word.wrapping_add(0x0606_0606_0606_0606) & HIGH == THREES
}

fn alnum_upper(s: &[u8]) -> bool {
    s.iter()
        .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
}

fn is_date(s: &[u8]) -> bool {
    Date::from_digits(s).is_some()
}

fn is_year_month(s: &[u8]) -> bool {
    YearMonth::from_digits(s).is_some()
}

fn is_time(s: &[u8]) -> bool {
    s.len() == 4
        && digits(s)
        && (s == crate::codes::NO_TIME.as_bytes()
            || (digits_value(&s[..2]) <= 23 && digits_value(&s[2..]) <= 59))
}

fn is_equipment_code(s: &[u8]) -> bool {
    (s.len() == 12 && s[5] == b'-' && digits(&s[..5]) && digits(&s[6..]))
        || (s.len() == 11 && digits(s))
}

fn is_zip(s: &[u8]) -> bool {
    (s.len() == 8 && s[3] == b'-' && digits(&s[..3]) && digits(&s[4..]))
        || (s.len() == 7 && digits(s))
}

fn is_phone(s: &[u8]) -> bool {
    s.iter().any(u8::is_ascii_digit)
        && s.iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'(' | b')' | b'+' | b' '))
}

fn is_decimal(s: &[u8]) -> bool {
    match s.iter().position(|&b| b == b'.') {
        Some(dot) => digits(&s[..dot]) && digits(&s[dot + 1..]),
        None => digits(s),
    }
}

/// Check the first `upto` items of one row (all of them, but for a row whose quoting broke).
pub(super) fn check_row(layout: &Layout, row: &RawRow<'_>, upto: usize, sink: &mut Sink<'_>) {
    let specs = &layout.items()[..upto.min(layout.len())];
    for (index, (spec, value)) in specs.iter().zip(row.values()).enumerate() {
        if value.is_empty() {
            match spec.need {
                Need::Required => {
                    sink.at(&I001, Some(row.line()), Some((index, spec)), None, "", "")
                }
                Need::Probably => {
                    sink.at(&I002, Some(row.line()), Some((index, spec)), None, "", "")
                }
                Need::ServiceLines
                    if !crate::codes::is_sikyu_total(
                        row.col_bytes(layout, sikyu::SERVICE_CODE),
                    ) =>
                {
                    sink.at(&I001, Some(row.line()), Some((index, spec)), None, "", "")
                }
                Need::ServiceLines => {}
                Need::Conditional | Need::Optional => {}
            }
            continue;
        }
        let report = |sink: &mut Sink<'_>, (rule, ja, en): (&'static Rule, String, String)| {
            let value = row.text(index);
            sink.at(
                rule,
                Some(row.line()),
                Some((index, spec)),
                Some(&value),
                format!("「{value}」{ja}"),
                format!("'{value}'{en}"),
            );
        };
        // Lengths of the extraction are uncertain ([spec-ocr]), so going over is a warning;
        // the format checks catch values that are really wrong.
        if let Some(len) = spec.len
            && value.len() > len as usize
            && row.chars(index) > len as usize
        {
            report(
                sink,
                (
                    &I006,
                    format!(" は{len}文字を超えています"),
                    format!(" is longer than {len}"),
                ),
            );
        }
        if let Some(found) = format_problem(spec.format, value) {
            report(sink, found);
        }
    }
}

/// What is wrong with the shape of one value, if anything: the rule and what to add to
/// its message.
fn format_problem(format: Format, value: &[u8]) -> Option<(&'static Rule, String, String)> {
    let plain = |rule: &'static Rule| Some((rule, String::new(), String::new()));
    let year_month = |rule: &'static Rule| {
        Some((
            rule,
            " (年月YYYYMM)".to_owned(),
            " (year-month YYYYMM)".to_owned(),
        ))
    };
    match format {
        Format::Version | Format::Free => None,
        Format::Insurer if !(value.len() == 6 && digits(value)) => plain(&I010),
        Format::Insured
            if !(value.len() == 10
                && (digits(value) || (value[0] == b'H' && digits(&value[1..])))) =>
        {
            plain(&I008)
        }
        Format::Office if !(value.len() == 10 && digits(value)) => plain(&I009),
        Format::Date if !is_date(value) => plain(&I003),
        Format::DateOrZeros if value != b"00000000" && !is_date(value) => plain(&I003),
        Format::YearMonth if !is_year_month(value) => year_month(&I003),
        Format::YearMonthOrZeros if value != b"000000" && !is_year_month(value) => {
            year_month(&I003)
        }
        Format::Time if !is_time(value) => plain(&I004),
        Format::Int if !digits(value) => plain(&I005),
        Format::SignedInt if !digits(value.strip_prefix(b"-").unwrap_or(value)) => plain(&I005),
        Format::Decimal if !is_decimal(value) => plain(&I005),
        Format::Code(codes) if !codes.iter().any(|c| c.as_bytes() == value) => Some((
            &I007,
            format!(" (使える値: {})", codes.join(", ")),
            format!(" (allowed: {})", codes.join(", ")),
        )),
        Format::Kind if !(value.len() == 2 && alnum_upper(value)) => plain(&I012),
        Format::ServiceCode | Format::SikyuCode if !(value.len() == 6 && alnum_upper(value)) => {
            plain(&I012)
        }
        Format::EquipmentCode if !is_equipment_code(value) => plain(&I013),
        Format::Zip if !is_zip(value) => plain(&I014),
        Format::Phone if !is_phone(value) => plain(&I014),
        Format::DayFlags
            if !(value.len() == 31 && value.iter().all(|&b| b == b'0' || b == b'1')) =>
        {
            plain(&I011)
        }
        Format::Unused => plain(&I015),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_found_eight_at_a_time() {
        assert!(digits(b"0123456789") && digits(b"99999999") && digits(b"7"));
        assert!(!digits(b"") && !digits(b"0123456:89") && !digits(b"012345/7"));
        for bad in [b'/', b':', b'?', b' ', b'\x80', b'\xB0', b'\xF9'] {
            for at in 0..9 {
                let mut value = *b"012345678";
                value[at] = bad;
                assert!(!digits(&value), "{bad:02X} at {at}");
            }
        }
    }

    #[test]
    fn shapes() {
        assert!(is_time(b"0000") && is_time(b"2359") && is_time(b"9999"));
        assert!(!is_time(b"2400") && !is_time(b"1260") && !is_time(b"930"));
        assert!(is_equipment_code(b"00001-000010") && is_equipment_code(b"00001000010"));
        assert!(!is_equipment_code(b"0001-0000100"));
        assert!(is_zip(b"100-0001") && !is_zip(b"1000-001"));
        assert!(is_phone(b"03-1234-5678") && !is_phone(b"tel"));
        assert!(is_decimal(b"10.90") && !is_decimal(b"10.") && !is_decimal(b".9"));
        assert!(
            is_year_month(b"202511")
                && !is_year_month(b"202513")
                && !is_year_month(b"189912")
                && !is_year_month(b"300001")
        );
        assert!(is_date(b"20240229") && !is_date(b"20250229") && !is_date(b"20251100"));
        assert!(!is_date(b"30000101") && !is_date(b"2025010a"));
    }
}
