//! Checks of particular tables: months and ties (§8.2 5–6, 10), 第6表 and 第7表 rules
//! (12–14), 第2表 numbering and 第3表 record shape.
//!
//! Values are compared as the file's bytes (equal text is equal bytes in one encoding) and
//! read as codes, months and numbers only when they are ASCII: anything else is already an
//! item error. A value is decoded only to be shown.

use std::collections::{BTreeMap, HashSet};

use super::Sink;
use super::rules::*;
use crate::codec::RawRow;
use crate::codes::{ALL_NINES_OFFICE, GRAND_TOTAL_CODE};
use crate::filename::MonthToken;
use crate::ids::{Date, YearMonth};
use crate::kind::FileKind;
use crate::layout::{
    Layout, actual_delete, hosoku, plan2, plan3, schedule, schedule_delete, sikyu,
};
use crate::services::{self, CodeTable, Target};
use crate::version::Generation;

/// Per-file state of the table checks; feed rows, then `finish`. The state borrows the
/// items of the file's table (`'t`) rather than copying them: a month has a million rows.
pub(super) struct TableChecks<'t> {
    layout: &'t Layout,
    name_month: Option<MonthToken>,
    first_month: Option<&'t [u8]>,
    codes: &'static CodeTable,
    /// People of a 第7表 in file order; a person's lines are together, so the last is checked first.
    sikyu_users: Vec<(PersonKey<'t>, SikyuUser<'t>)>,
    plan2_numbers: HashSet<[&'t [u8]; 6]>,
    /// The last service code looked up in the table and whether it was there: lines of one
    /// person repeat the same code day after day.
    last_code: Option<(&'t [u8], bool)>,
}

/// 保険者番号 and 被保険者番号 as the file's bytes.
type PersonKey<'t> = (&'t [u8], &'t [u8]);

struct SikyuUser<'t> {
    /// The person's first line, which the findings about them point at.
    first_row: RawRow<'t>,
    has_total: bool,
    code_lines: BTreeMap<&'t [u8], usize>,
    subtotals: HashSet<&'t [u8]>,
}

impl<'t> TableChecks<'t> {
    pub(super) fn new(layout: &'t Layout, name_month: Option<MonthToken>) -> Self {
        Self {
            layout,
            name_month,
            first_month: None,
            codes: CodeTable::get(),
            sikyu_users: Vec::new(),
            plan2_numbers: HashSet::new(),
            last_code: None,
        }
    }

    fn item(&self, col: usize) -> Option<(usize, &'static crate::layout::ItemSpec)> {
        self.layout
            .position(col)
            .map(|i| (i, self.layout.items()[i]))
    }

    pub(super) fn row(&mut self, row: &RawRow<'t>, sink: &mut Sink<'_>) {
        match self.layout.kind {
            FileKind::Schedule | FileKind::Actual => {
                self.month(row, schedule::MONTH, sink);
                self.schedule_row(row, sink);
            }
            FileKind::Sikyu => {
                self.month(row, sikyu::MONTH, sink);
                self.sikyu_row(row, sink);
            }
            FileKind::ScheduleDelete => self.month(row, schedule_delete::MONTH, sink),
            FileKind::ActualDelete => {
                self.month(row, actual_delete::MONTH, sink);
                let kind = row.col_bytes(self.layout, actual_delete::KIND);
                self.service_kind(row, kind, actual_delete::KIND, sink);
            }
            FileKind::Hosoku => self.hosoku_row(row, sink),
            FileKind::Plan2 => self.plan2_row(row, sink),
            FileKind::Plan3 => self.plan3_row(row, sink),
            _ => {}
        }
    }

    pub(super) fn finish(self, sink: &mut Sink<'_>) {
        let total_item = self.item(sikyu::SERVICE_CODE);
        for ((_, insured), user) in &self.sikyu_users {
            let insured = user.first_row.decode(insured);
            let first_line = user.first_row.line();
            if !user.has_total {
                sink.at(
                    &T005,
                    Some(first_line),
                    total_item,
                    None,
                    format!("被保険者番号{insured}"),
                    format!("insured {insured}"),
                );
            }
            for (kind, &lines) in &user.code_lines {
                if lines >= 2 && !user.subtotals.contains(kind) {
                    let kind = user.first_row.decode(kind);
                    sink.at(
                        &T006,
                        Some(first_line),
                        total_item,
                        None,
                        format!("被保険者番号{insured}、サービス種類{kind}に{lines}行、{kind}AAAAの行なし"),
                        format!("insured {insured}, kind {kind}: {lines} lines, no {kind}AAAA line"),
                    );
                }
            }
        }
    }

