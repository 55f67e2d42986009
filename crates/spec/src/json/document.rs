//! The documents of the JSON form: a send unit, its files and their records.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{JsonProblem, refused};

/// The form a document is written in: this mapping of the standard's items to JSON fields.
/// A change that would read an old document differently gets a new value.
pub const FORM: &str = "renkei-careplan-json/1";

/// A send unit (送信単位): the files that share a ファイル連番, as the CSV files would be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDocument {
    /// [`FORM`].
    pub form: String,
    pub files: Vec<FileDocument>,
}

/// One interface file: its name as the standard gives it, and its records (or, for the
/// family-structure image, its bytes in base64).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDocument {
    /// The file name of the standard (`UPPLAN_202601_1310000017_11_1310000025_43_00000001.CSV`).
    pub name: String,
    /// The layout the records follow: `V4.1` or `V3`; the name's generation when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<JsonRecord>,
    /// The bytes of a file that is not CSV (UPKIHON_IMAGE), in standard base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
}

/// One record: its fields in the layout's order, as written or as read. Kept as pairs, not
/// a map, so that output follows the 項番 and a field given twice on input is seen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JsonRecord(pub Vec<(String, serde_json::Value)>);

impl Serialize for JsonRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (field, value) in &self.0 {
            map.serialize_entry(field, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for JsonRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = JsonRecord;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a record: an object of the layout's fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<JsonRecord, A::Error> {
                let mut pairs = Vec::with_capacity(access.size_hint().unwrap_or(16));
                while let Some(pair) = access.next_entry()? {
                    pairs.push(pair);
                }
                Ok(JsonRecord(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// Read a send unit's document from JSON text. What is not JSON, or not this shape, is
/// refused with where it is (line and column of the text) and what was expected.
pub fn parse_unit(text: &[u8]) -> crate::Result<UnitDocument> {
    let unit: UnitDocument = serde_json::from_slice(text).map_err(|e| {
        refused(vec![JsonProblem::new(
            "(JSON)",
            format!(
                "{}行{}文字目: JSON として読めません({e})。送信単位の文書は {{\"form\": \"{FORM}\", \"files\": [...]}} の形です",
                e.line(),
                e.column()
            ),
            format!(
                "line {} column {}: not a document of the form ({e}); a send unit is {{\"form\": \"{FORM}\", \"files\": [...]}}",
                e.line(),
                e.column()
            ),
        )])
    })?;
    if unit.form != FORM {
        return Err(refused(vec![JsonProblem::new(
            "(JSON)",
            format!("form「{}」は読めません。{FORM} と書いてください", unit.form),
            format!("form '{}' is not known; write {FORM}", unit.form),
        )]));
    }
    Ok(unit)
}
