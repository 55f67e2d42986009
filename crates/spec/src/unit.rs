//! Send units (送信単位, §3.2): the files that share a ファイル連番 and travel together from
//! one sender to one recipient, processed by the receiver in 連番 order (§3.3).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::filename::FileName;
use crate::ids::{FileSerial, OfficeNumber};

/// What identifies one send unit: its ファイル連番, sender and recipient.
///
/// The standard groups by the shared tail alone; a care system that exports for many
/// recipients at one moment gives all their files the same tail, so the pair of offices
/// is part of the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct UnitKey {
    pub serial: FileSerial,
    pub from: OfficeNumber,
    pub to: OfficeNumber,
}

impl UnitKey {
    pub fn of(name: &FileName) -> Self {
        Self {
            serial: name.serial,
            from: name.from,
            to: name.to,
        }
    }
}

/// Items grouped by send unit, units in ファイル連番 order; items whose name is not a name
/// of the standard are returned apart, in their input order.
#[derive(Debug)]
pub struct Grouped<T> {
    pub units: Vec<(UnitKey, Vec<T>)>,
    pub unnamed: Vec<T>,
}

/// Group `items` by the send unit their file name gives. Within a unit, files keep their
/// kind order (第1表 before 第2表 …) so that reports read like the forms.
pub fn group<T>(items: impl IntoIterator<Item = T>, name_of: impl Fn(&T) -> &str) -> Grouped<T> {
    let named = group_named(items, name_of);
    Grouped {
        units: named
            .units
            .into_iter()
            .map(|(key, files)| (key, files.into_iter().map(|(_, item)| item).collect()))
            .collect(),
        unnamed: named.unnamed,
    }
}

/// Items grouped as by [`group`], each unit's items with their parsed names (a checker
/// needs them again and names are parsed for every file of a month).
#[derive(Debug)]
pub struct GroupedNamed<T> {
    pub units: Vec<(UnitKey, Vec<(FileName, T)>)>,
    pub unnamed: Vec<T>,
}

pub fn group_named<T>(
    items: impl IntoIterator<Item = T>,
    name_of: impl Fn(&T) -> &str,
) -> GroupedNamed<T> {
    let mut units: BTreeMap<UnitKey, Vec<(FileName, T)>> = BTreeMap::new();
    let mut unnamed = Vec::new();
    for item in items {
        match FileName::parse(name_of(&item)) {
            Ok(name) => units
                .entry(UnitKey::of(&name))
                .or_default()
                .push((name, item)),
            Err(_) => unnamed.push(item),
        }
    }
    let units = units
        .into_iter()
        .map(|(key, mut files)| {
            files.sort_by(|a, b| {
                (a.0.kind, a.0.month, a.0.branch).cmp(&(b.0.kind, b.0.month, b.0.branch))
            });
            (key, files)
        })
        .collect();
    GroupedNamed { units, unnamed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_ordered_by_serial_and_keep_kind_order() {
        let names = [
            "UPSIKYU_202511_0300000100_43_0300000005_11_20251025120000.CSV",
            "UP2KYO_0300000100_43_0300000005_11_20251025100000.CSV",
            "UPPLAN_202511_0300000100_43_0300000005_11_20251025120000.CSV",
            "UP1KYO_0300000100_43_0300000005_11_20251025100000.CSV",
            "notes.txt",
            "UPPLAN_202511_0300000100_43_0300000006_15_20251025120000.CSV",
        ];
        let grouped = group(names, |n| n);
        assert_eq!(grouped.unnamed, vec!["notes.txt"]);
        let order: Vec<Vec<&str>> = grouped.units.iter().map(|(_, f)| f.clone()).collect();
        assert_eq!(order[0], vec![names[3], names[1]]);
        assert_eq!(order[1], vec![names[2], names[0]]);
        assert_eq!(order[2], vec![names[5]]);
    }
}