    /// 対象年月: the same in every record (M001) and equal to the name's month (M002).
    fn month(&mut self, row: &RawRow<'t>, col: usize, sink: &mut Sink<'_>) {
        let bytes = row.col_bytes(self.layout, col);
        let item = self.item(col);
        match self.first_month {
            None => {
                self.first_month = Some(bytes);
                if let Some(MonthToken::Month(ym)) = self.name_month
                    && bytes != ym.to_string().as_bytes()
                    && !bytes.is_empty()
                {
                    let month = row.decode(bytes);
                    sink.at(
                        &M002,
                        Some(row.line()),
                        item,
                        Some(&month),
                        format!("ファイル名は{ym}、レコードは{month}"),
                        format!("name says {ym}, record says {month}"),
                    );
                }
            }
            Some(first) if first != bytes => {
                let (first, month) = (row.decode(first), row.decode(bytes));
                sink.at(
                    &M001,
                    Some(row.line()),
                    item,
                    Some(&month),
                    format!("最初のレコードは{first}、この行は{month}"),
                    format!("first record {first}, this one {month}"),
                )
            }
            Some(_) => {}
        }
    }

    fn service_kind(&self, row: &RawRow<'_>, kind: &[u8], col: usize, sink: &mut Sink<'_>) {
        let item = self.item(col);
        let target = services::target(kind);
        if matches!(target, Some(Target::Yes | Target::Unsure)) {
            return;
        }
        let name = services::kind_name(kind).unwrap_or("");
        let kind_len = kind.len();
        let kind = row.decode(kind);
        let kind = kind.as_ref();
        match target {
            Some(Target::Yes | Target::Unsure) => {}
            Some(Target::No) => sink.at(
                &T004,
                Some(row.line()),
                item,
                Some(kind),
                format!("{kind}は{name}で連携対象外"),
                format!("kind {kind} is not exchanged"),
            ),
            None if kind_len == 2 => sink.at(
                &T004,
                Some(row.line()),
                item,
                Some(kind),
                format!("サービス種類{kind}は標準仕様の一覧にありません"),
                format!("kind {kind} is not in the standard's list"),
            ),
            None => {}
        }
    }

    /// A service code of a real service (not a subtotal): its kind is exchanged (T004) and,
    /// for the kinds the table covers, the code exists (T003).
    fn service_code(&mut self, row: &RawRow<'t>, code: &'t [u8], col: usize, sink: &mut Sink<'_>) {
        let Some(kind) = code_kind(code) else {
            return;
        };
        self.service_kind(row, kind, col, sink);
        let known = match &self.last_code {
            Some((last, known)) if *last == code => *known,
            _ => {
                let known = !self.codes.covers(kind) || self.codes.lookup(code).is_some();
                self.last_code = Some((code, known));
                known
            }
        };
        if !known {
            let code = row.decode(code);
            sink.at(
                &T003,
                Some(row.line()),
                self.item(col),
                Some(&code),
                code.as_ref(),
                code.as_ref(),
            );
        }
    }

    /// TAIS / 届出コード on rental lines (T001), 明細判別コード only on them (T002).
    fn equipment(
        &self,
        row: &RawRow<'_>,
        code: &[u8],
        cols: (usize, usize),
        detail: Option<usize>,
        sink: &mut Sink<'_>,
    ) {
        let rental = code_kind(code).is_some_and(services::is_equipment_rental);
        if rental
            && self.layout.generation == Generation::V4
            && row.col_bytes(self.layout, cols.0).is_empty()
            && row.col_bytes(self.layout, cols.1).is_empty()
        {
            let code = row.decode(code);
            sink.at(
                &T001,
                Some(row.line()),
                self.item(cols.0),
                None,
                code.as_ref(),
                code.as_ref(),
            );
        }
        if let Some(detail) = detail
            && !rental
            && !row.col_bytes(self.layout, detail).is_empty()
        {
            let code = row.decode(code);
            sink.at(
                &T002,
                Some(row.line()),
                self.item(detail),
                Some(&row.col_text(self.layout, detail)),
                code.as_ref(),
                code.as_ref(),
            );
        }
    }

