//! A care plan as the information base keeps it and the person reads it: the items of
//! 第1表 (居宅サービス計画書(1)), the lines of 第2表 and the week of 第3表 (週間サービス計画表),
//! read from the record's body. The office writes the body from the files it exchanged;
//! a body from before the lines were kept has only the goals and services as lists, and
//! is shown from those.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One line of 第2表: a need, its goals and the service that answers it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanLine {
    pub issue: String,
    pub long_goal: String,
    pub short_goal: String,
    pub content: String,
    pub service_type: String,
    pub provider_name: String,
    pub frequency: String,
    pub period: String,
}

/// A service of 第3表: its weekday (0 is Monday), start and end as `9:30`, and what it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WeekService {
    pub weekday: usize,
    pub start: String,
    pub end: String,
    pub service: String,
}

/// The plan's forms, from a `care_plan` or `draft_plan` record's body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PlanSheet {
    pub plan_date: String,
    pub care_level: String,
    pub wishes: String,
    pub policy: String,
    pub lines: Vec<PlanLine>,
    pub week: Vec<WeekService>,
    pub non_weekly: String,
    long_term_goal: Vec<String>,
    short_term_goal: Vec<String>,
    services: Vec<String>,
}

/// The weekday headings of 第3表, Monday first as on the form.
pub const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// The bands of a day as 第3表 names them, with the hours each starts and ends.
const BANDS: [(&str, u32, u32); 5] = [
    ("早朝", 4, 8),
    ("午前", 8, 12),
    ("午後", 12, 18),
    ("夜間", 18, 22),
    ("深夜", 22, 28),
];

impl PlanSheet {
    pub fn of(body: &Value) -> Self {
        let mut sheet: Self = serde_json::from_value(body.clone()).unwrap_or_default();
        if sheet.lines.is_empty() {
            // An older body: a line for each goal or service, side by side as written.
            let rows = sheet
                .long_term_goal
                .len()
                .max(sheet.short_term_goal.len())
                .max(sheet.services.len());
            let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
            sheet.lines = (0..rows)
                .map(|i| PlanLine {
                    long_goal: at(&sheet.long_term_goal, i),
                    short_goal: at(&sheet.short_term_goal, i),
                    content: at(&sheet.services, i),
                    ..PlanLine::default()
                })
                .collect();
        }
        sheet
    }

    /// 作成日 as 令和.
    pub fn plan_date_label(&self) -> String {
        renkei_spec::wareki::date_or_text(&self.plan_date)
    }

    pub fn care_level_label(&self) -> &str {
        crate::certification::care_level_name(&self.care_level).unwrap_or(&self.care_level)
    }

    /// The week as rows of bands, each with the services starting in it on each weekday:
    /// `("午前", [["9:00〜10:00 訪問介護"], [], …])`. Bands without a service are left out.
    pub fn week_rows(&self) -> Vec<(&'static str, Vec<Vec<String>>)> {
        BANDS
            .iter()
            .filter_map(|&(label, from, to)| {
                let days: Vec<Vec<String>> = (0..7)
                    .map(|day| {
                        self.week
                            .iter()
                            .filter(|s| s.weekday == day && in_band(&s.start, from, to))
                            .map(|s| format!("{}〜{} {}", s.start, s.end, s.service))
                            .collect()
                    })
                    .collect();
                days.iter().any(|d| !d.is_empty()).then_some((label, days))
            })
            .collect()
    }
}

/// Whether a start time `9:30` falls in the hours `from..to` (past midnight counts as 24+).
fn in_band(start: &str, from: u32, to: u32) -> bool {
    let Some(hour) = start.split(':').next().and_then(|h| h.parse::<u32>().ok()) else {
        return from == 8;
    };
    let hour = if hour < 4 { hour + 24 } else { hour };
    (from..to).contains(&hour)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_body_still_reads_as_the_second_form() {
        let sheet = PlanSheet::of(&serde_json::json!({
            "plan_date": "20251001",
            "care_level": "22",
            "long_term_goal": ["自宅で暮らし続ける"],
            "short_term_goal": ["入浴を安全にする", "外出の機会を持つ"],
            "services": ["入浴介助(架空訪問介護)"],
        }));
        assert_eq!(sheet.lines.len(), 2);
        assert_eq!(sheet.lines[0].content, "入浴介助(架空訪問介護)");
        assert_eq!(sheet.lines[1].short_goal, "外出の機会を持つ");
        assert_eq!(sheet.care_level_label(), "要介護２");
        assert_eq!(sheet.plan_date_label(), "令和7年10月1日");
    }

    #[test]
    fn the_week_is_read_by_band_and_weekday() {
        let sheet = PlanSheet::of(&serde_json::json!({
            "week": [
                {"weekday": 0, "start": "9:00", "end": "10:00", "service": "訪問介護"},
                {"weekday": 2, "start": "13:30", "end": "16:30", "service": "通所介護"},
                {"weekday": 6, "start": "1:00", "end": "1:30", "service": "夜間対応型訪問介護"},
            ],
        }));
        let rows = sheet.week_rows();
        let labels: Vec<&str> = rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(labels, ["午前", "午後", "深夜"]);
        assert_eq!(rows[0].1[0], ["9:00〜10:00 訪問介護"]);
        assert_eq!(rows[1].1[2], ["13:30〜16:30 通所介護"]);
        assert_eq!(rows[2].1[6], ["1:00〜1:30 夜間対応型訪問介護"]);
    }
}
