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
use super::session::Signed;
use super::time::{Month, jst};
use renkei_office::ledger::{
    IncomingState, OutgoingState, ReceivedParcel, RefusalRecord, SentParcel,
};
use renkei_office::returned;

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
    pub recipient: String,
    pub files: usize,
    pub bytes: u64,
    pub time: i64,
    pub when: String,
    /// The relay's state (`accepted`, `downloaded`, `acknowledged`, `not_delivered`,
    /// `purged`), or ours while the relay has not answered.
    pub relay_state: String,
    pub state_ja: String,
}

impl SentRow {
    pub fn new(parcel: &SentParcel, relay: &RelayStates) -> Self {
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
        Self {
            id: parcel.id().to_owned(),
            recipient: parcel.recipient.clone(),
            files: parcel.files.len(),
            bytes: parcel.bytes(),
            time: parcel.time(),
            when: jst(parcel.time()),
            relay_state,
            state_ja,
        }
    }
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
}

#[derive(Template)]
#[template(path = "console/outbox.html")]
struct Outbox {
    frame: Frame,
    month: Month,
    relay: RelayStates,
    rows: Vec<SentRow>,
}

pub async fn outbox(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let month = Month::chosen(query.month.as_deref());
    let sent = console
        .office
        .ledger
        .sent_parcels(month.start(), month.end(), 5000)?;
    let relay = relay_states(&console).await;
    let rows = sent.iter().map(|p| SentRow::new(p, &relay)).collect();
    html(Outbox {
        frame: Frame::new(
            &console,
            &staff,
            "outbox",
            format!("送信箱 {}", month.label()),
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
    files: usize,
    when: String,
    state_ja: &'static str,
}

impl From<&ReceivedParcel> for ReceivedRow {
    fn from(parcel: &ReceivedParcel) -> Self {
        Self {
            id: parcel.parcel_id.clone(),
            sender: parcel.sender.clone(),
            files: parcel.files.len(),
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
}

pub async fn inbox(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<ListQuery>,
) -> PageResult {
    let month = Month::chosen(query.month.as_deref());
    let received = console
        .office
        .ledger
        .received_parcels(month.start(), month.end(), 5000)?;
    html(Inbox {
        frame: Frame::new(
            &console,
            &staff,
            "inbox",
            format!("受信箱 {}", month.label()),
        ),
        month,
        rows: received.iter().map(ReceivedRow::from).collect(),
    })
}

/// A file of a parcel with what the page says of it.
#[derive(Debug)]
struct FileRow {
    name: String,
    kind: String,
    size: usize,
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
}

pub async fn show(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path(id): Path<String>,
) -> PageResult {
    let ledger = &console.office.ledger;
    let (page, files) = if let Some(parcel) = ledger.received_parcel(&id)? {
        let files = console.received_files(&parcel.parcel_id)?;
        (
            ParcelPage {
                frame: Frame::new(&console, &staff, "inbox", "受信した小包"),
                id: parcel.parcel_id.clone(),
                received: true,
                partner: parcel.sender.clone(),
                when: jst(parcel.received),
                state_ja: received_state_ja(parcel.state).to_owned(),
                log_index: Some(parcel.log_index),
                files: Vec::new(),
                missing: 0,
                people: Vec::new(),
                receipts: console.receipts(&parcel.parcel_id),
                returned: None,
            },
            files.as_ref().clone(),
        )
    } else if let Some(parcel) = ledger.sent_parcel(&id)? {
        let files = console.sent_files(&parcel);
        let relay = relay_states(&console).await;
        let row = SentRow::new(&parcel, &relay);
        (
            ParcelPage {
                frame: Frame::new(&console, &staff, "outbox", "送信した小包"),
                id: parcel.id().to_owned(),
                received: false,
                partner: parcel.recipient.clone(),
                when: row.when,
                state_ja: row.state_ja,
                log_index: parcel.log_index,
                files: Vec::new(),
                missing: parcel.files.len() - files.len(),
                people: Vec::new(),
                receipts: console.receipts(parcel.id()),
                returned: returned::kept(&console.office, parcel.id()),
            },
            files,
        )
    } else {
        return Err(PageError::not_found("小包"));
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
    let files = files
        .iter()
        .map(|f| FileRow {
            kind: renkei_spec::FileName::parse(&f.name)
                .map(|n| n.kind.name_ja().to_owned())
                .unwrap_or_else(|_| "添付ファイル".into()),
            name: f.name.clone(),
            size: f.bytes.len(),
            sha256: renkei_seal::sha256_hex(&f.bytes),
        })
        .collect();
    html(ParcelPage {
        files,
        people,
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
        .ok_or_else(|| PageError::not_found("小包"))?
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
            reason: r.reason_ja,
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
    refusal: RefusalRecord,
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
    html(RefusalPage {
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
        refusal,
    })
}
