//! New arrivals told to the open pages as they happen (server-sent events), so a clerk sees
//! a partner's files without reloading: every page's tab title shows how many arrived since
//! the clerk last looked at the inbox, a notice links to it, and the inbox and the dashboard
//! update themselves (`console.js`).
//!
//! The count is the ledger's, so parcels that a sync in another process took in are told
//! too: the stream looks when the console's own receiving takes something in, and every few
//! seconds besides.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;

use super::Console;
use super::session::Signed;

/// How often the ledger is looked at besides the console's own receiving.
const LOOK_EVERY: Duration = Duration::from_secs(5);

/// What the stream carries between events: the console, its receiving's news, and the count
/// last told (none yet).
struct Watching {
    console: Arc<Console>,
    receiving: tokio::sync::watch::Receiver<super::receiver::ReceivingStatus>,
    told: Option<u64>,
}

pub async fn events(
    State(console): State<Arc<Console>>,
    Signed(_): Signed,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    let watching = Watching {
        receiving: console.receiving.subscribe(),
        console,
        told: None,
    };
    let stream = futures_util::stream::unfold(watching, |mut watching| async move {
        loop {
            if watching.told.is_some() {
                // Woken by the console's receiving, or by the clock for a sync elsewhere.
                match tokio::time::timeout(LOOK_EVERY, watching.receiving.changed()).await {
                    Ok(Ok(())) | Err(_) => {}
                    // The console is stopping: the clock alone, until the stream is dropped.
                    Ok(Err(_)) => tokio::time::sleep(LOOK_EVERY).await,
                }
            }
            let count = watching.console.office.ledger.received_count().unwrap_or(0);
            if watching.told != Some(count) {
                watching.told = Some(count);
                let event = Event::default()
                    .event("arrivals")
                    .data(format!("{{\"received\":{count}}}"));
                return Some((Ok(event), watching));
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
