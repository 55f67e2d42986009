//! The municipality's bulk load: a CSV of one kind of record (its header line says which),
//! checked whole before anything is kept — a file with one bad line is refused with every
//! problem, line by line and column by column, and nothing of it is loaded.
//!
//! Encoding: UTF-8 or MS932 (as Excel saves CSV in Japan). Dates are `YYYYMMDD`.

use renkei_spec::codec::{ReadOptions, SourceEncoding, read};
use serde::Serialize;
use serde_json::json;

use super::certification::care_level_code;

use super::record::NewRecord;
use super::record::{PersonKey, RecordKind};

/// The kinds a municipality loads, each with its header as the file's first line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadKind {
    InsuranceCard,
    BurdenRatio,
    BurdenLimit,
    Application,
    Result,
    /// 包括同意 recorded at applications: one person per line.
    Consent,
}

impl UploadKind {
    const ALL: [UploadKind; 6] = [
        Self::InsuranceCard,
        Self::BurdenRatio,
        Self::BurdenLimit,
        Self::Application,
        Self::Result,
        Self::Consent,
    ];

    /// The header line that names the kind (columns after 保険者番号,被保険者番号).
    pub fn columns(&self) -> &'static [&'static str] {
        match self {
            Self::InsuranceCard => &[
                "保険者番号",
                "被保険者番号",
                "氏名",
                "フリガナ",
                "生年月日",
                "性別",
                "住所",
                "資格取得日",
                "有効期限",
            ],
            Self::BurdenRatio => &[
                "保険者番号",
                "被保険者番号",
                "負担割合",
                "適用開始日",
                "適用終了日",
            ],
            Self::BurdenLimit => &[
                "保険者番号",
                "被保険者番号",
                "利用者負担段階",
                "適用開始日",
                "適用終了日",
            ],
            Self::Application => &["保険者番号", "被保険者番号", "申請区分", "申請日"],
            Self::Result => &[
                "保険者番号",
                "被保険者番号",
                "申請日",
                "要介護状態区分",
                "認定有効期間開始日",
                "認定有効期間終了日",
                "審査会の意見",
            ],
            Self::Consent => &["保険者番号", "被保険者番号", "同意日"],
        }
    }

    pub fn name_ja(&self) -> &'static str {
        match self {
            Self::InsuranceCard => "被保険者証",
            Self::BurdenRatio => "負担割合証",
            Self::BurdenLimit => "負担限度額認定証",
            Self::Application => "要介護認定の申請",
            Self::Result => "要介護認定の結果",
            Self::Consent => "包括同意",
        }
    }

    fn record_kind(&self) -> Option<RecordKind> {
        Some(match self {
            Self::InsuranceCard => RecordKind::InsuranceCard,
            Self::BurdenRatio => RecordKind::BurdenRatio,
            Self::BurdenLimit => RecordKind::BurdenLimit,
            Self::Application => RecordKind::Application,
            Self::Result => RecordKind::Result,
            Self::Consent => return None,
        })
    }

    /// The kind whose header is `header`, and how to write the header when none matches.
    fn of_header(header: &[&str]) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.columns() == header)
    }
}

/// One problem of an upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub line: u32,
    /// The column's name as the header writes it; empty for the whole line.
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "{}行目: {}", self.line, self.message)
        } else {
            write!(f, "{}行目「{}」: {}", self.line, self.column, self.message)
        }
    }
}

/// A checked upload, ready to keep.
#[derive(Debug)]
pub struct Upload {
    pub kind: UploadKind,
    pub records: Vec<NewRecord>,
    /// For a consent upload: the people whose consent stands.
    pub consents: Vec<PersonKey>,
    pub lines: usize,
}

