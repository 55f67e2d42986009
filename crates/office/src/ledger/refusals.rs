//! Units refused before sending, with their reports, kept so that the console can show a
//! refusal after the run that met it — a watch in the background, or another clerk's send.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{Ledger, from_json, to_json};
use crate::Result;

/// One line of a refused unit's report: the form a recipient's signed rejection carries.
pub use renkei_seal::receipt::CheckFinding as RefusedFinding;

/// Why files were not sent, in the words a clerk can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalRecord {
    pub time: i64,
    pub reason_ja: String,
    pub reason_en: String,
    pub recipient: Option<String>,
    /// For a parcel received and not taken in (取込不可): who sent it, and its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parcel_id: Option<String>,
    pub files: Vec<String>,
    pub findings: Vec<RefusedFinding>,
}

impl RefusalRecord {
    /// The same reason for the same files (of the same received parcel) is the same refusal.
    pub fn key(&self) -> String {
        let mut text = self.reason_en.clone();
        if let Some(id) = &self.parcel_id {
            text.push('\n');
            text.push_str(id);
        }
        for file in &self.files {
            text.push('\n');
            text.push_str(file);
        }
        renkei_seal::sha256_hex(text.as_bytes())
    }

    pub fn errors(&self) -> usize {
        self.findings.iter().filter(|f| f.error).count()
    }
}

impl Ledger {
    /// Keep a refusal; one already kept keeps its first time.
    pub fn refused(&self, refusal: &RefusalRecord) -> Result<()> {
        let json = to_json(refusal)?;
        self.with(|c| {
            c.prepare_cached(
                "INSERT OR IGNORE INTO refusals (key, time, refusal) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![refusal.key(), refusal.time, json])
        })?;
        Ok(())
    }

    /// Refusals since `since`, newest first, with their keys.
    pub fn refusals(&self, since: i64, limit: usize) -> Result<Vec<(String, RefusalRecord)>> {
        let rows: Vec<(String, String)> = self.with(|c| {
            c.prepare_cached(
                "SELECT key, refusal FROM refusals WHERE time >= ?1 ORDER BY time DESC LIMIT ?2",
            )?
            .query_map(params![since, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
        })?;
        rows.into_iter()
            .map(|(key, json)| Ok((key, from_json(&json)?)))
            .collect()
    }

    pub fn refusal(&self, key: &str) -> Result<Option<RefusalRecord>> {
        let json: Option<String> = self.with(|c| {
            use rusqlite::OptionalExtension;
            c.prepare_cached("SELECT refusal FROM refusals WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()
        })?;
        json.map(|j| from_json(&j)).transpose()
    }
}
