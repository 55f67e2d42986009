//! Which document each record of a standard file is a version of (§3.1, §8.1 of the
//! reference), so the ledger can say which version is the newest and which were withdrawn.
//!
//! A document is named by its parent form's key: a plan by 保険者番号 + 被保険者番号 +
//! 居宅サービス計画作成（変更）日; a month's 予定 by 保険者番号 + 被保険者番号 + 対象年月 +
//! the sending office; 実績 by the same + the provider's サービス種類 (one file per office and
//! kind). Child forms (第2表, 第3表, 第7表, 補足, 別表) travel with their parent and are not
//! counted apart. The ファイル連番 orders versions: the latest wins ("latest wins" is our
//! reading; the standard says only that no withdrawal is needed before a re-send).

use renkei_spec::codec::{ReadOptions, read};
use renkei_spec::layout::{
    actual_delete, hosoku, kihon, kihon_delete, plan1, plan1_delete, schedule, schedule_delete,
    yobo, yobo_delete,
};
use renkei_spec::{FileKind, FileName, Layout};

/// One record's document and version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentVersion {
    /// `plan`, `schedule`, `actual`, `kihon` or `yobo`.
    pub family: &'static str,
    pub key: String,
    /// ファイル連番 of the file: later is newer.
    pub serial: String,
    pub file: String,
    /// A withdrawal (削除 file) rather than a new version.
    pub deletion: bool,
}

/// Where a kind's document key lies: its family, whether it withdraws, the column of the
/// date or month that completes the key, and whether the sender (and its kind) belongs to
/// the key.
struct KeyColumns {
    family: &'static str,
    deletion: bool,
    date: usize,
    by_sender: bool,
}

fn key_columns(kind: FileKind) -> Option<KeyColumns> {
    let columns = |family, deletion, date, by_sender| KeyColumns {
        family,
        deletion,
        date,
        by_sender,
    };
    Some(match kind {
        FileKind::Plan1 => columns("plan", false, plan1::PLAN_DATE, false),
        FileKind::Plan1Delete => columns("plan", true, plan1_delete::PLAN_DATE, false),
        FileKind::Schedule => columns("schedule", false, schedule::MONTH, true),
        FileKind::ScheduleDelete => columns("schedule", true, schedule_delete::MONTH, true),
        FileKind::Actual => columns("actual", false, schedule::MONTH, true),
        FileKind::ActualDelete => columns("actual", true, actual_delete::MONTH, false),
        FileKind::Kihon => columns("kihon", false, kihon::CONSULT_DATE, false),
        FileKind::KihonDelete => columns("kihon", true, kihon_delete::CONSULT_DATE, false),
        FileKind::Yobo => columns("yobo", false, yobo::PLAN_DATE, false),
        FileKind::YoboDelete => columns("yobo", true, yobo_delete::PLAN_DATE, false),
        _ => return None,
    })
}

/// The document versions in a file of the standard that `sender` sent; none for child
/// forms, attachments and files that cannot be read (validation speaks of those).
///
/// `sender` is the office that signed the parcel (or this office, for what it sent), never
/// the name's 送信元: a version belongs to whoever is shown to have sent it.
pub fn documents_in(sender: &str, name: &str, bytes: &[u8]) -> Vec<DocumentVersion> {
    let Ok(parsed) = FileName::parse(name) else {
        return Vec::new();
    };
    let Some(columns) = key_columns(parsed.kind) else {
        return Vec::new();
    };
    let Some(layout) = Layout::of(parsed.kind, parsed.generation) else {
        return Vec::new();
    };
    let sender_kind = parsed
        .from_kind
        .map(|k| k.as_str().to_owned())
        .unwrap_or_default();
    // 実績 is one document per provider and kind: the kind is added per record below.
    let party = if columns.by_sender {
        format!("|{sender}")
    } else {
        String::new()
    };
    let table = read(bytes, ReadOptions::default());
    let mut versions: Vec<DocumentVersion> = table
        .rows()
        .map(|row| {
            let mut key = format!(
                "{}|{}|{}",
                row.col(layout, plan1::INSURER),
                row.col(layout, plan1::INSURED),
                row.col(layout, columns.date)
            );
            if parsed.kind == FileKind::ActualDelete {
                // The withdrawal names the provider and kind in its own items.
                key.push_str(&format!(
                    "|{}|{}",
                    row.col(layout, actual_delete::PROVIDER),
                    row.col(layout, actual_delete::KIND)
                ));
            } else {
                key.push_str(&party);
            }
            if parsed.kind == FileKind::Actual {
                // The kind its service codes give: a V3 name carries none, and a 実績削除
                // names the kind in its own items.
                let code = row.col(layout, schedule::SERVICE_CODE);
                let kind = code.get(..2).unwrap_or(sender_kind.as_str());
                key.push_str(&format!("|{kind}"));
            }
            DocumentVersion {
                family: columns.family,
                key,
                serial: parsed.serial.as_str().to_owned(),
                file: name.to_owned(),
                deletion: columns.deletion,
            }
        })
        .collect();
    // A 第6表 holds many lines per person; one version per document is enough.
    versions.sort_by(|a, b| a.key.cmp(&b.key));
    versions.dedup_by(|a, b| a.key == b.key);
    versions
}

