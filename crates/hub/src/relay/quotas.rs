//! What one sending office may send: parcels and bytes per hour, and bytes held
//! undelivered at once ([`super::Quota`]). Counted in this process: with several relay
//! processes, each counts what passes through it.

use std::collections::HashMap;
use std::sync::Mutex;

use super::Quota;
use crate::store::{Backend, ParcelStore};
use crate::{Error, Result};

/// Seconds an undelivered total read from the store is used before it is read again; what
/// was accepted since is added to it meanwhile.
const UNDELIVERED_FOR: i64 = 30;

#[derive(Debug, Default)]
struct Sender {
    hour: i64,
    parcels: u64,
    bytes: u64,
    /// The store's undelivered total, when it was read, and what was accepted since.
    undelivered: u64,
    undelivered_read: Option<i64>,
    accepted_since: u64,
}

impl Sender {
    /// Start counting a new hour when `time` is in one.
    fn count_in_hour_of(&mut self, time: i64) {
        if self.hour != time / 3600 {
            self.hour = time / 3600;
            self.parcels = 0;
            self.bytes = 0;
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Quotas {
    senders: Mutex<HashMap<String, Sender>>,
}

impl Quotas {
    /// Refuse a parcel of `size` bytes from `office` that would take it over `quota`.
    pub(crate) async fn check(
        &self,
        store: &Backend,
        quota: &Quota,
        office: &str,
        size: u64,
        time: i64,
    ) -> Result<()> {
        let stale = {
            let senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
            senders
                .get(office)
                .and_then(|s| s.undelivered_read)
                .is_none_or(|read| read + UNDELIVERED_FOR <= time)
        };
        if stale {
            let undelivered = store.undelivered_bytes(office).await?;
            let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
            let sender = senders.entry(office.to_owned()).or_default();
            sender.undelivered = undelivered;
            sender.undelivered_read = Some(time);
            sender.accepted_since = 0;
        }
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        let sender = senders.entry(office.to_owned()).or_default();
        sender.count_in_hour_of(time);
        let over = |what: &str, what_en: &str, limit: u64| Error::QuotaExceeded {
            office: office.to_owned(),
            what: format!("{what}の上限{limit}"),
            what_en: format!("{what_en} limit {limit}"),
        };
        if sender.parcels + 1 > quota.parcels_per_hour {
            return Err(over(
                "1時間の小包数",
                "parcels per hour",
                quota.parcels_per_hour,
            ));
        }
        if sender.bytes + size > quota.bytes_per_hour {
            return Err(over(
                "1時間のバイト数",
                "bytes per hour",
                quota.bytes_per_hour,
            ));
        }
        if sender.undelivered + sender.accepted_since + size > quota.undelivered_bytes {
            return Err(over(
                "未受信のまま預けているバイト数",
                "bytes held undelivered",
                quota.undelivered_bytes,
            ));
        }
        Ok(())
    }

    /// Count a parcel accepted from `office`.
    pub(crate) fn count(&self, office: &str, size: u64, time: i64) {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        let sender = senders.entry(office.to_owned()).or_default();
        sender.count_in_hour_of(time);
        sender.parcels += 1;
        sender.bytes += size;
        sender.accepted_since += size;
    }
}
