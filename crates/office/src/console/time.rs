//! Times as the office reads them: Japan Standard Time, which has no daylight saving, so a
//! fixed nine hours from UTC is exact.

const JST: i64 = 9 * 3600;
const DAY: i64 = 24 * 3600;

/// The civil date of a day count from 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The day count from 1970-01-01 of a civil date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-27 21:44` in JST.
pub fn jst(unix: i64) -> String {
    let local = unix + JST;
    let (year, month, day) = civil(local.div_euclid(DAY));
    let seconds = local.rem_euclid(DAY);
    format!(
        "{year}-{month:02}-{day:02} {:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60
    )
}

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

    pub fn label(&self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_japan() {
        // 2026-11-27 12:44:16 UTC is 21:44 in Tokyo.
        assert_eq!(jst(1_795_783_456), "2026-11-27 21:44");
        // 15:00 UTC on the last day of a month is already the next month in Tokyo.
        let month = Month::of(1_798_729_200); // 2026-12-31 15:00 UTC
        assert_eq!(month.code(), "202701");
        assert_eq!(month.start(), 1_798_729_200);
        assert_eq!(month.previous().code(), "202612");
        assert_eq!(Month::parse("2026-12").unwrap().end(), 1_798_729_200);
    }
}
