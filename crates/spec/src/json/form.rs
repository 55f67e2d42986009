//! CSV to JSON and back, file by file and for a whole send unit.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use super::document::{FORM, FileDocument, JsonRecord, UnitDocument};
use super::{JsonProblem, refused};
use crate::codec::{self, ReadOptions, ReadProblem, Record};
use crate::error::Error;
use crate::filename::FileName;
use crate::kind::FileKind;
use crate::layout::Layout;
use crate::validate::Input;
use crate::version::Generation;

/// A file of the standard as the care software would have written it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl CsvFile {
    /// The file as the checker takes it.
    pub fn input(&self) -> Input<'_> {
        Input {
            name: &self.name,
            bytes: &self.bytes,
        }
    }
}

/// The layout value of a generation in documents: `V4.1` or `V3`.
fn layout_value(generation: Generation) -> String {
    generation.to_string()
}

fn parsed_name(name: &str) -> Result<FileName, JsonProblem> {
    FileName::parse(name).map_err(|e| {
        JsonProblem::new(
            name,
            format!("標準仕様のファイル名ではありません({e})。ファイル名は介護ソフトが付ける名前のまま書いてください"),
            format!("not a file name of the standard ({e}); give the name the care software gives the file"),
        )
    })
}

fn csv_layout(file: &str, name: &FileName) -> Result<&'static Layout, JsonProblem> {
    Layout::of(name.kind, name.generation).ok_or_else(|| {
        JsonProblem::new(
            file,
            format!(
                "{}は{}の様式にありません",
                name.kind.prefix(),
                name.generation
            ),
            format!(
                "{} has no layout in {}",
                name.kind.prefix(),
                name.generation
            ),
        )
    })
}

