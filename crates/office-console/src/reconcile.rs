//! 予定と実績の突合: for a service month, each person's 予定 (the 提供票 the care manager
//! sent) against the 実績 the providers reported, as `renkei_forms::reconcile` compares
//! them — the month's people with their differences, one person's grid day by day, and
//! every difference as CSV. A provider sees the same from its side: what it was sent
//! against what it reported.
//!
//! Only the current version of each document counts (a 予定 sent again replaces the
//! first; a withdrawn one counts for nothing). A provider that has not reported yet is said
//! to be awaited, not counted as if nothing was done.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use renkei_forms::month::{ServiceLine, Source};
use renkei_forms::reconcile::{Reconciliation, reconcile};
use renkei_spec::ids::OfficeNumber;
use serde::Deserialize;

use super::Console;
use super::evidence::csv_line;
use super::page::{Frame, PageError, PageResult, attachment, html};
use super::session::Signed;
use super::time::Month;
use super::words::Partners;

/// One person's month as gathered from the documents.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    pub name: String,
    kana: String,
    planned: Vec<ServiceLine>,
    done: Vec<ServiceLine>,
    /// Providers with 予定 lines, and those that reported 実績.
    pub planned_by: BTreeSet<String>,
    pub reported_by: BTreeSet<String>,
    /// Every provider the month's 利用票 names, with its name as written: partners on
    /// renkei and those that are not.
    pub named: BTreeMap<String, String>,
    /// 区分支給限度基準額 from the month's 補足, as printed.
    limit: String,
    days: usize,
}

impl Gathered {
    /// Providers planned for that have not reported: their lines wait, they are not
    /// differences.
    fn awaited(&self) -> Vec<&String> {
        self.planned_by.difference(&self.reported_by).collect()
    }

    fn compared(&self) -> Reconciliation {
        let awaited = self.awaited();
        let planned: Vec<ServiceLine> = self
            .planned
            .iter()
            .filter(|l| !awaited.contains(&&l.provider))
            .cloned()
            .collect();
        reconcile(&planned, &self.done, self.days)
    }
}

/// The month's people: every current 予定 and 実績 of `month`, by (保険者番号, 被保険者番号).
pub(crate) fn gather(
    console: &Console,
    month: Month,
) -> Result<BTreeMap<(String, String), Gathered>, PageError> {
    let me = console.office.profile.number.clone();
    let code = month.code();
    let known = console.office.ledger.people_names()?;
    let mut people: BTreeMap<(String, String), Gathered> = BTreeMap::new();
    for (family, source) in [("schedule", Source::Schedule), ("actual", Source::Actual)] {
        for document in console.office.ledger.documents_of_month(family, &code)? {
            if document.deletion {
                continue;
            }
            let (partner, insurer, insured) = document.parts();
            // Each document speaks for one provider: the partner a 予定 went to or a 実績
            // came from, or this office for what it received or reported itself.
            let provider = match (family, document.direction.as_str()) {
                ("schedule", "sent") | ("actual", "received") => partner.to_owned(),
                _ => me.clone(),
            };
            let Some(forms) = console.forms_of(&document) else {
                continue;
            };
            let person = people
                .entry((insurer.to_owned(), insured.to_owned()))
                .or_default();
            if person.name.is_empty() && forms.is_named() {
                person.name = forms.name().to_owned();
                person.kana = forms.kana().to_owned();
            }
            if person.limit.is_empty()
                && let Some(supplement) = &forms.supplement
            {
                person.limit = supplement.limit_units.clone();
            }
            for sheet in forms
                .months
                .iter()
                .filter(|m| m.source == source && m.month == code)
            {
                person.days = sheet.days_in_month() as usize;
                if source == Source::Schedule {
                    for line in &sheet.lines {
                        person
                            .named
                            .entry(line.provider.clone())
                            .or_insert_with(|| line.provider_name.clone());
                    }
                }
                let lines = sheet
                    .lines
                    .iter()
                    .filter(|l| l.provider == provider)
                    .cloned();
                match source {
                    Source::Schedule => {
                        person.planned_by.insert(provider.clone());
                        person.planned.extend(lines);
                    }
                    Source::Actual => {
                        person.reported_by.insert(provider.clone());
                        person.done.extend(lines);
                    }
                }
            }
        }
    }
    for ((insurer, insured), person) in &mut people {
        if person.name.is_empty()
            && let Some((name, kana)) = known.get(&(insurer.clone(), insured.clone()))
        {
            person.name = name.clone();
            person.kana = kana.clone();
        }
        if person.days == 0 {
            person.days = 31;
        }
    }
    Ok(people)
}

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
    /// A provider's 事業所番号: only the services of that provider.
    #[serde(default)]
    provider: String,
    /// `1`: only the people (or rows) with a difference.
    #[serde(default)]
    only: String,
}

impl MonthQuery {
    fn provider(&self) -> Option<String> {
        let number = self.provider.trim();
        OfficeNumber::parse(number)
            .is_ok()
            .then(|| number.to_owned())
    }

    fn differences_only(&self) -> bool {
        self.only == "1"
    }
}

/// Keep only `provider`'s rows and, when asked, the rows with a difference.
fn narrowed(mut compared: Reconciliation, provider: Option<&str>, only: bool) -> Reconciliation {
    compared.rows.retain(|r| {
        provider.is_none_or(|p| r.provider == p) && (!only || !r.differences.is_empty())
    });
    compared
}

struct PersonRow {
    insurer: String,
    insured: String,
    name: String,
    kana: String,
    planned_units: u32,
    done_units: u32,
    limit: String,
    differences: usize,
    /// Providers planned for that have not reported, by name.
    awaited: Vec<String>,
}

