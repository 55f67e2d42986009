//! The versions of each document, for the console's version history: which is newest and
//! where each came from.

use rusqlite::{Row, params};

use super::Ledger;
use crate::Result;

/// One version of a document as the ledger recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: i64,
    /// `sent` or `received`.
    pub direction: String,
    pub family: String,
    /// `partner:保険者番号|被保険者番号|date…`.
    pub key: String,
    pub serial: String,
    pub file: String,
    pub parcel: String,
    pub deletion: bool,
    pub superseded: bool,
    pub recorded: i64,
}

impl DocumentRow {
    /// The partner office, 保険者番号 and 被保険者番号 the key names.
    pub fn parts(&self) -> (&str, &str, &str) {
        let (partner, rest) = self.key.split_once(':').unwrap_or(("", &self.key));
        let mut fields = rest.split('|');
        (
            partner,
            fields.next().unwrap_or(""),
            fields.next().unwrap_or(""),
        )
    }
}

const COLUMNS: &str =
    "id, direction, family, doc_key, serial, file, parcel, deletion, superseded, recorded";

fn row(r: &Row<'_>) -> rusqlite::Result<DocumentRow> {
    Ok(DocumentRow {
        id: r.get(0)?,
        direction: r.get(1)?,
        family: r.get(2)?,
        key: r.get(3)?,
        serial: r.get(4)?,
        file: r.get(5)?,
        parcel: r.get(6)?,
        deletion: r.get(7)?,
        superseded: r.get(8)?,
        recorded: r.get(9)?,
    })
}

impl Ledger {
    /// The newest version of each document of `family` (all families when empty) whose key
    /// contains `search`, with how many versions it has; newest first.
    pub fn document_heads(
        &self,
        family: &str,
        search: &str,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<(DocumentRow, u64)>> {
        self.with(|c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS}, (SELECT count(*) FROM documents v WHERE v.direction = d.direction \
                   AND v.family = d.family AND v.doc_key = d.doc_key) \
                 FROM documents d WHERE superseded = 0 AND (?1 = '' OR family = ?1) \
                   AND instr(doc_key, ?2) > 0 \
                 ORDER BY recorded DESC, id DESC LIMIT ?3 OFFSET ?4"
            ))?
            .query_map(params![family, search, limit, offset], |r| {
                Ok((row(r)?, r.get(10)?))
            })?
            .collect()
        })
    }

    /// The current version of every document of `family` for the service month `month`
    /// (`YYYYMM`), sent and received: a month's 予定 or 実績.
    pub fn documents_of_month(&self, family: &str, month: &str) -> Result<Vec<DocumentRow>> {
        self.with(|c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM documents WHERE superseded = 0 AND family = ?1 \
                   AND instr(doc_key, '|' || ?2 || '|') > 0 ORDER BY id"
            ))?
            .query_map(params![family, month], row)?
            .collect()
        })
    }

    /// Every version of the document that version `id` belongs to, newest first.
    pub fn document_versions(&self, id: i64) -> Result<Vec<DocumentRow>> {
        self.with(|c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM documents WHERE (direction, family, doc_key) = \
                   (SELECT direction, family, doc_key FROM documents WHERE id = ?1) \
                 ORDER BY serial DESC, id DESC"
            ))?
            .query_map([id], row)?
            .collect()
        })
    }
}
