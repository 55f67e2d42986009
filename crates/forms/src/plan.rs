//! The care plan: 第1表 (居宅サービス計画書(1)), 第2表 (its goals and services) and 第3表
//! (週間サービス計画表).

use renkei_spec::Layout;
use renkei_spec::codec::RowRef;
use renkei_spec::layout::{plan1, plan2, plan3};

use crate::labels;

/// 第1表: who made the plan, the certification, and the three free-text sections.
#[derive(Clone, Debug, Default)]
pub struct Plan1 {
    pub created: String,
    pub address: String,
    pub planner_name: String,
    pub office_name: String,
    pub office_address: String,
    pub office: String,
    pub plan_date: String,
    pub first_plan_date: String,
    pub plan_class: String,
    pub cert_status: String,
    pub cert_date: String,
    pub cert_from: String,
    pub cert_to: String,
    pub care_level: String,
    pub intentions: String,
    pub board_opinion: String,
    pub policy: String,
    pub housework_reason: String,
    pub other_reason: String,
}

impl Plan1 {
    pub(crate) fn read(row: &RowRef<'_>, layout: &Layout) -> Self {
        let col = |c| row.col(layout, c).to_owned();
        let joined = |a, b| join(row.col(layout, a), row.col(layout, b));
        Self {
            created: labels::date(row.col(layout, plan1::CREATED)),
            address: joined(plan1::ADDRESS1, plan1::ADDRESS2),
            planner_name: col(plan1::PLANNER_NAME),
            office_name: col(plan1::OFFICE_NAME),
            office_address: joined(plan1::OFFICE_ADDRESS1, plan1::OFFICE_ADDRESS2),
            office: col(plan1::OFFICE),
            plan_date: labels::date(row.col(layout, plan1::PLAN_DATE)),
            first_plan_date: labels::date(row.col(layout, plan1::FIRST_PLAN_DATE)),
            plan_class: labels::plan_class(row.col(layout, plan1::PLAN_CLASS)).to_owned(),
            cert_status: labels::cert_status(row.col(layout, plan1::CERT_STATUS)).to_owned(),
            cert_date: labels::date(row.col(layout, plan1::CERT_DATE)),
            cert_from: labels::date(row.col(layout, plan1::CERT_FROM)),
            cert_to: labels::date(row.col(layout, plan1::CERT_TO)),
            care_level: labels::care_level(row.col(layout, plan1::CARE_LEVEL)).to_owned(),
            intentions: col(plan1::INTENTIONS),
            board_opinion: col(plan1::BOARD_OPINION),
            policy: col(plan1::POLICY),
            housework_reason: labels::housework_reason(row.col(layout, plan1::HOUSEWORK_REASON))
                .to_owned(),
            other_reason: col(plan1::OTHER_REASON),
        }
    }
}

/// A line of 第2表. An issue or goal repeated from the line above is left blank, as on
/// the paper form where the cell spans both lines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan2Line {
    pub issue: String,
    pub long_goal: String,
    pub long_period: String,
    pub short_goal: String,
    pub short_period: String,
    pub content: String,
    /// ※1: ○ where the service is covered by the insurance.
    pub insured: bool,
    pub service_type: String,
    pub provider_name: String,
    pub frequency: String,
    pub period: String,
}

impl Plan2Line {
    pub(crate) fn read(row: &RowRef<'_>, layout: &Layout) -> Self {
        let col = |c| row.col(layout, c).to_owned();
        Self {
            issue: col(plan2::ISSUE),
            long_goal: col(plan2::LONG_GOAL),
            long_period: labels::period(row.col(layout, plan2::LONG_PERIOD)),
            short_goal: col(plan2::SHORT_GOAL),
            short_period: labels::period(row.col(layout, plan2::SHORT_PERIOD)),
            content: col(plan2::CONTENT),
            insured: row.col(layout, plan2::INSURED_SERVICE) == "Y",
            service_type: col(plan2::SERVICE_TYPE),
            provider_name: col(plan2::PROVIDER_NAME),
            frequency: col(plan2::FREQUENCY),
            period: labels::period(row.col(layout, plan2::PERIOD)),
        }
    }

    /// Blank the issue and goals that repeat the line above.
    pub(crate) fn merge_repeats(lines: &mut [Self]) {
        for i in (1..lines.len()).rev() {
            let (before, after) = lines.split_at_mut(i);
            let (above, line) = (&before[i - 1], &mut after[0]);
            if line.issue == above.issue {
                line.issue.clear();
                if line.long_goal == above.long_goal {
                    line.long_goal.clear();
                    line.long_period.clear();
                    if line.short_goal == above.short_goal {
                        line.short_goal.clear();
                        line.short_period.clear();
                    }
                }
            }
        }
    }
}

