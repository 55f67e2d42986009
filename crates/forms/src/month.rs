//! The month: 第6表 (サービス利用票, as 予定 from the care manager or 実績 from the
//! provider) as days by services, and 第7表 (サービス利用票別表) with its totals.

use renkei_spec::Layout;
use renkei_spec::codec::RowRef;
use renkei_spec::codes::{ALL_NINES_OFFICE, GRAND_TOTAL_CODE};
use renkei_spec::layout::{schedule, sikyu};
use renkei_spec::services::CodeTable;

use crate::labels;

/// Whether a 第6表 is the plan for the month or what was actually provided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Schedule,
    Actual,
}

impl Source {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Schedule => "予定",
            Self::Actual => "実績",
        }
    }

    /// The sheet's heading as `reader` calls it: the 予定 is the person's サービス利用票 at the
    /// care manager's and the サービス提供票 at the provider's; the 実績 is 実績 for both.
    pub fn title(&self, reader: renkei_spec::glossary::Reader) -> &'static str {
        let kind = match self {
            Self::Schedule => renkei_spec::FileKind::Schedule,
            Self::Actual => renkei_spec::FileKind::Actual,
        };
        renkei_spec::glossary::form_title(kind, reader)
    }
}

/// A line of 第6表: one service of one provider at one time, with its count on each day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceLine {
    pub provider: String,
    pub provider_name: String,
    pub service_code: String,
    pub service_name: String,
    pub start: String,
    pub end: String,
    pub units: String,
    /// The count on each day, the 1st first.
    pub days: Vec<u32>,
}

impl ServiceLine {
    pub fn total(&self) -> u32 {
        self.days.iter().sum()
    }
}

/// 第6表 of one month.
#[derive(Clone, Debug)]
pub struct MonthSheet {
    pub source: Source,
    /// `YYYYMM`, for ordering; [`Self::month_label`] for printing.
    pub month: String,
    pub created: String,
    pub planner_office: String,
    pub planner_name: String,
    pub lines: Vec<ServiceLine>,
}

/// A day heading of the grid: its number and weekday, and whether it is a weekend.
#[derive(Clone, Debug)]
pub struct DayHeading {
    pub day: u32,
    pub weekday: &'static str,
    pub weekend: bool,
}

impl MonthSheet {
    pub(crate) fn new(source: Source, row: &RowRef<'_>, layout: &Layout) -> Self {
        Self {
            source,
            month: row.col(layout, schedule::MONTH).to_owned(),
            created: labels::date(row.col(layout, schedule::CREATED)),
            planner_office: row.col(layout, schedule::PLANNER_OFFICE).to_owned(),
            planner_name: row.col(layout, schedule::PLANNER_NAME).to_owned(),
            lines: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, row: &RowRef<'_>, layout: &Layout) {
        let day = labels::split_date(row.col(layout, schedule::DAY)).map(|(_, _, d)| d);
        let count: u32 = row.col(layout, schedule::COUNT).parse().unwrap_or(1);
        let provider = row.col(layout, schedule::PROVIDER);
        let code = row.col(layout, schedule::SERVICE_CODE);
        let start = labels::time(row.col(layout, schedule::START));
        let end = labels::time(row.col(layout, schedule::END));
        let days_in_month = self.days_in_month() as usize;
        let at = self.lines.iter().position(|l| {
            l.provider == provider && l.service_code == code && l.start == start && l.end == end
        });
        let line = match at {
            Some(at) => &mut self.lines[at],
            None => {
                self.lines.push(ServiceLine {
                    provider: provider.to_owned(),
                    provider_name: row.col(layout, schedule::PROVIDER_NAME).to_owned(),
                    service_code: code.to_owned(),
                    service_name: service_name(code),
                    start,
                    end,
                    units: labels::number(row.col(layout, schedule::UNITS)),
                    days: vec![0; days_in_month],
                });
                self.lines.last_mut().expect("just pushed")
            }
        };
        if let Some(slot) = day.and_then(|d| line.days.get_mut(d as usize - 1)) {
            *slot += count;
        }
    }

    pub fn month_label(&self) -> String {
        labels::year_month(&self.month)
    }

    fn year_month(&self) -> Option<(i32, u32)> {
        let year = self.month.get(..4)?.parse().ok()?;
        let month = self.month.get(4..6)?.parse().ok()?;
        (1..=12).contains(&month).then_some((year, month))
    }

    pub fn days_in_month(&self) -> u32 {
        let Some((year, month)) = self.year_month() else {
            return 31;
        };
        u32::from(renkei_spec::ids::days_in_month(year as u16, month as u8))
    }

    pub fn day_headings(&self) -> Vec<DayHeading> {
        let (year, month) = self.year_month().unwrap_or((2000, 1));
        (1..=self.days_in_month())
            .map(|day| {
                let weekday = labels::weekday(year, month, day);
                DayHeading {
                    day,
                    weekday: labels::WEEKDAYS[weekday],
                    weekend: weekday >= 5,
                }
            })
            .collect()
    }
}

/// A line of 第7表. Subtotals (種類別小計, code `xxAAAA`) and the 全合計 (`999999`) are
/// marked so the page can set them apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowanceLine {
    pub provider_name: String,
    pub provider: String,
    pub service_code: String,
    pub service_name: String,
    pub units: String,
    pub count: String,
    pub service_units: String,
    pub kind_over: String,
    pub kind_within: String,
    pub class_over: String,
    pub class_within: String,
    pub unit_price: String,
    pub total_cost: String,
    pub benefit_rate: String,
    pub claim: String,
    pub user_share: String,
    pub user_full_share: String,
    pub subtotal: bool,
    pub total: bool,
}