    fn schedule_row(&mut self, row: &RawRow<'t>, sink: &mut Sink<'_>) {
        let l = self.layout;
        let month = YearMonth::from_digits(row.col_bytes(l, schedule::MONTH));
        let day = row.col_bytes(l, schedule::DAY);
        if let (Some(month), Some(date)) = (month, Date::from_digits(day))
            && date.year_month() != month
        {
            sink.at(
                &M004,
                Some(row.line()),
                self.item(schedule::DAY),
                Some(&row.decode(day)),
                format!("対象年月{month}"),
                format!("target month {month}"),
            );
        }
        let flags = row.col_bytes(l, schedule::PRORATED_DAYS);
        if let Some(month) = month
            && flags.len() == 31
            && flags.iter().skip(month.days() as usize).any(|&b| b == b'1')
        {
            sink.at(
                &I011,
                Some(row.line()),
                self.item(schedule::PRORATED_DAYS),
                Some(&row.decode(flags)),
                format!("{month}は{}日まで", month.days()),
                format!("{month} has {} days", month.days()),
            );
        }
        let code = row.col_bytes(l, schedule::SERVICE_CODE);
        self.service_code(row, code, schedule::SERVICE_CODE, sink);
        self.equipment(
            row,
            code,
            (schedule::TAIS, schedule::NOTIFIED_CODE),
            Some(schedule::DETAIL_NO),
            sink,
        );
    }

    fn sikyu_row(&mut self, row: &RawRow<'t>, sink: &mut Sink<'_>) {
        let l = self.layout;
        let code = row.col_bytes(l, sikyu::SERVICE_CODE);
        let (insurer, insured) = (
            row.col_bytes(l, sikyu::INSURER),
            row.col_bytes(l, sikyu::INSURED),
        );
        let found = self
            .sikyu_users
            .iter()
            .rposition(|((a, b), _)| *a == insurer && *b == insured);
        let index = found.unwrap_or_else(|| {
            let user = SikyuUser {
                first_row: *row,
                has_total: false,
                code_lines: BTreeMap::new(),
                subtotals: HashSet::new(),
            };
            self.sikyu_users.push(((insurer, insured), user));
            self.sikyu_users.len() - 1
        });
        let user = &mut self.sikyu_users[index].1;
        let kind = code_kind(code);
        let grand_total = code == GRAND_TOTAL_CODE.as_bytes();
        let subtotal = !grand_total && crate::codes::is_sikyu_total(code);
        if grand_total || subtotal {
            if grand_total {
                user.has_total = true;
                let office = row.col_bytes(l, sikyu::PROVIDER);
                if office != ALL_NINES_OFFICE.as_bytes() {
                    sink.at(
                        &T008,
                        Some(row.line()),
                        self.item(sikyu::PROVIDER),
                        Some(&row.decode(office)),
                        "",
                        "",
                    );
                }
            } else if let Some(kind) = kind
                && &code[2..] == b"AAAA"
            {
                user.subtotals.insert(kind);
            }
            let units = row.col_bytes(l, sikyu::UNITS);
            let zero = units.strip_prefix(b"-").unwrap_or(units);
            if !zero.is_empty()
                && zero.iter().all(u8::is_ascii_digit)
                && zero.iter().any(|&b| b != b'0')
            {
                sink.at(
                    &T007,
                    Some(row.line()),
                    self.item(sikyu::UNITS),
                    Some(&row.decode(units)),
                    "単位数は0",
                    "units must be 0",
                );
            }
            for col in [sikyu::DISCOUNT_RATE, sikyu::DISCOUNT_UNITS] {
                let value = row.col_bytes(l, col);
                if !value.is_empty() {
                    sink.at(
                        &T007,
                        Some(row.line()),
                        self.item(col),
                        Some(&row.decode(value)),
                        "空にする",
                        "must be empty",
                    );
                }
            }
            return;
        }
        if let Some(kind) = kind {
            *user.code_lines.entry(kind).or_default() += 1;
        }
        self.service_code(row, code, sikyu::SERVICE_CODE, sink);
        self.equipment(row, code, (sikyu::TAIS, sikyu::NOTIFIED_CODE), None, sink);
    }

