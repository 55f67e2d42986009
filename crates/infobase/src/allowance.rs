//! 住宅改修 and 福祉用具購入: each use and the running total against its cap — ¥200,000
//! per person for 住宅改修 (支給限度基準額, once in principle), ¥100,000 per fiscal year
//! (April to March) for 福祉用具購入.

use serde::{Deserialize, Serialize};

/// One use as the municipality records it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Use {
    /// `YYYYMMDD`.
    pub date: String,
    /// The cost the cap counts (円).
    pub amount: u64,
    #[serde(default)]
    pub note: String,
}

pub const HOUSING_REFORM_CAP: u64 = 200_000;
pub const EQUIPMENT_PURCHASE_CAP: u64 = 100_000;

/// A running total against a cap: for 住宅改修 the person's whole, for 福祉用具購入 one
/// fiscal year (`period` names it: `2026年度`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Total {
    pub period: String,
    pub used: u64,
    pub cap: u64,
    pub uses: usize,
}

impl Total {
    pub fn remaining(&self) -> u64 {
        self.cap.saturating_sub(self.used)
    }

    pub fn over(&self) -> u64 {
        self.used.saturating_sub(self.cap)
    }
}

/// The fiscal year (年度) of a `YYYYMMDD` date: April starts it.
fn fiscal_year(date: &str) -> Option<u32> {
    let year: u32 = date.get(..4)?.parse().ok()?;
    let month: u32 = date.get(4..6)?.parse().ok()?;
    Some(if month >= 4 { year } else { year - 1 })
}

/// The 住宅改修 total of all `uses`.
pub fn housing_reform(uses: &[Use]) -> Total {
    Total {
        period: "通算".into(),
        used: uses.iter().map(|u| u.amount).sum(),
        cap: HOUSING_REFORM_CAP,
        uses: uses.len(),
    }
}

/// The 福祉用具購入 totals, one per fiscal year, oldest first.
pub fn equipment_purchase(uses: &[Use]) -> Vec<Total> {
    let mut years: std::collections::BTreeMap<u32, (u64, usize)> =
        std::collections::BTreeMap::new();
    for u in uses {
        if let Some(year) = fiscal_year(&u.date) {
            let entry = years.entry(year).or_default();
            entry.0 += u.amount;
            entry.1 += 1;
        }
    }
    years
        .into_iter()
        .map(|(year, (used, count))| Total {
            period: format!("{year}年度"),
            used,
            cap: EQUIPMENT_PURCHASE_CAP,
            uses: count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(date: &str, amount: u64) -> Use {
        Use {
            date: date.into(),
            amount,
            note: String::new(),
        }
    }

    #[test]
    fn housing_reform_runs_against_one_cap() {
        let total = housing_reform(&[used("20250510", 120_000), used("20260110", 110_000)]);
        assert_eq!(
            (total.used, total.remaining(), total.over()),
            (230_000, 0, 30_000)
        );
        assert_eq!(housing_reform(&[]).remaining(), 200_000);
    }

    #[test]
    fn equipment_purchase_restarts_each_april() {
        let totals = equipment_purchase(&[
            used("20250401", 60_000),
            used("20260331", 30_000),
            used("20260401", 80_000),
        ]);
        let shown: Vec<(&str, u64, u64)> = totals
            .iter()
            .map(|t| (t.period.as_str(), t.used, t.remaining()))
            .collect();
        assert_eq!(
            shown,
            [("2025年度", 90_000, 10_000), ("2026年度", 80_000, 20_000)]
        );
    }
}
