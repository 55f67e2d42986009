//! 予定と実績の突合: a month's 第6表 as planned (the 予定 the care manager sent) against the
//! same month as done (the 実績 the providers reported), service by service and day by day,
//! as the care manager checks them before the 給付管理票.
//!
//! Lines are paired by provider, service code and time. A line that changed as a whole
//! pairs with the planned line of the same provider that differs in one of them: the same
//! code at another time (時間違い), or another code at the same time (サービスコード違い).
//! Within a pair each day is compared; a visit moved to another time on one day is a day
//! planned at one time and done at another of the same service (時間違い on that day).

use crate::month::ServiceLine;

/// What differs, as the care manager reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    /// Done on `day` (1-based) but not planned.
    DoneNotPlanned { day: u32 },
    /// Planned on `day` but not done.
    PlannedNotDone { day: u32 },
    /// Done on `day` a different number of times than planned.
    CountChanged { day: u32, planned: u32, done: u32 },
    /// The whole line, or one day of it, done under another service code than planned.
    CodeChanged {
        day: Option<u32>,
        planned: String,
        done: String,
    },
    /// The whole line, or one day of it, done at another time than planned.
    TimeChanged {
        day: Option<u32>,
        planned: String,
        done: String,
    },
    /// The units of one occurrence differ (a 加算 added or dropped).
    UnitsChanged { planned: u32, done: u32 },
}

impl Difference {
    /// The difference in the field's words, for a list and the CSV.
    pub fn describe(&self) -> String {
        // A change of one day says which day; one of the whole line stands alone.
        let on = |day: &Option<u32>| day.map_or_else(String::new, |day| format!("{day}日："));
        match self {
            Self::DoneNotPlanned { day } => format!("{day}日：予定にない実績"),
            Self::PlannedNotDone { day } => format!("{day}日：予定のうち実績なし"),
            Self::CountChanged { day, planned, done } => {
                format!("{day}日：回数が違う（予定{planned}回・実績{done}回）")
            }
            Self::CodeChanged { day, planned, done } => {
                format!(
                    "{}サービスコードが違う（予定 {planned}・実績 {done}）",
                    on(day)
                )
            }
            Self::TimeChanged { day, planned, done } => {
                format!("{}時間が違う（予定 {planned}・実績 {done}）", on(day))
            }
            Self::UnitsChanged { planned, done } => {
                format!("単位数が違う（予定{planned}・実績{done}）")
            }
        }
    }
}

/// One day of a row: how many times planned and done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Day {
    pub planned: u32,
    pub done: u32,
}

impl Day {
    /// The mark the grid shows: nothing, a count, or where they part.
    pub fn mark(&self) -> &'static str {
        match (self.planned, self.done) {
            (0, 0) => "",
            (p, d) if p == d => "○",
            (_, 0) => "予",
            (0, _) => "実",
            _ => "違",
        }
    }

    pub fn differs(&self) -> bool {
        self.planned != self.done
    }
}

/// One service of the month: the planned line and the done line paired, either side
/// missing when there is none.
#[derive(Clone, Debug)]
pub struct Row {
    pub provider: String,
    pub provider_name: String,
    /// The service as done when there is a done line, else as planned.
    pub service_code: String,
    pub service_name: String,
    pub time: String,
    pub days: Vec<Day>,
    /// Units of one occurrence, as planned and as done (0 where the side is missing).
    pub planned_units_each: u32,
    pub done_units_each: u32,
    pub differences: Vec<Difference>,
}

impl Row {
    pub fn planned_total(&self) -> u32 {
        self.days.iter().map(|d| d.planned).sum()
    }

    pub fn done_total(&self) -> u32 {
        self.days.iter().map(|d| d.done).sum()
    }

    pub fn planned_units(&self) -> u32 {
        self.planned_total() * self.planned_units_each
    }

    pub fn done_units(&self) -> u32 {
        self.done_total() * self.done_units_each
    }
}

/// A month's planned and done lines of one person, compared.
#[derive(Clone, Debug, Default)]
pub struct Reconciliation {
    pub rows: Vec<Row>,
}

impl Reconciliation {
    pub fn planned_units(&self) -> u32 {
        self.rows.iter().map(Row::planned_units).sum()
    }

    pub fn done_units(&self) -> u32 {
        self.rows.iter().map(Row::done_units).sum()
    }

    pub fn differences(&self) -> usize {
        self.rows.iter().map(|r| r.differences.len()).sum()
    }
}

