//! Sign-in attempts, counted before the password is checked.
//!
//! An attempt takes a slot first: while a password is being hashed it counts as a failure
//! already, so fifty wrong passwords sent at once get at most [`Limits::per_account`]
//! answers of "wrong password" and the rest "locked". Attempts are counted by the account
//! name as typed, whether or not such an account exists, so a lock tells nothing about
//! which accounts exist; and by the account *and the client's address*, so that one office
//! (or one stranger) cannot lock a person out from elsewhere. An address that fails on many
//! accounts is held back on all of them, and a password is hashed only by a few threads at
//! once, so failed sign-ins cannot exhaust memory or the blocking pool.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;

/// How many failures lock what, and for how long.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Failures in a row on one account from one address before it is locked there.
    pub per_account: u32,
    /// Failures from one address, on any accounts, before that address is held back.
    pub per_address: u32,
    /// Failures on one account from all addresses before it is locked for everyone: the
    /// last guard against guessing spread over many addresses.
    pub per_account_everywhere: u32,
    /// Seconds a lock lasts, and a failure is remembered.
    pub lock_seconds: i64,
    /// Passwords hashed at once (each Argon2id hash takes 19 MiB and a thread).
    pub hashing: usize,
    /// Attempts waiting for a hash slot before more are turned away as busy.
    pub waiting: usize,
    /// Counters kept at most; expired ones are dropped first.
    pub counters: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 30,
            per_account_everywhere: 100,
            lock_seconds: 15 * 60,
            hashing: 2,
            waiting: 64,
            counters: 100_000,
        }
    }
}

/// Why an attempt is not even tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    /// Too many failures: try again after this time (Unix seconds).
    Locked { until: i64 },
    /// Too many sign-ins at once: try again in a moment.
    Busy,
}

#[derive(Clone, Copy, Debug, Default)]
struct Counter {
    failures: u32,
    in_flight: u32,
    last_failure: i64,
    locked_until: i64,
}

impl Counter {
    fn expire(&mut self, now: i64, lock_seconds: i64) {
        if self.locked_until <= now && self.last_failure + lock_seconds <= now {
            self.failures = 0;
        }
    }

    fn is_idle(&self, now: i64, lock_seconds: i64) -> bool {
        self.in_flight == 0 && self.locked_until <= now && self.last_failure + lock_seconds <= now
    }
}

#[derive(Debug, Default)]
struct Counters {
    /// By account and address.
    pairs: HashMap<(String, IpAddr), Counter>,
    /// By address, any account.
    addresses: HashMap<IpAddr, Counter>,
    /// By account, any address.
    accounts: HashMap<String, Counter>,
}

/// The sign-in guard of one surface (operators, information-base pages, office console).
#[derive(Debug)]
pub struct Guard {
    limits: Limits,
    counters: Mutex<Counters>,
    hashing: Arc<Semaphore>,
    waiting: std::sync::atomic::AtomicUsize,
}

impl Default for Guard {
    fn default() -> Self {
        Self::new(Limits::default())
    }
}

/// A slot taken by [`Guard::begin`]; [`Guard::finish`] gives it back with the outcome.
/// Dropped without finishing (the request was abandoned) it counts as a failure.
#[derive(Debug)]
#[must_use]
pub struct Attempt<'a> {
    guard: &'a Guard,
    account: String,
    address: IpAddr,
    open: bool,
}

