//! Dates as people in Japan read them on a form or a page: by era (令和7年12月1日), the
//! way the standard's paper forms print them. The files themselves keep `YYYYMMDD`.

/// `YYYYMMDD` as 令和7年12月1日 (元年 for an era's first year). Empty, all-zero or
/// malformed dates are given back as they are, so nothing the file says is hidden.
pub fn date(yyyymmdd: &str) -> String {
    let Some((year, month, day)) = split_date(yyyymmdd) else {
        return if yyyymmdd.bytes().all(|b| b == b'0') {
            String::new()
        } else {
            yyyymmdd.to_owned()
        };
    };
    let (era, era_year) = era(year, month, day);
    format!("{era}{}年{month}月{day}日", era_year_text(era_year))
}

/// `YYYYMM` as 令和7年12月.
pub fn year_month(yyyymm: &str) -> String {
    match (yyyymm.get(..4), yyyymm.get(4..6)) {
        (Some(y), Some(m)) if yyyymm.len() == 6 => match (y.parse::<i32>(), m.parse::<u32>()) {
            (Ok(year), Ok(month)) if (1..=12).contains(&month) => {
                let (era, era_year) = era(year, month, 28);
                format!("{era}{}年{month}月", era_year_text(era_year))
            }
            _ => yyyymm.to_owned(),
        },
        _ => yyyymm.to_owned(),
    }
}

/// A date as 令和 when the text is one (a record's key may be its date), else the text.
pub fn date_or_text(text: &str) -> String {
    if split_date(text).is_some() {
        date(text)
    } else {
        text.to_owned()
    }
}

/// A `YYYYMMDD` date's parts, when it is one (after 明治 began).
pub fn split_date(yyyymmdd: &str) -> Option<(i32, u32, u32)> {
    if yyyymmdd.len() != 8 || !yyyymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = yyyymmdd[..4].parse().ok()?;
    let month = yyyymmdd[4..6].parse().ok()?;
    let day = yyyymmdd[6..].parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day) && year > 1868)
        .then_some((year, month, day))
}

fn era_year_text(era_year: i32) -> String {
    if era_year == 1 {
        "元".to_owned()
    } else {
        era_year.to_string()
    }
}

fn era(year: i32, month: u32, day: u32) -> (&'static str, i32) {
    let on = (year, month, day);
    if on >= (2019, 5, 1) {
        ("令和", year - 2018)
    } else if on >= (1989, 1, 8) {
        ("平成", year - 1988)
    } else if on >= (1926, 12, 25) {
        ("昭和", year - 1925)
    } else if on >= (1912, 7, 30) {
        ("大正", year - 1911)
    } else {
        ("明治", year - 1867)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_printed_in_the_era_of_the_day() {
        assert_eq!(date("20251201"), "令和7年12月1日");
        assert_eq!(date("20190501"), "令和元年5月1日");
        assert_eq!(date("20190430"), "平成31年4月30日");
        assert_eq!(date("19400401"), "昭和15年4月1日");
        assert_eq!(date("19260101"), "大正15年1月1日");
        assert_eq!(date("00000000"), "");
        assert_eq!(date("2025130"), "2025130");
        assert_eq!(year_month("202512"), "令和7年12月");
        assert_eq!(date_or_text("20250216"), "令和7年2月16日");
        assert_eq!(date_or_text("plan-1"), "plan-1");
    }
}
