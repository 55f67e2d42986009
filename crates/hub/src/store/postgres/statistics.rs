//! The operator's counts on PostgreSQL: the register, adoption by area, the busiest pairs.

use tokio_postgres::GenericClient;

use super::database;
use crate::Result;
use crate::store::sql;
use crate::store::{Adoption, PairVolume, RegistryEntry};

pub(super) async fn load_registry(
    client: &impl GenericClient,
    entries: &[RegistryEntry],
) -> Result<usize> {
    let statement = client
        .prepare(sql::statistics::ADD_REGISTRY_ENTRY)
        .await
        .map_err(database)?;
    for e in entries {
        client
            .execute(
                &statement,
                &[
                    &e.number,
                    &e.name,
                    &e.kind,
                    &i32::from(e.prefecture),
                    &e.municipality,
                    &e.municipality_name,
                ],
            )
            .await
            .map_err(database)?;
    }
    Ok(entries.len())
}

pub(super) async fn adoption(
    client: &impl GenericClient,
    prefecture: Option<u8>,
    since: i64,
) -> Result<Vec<Adoption>> {
    let (area, name, filter) = match prefecture {
        None => ("lpad(r.prefecture::text, 2, '0')", "''", ""),
        Some(_) => (
            "r.municipality",
            "r.municipality_name",
            "WHERE r.prefecture = $2",
        ),
    };
    let sql = format!(
        "WITH active (office) AS ( \
           SELECT sender FROM parcels WHERE accepted >= $1 \
           UNION SELECT recipient FROM parcels WHERE accepted >= $1) \
         SELECT {area}, {name}, count(*), count(o.number), count(a.office) \
         FROM registry r LEFT JOIN offices o ON o.number = r.number \
         LEFT JOIN active a ON a.office = r.number {filter} \
         GROUP BY 1, 2 ORDER BY 1"
    );
    let rows = match prefecture {
        None => client.query(&sql, &[&since]).await,
        Some(p) => client.query(&sql, &[&since, &i32::from(p)]).await,
    }
    .map_err(database)?;
    Ok(rows
        .iter()
        .map(|r| Adoption {
            area: r.get(0),
            name: r.get(1),
            registered: r.get::<_, i64>(2) as u64,
            enrolled: r.get::<_, i64>(3) as u64,
            active: r.get::<_, i64>(4) as u64,
        })
        .collect())
}

pub(super) async fn pairs(
    client: &impl GenericClient,
    since: i64,
    limit: usize,
) -> Result<Vec<PairVolume>> {
    let rows = client
        .query(
            "SELECT sender, recipient, count(*), sum(size)::BIGINT FROM parcels \
             WHERE accepted >= $1 GROUP BY sender, recipient ORDER BY 3 DESC, 4 DESC LIMIT $2",
            &[&since, &(limit as i64)],
        )
        .await
        .map_err(database)?;
    Ok(rows
        .iter()
        .map(|r| PairVolume {
            sender: r.get(0),
            recipient: r.get(1),
            parcels: r.get::<_, i64>(2) as u64,
            bytes: r.get::<_, i64>(3) as u64,
        })
        .collect())
}