#[derive(Template)]
#[template(path = "console/reconcile.html")]
struct MonthPage {
    frame: Frame,
    month: Month,
    rows: Vec<PersonRow>,
    providers: Vec<(String, String)>,
    provider: String,
    only: bool,
    /// People with a difference, and with a provider still to report.
    with_differences: usize,
    awaiting: usize,
}

pub async fn month(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<MonthQuery>,
) -> PageResult {
    let month = Month::chosen(query.month.as_deref());
    let partners = Partners::of(&console)?;
    let provider = query.provider();
    let people = gather(&console, month)?;
    let mut providers = BTreeSet::new();
    let mut rows = Vec::new();
    for ((insurer, insured), person) in &people {
        providers.extend(person.planned_by.iter().chain(&person.reported_by).cloned());
        if provider
            .as_ref()
            .is_some_and(|p| !person.planned_by.contains(p) && !person.reported_by.contains(p))
        {
            continue;
        }
        let compared = narrowed(person.compared(), provider.as_deref(), false);
        let differences = compared.differences();
        if query.differences_only() && differences == 0 {
            continue;
        }
        rows.push(PersonRow {
            insurer: insurer.clone(),
            insured: insured.clone(),
            name: person.name.clone(),
            kana: person.kana.clone(),
            planned_units: compared.planned_units(),
            done_units: compared.done_units(),
            limit: person.limit.clone(),
            differences,
            awaited: person
                .awaited()
                .into_iter()
                .filter(|p| provider.as_ref().is_none_or(|q| q == *p))
                .map(|p| partners.label(p))
                .collect(),
        });
    }
    rows.sort_by(|a, b| (&a.kana, &a.insured).cmp(&(&b.kana, &b.insured)));
    html(MonthPage {
        frame: Frame::new(
            &console,
            &staff,
            "reconcile",
            format!("予定と実績の突合 {}", month.service_label()),
        ),
        with_differences: rows.iter().filter(|r| r.differences > 0).count(),
        awaiting: rows.iter().filter(|r| !r.awaited.is_empty()).count(),
        month,
        rows,
        providers: providers
            .into_iter()
            .filter(|p| *p != console.office.profile.number)
            .map(|p| {
                let label = partners.label(&p);
                (p, label)
            })
            .collect(),
        provider: provider.unwrap_or_default(),
        only: query.differences_only(),
    })
}

#[derive(Template)]
#[template(path = "console/reconcile_person.html")]
struct PersonPage {
    frame: Frame,
    month: Month,
    compared: Reconciliation,
    /// The rows' providers by name.
    providers: BTreeMap<String, String>,
    limit: String,
    awaited: Vec<String>,
    only: bool,
    days: Vec<u32>,
}

pub async fn person(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path((insurer, insured)): Path<(String, String)>,
    Query(query): Query<MonthQuery>,
) -> PageResult {
    let month = Month::chosen(query.month.as_deref());
    let partners = Partners::of(&console)?;
    let people = gather(&console, month)?;
    let person = people
        .get(&(insurer.clone(), insured.clone()))
        .ok_or_else(|| PageError::not_found("この月の予定・実績"))?;
    let compared = narrowed(
        person.compared(),
        query.provider().as_deref(),
        query.differences_only(),
    );
    let providers = compared
        .rows
        .iter()
        .map(|r| (r.provider.clone(), partners.label(&r.provider)))
        .collect();
    let name = if person.name.is_empty() {
        "氏名未登録の方".to_owned()
    } else {
        person.name.clone()
    };
    html(PersonPage {
        frame: Frame::new(
            &console,
            &staff,
            "reconcile",
            format!(
                "{name}（被保険者番号 {insured}）の予定と実績 {}",
                month.service_label()
            ),
        ),
        month,
        days: (1..=person.days as u32).collect(),
        compared,
        providers,
        limit: person.limit.clone(),
        awaited: person
            .awaited()
            .into_iter()
            .map(|p| partners.label(p))
            .collect(),
        only: query.differences_only(),
    })
}

/// Every difference of the month, one line each, for a spreadsheet: UTF-8 with a
/// byte-order mark so that Excel opens it in Japanese.
pub async fn csv(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    Query(query): Query<MonthQuery>,
) -> Result<axum::response::Response, PageError> {
    let month = Month::chosen(query.month.as_deref());
    let partners = Partners::of(&console)?;
    let provider = query.provider();
    let mut out = String::from(
        "\u{feff}サービス提供月,保険者番号,被保険者番号,氏名,事業所番号,事業所名,サービスコード,サービス内容,提供時間帯,違い\r\n",
    );
    for ((insurer, insured), person) in gather(&console, month)? {
        let compared = narrowed(person.compared(), provider.as_deref(), false);
        for row in &compared.rows {
            for difference in &row.differences {
                let fields = [
                    month.code(),
                    insurer.clone(),
                    insured.clone(),
                    person.name.clone(),
                    row.provider.clone(),
                    partners.name(&row.provider),
                    row.service_code.clone(),
                    row.service_name.clone(),
                    row.time.clone(),
                    difference.describe(),
                ];
                csv_line(&mut out, &fields);
            }
        }
        for awaited in person.awaited() {
            let fields = [
                month.code(),
                insurer.clone(),
                insured.clone(),
                person.name.clone(),
                awaited.clone(),
                partners.name(awaited),
                String::new(),
                String::new(),
                String::new(),
                "実績未着".to_owned(),
            ];
            csv_line(&mut out, &fields);
        }
    }
    Ok(attachment(
        &format!(
            "予実突合_{}_{}.csv",
            console.office.profile.number,
            month.code()
        ),
        "text/csv; charset=utf-8",
        out.into_bytes(),
    ))
}
