//! A send unit from one generation of the standard to the next: V3 (202208) to V4.1 (202407).
//!
//! What changed between them (§1.1, §6): names carry each office's サービス種類コード, 第6表
//! gains TAISコード, 福祉用具届出コード and 用具名称 (No.16–18) and 第7表 the same three (No.10–12),
//! 第7表's 回数／日数 grows from 2 digits to 3, and 第3表 is new. Everything V3 has is carried
//! over item for item through the layouts' shared column names; what V4.1 has and V3 has not
//! is left empty and said in the notes, never made up.

use serde::Serialize;

use crate::codec::{self, ReadOptions, Record};
use crate::error::{Error, Result};
use crate::filename::FileName;
use crate::ids::ServiceKind;
use crate::kind::FileKind;
use crate::layout::{Layout, actual_delete, schedule, sikyu};
use crate::services::is_equipment_rental;
use crate::validate::{self, Input, Options, UnitReport};
use crate::version::{CsvVersion, Generation};

/// The offices' サービス種類コード for the V4.1 names where the records do not say them. The
/// records say the provider's kind (the service codes of a 第6表 or 第7表, one file per
/// provider and kind, and the kind of a 実績削除), and that is used first; a plan says none.
/// A planner is 居宅介護支援 (43) unless given: V3 has no 介護予防 files.
#[derive(Clone, Copy, Debug, Default)]
pub struct Kinds {
    pub from: Option<ServiceKind>,
    pub to: Option<ServiceKind>,
}