fn units_of(line: &ServiceLine) -> u32 {
    line.units
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

fn time_of(line: &ServiceLine) -> String {
    if line.start.is_empty() && line.end.is_empty() {
        String::new()
    } else {
        format!("{}〜{}", line.start, line.end)
    }
}

/// Compare `planned` with `done`, lines of one person's month; `days` is the month's length.
pub fn reconcile(planned: &[ServiceLine], done: &[ServiceLine], days: usize) -> Reconciliation {
    let mut pairs: Vec<(Option<&ServiceLine>, Option<&ServiceLine>)> = Vec::new();
    let mut open_plan: Vec<&ServiceLine> = planned.iter().collect();
    let mut open_done: Vec<&ServiceLine> = Vec::new();
    // The same service at the same time first; then a whole line changed in one respect.
    for line in done {
        let same = |p: &&ServiceLine| {
            p.provider == line.provider
                && p.service_code == line.service_code
                && p.start == line.start
                && p.end == line.end
        };
        match open_plan.iter().position(same) {
            Some(at) => pairs.push((Some(open_plan.remove(at)), Some(line))),
            None => open_done.push(line),
        }
    }
    let mut unpaired = Vec::new();
    for line in open_done {
        let changed = |p: &&ServiceLine| {
            p.provider == line.provider
                && ((p.service_code == line.service_code)
                    != (p.start == line.start && p.end == line.end))
        };
        match open_plan.iter().position(changed) {
            // Another time only for a line done on none of the planned line's days would be
            // a different visit; a changed line keeps most of its days.
            Some(at) if overlap(open_plan[at], line) * 2 >= line.total() => {
                pairs.push((Some(open_plan.remove(at)), Some(line)));
            }
            _ => unpaired.push(line),
        }
    }
    pairs.extend(unpaired.into_iter().map(|l| (None, Some(l))));
    pairs.extend(open_plan.into_iter().map(|p| (Some(p), None)));

    let mut rows: Vec<Row> = pairs.into_iter().map(|pair| row(pair, days)).collect();
    changed_on_a_day(&mut rows);
    rows.sort_by_key(|r| (r.provider.clone(), minutes(&r.time), r.service_code.clone()));
    Reconciliation { rows }
}

/// A row's start as minutes of the day, for the order of the form (a line without a time
/// first).
fn minutes(time: &str) -> u32 {
    let start = time.split('〜').next().unwrap_or("");
    let mut parts = start.split(':').map(|p| p.parse::<u32>().unwrap_or(0));
    parts.next().unwrap_or(0) * 60 + parts.next().unwrap_or(0)
}

/// Days on which both lines have a visit.
fn overlap(a: &ServiceLine, b: &ServiceLine) -> u32 {
    a.days
        .iter()
        .zip(&b.days)
        .filter(|(x, y)| **x > 0 && **y > 0)
        .count() as u32
}

fn row((plan, done): (Option<&ServiceLine>, Option<&ServiceLine>), days: usize) -> Row {
    let shown = done.or(plan).expect("a pair has a side");
    let day_of = |line: Option<&ServiceLine>, i: usize| {
        line.and_then(|l| l.days.get(i)).copied().unwrap_or(0)
    };
    let cells: Vec<Day> = (0..days)
        .map(|i| Day {
            planned: day_of(plan, i),
            done: day_of(done, i),
        })
        .collect();
    let mut differences = Vec::new();
    if let (Some(p), Some(d)) = (plan, done) {
        if p.service_code != d.service_code {
            differences.push(Difference::CodeChanged {
                day: None,
                planned: p.service_code.clone(),
                done: d.service_code.clone(),
            });
        }
        if (&p.start, &p.end) != (&d.start, &d.end) {
            differences.push(Difference::TimeChanged {
                day: None,
                planned: time_of(p),
                done: time_of(d),
            });
        }
        let (pu, du) = (units_of(p), units_of(d));
        if pu != du && p.service_code == d.service_code {
            differences.push(Difference::UnitsChanged {
                planned: pu,
                done: du,
            });
        }
    }
    for (i, cell) in cells.iter().enumerate() {
        let day = i as u32 + 1;
        match (cell.planned, cell.done) {
            (p, d) if p == d => {}
            (_, 0) => differences.push(Difference::PlannedNotDone { day }),
            (0, _) => differences.push(Difference::DoneNotPlanned { day }),
            (planned, done) => differences.push(Difference::CountChanged { day, planned, done }),
        }
    }
    Row {
        provider: shown.provider.clone(),
        provider_name: shown.provider_name.clone(),
        service_code: shown.service_code.clone(),
        service_name: shown.service_name.clone(),
        time: time_of(shown),
        days: cells,
        planned_units_each: plan.map(units_of).unwrap_or(0),
        done_units_each: done.map(units_of).unwrap_or(0),
        differences,
    }
}

/// A visit moved to another time on one day, or done under another code at its time,
/// shows as a day planned-not-done on one row and done-not-planned on another of the same
/// provider: one 時間違い (same code) or サービスコード違い (same time) on that day.
fn changed_on_a_day(rows: &mut [Row]) {
    for a in 0..rows.len() {
        for b in 0..rows.len() {
            let same_code = rows[a].service_code == rows[b].service_code;
            let same_time = rows[a].time == rows[b].time;
            if a == b || rows[a].provider != rows[b].provider || same_code == same_time {
                continue;
            }
            let changed: Vec<u32> = rows[a]
                .differences
                .iter()
                .filter_map(|d| match d {
                    Difference::PlannedNotDone { day } => Some(*day),
                    _ => None,
                })
                .filter(|day| {
                    rows[b]
                        .differences
                        .contains(&Difference::DoneNotPlanned { day: *day })
                })
                .collect();
            for day in changed {
                let (planned, done) = if same_code {
                    (rows[a].time.clone(), rows[b].time.clone())
                } else {
                    (rows[a].service_code.clone(), rows[b].service_code.clone())
                };
                rows[a]
                    .differences
                    .retain(|d| *d != Difference::PlannedNotDone { day });
                let at = rows[b]
                    .differences
                    .iter()
                    .position(|d| *d == Difference::DoneNotPlanned { day })
                    .expect("found above");
                let day = Some(day);
                rows[b].differences[at] = if same_code {
                    Difference::TimeChanged { day, planned, done }
                } else {
                    Difference::CodeChanged { day, planned, done }
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(code: &str, start: &str, units: &str, days: &[u32]) -> ServiceLine {
        let mut counts = vec![0; 31];
        for day in days {
            counts[*day as usize - 1] += 1;
        }
        ServiceLine {
            provider: "1313366167".into(),
            provider_name: "架空訪問介護".into(),
            service_code: code.into(),
            service_name: String::new(),
            start: start.into(),
            end: format!(
                "{}:00",
                start[..start.len() - 3].parse::<u32>().unwrap() + 1
            ),
            units: units.into(),
            days: counts,
        }
    }

    #[test]
    fn a_month_done_as_planned_has_no_difference() {
        let planned = [line("111211", "9:00", "387", &[1, 8, 15, 22, 29])];
        let done = planned.clone();
        let result = reconcile(&planned, &done, 31);
        assert_eq!(result.differences(), 0);
        assert_eq!(result.planned_units(), 5 * 387);
        assert_eq!(result.done_units(), 5 * 387);
    }

    #[test]
    fn days_dropped_added_moved_and_codes_changed_are_each_found() {
        let planned = [
            line("111211", "9:00", "387", &[1, 8, 15, 22, 29]),
            line("152341", "10:00", "570", &[2, 9, 16, 23, 30]),
            line("111111", "14:00", "244", &[3, 10]),
        ];
        let done = [
            // The 15th dropped, the 16th added.
            line("111211", "9:00", "387", &[1, 8, 16, 22, 29]),
            // Done under another code (a 加算), every day as planned.
            line("152351", "10:00", "600", &[2, 9, 16, 23, 30]),
            // The 10th moved from 14:00 to 15:00.
            line("111111", "14:00", "244", &[3]),
            line("111111", "15:00", "244", &[10]),
        ];
        let mut planned = planned.to_vec();
        let mut done = done.to_vec();
        // The 4th done as 身体介護３ at the planned time.
        planned.push(line("111211", "17:00", "387", &[4, 11]));
        done.push(line("111211", "17:00", "387", &[11]));
        done.push(line("111311", "17:00", "567", &[4]));
        let result = reconcile(&planned, &done, 31);
        let all: Vec<String> = result
            .rows
            .iter()
            .flat_map(|r| r.differences.iter().map(Difference::describe))
            .collect();
        assert_eq!(
            all,
            [
                "15日：予定のうち実績なし",
                "16日：予定にない実績",
                "サービスコードが違う（予定 152341・実績 152351）",
                "10日：時間が違う（予定 14:00〜15:00・実績 15:00〜16:00）",
                "4日：サービスコードが違う（予定 111211・実績 111311）",
            ],
            "{all:#?}"
        );
        assert_eq!(
            result.planned_units(),
            5 * 387 + 5 * 570 + 2 * 244 + 2 * 387
        );
        assert_eq!(result.done_units(), 5 * 387 + 5 * 600 + 2 * 244 + 387 + 567);
        // The grid's marks on the changed days.
        let first = &result.rows[0];
        assert_eq!(first.days[14].mark(), "予");
        assert_eq!(first.days[15].mark(), "実");
        assert_eq!(first.days[0].mark(), "○");
    }

    #[test]
    fn a_service_not_reported_or_not_planned_is_a_row_of_its_own() {
        let planned = [line("111211", "9:00", "387", &[1, 2])];
        let done = [line("131111", "18:00", "500", &[5])];
        let result = reconcile(&planned, &done, 30);
        assert_eq!(result.rows.len(), 2);
        assert_eq!(result.differences(), 3);
        assert_eq!(result.rows[0].days.len(), 30);
    }
}
