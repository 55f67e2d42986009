//! The conformance kit: hand-written cases written from the standard, one for each rule
//! (it triggers exactly that rule) and valid ones (they trigger none), in V4.1 and, where
//! the rule exists there, V3. A vendor checks its own exports of the cases against what
//! each case expects; renkei's tests check renkei against the same cases.
//!
//! A case is written as one UTF-8 text (`conformance/{rules,valid}/NAME.txt`, embedded at
//! build time): `# description`, then `=== FILE-NAME [utf8] [eof]` before each file's
//! lines. A file is MS932 unless `utf8` is given, each line ends with CRLF, `\r\n` inside a
//! line is a line break within a quoted item, `\x{HH}` is a raw byte, and `eof` appends the
//! DOS end-of-file mark.

use encoding_rs::SHIFT_JIS;

use crate::codec::{self, ReadOptions, Record};
use crate::filename::FileName;
use crate::layout::Layout;
use crate::validate::{self, Input, Options, Rule, rules};
use crate::version::{CsvVersion, Generation};

/// `(group, name, text)` of every case file.
static SOURCES: &[(&str, &str, &str)] = include!(concat!(env!("OUT_DIR"), "/cases.rs"));

/// The rules whose V4.1 case has a V3 form: the items V4 added taken out, V3 names,
/// `202208`, no 第3表. The others are about what V3 does not have (第3表, 介護予防, TAIS
/// codes, kind tokens, V4.1's version values), about bytes that a rewrite would mend (they
/// have V3 cases of their own, `NAME-v3.txt`), or about the name itself.
pub const V3_RULES: &[&str] = &[
    "N005", "N007", "S003", "V001", "V003", "M001", "M002", "M003", "M004", "I001", "I002", "I003",
    "I004", "I005", "I006", "I007", "I008", "I009", "I010", "I011", "I012", "I014", "I015", "T002",
    "T003", "T004", "T005", "T006", "T007", "T008", "T009", "U001", "U002", "U005", "U006", "U007",
];

/// One case of the kit.
#[derive(Clone, Debug)]
pub struct Case {
    /// `I001-v4.1`, `I001-v3`, `valid-plan-v4.1` …: the name of its folder in the kit.
    pub id: String,
    /// The rule the case shows; `None` for a valid case.
    pub rule: Option<&'static Rule>,
    pub generation: Generation,
    pub description: String,
    /// Each file's name and bytes, as a care system would write them.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Case {
    /// The rule ids a check of the case finds: its rule, or none.
    pub fn expected(&self) -> Vec<&'static str> {
        self.rule.map(|r| r.id).into_iter().collect()
    }

    pub fn inputs(&self) -> Vec<Input<'_>> {
        self.files
            .iter()
            .map(|(name, bytes)| Input { name, bytes })
            .collect()
    }
}

/// Every case: each as written, then the V3 form of each rule that has one.
pub fn cases() -> Vec<Case> {
    let written: Vec<Case> = SOURCES
        .iter()
        .map(|&(group, name, text)| {
            let (description, files) = parse(text);
            // `NAME-v3.txt` is a case written in V3 by hand.
            let stem = name.trim_end_matches("-v3");
            let rule = (group == "rules").then(|| rules::by_id(stem)).flatten();
            let generation = generation_of(&files);
            let prefix = match rule {
                Some(rule) => rule.id.to_owned(),
                None => format!("valid-{stem}"),
            };
            Case {
                id: format!("{prefix}-{}", label(generation)),
                rule,
                generation,
                description,
                files,
            }
        })
        .collect();
    let derived: Vec<Case> = written
        .iter()
        .filter(|case| case.rule.is_none_or(|rule| V3_RULES.contains(&rule.id)))
        .filter_map(v3_form)
        .filter(|v3| !written.iter().any(|case| case.id == v3.id))
        .collect();
    written.into_iter().chain(derived).collect()
}

fn label(generation: Generation) -> &'static str {
    match generation {
        Generation::V3 => "v3",
        Generation::V4 => "v4.1",
    }
}

/// V3 if any file is named the V3 way, else V4.1.
fn generation_of(files: &[(String, Vec<u8>)]) -> Generation {
    let v3 = files
        .iter()
        .any(|(name, _)| FileName::parse(name).is_ok_and(|n| n.generation == Generation::V3));
    if v3 { Generation::V3 } else { Generation::V4 }
}

/// A case's files from its text (see the module).
pub fn parse(text: &str) -> (String, Vec<(String, Vec<u8>)>) {
    let mut description = String::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut utf8 = false;
    let mut eof_mark = false;
    let finish = |files: &mut Vec<(String, Vec<u8>)>, eof_mark: bool| {
        if eof_mark && let Some(last) = files.last_mut() {
            last.1.push(0x1A);
        }
    };
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("# ") {
            description = header.to_owned();
        } else if let Some(spec) = line.strip_prefix("=== ") {
            finish(&mut files, eof_mark);
            let mut words = spec.split_whitespace();
            let name = words.next().unwrap_or_default().to_owned();
            let flags: Vec<&str> = words.collect();
            utf8 = flags.contains(&"utf8");
            eof_mark = flags.contains(&"eof");
            files.push((name, Vec::new()));
        } else if let Some(file) = files.last_mut() {
            encode_line(line, utf8, &mut file.1);
        }
    }
    finish(&mut files, eof_mark);
    (description, files)
}

