//! The operator's counts on SQLite: the register, adoption by area, the busiest pairs.

use rusqlite::{Connection, params};

use crate::Result;
use crate::store::sql;
use crate::store::sql::sqlite_text;
use crate::store::{Adoption, PairVolume, RegistryEntry};

pub(super) fn load_registry(connection: &Connection, entries: &[RegistryEntry]) -> Result<usize> {
    let mut statement =
        connection.prepare_cached(&sqlite_text(sql::statistics::ADD_REGISTRY_ENTRY))?;
    for e in entries {
        statement.execute(params![
            e.number,
            e.name,
            e.kind,
            e.prefecture,
            e.municipality,
            e.municipality_name
        ])?;
    }
    Ok(entries.len())
}

/// Register rows with whether each office is enrolled and active; grouped by prefecture or,
/// within one prefecture, by municipality.
pub(super) fn adoption(
    connection: &Connection,
    prefecture: Option<u8>,
    since: i64,
) -> Result<Vec<Adoption>> {
    let (area, name, filter) = match prefecture {
        None => ("printf('%02d', r.prefecture)", "''", ""),
        Some(_) => (
            "r.municipality",
            "r.municipality_name",
            "WHERE r.prefecture = ?2",
        ),
    };
    let sql = format!(
        "WITH active (office) AS ( \
           SELECT sender FROM parcels WHERE accepted >= ?1 \
           UNION SELECT recipient FROM parcels WHERE accepted >= ?1) \
         SELECT {area}, {name}, count(*), count(o.number), count(a.office) \
         FROM registry r LEFT JOIN offices o ON o.number = r.number \
         LEFT JOIN active a ON a.office = r.number {filter} \
         GROUP BY 1, 2 ORDER BY 1"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let map = |r: &rusqlite::Row<'_>| {
        Ok(Adoption {
            area: r.get(0)?,
            name: r.get(1)?,
            registered: r.get(2)?,
            enrolled: r.get(3)?,
            active: r.get(4)?,
        })
    };
    let rows = match prefecture {
        None => statement
            .query_map([since], map)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
        Some(p) => statement
            .query_map(params![since, p], map)?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    };
    Ok(rows)
}

pub(super) fn pairs(connection: &Connection, since: i64, limit: usize) -> Result<Vec<PairVolume>> {
    let rows = connection
        .prepare_cached(
            "SELECT sender, recipient, count(*), sum(size) FROM parcels WHERE accepted >= ?1 \
             GROUP BY sender, recipient ORDER BY 3 DESC, 4 DESC LIMIT ?2",
        )?
        .query_map(params![since, limit], |r| {
            Ok(PairVolume {
                sender: r.get(0)?,
                recipient: r.get(1)?,
                parcels: r.get(2)?,
                bytes: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
