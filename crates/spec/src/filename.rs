//! File names of the standard (§5): parse both generations, build V4.1 (or V3) names.
//!
//! V4.1: `UPPLAN_{YYYYMM}_{from10}_{fk2}_{to10}_{tk2}_{YYYYMMDDHHMMSS}.CSV`
//! V3:   `UPPLAN_{YYYYMM}_{from10}_{to10}_{YYYYMMDDHHMMSS}.CSV`
//!
//! Leniency on input, each recorded as a [`NameNote`] so the validator can warn:
//! a lower-case extension; the extra `000000` token the spec's body example puts after
//! `UPKIHON` (its naming rule has none); a 3-character kind token as V4.0 wrote it.

use std::fmt;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ids::{FileSerial, OfficeNumber, ServiceKind, YearMonth};
use crate::kind::FileKind;
use crate::version::Generation;

/// The 年月 token of 利用票-type names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum MonthToken {
    /// `000000`: a 利用者補足情報 tied to the plan (第1表・第2表・第3表).
    Plan,
    Month(YearMonth),
}

impl fmt::Display for MonthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MonthToken::Plan => f.write_str("000000"),
            MonthToken::Month(ym) => ym.fmt(f),
        }
    }
}

/// A deviation from the naming rule that input tolerates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NameNote {
    LowerCaseExtension,
    ExtraZeroToken,
    ThreeCharacterKindToken,
}

/// A parsed file name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileName {
    pub kind: FileKind,
    pub month: Option<MonthToken>,
    pub from: OfficeNumber,
    /// The sender's サービス種類コード; `None` in V3 names and in V4.0's 3-character form.
    pub from_kind: Option<ServiceKind>,
    pub to: OfficeNumber,
    pub to_kind: Option<ServiceKind>,
    pub serial: FileSerial,
    /// 枝番 of a family-structure image (`_0001`).
    pub branch: Option<u16>,
    pub generation: Generation,
    pub notes: Vec<NameNote>,
}

fn name_error(name: &str, reason: &'static str, reason_en: &'static str) -> Error {
    Error::FileName {
        name: name.to_owned(),
        reason,
        reason_en,
    }
}

impl FileName {
    /// A V4.1 name for a planner-or-provider pair.
    pub fn v4(
        kind: FileKind,
        month: Option<MonthToken>,
        from: (OfficeNumber, ServiceKind),
        to: (OfficeNumber, ServiceKind),
        serial: FileSerial,
    ) -> Self {
        Self {
            kind,
            month,
            from: from.0,
            from_kind: Some(from.1),
            to: to.0,
            to_kind: Some(to.1),
            serial,
            branch: None,
            generation: Generation::V4,
            notes: Vec::new(),
        }
    }

