//! Waking an office that waits on its inbox when a parcel for it commits.
//!
//! One bell per waiting office, so a send wakes only its recipient, not every waiter. A
//! waiter registers before it looks at its inbox, so a parcel committed between the look
//! and the wait still wakes it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

#[derive(Debug, Default)]
pub(crate) struct Doorbells {
    bells: Mutex<HashMap<String, Arc<Notify>>>,
}

/// A registered wait; dropping it forgets the bell when nobody else waits on it.
pub(crate) struct Waiter<'a> {
    doorbells: &'a Doorbells,
    office: String,
    bell: Arc<Notify>,
}

impl Doorbells {
    /// Register a wait for `office`, unless `limit` waits of it are under way already.
    pub(crate) fn register(&self, office: &str, limit: usize) -> Option<Waiter<'_>> {
        let mut bells = self.bells.lock().unwrap_or_else(|e| e.into_inner());
        let bell = bells.entry(office.to_owned()).or_default();
        // The map holds one reference; each waiter one more.
        if Arc::strong_count(bell) > limit {
            return None;
        }
        let bell = Arc::clone(bell);
        Some(Waiter {
            doorbells: self,
            office: office.to_owned(),
            bell,
        })
    }

    pub(crate) fn ring(&self, office: &str) {
        let bell = self
            .bells
            .lock()
            .ok()
            .and_then(|bells| bells.get(office).cloned());
        if let Some(bell) = bell {
            bell.notify_waiters();
            // A waiter between its inbox read and its wait keeps this permit.
            bell.notify_one();
        }
    }
}

impl Waiter<'_> {
    /// Wait until rung or `limit` has passed; true when rung.
    pub(crate) async fn wait(&self, limit: Duration) -> bool {
        tokio::time::timeout(limit, self.bell.notified())
            .await
            .is_ok()
    }
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        if let Ok(mut bells) = self.doorbells.bells.lock() {
            // Two references: the map's and ours. Then nobody else waits here.
            if Arc::strong_count(&self.bell) <= 2 {
                bells.remove(&self.office);
            }
        }
    }
}
