//! One receiver at a time per office, across processes: `renkei office sync`, `renkei
//! office receive`, the console's own receiving and the local API may all run on one PC.
//! Two of them taking the same parcel in at once could both place its files, and the care
//! software would import them twice; so whoever receives holds an exclusive lock on
//! `receiving.lock` in the office folder for the while. The system drops the lock when the
//! process ends, however it ends, so a crash never leaves the office unable to receive.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::Duration;

use crate::{Error, Result};

const LOCK_FILE: &str = "receiving.lock";

/// How often a receiver that must wait looks again.
const LOOK_AGAIN: Duration = Duration::from_millis(250);

/// The turn to receive, held until dropped.
#[derive(Debug)]
pub struct Turn {
    _file: File,
}

fn open(dir: &Path) -> Result<File> {
    let path = dir.join(LOCK_FILE);
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::file(&path, e))
}

/// The turn if no other receiver has it, else `None`.
pub fn try_take(dir: &Path) -> Result<Option<Turn>> {
    let file = open(dir)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Turn { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(Error::file(&dir.join(LOCK_FILE), e)),
    }
}

/// The turn, once the receiver that has it lets it go.
pub async fn take(dir: &Path) -> Result<Turn> {
    loop {
        if let Some(turn) = try_take(dir)? {
            return Ok(turn);
        }
        tokio::time::sleep(LOOK_AGAIN).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_second_receiver_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = try_take(dir.path()).unwrap().expect("the turn is free");
        assert!(
            try_take(dir.path()).unwrap().is_none(),
            "one receiver at a time"
        );
        let waiting = tokio::spawn({
            let dir = dir.path().to_owned();
            async move { take(&dir).await.map(|_| ()) }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !waiting.is_finished(),
            "the second waits while the first receives"
        );
        drop(first);
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the second gets the turn once the first lets go")
            .unwrap()
            .unwrap();
        assert!(try_take(dir.path()).unwrap().is_some());
    }
}
