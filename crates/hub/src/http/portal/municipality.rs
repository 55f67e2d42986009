//! The municipality's pages: how far its insured's applications have come, one person's
//! records and what the municipality does for them, and the bulk upload.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use serde::Deserialize;

use super::view::{KindView, authors, every_kind, name_of};
use super::{Signed, not_for_you, who};
use crate::http::page::{PageError, PageResult, html};
use crate::relay::{Loaded, Relay};
use crate::store::Organisation;
use renkei_infobase::certification::{Application, CARE_LEVELS, STEPS, care_level_code};
use renkei_infobase::upload::Problem;
use renkei_infobase::{Consent, PersonKey, RecordKind};
use renkei_spec::jst::date;

/// Applications per page of the overview.
const PAGE: usize = 50;
/// The most applications the step counts are taken over, so the page stays quick.
const COUNTED: usize = 50_000;

struct ApplicationRow {
    insured: String,
    /// From the person's 被保険者証; empty when the municipality has not loaded one.
    name: String,
    kind: String,
    date: String,
    current: &'static str,
}

#[derive(Template)]
#[template(path = "portal/municipality.html")]
struct OverviewPage {
    who: String,
    section: &'static str,
    counts: Vec<(&'static str, usize)>,
    counted: usize,
    capped: bool,
    rows: Vec<ApplicationRow>,
    page: usize,
    more: bool,
    search: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct OverviewQuery {
    page: Option<usize>,
    insured: Option<String>,
}

fn current_step(application: &Application) -> &'static str {
    application
        .progress()
        .iter()
        .find(|s| s.current)
        .map(|s| s.name)
        .unwrap_or("完了")
}

pub(super) async fn overview(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Query(query): Query<OverviewQuery>,
) -> PageResult {
    let insurer = signed.insurer()?;
    let search = query.insured.unwrap_or_default().trim().to_owned();
    if !search.is_empty() {
        return Ok(Redirect::to(&format!("/base/municipality/people/{search}")).into_response());
    }
    let all = relay
        .overview(&signed.0.viewer, RecordKind::Application, COUNTED, 0)
        .await?;
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    let applications: Vec<(&str, Application)> = all
        .iter()
        .filter_map(|r| {
            serde_json::from_str(&r.body)
                .ok()
                .map(|a| (r.person.insured.as_str(), a))
        })
        .collect();
    for (_, application) in &applications {
        let current = current_step(application);
        let at = STEPS
            .iter()
            .position(|s| *s == current)
            .unwrap_or(STEPS.len());
        *counts.entry(at).or_default() += 1;
    }
    let counts = (0..=STEPS.len())
        .map(|at| {
            let name = STEPS.get(at).copied().unwrap_or("完了");
            (name, counts.get(&at).copied().unwrap_or(0))
        })
        .collect();
    let page = query.page.unwrap_or(0);
    let names = insured_names(&relay, &signed).await?;
    let rows = applications
        .iter()
        .skip(page * PAGE)
        .take(PAGE)
        .map(|(insured, application)| ApplicationRow {
            insured: (*insured).to_owned(),
            name: names.get(*insured).cloned().unwrap_or_default(),
            kind: application.kind.clone(),
            date: renkei_spec::wareki::date(&application.date),
            current: current_step(application),
        })
        .collect::<Vec<ApplicationRow>>();
    // Each person listed had their application shown: a line in their access log.
    let shown: Vec<PersonKey> = rows
        .iter()
        .map(|r| PersonKey::new(insurer, &r.insured))
        .collect();
    relay
        .note_shown(
            &signed.0.viewer,
            &shown,
            RecordKind::Application,
            renkei_seal::unix_now(),
        )
        .await?;
    html(OverviewPage {
        who: who(&signed.0),
        section: "overview",
        counts,
        counted: applications.len(),
        capped: all.len() == COUNTED,
        rows,
        page,
        more: applications.len() > (page + 1) * PAGE,
        search,
    })
}

/// A registered office of the person, by name.
struct RegistrationRow {
    /// 「名（事業所番号）」.
    office: String,
    number: String,
    by_person: bool,
    ended: bool,
}

/// The municipality's insured by 被保険者番号, with the names their 被保険者証 give. (Read
/// whole, like the applications the overview counts; a list of names per page would need a
/// lookup of many people at once, which the store does not have yet.)
async fn insured_names(
    relay: &Relay,
    signed: &Signed,
) -> Result<std::collections::HashMap<String, String>, PageError> {
    let cards = relay
        .overview(&signed.0.viewer, RecordKind::InsuranceCard, COUNTED, 0)
        .await?;
    Ok(cards
        .into_iter()
        .filter_map(|card| {
            let body: serde_json::Value = serde_json::from_str(&card.body).ok()?;
            let name = body.get("name")?.as_str()?.to_owned();
            Some((card.person.insured, name))
        })
        .collect())
}

struct PendingApplication {
    key: String,
    label: String,
}

#[derive(Template)]
#[template(path = "portal/municipality_person.html")]
struct PersonPage {
    who: String,
    section: &'static str,
    insured: String,
    /// The person's name, from their 被保険者証.
    person: String,
    consent: &'static str,
    registrations: Vec<RegistrationRow>,
    kinds: Vec<KindView>,
    applications: Vec<PendingApplication>,
    /// (医療機関コード, name).
    clinics: Vec<(String, String)>,
    steps: &'static [&'static str],
    levels: &'static [(&'static str, &'static str)],
    today: String,
    notice: Option<String>,
    activation: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct PersonQuery {
    done: Option<String>,
}

fn consent_text(consent: Consent) -> &'static str {
    match consent {
        Consent::None => "記録なし",
        Consent::Standing => "同意あり",
        Consent::Withdrawn => "撤回済み",
    }
}