/// A person as a file names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName {
    pub insurer: String,
    pub insured: String,
    pub name: String,
    pub kana: String,
}

/// The people a file of the standard names with their 氏名: the 利用者補足情報 and the
/// 利用者基本情報 carry it; the 予定 and 実績 name a person by number only.
pub fn people_in(name: &str, bytes: &[u8]) -> Vec<PersonName> {
    let Ok(parsed) = FileName::parse(name) else {
        return Vec::new();
    };
    let (insurer, insured, name_column, kana_column) = match parsed.kind {
        FileKind::Hosoku => (
            hosoku::INSURER,
            hosoku::INSURED,
            hosoku::NAME,
            hosoku::NAME_KANA,
        ),
        FileKind::Kihon => (
            kihon::INSURER,
            kihon::INSURED,
            kihon::NAME,
            kihon::NAME_KANA,
        ),
        _ => return Vec::new(),
    };
    let Some(layout) = Layout::of(parsed.kind, parsed.generation) else {
        return Vec::new();
    };
    let table = read(bytes, ReadOptions::default());
    let mut people: Vec<PersonName> = table
        .rows()
        .map(|row| PersonName {
            insurer: row.col(layout, insurer).to_owned(),
            insured: row.col(layout, insured).to_owned(),
            name: row.col(layout, name_column).trim().to_owned(),
            kana: row.col(layout, kana_column).trim().to_owned(),
        })
        .filter(|p| !p.name.is_empty())
        .collect();
    people.dedup_by(|a, b| a.insurer == b.insurer && a.insured == b.insured);
    people
}

/// The 削除 file that withdraws a document this office sent (第1表, a month's 予定 or
/// 実績), named from the file the document was sent in and numbered `serial` (a new
/// ファイル連番, so the withdrawal is newer than every version it withdraws). `None` for a
/// document the standard has no 削除 for, or whose key or file name cannot be read.
pub fn withdrawal(
    document: &crate::ledger::DocumentRow,
    serial: renkei_spec::ids::FileSerial,
) -> Option<(String, Vec<u8>)> {
    use renkei_spec::CsvVersion;
    use renkei_spec::codec::Record;
    use renkei_spec::filename::MonthToken;
    let (_, rest) = document.key.split_once(':')?;
    let parts: Vec<&str> = rest.split('|').collect();
    let sent = FileName::parse(&document.file).ok()?;
    let version = CsvVersion::for_generation(sent.generation)
        .as_str()
        .to_owned();
    let month = || {
        let ym = parts.get(2)?;
        let year = ym.get(..4)?.parse().ok()?;
        let month = ym.get(4..6)?.parse().ok()?;
        renkei_spec::ids::YearMonth::new(year, month)
            .ok()
            .map(MonthToken::Month)
    };
    let (kind, month, items) = match (document.family.as_str(), parts.as_slice()) {
        ("plan", [insurer, insured, plan_date, ..]) => (
            FileKind::Plan1Delete,
            None,
            vec![*insurer, *insured, *plan_date],
        ),
        ("schedule", [insurer, insured, ym, ..]) => (
            FileKind::ScheduleDelete,
            Some(month()?),
            vec![*insurer, *insured, *ym],
        ),
        ("actual", [insurer, insured, ym, provider, kind]) => (
            FileKind::ActualDelete,
            Some(month()?),
            vec![*insurer, *insured, *ym, *provider, *kind],
        ),
        _ => return None,
    };
    let layout = Layout::of(kind, sent.generation)?;
    let record = Record(
        std::iter::once(version.as_str())
            .chain(items)
            .map(str::to_owned)
            .collect(),
    );
    let bytes = renkei_spec::codec::write(layout, [&record]).ok()?;
    let name = FileName {
        kind,
        month,
        serial,
        branch: None,
        notes: Vec::new(),
        ..sent
    };
    Some((name.to_string(), bytes))
}
