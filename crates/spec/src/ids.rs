//! Identifiers of the standard as newtypes: a bad one cannot exist.
//!
//! Each has a `parse` that says what was wrong in Japanese and English, and a
//! `Display` that writes it back exactly as the standard spells it.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::error::{Error, Result};

fn invalid(
    what: &'static str,
    what_en: &'static str,
    value: &str,
    expected: &'static str,
    expected_en: &'static str,
) -> Error {
    Error::InvalidValue {
        what,
        what_en,
        value: value.to_owned(),
        expected,
        expected_en,
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The value of a run of ASCII digits that [`all_digits`] accepted. Dates are read for
/// nearly every item of a month, where the general integer parser cost more than the check.
pub(crate) fn digits_value(digits: &[u8]) -> u16 {
    digits
        .iter()
        .fold(0, |acc, &b| acc * 10 + u16::from(b - b'0'))
}

macro_rules! ascii_id {
    ($(#[$doc:meta])* $name:ident, $len:expr, $what:expr, $what_en:expr, $expected:expr, $expected_en:expr, $check:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name([u8; $len]);

        impl $name {
            pub fn parse(s: &str) -> Result<Self> {
                let check: fn(&str) -> bool = $check;
                if s.len() != $len || !check(s) {
                    return Err(invalid($what, $what_en, s, $expected, $expected_en));
                }
                let mut bytes = [0u8; $len];
                bytes.copy_from_slice(s.as_bytes());
                Ok(Self(bytes))
            }

            pub fn as_str(&self) -> &str {
                // Only ASCII ever enters: `parse` checked it.
                std::str::from_utf8(&self.0).unwrap_or_default()
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

ascii_id!(
    /// 事業所番号: the 10-digit number of a care office; its first two digits are the prefecture.
    OfficeNumber, 10, "事業所番号", "office number", "数字10桁", "10 digits", all_digits
);

impl OfficeNumber {
    /// The prefecture code (都道府県コード) in the first two digits.
    pub fn prefecture(&self) -> u8 {
        (self.0[0] - b'0') * 10 + (self.0[1] - b'0')
    }
}

ascii_id!(
    /// 保険者番号: the 6-digit code of the insurer (the municipality).
    InsurerNumber, 6, "保険者番号", "insurer number", "数字6桁", "6 digits", all_digits
);

ascii_id!(
    /// 被保険者番号: 10 digits, or `H` and 9 digits for a person on public assistance only (生保単独).
    InsuredNumber, 10, "被保険者番号", "insured number", "数字10桁、または生保単独の場合はHと数字9桁",
    "10 digits, or H and 9 digits for public assistance only",
    |s| all_digits(s) || (s.starts_with('H') && all_digits(&s[1..]))
);

ascii_id!(
    /// サービス種類コード: two characters, digits or capital letters (`11`, `2A`, `A1`).
    ServiceKind, 2, "サービス種類コード", "service kind code", "英数字2文字", "2 characters, digits or capital letters",
    |s| s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
);

impl ServiceKind {
    /// 居宅介護支援: the kind of a care-manager office.
    pub const CARE_MANAGEMENT: ServiceKind = ServiceKind(*b"43");
    /// 介護予防支援: the kind used here for a 地域包括支援センター (the standard does not state it).
    pub const PREVENTION_SUPPORT: ServiceKind = ServiceKind(*b"46");

    /// Whether this kind plans care (sends plans and 予定) rather than provides services.
    pub fn is_planner(&self) -> bool {
        *self == Self::CARE_MANAGEMENT || *self == Self::PREVENTION_SUPPORT
    }
}

/// 年月 (`YYYYMM`), as in 対象年月 and 提供年月.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: u16,
    month: u8,
}

impl YearMonth {
    pub fn new(year: u16, month: u8) -> Result<Self> {
        if !(1900..=2999).contains(&year) || !(1..=12).contains(&month) {
            return Err(invalid(
                "年月",
                "year-month",
                &format!("{year:04}{month:02}"),
                "YYYYMM形式の実在する年月",
                "a real YYYYMM",
            ));
        }
        Ok(Self { year, month })
    }

    pub fn parse(s: &str) -> Result<Self> {
        let bad = || {
            invalid(
                "年月",
                "year-month",
                s,
                "YYYYMM形式の実在する年月",
                "a real YYYYMM",
            )
        };
        Self::from_digits(s.as_bytes()).ok_or_else(bad)
    }

    /// `YYYYMM` as bytes, as a checker reads it from a file; `None` when it is not one.
    pub fn from_digits(digits: &[u8]) -> Option<Self> {
        if digits.len() != 6 || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let (year, month) = (digits_value(&digits[..4]), digits_value(&digits[4..]) as u8);
        ((1900..=2999).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn month(&self) -> u8 {
        self.month
    }

    /// Number of days in the month (the Gregorian rule).
    pub fn days(&self) -> u8 {
        days_in_month(self.year, self.month)
    }

    pub fn next(&self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn day(&self, day: u8) -> Date {
        Date {
            year: self.year,
            month: self.month,
            day: day.clamp(1, self.days()),
        }
    }
}

impl FromStr for YearMonth {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}{:02}", self.year, self.month)
    }
}

impl fmt::Debug for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "YearMonth({self})")
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// 年月日 (`YYYYMMDD`, 西暦).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    pub fn parse(s: &str) -> Result<Self> {
        let bad = || {
            invalid(
                "年月日",
                "date",
                s,
                "YYYYMMDD形式の実在する日付",
                "a real YYYYMMDD date",
            )
        };
        Self::from_digits(s.as_bytes()).ok_or_else(bad)
    }

    /// `YYYYMMDD` as bytes, as a checker reads it from a file; `None` when it is not a real date.
    pub fn from_digits(digits: &[u8]) -> Option<Self> {
        if digits.len() != 8 {
            return None;
        }
        let ym = YearMonth::from_digits(&digits[..6])?;
        let day = &digits[6..];
        if !day.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let day = digits_value(day) as u8;
        (day >= 1 && day <= ym.days()).then_some(Self {
            year: ym.year,
            month: ym.month,
            day,
        })
    }

    pub fn year_month(&self) -> YearMonth {
        YearMonth {
            year: self.year,
            month: self.month,
        }
    }

    pub fn day(&self) -> u8 {
        self.day
    }

    /// Day of the week, 1 = Monday … 7 = Sunday, as the 曜日 code of 第3表.
    pub fn weekday(&self) -> u8 {
        // Sakamoto's method gives 0 = Sunday.
        const T: [u16; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let y = if self.month < 3 {
            self.year - 1
        } else {
            self.year
        };
        let w = (y + y / 4 - y / 100 + y / 400 + T[self.month as usize - 1] + self.day as u16) % 7;
        if w == 0 { 7 } else { w as u8 }
    }

    /// The date `days` days earlier, for dates in the generator's range.
    pub fn minus_days(&self, days: u32) -> Date {
        let mut d = *self;
        for _ in 0..days {
            if d.day > 1 {
                d.day -= 1;
            } else if d.month > 1 {
                d.month -= 1;
                d.day = days_in_month(d.year, d.month);
            } else {
                d.year -= 1;
                d.month = 12;
                d.day = 31;
            }
        }
        d
    }
}

impl FromStr for Date {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

/// ファイル連番: the 14-digit `YYYYMMDDHHMMSS` tail shared by the files of one send unit.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileSerial([u8; 14]);

impl FileSerial {
    pub fn parse(s: &str) -> Result<Self> {
        let bad = || {
            invalid(
                "ファイル連番",
                "file serial",
                s,
                "YYYYMMDDHHMMSS形式の実在する日時(14桁)",
                "a real YYYYMMDDHHMMSS time (14 digits)",
            )
        };
        if s.len() != 14 || !all_digits(s) {
            return Err(bad());
        }
        Date::parse(&s[..8]).map_err(|_| bad())?;
        let two = |i: usize| digits_value(&s.as_bytes()[i..i + 2]);
        if two(8) > 23 || two(10) > 59 || two(12) > 59 {
            return Err(bad());
        }
        let mut bytes = [0u8; 14];
        bytes.copy_from_slice(s.as_bytes());
        Ok(Self(bytes))
    }

    /// The serial of a moment given as date plus seconds since midnight.
    pub fn at(date: Date, seconds: u32) -> Self {
        let s = seconds % 86_400;
        let text = format!("{date}{:02}{:02}{:02}", s / 3600, s / 60 % 60, s % 60);
        let mut bytes = [0u8; 14];
        bytes.copy_from_slice(text.as_bytes());
        Self(bytes)
    }

    /// The serial of a moment as care software writes it: the time in Japan.
    pub fn in_japan(unix: i64) -> Self {
        let local = unix + 9 * 3600;
        let (year, month, day) = crate::jst::civil(local.div_euclid(86_400));
        let text = format!(
            "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
            local.rem_euclid(86_400) / 3600,
            local.rem_euclid(3600) / 60,
            local.rem_euclid(60)
        );
        let mut bytes = [0u8; 14];
        bytes.copy_from_slice(&text.as_bytes()[..14]);
        Self(bytes)
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for FileSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for FileSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FileSerial({self})")
    }
}

impl Serialize for FileSerial {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_accept_the_standard_shapes() {
        assert_eq!(OfficeNumber::parse("0300000100").unwrap().prefecture(), 3);
        assert!(OfficeNumber::parse("030000010").is_err());
        assert!(InsuredNumber::parse("H123456789").is_ok());
        assert!(InsuredNumber::parse("X123456789").is_err());
        assert!(ServiceKind::parse("2A").is_ok());
        assert!(ServiceKind::parse("2a").is_err());
        assert!(InsurerNumber::parse("13101").is_err());
    }

    #[test]
    fn dates_are_real_calendar_dates() {
        assert!(Date::parse("20240229").is_ok());
        assert!(Date::parse("20230229").is_err());
        assert!(Date::parse("20241301").is_err());
        assert_eq!(Date::parse("20251101").unwrap().weekday(), 6);
        assert_eq!(Date::parse("20251103").unwrap().weekday(), 1);
        assert_eq!(
            Date::parse("20250101").unwrap().minus_days(1).to_string(),
            "20241231"
        );
        assert!(FileSerial::parse("20251025200201").is_ok());
        assert!(FileSerial::parse("20251025250201").is_err());
        assert_eq!(
            FileSerial::at(Date::parse("20251025").unwrap(), 72_121).as_str(),
            "20251025200201"
        );
        // 2026-12-06 21:07:23 UTC is 12月7日 6:07:23 in Japan.
        assert_eq!(
            FileSerial::in_japan(1_796_591_243).as_str(),
            "20261207060723"
        );
    }
}