fn is_digits(text: &str, length: usize) -> bool {
    text.len() == length && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_date(text: &str) -> bool {
    if !is_digits(text, 8) {
        return false;
    }
    let (year, month, day): (u32, u32, u32) = (
        text[..4].parse().unwrap_or(0),
        text[4..6].parse().unwrap_or(0),
        text[6..].parse().unwrap_or(0),
    );
    let days = u32::from(renkei_spec::ids::days_in_month(year as u16, month as u8));
    year >= 1900 && (1..=days).contains(&day)
}

/// Problems reported of one file: the first ones in full, then only how many more. A file
/// of a million bad lines gets a report a clerk can read and a relay can hold.
pub const MAX_PROBLEMS: usize = 1000;

/// Problems as they are found, kept up to [`MAX_PROBLEMS`].
#[derive(Default)]
struct Found {
    kept: Vec<Problem>,
    more: usize,
}

impl Found {
    fn push(&mut self, problem: Problem) {
        if self.kept.len() < MAX_PROBLEMS {
            self.kept.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The kept problems, and a last line saying how many more there were.
    fn into_report(mut self) -> Vec<Problem> {
        if self.more > 0 {
            self.kept.push(Problem {
                line: 0,
                column: String::new(),
                message: format!(
                    "ほかに{}件の問題があります。上の問題を直してから、もう一度読み込んでください / {} more problems",
                    self.more, self.more
                ),
            });
        }
        self.kept
    }
}

/// Check `bytes` as an upload of the municipality `insurer`, at `time`.
pub fn parse(bytes: &[u8], insurer: &str, author: &str, time: i64) -> Result<Upload, Vec<Problem>> {
    let encoding = if std::str::from_utf8(bytes).is_ok() {
        SourceEncoding::Utf8
    } else {
        SourceEncoding::Ms932
    };
    let table = read(bytes, ReadOptions { encoding });
    let mut rows = table.rows();
    let Some(header_row) = rows.next() else {
        return Err(vec![Problem {
            line: 1,
            column: String::new(),
            message: "ファイルが空です / the file is empty".into(),
        }]);
    };
    let header: Vec<&str> = header_row
        .fields()
        .map(|f| f.trim().trim_start_matches('\u{feff}'))
        .collect();
    let Some(kind) = UploadKind::of_header(&header) else {
        let known: Vec<String> = UploadKind::ALL
            .iter()
            .map(|k| format!("{}: {}", k.name_ja(), k.columns().join(",")))
            .collect();
        return Err(vec![Problem {
            line: 1,
            column: String::new(),
            message: format!(
                "1行目の見出しが読み込める形式のどれとも合いません。次のいずれかにしてください / unknown header — {}",
                known.join(" | ")
            ),
        }]);
    };
    let columns = kind.columns();
    let mut problems = Found::default();
    let mut records = Vec::new();
    let mut consents = Vec::new();
    let mut lines = 0;
    for row in rows {
        lines += 1;
        let line = row.line();
        let fields: Vec<&str> = row.fields().map(str::trim).collect();
        if fields.len() != columns.len() {
            problems.push(Problem {
                line,
                column: String::new(),
                message: format!(
                    "項目が{}個あります。見出しのとおり{}個にしてください / {} items, expected {}",
                    fields.len(),
                    columns.len(),
                    fields.len(),
                    columns.len()
                ),
            });
            continue;
        }
        let mut bad = |column: &str, message: String| {
            problems.push(Problem {
                line,
                column: column.to_owned(),
                message,
            })
        };
        if !is_digits(fields[0], 6) {
            bad(columns[0], "数字6桁にしてください / six digits".into());
        } else if fields[0] != insurer {
            bad(
                columns[0],
                format!(
                    "他の市町村({})の被保険者です。自らの被保険者だけを読み込めます / another municipality's insured",
                    fields[0]
                ),
            );
        }
        if !is_digits(fields[1], 10) {
            bad(columns[1], "数字10桁にしてください / ten digits".into());
        }
        for (at, name) in columns.iter().enumerate().skip(2) {
            let value = fields[at];
            let date_column = name.ends_with('日') || *name == "有効期限";
            if date_column
                && !(value.is_empty() && (*name == "有効期限" || *name == "適用終了日"))
                && !is_date(value)
            {
                bad(
                    name,
                    format!("日付(YYYYMMDD)ではありません: 「{value}」 / not a date"),
                );
            }
        }
        match kind {
            UploadKind::InsuranceCard => {
                if fields[2].is_empty() {
                    bad(columns[2], "氏名がありません / the name is empty".into());
                }
                if !matches!(fields[5], "1" | "2") {
                    bad(columns[5], "1(男)か2(女)にしてください / 1 or 2".into());
                }
            }
            UploadKind::BurdenRatio => {
                if !matches!(fields[2], "1" | "2" | "3") {
                    bad(
                        columns[2],
                        "1・2・3(割)のいずれかにしてください / 1, 2 or 3".into(),
                    );
                }
            }
            UploadKind::BurdenLimit => {
                if !matches!(fields[2], "1" | "2" | "3" | "3-1" | "3-2" | "4") {
                    bad(
                        columns[2],
                        "段階は 1・2・3-1・3-2・4 のいずれかにしてください / a stage".into(),
                    );
                }
            }
            UploadKind::Application => {
                if !matches!(fields[2], "新規" | "更新" | "区分変更") {
                    bad(
                        columns[2],
                        "新規・更新・区分変更のいずれかにしてください / 新規, 更新 or 区分変更"
                            .into(),
                    );
                }
            }
            UploadKind::Result => {
                if care_level_code(fields[3]).is_none() {
                    bad(
                        columns[3],
                        format!(
                            "要介護状態区分が読めません: 「{}」(例: 22 または 要介護２) / unknown care level",
                            fields[3]
                        ),
                    );
                }
            }
            UploadKind::Consent => {}
        }
        if !problems.is_empty() {
            continue;
        }
        let person = PersonKey::new(fields[0], fields[1]);
        let (key, body) = match kind {
            UploadKind::InsuranceCard => (
                "card".to_owned(),
                json!({"name": fields[2], "kana": fields[3], "birth_date": fields[4], "sex": fields[5],
                       "address": fields[6], "qualified": fields[7], "valid_until": fields[8]}),
            ),
            UploadKind::BurdenRatio => (
                fields[3].to_owned(),
                json!({"ratio": fields[2].parse::<u8>().unwrap_or(1), "from": fields[3], "to": fields[4]}),
            ),
            UploadKind::BurdenLimit => (
                fields[3].to_owned(),
                json!({"stage": fields[2], "from": fields[3], "to": fields[4]}),
            ),
            UploadKind::Application => (
                fields[3].to_owned(),
                json!({"kind": fields[2], "date": fields[3], "steps": [["受付", fields[3]]]}),
            ),
            UploadKind::Result => (
                fields[2].to_owned(),
                json!({"application_date": fields[2], "care_level": care_level_code(fields[3]),
                       "from": fields[4], "to": fields[5], "board_opinion": fields[6]}),
            ),
            UploadKind::Consent => {
                consents.push(person);
                continue;
            }
        };
        if let Some(record_kind) = kind.record_kind() {
            records.push(NewRecord {
                person,
                kind: record_kind,
                key,
                body: body.to_string(),
                author: author.to_owned(),
                time,
            });
        }
    }
    if lines == 0 {
        problems.push(Problem {
            line: 2,
            column: String::new(),
            message: "見出しの下に行がありません / no lines below the header".into(),
        });
    }
    if problems.is_empty() {
        Ok(Upload {
            kind,
            records,
            consents,
            lines,
        })
    } else {
        Err(problems.into_report())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_many_bad_lines_gets_a_bounded_report() {
        let mut text = String::from("保険者番号,被保険者番号,同意日\n");
        for _ in 0..5000 {
            text.push_str("13104X,0000012345,20260401\n");
        }
        let problems = parse(text.as_bytes(), "131045", "municipality:131045", 0).unwrap_err();
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert!(problems[MAX_PROBLEMS].message.contains("ほかに4000件"));
    }

    #[test]
    fn a_good_file_is_read_whole() {
        let text = "保険者番号,被保険者番号,氏名,フリガナ,生年月日,性別,住所,資格取得日,有効期限\n\
                    131045,0000012345,架空 花子,カクウ ハナコ,19400401,2,\"東京都新宿区西新宿1-1\",20050401,\n\
                    131045,0000012346,架空 太郎,カクウ タロウ,19380115,1,東京都新宿区,20030115,20270331\n";
        let upload = parse(text.as_bytes(), "131045", "municipality:131045", 1).unwrap();
        assert_eq!(
            (upload.kind, upload.lines, upload.records.len()),
            (UploadKind::InsuranceCard, 2, 2)
        );
        assert!(upload.records[0].body.contains("架空 花子"));
        let (ms932, _, _) = encoding_rs::SHIFT_JIS.encode(
            "保険者番号,被保険者番号,申請区分,申請日\r\n131045,0000012345,新規,20260401\r\n",
        );
        let applications = parse(&ms932, "131045", "municipality:131045", 1).unwrap();
        assert_eq!(applications.records[0].kind, RecordKind::Application);
        let consent = parse(
            "保険者番号,被保険者番号,同意日\n131045,0000012345,20260401\n".as_bytes(),
            "131045",
            "m",
            1,
        )
        .unwrap();
        assert_eq!(consent.consents, [PersonKey::new("131045", "0000012345")]);
    }

    #[test]
    fn every_problem_is_told_with_its_line_and_column() {
        let text = "保険者番号,被保険者番号,申請日,要介護状態区分,認定有効期間開始日,認定有効期間終了日,審査会の意見\n\
                    131045,0000012345,20260401,要介護2,20260501,20270430,\n\
                    132019,000001234,20260431,要介護9,20260501,20270430,\n\
                    131045,0000012345,20260401\n";
        let problems = parse(text.as_bytes(), "131045", "m", 1).unwrap_err();
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 5, "{shown:#?}");
        assert!(
            shown[0].starts_with("3行目「保険者番号」: 他の市町村(132019)"),
            "{shown:#?}"
        );
        assert!(shown[1].starts_with("3行目「被保険者番号」"));
        assert!(shown[2].starts_with("3行目「申請日」: 日付"));
        assert!(shown[3].starts_with("3行目「要介護状態区分」"));
        assert!(shown[4].starts_with("4行目: 項目が3個あります"));
        let unknown = parse("氏名,住所\n".as_bytes(), "131045", "m", 1).unwrap_err();
        assert!(
            unknown[0]
                .message
                .contains("被保険者証: 保険者番号,被保険者番号,氏名")
        );
    }

    #[test]
    fn care_levels_are_read_as_codes_or_names() {
        assert_eq!(care_level_code("22"), Some("22"));
        assert_eq!(care_level_code("要介護2"), Some("22"));
        assert_eq!(care_level_code("要支援１"), Some("12"));
        assert_eq!(care_level_code("要介護6"), None);
    }
}