/// One file of the standard as a JSON document. Refused: a name that is not the
/// standard's, bytes that do not read back exactly (not MS932, 外字, broken quoting) and a
/// record whose item count is not its layout's.
pub fn file_to_json(name: &str, bytes: &[u8]) -> crate::Result<FileDocument> {
    let parsed = parsed_name(name).map_err(|p| refused(vec![p]))?;
    let layout = layout_value(parsed.generation);
    if parsed.kind == FileKind::KihonImage {
        return Ok(FileDocument {
            name: name.to_owned(),
            layout: Some(layout),
            records: Vec::new(),
            base64: Some(BASE64.encode(bytes)),
        });
    }
    let spec = csv_layout(name, &parsed).map_err(|p| refused(vec![p]))?;
    let table = codec::read(bytes, ReadOptions::default());
    let mut problems: Vec<JsonProblem> = table
        .problems
        .iter()
        .filter_map(|p| unreadable(name, p))
        .collect();
    let mut records = Vec::with_capacity(table.len());
    for (index, row) in table.rows().enumerate() {
        if row.len() != spec.len() {
            problems.push(
                JsonProblem::new(
                    name,
                    format!(
                        "{}行目の項目数が{}です。{}は{}項目です",
                        row.line(),
                        row.len(),
                        spec.label(),
                        spec.len()
                    ),
                    format!(
                        "line {} has {} items; {} has {}",
                        row.line(),
                        row.len(),
                        spec.label(),
                        spec.len()
                    ),
                )
                .at(index + 1, None),
            );
            continue;
        }
        let fields = row
            .fields()
            .enumerate()
            .filter(|(_, value)| !value.is_empty())
            .map(|(i, value)| (spec.field(i).to_owned(), Value::String(value.to_owned())))
            .collect();
        records.push(JsonRecord(fields));
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    Ok(FileDocument {
        name: name.to_owned(),
        layout: Some(layout),
        records,
        base64: None,
    })
}

/// A read problem that means the records would not give the file back; `None` for marks
/// that carry no data (a DOS end-of-file mark, a UTF-8 byte-order mark).
fn unreadable(file: &str, problem: &ReadProblem) -> Option<JsonProblem> {
    let (ja, en) = match problem {
        ReadProblem::Malformed { line, .. } => (
            format!(
                "{line}行目にMS932として読めないバイトがあります。介護ソフトからMS932(Shift_JIS)で出力し直してください"
            ),
            format!(
                "line {line} has bytes that are not MS932; export the file again in MS932 (Shift_JIS)"
            ),
        ),
        ReadProblem::PrivateUse { line, ch } => (
            format!(
                "{line}行目に外字「{ch}」(U+{:04X}) があります。外字は送れません。常用の文字に置き換えてください",
                *ch as u32
            ),
            format!(
                "line {line} has a user-defined character U+{:04X}, which cannot be sent; replace it",
                *ch as u32
            ),
        ),
        ReadProblem::UnterminatedQuote { line } => (
            format!("{line}行目で始まる「\"」が閉じていません"),
            format!("the quote opened on line {line} is never closed"),
        ),
        ReadProblem::StrayQuote { line, column, .. } => (
            format!(
                "{line}行目{column}文字目の「\"」は標準仕様の書き方ではありません(項目の中の「\"」は「\"\"」と書きます)"
            ),
            format!(
                "line {line} column {column}: a quote the standard does not allow (a quote inside an item is written \"\")"
            ),
        ),
        ReadProblem::TooLarge => (
            "ファイルが大きすぎます(4GiB超)".to_owned(),
            "the file is too large (over 4 GiB)".to_owned(),
        ),
        ReadProblem::Utf8Bom | ReadProblem::EofMark => return None,
    };
    Some(JsonProblem::new(file, ja, en))
}

/// Every file of a send unit as one document; the problems of every file at once.
pub fn unit_to_json(files: &[Input<'_>]) -> crate::Result<UnitDocument> {
    let mut problems = Vec::new();
    let mut documents = Vec::with_capacity(files.len());
    for file in files {
        match file_to_json(file.name, file.bytes) {
            Ok(document) => documents.push(document),
            Err(Error::Json { problems: mut p }) => problems.append(&mut p),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    Ok(UnitDocument {
        form: FORM.to_owned(),
        files: documents,
    })
}

/// The CSV file a document stands for, written in the standard's canonical form (MS932,
/// CRLF, free text quoted). Every problem of the document is listed, each with its
/// record and field: a field the layout does not have, one given twice, a value that is
/// not a string, a character MS932 cannot hold.
pub fn file_from_json(document: &FileDocument) -> crate::Result<CsvFile> {
    let file = document.name.as_str();
    let name = parsed_name(file).map_err(|p| refused(vec![p]))?;
    check_layout(file, document.layout.as_deref(), name.generation)
        .map_err(|p| refused(vec![p]))?;
    if name.kind == FileKind::KihonImage {
        return image_from_json(document).map_err(|p| refused(vec![p]));
    }
    if document.base64.is_some() {
        return Err(refused(vec![JsonProblem::new(
            file,
            "base64 は画像ファイル(UPKIHON_IMAGE)にだけ使えます。CSVのファイルは records に書いてください",
            "base64 is for the image file (UPKIHON_IMAGE) only; write a CSV file's records",
        )]));
    }
    let layout = csv_layout(file, &name).map_err(|p| refused(vec![p]))?;
    let mut problems = Vec::new();
    let mut bytes = Vec::new();
    for (index, record) in document.records.iter().enumerate() {
        let number = index + 1;
        let mut values = record_values(file, layout, number, record, &mut problems);
        // The writer stops at a record's first character MS932 cannot hold; the item is
        // emptied and the record written again, so every such item is named at once.
        loop {
            match codec::write(layout, [&values]) {
                Ok(written) => {
                    bytes.extend_from_slice(&written);
                    break;
                }
                Err(Error::Unencodable {
                    item_no, ch, code, ..
                }) => {
                    problems.push(
                        JsonProblem::new(
                            file,
                            format!("文字「{ch}」(U+{code:04X}) はMS932で表せません(外字や一部の記号・異体字)。MS932の文字に置き換えてください"),
                            format!("character U+{code:04X} cannot be written in MS932; replace it with an MS932 character"),
                        )
                        .at(number, Some(layout.field(item_no - 1))),
                    );
                    values.0[item_no - 1].clear();
                }
                Err(other) => return Err(other),
            }
        }
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    Ok(CsvFile {
        name: document.name.clone(),
        bytes,
    })
}

fn check_layout(
    file: &str,
    given: Option<&str>,
    generation: Generation,
) -> Result<(), JsonProblem> {
    let expected = layout_value(generation);
    match given {
        None => Ok(()),
        Some(value) if value == expected => Ok(()),
        Some(value @ ("V3" | "V4.1")) => Err(JsonProblem::new(
            file,
            format!(
                "layout「{value}」はファイル名の世代({expected})と違います。ファイル名か layout を直してください"
            ),
            format!(
                "layout '{value}' differs from the generation of the file name ({expected}); correct one of them"
            ),
        )),
        Some(value) => Err(JsonProblem::new(
            file,
            format!("layout「{value}」は読めません。V4.1 か V3 と書いてください"),
            format!("layout '{value}' is not known; write V4.1 or V3"),
        )),
    }
}

fn image_from_json(document: &FileDocument) -> Result<CsvFile, JsonProblem> {
    let file = document.name.as_str();
    if !document.records.is_empty() {
        return Err(JsonProblem::new(
            file,
            "画像ファイル(UPKIHON_IMAGE)に records は書けません。base64 に画像のバイトを書いてください",
            "the image file (UPKIHON_IMAGE) has no records; give its bytes in base64",
        ));
    }
    let encoded = document.base64.as_deref().ok_or_else(|| {
        JsonProblem::new(
            file,
            "画像ファイル(UPKIHON_IMAGE)の base64 がありません",
            "the image file (UPKIHON_IMAGE) needs its bytes in base64",
        )
    })?;
    let bytes = BASE64.decode(encoded).map_err(|e| {
        JsonProblem::new(
            file,
            format!("base64 として読めません({e})"),
            format!("not standard base64 ({e})"),
        )
        .at(1, Some("base64"))
    })?;
    Ok(CsvFile {
        name: document.name.clone(),
        bytes,
    })
}

/// A record's values in layout order; a field that is unknown, repeated or not a string is
/// noted as a problem and left out, so the rest of the record is still looked at.
fn record_values(
    file: &str,
    layout: &Layout,
    number: usize,
    record: &JsonRecord,
    problems: &mut Vec<JsonProblem>,
) -> Record {
    let mut values = vec![String::new(); layout.len()];
    let mut given = vec![false; layout.len()];
    for (field, value) in &record.0 {
        let Some(index) = layout.index_of_field(field) else {
            problems.push(unknown_field(file, layout, field).at(number, Some(field)));
            continue;
        };
        if std::mem::replace(&mut given[index], true) {
            problems.push(
                JsonProblem::new(
                    file,
                    "同じ項目が2回書かれています。1回にしてください",
                    "the field is given twice; give it once",
                )
                .at(number, Some(field)),
            );
            continue;
        }
        match value {
            Value::String(text) => values[index].clone_from(text),
            Value::Null => {}
            _ => problems.push(
                JsonProblem::new(
                    file,
                    format!(
                        "値は文字列で書いてください(数字やコードも \"0010\" のように文字列です): {value}"
                    ),
                    format!("write the value as a string (numbers and codes too, as \"0010\"): {value}"),
                )
                .at(number, Some(field)),
            ),
        }
    }
    Record(values)
}

fn unknown_field(file: &str, layout: &Layout, field: &str) -> JsonProblem {
    let in_v4 = Layout::of(layout.kind, Generation::V4).and_then(|v4| v4.index_of_field(field));
    if let (Generation::V3, Some(_)) = (layout.generation, in_v4) {
        return JsonProblem::new(
            file,
            format!(
                "この項目は V4.1 の様式にだけあり、{} にはありません",
                layout.label()
            ),
            format!(
                "this field is in the V4.1 layout only, not in {}",
                layout.label()
            ),
        );
    }
    JsonProblem::new(
        file,
        format!(
            "{} にこの項目はありません。項目名はスキーマ(renkei schema)で確かめてください",
            layout.label()
        ),
        format!(
            "{} has no such field; see the schema (renkei schema) for the field names",
            layout.label()
        ),
    )
}

/// The CSV files a send unit's document stands for, in its order; the problems of every
/// file at once.
pub fn unit_from_json(unit: &UnitDocument) -> crate::Result<Vec<CsvFile>> {
    if unit.files.is_empty() {
        return Err(refused(vec![JsonProblem::new(
            "(JSON)",
            "files が空です。送るファイルを1つ以上書いてください",
            "files is empty; give at least one file",
        )]));
    }
    let mut problems = Vec::new();
    let mut files = Vec::with_capacity(unit.files.len());
    for document in &unit.files {
        match file_from_json(document) {
            Ok(file) => files.push(file),
            Err(Error::Json { problems: mut p }) => problems.append(&mut p),
            Err(other) => return Err(other),
        }
    }
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    Ok(files)
}