/// 第7表 of one month.
#[derive(Clone, Debug, Default)]
pub struct Allowance {
    pub month: String,
    pub created: String,
    pub lines: Vec<AllowanceLine>,
}

impl Allowance {
    pub(crate) fn add(&mut self, row: &RowRef<'_>, layout: &Layout) {
        if self.month.is_empty() {
            self.month = row.col(layout, sikyu::MONTH).to_owned();
            self.created = labels::date(row.col(layout, sikyu::CREATED));
        }
        let number = |c| labels::number(row.col(layout, c));
        let code = row.col(layout, sikyu::SERVICE_CODE);
        let provider = row.col(layout, sikyu::PROVIDER);
        let total = code == GRAND_TOTAL_CODE || provider == ALL_NINES_OFFICE;
        let subtotal = !total && code.ends_with("AAAA");
        let service_name = if total {
            "合計".to_owned()
        } else if subtotal {
            format!(
                "{}計",
                renkei_spec::services::kind_name(&code[..2]).unwrap_or("種類別小")
            )
        } else {
            service_name(code)
        };
        self.lines.push(AllowanceLine {
            provider_name: row.col(layout, sikyu::PROVIDER_NAME).to_owned(),
            provider: provider.to_owned(),
            service_code: code.to_owned(),
            service_name,
            units: number(sikyu::UNITS),
            count: number(sikyu::COUNT),
            service_units: number(sikyu::SERVICE_UNITS),
            kind_over: number(sikyu::KIND_OVER),
            kind_within: number(sikyu::KIND_WITHIN),
            class_over: number(sikyu::CLASS_OVER),
            class_within: number(sikyu::CLASS_WITHIN),
            unit_price: row.col(layout, sikyu::UNIT_PRICE).to_owned(),
            total_cost: number(sikyu::TOTAL_COST),
            benefit_rate: row.col(layout, sikyu::BENEFIT_RATE).to_owned(),
            claim: number(sikyu::CLAIM),
            user_share: number(sikyu::USER_SHARE),
            user_full_share: number(sikyu::USER_FULL_SHARE),
            subtotal,
            total,
        });
    }

    pub fn month_label(&self) -> String {
        labels::year_month(&self.month)
    }
}

/// The service's name from the code table, or empty for a code the table lacks.
fn service_name(code: &str) -> String {
    CodeTable::get()
        .lookup(code)
        .map(|c| c.name.to_owned())
        .unwrap_or_default()
}
