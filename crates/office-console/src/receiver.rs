//! The console receives by itself while it runs: a clerk who only opens the console (no
//! `renkei office sync` in the background) still sees what partners sent, and the inbox's
//! 受信 button asks the relay at once.
//!
//! Receiving is the office's one path (`renkei_office::receiving`), taken in turn with any
//! sync on the same PC, so a parcel is never placed twice. The turn is held only while
//! parcels are taken in; waiting at the relay for the next one is done without it, so a
//! sync is never kept waiting by the console.

use std::sync::Arc;
use std::time::Duration;

use renkei_office::receiving::{self, ReceiveReport};
use renkei_office::retry;
use renkei_spec::progress::Silent;

use super::Console;

/// How long one look waits at the relay for a new parcel (the relay answers at once when
/// one arrives).
const WAIT_AT_RELAY: Duration = Duration::from_secs(30);
/// How long to rest after the relay could not be reached, before asking again.
const AFTER_A_FAULT: Duration = Duration::from_secs(15);
/// How long to rest while another receiver (a sync) has the turn.
const WHILE_ANOTHER_RECEIVES: Duration = Duration::from_secs(5);

/// What the console's receiving last did, for the pages to say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceivingStatus {
    /// When the relay was last asked (Unix seconds).
    pub last_look: Option<i64>,
    /// Why the last look failed, in the error's words.
    pub problem: Option<String>,
    /// Parcels taken in by this console since it started.
    pub taken_in: u64,
}

/// What one round of receiving came to.
#[derive(Debug)]
pub enum Round {
    /// Taken in (maybe nothing).
    Received(ReceiveReport),
    /// Another receiver of this office had the turn; it takes them in.
    AnotherReceives,
}

/// Take in whatever waits at the relay now, and say so in the console's status.
pub async fn receive_now(console: &Console) -> renkei_office::Result<Round> {
    let result = receiving::try_receive(
        &console.office,
        &console.folders.import,
        Duration::ZERO,
        &Silent,
    )
    .await;
    let now = renkei_seal::unix_now();
    console.receiving.send_modify(|status| match &result {
        Ok(Some(report)) => {
            status.last_look = Some(now);
            status.problem = None;
            status.taken_in += (report.received.len() + report.failed.len()) as u64;
        }
        Ok(None) => {}
        Err(error) => {
            status.last_look = Some(now);
            status.problem = Some(error.to_string());
        }
    });
    Ok(match result? {
        Some(report) => Round::Received(report),
        None => Round::AnotherReceives,
    })
}

/// Receive until the task is dropped: take in what waits, then wait at the relay for more.
pub async fn run(console: Arc<Console>) {
    // The last inbox place seen: the relay's waiting look answers only for newer parcels
    // (parcels held for the care software stay in the inbox and would answer at once).
    let mut after = None;
    loop {
        let rest = match receive_now(&console).await {
            Ok(Round::Received(_)) => None,
            Ok(Round::AnotherReceives) => Some(WHILE_ANOTHER_RECEIVES),
            Err(error) if retry::is_fault(&error) => Some(AFTER_A_FAULT),
            Err(error) => {
                tracing::warn!("console: receiving failed: {error}");
                Some(AFTER_A_FAULT)
            }
        };
        if let Some(rest) = rest {
            tokio::time::sleep(rest).await;
            continue;
        }
        match console.office.client.inbox(after, WAIT_AT_RELAY).await {
            Ok(items) => after = items.last().map(|i| i.parcel.log_index).or(after),
            Err(error) => {
                tracing::debug!("console: waiting at the relay failed: {error}");
                tokio::time::sleep(AFTER_A_FAULT).await;
            }
        }
    }
}
