//! The people's names the office's files carry, newest kept.

use std::collections::HashMap;

use rusqlite::params;

use super::Ledger;
use crate::Result;
use crate::versions::PersonName;

/// 氏名 and フリガナ by (保険者番号, 被保険者番号).
pub type PeopleNames = HashMap<(String, String), (String, String)>;

impl Ledger {
    /// Keep the names `people` carry, as seen at `time` (a later file's name wins).
    pub fn note_people(&self, people: &[PersonName], time: i64) -> Result<()> {
        if people.is_empty() {
            return Ok(());
        }
        self.with(|c| {
            let tx = c.unchecked_transaction()?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO people (insurer, insured, name, kana, seen) VALUES (?1, ?2, ?3, ?4, ?5) \
                     ON CONFLICT (insurer, insured) DO UPDATE SET name = ?3, \
                     kana = CASE WHEN ?4 = '' THEN kana ELSE ?4 END, seen = ?5 WHERE seen <= ?5",
                )?;
                for p in people.iter().filter(|p| !p.name.is_empty()) {
                    insert.execute(params![p.insurer, p.insured, p.name, p.kana, time])?;
                }
            }
            tx.commit()
        })
    }

    pub fn people_names(&self) -> Result<PeopleNames> {
        self.with(|c| {
            c.prepare_cached("SELECT insurer, insured, name, kana FROM people")?
                .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))))?
                .collect()
        })
    }
}
