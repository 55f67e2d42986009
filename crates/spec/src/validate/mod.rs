//! Validation: every check of §8.2 of the reference, each a [`rules::Rule`] with a stable id.
//!
//! Validation returns reports, never errors: a file that cannot be read at all is a report
//! with the reason in it. Each finding points at the file, line and item (項番 and 項目名 as
//! the standard writes them) and says in Japanese and English what is wrong and what to do.

mod file;
mod items;
mod keys;
pub mod rules;
mod sets;
mod tables;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::codec::SourceEncoding;
use crate::filename::FileName;
use crate::kind::FileKind;
use crate::layout::ItemSpec;
use crate::unit::{self, UnitKey};
pub use rules::{Rule, Severity};

/// One file to check: its name as the care software wrote it, and its bytes untouched.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub encoding: SourceEncoding,
}

/// One problem found.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: &'static Rule,
    /// The file, when the finding is about one.
    pub file: Option<String>,
    pub line: Option<u32>,
    /// 項番 of the item in the file's own layout (the column a person counts to).
    pub item_no: Option<usize>,
    /// 項目名 as the standard writes it.
    pub item_name: Option<&'static str>,
    /// The offending value, when showing it helps.
    pub value: Option<String>,
    pub detail_ja: String,
    pub detail_en: String,
    /// Whose record the line is: `保険者番号-被保険者番号`, so that a page can name the
    /// person (the checker knows no names).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.rule.severity
    }
}

impl fmt::Display for Finding {
    /// `[E] I003 UPPLAN_….CSV 12行 項目10「サービス利用日」: 日付が正しくありません(20251131) / invalid date`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = match self.rule.severity {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
        };
        write!(f, "[{mark}] {}", self.rule.id)?;
        if let Some(line) = self.line {
            write!(f, " {line}行")?;
        }
        if let (Some(no), Some(name)) = (self.item_no, self.item_name) {
            write!(f, " 項目{no}「{name}」")?;
        }
        write!(f, ": {}", self.rule.title_ja)?;
        if !self.detail_ja.is_empty() {
            write!(f, "({})", self.detail_ja)?;
        }
        write!(f, " / {}", self.rule.title_en)?;
        if !self.detail_en.is_empty() {
            write!(f, " ({})", self.detail_en)?;
        }
        Ok(())
    }
}

/// The findings about one file.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub name: String,
    pub kind: Option<FileKind>,
    pub records: usize,
    pub bytes: usize,
    pub findings: Vec<Finding>,
    /// Findings left out past [`MAX_PER_RULE`] of one rule in one file, by rule id.
    pub suppressed: BTreeMap<&'static str, usize>,
}

/// One send unit: its files and what was found across them.
#[derive(Debug, Serialize)]
pub struct UnitReport {
    /// `None` for a file whose name is not a name of the standard.
    pub key: Option<UnitKey>,
    pub files: Vec<FileReport>,
    pub findings: Vec<Finding>,
}

impl UnitReport {
    fn all(&self) -> impl Iterator<Item = &Finding> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter())
            .chain(self.findings.iter())
    }

    pub fn errors(&self) -> usize {
        self.all()
            .filter(|f| f.severity() == Severity::Error)
            .count()
            + self.suppressed(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.all()
            .filter(|f| f.severity() == Severity::Warning)
            .count()
            + self.suppressed(Severity::Warning)
    }

    fn suppressed(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| f.suppressed.iter())
            .filter(|(id, _)| rules::by_id(id).is_some_and(|r| r.severity == severity))
            .map(|(_, n)| n)
            .sum()
    }

    /// Whether the unit may be sent: no error (warnings do not stop it).
    pub fn is_sendable(&self) -> bool {
        self.errors() == 0
    }

    /// Every rule id found, in order, once each (for tests and summaries).
    pub fn rule_ids(&self) -> Vec<&'static str> {
        let mut ids: Vec<&'static str> = self
            .all()
            .map(|f| f.rule.id)
            .chain(self.files.iter().flat_map(|f| f.suppressed.keys().copied()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The report over many files.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub units: Vec<UnitReport>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.units.iter().map(UnitReport::errors).sum()
    }

    pub fn warnings(&self) -> usize {
        self.units.iter().map(UnitReport::warnings).sum()
    }

    pub fn files(&self) -> usize {
        self.units.iter().map(|u| u.files.len()).sum()
    }
}

/// Findings of one rule kept per file; the rest are counted.
pub const MAX_PER_RULE: usize = 20;