fn done_text(act: &str) -> Option<String> {
    Some(
        match act {
            "consent" => "包括同意を記録しました。",
            "register" => "担当事業所を登録しました。",
            "end_registration" => "担当事業所の登録を終了しました。",
            "opinion" => "主治医意見書を依頼しました。医療機関の画面に表示されます。",
            "step" => "認定の進捗を記録しました。",
            "result" => "認定結果を記録しました。",
            "survey" => "認定調査票を記録しました。",
            "allowance" => "支給を記録しました。累計は下の住宅改修・福祉用具購入に表示されます。",
            _ => return None,
        }
        .into(),
    )
}

async fn person_page(
    relay: &Relay,
    signed: &Signed,
    insured: &str,
    notice: Option<String>,
    activation: Option<String>,
) -> PageResult {
    let insurer = signed.insurer()?;
    let person = PersonKey::new(insurer, insured);
    let now = renkei_seal::unix_now();
    let mut kinds = Vec::new();
    let mut applications = Vec::new();
    let shown = every_kind(relay, &signed.0.viewer, &person, now).await?;
    let name = name_of(&shown);
    let (consent, registrations) = relay.standing_of(&signed.0.viewer, &person).await?;
    let mut holders = authors(&shown);
    holders.extend(registrations.iter().map(|r| format!("office:{}", r.office)));
    let names = relay.names(holders).await?;
    for (kind, records) in shown {
        if kind == RecordKind::Application {
            let mut seen = std::collections::BTreeSet::new();
            for record in records.iter().rev() {
                if seen.insert(record.key.clone()) {
                    let application: Option<Application> = serde_json::from_str(&record.body).ok();
                    applications.push(PendingApplication {
                        key: record.key.clone(),
                        label: application
                            .map(|a| {
                                let date = renkei_spec::wareki::date(&a.date);
                                format!("{} {date}({})", a.kind, current_step(&a))
                            })
                            .unwrap_or_else(|| record.key.clone()),
                    });
                }
            }
        }
        kinds.push(KindView::of(kind, &records, &names));
    }
    html(PersonPage {
        who: who(&signed.0),
        section: "overview",
        insured: insured.to_owned(),
        person: name.unwrap_or_else(|| format!("被保険者番号 {insured} の方")),
        consent: consent_text(consent),
        registrations: registrations
            .into_iter()
            .map(|r| RegistrationRow {
                office: names.office(&r.office),
                number: r.office,
                by_person: r.confirmed_by == "person",
                ended: r.ended.is_some(),
            })
            .collect(),
        kinds,
        applications,
        clinics: relay
            .clinics()
            .await?
            .into_iter()
            .map(|c: Organisation| {
                let number = c.holder.trim_start_matches("clinic:").to_owned();
                (number, c.name)
            })
            .collect(),
        steps: &STEPS,
        levels: &CARE_LEVELS,
        today: date(now),
        notice,
        activation,
    })
}

pub(super) async fn person(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Path(insured): Path<String>,
    Query(query): Query<PersonQuery>,
) -> PageResult {
    let notice = query.done.as_deref().and_then(done_text);
    person_page(&relay, &signed, &insured, notice, None).await
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ActForm {
    #[serde(default)]
    consent: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    application: String,
    #[serde(default)]
    clinic: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    care_level: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    board_opinion: String,
    /// `housing_reform` or `equipment_purchase`.
    #[serde(default)]
    allowance: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    investigator: String,
    #[serde(default)]
    walking: String,
    #[serde(default)]
    transfer: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    memory: String,
}

fn date_field(text: &str, name: &str) -> Result<String, PageError> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 8 {
        Ok(digits)
    } else {
        Err(PageError(
            StatusCode::BAD_REQUEST,
            format!("{name}は年月日8桁で入力してください(例: 20261127) / a date has 8 digits"),
        ))
    }
}

