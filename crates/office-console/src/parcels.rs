//! 送信箱 and 受信箱: each parcel with its state, its files, the people in it and its
//! receipts; and the units refused before sending, with their reports line by line.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use axum::extract::{Path, Query, State};
use renkei_proto::ParcelView;
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageError, PageResult, html};
use super::receiver::{self, ReceivingStatus, Round};
use super::session::Signed;
use super::time::{Month, is_of_month, jst, service_months};
use super::words::{self, Partners};
use axum::response::IntoResponse;
use renkei_office::ledger::{
    IncomingState, OutgoingState, ReceivedParcel, RefusalRecord, SentParcel,
};
use renkei_office::returned;

use super::findings::{FindingView, Known, Whose};
use super::people;
use renkei_spec::glossary::Reader;

/// How long a page waits for the relay before showing what the ledger knows.
const RELAY_WAIT: Duration = Duration::from_secs(3);

/// The relay's view of our sent parcels, or why there is none.
#[derive(Debug, Default)]
pub struct RelayStates {
    pub by_id: HashMap<String, ParcelView>,
    /// Rejected parcels whose recipient's signed rejection this office keeps, by id, with
    /// what it says they are (取込エラー or 取込不可).
    pub returned: HashMap<String, &'static str>,
    /// Set when the relay could not be asked: the page says so.
    pub unreachable: Option<String>,
}

pub async fn relay_states(console: &Console) -> RelayStates {
    match tokio::time::timeout(RELAY_WAIT, console.office.client.outbox(1000)).await {
        Ok(Ok(parcels)) => {
            // A rejection not heard of yet is fetched, verified and kept now, within the
            // same wait as the outbox: a page never hangs on the relay.
            let collected = tokio::time::timeout(
                RELAY_WAIT,
                returned::collect_from(&console.office, &parcels),
            );
            match collected.await {
                Ok(Ok(_)) => {}
                Ok(Err(error)) => tracing::warn!("rejections could not be fetched: {error}"),
                Err(_) => tracing::warn!("rejections could not be fetched in time"),
            }
            let returned = parcels
                .iter()
                .filter(|p| p.state == "rejected")
                .filter_map(|p| {
                    returned::kept(&console.office, &p.id).map(|r| (p.id.clone(), r.state_ja()))
                })
                .collect();
            RelayStates {
                by_id: parcels.into_iter().map(|p| (p.id.clone(), p)).collect(),
                returned,
                unreachable: None,
            }
        }
        Ok(Err(error)) => RelayStates {
            unreachable: Some(error.to_string()),
            ..RelayStates::default()
        },
        Err(_) => RelayStates {
            unreachable: Some(
                "中継サーバーが3秒以内に応答しませんでした / the relay did not answer in time"
                    .into(),
            ),
            ..RelayStates::default()
        },
    }
}

/// A sent parcel as the lists show it.
#[derive(Debug)]
pub struct SentRow {
    pub id: String,
    /// The recipient by name, with its number.
    pub recipient: String,
    /// The サービス提供月 of its files (令和8年1月分), or empty for plans.
    pub months: String,
    /// What its files are, in the form's names.
    pub contents: String,
    pub files: usize,
    pub size: String,
    pub time: i64,
    pub when: String,
    /// The relay's state (`accepted`, `downloaded`, `acknowledged`, `not_delivered`,
    /// `purged`), or ours while the relay has not answered.
    pub relay_state: String,
    pub state_ja: String,
}

impl SentRow {
    pub fn new(
        parcel: &SentParcel,
        relay: &RelayStates,
        partners: &Partners,
        reader: Reader,
    ) -> Self {
        let at_relay = parcel.parcel_id.as_ref().and_then(|id| relay.by_id.get(id));
        let (relay_state, state_ja) = match (at_relay, parcel.state) {
            (Some(view), _) => {
                let state = relay.returned.get(&view.id).copied();
                let state = state.unwrap_or_else(|| sent_state_ja(&view.state));
                (view.state.clone(), state.to_owned())
            }
            (None, OutgoingState::Prepared) => ("prepared".into(), "送信中".into()),
            (None, _) => ("accepted".into(), "送信済".into()),
        };
        let names = || parcel.files.iter().map(|f| f.name.as_str());
        Self {
            id: parcel.id().to_owned(),
            recipient: partners.label(&parcel.recipient),
            months: months_label(&service_months(names())),
            contents: words::contents(names(), reader),
            files: parcel.files.len(),
            size: words::size(parcel.bytes()),
            time: parcel.time(),
            when: jst(parcel.time()),
            relay_state,
            state_ja,
        }
    }
}

