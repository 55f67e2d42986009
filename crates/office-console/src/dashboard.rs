//! ホーム: a service month (サービス提供月) at a glance — what waits to be sent, what was sent and received, what
//! the recipients took in, what was refused and what is about to expire unread.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use serde::Deserialize;

use super::Console;
use super::page::{Frame, PageResult, html};
use super::parcels::{
    RelayStates, SentRow, chosen_month, received_of_month, relay_states, sent_of_month,
};
use super::session::Signed;
use super::time::Month;
use super::words::{self, Partners};
use renkei_office::ledger::IncomingState;

/// A parcel unread this long is shown as about to expire (the relay gives up at 7 days).
const EXPIRING_AFTER: i64 = 3 * 24 * 3600;

#[derive(Debug, Default)]
struct Counts {
    waiting_files: usize,
    waiting_units: usize,
    sent_parcels: usize,
    sent_files: usize,
    delivered: usize,
    imported: usize,
    received_parcels: usize,
    received_files: usize,
    received_placed: usize,
    refused: usize,
    expiring: usize,
    expired: usize,
}

#[derive(Template)]
#[template(path = "console/dashboard.html")]
struct Dashboard {
    frame: Frame,
    month: Month,
    counts: Counts,
    relay: RelayStates,
    expiring: Vec<SentRow>,
    recent: Vec<RecentLine>,
}

/// One line of 最近の送受信.
#[derive(Debug)]
struct RecentLine {
    when: String,
    sent: bool,
    partner: String,
    files: usize,
    parcel_id: String,
}

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

pub async fn show(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<MonthQuery>,
) -> PageResult {
    let now = renkei_seal::unix_now();
    let month = chosen_month(&console, query.month.as_deref())?;
    let ledger = &console.office.ledger;
    let mut counts = Counts::default();

    let waiting = waiting_in_export(&console.folders.export);
    counts.waiting_files = waiting.0;
    counts.waiting_units = waiting.1;

    let sent = sent_of_month(&console, month)?;
    let relay = relay_states(&console).await;
    let partners = Partners::of(&console)?;
    let reader = words::reader(&console);
    counts.sent_parcels = sent.len();
    counts.sent_files = sent.iter().map(|p| p.files.len()).sum();
    let rows: Vec<SentRow> = sent
        .iter()
        .map(|p| SentRow::new(p, &relay, &partners, reader))
        .collect();
    for row in &rows {
        match row.relay_state.as_str() {
            "downloaded" => counts.delivered += 1,
            "acknowledged" => counts.imported += 1,
            "not_delivered" | "purged" => counts.expired += 1,
            _ => {}
        }
    }
    let expiring: Vec<SentRow> = rows
        .into_iter()
        .filter(|r| r.relay_state == "accepted" && now - r.time >= EXPIRING_AFTER)
        .collect();
    counts.expiring = expiring.len();

    let received = received_of_month(&console, month)?;
    counts.received_parcels = received.len();
    counts.received_files = received.iter().map(|p| p.files.len()).sum();
    counts.received_placed = received
        .iter()
        .filter(|p| matches!(p.state, IncomingState::Placed | IncomingState::Acknowledged))
        .count();
    counts.refused = ledger.refusals(month.start(), 10_000)?.len();

    html(Dashboard {
        frame: Frame::new(
            &console,
            &staff,
            "home",
            format!("{}の状況", month.service_label()),
        ),
        month,
        counts,
        relay,
        expiring,
        recent: ledger
            .history(10)?
            .into_iter()
            .map(|line| RecentLine {
                when: crate::time::jst(line.time),
                sent: line.direction == "sent",
                partner: partners.label(&line.partner),
                files: line.files,
                parcel_id: line.parcel_id,
            })
            .collect(),
    })
}

/// Files in the export folder and the send units they make.
fn waiting_in_export(export: &std::path::Path) -> (usize, usize) {
    let Ok(entries) = std::fs::read_dir(export) else {
        return (0, 0);
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    let grouped = renkei_spec::unit::group(names.iter(), |n| n.as_str());
    (names.len(), grouped.units.len() + grouped.unnamed.len())
}