/// One file as converted.
#[derive(Debug)]
pub struct ConvertedFile {
    /// The V3 name it came from.
    pub source: String,
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// Something V4.1 has that could not be filled from V3: the file, and what.
#[derive(Clone, Debug, Serialize)]
pub struct Gap {
    pub file: String,
    pub ja: String,
    pub en: String,
}

/// A converted send unit: its files, what could not be filled, and the check of the result.
#[derive(Debug)]
pub struct Converted {
    pub files: Vec<ConvertedFile>,
    pub gaps: Vec<Gap>,
    pub report: UnitReport,
}

fn refused(ja: impl Into<String>, en: impl Into<String>) -> Error {
    Error::NotConvertible {
        reason: ja.into(),
        reason_en: en.into(),
    }
}

/// Convert one V3 send unit (its files, as named and written by the care software) to V4.1.
/// A unit with an error is refused: `renkei check` says what to fix first.
pub fn to_v4(files: &[Input<'_>], kinds: Kinds) -> Result<Converted> {
    let source = validate::check_unit(files, Options::default());
    if !source.is_sendable() {
        return Err(refused(
            format!(
                "変換前のファイルにエラーが{}件あります。renkei check で確かめて直してから変換してください",
                source.errors()
            ),
            format!(
                "the files have {} errors; check them with renkei check and fix them first",
                source.errors()
            ),
        ));
    }
    let mut parsed = Vec::with_capacity(files.len());
    for input in files {
        let name = FileName::parse(input.name)?;
        if name.generation != Generation::V3 {
            return Err(refused(
                format!("{} はすでにV4の形式です", input.name),
                format!("{} is already in the V4 form", input.name),
            ));
        }
        let table = codec::read(input.bytes, ReadOptions::default());
        let records: Vec<Record> = table.rows().map(|row| row.to_record()).collect();
        parsed.push((input.name, name, records));
    }
    let (from_kind, to_kind) = unit_kinds(&parsed, kinds)?;
    let (mut files, mut gaps) = (Vec::new(), Vec::new());
    for (source_name, name, records) in &parsed {
        // A kind V3 lacks was refused by the check (V004); one V4 lacks does not exist.
        let (Some(v3), Some(v4)) = (
            Layout::of(name.kind, Generation::V3),
            Layout::of(name.kind, Generation::V4),
        ) else {
            return Err(refused(
                format!("{source_name} はV3からV4.1に変換できる種類のファイルではありません"),
                format!("{source_name} is not a kind of file that converts from V3 to V4.1"),
            ));
        };
        let records: Vec<Record> = records.iter().map(|r| carry_over(r, v3, v4)).collect();
        let new_name = FileName {
            from_kind: Some(from_kind),
            to_kind: Some(to_kind),
            generation: Generation::V4,
            notes: Vec::new(),
            ..name.clone()
        }
        .to_string();
        gaps.extend(equipment_gap(name.kind, v4, &records, &new_name));
        files.push(ConvertedFile {
            source: (*source_name).to_owned(),
            kind: name.kind,
            bytes: codec::write(v4, &records)?,
            name: new_name,
        });
    }
    gaps.extend(plan3_gap(&files));
    let inputs: Vec<Input<'_>> = files
        .iter()
        .map(|f| Input {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect();
    let report = validate::check_unit(&inputs, Options::default());
    Ok(Converted {
        files,
        gaps,
        report,
    })
}

/// A V3 record in the V4.1 layout: every item at its V4.1 place, the new ones empty.
fn carry_over(record: &Record, v3: &Layout, v4: &Layout) -> Record {
    let mut out = Record::new(v4, CsvVersion::V4_1.as_str());
    for col in 1..v4.len() {
        if let Some(value) = v3.position(col).and_then(|i| record.0.get(i)) {
            out.0[col] = value.clone();
        }
    }
    out
}

/// The sender's and the recipient's kinds: the provider's from the records, else as given.
fn unit_kinds(
    files: &[(&str, FileName, Vec<Record>)],
    given: Kinds,
) -> Result<(ServiceKind, ServiceKind)> {
    let from_provider = files.iter().any(|(_, n, _)| n.kind.sent_by_provider());
    let provider = files.iter().find_map(|(_, name, records)| {
        let office = if from_provider { name.from } else { name.to };
        provider_kind(name, office.as_str(), records)
    });
    // One pair of kinds is given for a whole folder, whose units go both ways: a kind
    // given for the planner's side counts only if it is a planner's.
    let planner = if from_provider { given.to } else { given.from };
    let planner = planner
        .filter(ServiceKind::is_planner)
        .unwrap_or(ServiceKind::CARE_MANAGEMENT);
    let (from, to) = if from_provider {
        (provider.or(given.from), Some(planner))
    } else {
        (Some(planner), provider.or(given.to))
    };
    let missing = |side: &str, side_en: &str, flag: &str| {
        refused(
            format!(
                "{side}のサービス種類コードがファイルから分かりません。{flag} 11 のように指定してください"
            ),
            format!(
                "the {side_en}'s service kind cannot be told from the files; give it with {flag} 11"
            ),
        )
    };
    Ok((
        from.ok_or_else(|| missing("送信元", "sender", "--from-kind"))?,
        to.ok_or_else(|| missing("送信先", "recipient", "--to-kind"))?,
    ))
}

/// The service kind the records of a file give the provider `provider`: the first service
/// code on its lines of a 第6表 or 第7表 (a 予定 can carry every provider's lines of the
/// person), or a 実績削除's kind.
fn provider_kind(name: &FileName, provider: &str, records: &[Record]) -> Option<ServiceKind> {
    let v3 = Layout::of(name.kind, Generation::V3)?;
    let (office_col, code_col) = match name.kind {
        FileKind::Schedule | FileKind::Actual => (schedule::PROVIDER, schedule::SERVICE_CODE),
        FileKind::Sikyu => (sikyu::PROVIDER, sikyu::SERVICE_CODE),
        FileKind::ActualDelete => (actual_delete::PROVIDER, actual_delete::KIND),
        _ => return None,
    };
    let code = records
        .iter()
        .filter(|r| r.col(v3, office_col) == provider)
        .map(|r| r.col(v3, code_col))
        .find(|code| !crate::codes::is_sikyu_total(code.as_bytes()))?;
    ServiceKind::parse(code.get(..2)?).ok()
}

/// 福祉用具貸与 lines of 第6表・第7表 have no TAISコード, 福祉用具届出コード or 用具名称 in V3.
fn equipment_gap(kind: FileKind, v4: &Layout, records: &[Record], file: &str) -> Option<Gap> {
    let code_col = match kind {
        FileKind::Schedule | FileKind::Actual => schedule::SERVICE_CODE,
        FileKind::Sikyu => sikyu::SERVICE_CODE,
        _ => return None,
    };
    let lines = records
        .iter()
        .filter(|r| is_equipment_rental(r.col(v4, code_col).get(..2).unwrap_or_default()))
        .count();
    (lines > 0).then(|| Gap {
        file: file.to_owned(),
        ja: format!(
            "福祉用具貸与の{lines}行: TAISコード・福祉用具届出コード・用具名称(機種名)はV3にないため空です。受け取った事業所で入力してもらうか、介護ソフトで入力して出力し直してください"
        ),
        en: format!(
            "{lines} equipment-rental lines: TAIS code, notification code and product name do not exist in V3 and are left empty"
        ),
    })
}

/// A V4.1 plan has a 第3表, which V3 does not.
fn plan3_gap(files: &[ConvertedFile]) -> Option<Gap> {
    let plan1 = files.iter().find(|f| f.kind == FileKind::Plan1)?;
    Some(Gap {
        file: plan1.name.clone(),
        ja: "第3表(週間サービス計画表)はV3にないため含まれていません。必要なら介護ソフトで作って送ってください".to_owned(),
        en: "第3表 (the weekly plan) does not exist in V3 and is not included".to_owned(),
    })
}
