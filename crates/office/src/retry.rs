//! Retrying calls to the relay when it is unreachable or failing, with growing pauses. A
//! refusal (a 4xx with a code) is an answer, not a fault, and is never retried.

use std::future::Future;
use std::time::Duration;

use crate::{Error, Result};

#[derive(Clone, Debug)]
pub struct Retry {
    /// Tries in all, the first included.
    pub attempts: u32,
    pub first_pause: Duration,
    pub longest_pause: Duration,
}

impl Default for Retry {
    /// About half a minute of patience: a relay restarting comes back well within it.
    fn default() -> Self {
        Self {
            attempts: 8,
            first_pause: Duration::from_millis(250),
            longest_pause: Duration::from_secs(8),
        }
    }
}

impl Retry {
    /// No second try: for tests and for callers that retry themselves.
    pub fn never() -> Self {
        Self {
            attempts: 1,
            ..Self::default()
        }
    }

    pub async fn run<T, F, Fut>(&self, mut call: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let mut pause = self.first_pause;
        let mut attempt = 1;
        loop {
            match call().await {
                Err(error) if attempt < self.attempts && is_fault(&error) => {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(self.longest_pause);
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }
}

/// Worth another try: the relay could not be reached, or failed on its side.
pub fn is_fault(error: &Error) -> bool {
    match error {
        Error::Unreachable { .. } => true,
        Error::Refused { status, .. } => *status >= 500,
        _ => false,
    }
}
