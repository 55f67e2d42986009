//! The relay's periodic work: tell senders of parcels nobody acknowledged in time, and
//! drop the bytes of parcels past retention. Both go through the log like any other step,
//! in batches so that sends are never held up for long.

use renkei_seal::receipt::Action;

use super::Relay;
use crate::Result;
use crate::store::{ParcelStore, State};

const BATCH: usize = 500;

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub not_delivered: usize,
    pub purged: usize,
}

impl Relay {
    /// Notices and purges due at `time`. Among hub processes sharing a database only one
    /// sweeps at a time; the others find nothing left to do and return empty.
    pub async fn sweep(&self, time: i64) -> Result<Swept> {
        let swept = self
            .store
            .exclusively("sweep", self.sweep_now(time))
            .await?;
        Ok(swept.unwrap_or_default())
    }

    async fn sweep_now(&self, time: i64) -> Result<Swept> {
        let not_delivered = self
            .advance_due(
                &[State::Accepted, State::Downloaded],
                time - self.config.not_delivered_after,
                Action::NotDelivered,
                time,
            )
            .await?;
        let purged = self
            .advance_due(
                &[
                    State::Accepted,
                    State::Downloaded,
                    State::Acknowledged,
                    State::NotDelivered,
                ],
                time - self.config.retention,
                Action::Purged,
                time,
            )
            .await?;
        if not_delivered + purged > 0 {
            tracing::info!(not_delivered, purged, "sweep");
        }
        Ok(Swept {
            not_delivered,
            purged,
        })
    }

    async fn advance_due(
        &self,
        states: &'static [State],
        before: i64,
        action: Action,
        time: i64,
    ) -> Result<usize> {
        let mut done = 0;
        loop {
            let due = self.store.due(states, before, BATCH).await?;
            let last_batch = due.len() < BATCH;
            for parcel in due {
                match self.store.advance(&parcel.id, action, None, time).await {
                    Ok(_) => done += 1,
                    // Acknowledged meanwhile: nothing to notice.
                    Err(crate::Error::WrongState { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            if last_batch {
                return Ok(done);
            }
        }
    }
}
