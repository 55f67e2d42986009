//! How the console says things, through the one glossary (`renkei_spec::glossary`): a
//! partner by its name with its number beside it, a file by the form's name as this office
//! reads it, a size in KB.

use std::collections::HashMap;

use renkei_spec::glossary::{self, Reader};

use super::Console;

/// The reader this office is: a care-planning office or a provider.
pub fn reader(console: &Console) -> Reader {
    let plans = console
        .office
        .profile
        .certificate()
        .ok()
        .and_then(|c| c.identity().ok())
        .is_some_and(|i| i.is_planner());
    Reader::of_planner(plans)
}

/// Partners' names from the directory, as the office has looked them up.
#[derive(Debug, Default)]
pub struct Partners {
    names: HashMap<String, String>,
}

impl Partners {
    pub fn of(console: &Console) -> renkei_office::Result<Self> {
        Ok(Self {
            names: console.office.ledger.partner_names()?,
        })
    }

    /// 「さくら訪問介護（1313366167）」; a partner the directory has not named yet is still
    /// said to be an office, not shown as a bare number.
    pub fn label(&self, number: &str) -> String {
        glossary::office(self.names.get(number).map(String::as_str), number)
    }

    /// Whether the directory has told this office of the partner.
    pub fn knows(&self, number: &str) -> bool {
        self.names.contains_key(number)
    }

    /// The name alone, empty when the directory has not named the office yet.
    pub fn name(&self, number: &str) -> String {
        self.names.get(number).cloned().unwrap_or_default()
    }
}

/// What a set of files holds, in the form's names, each once: 「予定（提供票）・提供票別表」.
pub fn contents<'a>(names: impl IntoIterator<Item = &'a str>, reader: Reader) -> String {
    let mut terms: Vec<&'static str> = Vec::new();
    let mut other = false;
    for name in names {
        match renkei_spec::FileName::parse(name) {
            Ok(parsed) => {
                let term = glossary::file_term(parsed.kind, reader);
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
            Err(_) => other = true,
        }
    }
    if other {
        terms.push("添付ファイル");
    }
    terms.join("・")
}

/// Whom attachments are about, when their names say so: a 被保険者番号 in the name, or the
/// person's name as the office holds it (spaces aside). 「石川　武 様」 each once.
pub fn attachments_about<'a>(
    names: impl IntoIterator<Item = &'a str>,
    people: &renkei_office::ledger::PeopleNames,
) -> Vec<String> {
    let squeeze = |text: &str| text.replace([' ', '\u{3000}', '_', '-'], "");
    let mut about = Vec::new();
    for name in names
        .into_iter()
        .filter(|n| renkei_spec::FileName::parse(n).is_err())
    {
        let plain = squeeze(name);
        for ((_, insured), (person, _)) in people {
            let person_plain = squeeze(person);
            let named = plain.contains(insured.as_str())
                || (person_plain.chars().count() >= 2 && plain.contains(&person_plain));
            let label = format!("{person} 様");
            if named && !about.contains(&label) {
                about.push(label);
            }
        }
    }
    about.sort();
    about
}

pub use glossary::size;
