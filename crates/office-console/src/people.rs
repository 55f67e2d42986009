//! 利用者の帳票: the people in the month's parcels, and one person's forms as they were
//! exchanged in a parcel — 第1表 to 第7表 and 補足, printable on A4 landscape.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use renkei_forms::PersonForms;
use renkei_seal::ArchivedFile;
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageError, PageResult, html};
use super::session::Signed;
use super::time::{Month, jst};
use super::words::Partners;

#[derive(Debug)]
struct PersonRow {
    parcel: String,
    key: String,
    name: String,
    kana: String,
    insured: String,
    received: bool,
    partner: String,
    partner_number: String,
    when: String,
    contents: String,
}

#[derive(Template)]
#[template(path = "console/people.html")]
struct Index {
    frame: Frame,
    month: Month,
    search: String,
    rows: Vec<PersonRow>,
    /// The month's partners (number, label), to print one partner's people.
    partners: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
pub struct IndexQuery {
    month: Option<String>,
    q: Option<String>,
}

pub fn sources(files: &[ArchivedFile]) -> Vec<renkei_forms::SourceFile<'_>> {
    files
        .iter()
        .map(|f| renkei_forms::SourceFile {
            name: &f.name,
            bytes: &f.bytes,
        })
        .collect()
}

/// The people of the month's parcels, each parcel's people once, by フリガナ: those matching
/// `search`, of `partner` alone when one is given.
fn rows_of_month(
    console: &Console,
    month: Month,
    search: &str,
    partner: Option<&str>,
) -> Result<Vec<PersonRow>, PageError> {
    let partners = Partners::of(console)?;
    let mut rows = Vec::new();
    let mut add = |parcel: &str, received: bool, other: &str, time: i64| -> Result<(), PageError> {
        if partner.is_some_and(|p| p != other) {
            return Ok(());
        }
        for person in console.people_in(parcel)?.iter() {
            let matches = search.is_empty()
                || person.name.contains(search)
                || person.kana.contains(search)
                || person.insured.contains(search);
            if matches {
                rows.push(PersonRow {
                    parcel: parcel.to_owned(),
                    key: person.key.clone(),
                    name: person.name.clone(),
                    kana: person.kana.clone(),
                    insured: person.insured.clone(),
                    received,
                    partner: partners.label(other),
                    partner_number: other.to_owned(),
                    when: jst(time),
                    contents: person.contents.clone(),
                });
            }
        }
        Ok(())
    };
    for parcel in super::parcels::received_of_month(console, month)? {
        add(&parcel.parcel_id, true, &parcel.sender, parcel.received)?;
    }
    for parcel in super::parcels::sent_of_month(console, month)? {
        add(parcel.id(), false, &parcel.recipient, parcel.time())?;
    }
    rows.sort_by(|a, b| (&a.kana, &a.insured, &b.when).cmp(&(&b.kana, &b.insured, &a.when)));
    Ok(rows)
}

pub async fn index(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<IndexQuery>,
) -> PageResult {
    let month = super::parcels::chosen_month(&console, query.month.as_deref())?;
    let search = query.q.unwrap_or_default().trim().to_owned();
    let rows = rows_of_month(&console, month, &search, None)?;
    html(Index {
        frame: Frame::new(
            &console,
            &staff,
            "people",
            format!("利用者の帳票 {}", month.service_label()),
        ),
        partners: rows
            .iter()
            .map(|r| (r.partner_number.clone(), r.partner.clone()))
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_iter()
            .collect(),
        month,
        search,
        rows,
    })
}

#[derive(Debug, Deserialize)]
pub struct PrintQuery {
    month: Option<String>,
    /// A partner's 事業所番号: only the parcels exchanged with it.
    #[serde(default)]
    partner: String,
}

impl PrintQuery {
    fn partner(&self) -> Option<&str> {
        let number = self.partner.trim();
        renkei_spec::ids::OfficeNumber::parse(number)
            .is_ok()
            .then_some(number)
    }
}

/// Each of `rows` with the person's forms, each parcel read once.
fn forms_of(
    console: &Console,
    rows: Vec<PersonRow>,
) -> Result<Vec<(PersonRow, PersonForms)>, PageError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let people = console.parcel_forms(&row.parcel)?;
        if let Some(person) = people
            .iter()
            .find(|p| format!("{}-{}", p.insurer, p.insured) == row.key)
        {
            let person = person.clone();
            out.push((row, person));
        }
    }
    Ok(out)
}

struct PrintedPerson {
    row: PersonRow,
    forms: String,
}

#[derive(Template)]
#[template(path = "console/people_print_section.html")]
struct PrintSection {
    people: Vec<PrintedPerson>,
}

