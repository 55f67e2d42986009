//! 効果測定: what exchanging the month's documents through the relay saved — sheets of
//! paper, FAX minutes, postage and staff time — under assumptions the office can edit, for
//! the report on ICT bought with a subsidy (ICT導入支援事業の効果報告).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use renkei_pdf::layout::{Cell, Table};
use renkei_pdf::report::Report;
use serde::{Deserialize, Serialize};

use super::Console;
use super::page::{Frame, PageError, PageResult, html, pdf_download};
use super::session::Signed;
use super::time::{Month, jst};

/// What one document would have cost on paper. Defaults are the usual figures of the
/// paper workflow (a plan is 第1〜3表, a month's 予定 is 第6・7表); each office sets its own.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Assumptions {
    pub sheets_plan: f64,
    pub sheets_schedule: f64,
    pub sheets_actual: f64,
    pub sheets_other: f64,
    /// Paper, toner and printing per sheet (円).
    pub yen_per_sheet: f64,
    /// Share of sent documents that went by FAX (%), and minutes per sheet on the machine.
    pub fax_percent: f64,
    pub fax_minutes_per_sheet: f64,
    /// Share that went by post (%), one envelope per partner per month, and its postage (円).
    pub post_percent: f64,
    pub postage_yen: f64,
    /// Staff minutes per document for printing, sorting, sending or filing.
    pub staff_minutes_per_document: f64,
}

impl Default for Assumptions {
    fn default() -> Self {
        Self {
            sheets_plan: 3.0,
            sheets_schedule: 2.0,
            sheets_actual: 1.0,
            sheets_other: 1.0,
            yen_per_sheet: 10.0,
            fax_percent: 70.0,
            fax_minutes_per_sheet: 1.0,
            post_percent: 30.0,
            postage_yen: 110.0,
            staff_minutes_per_document: 5.0,
        }
    }
}

const SETTING: &str = "effect_assumptions";

impl Assumptions {
    fn load(console: &Console) -> Self {
        console
            .office
            .ledger
            .setting(SETTING)
            .ok()
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    fn sheets(&self, family: &str) -> f64 {
        match family {
            "plan" | "yobo" => self.sheets_plan,
            "schedule" => self.sheets_schedule,
            "actual" => self.sheets_actual,
            _ => self.sheets_other,
        }
    }

    fn valid(&self) -> bool {
        let all = [
            self.sheets_plan,
            self.sheets_schedule,
            self.sheets_actual,
            self.sheets_other,
            self.yen_per_sheet,
            self.fax_percent,
            self.fax_minutes_per_sheet,
            self.post_percent,
            self.postage_yen,
            self.staff_minutes_per_document,
        ];
        all.iter().all(|v| v.is_finite() && *v >= 0.0)
            && self.fax_percent + self.post_percent <= 100.0
    }
}

fn family_label(family: &str) -> &'static str {
    match family {
        "plan" => "居宅サービス計画書（第1〜3表）",
        "schedule" => "サービス利用票・別表（予定）",
        "actual" => "実績",
        "kihon" => "利用者基本情報",
        "yobo" => "介護予防サービス・支援計画書",
        _ => "その他",
    }
}

#[derive(Debug)]
struct CountRow {
    label: &'static str,
    sent: u64,
    received: u64,
    sheets: f64,
}

/// The month's figures.
#[derive(Debug, Default)]
struct Effect {
    documents: u64,
    sheets: f64,
    paper_yen: f64,
    fax_minutes: f64,
    envelopes: f64,
    postage_yen: f64,
    staff_hours: f64,
}

fn compute(
    console: &Console,
    month: Month,
    assumptions: &Assumptions,
) -> Result<(Vec<CountRow>, Effect), PageError> {
    let ledger = &console.office.ledger;
    let totals = ledger.document_totals(month.start(), month.end())?;
    let families: BTreeSet<&str> = totals.iter().map(|(_, f, _)| f.as_str()).collect();
    let mut rows = Vec::new();
    let mut effect = Effect::default();
    let mut sent_sheets = 0.0;
    for family in families {
        let count = |direction: &str| {
            totals
                .iter()
                .filter(|(d, f, _)| d == direction && f == family)
                .map(|(_, _, n)| *n)
                .sum::<u64>()
        };
        let (sent, received) = (count("sent"), count("received"));
        let per = assumptions.sheets(family);
        sent_sheets += sent as f64 * per;
        let sheets = (sent + received) as f64 * per;
        effect.documents += sent + received;
        effect.sheets += sheets;
        rows.push(CountRow {
            label: family_label(family),
            sent,
            received,
            sheets,
        });
    }
    let partners: BTreeSet<String> = ledger
        .sent_parcels(month.start(), month.end(), usize::MAX >> 1)?
        .into_iter()
        .map(|p| p.recipient)
        .collect();
    effect.paper_yen = effect.sheets * assumptions.yen_per_sheet;
    effect.fax_minutes =
        sent_sheets * assumptions.fax_percent / 100.0 * assumptions.fax_minutes_per_sheet;
    // Envelopes are whole: the share of partners still reached by post, to the nearest one.
    effect.envelopes = (partners.len() as f64 * assumptions.post_percent / 100.0).round();
    effect.postage_yen = effect.envelopes * assumptions.postage_yen;
    effect.staff_hours = effect.documents as f64 * assumptions.staff_minutes_per_document / 60.0;
    Ok((rows, effect))
}

