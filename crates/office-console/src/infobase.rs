//! 介護情報基盤: the office's people as the information base knows them — certification
//! progress and results, the records the office may see — and what the office does there:
//! become the person's 担当事業所 with the person's own confirmation, record consent on the
//! municipality's behalf, and register the plan the person agreed to (or a draft for them
//! to approve) from the files the office already exchanged.
//!
//! Every request goes to the relay with the office's certificate, so the relay's rules
//! decide what is shown and the person's access log names this office.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use renkei_forms::PersonForms;
use renkei_infobase::record::{author_label, items_of};
use renkei_infobase::{RecordKind, Refusal};
use renkei_proto::{RecordRequest, RecordView};
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageError, PageResult, html};
use super::second_factor::Verified;
use super::time::{Month, jst};

/// How long the list waits for the relay in all before showing what it has.
const LIST_WAIT: Duration = Duration::from_secs(10);
/// How long one request to the relay may take.
const REQUEST_WAIT: Duration = Duration::from_secs(3);

/// Why the relay would not show a kind: the rule it named, when it named one, and what it
/// said, in Japanese.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Withheld {
    refusal: Option<Refusal>,
    message: String,
}

impl Withheld {
    fn new(refusal: Option<Refusal>, message: &str) -> Self {
        Self {
            refusal,
            message: renkei_spec::glossary::in_japanese(message).to_owned(),
        }
    }

    /// A refusal as the relay coded it, alone or for one kind of an overview.
    fn refused(code: &renkei_proto::ProblemCode, message: &str) -> Self {
        Self::new(Refusal::of_code(code.as_str()), message)
    }

    /// A refusal about the person as a whole, the same for every kind of record: the
    /// page says it once, not on every row.
    fn is_about_the_person(&self) -> bool {
        matches!(
            self.refusal,
            Some(Refusal::NoConsent | Refusal::ConsentWithdrawn | Refusal::NotRegistered)
        )
    }

    /// A few words for a row of a list, the whole message being said above the list.
    fn short(&self) -> String {
        match self.refusal {
            Some(refusal) => format!("{}見られません", refusal.short_ja()),
            None => self.message.clone(),
        }
    }
}

/// What the relay answered for one kind: the records, or why not.
type Answer = Result<Vec<RecordView>, Withheld>;

/// The newest version of each record, by key.
fn newest(records: &[RecordView]) -> Vec<&RecordView> {
    let mut by_key: BTreeMap<&str, &RecordView> = BTreeMap::new();
    for record in records {
        let kept = by_key.entry(&record.key).or_insert(record);
        if record.version > kept.version {
            *kept = record;
        }
    }
    by_key.into_values().collect()
}

