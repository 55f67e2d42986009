//! Times as people in Japan read them: Japan Standard Time, which has no daylight saving,
//! so a fixed nine hours from UTC is exact.

pub const JST: i64 = 9 * 3600;
pub const DAY: i64 = 24 * 3600;

/// The civil date of a day count from 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil(days: i64) -> (i64, u32, u32) {
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
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A moment as people in Japan read it, in Japan time and the era the forms use:
/// 令和8年12月4日 6:29.
pub fn jst(unix: i64) -> String {
    let seconds = (unix + JST).rem_euclid(DAY);
    format!(
        "{} {}:{:02}",
        crate::wareki::date(&date(unix)),
        seconds / 3600,
        seconds % 3600 / 60
    )
}

/// The JST day of `unix` as people read it: 令和8年12月4日.
pub fn day(unix: i64) -> String {
    crate::wareki::date(&date(unix))
}

/// The JST date of `unix` as `YYYYMMDD`, the form the standard's dates take.
pub fn date(unix: i64) -> String {
    let (year, month, day) = civil((unix + JST).div_euclid(DAY));
    format!("{year:04}{month:02}{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jst_is_nine_hours_ahead() {
        // 2026-11-27 15:00 UTC.
        let unix = days_from_civil(2026, 11, 27) * DAY + 15 * 3600;
        assert_eq!(jst(unix), "令和8年11月28日 0:00");
        assert_eq!(day(unix), "令和8年11月28日");
        assert_eq!(date(unix), "20261128");
        assert_eq!(civil(days_from_civil(2028, 2, 29)), (2028, 2, 29));
    }
}
