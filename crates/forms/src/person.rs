//! The files of a parcel or send unit, read into each person's forms.

use renkei_spec::codec::{ReadOptions, read};
use renkei_spec::{FileKind, FileName, Layout};

use crate::month::{Allowance, MonthSheet, Source};
use crate::plan::{Plan1, Plan2Line, Weekly};
use crate::supplement::Supplement;

/// A file as it was exchanged: its standard name and its bytes (MS932).
#[derive(Clone, Copy, Debug)]
pub struct SourceFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Everything the files say about one person (保険者番号 + 被保険者番号).
#[derive(Clone, Debug, Default)]
pub struct PersonForms {
    pub insurer: String,
    pub insured: String,
    /// The 補足 of the month when there is one, else the one sent with the plan.
    pub supplement: Option<Supplement>,
    pub plan1: Option<Plan1>,
    pub plan2: Vec<Plan2Line>,
    pub weekly: Option<Weekly>,
    pub months: Vec<MonthSheet>,
    pub allowance: Option<Allowance>,
    /// The names of the files these forms were read from.
    pub files: Vec<String>,
    /// 氏名 and フリガナ the office holds from its other files, for forms that came without
    /// a 補足 (a 実績 names the person by number only).
    pub known_name: Option<(String, String)>,
}

impl PersonForms {
    /// The name to show: from 利用者補足情報, else the one the office holds, else the
    /// 被保険者番号.
    pub fn name(&self) -> &str {
        self.supplement
            .as_ref()
            .map(|s| s.name.as_str())
            .filter(|n| !n.is_empty())
            .or(self.known_name.as_ref().map(|(name, _)| name.as_str()))
            .unwrap_or(&self.insured)
    }

    pub fn kana(&self) -> &str {
        self.supplement
            .as_ref()
            .map(|s| s.kana.as_str())
            .filter(|k| !k.is_empty())
            .or(self.known_name.as_ref().map(|(_, kana)| kana.as_str()))
            .unwrap_or("")
    }

    /// Whether a name is known at all (else [`Self::name`] is the 被保険者番号).
    pub fn is_named(&self) -> bool {
        self.name() != self.insured
    }

    /// The forms present, in the order of the paper set, for a table of contents.
    pub fn contents(&self) -> Vec<&'static str> {
        let mut contents = Vec::new();
        if self.plan1.is_some() {
            contents.push("第1表");
        }
        if !self.plan2.is_empty() {
            contents.push("第2表");
        }
        if self.weekly.is_some() {
            contents.push("第3表");
        }
        if !self.months.is_empty() {
            contents.push("第6表");
        }
        if self.allowance.is_some() {
            contents.push("第7表");
        }
        if self.supplement.is_some() {
            contents.push("補足");
        }
        contents
    }
}

/// Read `files` into each person's forms, ordered by フリガナ. Files that are not of the
/// standard, or not forms (削除, 基本情報, 介護予防), are passed over: the validator, not
/// this view, reports on them.
pub fn people(files: &[SourceFile<'_>]) -> Vec<PersonForms> {
    let mut people: Vec<PersonForms> = Vec::new();
    for file in files {
        let Ok(name) = FileName::parse(file.name) else {
            continue;
        };
        let Some(layout) = Layout::of(name.kind, name.generation) else {
            continue;
        };
        let table = read(file.bytes, ReadOptions::default());
        for row in table.rows() {
            // 保険者番号 and 被保険者番号 are the 2nd and 3rd items of every form file.
            let (insurer, insured) = (row.get(1), row.get(2));
            let at = match people
                .iter()
                .position(|p| p.insurer == insurer && p.insured == insured)
            {
                Some(at) => at,
                None => {
                    people.push(PersonForms {
                        insurer: insurer.to_owned(),
                        insured: insured.to_owned(),
                        ..PersonForms::default()
                    });
                    people.len() - 1
                }
            };
            let person = &mut people[at];
            if !person.files.iter().any(|f| f == file.name) {
                person.files.push(file.name.to_owned());
            }
            match name.kind {
                FileKind::Hosoku => {
                    let supplement = Supplement::read(&row, layout);
                    // A month's 補足 carries the month's limits: prefer it to the plan's.
                    if person
                        .supplement
                        .as_ref()
                        .is_none_or(|s| s.month.is_empty() || !supplement.month.is_empty())
                    {
                        person.supplement = Some(supplement);
                    }
                }
                FileKind::Plan1 => person.plan1 = Some(Plan1::read(&row, layout)),
                FileKind::Plan2 => person.plan2.push(Plan2Line::read(&row, layout)),
                FileKind::Plan3 => person
                    .weekly
                    .get_or_insert_with(Weekly::default)
                    .add(&row, layout),
                FileKind::Schedule | FileKind::Actual => {
                    let source = if name.kind == FileKind::Schedule {
                        Source::Schedule
                    } else {
                        Source::Actual
                    };
                    let month = row.col(layout, renkei_spec::layout::schedule::MONTH);
                    let sheet = match person
                        .months
                        .iter()
                        .position(|m| m.source == source && m.month == month)
                    {
                        Some(at) => &mut person.months[at],
                        None => {
                            person.months.push(MonthSheet::new(source, &row, layout));
                            person.months.last_mut().expect("just pushed")
                        }
                    };
                    sheet.add(&row, layout);
                }
                FileKind::Sikyu => person
                    .allowance
                    .get_or_insert_with(Allowance::default)
                    .add(&row, layout),
                _ => {}
            }
        }
    }
    for person in &mut people {
        Plan2Line::merge_repeats(&mut person.plan2);
        person
            .months
            .sort_by(|a, b| (&a.month, a.source.label()).cmp(&(&b.month, b.source.label())));
    }
    people.sort_by(|a, b| (a.kana(), &a.insured).cmp(&(b.kana(), &b.insured)));
    people
}