#[derive(Template)]
#[template(path = "console/effect.html")]
struct EffectPage {
    frame: Frame,
    month: Month,
    a: Assumptions,
    rows: Vec<CountRow>,
    effect: Effect,
    saved: bool,
    invalid: bool,
}

#[derive(Debug, Deserialize)]
pub struct EffectQuery {
    month: Option<String>,
    saved: Option<u8>,
    invalid: Option<u8>,
}

pub async fn page(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<EffectQuery>,
) -> PageResult {
    let month = Month::chosen(query.month.as_deref());
    let a = Assumptions::load(&console);
    let (rows, effect) = compute(&console, month, &a)?;
    html(EffectPage {
        frame: Frame::new(
            &console,
            &staff,
            "effect",
            format!("効果測定 {}", month.label()),
        ),
        month,
        a,
        rows,
        effect,
        saved: query.saved.is_some(),
        invalid: query.invalid.is_some(),
    })
}

impl Assumptions {
    /// The assumptions as the form posted them: every field a number (a comma for the
    /// decimal point is taken too), else `None`.
    fn from_form(form: &HashMap<String, String>) -> Option<Self> {
        let number =
            |key: &str| -> Option<f64> { form.get(key)?.trim().replace(',', ".").parse().ok() };
        let assumptions = Self {
            sheets_plan: number("sheets_plan")?,
            sheets_schedule: number("sheets_schedule")?,
            sheets_actual: number("sheets_actual")?,
            sheets_other: number("sheets_other")?,
            yen_per_sheet: number("yen_per_sheet")?,
            fax_percent: number("fax_percent")?,
            fax_minutes_per_sheet: number("fax_minutes_per_sheet")?,
            post_percent: number("post_percent")?,
            postage_yen: number("postage_yen")?,
            staff_minutes_per_document: number("staff_minutes_per_document")?,
        };
        assumptions.valid().then_some(assumptions)
    }
}

pub async fn save(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Form(form): Form<HashMap<String, String>>,
) -> Result<axum::response::Response, PageError> {
    let month = Month::chosen(form.get("month").map(String::as_str)).code();
    let Some(assumptions) = Assumptions::from_form(&form) else {
        return Ok(Redirect::to(&format!("/effect?month={month}&invalid=1")).into_response());
    };
    let json = serde_json::to_string(&assumptions)
        .map_err(|e| renkei_office::Error::Console(e.to_string()))?;
    console.office.ledger.set_setting(SETTING, &json)?;
    tracing::info!(staff = staff.name, "effect assumptions saved");
    Ok(Redirect::to(&format!("/effect?month={month}&saved=1")).into_response())
}

fn yen(value: f64) -> String {
    format!(
        "{} 円",
        renkei_forms::labels::number(&format!("{:.0}", value))
    )
}

pub async fn pdf(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    Query(query): Query<EffectQuery>,
) -> Result<axum::response::Response, PageError> {
    let month = Month::chosen(query.month.as_deref());
    let a = Assumptions::load(&console);
    let (rows, effect) = compute(&console, month, &a)?;
    let mut counts =
        Table::new(&[40.0, 20.0, 20.0, 20.0], 9.0).header(&["文書", "送信", "受信", "紙の枚数"]);
    for row in &rows {
        counts.row(vec![
            Cell::text(row.label),
            Cell::number(row.sent.to_string()),
            Cell::number(row.received.to_string()),
            Cell::number(format!("{:.0}", row.sheets)),
        ]);
    }
    let mut results = Table::new(&[40.0, 30.0, 30.0], 9.0).header(&["項目", "削減量", "前提"]);
    results.row(vec![
        Cell::text("紙（印刷）"),
        Cell::number(format!(
            "{:.0} 枚・{}",
            effect.sheets,
            yen(effect.paper_yen)
        )),
        Cell::text(format!("1枚 {} 円", a.yen_per_sheet)),
    ]);
    results.row(vec![
        Cell::text("FAX送信時間"),
        Cell::number(format!("{:.0} 分", effect.fax_minutes)),
        Cell::text(format!(
            "送信の{}%をFAX、1枚{}分",
            a.fax_percent, a.fax_minutes_per_sheet
        )),
    ]);
    results.row(vec![
        Cell::text("郵送料"),
        Cell::number(format!(
            "{:.0} 通・{}",
            effect.envelopes,
            yen(effect.postage_yen)
        )),
        Cell::text(format!(
            "送信先ごとに月1通の{}%、1通{}円",
            a.post_percent, a.postage_yen
        )),
    ]);
    results.row(vec![
        Cell::text("職員の作業時間"),
        Cell::number(format!("{:.1} 時間", effect.staff_hours)),
        Cell::text(format!("1文書{}分", a.staff_minutes_per_document)),
    ]);
    let report = Report {
        label: "効果測定".into(),
        title: format!("ケアプランデータ連携の効果 {}", month.label()),
        note: format!(
            "事業所番号 {}　作成 {}",
            console.office.profile.number,
            jst(renkei_seal::unix_now())
        ),
        lines: vec![format!(
            "この月に連携した文書 {} 件（利用者ごとの計画書・利用票・実績）。紙で送った場合と比べた削減量の試算です。",
            effect.documents
        )],
        tables: vec![counts, results],
    };
    let pdf = console
        .pdf(move |font| renkei_pdf::report::render(font, &report))
        .await?;
    Ok(pdf_download(
        &format!(
            "効果測定_{}_{}.pdf",
            console.office.profile.number,
            month.code()
        ),
        pdf,
    ))
}
