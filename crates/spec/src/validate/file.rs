//! File-level checks (§8.2 1–6): name, encoding, structure, version, then each record's
//! items and the table rules; and the facts about the file that the set checks need.

use std::cell::RefCell;

use super::keys::ParentKeys;
use super::rules::*;
use super::{FileReport, Input, Options, Sink, items, tables::TableChecks};
use crate::codec::{RawBuffers, RawRow, RawTable, ReadOptions, ReadProblem};
use crate::filename::{FileName, MonthToken, NameNote};
use crate::kind::FileKind;
use crate::layout::{Layout, hosoku, kihon, plan1, plan2, plan3, schedule, sikyu};
use crate::version::{CsvVersion, Generation};

/// What the set checks need to know of a checked file.
pub(super) struct Facts {
    pub kind: FileKind,
    pub generation: Generation,
    /// For 利用者補足情報: whether it is tied to the plan (`000000`) rather than to 利用票.
    pub plan_tied: bool,
    pub keys: ParentKeys,
    /// Family-structure images named in 利用者基本情報 No.62.
    pub images: Vec<(String, u32)>,
}

pub(super) struct Checked {
    pub name: Option<FileName>,
    pub report: FileReport,
    pub facts: Option<Facts>,
}

thread_local! {
    /// One set of reading buffers per thread, reused from file to file: most files of a
    /// month are small, and allocating fresh buffers for each cost more than reading it.
    static BUFFERS: RefCell<RawBuffers> = RefCell::new(RawBuffers::default());
}

/// Check one file whose name has been parsed (`name`, or why it is not a name of the standard).
pub(super) fn check(
    input: Input<'_>,
    name: crate::Result<FileName>,
    report_name: String,
    options: Options,
) -> Checked {
    let mut sink = Sink::new(input.name);
    let name = check_name(name, &mut sink);
    let kind = name
        .as_ref()
        .map(|n| n.kind)
        .or_else(|| guess_kind(input.name));
    let mut report = FileReport {
        name: report_name,
        kind,
        records: 0,
        bytes: input.bytes.len(),
        findings: Vec::new(),
        suppressed: Default::default(),
    };
    let facts = match kind {
        Some(FileKind::KihonImage) => {
            if !input.bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                sink.file(&S004, "", "");
            }
            name.as_ref().map(|n| Facts {
                kind: FileKind::KihonImage,
                generation: n.generation,
                plan_tied: false,
                keys: ParentKeys::default(),
                images: Vec::new(),
            })
        }
        kind => BUFFERS.with_borrow_mut(|buffers| {
            let read_options = ReadOptions {
                encoding: options.encoding,
            };
            let table = RawTable::read_reusing(input.bytes, read_options, std::mem::take(buffers));
            report.records = table.len();
            let facts = match kind {
                Some(kind) => {
                    let facts = check_table(kind, name.as_ref(), &table, &mut sink);
                    sink.name_people(&table);
                    facts
                }
                None => {
                    // Without a kind there is no layout; the encoding can still be judged.
                    read_problems(&table, &mut sink);
                    stray_quotes(&table, None, &mut sink);
                    None
                }
            };
            *buffers = table.into_buffers();
            facts
        }),
    };
    let (findings, suppressed) = sink.finish();
    report.findings = findings;
    report.suppressed = suppressed;
    Checked {
        name,
        report,
        facts,
    }
}

fn guess_kind(name: &str) -> Option<FileKind> {
    let stem = name.split('.').next().unwrap_or(name);
    let mut tokens = stem.split('_');
    let first = tokens.next()?;
    let second = tokens.next().unwrap_or("");
    FileKind::from_prefix(&format!("{first}_{second}")).or_else(|| FileKind::from_prefix(first))
}

fn check_name(name: crate::Result<FileName>, sink: &mut Sink<'_>) -> Option<FileName> {
    match name {
        Ok(parsed) => {
            for note in &parsed.notes {
                let rule = match note {
                    NameNote::LowerCaseExtension => &N002,
                    NameNote::ExtraZeroToken => &N003,
                    NameNote::ThreeCharacterKindToken => &N004,
                };
                sink.file(rule, "", "");
            }
            check_sender_kind(&parsed, sink);
            if parsed.from == parsed.to {
                sink.file(
                    &N007,
                    format!("送信元・送信先とも{}", parsed.from),
                    format!("both {}", parsed.from),
                );
            }
            Some(parsed)
        }
        Err(error) => {
            let (ja, en) = match &error {
                crate::Error::FileName {
                    reason, reason_en, ..
                } => (*reason, *reason_en),
                _ => ("", ""),
            };
            sink.file(&N001, ja, en);
            None
        }
    }
}