/// 令和8年1月分, or 令和7年12月分・令和8年1月分 for files of two months.
fn months_label(months: &[Month]) -> String {
    months
        .iter()
        .map(Month::service_label)
        .collect::<Vec<_>>()
        .join("・")
}

/// The states of DESIGN §5 as the console names them.
fn sent_state_ja(state: &str) -> &'static str {
    match state {
        "accepted" => "送信済",
        "downloaded" => "到達",
        "acknowledged" => "取込済",
        "rejected" => "取込不可",
        "not_delivered" => "期限切れ",
        "purged" => "保存期間満了",
        _ => "不明",
    }
}

fn received_state_ja(state: IncomingState) -> &'static str {
    match state {
        IncomingState::Writing | IncomingState::Placing => "受信中",
        IncomingState::Placed => "取込フォルダに配置",
        IncomingState::Held => "介護ソフトの取込待ち",
        IncomingState::Acknowledged => "取込済",
        IncomingState::Rejected => "取込不可",
    }
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    month: Option<String>,
    /// What the 受信 button did (`received::N`, `another`, `fault`), to say on the page.
    took: Option<String>,
}

#[derive(Template)]
#[template(path = "console/outbox.html")]
struct Outbox {
    frame: Frame,
    month: Month,
    relay: RelayStates,
    rows: Vec<SentRow>,
}

/// The service month a page opens on when none is asked for: that of the newest exchange
/// (at the start of January the work is December's 実績), or this month before any.
pub fn current_service_month(console: &Console) -> Result<Month, PageError> {
    // The newest few of each way: a parcel refused unread names no files.
    const LOOK_AT: usize = 20;
    let ledger = &console.office.ledger;
    let sent = ledger.sent_parcels(0, i64::MAX, LOOK_AT)?;
    let received = ledger.received_parcels(0, i64::MAX, LOOK_AT)?;
    let mut moved: Vec<(i64, Vec<Month>)> = sent
        .iter()
        .filter(|p| !p.files.is_empty())
        .map(|p| {
            (
                p.time(),
                service_months(p.files.iter().map(|f| f.name.as_str())),
            )
        })
        .chain(received.iter().filter(|p| !p.files.is_empty()).map(|p| {
            (
                p.received,
                service_months(p.files.iter().map(String::as_str)),
            )
        }))
        .collect();
    moved.sort_by_key(|(time, _)| std::cmp::Reverse(*time));
    let with_month = moved.iter().find_map(|(_, months)| months.last().copied());
    Ok(with_month
        .or_else(|| moved.first().map(|(time, _)| Month::of(*time)))
        .unwrap_or_else(|| Month::of(renkei_seal::unix_now())))
}

/// The month a list was asked for (`?month=YYYYMM`), or the current service month.
pub fn chosen_month(console: &Console, text: Option<&str>) -> Result<Month, PageError> {
    match text.and_then(Month::parse) {
        Some(month) => Ok(month),
        None => current_service_month(console),
    }
}

/// The sent parcels whose files are of service month `month`, newest first.
pub fn sent_of_month(console: &Console, month: Month) -> Result<Vec<SentParcel>, PageError> {
    // Every exchange is read: files of a month may move long after it (a late 実績, a
    // correction), and the ledger does not index file names by month yet.
    Ok(console
        .office
        .ledger
        .sent_parcels(0, i64::MAX, usize::MAX >> 1)?
        .into_iter()
        .filter(|p| {
            let months = service_months(p.files.iter().map(|f| f.name.as_str()));
            is_of_month(&months, p.time(), month)
        })
        .collect())
}