/// How far the newest application has come: the first step not done.
fn progress(records: &[RecordView]) -> String {
    let Some(newest) = newest(records).into_iter().max_by_key(|r| r.key.clone()) else {
        return "申請なし".into();
    };
    let done: Vec<&str> = newest
        .body
        .get("steps")
        .and_then(|s| s.as_array())
        .map(|steps| {
            steps
                .iter()
                .filter_map(|s| s.get(0).and_then(|n| n.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let kind = newest
        .body
        .get("kind")
        .and_then(|k| k.as_str())
        .unwrap_or("");
    let waiting = renkei_infobase::certification::STEPS
        .iter()
        .find(|s| !done.contains(s));
    let applied = renkei_spec::wareki::date(&newest.key);
    match waiting {
        Some(step) => format!("{kind} {applied} 申請: {step}待ち"),
        None => format!("{kind} {applied} 申請: 結果通知済み"),
    }
}

fn care_level(records: &[RecordView]) -> String {
    newest(records)
        .into_iter()
        .max_by_key(|r| r.key.clone())
        .and_then(|r| r.body.get("care_level").and_then(|c| c.as_str()))
        .map(|code| {
            renkei_infobase::certification::care_level_name(code)
                .unwrap_or(code)
                .to_owned()
        })
        .unwrap_or_default()
}

struct PersonRow {
    insurer: String,
    insured: String,
    name: String,
    kana: String,
    /// The application's progress, or why the relay would not say.
    progress: Result<String, Withheld>,
    care_level: String,
}

#[derive(Template)]
#[template(path = "console/infobase.html")]
struct Index {
    frame: Frame,
    month: Month,
    rows: Vec<PersonRow>,
    /// Each reason the relay gave for not showing someone, said once, with how many.
    withheld: Vec<(Withheld, usize)>,
}

/// The reasons of the rows, each once, with how many rows it holds back, most first.
fn reasons(rows: &[PersonRow]) -> Vec<(Withheld, usize)> {
    let mut counted: Vec<(Withheld, usize)> = Vec::new();
    for why in rows.iter().filter_map(|r| r.progress.as_ref().err()) {
        match counted.iter_mut().find(|(w, _)| w == why) {
            Some((_, n)) => *n += 1,
            None => counted.push((why.clone(), 1)),
        }
    }
    counted.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counted
}

#[derive(Debug, Deserialize)]
pub struct IndexQuery {
    month: Option<String>,
}

/// The people in the month's parcels, each once, by フリガナ.
fn people_of_month(
    console: &Console,
    month: Month,
) -> Result<Vec<(String, String, String, String)>, PageError> {
    let ledger = &console.office.ledger;
    let mut people = BTreeMap::new();
    let mut parcels: Vec<String> = ledger
        .received_parcels(month.start(), month.end(), 1000)?
        .into_iter()
        .map(|p| p.parcel_id)
        .collect();
    parcels.extend(
        ledger
            .sent_parcels(month.start(), month.end(), 1000)?
            .iter()
            .map(|p| p.id().to_owned()),
    );
    for parcel in parcels {
        for person in console.people_in(&parcel)?.iter() {
            if let Some((insurer, insured)) = person.key.split_once('-') {
                people
                    .entry((insurer.to_owned(), insured.to_owned()))
                    .or_insert_with(|| (person.kana.clone(), person.name.clone()));
            }
        }
    }
    let mut people: Vec<_> = people
        .into_iter()
        .map(|((insurer, insured), (kana, name))| (kana, name, insurer, insured))
        .collect();
    people.sort();
    Ok(people)
}

pub async fn index(
    State(console): State<Arc<Console>>,
    Verified(staff): Verified,
    Query(query): Query<IndexQuery>,
) -> PageResult {
    let month = Month::chosen(query.month.as_deref());
    let people = people_of_month(&console, month)?;
    let keys: Vec<(String, String)> = people
        .iter()
        .map(|(_, _, insurer, insured)| (insurer.clone(), insured.clone()))
        .collect();
    let answers = ask(
        &console,
        &keys,
        &[RecordKind::Application, RecordKind::Result],
        LIST_WAIT,
    )
    .await;
    let rows: Vec<PersonRow> = people
        .into_iter()
        .map(|(kana, name, insurer, insured)| {
            let key = (insurer.clone(), insured.clone());
            let (progress, care_level) = match &answers {
                Ok(answers) => match answers.get(&key).map(Vec::as_slice) {
                    Some([applications, results]) => (
                        applications
                            .as_ref()
                            .map(|a| progress(a))
                            .map_err(Clone::clone),
                        results.as_ref().map(|r| care_level(r)).unwrap_or_default(),
                    ),
                    _ => (
                        Err(Withheld::new(None, "中継サーバーの答えにこの方がいません")),
                        String::new(),
                    ),
                },
                Err(why) => (Err(why.clone()), String::new()),
            };
            PersonRow {
                insurer,
                insured,
                name,
                kana,
                progress,
                care_level,
            }
        })
        .collect();
    html(Index {
        frame: Frame::new(
            &console,
            &staff,
            "base",
            format!("介護情報基盤 {}", month.label()),
        ),
        month,
        withheld: reasons(&rows),
        rows,
    })
}

/// Each person's answers, kind by kind as asked, by (保険者番号, 被保険者番号).
type Answers = BTreeMap<(String, String), Vec<Answer>>;

/// The people's records of `kinds` from the relay, a request per
/// [`renkei_proto::OVERVIEW_MAX_PEOPLE`] people, all within `wait`.
async fn ask(
    console: &Console,
    people: &[(String, String)],
    kinds: &[RecordKind],
    wait: Duration,
) -> Result<Answers, Withheld> {
    let asked = async {
        let mut answers = Answers::new();
        for chunk in people.chunks(renkei_proto::OVERVIEW_MAX_PEOPLE) {
            let request = renkei_proto::OverviewRequest {
                people: chunk
                    .iter()
                    .map(|(insurer, insured)| renkei_proto::PersonRef {
                        insurer: insurer.clone(),
                        insured: insured.clone(),
                    })
                    .collect(),
                kinds: kinds.to_vec(),
            };
            for person in console.office.client.base_overview(&request).await? {
                let kinds = person
                    .kinds
                    .into_iter()
                    .map(|k| match k.refused {
                        None => Ok(k.records),
                        Some(problem) => Err(Withheld::refused(&problem.code, &problem.message)),
                    })
                    .collect();
                answers.insert((person.insurer, person.insured), kinds);
            }
        }
        Ok::<_, renkei_office::Error>(answers)
    };
    match tokio::time::timeout(wait, asked).await {
        Ok(Ok(answers)) => Ok(answers),
        Ok(Err(renkei_office::Error::Refused { code, message, .. })) => {
            Err(Withheld::refused(&code, &message))
        }
        Ok(Err(error)) => Err(Withheld::new(None, &error.to_string())),
        Err(_) => Err(Withheld::new(
            None,
            "中継サーバーが時間内に応答しませんでした。しばらくしてから開き直してください",
        )),
    }
}

/// One person's answers for `kinds`, in order; each the same refusal when the relay could
/// not be asked at all.
async fn ask_one(
    console: &Console,
    insurer: &str,
    insured: &str,
    kinds: &[RecordKind],
) -> Vec<Answer> {
    let key = (insurer.to_owned(), insured.to_owned());
    match ask(console, std::slice::from_ref(&key), kinds, REQUEST_WAIT).await {
        Ok(mut answers) => answers.remove(&key).unwrap_or_default(),
        Err(why) => kinds.iter().map(|_| Err(why.clone())).collect(),
    }
}

/// Who wrote a record: a partner office by the name the office knows; a clinic by its
/// code, since the relay's answer does not carry clinics' names.
fn holder_label(holder: &str, partners: &super::words::Partners) -> String {
    match holder.split_once(':') {
        Some(("office", number)) => partners.label(number),
        Some(("clinic", code)) => format!("医療機関（{code}）"),
        _ => author_label(holder),
    }
}

/// A version of a record as the page lists it.
struct VersionRow {
    key: String,
    /// The key as people read it: an application's key is its date, as 令和.
    key_label: String,
    version: i64,
    author: String,
    created: String,
    items: Vec<(String, String)>,
    /// An opinion with the doctor's signed paper attached, to download.
    has_pdf: bool,
}

impl VersionRow {
    fn of(record: &RecordView, partners: &super::words::Partners) -> Self {
        Self {
            key: record.key.clone(),
            key_label: renkei_infobase::record::key_label(record.kind, &record.key),
            version: record.version,
            author: holder_label(&record.author, partners),
            created: jst(record.created),
            items: items_of(&record.body)
                .into_iter()
                .map(|(label, value)| {
                    let value = match label.as_str() {
                        "事業所" => partners.label(&value),
                        "医療機関" => format!("医療機関（{value}）"),
                        _ => value,
                    };
                    (label, value)
                })
                .collect(),
            has_pdf: record.body.get("pdf").is_some_and(|p| p.is_string()),
        }
    }
}

struct KindSection {
    name: &'static str,
    answer: Result<Vec<VersionRow>, Withheld>,
}

/// Where the office stands with the person, as the relay's answers show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Standing {
    /// The office is the person's 担当事業所 and the consent stands.
    Registered,
    /// No consent is recorded; whether the office is registered cannot be known yet.
    NoConsent,
    /// The person withdrew the consent: nothing the office does brings it back.
    Withdrawn,
    /// The consent stands, the office is not registered.
    NotRegistered,
}

impl Standing {
    /// From the refusal about the person as a whole, when there was one.
    fn of(withheld: Option<&Withheld>) -> Self {
        match withheld.and_then(|w| w.refusal) {
            Some(Refusal::NoConsent) => Self::NoConsent,
            Some(Refusal::ConsentWithdrawn) => Self::Withdrawn,
            Some(_) => Self::NotRegistered,
            None => Self::Registered,
        }
    }

    fn may_ask_registration(&self) -> bool {
        matches!(self, Self::NoConsent | Self::NotRegistered)
    }
}

/// A plan the office exchanged for the person, that it may register.
struct PlanChoice {
    parcel: String,
    label: String,
}

#[derive(Template)]
#[template(path = "console/infobase_person.html")]
struct PersonPage {
    frame: Frame,
    insurer: String,
    insured: String,
    standing: Standing,
    /// The one reason nothing of the person is shown, said once for every kind.
    withheld: Option<Withheld>,
    sections: Vec<KindSection>,
    plans: Vec<PlanChoice>,
    notice: Option<&'static str>,
    /// What the relay refused of the act just tried, in the page rather than on a page of
    /// its own.
    problem: Option<String>,
}
#[derive(Debug, Deserialize)]
pub struct PersonQuery {
    done: Option<String>,
}

/// The kinds an office may be shown, in the order of the national screens.
const KINDS: [RecordKind; 10] = [
    RecordKind::InsuranceCard,
    RecordKind::BurdenRatio,
    RecordKind::BurdenLimit,
    RecordKind::Application,
    RecordKind::Result,
    RecordKind::Survey,
    RecordKind::Opinion,
    RecordKind::HousingReform,
    RecordKind::EquipmentPurchase,
    RecordKind::CarePlan,
];

/// The plans (第1表) this office sent for the person, newest first, within a year.
fn plans_for(console: &Console, key: &str) -> Result<Vec<PlanChoice>, PageError> {
    let now = renkei_seal::unix_now();
    let partners = super::words::Partners::of(console)?;
    let mut plans = Vec::new();
    for parcel in console
        .office
        .ledger
        .sent_parcels(now - 366 * 24 * 3600, now + 1, 1000)?
    {
        let id = parcel.id().to_owned();
        if let Some(person) = console.people_in(&id)?.iter().find(|p| p.key == key)
            && person.contents.contains("第1表")
        {
            plans.push(PlanChoice {
                label: format!(
                    "{} {} 宛て({})",
                    jst(parcel.time()),
                    partners.label(&parcel.recipient),
                    person.contents
                ),
                parcel: id,
            });
        }
    }
    Ok(plans)
}

pub async fn person(
    State(console): State<Arc<Console>>,
    Verified(staff): Verified,
    Path((insurer, insured)): Path<(String, String)>,
    Query(query): Query<PersonQuery>,
) -> PageResult {
    let notice = match query.done.as_deref() {
        Some("register") => Some(
            "登録のお願いを送りました。ご本人が「わたしの介護情報」のページで承認すると登録されます。",
        ),
        Some("consent") => Some("包括同意を市町村に代わって記録しました。"),
        Some("plan") => Some("ケアプランを交付用に登録しました。ご本人と次の事業所が見られます。"),
        Some("draft") => {
            Some("ケアプランを同意・確認用に登録しました。ご本人の回答を待っています。")
        }
        _ => None,
    };
    person_page(&console, &staff, insurer, insured, notice, None).await
}

/// The person's page, with the notice of an act done or the problem of one refused.
async fn person_page(
    console: &Console,
    staff: &renkei_office::ledger::StaffMember,
    insurer: String,
    insured: String,
    notice: Option<&'static str>,
    problem: Option<String>,
) -> PageResult {
    let mut sections = Vec::new();
    let mut name = None;
    let partners = super::words::Partners::of(console)?;
    let answers = ask_one(console, &insurer, &insured, &KINDS).await;
    for (kind, answer) in KINDS.into_iter().zip(answers) {
        let answer = answer.map(|records| {
            if kind == RecordKind::InsuranceCard {
                name = records.last().and_then(|card| {
                    card.body
                        .get("name")
                        .and_then(|n| n.as_str())
                        .map(str::to_owned)
                });
            }
            records
                .iter()
                .rev()
                .map(|r| VersionRow::of(r, &partners))
                .collect()
        });
        sections.push(KindSection {
            name: kind.name_ja(),
            answer,
        });
    }
    let withheld = sections.iter().find_map(|s| match &s.answer {
        Err(why) if why.is_about_the_person() => Some(why.clone()),
        _ => None,
    });
    let standing = Standing::of(withheld.as_ref());
    html(PersonPage {
        frame: Frame::new(
            console,
            staff,
            "base",
            match name {
                Some(name) => format!("介護情報基盤 {name}（被保険者番号 {insured}）"),
                None => format!("介護情報基盤 被保険者番号 {insured} の方"),
            },
        ),
        plans: plans_for(console, &format!("{insurer}-{insured}"))?,
        insurer,
        insured,
        standing,
        withheld,
        sections,
        notice,
        problem,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ActForm {
    #[serde(default)]
    parcel: String,
    #[serde(default)]
    purpose: String,
}

/// The plan's items for the information base, from the exchanged forms.
pub(crate) fn plan_body(office: &str, person: &PersonForms) -> serde_json::Value {
    let plan1 = person.plan1.clone().unwrap_or_default();
    let goals = |pick: fn(&renkei_forms::plan::Plan2Line) -> &str| {
        person
            .plan2
            .iter()
            .map(pick)
            .filter(|g| !g.is_empty())
            .collect::<Vec<_>>()
    };
    let mut services: Vec<String> = person
        .plan2
        .iter()
        .filter(|l| !l.content.is_empty())
        .map(|l| format!("{}({})", l.content, l.provider_name))
        .collect();
    services.dedup();
    serde_json::json!({
        "office": office,
        "plan_date": plan1.plan_date,
        "care_level": plan1.care_level,
        "wishes": plan1.intentions,
        "policy": plan1.policy,
        "long_term_goal": goals(|l| &l.long_goal),
        "short_term_goal": goals(|l| &l.short_goal),
        "services": services,
        "month": person.months.iter().map(|m| m.month.clone()).collect::<Vec<_>>(),
        // 第6表, a line per service of each month: who, what, how many times.
        "schedule": person
            .months
            .iter()
            .flat_map(|m| {
                m.lines.iter().map(move |l| {
                    let times: u32 = l.days.iter().sum();
                    format!(
                        "{} {} {}({}〜{}) {times}回",
                        m.month_label(),
                        l.provider_name,
                        l.service_name,
                        l.start,
                        l.end
                    )
                })
            })
            .collect::<Vec<_>>(),
        "files": person.files,
        // The forms themselves, for the person's page to show them as 第2表 and 第3表.
        "lines": person.plan2.iter().map(|l| serde_json::json!({
            "issue": l.issue,
            "long_goal": l.long_goal,
            "short_goal": l.short_goal,
            "content": l.content,
            "service_type": l.service_type,
            "provider_name": l.provider_name,
            "frequency": l.frequency,
            "period": l.period,
        })).collect::<Vec<_>>(),
        "week": person.weekly.iter().flat_map(|w| w.services.iter()).map(|s| serde_json::json!({
            "weekday": s.weekday,
            "start": s.start,
            "end": s.end,
            "service": s.service,
        })).collect::<Vec<_>>(),
        "non_weekly": person.weekly.as_ref().map(|w| w.non_weekly.as_str()).unwrap_or(""),
    })
}

pub async fn act(
    State(console): State<Arc<Console>>,
    Verified(staff): Verified,
    Path((insurer, insured, act)): Path<(String, String, String)>,
    Form(form): Form<ActForm>,
) -> PageResult {
    let done = match act.as_str() {
        "register" => "register",
        "consent" => "consent",
        "plan" if form.purpose == "draft" => "draft",
        "plan" => "plan",
        _ => return Err(PageError::not_found("操作")),
    };
    match do_act(&console, &insurer, &insured, done, &form).await? {
        Ok(()) => Ok(
            Redirect::to(&format!("/base/people/{insurer}/{insured}?done={done}")).into_response(),
        ),
        // The relay's refusal is shown on the person's page, where the act was tried.
        Err(refusal) => {
            let page = person_page(&console, &staff, insurer, insured, None, Some(refusal)).await?;
            Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// Does the act: `Ok(Err(message))` when the relay refused it, saying why.
async fn do_act(
    console: &Console,
    insurer: &str,
    insured: &str,
    act: &str,
    form: &ActForm,
) -> Result<Result<(), String>, PageError> {
    let client = &console.office.client;
    let done = match act {
        "register" => client.base_request_registration(insurer, insured).await,
        "consent" => client.base_consent(insurer, insured).await,
        _ => {
            let key = format!("{insurer}-{insured}");
            let (_, _, person) = super::people::person_in(console, &form.parcel, &key)?;
            let body = plan_body(&console.office.profile.number, &person);
            let plan_date = body
                .get("plan_date")
                .and_then(|d| d.as_str())
                .filter(|d| !d.is_empty())
                .unwrap_or("plan")
                .to_owned();
            let request = RecordRequest {
                kind: if act == "draft" {
                    RecordKind::DraftPlan
                } else {
                    RecordKind::CarePlan
                },
                key: plan_date,
                body,
            };
            client
                .base_submit(insurer, insured, &request)
                .await
                .map(|_| ())
        }
    };
    match done {
        Ok(()) => Ok(Ok(())),
        Err(renkei_office::Error::Refused { message, .. }) => {
            Ok(Err(renkei_spec::glossary::in_japanese(&message).to_owned()))
        }
        Err(other) => Err(other.into()),
    }
}

/// An opinion's PDF (the doctor's signed paper), when the relay shows the office the opinion.
pub async fn opinion_pdf(
    State(console): State<Arc<Console>>,
    Verified(_): Verified,
    Path((insurer, insured, key)): Path<(String, String, String)>,
) -> Result<axum::response::Response, PageError> {
    use base64::Engine;
    let opinions = ask_one(&console, &insurer, &insured, &[RecordKind::Opinion])
        .await
        .pop()
        .unwrap_or(Ok(Vec::new()))
        .map_err(|why| PageError::bad_request(why.message))?;
    let pdf = opinions
        .iter()
        .filter(|r| r.key == key)
        .max_by_key(|r| r.version)
        .and_then(|r| r.body.get("pdf")?.as_str().map(str::to_owned))
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
        .ok_or_else(|| PageError::not_found("主治医意見書のPDF"))?;
    Ok(super::page::pdf_download(
        &format!("主治医意見書_{insured}_{key}.pdf"),
        pdf,
    ))
}