    pub fn parse(name: &str) -> Result<Self> {
        let mut notes = Vec::new();
        // A byte search from the end: the extension is a few bytes away, where the
        // general `rsplit_once` costs more than the rest of the parse.
        let dot = name
            .bytes()
            .rposition(|b| b == b'.')
            .ok_or_else(|| name_error(name, "拡張子がありません", "no extension"))?;
        let (stem, ext) = (&name[..dot], &name[dot + 1..]);
        // The longest name has 9 tokens; more is an error either way, so a fixed array
        // spares an allocation per name (names are parsed for every file of a month).
        let mut buffer = [""; 10];
        let mut count = 0;
        let mut from = 0;
        // `_` is ASCII, so every cut is on a character boundary.
        for end in stem
            .bytes()
            .enumerate()
            .filter_map(|(i, b)| (b == b'_').then_some(i))
            .chain([stem.len()])
        {
            if count == buffer.len() {
                return Err(too_many_tokens(name));
            }
            buffer[count] = &stem[from..end];
            count += 1;
            from = end + 1;
        }
        let tokens = &buffer[..count];
        let (kind, mut rest) = split_prefix(tokens).ok_or_else(|| {
            name_error(
                name,
                "先頭の種別(UPPLAN等)が標準仕様にありません",
                "unknown prefix",
            )
        })?;

        let expected_ext = if kind.is_csv() { "CSV" } else { "JPG" };
        let ext_ok = ext == expected_ext || (!kind.is_csv() && ext == "jpg");
        if !ext_ok {
            if ext.eq_ignore_ascii_case(expected_ext)
                || (!kind.is_csv() && ext.eq_ignore_ascii_case("jpeg"))
            {
                if kind.is_csv() {
                    notes.push(NameNote::LowerCaseExtension);
                }
            } else if kind.is_csv() {
                return Err(name_error(
                    name,
                    "拡張子が.CSVではありません",
                    "extension is not .CSV",
                ));
            } else {
                return Err(name_error(
                    name,
                    "画像の拡張子が.jpgではありません",
                    "image extension is not .jpg",
                ));
            }
        }

        let month = if kind.has_month_token() {
            let (token, tail) = rest
                .split_first()
                .ok_or_else(|| name_error(name, "年月がありません", "no year-month token"))?;
            rest = tail;
            Some(parse_month(name, kind, token)?)
        } else {
            if matches!(kind, FileKind::Kihon)
                && rest.first() == Some(&"000000")
                && matches!(rest.len(), 4 | 6)
            {
                notes.push(NameNote::ExtraZeroToken);
                rest = &rest[1..];
            }
            None
        };

        let branch = if kind == FileKind::KihonImage {
            let (last, head) = rest
                .split_last()
                .ok_or_else(|| name_error(name, "枝番がありません", "no branch number"))?;
            rest = head;
            if last.len() != 4 || !last.bytes().all(|b| b.is_ascii_digit()) {
                return Err(name_error(
                    name,
                    "枝番が数字4桁ではありません",
                    "branch is not 4 digits",
                ));
            }
            last.parse::<u16>().ok()
        } else {
            None
        };

        let office = |t: &str| {
            OfficeNumber::parse(t).map_err(|_| {
                name_error(
                    name,
                    "事業所番号が数字10桁ではありません",
                    "office number is not 10 digits",
                )
            })
        };
        let serial = |t: &str| {
            FileSerial::parse(t).map_err(|_| {
                name_error(
                    name,
                    "ファイル連番が実在する日時(YYYYMMDDHHMMSS)ではありません",
                    "file serial is not a real YYYYMMDDHHMMSS time",
                )
            })
        };
        let (from, from_kind, to, to_kind, serial, generation) = match rest {
            [from, fk, to, tk, ts] => {
                let fk = parse_kind_token(name, fk, &mut notes)?;
                let tk = parse_kind_token(name, tk, &mut notes)?;
                (
                    office(from)?,
                    fk,
                    office(to)?,
                    tk,
                    serial(ts)?,
                    Generation::V4,
                )
            }
            [from, to, ts] => (
                office(from)?,
                None,
                office(to)?,
                None,
                serial(ts)?,
                Generation::V3,
            ),
            _ => return Err(too_many_tokens(name)),
        };
        if generation == Generation::V3 && !kind.exists_in(Generation::V3) {
            return Err(name_error(
                name,
                "この種別はV4のみで、名前にサービス種類コードが必要です",
                "this kind exists only in V4, whose names carry service kind codes",
            ));
        }
        Ok(Self {
            kind,
            month,
            from,
            from_kind,
            to,
            to_kind,
            serial,
            branch,
            generation,
            notes,
        })
    }

    /// The 対象年月 of a 利用票-type file, if it names one.
    pub fn year_month(&self) -> Option<YearMonth> {
        match self.month {
            Some(MonthToken::Month(ym)) => Some(ym),
            _ => None,
        }
    }
}

fn too_many_tokens(name: &str) -> Error {
    name_error(
        name,
        "区切り(_)の数が合いません。送信元・送信先の事業所番号、サービス種類コード、ファイル連番が必要です",
        "wrong number of '_' tokens: sender and recipient office numbers, service kinds and file serial are needed",
    )
}

fn split_prefix<'a, 'b>(tokens: &'b [&'a str]) -> Option<(FileKind, &'b [&'a str])> {
    if let [first, second, rest @ ..] = tokens {
        let (first, second) = (first.as_bytes(), second.as_bytes());
        let two = FileKind::ALL.into_iter().find(|k| {
            let prefix = k.prefix().as_bytes();
            prefix.len() == first.len() + 1 + second.len()
                && prefix[first.len()] == b'_'
                && prefix[..first.len()].eq_ignore_ascii_case(first)
                && prefix[first.len() + 1..].eq_ignore_ascii_case(second)
        });
        if let Some(kind) = two {
            return Some((kind, rest));
        }
    }
    let kind = FileKind::from_prefix(tokens.first()?)?;
    Some((kind, &tokens[1..]))
}

fn parse_month(name: &str, kind: FileKind, token: &str) -> Result<MonthToken> {
    if token == "000000" {
        if kind == FileKind::Hosoku {
            return Ok(MonthToken::Plan);
        }
        return Err(name_error(
            name,
            "年月000000は計画書に付く利用者補足情報だけに使えます",
            "year-month 000000 is only for a plan-tied UPHOSOKU",
        ));
    }
    YearMonth::parse(token).map(MonthToken::Month).map_err(|_| {
        name_error(
            name,
            "年月がYYYYMM形式の実在する年月ではありません",
            "year-month is not a real YYYYMM",
        )
    })
}