/// The received parcels whose files are of service month `month`, newest first.
pub fn received_of_month(
    console: &Console,
    month: Month,
) -> Result<Vec<ReceivedParcel>, PageError> {
    // Every exchange is read: files of a month may move long after it (a late 実績, a
    // correction), and the ledger does not index file names by month yet.
    Ok(console
        .office
        .ledger
        .received_parcels(0, i64::MAX, usize::MAX >> 1)?
        .into_iter()
        .filter(|p| {
            let months = service_months(p.files.iter().map(String::as_str));
            is_of_month(&months, p.received, month)
        })
        .collect())
}

pub async fn outbox(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let month = chosen_month(&console, query.month.as_deref())?;
    let sent = sent_of_month(&console, month)?;
    let relay = relay_states(&console).await;
    let partners = Partners::of(&console)?;
    let reader = words::reader(&console);
    let rows = sent
        .iter()
        .map(|p| SentRow::new(p, &relay, &partners, reader))
        .collect();
    html(Outbox {
        frame: Frame::new(
            &console,
            &staff,
            "outbox",
            format!("送信箱 {}", month.service_label()),
        ),
        month,
        relay,
        rows,
    })
}

#[derive(Debug)]
struct ReceivedRow {
    id: String,
    sender: String,
    months: String,
    contents: String,
    files: usize,
    when: String,
    state_ja: &'static str,
}

impl ReceivedRow {
    /// `files` are the names of all the parcel's files, standard and attachments.
    fn new(
        parcel: &ReceivedParcel,
        files: &[String],
        partners: &Partners,
        reader: Reader,
        people: &renkei_office::ledger::PeopleNames,
    ) -> Self {
        let names = || files.iter().map(String::as_str);
        let about = words::attachments_about(names(), people);
        Self {
            id: parcel.parcel_id.clone(),
            sender: partners.label(&parcel.sender),
            months: months_label(&service_months(names())),
            contents: if about.is_empty() {
                words::contents(names(), reader)
            } else {
                format!(
                    "{}（{}）",
                    words::contents(names(), reader),
                    about.join("・")
                )
            },
            files: files.len(),
            when: jst(parcel.received),
            state_ja: received_state_ja(parcel.state),
        }
    }
}

#[derive(Template)]
#[template(path = "console/inbox.html")]
struct Inbox {
    frame: Frame,
    month: Month,
    rows: Vec<ReceivedRow>,
    status: ReceivingStatus,
    /// What the 受信 button just did, in a sentence.
    took: Option<String>,
    last_look: Option<String>,
}

pub async fn inbox(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let month = chosen_month(&console, query.month.as_deref())?;
    let received = received_of_month(&console, month)?;
    let partners = Partners::of(&console)?;
    let reader = words::reader(&console);
    let status = console.receiving.borrow().clone();
    html(Inbox {
        frame: Frame::new(
            &console,
            &staff,
            "inbox",
            format!("受信箱 {}", month.service_label()),
        ),
        month,
        rows: {
            let people = console.office.ledger.people_names()?;
            received
                .iter()
                .map(|p| {
                    let mut files: Vec<String> =
                        p.files.iter().chain(&p.attachments).cloned().collect();
                    // Taken in before the ledger kept attachments' names: a parcel of
                    // attachments alone names them from its own copy.
                    if files.is_empty() {
                        files = console
                            .received_files(&p.parcel_id)
                            .map(|f| f.iter().map(|f| f.name.clone()).collect())
                            .unwrap_or_default();
                    }
                    ReceivedRow::new(p, &files, &partners, reader, &people)
                })
                .collect()
        },
        took: query
            .took
            .as_deref()
            .map(|took| took_sentence(took, &status)),
        last_look: status.last_look.map(jst),
        status,
    })
}