fn encode_line(line: &str, utf8: bool, out: &mut Vec<u8>) {
    let line = line.replace("\\r\\n", "\r\n");
    let mut rest = line.as_str();
    while let Some(at) = rest.find("\\x{") {
        encode_text(&rest[..at], utf8, out);
        let Some(end) = rest[at..].find('}').map(|e| e + at) else {
            break;
        };
        if let Ok(byte) = u8::from_str_radix(&rest[at + 3..end], 16) {
            out.push(byte);
        }
        rest = &rest[end + 1..];
    }
    encode_text(rest, utf8, out);
    out.extend_from_slice(b"\r\n");
}

fn encode_text(text: &str, utf8: bool, out: &mut Vec<u8>) {
    if utf8 {
        out.extend_from_slice(text.as_bytes());
    } else {
        out.extend_from_slice(&SHIFT_JIS.encode(text).0);
    }
}

/// The V3 form of a V4.1 case: V3 names, `202208`, the items V4 added taken out, and no
/// 第3表. `None` when a file has no V3 form (介護予防, a name that does not parse, a record
/// that does not read cleanly or has not the V4.1 item count).
fn v3_form(case: &Case) -> Option<Case> {
    if case.generation != Generation::V4 {
        return None;
    }
    let mut files = Vec::with_capacity(case.files.len());
    for (name, bytes) in &case.files {
        let parsed = FileName::parse(name).ok()?;
        let Some(v3) = Layout::of(parsed.kind, Generation::V3) else {
            // 第3表 is new in V4: a V3 plan goes without it.
            if parsed.kind == crate::FileKind::Plan3 {
                continue;
            }
            return None;
        };
        let v4 = Layout::of(parsed.kind, Generation::V4)?;
        let table = codec::read(bytes, ReadOptions::default());
        if !table.problems.is_empty() {
            return None;
        }
        let mut records = Vec::with_capacity(table.len());
        for row in table.rows() {
            if row.len() != v4.len() {
                return None;
            }
            let mut record = Record(vec![String::new(); v3.len()]);
            for col in 0..v4.len() {
                if let Some(at) = v3.position(col) {
                    record.0[at] = row.get(col).to_owned();
                }
            }
            if record.0[0] == CsvVersion::V4_1.as_str() {
                record.0[0] = CsvVersion::V3.as_str().to_owned();
            }
            records.push(record);
        }
        let v3_name = FileName {
            from_kind: None,
            to_kind: None,
            generation: Generation::V3,
            notes: Vec::new(),
            ..parsed
        };
        files.push((v3_name.to_string(), codec::write(v3, &records).ok()?));
    }
    let prefix = case.id.trim_end_matches("-v4.1");
    Some(Case {
        id: format!("{prefix}-v3"),
        rule: case.rule,
        generation: Generation::V3,
        description: format!("{} (V3)", case.description),
        files,
    })
}

/// The outcome of checking one case: what it expects and what the check found.
#[derive(Debug)]
pub struct Verdict {
    pub expected: Vec<String>,
    pub found: Vec<&'static str>,
    pub report: validate::Report,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.found.len() == self.expected.len()
            && self.found.iter().zip(&self.expected).all(|(f, e)| f == e)
    }
}

/// Check `files` against the rule ids a case expects (in any order).
pub fn judge(expected: &[&str], files: &[Input<'_>]) -> Verdict {
    let report = validate::check(files, Options::default());
    let mut found: Vec<&'static str> = report.units.iter().flat_map(|u| u.rule_ids()).collect();
    found.sort_unstable();
    found.dedup();
    let mut expected: Vec<String> = expected.iter().map(|&id| id.to_owned()).collect();
    expected.sort_unstable();
    expected.dedup();
    Verdict {
        expected,
        found,
        report,
    }
}

/// The `expect.txt` of a case's folder: what the case shows, and the rule ids it expects.
pub fn expectation_text(case: &Case) -> String {
    let shows = match case.rule {
        Some(rule) => format!(
            "{} {} / {} ({})",
            rule.id,
            rule.title_ja,
            rule.title_en,
            match rule.severity {
                validate::Severity::Error => "エラー / error",
                validate::Severity::Warning => "警告 / warning",
            }
        ),
        None => "正しいファイル: 何も見つからないこと / valid: nothing is found".to_owned(),
    };
    format!(
        "# renkei 適合性確認の例 / conformance case {}\n# {shows}\n# {}\nexpect: {}\n",
        case.id,
        case.description,
        case.expected().join(" ")
    )
}

/// The rule ids an `expect.txt` expects; `None` when it has no `expect:` line.
pub fn parse_expectation(text: &str) -> Option<Vec<String>> {
    text.lines()
        .find_map(|line| line.strip_prefix("expect:"))
        .map(|ids| ids.split_whitespace().map(str::to_owned).collect())
}
