//! The standard's codes in the words printed on the forms, and dates as the forms write
//! them: in the Japanese era (令和7年12月1日), which is what care managers read and sign.

/// 要介護状態区分 of the 居宅 files (and 利用者基本情報, where `01` is 非該当).
pub fn care_level(code: &str) -> &'static str {
    match code {
        "01" => "非該当",
        "06" => "事業対象者",
        "12" => "要支援１",
        "13" => "要支援２",
        "21" => "要介護１",
        "22" => "要介護２",
        "23" => "要介護３",
        "24" => "要介護４",
        "25" => "要介護５",
        _ => "",
    }
}

pub fn sex(code: &str) -> &'static str {
    match code {
        "1" => "男",
        "2" => "女",
        _ => "",
    }
}

/// 認定状況区分.
pub fn cert_status(code: &str) -> &'static str {
    match code {
        "1" => "申請中",
        "2" => "認定済",
        _ => "",
    }
}

/// 計画書区分: which of 初回・紹介・継続 the plan is.
pub fn plan_class(code: &str) -> &'static str {
    match code {
        "11" => "初回",
        "12" => "初回・紹介",
        "21" => "紹介",
        "51" => "継続",
        "52" => "紹介・継続",
        "53" => "初回・継続",
        "54" => "初回・紹介・継続",
        _ => "",
    }
}

/// 生活援助中心型の算定理由.
pub fn housework_reason(code: &str) -> &'static str {
    match code {
        "1" => "一人暮らし",
        "2" => "家族等が障害、疾病等",
        "3" => "その他",
        _ => "",
    }
}

/// 曜日 of 第3表 (`1` 月 … `7` 日).
pub const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// The weekday of a date, `0` for Monday (Sakamoto's method).
pub fn weekday(year: i32, month: u32, day: u32) -> usize {
    const OFFSETS: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    let sunday_first =
        (y + y / 4 - y / 100 + y / 400 + OFFSETS[(month - 1) as usize] + day as i32) % 7;
    ((sunday_first + 6) % 7) as usize
}

pub use renkei_spec::wareki::{date, split_date, year_month};

/// A 期間 as the care software writes it, `20251015～20270531` (or with `-` or `~`), as
/// 令和7年10月15日～令和9年5月31日; free text that is not two dates stays as it is.
pub fn period(item: &str) -> String {
    let parts: Vec<&str> = item.split(['～', '~', '-', '〜']).map(str::trim).collect();
    match parts.as_slice() {
        [from, to] if split_date(from).is_some() && split_date(to).is_some() => {
            format!("{}～{}", date(from), date(to))
        }
        [one] if split_date(one).is_some() => date(one),
        _ => item.to_owned(),
    }
}

/// `HHMM` as 9:30; `9999` (時刻なし) as empty.
pub fn time(hhmm: &str) -> String {
    if hhmm.len() != 4 || hhmm == "9999" || !hhmm.bytes().all(|b| b.is_ascii_digit()) {
        return String::new();
    }
    let hours: u32 = hhmm[..2].parse().unwrap_or(0);
    format!("{hours}:{}", &hhmm[2..])
}

/// A whole number with thousands separators (12,345), or the item as it is.
pub fn number(item: &str) -> String {
    let Ok(value) = item.trim().parse::<i64>() else {
        return item.to_owned();
    };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_of_two_dates_are_printed_as_dates() {
        assert_eq!(
            period("20251015～20270531"),
            "令和7年10月15日～令和9年5月31日"
        );
        assert_eq!(period("6か月"), "6か月");
    }

    #[test]
    fn weekdays_and_numbers() {
        assert_eq!(WEEKDAYS[weekday(2025, 12, 1)], "月");
        assert_eq!(WEEKDAYS[weekday(2026, 11, 27)], "金");
        assert_eq!(number("1234567"), "1,234,567");
        assert_eq!(number("-1000"), "-1,000");
        assert_eq!(number("12"), "12");
        assert_eq!(time("0930"), "9:30");
        assert_eq!(time("9999"), "");
    }
}
