//! Column layouts: for each interface file and generation, its items in order with the
//! length, 必須 mark and format the standard gives them.
//!
//! The column constants (`layout::schedule::SERVICE_CODE` …) are V4.1 positions; a
//! [`Layout`] maps them to the positions of the generation a file is in, so code reads
//! V3 and V4 records through the same names.

use std::sync::OnceLock;

use crate::kind::FileKind;
use crate::version::Generation;

/// How much the standard insists that an item is filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// 必須: an empty value is an error.
    Required,
    /// The reference's 必須 mark is doubtful ([spec-ocr]): an empty value is a warning.
    Probably,
    /// 必須 on a service's line of 第7表; its 種類別小計 and 全合計 lines have no such
    /// box on the paper form, so software leaves the item empty there.
    ServiceLines,
    /// Filled depending on other items (checked by a dedicated rule).
    Conditional,
    Optional,
}

/// The shape of an item's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CSVバージョン: `YYYYMM`, one of the published values.
    Version,
    Insurer,
    Insured,
    /// 事業所番号: 10 digits.
    Office,
    /// `YYYYMMDD`, a real date.
    Date,
    /// `YYYYMMDD`, or `00000000` (利用者補足情報 tied to 利用票).
    DateOrZeros,
    YearMonth,
    /// `YYYYMM`, or `000000` (利用者補足情報 tied to 計画書).
    YearMonthOrZeros,
    /// `HHMM` from 0000 to 2359, or `9999` for no time.
    Time,
    /// A whole number of at least zero.
    Int,
    /// A whole number that may be negative (units after a 共生型 reduction).
    SignedInt,
    /// A number with two decimals (`10.90`).
    Decimal,
    /// One of the listed codes.
    Code(&'static [&'static str]),
    /// サービス種類コード: 2 characters.
    Kind,
    /// サービスコード: kind (2) + item (4).
    ServiceCode,
    /// サービスコード of 第7表: a service code, or a subtotal (`AAAA`, `EEEE`, `ZZZZ`) or `999999`.
    SikyuCode,
    /// TAISコード / 福祉用具届出コード: `NNNNN-NNNNNN` (11 digits also accepted).
    EquipmentCode,
    /// 郵便番号 `XXX-XXXX` (7 digits also accepted).
    Zip,
    /// Telephone number: digits, hyphens and brackets.
    Phone,
    /// 日割対象日: 31 characters of `0`/`1`.
    DayFlags,
    /// フリーテキスト: any MS932 text, written quoted.
    Free,
    /// 識別子 (※使用しない): left empty.
    Unused,
}

/// One item (column) of a layout.
#[derive(Clone, Copy, Debug)]
pub struct ItemSpec {
    /// 項番 in V4.1.
    pub no: u8,
    /// The item's identifier, the name of its column constant (`SERVICE_CODE`); its
    /// lowercase is the item's field in the JSON form ([`Layout::field`]). Stable: care
    /// software's JSON names it, so it is never renamed.
    pub key: &'static str,
    /// 項目名, exactly as the standard writes it.
    pub name: &'static str,
    /// 項目長: the most characters; `None` for free length (―).
    pub len: Option<u8>,
    pub need: Need,
    pub format: Format,
    /// Added in V4 (absent from the V3 layout).
    pub v4_only: bool,
}

impl ItemSpec {
    pub fn is_free_text(&self) -> bool {
        self.format == Format::Free
    }
}

