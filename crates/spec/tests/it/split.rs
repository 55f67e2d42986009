//! §3.4: a provider gets only the people it serves, but their 第6表 and 第7表 carry every
//! provider's lines; one file per office, kind, file kind and month.

use std::collections::{BTreeMap, BTreeSet};

use renkei_spec::codec::{self, ReadOptions};
use renkei_spec::layout::schedule;
use renkei_spec::{FileKind, Generation, Layout};

use crate::generator::{config, month_of};

#[test]
fn each_provider_gets_its_people_with_all_their_lines() {
    let files = month_of(config(21, 1, 6, 30, Generation::V4));
    let layout = Layout::of(FileKind::Schedule, Generation::V4).unwrap();
    // Every person's whole 予定, from the union of all files.
    let mut whole: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut per_file = Vec::new();
    for file in files.iter().filter(|f| f.name.kind == FileKind::Schedule) {
        let table = codec::read(&file.bytes, ReadOptions::default());
        let mut people: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for row in table.rows() {
            let line = row.fields().collect::<Vec<_>>().join(",");
            let person = row.col(layout, schedule::INSURED).to_owned();
            whole
                .entry(person.clone())
                .or_default()
                .insert(line.clone());
            people.entry(person).or_default().insert(line);
        }
        per_file.push((file.name.clone(), people));
    }
    assert!(per_file.len() >= 3);
    for (name, people) in &per_file {
        let to = name.to.to_string();
        for (person, lines) in people {
            assert_eq!(
                lines, &whole[person],
                "{name}: {person} must carry every provider's lines"
            );
            assert!(
                lines.iter().any(|l| l.contains(&to)),
                "{name}: {person} is not served by the recipient"
            );
        }
    }
    let mut keys: Vec<_> = per_file
        .iter()
        .map(|(n, _)| (n.to, n.to_kind, n.month))
        .collect();
    let count = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(
        keys.len(),
        count,
        "one 予定 file per office, kind and month"
    );
}
