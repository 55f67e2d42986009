//! JSON Schemas (draft 2020-12) of the JSON form: one per layout and generation, giving each
//! field the standard's 項目名, 項番, 項目長, 必須 and shape, and one of a send unit's
//! document that points each file at its layout by the file's name.
//!
//! The schemas constrain only what the standard makes certain (a string, at most the
//! item's length, present when 必須); the rules of the checker (`renkei check`, the 422
//! of the API) decide the rest, so a value the checker accepts with a warning is never
//! refused by a schema.

use serde_json::{Map, Value, json};

use super::document::FORM;
use crate::kind::FileKind;
use crate::layout::{Format, ItemSpec, Layout, Need};
use crate::version::Generation;

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The path of a layout's schema beside the unit's: `V4.1/UPPLAN.json`.
pub fn layout_path(kind: FileKind, generation: Generation) -> String {
    format!("{generation}/{}.json", kind.prefix())
}

/// The path of the send unit's schema.
pub const UNIT_PATH: &str = "unit.json";

/// Every schema with its path: the unit's, then each layout's in the order of the files.
pub fn all() -> Vec<(String, Value)> {
    let mut schemas = vec![(UNIT_PATH.to_owned(), unit())];
    for generation in [Generation::V4, Generation::V3] {
        for kind in FileKind::ALL {
            if let Some(layout) = Layout::of(kind, generation) {
                schemas.push((layout_path(kind, generation), record(kind, layout)));
            }
        }
    }
    schemas
}

/// The schema published at `path` (`unit.json`, `V4.1/UPPLAN.json` …), built alone.
pub fn at(path: &str) -> Option<Value> {
    if path == UNIT_PATH {
        return Some(unit());
    }
    let (generation, file) = path.split_once('/')?;
    let generation = [Generation::V4, Generation::V3]
        .into_iter()
        .find(|g| g.to_string() == generation)?;
    let stem = file.strip_suffix(".json")?;
    let kind = FileKind::ALL.into_iter().find(|k| k.prefix() == stem)?;
    Layout::of(kind, generation).map(|layout| record(kind, layout))
}

/// The schema of one record of `kind` in `layout`'s generation.
pub fn record(kind: FileKind, layout: &Layout) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (index, spec) in layout.items().iter().enumerate() {
        let field = layout.field(index);
        properties.insert(field.to_owned(), item(spec));
        if spec.need == Need::Required {
            required.push(Value::String(field.to_owned()));
        }
    }
    json!({
        "$schema": DIALECT,
        "title": format!("{} {} ({}) の1レコード", kind.prefix(), kind.name_ja(), layout.generation),
        "description": format!(
            "One record of {} in the {} layout. Fields are the standard's items by their \
             stable identifiers; an absent field is an empty item. Values are the standard's \
             text: codes, dates (YYYYMMDD) and numbers as digits in strings.",
            kind.prefix(), layout.generation
        ),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn item(spec: &ItemSpec) -> Value {
    let mut schema = Map::new();
    let required = spec.need == Need::Required;
    schema.insert(
        "type".into(),
        if required {
            json!("string")
        } else {
            json!(["string", "null"])
        },
    );
    schema.insert("title".into(), json!(spec.name));
    if let Some(len) = spec.len {
        schema.insert("maxLength".into(), json!(len));
    }
    if required {
        schema.insert("minLength".into(), json!(1));
    }
    schema.insert("x-renkei-item-no".into(), json!(spec.no));
    schema.insert("x-renkei-length".into(), json!(spec.len));
    schema.insert("x-renkei-need".into(), json!(need_name(spec.need)));
    schema.insert("x-renkei-format".into(), json!(format_name(spec.format)));
    if let Format::Code(codes) = spec.format {
        schema.insert("x-renkei-codes".into(), json!(codes));
    }
    if spec.v4_only {
        schema.insert("x-renkei-since".into(), json!("V4"));
    }
    Value::Object(schema)
}

fn need_name(need: Need) -> &'static str {
    match need {
        Need::Required => "required",
        Need::Probably => "probably-required",
        Need::ServiceLines => "required-on-service-lines",
        Need::Conditional => "conditional",
        Need::Optional => "optional",
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Version => "csv-version",
        Format::Insurer => "insurer-number",
        Format::Insured => "insured-number",
        Format::Office => "office-number",
        Format::Date => "date",
        Format::DateOrZeros => "date-or-zeros",
        Format::YearMonth => "year-month",
        Format::YearMonthOrZeros => "year-month-or-zeros",
        Format::Time => "time",
        Format::Int => "integer",
        Format::SignedInt => "signed-integer",
        Format::Decimal => "decimal",
        Format::Code(_) => "code",
        Format::Kind => "service-kind",
        Format::ServiceCode => "service-code",
        Format::SikyuCode => "sikyu-service-code",
        Format::EquipmentCode => "equipment-code",
        Format::Zip => "postal-code",
        Format::Phone => "phone",
        Format::DayFlags => "day-flags",
        Format::Free => "free-text",
        Format::Unused => "unused",
    }
}

/// The schema of a send unit's document: each file's records follow the layout its name
/// and generation give.
pub fn unit() -> Value {
    let mut links = Vec::new();
    for kind in FileKind::ALL {
        if kind == FileKind::KihonImage {
            continue;
        }
        for generation in [Generation::V4, Generation::V3] {
            if Layout::of(kind, generation).is_none() {
                continue;
            }
            // A file without `layout` is read in its name's generation; V3's records are
            // V4.1's without the items V4 added, so V4.1's schema holds them too.
            let layout = match generation {
                Generation::V4 => json!({ "not": { "const": "V3" } }),
                Generation::V3 => json!({ "const": "V3" }),
            };
            links.push(json!({
                "if": {
                    "properties": {
                        "name": { "pattern": name_pattern(kind) },
                        "layout": layout,
                    },
                    "required": ["name"],
                },
                "then": {
                    "properties": {
                        "records": { "items": { "$ref": layout_path(kind, generation) } },
                    },
                },
            }));
        }
    }
    json!({
        "$schema": DIALECT,
        "title": "送信単位(ファイル連番が同じファイルの組)の JSON 文書",
        "description": "A send unit of the care-plan data linkage standard in renkei's JSON \
                        form: the files that share a ファイル連番, each named as the standard \
                        names it, with its records (or an image file's bytes in base64).",
        "type": "object",
        "properties": {
            "form": { "const": FORM },
            "files": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string", "minLength": 1 },
                        "layout": { "enum": ["V4.1", "V3"] },
                        "records": { "type": "array", "items": { "type": "object" } },
                        "base64": { "type": "string", "contentEncoding": "base64" },
                    },
                    "required": ["name"],
                    "additionalProperties": false,
                    "allOf": links,
                },
            },
        },
        "required": ["form", "files"],
        "additionalProperties": false,
    })
}

/// The names of one kind's files: its prefix, then `_` and a digit (a 年月 or an office
/// number), which tells `UPKIHON_…` from `UPKIHON_SUB1_…`. In either case, as the reader
/// takes names (without inline flags, which not every schema validator's regex has).
fn name_pattern(kind: FileKind) -> String {
    let prefix: String = kind
        .prefix()
        .chars()
        .map(|c| {
            if c.is_ascii_alphabetic() {
                format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("^{prefix}_[0-9]")
}