impl Guard {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            counters: Mutex::default(),
            hashing: Arc::new(Semaphore::new(limits.hashing.max(1))),
            waiting: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Take a slot for a sign-in to `account` from `address`, or say why not.
    pub fn begin(&self, account: &str, address: IpAddr, now: i64) -> Result<Attempt<'_>, Held> {
        let limits = self.limits;
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        let size = counters.pairs.len() + counters.addresses.len() + counters.accounts.len();
        if size >= limits.counters {
            let idle = |c: &Counter| c.is_idle(now, limits.lock_seconds);
            counters.pairs.retain(|_, c| !idle(c));
            counters.addresses.retain(|_, c| !idle(c));
            counters.accounts.retain(|_, c| !idle(c));
            let size = counters.pairs.len() + counters.addresses.len() + counters.accounts.len();
            if size >= limits.counters {
                return Err(Held::Busy);
            }
        }
        let Counters {
            pairs,
            addresses,
            accounts,
        } = &mut *counters;
        let checks: [(&mut Counter, u32); 3] = [
            (
                pairs.entry((account.to_owned(), address)).or_default(),
                limits.per_account,
            ),
            (addresses.entry(address).or_default(), limits.per_address),
            (
                accounts.entry(account.to_owned()).or_default(),
                limits.per_account_everywhere,
            ),
        ];
        let mut locked_until = 0;
        let mut counted = Vec::with_capacity(3);
        for (counter, limit) in checks {
            counter.expire(now, limits.lock_seconds);
            if counter.locked_until > now {
                locked_until = locked_until.max(counter.locked_until);
            } else if counter.failures + counter.in_flight >= limit {
                // The slots are taken by attempts under way: this one would be past them.
                locked_until = locked_until.max(now + limits.lock_seconds);
            }
            counted.push(counter);
        }
        if locked_until > now {
            return Err(Held::Locked {
                until: locked_until,
            });
        }
        for counter in counted {
            counter.in_flight += 1;
        }
        Ok(Attempt {
            guard: self,
            account: account.to_owned(),
            address,
            open: true,
        })
    }

    /// Give `attempt`'s slot back: a success clears the account's failures from that
    /// address; a failure counts, and locks what reached its limit.
    pub fn finish(&self, mut attempt: Attempt<'_>, succeeded: bool, now: i64) {
        attempt.open = false;
        self.settle(&attempt.account, attempt.address, succeeded, now);
    }

    fn settle(&self, account: &str, address: IpAddr, succeeded: bool, now: i64) {
        let limits = self.limits;
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        let Counters {
            pairs,
            addresses,
            accounts,
        } = &mut *counters;
        let key = (account.to_owned(), address);
        let all: [(Option<&mut Counter>, u32); 3] = [
            (pairs.get_mut(&key), limits.per_account),
            (addresses.get_mut(&address), limits.per_address),
            (accounts.get_mut(account), limits.per_account_everywhere),
        ];
        for (index, (counter, limit)) in all.into_iter().enumerate() {
            let Some(counter) = counter else { continue };
            counter.in_flight = counter.in_flight.saturating_sub(1);
            if succeeded {
                // The address keeps what it failed on other accounts.
                if index != 1 {
                    counter.failures = 0;
                }
            } else {
                counter.failures += 1;
                counter.last_failure = now;
                if counter.failures >= limit {
                    counter.locked_until = now + limits.lock_seconds;
                }
            }
        }
        if !succeeded {
            tracing::warn!(%address, "sign-in failed");
        }
    }

    /// Forget the failures of `account` everywhere: an administrator's reset, a new
    /// activation code.
    pub fn unlock(&self, account: &str) {
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        counters
            .pairs
            .retain(|(name, _), c| name != account || c.in_flight > 0);
        counters.accounts.remove(account);
    }

    /// Whether `password` is the one `stored` was made from, hashed by at most
    /// [`Limits::hashing`] threads at once. For an unknown account (`None`) a hash is made
    /// anyway, so the answer takes as long. `Err(Busy)` when too many wait already.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, Held> {
        use std::sync::atomic::Ordering;
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.limits.waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(Held::Busy);
        }
        let permit = Arc::clone(&self.hashing).acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::AcqRel);
        let Ok(permit) = permit else {
            return Err(Held::Busy);
        };
        // A password longer than anyone types is not hashed: it is wrong, in the same time.
        let password: String = password.chars().take(1024).collect();
        let stored = stored.map(str::to_owned);
        let matched = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            match stored {
                Some(stored) => renkei_seal::password::matches(&password, &stored),
                None => {
                    let _ = renkei_seal::password::hash(&password);
                    false
                }
            }
        })
        .await
        .unwrap_or(false);
        Ok(matched)
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if self.open {
            self.guard
                .settle(&self.account, self.address, false, renkei_seal::unix_now());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const AWAY: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

    #[test]
    fn attempts_under_way_count_before_their_answer() {
        let guard = Guard::default();
        let taken: Vec<_> = (0..50).map(|_| guard.begin("admin", HOME, 0)).collect();
        assert_eq!(taken.iter().filter(|a| a.is_ok()).count(), 5);
        assert!(
            taken
                .iter()
                .filter_map(|a| a.as_ref().err())
                .all(|held| matches!(held, Held::Locked { .. }))
        );
        for attempt in taken.into_iter().flatten() {
            guard.finish(attempt, false, 1);
        }
        assert_eq!(
            guard.begin("admin", HOME, 2).unwrap_err(),
            Held::Locked { until: 1 + 900 }
        );
        // Locked until then, and open again after.
        assert!(guard.begin("admin", HOME, 900).is_err());
        let again = guard.begin("admin", HOME, 901).unwrap();
        guard.finish(again, true, 901);
    }

    #[test]
    fn a_lock_at_one_address_leaves_the_account_open_elsewhere_and_unknown_names_alike() {
        let guard = Guard::default();
        for name in ["person:131045:0000012345", "no-such-account"] {
            for _ in 0..5 {
                let attempt = guard.begin(name, AWAY, 10).unwrap();
                guard.finish(attempt, false, 10);
            }
            assert!(matches!(
                guard.begin(name, AWAY, 11),
                Err(Held::Locked { .. })
            ));
            let home = guard.begin(name, HOME, 11).unwrap();
            guard.finish(home, true, 11);
        }
    }

    #[test]
    fn an_address_failing_on_many_accounts_is_held_back_on_all() {
        let guard = Guard::default();
        for i in 0..30 {
            let attempt = guard.begin(&format!("name-{i}"), AWAY, 0).unwrap();
            guard.finish(attempt, false, 0);
        }
        assert!(guard.begin("someone-new", AWAY, 1).is_err());
        guard.finish(guard.begin("someone-new", HOME, 1).unwrap(), true, 1);
    }

    #[test]
    fn success_clears_the_account_and_an_abandoned_attempt_counts() {
        let guard = Guard::default();
        for _ in 0..4 {
            guard.finish(guard.begin("a", HOME, 0).unwrap(), false, 0);
        }
        guard.finish(guard.begin("a", HOME, 0).unwrap(), true, 0);
        for _ in 0..4 {
            guard.finish(guard.begin("a", HOME, 0).unwrap(), false, 0);
        }
        drop(guard.begin("a", HOME, 0).unwrap());
        assert!(
            guard.begin("a", HOME, 0).is_err(),
            "the dropped one was the fifth"
        );
        guard.unlock("a");
        assert!(guard.begin("a", HOME, 0).is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashing_is_bounded_and_an_unknown_account_is_hashed_too() {
        let guard = Arc::new(Guard::new(Limits {
            waiting: 3,
            ..Limits::default()
        }));
        let stored = renkei_seal::password::hash("a long password").unwrap();
        assert_eq!(
            guard.verify("a long password", Some(&stored)).await,
            Ok(true)
        );
        assert_eq!(guard.verify("a long password", None).await, Ok(false));
        let many: Vec<_> = (0..12)
            .map(|_| {
                let guard = Arc::clone(&guard);
                tokio::spawn(async move { guard.verify("x", None).await })
            })
            .collect();
        let mut busy = 0;
        for task in many {
            if task.await.unwrap() == Err(Held::Busy) {
                busy += 1;
            }
        }
        assert!(busy > 0, "more than the waiting limit were turned away");
    }
}
