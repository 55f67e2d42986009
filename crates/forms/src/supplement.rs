//! 利用者補足情報: the person's name, address and certification, which the plan files leave
//! out, and the month's limit against the units planned for each kind.

use renkei_spec::Layout;
use renkei_spec::codec::RowRef;
use renkei_spec::layout::hosoku;

use crate::labels;
use crate::plan::join;

/// One kind's 支給限度 line: planned units against the kind's limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindLimit {
    pub kind: String,
    pub kind_name: String,
    pub limit: String,
    pub units: String,
    pub over: String,
}

#[derive(Clone, Debug, Default)]
pub struct Supplement {
    pub name: String,
    pub kana: String,
    pub sex: String,
    pub birth_date: String,
    pub zip: String,
    pub address: String,
    pub phone: String,
    pub cert_date: String,
    pub cert_status: String,
    pub care_level: String,
    pub limit_from: String,
    pub limit_to: String,
    pub limit_units: String,
    pub kinds: Vec<KindLimit>,
    pub over_limit_total: String,
    /// 対象年月; empty for the 補足 that goes with a plan rather than a month.
    pub month: String,
}

impl Supplement {
    pub(crate) fn read(row: &RowRef<'_>, layout: &Layout) -> Self {
        let col = |c| row.col(layout, c).to_owned();
        // Nine 種類 slots of four items each follow one another from SLOT1_KIND.
        let kinds = (0..9)
            .filter_map(|slot| {
                let at = |offset| row.col(layout, hosoku::SLOT1_KIND + slot * 4 + offset);
                let kind = at(0);
                (!kind.is_empty()).then(|| KindLimit {
                    kind: kind.to_owned(),
                    kind_name: renkei_spec::services::kind_name(kind)
                        .unwrap_or_default()
                        .to_owned(),
                    limit: labels::number(at(1)),
                    units: labels::number(at(2)),
                    over: labels::number(at(3)),
                })
            })
            .collect();
        let month = row.col(layout, hosoku::MONTH);
        Self {
            name: col(hosoku::NAME),
            kana: col(hosoku::NAME_KANA),
            sex: labels::sex(row.col(layout, hosoku::SEX)).to_owned(),
            birth_date: labels::date(row.col(layout, hosoku::BIRTH_DATE)),
            zip: col(hosoku::ZIP),
            address: join(
                row.col(layout, hosoku::ADDRESS1),
                row.col(layout, hosoku::ADDRESS2),
            ),
            phone: col(hosoku::PHONE),
            cert_date: labels::date(row.col(layout, hosoku::CERT_DATE)),
            cert_status: labels::cert_status(row.col(layout, hosoku::CERT_STATUS)).to_owned(),
            care_level: labels::care_level(row.col(layout, hosoku::CARE_LEVEL)).to_owned(),
            limit_from: labels::date(row.col(layout, hosoku::LIMIT_FROM)),
            limit_to: labels::date(row.col(layout, hosoku::LIMIT_TO)),
            limit_units: labels::number(row.col(layout, hosoku::LIMIT_UNITS)),
            kinds,
            over_limit_total: labels::number(row.col(layout, hosoku::OVER_LIMIT_TOTAL)),
            month: if month.bytes().all(|b| b == b'0') {
                String::new()
            } else {
                labels::year_month(month)
            },
        }
    }
}