/// N006: planners send plans and 予定, providers send 実績. A 居宅 under 委託 forwards 実績 to
/// the 地域包括 (§10.1), so 実績 from a planner to a planner is fine.
fn check_sender_kind(name: &FileName, sink: &mut Sink<'_>) {
    let (Some(from), Some(to)) = (name.from_kind, name.to_kind) else {
        return;
    };
    let odd = if name.kind.sent_by_provider() {
        from.is_planner() && !to.is_planner()
    } else {
        !from.is_planner()
    };
    if odd {
        sink.file(
            &N006,
            format!("{}を種類{from}の事業所が送っています", name.kind.name_ja()),
            format!("{} sent by an office of kind {from}", name.kind),
        );
    }
}

fn read_problems(table: &RawTable<'_>, sink: &mut Sink<'_>) {
    for problem in &table.problems {
        match problem {
            ReadProblem::Malformed {
                line,
                offset,
                bytes,
            } => {
                let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
                sink.at(
                    &E001,
                    Some(*line),
                    None,
                    None,
                    format!("{offset}バイト目 {}", hex.join(" ")),
                    format!("at byte {offset}: {}", hex.join(" ")),
                );
            }
            ReadProblem::PrivateUse { line, ch } => {
                let code = *ch as u32;
                sink.at(
                    &E002,
                    Some(*line),
                    None,
                    None,
                    format!("U+{code:04X}"),
                    format!("U+{code:04X}"),
                );
            }
            ReadProblem::Utf8Bom => sink.file(&E003, "", ""),
            ReadProblem::EofMark => sink.file(&E004, "", ""),
            ReadProblem::TooLarge => sink.file(&E005, "", ""),
            ReadProblem::UnterminatedQuote { line } => sink.at(
                &S002,
                Some(*line),
                None,
                None,
                format!("{line}行目から"),
                format!("from line {line}"),
            ),
            ReadProblem::StrayQuote { .. } => {}
        }
    }
}

/// S005 for each row with a quote the standard does not allow; those rows, in order, each
/// with the index of its broken item: that item and the ones after it are not to be
/// checked, as where it ends cannot be known.
fn stray_quotes(
    table: &RawTable<'_>,
    layout: Option<&Layout>,
    sink: &mut Sink<'_>,
) -> Vec<(usize, usize)> {
    let mut broken = Vec::new();
    for problem in &table.problems {
        let &ReadProblem::StrayQuote {
            line,
            column,
            row,
            item,
        } = problem
        else {
            continue;
        };
        let index = item as usize - 1;
        broken.push((row as usize, index));
        let spec = layout.and_then(|l| l.items().get(index).map(|spec| (index, *spec)));
        sink.at(
            &S005,
            Some(line),
            spec,
            None,
            format!("{line}行{column}文字目、項目{item}"),
            format!("line {line}, character {column}, item {item}"),
        );
    }
    broken
}

/// The CSVバージョン of the file: the first record's, with V001–V003 for what is wrong.
fn check_version(table: &RawTable<'_>, sink: &mut Sink<'_>) -> Option<CsvVersion> {
    let first = table.rows().next()?;
    let value = first.text(0);
    let value = value.as_ref();
    let version = CsvVersion::parse(value);
    match version {
        None => sink.at(
            &V001,
            Some(first.line()),
            None,
            Some(value),
            format!("「{value}」"),
            format!("'{value}'"),
        ),
        Some(CsvVersion::Legacy(_)) => {
            sink.at(&V003, Some(first.line()), None, Some(value), value, value)
        }
        Some(version) if version.is_unofficial() => sink.at(
            &V005,
            Some(first.line()),
            None,
            Some(value),
            format!("「{value}」"),
            format!("'{value}'"),
        ),
        Some(_) => {}
    }
    if let Some(other) = table.rows().find(|r| r.bytes(0) != value.as_bytes()) {
        sink.at(
            &V002,
            Some(other.line()),
            None,
            Some(&other.text(0)),
            format!("最初のレコードは{value}、この行は{}", other.text(0)),
            format!("first record {value}, this one {}", other.text(0)),
        );
    }
    version
}