/// A service of 第3表 at its weekday and times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeeklyService {
    /// 0 for Monday.
    pub weekday: usize,
    pub start: String,
    pub end: String,
    pub service: String,
}

/// 第3表: the week as time bands by weekday, the day's main activities, and the services
/// that do not come every week.
#[derive(Clone, Debug, Default)]
pub struct Weekly {
    pub created: String,
    pub services: Vec<WeeklyService>,
    /// 主な日常生活上の活動, with its start time.
    pub activities: Vec<(String, String)>,
    pub non_weekly: String,
}

/// A band of the weekly grid: its label, first hour and the hour it ends.
#[derive(Clone, Debug)]
pub struct Band {
    pub label: &'static str,
    pub from: u32,
    pub to: u32,
}

/// The rows of 第3表 as the form prints them: 深夜, 早朝, 午前, 午後, 夜間, 深夜, each
/// cut into two-hour lines.
pub const BANDS: [Band; 12] = [
    Band {
        label: "深夜",
        from: 0,
        to: 2,
    },
    Band {
        label: "深夜",
        from: 2,
        to: 4,
    },
    Band {
        label: "深夜",
        from: 4,
        to: 6,
    },
    Band {
        label: "早朝",
        from: 6,
        to: 8,
    },
    Band {
        label: "午前",
        from: 8,
        to: 10,
    },
    Band {
        label: "午前",
        from: 10,
        to: 12,
    },
    Band {
        label: "午後",
        from: 12,
        to: 14,
    },
    Band {
        label: "午後",
        from: 14,
        to: 16,
    },
    Band {
        label: "午後",
        from: 16,
        to: 18,
    },
    Band {
        label: "夜間",
        from: 18,
        to: 20,
    },
    Band {
        label: "夜間",
        from: 20,
        to: 22,
    },
    Band {
        label: "深夜",
        from: 22,
        to: 24,
    },
];

impl Weekly {
    pub(crate) fn add(&mut self, row: &RowRef<'_>, layout: &Layout) {
        if self.created.is_empty() {
            self.created = labels::date(row.col(layout, plan3::CREATED));
        }
        let service = row.col(layout, plan3::SERVICE);
        let weekday: usize = row.col(layout, plan3::WEEKDAY).parse().unwrap_or(0);
        if !service.is_empty() && (1..=7).contains(&weekday) {
            self.services.push(WeeklyService {
                weekday: weekday - 1,
                start: labels::time(row.col(layout, plan3::SERVICE_START)),
                end: labels::time(row.col(layout, plan3::SERVICE_END)),
                service: service.to_owned(),
            });
        }
        let activity = row.col(layout, plan3::ACTIVITY);
        if !activity.is_empty() && !self.activities.iter().any(|(_, a)| a == activity) {
            let start = labels::time(row.col(layout, plan3::ACTIVITY_START));
            self.activities.push((start, activity.to_owned()));
        }
        let non_weekly = row.col(layout, plan3::NON_WEEKLY);
        if !non_weekly.is_empty() && !self.non_weekly.contains(non_weekly) {
            if !self.non_weekly.is_empty() {
                self.non_weekly.push('\n');
            }
            self.non_weekly.push_str(non_weekly);
        }
    }

    /// The services starting in `band` on each weekday, Monday first.
    pub fn cells(&self, band: &Band) -> Vec<Vec<&WeeklyService>> {
        (0..7)
            .map(|day| {
                self.services
                    .iter()
                    .filter(|s| s.weekday == day && in_band(&s.start, band))
                    .collect()
            })
            .collect()
    }

    /// The activities starting in `band`.
    pub fn activities_in(&self, band: &Band) -> Vec<&str> {
        self.activities
            .iter()
            .filter(|(start, _)| in_band(start, band))
            .map(|(_, a)| a.as_str())
            .collect()
    }
}

/// Whether a time printed as `9:30` falls in the band (a service without a time in the first).
fn in_band(start: &str, band: &Band) -> bool {
    let hour = start
        .split(':')
        .next()
        .and_then(|h| h.parse::<u32>().ok())
        .unwrap_or(0);
    (band.from..band.to).contains(&hour)
}

pub(crate) fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (false, false) => format!("{a} {b}"),
        (false, true) => a.to_owned(),
        _ => b.to_owned(),
    }
}