    /// §8.2 6: name month `000000` ⇔ 対象年月 `000000` ⇔ a real plan date.
    fn hosoku_row(&mut self, row: &RawRow<'t>, sink: &mut Sink<'_>) {
        let l = self.layout;
        let plan_tied = row.col_bytes(l, hosoku::MONTH) == b"000000";
        let no_plan_date = row.col_bytes(l, hosoku::PLAN_DATE) == b"00000000";
        let consistent = match self.name_month {
            Some(MonthToken::Plan) => plan_tied && !no_plan_date,
            Some(MonthToken::Month(_)) => !plan_tied && no_plan_date,
            None => plan_tied != no_plan_date,
        };
        if !consistent {
            let name = match self.name_month {
                Some(m) => m.to_string(),
                None => "-".into(),
            };
            let month = row.col_text(l, hosoku::MONTH);
            let plan_date = row.col_text(l, hosoku::PLAN_DATE);
            sink.at(
                &M003,
                Some(row.line()),
                self.item(hosoku::MONTH),
                Some(&month),
                format!("ファイル名の年月{name}、対象年月{month}、計画作成(変更)日{plan_date}"),
                format!("name month {name}, 対象年月 {month}, plan date {plan_date}"),
            );
            return;
        }
        if !plan_tied {
            self.month(row, hosoku::MONTH, sink);
        }
    }

    fn plan2_row(&mut self, row: &RawRow<'t>, sink: &mut Sink<'_>) {
        let l = self.layout;
        let numbers =
            [plan2::ISSUE_NO, plan2::GOAL_NO, plan2::CONTENT_NO].map(|c| row.col_bytes(l, c));
        if numbers.iter().any(|n| n.is_empty()) {
            return;
        }
        let key = [
            row.col_bytes(l, plan2::INSURER),
            row.col_bytes(l, plan2::INSURED),
            row.col_bytes(l, plan2::PLAN_DATE),
            numbers[0],
            numbers[1],
            numbers[2],
        ]
        .map(|s| &s[s.iter().take_while(|&&b| b == b'0').count()..]);
        if !self.plan2_numbers.insert(key) {
            let numbers = numbers.map(|n| row.decode(n));
            sink.at(
                &T009,
                Some(row.line()),
                self.item(plan2::ISSUE_NO),
                None,
                format!(
                    "課題NO{} 援助目標NO{} 援助内容NO{}",
                    numbers[0], numbers[1], numbers[2]
                ),
                format!("numbers {}/{}/{}", numbers[0], numbers[1], numbers[2]),
            );
        }
    }

    fn plan3_row(&mut self, row: &RawRow<'_>, sink: &mut Sink<'_>) {
        let l = self.layout;
        let filled = |cols: &[usize]| cols.iter().any(|&c| !row.col_bytes(l, c).is_empty());
        let parts = [
            filled(&[
                plan3::SERVICE,
                plan3::WEEKDAY,
                plan3::SERVICE_START,
                plan3::SERVICE_END,
            ]),
            filled(&[plan3::ACTIVITY, plan3::ACTIVITY_START, plan3::ACTIVITY_END]),
            filled(&[plan3::NON_WEEKLY]),
        ];
        if parts.iter().filter(|&&p| p).count() > 1 {
            sink.at(&T010, Some(row.line()), None, None, "", "");
        }
    }
}

/// The kind (first 2) of a サービスコード that has the shape of one (6 ASCII bytes);
/// anything else is left to the item checks.
fn code_kind(code: &[u8]) -> Option<&[u8]> {
    (code.len() == 6 && code.is_ascii()).then(|| &code[..2])
}
