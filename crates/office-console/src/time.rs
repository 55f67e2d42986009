//! Times as the office reads them: Japan Standard Time, which has no daylight saving, so a
//! fixed nine hours from UTC is exact.

use renkei_spec::jst::{DAY, JST, civil, days_from_civil};

pub use renkei_spec::jst::jst;

/// A month in JST, as `YYYYMM` text and its bounds in unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub year: i64,
    pub month: u32,
}

impl Month {
    pub fn of(unix: i64) -> Self {
        let (year, month, _) = civil((unix + JST).div_euclid(DAY));
        Self { year, month }
    }

    /// `YYYYMM` or `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Self> {
        let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
        if digits.len() != 6 {
            return None;
        }
        let year = digits[..4].parse().ok()?;
        let month = digits[4..].parse().ok()?;
        (1..=12).contains(&month).then_some(Self { year, month })
    }

    /// The month a page was asked for (`?month=YYYYMM`), or this month.
    pub fn chosen(text: Option<&str>) -> Self {
        text.and_then(Self::parse)
            .unwrap_or_else(|| Self::of(renkei_seal::unix_now()))
    }

    pub fn start(&self) -> i64 {
        days_from_civil(self.year, self.month, 1) * DAY - JST
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

    pub fn previous(&self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn end(&self) -> i64 {
        self.next().start()
    }

    pub fn code(&self) -> String {
        format!("{}{:02}", self.year, self.month)
    }

    /// 令和8年12月, as the forms write a month.
    pub fn label(&self) -> String {
        renkei_forms::labels::year_month(&self.code())
    }

    /// 令和8年12月分: the サービス提供月 the forms are of.
    pub fn service_label(&self) -> String {
        format!("{}分", self.label())
    }
}

/// The サービス提供月 of a parcel's files, from their names (the 年月 of 利用票-type files;
/// plans carry none), earliest first and each once.
pub fn service_months<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Month> {
    let mut months: Vec<Month> = names
        .into_iter()
        .filter_map(|n| renkei_spec::FileName::parse(n).ok())
        .filter_map(|n| match n.month {
            Some(renkei_spec::filename::MonthToken::Month(m)) => Some(Month {
                year: i64::from(m.year()),
                month: u32::from(m.month()),
            }),
            _ => None,
        })
        .collect();
    months.sort_by_key(|m| (m.year, m.month));
    months.dedup();
    months
}

/// Whether something that moved at `moved` with files of `months` is of service month
/// `month`: one of its files is, or none names a month (a plan) and it moved in that month.
pub fn is_of_month(months: &[Month], moved: i64, month: Month) -> bool {
    if months.is_empty() {
        Month::of(moved) == month
    } else {
        months.contains(&month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_japan() {
        // 2026-11-27 12:44:16 UTC is 21:44 in Tokyo.
        assert_eq!(jst(1_795_783_456), "令和8年11月27日 21:44");
        // 15:00 UTC on the last day of a month is already the next month in Tokyo.
        let month = Month::of(1_798_729_200); // 2026-12-31 15:00 UTC
        assert_eq!(month.code(), "202701");
        assert_eq!(month.start(), 1_798_729_200);
        assert_eq!(month.previous().code(), "202612");
        assert_eq!(Month::parse("2026-12").unwrap().end(), 1_798_729_200);
    }
}
