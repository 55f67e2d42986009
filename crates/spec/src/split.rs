//! Splitting a planner office's whole output into the files for each destination (§3.4).
//!
//! A provider gets only the people it serves, but their 第6表 and 第7表 carry every
//! provider's lines (the person's whole 利用票); one file per office, kind, file kind and
//! month. Destinations are the (事業所番号, サービス種類) pairs of the 第6表 lines whose kind is
//! exchanged; the people's other files (plans, 補足, 介護予防) follow them.

use std::collections::{BTreeMap, BTreeSet};

use crate::codec::Record;
use crate::filename::{FileName, MonthToken};
use crate::ids::{FileSerial, OfficeNumber, ServiceKind};
use crate::kind::FileKind;
use crate::layout::{Layout, schedule};
use crate::services::{self, Target};
use crate::version::Generation;

/// One kind of file in a planner's export, before splitting: every person's records.
#[derive(Clone, Debug)]
pub struct Part {
    pub kind: FileKind,
    pub month: Option<MonthToken>,
    /// ファイル連番 of the send unit this part belongs to.
    pub serial: FileSerial,
    pub records: Vec<Record>,
}

/// A planner office's output for a month, as its care software would hold it.
#[derive(Clone, Debug)]
pub struct Export {
    pub planner: (OfficeNumber, ServiceKind),
    pub generation: Generation,
    pub parts: Vec<Part>,
}

/// One file for one destination.
#[derive(Clone, Debug)]
pub struct SplitFile {
    pub name: FileName,
    pub records: Vec<Record>,
}

type Person = (String, String);

pub(crate) fn person(record: &Record) -> Person {
    (
        record.0.get(1).cloned().unwrap_or_default(),
        record.0.get(2).cloned().unwrap_or_default(),
    )
}

/// Who each destination serves, from the 第6表 予定 lines.
pub fn destinations(export: &Export) -> BTreeMap<(OfficeNumber, ServiceKind), BTreeSet<Person>> {
    let mut out: BTreeMap<_, BTreeSet<Person>> = BTreeMap::new();
    for part in export.parts.iter().filter(|p| p.kind == FileKind::Schedule) {
        let Some(layout) = Layout::of(part.kind, export.generation) else {
            continue;
        };
        for record in &part.records {
            let code = record.col(layout, schedule::SERVICE_CODE);
            let office = OfficeNumber::parse(record.col(layout, schedule::PROVIDER));
            let kind = services::kind_of_code(code);
            let (Ok(office), Some(kind)) = (office, kind) else {
                continue;
            };
            if services::target(kind.as_str()) == Some(Target::No) {
                continue;
            }
            out.entry((office, kind))
                .or_default()
                .insert(person(record));
        }
    }
    out
}

/// Split `export` into the files each destination receives, in destination then part order.
pub fn split(export: &Export) -> Vec<SplitFile> {
    let mut files = Vec::new();
    for (destination, people) in destinations(export) {
        for part in &export.parts {
            let records: Vec<Record> = part
                .records
                .iter()
                .filter(|r| people.contains(&person(r)))
                .cloned()
                .collect();
            if records.is_empty() {
                continue;
            }
            let mut name = FileName::v4(
                part.kind,
                part.month,
                export.planner,
                destination,
                part.serial,
            );
            name.generation = export.generation;
            files.push(SplitFile { name, records });
        }
    }
    files
}