fn parse_kind_token(
    name: &str,
    token: &str,
    notes: &mut Vec<NameNote>,
) -> Result<Option<ServiceKind>> {
    if token.len() == 3 && token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // V4.0 wrote a 3-character "サービスコード" here; its content is not known, so it is kept only as a note.
        if !notes.contains(&NameNote::ThreeCharacterKindToken) {
            notes.push(NameNote::ThreeCharacterKindToken);
        }
        return Ok(None);
    }
    // Lower case is taken as the capital letter it stands for, without an allocation.
    let upper;
    let parsed = match token.as_bytes() {
        &[a, b] => {
            upper = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
            std::str::from_utf8(&upper).map_or(ServiceKind::parse(token), ServiceKind::parse)
        }
        _ => ServiceKind::parse(token),
    };
    parsed.map(Some).map_err(|_| {
        name_error(
            name,
            "サービス種類コードが英数字2文字ではありません",
            "service kind is not 2 characters",
        )
    })
}

impl fmt::Display for FileName {
    /// The canonical name: V4.1 with kinds when both are known, V3 otherwise; upper-case `.CSV`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.prefix())?;
        if let Some(month) = self.month {
            write!(f, "_{month}")?;
        }
        match (self.generation, self.from_kind, self.to_kind) {
            (Generation::V4, Some(fk), Some(tk)) => {
                write!(f, "_{}_{fk}_{}_{tk}", self.from, self.to)?
            }
            _ => write!(f, "_{}_{}", self.from, self.to)?,
        }
        write!(f, "_{}", self.serial)?;
        match self.branch {
            Some(branch) => write!(f, "_{branch:04}.jpg"),
            None => f.write_str(".CSV"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples_parse_and_rebuild() {
        for name in [
            "UPHOSOKU_000000_0300000100_43_0300000005_11_20191025200201.CSV",
            "UPHOSOKU_201909_0300000100_43_0300000005_11_20191025200201.CSV",
            "UPPLAN_201912_0300000100_43_0300000005_11_20191025200201.CSV",
            "UP1KYO_0300000100_43_0300000005_11_20191025200201.CSV",
            "UPKIHON_SUB1_0300000100_46_0300000005_A2_20191025200201.CSV",
            "UPYOBO_SUB_0300000100_46_0300000005_A2_20191025200201.CSV",
            "UPKIHON_IMAGE_0300000100_43_0300000005_11_20191025200201_0001.jpg",
            "UPPLAN_201912_0300000100_0300000005_20191025200201.CSV",
            "UP1KYO_1234567890_2468135790_20191110102233.CSV",
        ] {
            let parsed = FileName::parse(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(parsed.to_string(), name);
        }
    }

    #[test]
    fn lenient_forms_are_noted() {
        let n = FileName::parse("UPKIHON_000000_0300000100_43_0300000005_11_20191025200201.CSV")
            .unwrap();
        assert_eq!(n.notes, vec![NameNote::ExtraZeroToken]);
        let n = FileName::parse("UPPLAN_201912_0300000100_43_0300000005_11_20191025200201.csv")
            .unwrap();
        assert_eq!(n.notes, vec![NameNote::LowerCaseExtension]);
        let n =
            FileName::parse("UPKIHON_IMAGE_0300000100_43_0300000005_11_20191025200201_0001.JPG")
                .unwrap();
        assert!(n.notes.is_empty());
    }

    #[test]
    fn bad_names_say_why() {
        for (name, needle) in [
            (
                "UPFOO_0300000100_43_0300000005_11_20191025200201.CSV",
                "unknown prefix",
            ),
            (
                "UP1KYO_030000010_43_0300000005_11_20191025200201.CSV",
                "10 digits",
            ),
            (
                "UP1KYO_0300000100_43_0300000005_11_20191325200201.CSV",
                "serial",
            ),
            (
                "UPPLAN_201913_0300000100_43_0300000005_11_20191025200201.CSV",
                "year-month",
            ),
            (
                "UP1KYO_0300000100_43_0300000005_20191025200201.CSV",
                "tokens",
            ),
            (
                "UP3KYO_0300000100_0300000005_20191025200201.CSV",
                "only in V4",
            ),
            (
                "UP1KYO_0300000100_43_0300000005_11_20191025200201.TXT",
                ".CSV",
            ),
        ] {
            let err = FileName::parse(name).unwrap_err().to_string();
            assert!(err.contains(needle), "{name}: {err}");
        }
    }
}
