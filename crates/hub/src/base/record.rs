//! What the information base keeps about an insured person.

use serde::{Deserialize, Serialize};

/// An insured person: 保険者番号 (the municipality, 6 digits) and 被保険者番号 (10 digits).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonKey {
    pub insurer: String,
    pub insured: String,
}

impl PersonKey {
    pub fn new(insurer: &str, insured: &str) -> Self {
        Self {
            insurer: insurer.to_owned(),
            insured: insured.to_owned(),
        }
    }
}

/// The kinds of records, each kept in every version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// 介護保険被保険者証: name, kana, birth date, sex, address, insurance dates.
    InsuranceCard,
    /// 負担割合証 (1–3割 and its period).
    BurdenRatio,
    /// 負担限度額認定証.
    BurdenLimit,
    /// 要介護認定の申請 (新規・更新・区分変更) and its progress, 受付 to 結果通知.
    Application,
    /// 認定調査票: the survey's main items.
    Survey,
    /// 主治医意見書, asked of a clinic for an application.
    Opinion,
    /// 認定結果: 要介護状態区分, valid period, the board's opinion.
    Result,
    /// 住宅改修: each use and the running total against ¥200,000.
    HousingReform,
    /// 福祉用具購入: each purchase and the year's total against ¥100,000.
    EquipmentPurchase,
    /// ケアプラン 交付用登録: the plan the person agreed to.
    CarePlan,
    /// ケアプラン 同意・確認用登録: a draft for the person to approve or reject.
    DraftPlan,
    /// Who saw the person's records: the person's own.
    AccessLog,
}

impl RecordKind {
    pub const ALL: [RecordKind; 12] = [
        Self::InsuranceCard,
        Self::BurdenRatio,
        Self::BurdenLimit,
        Self::Application,
        Self::Survey,
        Self::Opinion,
        Self::Result,
        Self::HousingReform,
        Self::EquipmentPurchase,
        Self::CarePlan,
        Self::DraftPlan,
        Self::AccessLog,
    ];

    pub fn name_ja(&self) -> &'static str {
        match self {
            Self::InsuranceCard => "被保険者証",
            Self::BurdenRatio => "負担割合証",
            Self::BurdenLimit => "負担限度額認定証",
            Self::Application => "要介護認定の申請と進捗",
            Self::Survey => "認定調査票",
            Self::Opinion => "主治医意見書",
            Self::Result => "要介護認定の結果",
            Self::HousingReform => "住宅改修",
            Self::EquipmentPurchase => "福祉用具購入",
            Self::CarePlan => "ケアプラン（交付用）",
            Self::DraftPlan => "ケアプラン（同意・確認用）",
            Self::AccessLog => "閲覧の記録",
        }
    }

    /// The 証 information a clinic may not see unless it also provides care services.
    pub fn is_burden_certificate(&self) -> bool {
        matches!(self, Self::BurdenRatio | Self::BurdenLimit)
    }
}
