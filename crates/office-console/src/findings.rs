//! A check's findings as the office reads them: whose data each is (氏名 and 被保険者番号),
//! in which form (第7表・補足, not the file's code), what is wrong, and the rule's id kept
//! small at the end for the vendor's support desk. One view for every page that lists
//! findings: the send review, a returned parcel and a refusal.

use std::collections::HashMap;

use renkei_forms::SourceFile;
use renkei_office::ledger::RefusedFinding;
use renkei_spec::FileName;
use renkei_spec::glossary::{Reader, file_term, in_japanese};
use renkei_spec::validate::Finding;

use super::Console;

/// One finding as a row of the list.
#[derive(Debug)]
pub struct FindingView {
    /// The form's name (第7表 利用票別表), or the file's name when it is not the standard's.
    pub form: String,
    pub file: String,
    pub line: String,
    /// 「氏名（被保険者番号 N）」 of the line's person, when the line is one person's.
    pub whose: String,
    pub item: String,
    pub error: bool,
    pub rule: String,
    pub message: String,
}

/// The names the office holds from its other files, by `保険者番号-被保険者番号`: read once
/// for a page, however many sets of files it lists.
#[derive(Debug, Default)]
pub struct Known(HashMap<String, String>);

impl Known {
    pub fn of(console: &Console) -> Self {
        Self(
            console
                .office
                .ledger
                .people_names()
                .unwrap_or_default()
                .into_iter()
                .map(|((insurer, insured), (name, _))| (format!("{insurer}-{insured}"), name))
                .collect(),
        )
    }
}

/// The names of the people findings are about: from the files' own 補足 where they are at
/// hand, else from the names the office holds.
#[derive(Debug)]
pub struct Whose<'a> {
    known: &'a Known,
    in_files: HashMap<String, String>,
}

impl<'a> Whose<'a> {
    pub fn of(known: &'a Known, files: &[SourceFile<'_>]) -> Self {
        let in_files = renkei_forms::people(files)
            .into_iter()
            .filter(|p| p.is_named())
            .map(|p| (format!("{}-{}", p.insurer, p.insured), p.name().to_owned()))
            .collect();
        Self { known, in_files }
    }

    /// 「氏名（被保険者番号 N）」 for a finding's person, empty for a finding on no one.
    fn label(&self, person: Option<&str>) -> String {
        let Some(key) = person else {
            return String::new();
        };
        let insured = key.split_once('-').map_or(key, |(_, insured)| insured);
        let name = self
            .in_files
            .get(key)
            .or_else(|| self.known.0.get(key))
            .map_or("氏名不明", String::as_str);
        format!("{name}（被保険者番号 {insured}）")
    }
}

/// The form a file holds, in the reader's words.
fn form_of(file: Option<&str>, reader: Reader) -> String {
    match file.map(FileName::parse) {
        Some(Ok(name)) => file_term(name.kind, reader).to_owned(),
        Some(Err(_)) => "標準仕様外のファイル".to_owned(),
        None => "ファイルの組".to_owned(),
    }
}

impl FindingView {
    /// A finding of this office's own check, before sending.
    pub fn of_check(finding: &Finding, whose: &Whose, reader: Reader) -> Self {
        Self::of_kept(
            &renkei_office::sending::kept_finding(finding),
            whose,
            reader,
        )
    }

    /// A finding kept with a refusal or signed by a partner that could not take files in.
    pub fn of_kept(finding: &RefusedFinding, whose: &Whose, reader: Reader) -> Self {
        let file = finding.file.as_deref();
        Self {
            form: form_of(file, reader),
            file: file.unwrap_or_default().to_owned(),
            line: finding.line.map(|l| l.to_string()).unwrap_or_default(),
            whose: whose.label(finding.person.as_deref()),
            item: finding.item.clone().unwrap_or_default(),
            error: finding.error,
            rule: finding.rule.clone(),
            message: in_japanese(&finding.message_ja).to_owned(),
        }
    }
}