fn check_table(
    kind: FileKind,
    name: Option<&FileName>,
    table: &RawTable<'_>,
    sink: &mut Sink<'_>,
) -> Option<Facts> {
    read_problems(table, sink);
    if table.problems.contains(&ReadProblem::TooLarge) {
        return None;
    }
    if table.is_empty() {
        sink.file(&S003, "", "");
        return None;
    }
    let version = check_version(table, sink);
    let generation = version
        .and_then(|v| v.generation())
        .or(name.map(|n| n.generation))
        .unwrap_or(Generation::V4);
    let Some(layout) = Layout::of(kind, generation) else {
        stray_quotes(table, None, sink);
        sink.file(
            &V004,
            format!("{}は{generation}にありません", kind.name_ja()),
            format!("{kind} does not exist in {generation}"),
        );
        return None;
    };
    if let Some(name) = name
        && version
            .and_then(|v| v.generation())
            .is_some_and(|g| g != name.generation)
    {
        sink.file(
            &N005,
            format!(
                "ファイル名は{}の形式、CSVバージョンは{}",
                name.generation,
                version.map_or("", |v| v.as_str())
            ),
            format!(
                "name is {} style, version {}",
                name.generation,
                version.map_or("", |v| v.as_str())
            ),
        );
    }
    let name_month = name.and_then(|n| n.month);
    let mut table_checks = TableChecks::new(layout, name_month);
    let mut facts = Facts {
        kind,
        generation,
        plan_tied: name_month == Some(MonthToken::Plan),
        keys: ParentKeys::with_capacity(
            if kind.is_deletion() || kind == FileKind::Schedule {
                0
            } else {
                table.len()
            },
            table.encoding(),
        ),
        images: Vec::new(),
    };
    let mut broken = stray_quotes(table, Some(layout), sink)
        .into_iter()
        .peekable();
    for (index, row) in table.rows().enumerate() {
        if let Some((_, trusted)) = broken.next_if(|&(at, _)| at == index) {
            // The items before the broken one are as written; nothing after it is.
            items::check_row(layout, &row, trusted, sink);
            collect_facts(layout, &row, trusted, &mut facts);
            continue;
        }
        if row.len() != layout.len() {
            sink.at(
                &S001,
                Some(row.line()),
                None,
                None,
                format!(
                    "{}項目あります。{}は{}項目です",
                    row.len(),
                    layout.label(),
                    layout.len()
                ),
                format!(
                    "{} items; {} has {}",
                    row.len(),
                    layout.label(),
                    layout.len()
                ),
            );
            continue;
        }
        items::check_row(layout, &row, layout.len(), sink);
        table_checks.row(&row, sink);
        collect_facts(layout, &row, layout.len(), &mut facts);
    }
    table_checks.finish(sink);
    check_duplicate_parents(&facts, sink);
    Some(facts)
}

/// The parent link of each record (§3.1), when its items are among the first `trusted`.
/// 第6表 records are many per person: their key is kept once per person and month.
fn collect_facts(layout: &Layout, row: &RawRow<'_>, trusted: usize, facts: &mut Facts) {
    let third = match facts.kind {
        FileKind::Plan1 => plan1::PLAN_DATE,
        FileKind::Plan2 => plan2::PLAN_DATE,
        FileKind::Plan3 => plan3::PLAN_DATE,
        FileKind::Hosoku if facts.plan_tied => hosoku::PLAN_DATE,
        FileKind::Hosoku => hosoku::MONTH,
        FileKind::Schedule => schedule::MONTH,
        FileKind::Sikyu => sikyu::MONTH,
        FileKind::Kihon
        | FileKind::KihonSub1
        | FileKind::KihonSub2
        | FileKind::Yobo
        | FileKind::YoboSub => kihon::CONSULT_DATE,
        _ => return,
    };
    if [1, 2, third]
        .iter()
        .any(|&col| layout.position(col).is_none_or(|at| at >= trusted))
    {
        return;
    }
    let key = [
        row.col_bytes(layout, 1),
        row.col_bytes(layout, 2),
        row.col_bytes(layout, third),
    ];
    if matches!(
        facts.kind,
        FileKind::Schedule | FileKind::Sikyu | FileKind::Plan2 | FileKind::Plan3
    ) && facts.keys.last() == Some(key)
    {
        return;
    }
    facts.keys.push(key, row.line());
    if facts.kind == FileKind::Kihon
        && layout
            .position(kihon::IMAGE_NAME)
            .is_some_and(|at| at < trusted)
    {
        let image = row.col_text(layout, kihon::IMAGE_NAME);
        if !image.is_empty() {
            facts.images.push((image.into_owned(), row.line()));
        }
    }
}

/// U007: one parent record per person and key in a file.
fn check_duplicate_parents(facts: &Facts, sink: &mut Sink<'_>) {
    if !matches!(
        facts.kind,
        FileKind::Plan1 | FileKind::Kihon | FileKind::Yobo | FileKind::Hosoku
    ) {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    for (key, line) in facts.keys.iter() {
        if !seen.insert(key) {
            sink.at(
                &U007,
                Some(line),
                None,
                None,
                format!(
                    "被保険者番号{} キー{}",
                    facts.keys.shown(key[1]),
                    facts.keys.shown(key[2])
                ),
                format!(
                    "insured {} key {}",
                    facts.keys.shown(key[1]),
                    facts.keys.shown(key[2])
                ),
            );
        }
    }
}
