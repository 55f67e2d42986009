//! The field's words, one per thing, for every page of renkei: what a care office calls the
//! standard's files and the acts of the exchange. The pages take their words from here, and
//! the tests read every page for the words in [`AVOID`].
//!
//! A file's term depends on who reads it: the 予定 a care manager makes is the person's
//! サービス利用票 (第6表, with its 別表 第7表) at the care-planning office, and the provider
//! receives the same records as its サービス提供票 and 提供票別表.

use crate::FileKind;

/// Who reads the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// A care-planning office (居宅介護支援, 介護予防支援) or anyone outside the exchange.
    Planner,
    /// A service provider.
    Provider,
}

impl Reader {
    /// The reader an office of service kind `kind` is (43 and 46 plan).
    pub fn of_kind(kind: &str) -> Self {
        match crate::ids::ServiceKind::parse(kind) {
            Ok(kind) if kind.is_planner() => Self::Planner,
            Ok(_) => Self::Provider,
            // Not a kind at all: the words of the office that writes the forms.
            Err(_) => Self::Planner,
        }
    }

    /// The reader an office is: a planner if it plans in any of its kinds.
    pub fn of_planner(plans: bool) -> Self {
        if plans { Self::Planner } else { Self::Provider }
    }
}

/// What the office calls a file of `kind`: the form's number or the field's short name.
pub fn file_term(kind: FileKind, reader: Reader) -> &'static str {
    use FileKind::*;
    match (kind, reader) {
        (Plan1, _) => "第1表",
        (Plan2, _) => "第2表",
        (Plan3, _) => "第3表",
        (Hosoku, _) => "補足（第1〜3表）",
        (Schedule, Reader::Planner) => "予定（第6表 利用票）",
        (Schedule, Reader::Provider) => "予定（提供票）",
        (Sikyu, Reader::Planner) => "第7表 利用票別表",
        (Sikyu, Reader::Provider) => "提供票別表",
        (Actual, _) => "実績",
        (Plan1Delete, _) => "第1表の取消",
        (ScheduleDelete, _) => "予定の取消",
        (ActualDelete, _) => "実績の取消",
        (Kihon, _) => "基本情報",
        (KihonSub1, _) => "基本情報（別表1）",
        (KihonSub2, _) => "基本情報（別表2）",
        (KihonImage, _) => "家族構成図",
        (KihonDelete, _) => "基本情報の取消",
        (Yobo, _) => "予防計画書",
        (YoboSub, _) => "予防計画書（別表）",
        (YoboDelete, _) => "予防計画書の取消",
    }
}

/// The title of the paper form a file prints as, in the reader's words: the care manager's
/// サービス利用票 and its 別表 are the provider's サービス提供票 and 提供票別表; the 実績 is 実績
/// for both.
pub fn form_title(kind: FileKind, reader: Reader) -> &'static str {
    match (kind, reader) {
        (FileKind::Schedule, Reader::Planner) => "サービス利用票（予定）",
        (FileKind::Schedule, Reader::Provider) => "サービス提供票（予定）",
        (FileKind::Sikyu, Reader::Planner) => "サービス利用票別表",
        (FileKind::Sikyu, Reader::Provider) => "サービス提供票別表",
        (kind, reader) => file_term(kind, reader),
    }
}

/// The files an office's care software writes together and renkei sends together (the
/// standard's 送信単位).
pub const FILE_SET: &str = "送るファイルの組";
/// One sending to one partner (the relay's parcel).
pub const SENDING: &str = "送信";
/// The name a member of staff signs in with.
pub const STAFF_NAME: &str = "職員名";

/// Words the pages do not use, each with the word to use instead: the machine's names for
/// things, and the several names one file had on different pages.
pub const AVOID: &[(&str, &str)] = &[
    ("送信単位", FILE_SET),
    ("小包", SENDING),
    ("第6表実績情報", "実績"),
    ("サービス利用票（実績）", "実績"),
    ("サービス提供実績", "実績"),
];

/// An office as pages name it: by its name with its 事業所番号 beside it,
/// 「さくら訪問介護（1313366167）」; one without a known name is still said to be an office.
pub fn office(name: Option<&str>, number: &str) -> String {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => format!("{name}（{number}）"),
        None => format!("名称未取得の事業所（{number}）"),
    }
}

/// A size as a person reads it: 154230 bytes are 151 KB.
pub fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    if bytes < KB {
        format!("{bytes} バイト")
    } else if bytes < MB {
        format!("{} KB", bytes.div_ceil(KB))
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    }
}

/// A message as a page shows it: renkei's messages say what to do in Japanese and then,
/// after " / ", in English for the engineers who read logs; a page for care staff or a
/// person keeps the Japanese alone.
pub fn in_japanese(message: &str) -> &str {
    let mut from = 0;
    while let Some(at) = message[from..].find(" / ") {
        let at = from + at;
        let before = &message[..at];
        let after = &message[at + 3..];
        if !before.is_ascii() && after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return before.trim_end();
        }
        from = at + 3;
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_keep_the_japanese_of_a_message() {
        assert_eq!(
            in_japanese("同意を撤回しています。閲覧できません / the person withdrew their consent"),
            "同意を撤回しています。閲覧できません"
        );
        assert_eq!(
            in_japanese("PDF / CSV を選んでください"),
            "PDF / CSV を選んでください"
        );
        assert_eq!(in_japanese("only English / here"), "only English / here");
        assert_eq!(in_japanese("日付 / 時刻"), "日付 / 時刻");
    }

    #[test]
    fn the_provider_reads_its_teikyohyo() {
        assert_eq!(
            file_term(FileKind::Schedule, Reader::of_kind("11")),
            "予定（提供票）"
        );
        assert_eq!(
            file_term(FileKind::Sikyu, Reader::of_kind("43")),
            "第7表 利用票別表"
        );
        for kind in FileKind::ALL {
            for reader in [Reader::Planner, Reader::Provider] {
                let term = file_term(kind, reader);
                assert!(!AVOID.iter().any(|(w, _)| term.contains(w)), "{term}");
            }
        }
    }

    #[test]
    fn sizes_are_in_kilobytes() {
        assert_eq!(size(154_230), "151 KB");
        assert_eq!(size(900), "900 バイト");
        assert_eq!(size(3 * 1024 * 1024 + 512 * 1024), "3.5 MB");
    }
}
