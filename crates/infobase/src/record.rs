//! What the information base keeps about an insured person.

use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// A record version to keep; the store gives it the next version number of its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRecord {
    pub person: PersonKey,
    pub kind: RecordKind,
    /// Which record of its kind (an application's date, a plan's date …): versions share it.
    pub key: String,
    /// The record's items, JSON.
    pub body: String,
    /// Who wrote it: `municipality:131045`, `clinic:1310100001`, `office:1310000043`.
    pub author: String,
    pub time: i64,
}

/// The kinds of records, each kept in every version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// The kind's name on the wire and in the store (`insurance_card` …), as serde writes it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::InsuranceCard => "insurance_card",
            Self::BurdenRatio => "burden_ratio",
            Self::BurdenLimit => "burden_limit",
            Self::Application => "application",
            Self::Survey => "survey",
            Self::Opinion => "opinion",
            Self::Result => "result",
            Self::HousingReform => "housing_reform",
            Self::EquipmentPurchase => "equipment_purchase",
            Self::CarePlan => "care_plan",
            Self::DraftPlan => "draft_plan",
            Self::AccessLog => "access_log",
        }
    }

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

/// Item names as the standard and the national forms write them.
pub fn item_label(item: &str) -> &str {
    match item {
        "name" => "氏名",
        "kana" => "フリガナ",
        "birth_date" => "生年月日",
        "qualified" => "資格取得日",
        "valid_until" => "有効期限",
        "plan_date" => "計画作成日",
        "sex" => "性別",
        "address" => "住所",
        "from" => "有効期間(開始)",
        "to" => "有効期間(終了)",
        "ratio" => "負担割合",
        "stage" => "段階",
        "kind" => "申請の種類",
        "date" => "申請日",
        "steps" => "進捗",
        "application_date" => "申請日",
        "care_level" => "要介護状態区分",
        "board_opinion" => "審査会の意見",
        "clinic" => "医療機関",
        "state" => "状態",
        "requested" => "依頼日時",
        "decision" => "ご本人の判断",
        "decided" => "判断日時",
        "diagnosis" => "診断名",
        "surveyed" => "調査日",
        "investigator" => "調査員",
        "walking" => "歩行",
        "transfer" => "移乗",
        "daily_decision" => "日常の意思決定",
        "short_term_memory" => "短期記憶",
        "stability" => "症状の安定性",
        "physical_independence" => "障害高齢者の日常生活自立度",
        "cognitive_independence" => "認知症高齢者の日常生活自立度",
        "special_notes" => "特記事項",
        "doctor" => "記載した医師",
        "written" => "記載日",
        "amount" => "金額(円)",
        "note" => "内容",
        "total" => "累計",
        "office" => "事業所",
        "month" => "対象月",
        "plan" => "計画",
        "long_term_goal" => "長期目標",
        "short_term_goal" => "短期目標",
        "services" => "サービス",
        "schedule" => "サービス利用票(第6表)",
        "files" => "ファイル",
        "policy" => "総合的な援助の方針",
        "wishes" => "利用者及び家族の意向",
        other => other,
    }
}

/// Items that hold a date as `YYYYMMDD`.
macro_rules! date_items {
    () => {
        "birth_date"
            | "qualified"
            | "valid_until"
            | "from"
            | "to"
            | "date"
            | "application_date"
            | "written"
            | "plan_date"
            | "surveyed"
    };
}

use renkei_spec::wareki::split_date;

/// An item's value as a person reads it: care levels by name, dates and times as 令和 in
/// JST, steps in order.
pub fn item_text(item: &str, value: &Value) -> String {
    match (item, value) {
        ("care_level", Value::String(code)) => super::certification::care_level_name(code)
            .unwrap_or(code)
            .to_owned(),
        ("requested" | "decided", Value::Number(n)) => {
            n.as_i64().map(renkei_spec::jst::jst).unwrap_or_default()
        }
        ("decision", Value::String(d)) => match d.as_str() {
            "approved" => "同意".into(),
            "rejected" => "同意しない".into(),
            other => other.into(),
        },
        ("ratio", Value::Number(n)) => format!("{n}割"),
        ("sex", Value::String(code)) => match code.as_str() {
            "1" => "男".into(),
            "2" => "女".into(),
            other => other.into(),
        },
        (date_items!(), Value::String(date)) if split_date(date).is_some() => {
            renkei_spec::wareki::date(date)
        }
        ("steps", Value::Array(steps)) => steps
            .iter()
            .filter_map(|s| s.as_array())
            .map(|pair| {
                pair.iter()
                    .filter_map(Value::as_str)
                    // A step's date, as the forms print dates.
                    .map(renkei_spec::wareki::date_or_text)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(" → "),
        (_, Value::String(text)) => text.clone(),
        (_, Value::Null) => String::new(),
        (_, Value::Array(items)) => items
            .iter()
            .map(|v| item_text("", v))
            .collect::<Vec<_>>()
            // One per line: a page shows them as a list (`white-space: pre-line`).
            .join("\n"),
        (_, other) => other.to_string(),
    }
}

/// Which record of its kind, as a person reads it: most keys are dates (an application's,
/// a certificate's start) and read as 令和; the one 被保険者証 a person has is keyed `card`
/// on the wire, and a plan without a date `plan`, which no page shows.
pub fn key_label(kind: crate::RecordKind, key: &str) -> String {
    use crate::RecordKind;
    match (kind, key) {
        (RecordKind::InsuranceCard, "card") => "現在の被保険者証".to_owned(),
        (RecordKind::CarePlan | RecordKind::DraftPlan, "plan") => "作成日の記載なし".to_owned(),
        _ => renkei_spec::wareki::date_or_text(key),
    }
}

/// Who wrote a record or asked for one, as a person reads it.
pub fn author_label(author: &str) -> String {
    match author.split_once(':') {
        Some(("municipality", n)) => format!("市町村 {n}"),
        Some(("clinic", n)) => format!("医療機関 {n}"),
        Some(("office", n)) => format!("事業所 {n}"),
        // A person writes only their own records (a draft's answer).
        Some(("person", _)) => "ご本人".into(),
        _ => author.to_owned(),
    }
}

/// Items a page does not list: an attached PDF has its own link, a plan's lines and week
/// are shown as its forms ([`crate::plan::PlanSheet`]), and the names of the files it was
/// read from are the office's business.
const NOT_LISTED: [&str; 5] = ["pdf", "lines", "week", "non_weekly", "files"];

/// A record's items as a page lists them, named as people read them.
pub fn items_of(body: &Value) -> Vec<(String, String)> {
    body.as_object()
        .map(|items| {
            items
                .iter()
                .filter(|(item, _)| !NOT_LISTED.contains(&item.as_str()))
                .map(|(item, value)| (item_label(item).to_owned(), item_text(item, value)))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::RecordKind;

    #[test]
    fn each_kind_is_named_as_serde_names_it() {
        for kind in RecordKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                kind.as_str(),
                "{kind:?}"
            );
        }
    }
}
