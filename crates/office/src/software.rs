//! Which versions of the standard the office's care software reads and writes.
//!
//! The office says it (at `renkei office init`, with `renkei office csv-versions`, or on the
//! console) and the relay's directory shows it to partners: a sender converts V3 for an
//! office that reads only V4.1 ([`crate::sending`]), and a planner sees which partners are
//! ready for what. What was said is kept in the data folder with whether the relay has
//! heard it yet, so a change made while the relay was out of reach is told on the next
//! sync round rather than lost.

use std::path::Path;

use renkei_proto::{CsvVersionValue, CsvVersions, OfficeView};
use serde::{Deserialize, Serialize};

use crate::profile::write_atomically;
use crate::{Error, Office, Result};

const FILE: &str = "csv-versions.json";

/// What the office said, and whether the relay has it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    pub versions: CsvVersions,
    /// False until the relay answered the declaration.
    pub told: bool,
}

/// Versions from the command line or a form: `202407,202208`, `V4.1,V3`, or `4.1`.
pub fn parse_list(text: &str) -> Result<Vec<CsvVersionValue>> {
    let mut values = Vec::new();
    for part in text
        .split([',', '、', ' '])
        .filter(|p| !p.trim().is_empty())
    {
        let part = part.trim();
        let spelled = part.strip_prefix(['V', 'v']).unwrap_or(part);
        let value = CsvVersionValue::parse(part)
            .or_else(|| CsvVersionValue::parse(&format!("V{spelled}")))
            .ok_or_else(|| {
                Error::Setting(format!(
                    "CSVバージョン「{part}」は選べません。202407(V4.1)か202208(V3)を、カンマで区切って指定してください / '{part}' is not a version an office may declare: use 202407 (V4.1) or 202208 (V3)"
                ))
            })?;
        if !values.contains(&value) {
            values.push(value);
        }
    }
    Ok(values)
}

/// What the office in `dir` has said; nothing when it has not.
pub fn declared(dir: &Path) -> Result<Option<Declared>> {
    let path = dir.join(FILE);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| Error::Answer(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::file(&path, e)),
    }
}

/// Keep `versions` as what the office's software reads and writes, to be told to the relay.
pub fn declare(dir: &Path, versions: &CsvVersions) -> Result<()> {
    let versions = versions.normalised();
    if versions.reads.is_empty() || versions.writes.is_empty() {
        return Err(Error::Setting(
            "読めるバージョンと書き出すバージョンを、それぞれ1つ以上選んでください / choose at least one version read and one written".to_owned(),
        ));
    }
    let unchanged = declared(dir)?.is_some_and(|d| d.versions == versions);
    if unchanged {
        return Ok(());
    }
    save(
        dir,
        &Declared {
            versions,
            told: false,
        },
    )
}

fn save(dir: &Path, declared: &Declared) -> Result<()> {
    let json = serde_json::to_vec_pretty(declared).map_err(|e| Error::Answer(e.to_string()))?;
    write_atomically(&dir.join(FILE), &json)
}

/// Tell the relay what the office said, if it has not heard it yet; the directory entry as
/// the relay now has it when it was told.
pub async fn tell_relay(office: &Office) -> Result<Option<OfficeView>> {
    let dir = &office.profile.dir;
    let Some(mut declared) = declared(dir)? else {
        return Ok(None);
    };
    if declared.told {
        return Ok(None);
    }
    let view = office
        .retry
        .run(|| office.client.set_csv_versions(&declared.versions))
        .await?;
    // Said again while the relay was being told: the newer one is told next round.
    if declared_now_is(dir, &declared.versions)? {
        declared.told = true;
        save(dir, &declared)?;
    }
    Ok(Some(view))
}

fn declared_now_is(dir: &Path, versions: &CsvVersions) -> Result<bool> {
    Ok(declared(dir)?.is_some_and(|d| &d.versions == versions))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_as_people_write_them() {
        use CsvVersionValue::{V3, V4_1};
        assert_eq!(parse_list("202407,202208").unwrap(), [V4_1, V3]);
        assert_eq!(parse_list("V4.1、v3").unwrap(), [V4_1, V3]);
        assert_eq!(parse_list("4.1 4.1").unwrap(), [V4_1]);
        let refused = parse_list("202410").unwrap_err().to_string();
        assert!(refused.contains("202407(V4.1)か202208(V3)"), "{refused}");
    }

    #[test]
    fn a_declaration_waits_to_be_told_and_a_repeat_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(declared(dir.path()).unwrap(), None);
        let only_v4 = CsvVersions {
            reads: vec![CsvVersionValue::V4_1],
            writes: vec![CsvVersionValue::V4_1],
        };
        declare(dir.path(), &only_v4).unwrap();
        let mut kept = declared(dir.path()).unwrap().unwrap();
        assert!(!kept.told);
        kept.told = true;
        save(dir.path(), &kept).unwrap();
        declare(dir.path(), &only_v4).unwrap();
        assert!(declared(dir.path()).unwrap().unwrap().told);
        let none = CsvVersions::default();
        assert!(declare(dir.path(), &none).is_err());
    }
}
