//! Set-level checks inside one send unit (§8.2 7–9, §3.2): children have their parents,
//! annexes ride with their parent file, and the unit holds what the standard sends together.

use std::collections::{BTreeSet, HashSet};

use super::Finding;
use super::file::{Checked, Facts};
use super::keys::Key;
use super::rules::*;
use crate::kind::FileKind;
use crate::version::Generation;

fn finding(
    rule: &'static Rule,
    file: Option<&str>,
    line: Option<u32>,
    ja: String,
    en: String,
) -> Finding {
    Finding {
        rule,
        file: file.map(str::to_owned),
        line,
        item_no: None,
        item_name: None,
        value: None,
        detail_ja: ja,
        detail_en: en,
        person: None,
    }
}

fn keys_of<'a>(
    files: &'a [(&'a str, &'a Facts)],
    pick: impl Fn(&Facts) -> bool,
) -> HashSet<Key<'a>> {
    files
        .iter()
        .filter(|(_, f)| pick(f))
        .flat_map(|(_, f)| f.keys.iter().map(|(k, _)| k))
        .collect()
}

/// The group of files the standard sends as one unit (§3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Plan,
    Schedule,
    Prevention,
    Alone(FileKind),
}

fn group(facts: &Facts) -> Group {
    match facts.kind {
        FileKind::Plan1 | FileKind::Plan2 | FileKind::Plan3 => Group::Plan,
        FileKind::Hosoku if facts.plan_tied => Group::Plan,
        FileKind::Hosoku | FileKind::Schedule | FileKind::Sikyu => Group::Schedule,
        FileKind::Kihon
        | FileKind::KihonSub1
        | FileKind::KihonSub2
        | FileKind::KihonImage
        | FileKind::Yobo
        | FileKind::YoboSub => Group::Prevention,
        other => Group::Alone(other),
    }
}

pub(super) fn check(files: &[Checked]) -> Vec<Finding> {
    let mut out = Vec::new();
    let facts: Vec<(&str, &Facts)> = files
        .iter()
        .filter_map(|c| c.facts.as_ref().map(|f| (c.report.name.as_str(), f)))
        .collect();
    let plan1 = keys_of(&facts, |f| f.kind == FileKind::Plan1);
    let schedule = keys_of(&facts, |f| f.kind == FileKind::Schedule);
    let kihon = keys_of(&facts, |f| f.kind == FileKind::Kihon);
    let yobo = keys_of(&facts, |f| f.kind == FileKind::Yobo);

    for (name, f) in &facts {
        let (rule, parents, parent_name) = match f.kind {
            FileKind::Plan2 | FileKind::Plan3 => (&U001, &plan1, "第1表"),
            FileKind::Hosoku if f.plan_tied => (&U001, &plan1, "第1表"),
            FileKind::Hosoku | FileKind::Sikyu => (&U002, &schedule, "第6表"),
            FileKind::KihonSub1 | FileKind::KihonSub2 => (&U003, &kihon, "利用者基本情報"),
            FileKind::YoboSub => (&U003, &yobo, "介護予防サービス・支援計画書"),
            _ => continue,
        };
        let mut reported = HashSet::new();
        for (key, line) in f.keys.iter() {
            if !parents.contains(&key) && reported.insert(key) {
                let [insurer, insured, third] = key.map(|part| f.keys.shown(part));
                out.push(finding(
                    rule,
                    Some(name),
                    Some(line),
                    format!("保険者番号{insurer} 被保険者番号{insured} キー{third} の{parent_name}がこの送信単位にありません"),
                    format!("no {parent_name} for insurer {insurer} insured {insured} key {third} in this unit"),
                ));
            }
        }
    }

    let has = |kind: FileKind| facts.iter().any(|(_, f)| f.kind == kind);
    if has(FileKind::KihonImage) && !has(FileKind::Kihon) {
        for (name, _) in facts.iter().filter(|(_, f)| f.kind == FileKind::KihonImage) {
            out.push(finding(
                &U003,
                Some(name),
                None,
                "利用者基本情報がありません".into(),
                "no UPKIHON in this unit".into(),
            ));
        }
    }
    for (name, f) in facts.iter().filter(|(_, f)| f.kind == FileKind::Kihon) {
        for (image, line) in &f.images {
            if !files
                .iter()
                .any(|c| c.report.name.eq_ignore_ascii_case(image))
            {
                out.push(finding(
                    &U004,
                    Some(name),
                    Some(*line),
                    image.clone(),
                    image.clone(),
                ));
            }
        }
    }

    let groups: BTreeSet<Group> = facts.iter().map(|(_, f)| group(f)).collect();
    if groups.len() > 1 {
        let kinds: BTreeSet<&str> = facts.iter().map(|(_, f)| f.kind.prefix()).collect();
        let list = kinds.into_iter().collect::<Vec<_>>().join(", ");
        out.push(finding(&U005, None, None, list.clone(), list));
    }
    let generation = facts.first().map_or(Generation::V4, |(_, f)| f.generation);
    let hosoku = |plan_tied: bool| {
        facts
            .iter()
            .any(|(_, f)| f.kind == FileKind::Hosoku && f.plan_tied == plan_tied)
    };
    let mut missing = Vec::new();
    if groups.contains(&Group::Plan) {
        missing.extend([
            (FileKind::Plan1, has(FileKind::Plan1)),
            (FileKind::Plan2, has(FileKind::Plan2)),
        ]);
        if generation == Generation::V4 {
            missing.push((FileKind::Plan3, has(FileKind::Plan3)));
        }
        missing.push((FileKind::Hosoku, hosoku(true)));
    }
    if groups.contains(&Group::Schedule) {
        missing.extend([
            (FileKind::Schedule, has(FileKind::Schedule)),
            (FileKind::Sikyu, has(FileKind::Sikyu)),
            (FileKind::Hosoku, hosoku(false)),
        ]);
    }
    let missing: Vec<&str> = missing
        .into_iter()
        .filter(|(_, present)| !present)
        .map(|(k, _)| k.prefix())
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        out.push(finding(
            &U006,
            None,
            None,
            format!("不足: {list}"),
            format!("missing: {list}"),
        ));
    }
    out
}