macro_rules! items {
    (@len -) => { None };
    (@len $n:literal) => { Some($n) };
    (@v4) => { false };
    (@v4 v4) => { true };
    (@col $id:ident, $no:literal) => { pub const $id: usize = $no - 1; };
    (
        $(#[$doc:meta])*
        $table:ident, $module:ident {
            $( $no:literal $id:ident $name:literal $len:tt $need:ident $fmt:expr $(, $v4:ident)? ; )*
        }
    ) => {
        $(#[$doc])*
        pub(crate) static $table: &[ItemSpec] = &[
            $( ItemSpec {
                no: $no,
                key: stringify!($id),
                name: $name,
                len: items!(@len $len),
                need: Need::$need,
                format: $fmt,
                v4_only: items!(@v4 $($v4)?),
            }, )*
        ];

        $(#[$doc])*
        ///
        /// Column positions (0-based, V4.1) of every item, by its identifier.
        pub mod $module {
            $( items!(@col $id, $no); )*
        }
    };
}

mod tables;
pub use tables::*;

/// The layout of one interface file in one generation.
#[derive(Debug)]
pub struct Layout {
    pub kind: FileKind,
    pub generation: Generation,
    items: Vec<&'static ItemSpec>,
    /// For each V4.1 position, the position in this generation (`None`: absent here).
    position: Vec<Option<usize>>,
    /// Each item's field in the JSON form, in this generation's order.
    fields: Vec<String>,
    label: String,
}

impl Layout {
    fn build(kind: FileKind, generation: Generation) -> Option<Self> {
        if !kind.exists_in(generation) {
            return None;
        }
        let all = v4_items(kind)?;
        let mut items = Vec::with_capacity(all.len());
        let mut position = Vec::with_capacity(all.len());
        for spec in all {
            if generation == Generation::V3 && spec.v4_only {
                position.push(None);
            } else {
                position.push(Some(items.len()));
                items.push(spec);
            }
        }
        let fields = items.iter().map(|s| s.key.to_ascii_lowercase()).collect();
        Some(Self {
            kind,
            generation,
            items,
            position,
            fields,
            label: format!("{}({generation})", kind.prefix()),
        })
    }

    /// The layout of `kind` in `generation`; `None` for the image file and for kinds the
    /// generation does not have.
    pub fn of(kind: FileKind, generation: Generation) -> Option<&'static Layout> {
        static LAYOUTS: OnceLock<Vec<Layout>> = OnceLock::new();
        let all = LAYOUTS.get_or_init(|| {
            FileKind::ALL
                .iter()
                .flat_map(|&k| [Generation::V3, Generation::V4].map(|g| Layout::build(k, g)))
                .flatten()
                .collect()
        });
        all.iter()
            .find(|l| l.kind == kind && l.generation == generation)
    }

    pub fn items(&self) -> &[&'static ItemSpec] {
        &self.items
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The position in this generation of the V4.1 column `col`.
    pub fn position(&self, col: usize) -> Option<usize> {
        self.position.get(col).copied().flatten()
    }

    /// Whether the item at this generation's position is free text.
    pub fn is_free_text(&self, index: usize) -> bool {
        self.items.get(index).is_some_and(|s| s.is_free_text())
    }

    /// The JSON field of the item at this generation's position (`service_code`).
    pub fn field(&self, index: usize) -> &str {
        &self.fields[index]
    }

    /// The position in this generation of the item whose JSON field is `field`.
    pub fn index_of_field(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == field)
    }

    /// The name used in messages, e.g. `UPPLAN(V4.1)`.
    pub fn label(&self) -> &str {
        &self.label
    }
}

fn v4_items(kind: FileKind) -> Option<&'static [ItemSpec]> {
    Some(match kind {
        FileKind::Hosoku => HOSOKU,
        FileKind::Plan1 => PLAN1,
        FileKind::Plan1Delete => PLAN1_DELETE,
        FileKind::Plan2 => PLAN2,
        FileKind::Plan3 => PLAN3,
        FileKind::Schedule | FileKind::Actual => SCHEDULE,
        FileKind::ScheduleDelete => SCHEDULE_DELETE,
        FileKind::ActualDelete => ACTUAL_DELETE,
        FileKind::Sikyu => SIKYU,
        FileKind::Kihon => KIHON,
        FileKind::KihonSub1 => KIHON_SUB1,
        FileKind::KihonSub2 => KIHON_SUB2,
        FileKind::KihonDelete => KIHON_DELETE,
        FileKind::Yobo => YOBO,
        FileKind::YoboSub => YOBO_SUB,
        FileKind::YoboDelete => YOBO_DELETE,
        FileKind::KihonImage => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_counts_match_the_standard() {
        let expected = [
            (FileKind::Hosoku, 63, 63),
            (FileKind::Plan1, 28, 28),
            (FileKind::Plan1Delete, 4, 4),
            (FileKind::Plan2, 22, 22),
            (FileKind::Schedule, 25, 22),
            (FileKind::Actual, 25, 22),
            (FileKind::ScheduleDelete, 4, 4),
            (FileKind::ActualDelete, 6, 6),
            (FileKind::Sikyu, 37, 34),
        ];
        for (kind, v4, v3) in expected {
            assert_eq!(
                Layout::of(kind, Generation::V4).unwrap().len(),
                v4,
                "{kind}"
            );
            assert_eq!(
                Layout::of(kind, Generation::V3).unwrap().len(),
                v3,
                "{kind}"
            );
        }
        for (kind, v4) in [
            (FileKind::Plan3, 13),
            (FileKind::Kihon, 71),
            (FileKind::KihonSub1, 7),
            (FileKind::KihonSub2, 11),
            (FileKind::KihonDelete, 4),
            (FileKind::Yobo, 57),
            (FileKind::YoboSub, 17),
            (FileKind::YoboDelete, 4),
        ] {
            assert_eq!(
                Layout::of(kind, Generation::V4).unwrap().len(),
                v4,
                "{kind}"
            );
            assert!(Layout::of(kind, Generation::V3).is_none(), "{kind}");
        }
    }

    #[test]
    fn items_are_numbered_in_order() {
        for kind in FileKind::ALL {
            if let Some(items) = v4_items(kind) {
                for (i, spec) in items.iter().enumerate() {
                    assert_eq!(spec.no as usize, i + 1, "{kind} {}", spec.name);
                }
                assert_eq!(items[0].name, "CSVバージョン");
            }
        }
    }

    #[test]
    fn v3_positions_skip_the_v4_equipment_items() {
        let v3 = Layout::of(FileKind::Schedule, Generation::V3).unwrap();
        assert_eq!(v3.position(schedule::TAIS), None);
        assert_eq!(v3.position(schedule::DETAIL_NO), Some(15));
        assert_eq!(
            v3.items()[v3.position(schedule::PROVIDER).unwrap()].name,
            "サービス事業者コード"
        );
        let v3 = Layout::of(FileKind::Sikyu, Generation::V3).unwrap();
        // The V3.2 note calls 前月までの利用日数 "第７表№27".
        assert_eq!(v3.items()[26].name, "前月までの利用日数");
        assert_eq!(SIKYU[sikyu::OVER30].name, "３０日超区分");
        assert_eq!(HOSOKU[hosoku::MONTH].name, "対象年月");
        assert_eq!(KIHON[kihon::IMAGE_NAME].no, 62);
    }
}