#[derive(Template)]
#[template(path = "console/people_print.html")]
struct PrintPage {
    frame: Frame,
    month: Month,
    partner: String,
    count: usize,
    section: Arc<String>,
}

/// The people of `rows` with their forms, a person to a page break, kept for as long as the
/// same rows are asked for again (what they show is the key).
fn print_section(console: &Console, rows: Vec<PersonRow>) -> Result<Arc<String>, PageError> {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for row in &rows {
        (&row.parcel, &row.key, &row.name, &row.insured).hash(&mut hasher);
        (row.received, &row.partner).hash(&mut hasher);
    }
    let key = format!("{}:{:016x}", rows.len(), hasher.finish());
    console.printed(&key, || {
        let reader = super::words::reader(console);
        let mut people = Vec::new();
        for (row, person) in forms_of(console, rows)? {
            people.push(PrintedPerson {
                forms: renkei_forms::html::person(&person, reader)?,
                row,
            });
        }
        Ok::<_, PageError>(PrintSection { people }.render()?)
    })
}

/// The month's forms on one page to print, a person to a page break (A4 landscape).
pub async fn print(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<PrintQuery>,
) -> PageResult {
    let month = super::parcels::chosen_month(&console, query.month.as_deref())?;
    let partner = query.partner().map(str::to_owned);
    let rows = rows_of_month(&console, month, "", partner.as_deref())?;
    let count = rows.len();
    let section = print_section(&console, rows)?;
    html(PrintPage {
        frame: Frame::new(
            &console,
            &staff,
            "people",
            match &partner {
                Some(p) => format!(
                    "{} の帳票 {}",
                    Partners::of(&console)?.label(p),
                    month.service_label()
                ),
                None => format!("この月の帳票 {}", month.service_label()),
            },
        ),
        month,
        partner: partner.unwrap_or_default(),
        count,
        section,
    })
}

/// The same as one PDF, each person from a new page.
pub async fn print_pdf(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    Query(query): Query<PrintQuery>,
) -> Result<axum::response::Response, PageError> {
    let month = super::parcels::chosen_month(&console, query.month.as_deref())?;
    let reader = super::words::reader(&console);
    let partner = query.partner().map(str::to_owned);
    let rows = rows_of_month(&console, month, "", partner.as_deref())?;
    let people: Vec<PersonForms> = forms_of(&console, rows)?
        .into_iter()
        .map(|(_, forms)| forms)
        .collect();
    let title = format!("帳票 {}", month.service_label());
    let pdf = console
        .pdf(move |font| renkei_pdf::forms::people(font, &people, reader, &title))
        .await?;
    let name = match &partner {
        Some(p) => format!("帳票_{}_{p}.pdf", month.code()),
        None => format!("帳票_{}.pdf", month.code()),
    };
    Ok(super::page::pdf_download(&name, pdf))
}

#[derive(Template)]
#[template(path = "console/person.html")]
struct FormsPage {
    frame: Frame,
    parcel: String,
    received: bool,
    partner: String,
    person: PersonForms,
    forms: String,
}

/// The forms of the person `key` (保険者番号-被保険者番号) in the parcel `id`.
pub fn person_in(
    console: &Console,
    id: &str,
    key: &str,
) -> Result<(bool, String, PersonForms), PageError> {
    let parcel = console
        .parcel_files(id)?
        .ok_or_else(|| PageError::not_found("送信"))?;
    let person = console
        .people_of(&sources(&parcel.files))
        .into_iter()
        .find(|p| format!("{}-{}", p.insurer, p.insured) == key)
        .ok_or_else(|| PageError::not_found("利用者"))?;
    Ok((
        parcel.received,
        Partners::of(console)?.label(&parcel.partner),
        person,
    ))
}

pub async fn forms(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path((id, key)): Path<(String, String)>,
) -> PageResult {
    let (received, partner, person) = person_in(&console, &id, &key)?;
    let forms = renkei_forms::html::person(&person, super::words::reader(&console))?;
    html(FormsPage {
        frame: Frame::new(
            &console,
            &staff,
            "people",
            if person.is_named() {
                format!("{} 様の帳票", person.name())
            } else {
                format!("被保険者番号 {} の方の帳票（氏名未登録）", person.insured)
            },
        ),
        parcel: id,
        received,
        partner,
        person,
        forms,
    })
}

/// The same forms as a PDF (A4 landscape, the font embedded), named after the person.
pub async fn pdf(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    Path((id, key)): Path<(String, String)>,
) -> Result<axum::response::Response, PageError> {
    let (_, _, person) = person_in(&console, &id, &key)?;
    let reader = super::words::reader(&console);
    let pdf = console
        .pdf(move |font| renkei_pdf::forms::person(font, &person, reader))
        .await?;
    Ok(super::page::pdf_download(&format!("帳票_{key}.pdf"), pdf))
}
