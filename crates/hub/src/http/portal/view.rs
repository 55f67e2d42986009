//! Records as the pages show them: each version with its items named in Japanese, the
//! newest first; and an opinion's PDF, disclosed under the same rules as its items.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use base64::Engine;
use serde_json::Value;

use super::Signed;
use crate::http::page::{PageError, PageResult};
use crate::relay::{Names, Relay};
use crate::store::{Access, AccessAction, RecordVersion};
use renkei_infobase::plan::PlanSheet;
use renkei_infobase::record::items_of;
use renkei_infobase::{Consent, PersonKey, RecordKind, Refusal, allowance};
use renkei_spec::jst::jst;

/// One version of a record, ready for a table.
pub(super) struct RecordView {
    pub key: String,
    /// The key as a person reads it: a date (an application's key is its date) as 令和.
    pub key_label: String,
    pub version: i64,
    pub author: String,
    pub created: String,
    pub items: Vec<(String, String)>,
    /// An opinion's PDF can be downloaded.
    pub has_pdf: bool,
    pub person: PersonKey,
    /// A care plan, shown as its forms rather than as items.
    pub plan: Option<PlanSheet>,
}

impl RecordView {
    pub fn of(record: &RecordVersion, names: &Names) -> Self {
        let body: Value = serde_json::from_str(&record.body).unwrap_or(Value::Null);
        Self {
            key: record.key.clone(),
            key_label: renkei_infobase::record::key_label(record.kind, &record.key),
            version: record.version,
            author: names.label(&record.author),
            created: jst(record.created),
            items: items_of(&body)
                .into_iter()
                .map(|(label, value)| {
                    // An opinion names the clinic asked, a plan its office: by their names.
                    let named = |item: &str, kind: &str| {
                        body.get(item)
                            .and_then(Value::as_str)
                            .map(|n| names.label(&format!("{kind}:{n}")))
                    };
                    let name = match label.as_str() {
                        "医療機関" => named("clinic", "clinic"),
                        "事業所" => named("office", "office"),
                        _ => None,
                    };
                    (label, name.unwrap_or(value))
                })
                .collect(),
            has_pdf: body.get("pdf").is_some_and(Value::is_string),
            person: record.person.clone(),
            plan: matches!(record.kind, RecordKind::CarePlan | RecordKind::DraftPlan)
                .then(|| PlanSheet::of(&body)),
        }
    }

    /// `records` newest first.
    pub fn all(records: &[RecordVersion], names: &Names) -> Vec<Self> {
        records.iter().rev().map(|r| Self::of(r, names)).collect()
    }
}

/// Every kind of the person's records, as `viewer` may see them, asked at once (one line
/// per kind in the person's access log); a refusal of any is the page's error.
pub(super) async fn every_kind(
    relay: &Relay,
    viewer: &renkei_infobase::Participant,
    person: &PersonKey,
    time: i64,
) -> Result<Vec<(RecordKind, Vec<RecordVersion>)>, PageError> {
    let kinds: Vec<RecordKind> = RecordKind::ALL
        .into_iter()
        .filter(|k| *k != RecordKind::AccessLog)
        .collect();
    relay
        .disclose_kinds(viewer, person, &kinds, time)
        .await?
        .into_iter()
        .map(|(kind, shown)| Ok((kind, shown?)))
        .collect()
}

/// Everyone who wrote one of the records shown, and the clinics opinions were asked of,
/// for their names.
pub(super) fn authors(kinds: &[(RecordKind, Vec<RecordVersion>)]) -> Vec<String> {
    kinds
        .iter()
        .flat_map(|(_, records)| records)
        .flat_map(holders_of_record)
        .collect()
}

/// Who a record names: its author, an opinion's clinic, a plan's office.
pub(super) fn holders_of_record(record: &RecordVersion) -> Vec<String> {
    let mut holders = vec![record.author.clone()];
    if let Ok(body) = serde_json::from_str::<Value>(&record.body) {
        for (item, kind) in [("clinic", "clinic"), ("office", "office")] {
            if let Some(number) = body.get(item).and_then(Value::as_str) {
                holders.push(format!("{kind}:{number}"));
            }
        }
    }
    holders
}

/// The person's name as their newest 被保険者証 gives it, among the kinds a page was shown.
pub(super) fn name_of(kinds: &[(RecordKind, Vec<RecordVersion>)]) -> Option<String> {
    let (_, cards) = kinds
        .iter()
        .find(|(k, _)| *k == RecordKind::InsuranceCard)?;
    let body: Value = serde_json::from_str(&cards.last()?.body).ok()?;
    let name = body.get("name")?.as_str()?.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// One kind of record on a page: its versions, and for 住宅改修 and 福祉用具購入 the
/// running totals against their caps.
pub(super) struct KindView {
    pub name: &'static str,
    pub records: Vec<RecordView>,
    pub totals: Vec<String>,
}

impl KindView {
    pub fn of(kind: RecordKind, records: &[RecordVersion], names: &Names) -> Self {
        Self {
            name: kind.name_ja(),
            records: RecordView::all(records, names),
            totals: totals(kind, records),
        }
    }
}

fn yen(amount: u64) -> String {
    let digits = amount.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}円")
}