/// Collects findings for one file, keeping at most [`MAX_PER_RULE`] of each rule.
pub(crate) struct Sink<'a> {
    file: &'a str,
    findings: Vec<Finding>,
    counts: BTreeMap<&'static str, usize>,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(file: &'a str) -> Self {
        Self {
            file,
            findings: Vec::new(),
            counts: BTreeMap::new(),
        }
    }

    fn admit(&mut self, rule: &'static Rule) -> bool {
        let count = self.counts.entry(rule.id).or_default();
        *count += 1;
        *count <= MAX_PER_RULE
    }

    /// A finding about the file as a whole.
    pub(crate) fn file(
        &mut self,
        rule: &'static Rule,
        detail_ja: impl Into<String>,
        detail_en: impl Into<String>,
    ) {
        self.at(rule, None, None, None, detail_ja, detail_en);
    }

    /// A finding at a line, optionally about an item.
    pub(crate) fn at(
        &mut self,
        rule: &'static Rule,
        line: Option<u32>,
        item: Option<(usize, &'static ItemSpec)>,
        value: Option<&str>,
        detail_ja: impl Into<String>,
        detail_en: impl Into<String>,
    ) {
        if !self.admit(rule) {
            return;
        }
        self.findings.push(Finding {
            rule,
            file: Some(self.file.to_owned()),
            line,
            item_no: item.map(|(i, _)| i + 1),
            item_name: item.map(|(_, s)| s.name),
            value: value.map(str::to_owned),
            detail_ja: detail_ja.into(),
            detail_en: detail_en.into(),
            person: None,
        });
    }

    /// Say whose record each finding's line is, from the file's rows: the 2nd and 3rd
    /// items of every form file are the 保険者番号 and the 被保険者番号.
    pub(crate) fn name_people(&mut self, table: &crate::codec::RawTable<'_>) {
        let wanted: std::collections::HashSet<u32> =
            self.findings.iter().filter_map(|f| f.line).collect();
        if wanted.is_empty() {
            return;
        }
        let digits = |b: &[u8]| !b.is_empty() && b.iter().all(u8::is_ascii_digit);
        let mut people = std::collections::HashMap::new();
        for row in table.rows().filter(|r| wanted.contains(&r.line())) {
            let (insurer, insured) = (row.bytes(1), row.bytes(2));
            if digits(insurer) && digits(insured) {
                people.insert(
                    row.line(),
                    format!(
                        "{}-{}",
                        String::from_utf8_lossy(insurer),
                        String::from_utf8_lossy(insured)
                    ),
                );
            }
        }
        for finding in &mut self.findings {
            finding.person = finding.line.and_then(|l| people.get(&l).cloned());
        }
    }

    pub(crate) fn finish(self) -> (Vec<Finding>, BTreeMap<&'static str, usize>) {
        let suppressed = self
            .counts
            .into_iter()
            .filter(|&(_, n)| n > MAX_PER_RULE)
            .map(|(id, n)| (id, n - MAX_PER_RULE))
            .collect();
        (self.findings, suppressed)
    }
}

/// Check one send unit: each file, then the set.
pub fn check_unit(files: &[Input<'_>], options: Options) -> UnitReport {
    check_parsed(
        files
            .iter()
            .map(|input| (FileName::parse(input.name), *input, input.name.to_owned())),
        options,
    )
}

/// Check the files of one unit, each with its parsed name and its name for the report.
fn check_parsed<'a>(
    files: impl Iterator<Item = (crate::Result<FileName>, Input<'a>, String)>,
    options: Options,
) -> UnitReport {
    let checked: Vec<file::Checked> = files
        .map(|(name, input, report_name)| file::check(input, name, report_name, options))
        .collect();
    let key = checked
        .iter()
        .find_map(|c| c.name.as_ref())
        .map(UnitKey::of);
    let findings = if key.is_some() {
        sets::check(&checked)
    } else {
        Vec::new()
    };
    UnitReport {
        key,
        files: checked.into_iter().map(|c| c.report).collect(),
        findings,
    }
}

/// Check any number of files: group them into send units and check each, in 連番 order.
pub fn check(files: &[Input<'_>], options: Options) -> Report {
    // Each name is copied for its report here, in input order, while it is at hand for
    // grouping: in send-unit order it has long left the processor's caches.
    let grouped = unit::group_named(
        files.iter().map(|input| (*input, input.name.to_owned())),
        |(input, _)| input.name,
    );
    let mut units: Vec<UnitReport> = grouped
        .units
        .into_iter()
        .map(|(_, inputs)| {
            check_parsed(
                inputs
                    .into_iter()
                    .map(|(name, (input, report_name))| (Ok(name), input, report_name)),
                options,
            )
        })
        .collect();
    units.extend(
        grouped
            .unnamed
            .iter()
            .map(|(input, _)| check_unit(std::slice::from_ref(input), options)),
    );
    Report { units }
}