/// What the municipality does for a person: each act is checked by the relay's rules.
pub(super) async fn act(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    Path((insured, act)): Path<(String, String)>,
    Form(form): Form<ActForm>,
) -> PageResult {
    let viewer = signed.0.viewer.clone();
    let person = PersonKey::new(signed.insurer()?, &insured);
    let now = renkei_seal::unix_now();
    match act.as_str() {
        "consent" => {
            let consent = match form.consent.as_str() {
                "withdrawn" => Consent::Withdrawn,
                _ => Consent::Standing,
            };
            relay.set_consent(&viewer, &person, consent, now).await?;
        }
        "register" => {
            relay
                .register_office(&viewer, &person, form.office.trim(), now)
                .await?;
        }
        "end_registration" => {
            relay
                .end_registration(&viewer, &person, form.office.trim(), now)
                .await?;
        }
        "opinion" => {
            relay
                .request_opinion(&viewer, &person, &form.application, form.clinic.trim(), now)
                .await?;
        }
        "step" => {
            let day = date_field(&form.date, "日付")?;
            relay
                .advance_application(&viewer, &person, &form.application, &form.step, &day, now)
                .await?;
        }
        "result" => {
            let level = care_level_code(&form.care_level).ok_or_else(|| {
                PageError(
                    StatusCode::BAD_REQUEST,
                    "要介護状態区分を選んでください / choose a care level".into(),
                )
            })?;
            let body = serde_json::json!({
                "application_date": form.application,
                "care_level": level,
                "from": date_field(&form.from, "有効期間の開始")?,
                "to": date_field(&form.to, "有効期間の終了")?,
                "board_opinion": form.board_opinion.trim(),
            });
            relay
                .submit_one(
                    &viewer,
                    &person,
                    RecordKind::Result,
                    &form.application,
                    body,
                    now,
                )
                .await?;
        }
        "allowance" => {
            let kind = match form.allowance.as_str() {
                "equipment_purchase" => RecordKind::EquipmentPurchase,
                _ => RecordKind::HousingReform,
            };
            let amount: u64 = form
                .amount
                .chars()
                .filter(|c| !matches!(c, ',' | '円' | ' '))
                .collect::<String>()
                .parse()
                .map_err(|_| {
                    PageError(
                        StatusCode::BAD_REQUEST,
                        "金額は円の数字で入力してください(例: 45000) / the amount in yen".into(),
                    )
                })?;
            let day = date_field(&form.date, "日付")?;
            relay
                .record_allowance_use(
                    &viewer,
                    &person,
                    kind,
                    renkei_infobase::allowance::Use {
                        date: day,
                        amount,
                        note: form.note.trim().to_owned(),
                    },
                    now,
                )
                .await?;
        }
        "survey" => {
            // The 認定調査票's main items (基本調査 of 第1群〜第4群), with its date and
            // investigator; the full form stays on paper or comes over the API.
            let body = serde_json::json!({
                "surveyed": date_field(&form.date, "調査日")?,
                "investigator": form.investigator.trim(),
                "walking": form.walking,
                "transfer": form.transfer,
                "daily_decision": form.decision,
                "short_term_memory": form.memory,
                "special_notes": form.note.trim(),
            });
            relay
                .submit_one(
                    &viewer,
                    &person,
                    RecordKind::Survey,
                    &form.application,
                    body,
                    now,
                )
                .await?;
        }
        "activation" => {
            let code = relay.issue_activation(&viewer, &person, now).await?;
            let notice = format!(
                "利用開始コードを発行しました。{}日以内にご本人がこのコードでパスワードを設定します。",
                crate::relay::ACTIVATION_DAYS
            );
            return person_page(&relay, &signed, &insured, Some(notice), Some(code)).await;
        }
        _ => return Err(not_for_you()),
    }
    Ok(Redirect::to(&format!("/base/municipality/people/{insured}?done={act}")).into_response())
}

#[derive(Template)]
#[template(path = "portal/upload.html")]
struct UploadPage {
    who: String,
    section: &'static str,
    loaded: Option<Loaded>,
    file: String,
    problems: Vec<Problem>,
}

pub(super) async fn upload_page(State(_): State<Arc<Relay>>, signed: Signed) -> PageResult {
    signed.insurer()?;
    html(UploadPage {
        who: who(&signed.0),
        section: "upload",
        loaded: None,
        file: String::new(),
        problems: Vec::new(),
    })
}

/// The bulk CSV: checked whole, kept whole or not at all, with every problem listed.
pub(super) async fn upload(
    State(relay): State<Arc<Relay>>,
    signed: Signed,
    mut form: Multipart,
) -> PageResult {
    signed.insurer()?;
    let bad = |e: axum::extract::multipart::MultipartError| {
        PageError(StatusCode::BAD_REQUEST, e.body_text())
    };
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_owned();
            file = Some((name, field.bytes().await.map_err(bad)?));
        }
    }
    let Some((name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return Err(PageError(
            StatusCode::BAD_REQUEST,
            "読み込むCSVファイルを選んでください / choose a CSV file".into(),
        ));
    };
    let page = |loaded, problems| UploadPage {
        who: who(&signed.0),
        section: "upload",
        loaded,
        file: name.clone(),
        problems,
    };
    match relay
        .load(&signed.0.viewer, &bytes, renkei_seal::unix_now())
        .await
    {
        Ok(loaded) => html(page(Some(loaded), Vec::new())),
        Err(crate::Error::UploadInvalid { problems }) => {
            let body = page(None, problems).render()?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::response::Html(body)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