/// The uses of an allowance (each record's newest version) and their totals as lines.
fn totals(kind: RecordKind, records: &[RecordVersion]) -> Vec<String> {
    let mut newest: std::collections::BTreeMap<&str, &RecordVersion> = Default::default();
    for record in records {
        newest.insert(&record.key, record);
    }
    let uses: Vec<allowance::Use> = newest
        .values()
        .filter_map(|r| serde_json::from_str(&r.body).ok())
        .collect();
    let totals = match kind {
        RecordKind::HousingReform => vec![allowance::housing_reform(&uses)],
        RecordKind::EquipmentPurchase => allowance::equipment_purchase(&uses),
        _ => return Vec::new(),
    };
    totals
        .iter()
        .map(|t| {
            let state = if t.over() > 0 {
                format!("上限を{}超えています", yen(t.over()))
            } else {
                format!("残り{}", yen(t.remaining()))
            };
            format!(
                "{}: {}件 {} / 上限{}({state})",
                t.period,
                t.uses,
                yen(t.used),
                yen(t.cap)
            )
        })
        .collect()
}

/// A line of the access log as the person reads it: one viewer's requests of the same
/// minute and outcome together, since a page asks for every kind at once; a change of
/// consent or offices is a line of its own.
pub(super) struct AccessView {
    pub time: String,
    pub viewer: String,
    pub kinds: String,
    pub shown: bool,
    /// 表示 for a read, 変更 for a change.
    pub done: &'static str,
    pub refusal: &'static str,
}

/// What a change did, in words.
fn change_ja(action: &AccessAction, names: &Names) -> Option<String> {
    Some(match action {
        AccessAction::Read => return None,
        AccessAction::Consent(Consent::Standing) => "包括同意の記録".into(),
        AccessAction::Consent(Consent::Withdrawn) => "包括同意の撤回".into(),
        AccessAction::Consent(Consent::None) => "包括同意の取消".into(),
        AccessAction::RegistrationRequested(o) => {
            format!("担当事業所の登録のお願い：{}", names.office(o))
        }
        AccessAction::Registered(o) => format!("担当事業所の登録：{}", names.office(o)),
        AccessAction::RegistrationDeclined(o) => {
            format!("登録のお願いをお断り：{}", names.office(o))
        }
        AccessAction::RegistrationEnded(o) => {
            format!("担当事業所の登録終了：{}", names.office(o))
        }
    })
}

impl AccessView {
    pub fn grouped(log: &[Access], names: &Names) -> Vec<Self> {
        let mut lines: Vec<(Self, Vec<String>)> = Vec::new();
        for access in log {
            let time = jst(access.time);
            let own = format!("person:{}:{}", access.person.insurer, access.person.insured);
            let viewer = if access.viewer == own {
                "ご本人".to_owned()
            } else if access.viewer.starts_with("person:") {
                "ほかの被保険者".to_owned()
            } else {
                names.label(&access.viewer)
            };
            let shown = access.refusal.is_none();
            let refusal = access
                .refusal
                .as_deref()
                .map(|code| Refusal::of_code(code).map_or("お断り", |r| r.short_ja()))
                .unwrap_or("");
            let change = change_ja(&access.action, names);
            let done = if change.is_some() { "変更" } else { "表示" };
            let kind = change.unwrap_or_else(|| access.kind.name_ja().to_owned());
            match lines.last_mut() {
                Some((line, kinds))
                    if done == "表示"
                        && line.done == done
                        && line.time == time
                        && line.viewer == viewer
                        && line.shown == shown
                        && line.refusal == refusal =>
                {
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
                _ => lines.push((
                    Self {
                        time,
                        viewer,
                        kinds: String::new(),
                        shown,
                        done,
                        refusal,
                    },
                    vec![kind],
                )),
            }
        }
        lines
            .into_iter()
            .map(|(line, kinds)| Self {
                kinds: kinds.join("、"),
                ..line
            })
            .collect()
    }
}

/// An opinion's PDF, to whoever may see the opinion.
pub(super) async fn opinion_pdf(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Path((insurer, insured, key)): Path<(String, String, String)>,
) -> PageResult {
    let person = PersonKey::new(&insurer, &insured);
    let opinions = relay
        .disclose(
            &signed.0.viewer,
            &person,
            RecordKind::Opinion,
            renkei_seal::unix_now(),
        )
        .await?;
    let pdf = opinions
        .iter()
        .rev()
        .filter(|r| r.key == key)
        .find_map(|r| {
            serde_json::from_str::<Value>(&r.body)
                .ok()?
                .get("pdf")?
                .as_str()
                .map(str::to_owned)
        })
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .ok_or_else(|| {
            PageError(
                StatusCode::NOT_FOUND,
                "この主治医意見書にPDFは添付されていません / no PDF is attached".into(),
            )
        })?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/pdf"),
            ),
            (
                header::CONTENT_DISPOSITION,
                renkei_web::download::attachment(&format!("主治医意見書_{insured}_{key}.pdf")),
            ),
        ],
        pdf,
    )
        .into_response())
}