/// What the 受信 button did, as the page says it.
fn took_sentence(took: &str, status: &ReceivingStatus) -> String {
    match took {
        "another" => "ほかの受信（renkei office sync など）が進行中です。届いたものはその受信が取り込み、この一覧に出ます。".into(),
        "fault" => format!(
            "中継サーバーから受信できませんでした。ネットワークを確かめ、少し待ってからもう一度押してください。（{}）",
            status.problem.as_deref().unwrap_or("理由不明")
        ),
        "0" => "新しく届いたものはありません。".into(),
        n => format!("{n} 件を受信しました。"),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReceiveForm {
    month: Option<String>,
}

/// The 受信 button: take in what waits at the relay now, and come back to the inbox.
pub async fn receive(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    axum::Form(form): axum::Form<ReceiveForm>,
) -> PageResult {
    let took = match receiver::receive_now(&console).await {
        Ok(Round::Received(report)) => (report.received.len() + report.failed.len()).to_string(),
        Ok(Round::AnotherReceives) => "another".to_owned(),
        Err(error) => {
            tracing::warn!("console: the 受信 button could not receive: {error}");
            "fault".to_owned()
        }
    };
    let month = chosen_month(&console, form.month.as_deref())?;
    Ok(
        axum::response::Redirect::to(&format!("/inbox?month={}&took={took}", month.code()))
            .into_response(),
    )
}

/// A file of a parcel with what the page says of it.
#[derive(Debug)]
struct FileRow {
    name: String,
    kind: String,
    size: String,
    sha256: String,
}

/// A person in a parcel, linking to their forms.
#[derive(Debug)]
struct PersonRow {
    key: String,
    name: String,
    insured: String,
    contents: String,
}

#[derive(Template)]
#[template(path = "console/parcel.html")]
struct ParcelPage {
    frame: Frame,
    id: String,
    received: bool,
    partner: String,
    when: String,
    state_ja: String,
    log_index: Option<i64>,
    files: Vec<FileRow>,
    missing: usize,
    people: Vec<PersonRow>,
    receipts: Vec<super::files::KeptReceipt>,
    /// What the recipient signed when it could not take the parcel in.
    returned: Option<returned::Returned>,
    /// The findings of that report, each naming whose data it is.
    findings: Vec<FindingView>,
}

pub async fn show(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path(id): Path<String>,
) -> PageResult {
    let ledger = &console.office.ledger;
    let partners = Partners::of(&console)?;
    let reader = words::reader(&console);
    let (page, files) = if let Some(parcel) = ledger.received_parcel(&id)? {
        let files = console.received_files(&parcel.parcel_id)?;
        (
            ParcelPage {
                frame: Frame::new(&console, &staff, "inbox", "受信の詳細"),
                id: parcel.parcel_id.clone(),
                received: true,
                partner: partners.label(&parcel.sender),
                when: jst(parcel.received),
                state_ja: received_state_ja(parcel.state).to_owned(),
                log_index: Some(parcel.log_index),
                files: Vec::new(),
                missing: 0,
                people: Vec::new(),
                receipts: console.receipts(&parcel.parcel_id),
                returned: None,
                findings: Vec::new(),
            },
            files.as_ref().clone(),
        )
    } else if let Some(parcel) = ledger.sent_parcel(&id)? {
        let files = console.sent_files(&parcel);
        let relay = relay_states(&console).await;
        let row = SentRow::new(&parcel, &relay, &partners, reader);
        (
            ParcelPage {
                frame: Frame::new(&console, &staff, "outbox", "送信の詳細"),
                id: parcel.id().to_owned(),
                received: false,
                partner: row.recipient.clone(),
                when: row.when,
                state_ja: row.state_ja,
                log_index: parcel.log_index,
                files: Vec::new(),
                missing: parcel.files.len() - files.len(),
                people: Vec::new(),
                receipts: console.receipts(parcel.id()),
                returned: returned::kept(&console.office, parcel.id()).map(|mut heard| {
                    heard.reason = renkei_spec::glossary::in_japanese(&heard.reason).to_owned();
                    heard
                }),
                findings: Vec::new(),
            },
            files,
        )
    } else {
        return Err(PageError::not_found("送信"));
    };
    let people = console
        .people_in(&page.id)?
        .iter()
        .map(|p| PersonRow {
            key: p.key.clone(),
            name: p.name.clone(),
            insured: p.insured.clone(),
            contents: p.contents.clone(),
        })
        .collect();
    let findings = match &page.returned {
        Some(heard) if !heard.findings.is_empty() => {
            let known = Known::of(&console);
            let whose = Whose::of(&known, &people::sources(&files));
            heard
                .findings
                .iter()
                .map(|f| FindingView::of_kept(f, &whose, reader))
                .collect()
        }
        _ => Vec::new(),
    };
    let files = files
        .iter()
        .map(|f| FileRow {
            kind: words::contents([f.name.as_str()], reader),
            name: f.name.clone(),
            size: words::size(f.bytes.len() as u64),
            sha256: renkei_seal::sha256_hex(&f.bytes),
        })
        .collect();
    html(ParcelPage {
        files,
        people,
        findings,
        ..page
    })
}

/// The bytes of one file of a parcel, as it was exchanged (MS932, untouched).
pub async fn download(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
    Path((id, name)): Path<(String, String)>,
) -> Result<axum::response::Response, PageError> {
    let files = console
        .parcel_files(&id)?
        .ok_or_else(|| PageError::not_found("送信"))?
        .files;
    let file = files
        .into_iter()
        .find(|f| f.name == name)
        .ok_or_else(|| PageError::not_found("ファイル"))?;
    let kind = if name.to_ascii_uppercase().ends_with(".CSV") {
        "text/csv; charset=Shift_JIS"
    } else {
        "application/octet-stream"
    };
    Ok(super::page::attachment(&name, kind, file.bytes))
}

#[derive(Debug)]
struct RefusalRow {
    key: String,
    when: String,
    reason: String,
    files: usize,
    errors: usize,
}

#[derive(Template)]
#[template(path = "console/refusals.html")]
struct Refusals {
    frame: Frame,
    month: Month,
    rows: Vec<RefusalRow>,
}

pub async fn refusals(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let month = Month::chosen(query.month.as_deref());
    let rows = console
        .office
        .ledger
        .refusals(month.start(), 5000)?
        .into_iter()
        .filter(|(_, r)| r.time < month.end())
        .map(|(key, r)| RefusalRow {
            key,
            when: jst(r.time),
            errors: r.errors(),
            files: r.files.len(),
            reason: renkei_spec::glossary::in_japanese(&r.reason_ja).to_owned(),
        })
        .collect();
    html(Refusals {
        frame: Frame::new(
            &console,
            &staff,
            "refusals",
            format!("送れなかったもの・取込不可 {}", month.label()),
        ),
        month,
        rows,
    })
}

#[derive(Template)]
#[template(path = "console/refusal.html")]
struct RefusalPage {
    frame: Frame,
    when: String,
    /// The partners by name.
    recipient: Option<String>,
    sender: Option<String>,
    refusal: RefusalRecord,
    /// Why, in Japanese only.
    reason: String,
    findings: Vec<FindingView>,
}

pub async fn refusal(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path(key): Path<String>,
) -> PageResult {
    let refusal = console
        .office
        .ledger
        .refusal(&key)?
        .ok_or_else(|| PageError::not_found("記録"))?;
    let partners = Partners::of(&console)?;
    // A parcel received and not taken in is still in the ledger, with its 補足's names; a
    // unit refused before sending is not kept, and its people are named from the ledger.
    let kept = match &refusal.parcel_id {
        Some(id) => console.received_files(id).ok(),
        None => None,
    };
    let known = Known::of(&console);
    let whose = match &kept {
        Some(files) => Whose::of(&known, &people::sources(files)),
        None => Whose::of(&known, &[]),
    };
    let reader = words::reader(&console);
    let findings = refusal
        .findings
        .iter()
        .map(|f| FindingView::of_kept(f, &whose, reader))
        .collect();
    html(RefusalPage {
        reason: renkei_spec::glossary::in_japanese(&refusal.reason_ja).to_owned(),
        findings,
        frame: Frame::new(
            &console,
            &staff,
            "refusals",
            if refusal.received_from.is_some() {
                "取り込めなかった理由"
            } else {
                "送れなかった理由"
            },
        ),
        when: jst(refusal.time),
        recipient: refusal.recipient.as_deref().map(|n| partners.label(n)),
        sender: refusal.received_from.as_deref().map(|n| partners.label(n)),
        refusal,
    })
}
