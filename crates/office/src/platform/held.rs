//! Files another program still has open. Care software writes its export files in place;
//! on Windows a file open for writing cannot be opened with a share mode that denies
//! writers, and a file open without FILE_SHARE_DELETE cannot be renamed, so the answer is an
//! error that means "later", not a fault. On Unix nothing is locked, so a file whose size
//! or time changed while it was read is taken as still being written.

use std::io;
use std::path::Path;
use std::time::Duration;

/// How long a file held by another program is waited for before it is left for the next
/// round (sending) or reported (renaming): a virus scanner's look takes well under this.
#[derive(Clone, Copy, Debug)]
pub struct Patience {
    pub tries: u32,
    pub pause: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Self {
            tries: 10,
            pause: Duration::from_millis(200),
        }
    }
}

#[cfg(windows)]
mod codes {
    /// ERROR_ACCESS_DENIED: a rename of a file open without FILE_SHARE_DELETE.
    pub const ACCESS_DENIED: i32 = 5;
    /// ERROR_SHARING_VIOLATION: open in a way our share mode excludes.
    pub const SHARING_VIOLATION: i32 = 32;
    /// ERROR_LOCK_VIOLATION: a byte range locked with LockFile.
    pub const LOCK_VIOLATION: i32 = 33;
    pub const HELD: [i32; 2] = [SHARING_VIOLATION, LOCK_VIOLATION];
    /// FILE_SHARE_READ: others may read while we read, nobody may write.
    pub const SHARE_READ: u32 = 1;
}

/// Whether `error` may mean another program holds the file: what [`is_held`] says, and on
/// Windows "access denied", which a rename of a file open without FILE_SHARE_DELETE gives
/// as much as a folder one may not write. Worth waiting for; not worth naming a program.
fn may_be_held(error: &io::Error) -> bool {
    #[cfg(windows)]
    if error.raw_os_error() == Some(codes::ACCESS_DENIED) {
        return true;
    }
    is_held(error)
}

/// Whether `error` says another program holds the file for now.
pub fn is_held(error: &io::Error) -> bool {
    #[cfg(windows)]
    if error
        .raw_os_error()
        .is_some_and(|code| codes::HELD.contains(&code))
    {
        return true;
    }
    error.kind() == io::ErrorKind::ResourceBusy
}

/// Run `operation` until it succeeds, fails for another reason, or `patience` runs out
/// while the file stays held.
pub fn retry_while_held<T>(
    patience: Patience,
    mut operation: impl FnMut() -> io::Result<T>,
) -> io::Result<T> {
    let mut tries = 1;
    loop {
        match operation() {
            Err(error) if may_be_held(&error) && tries < patience.tries => {
                tries += 1;
                std::thread::sleep(patience.pause);
            }
            result => return result,
        }
    }
}

/// Rename, waiting while another program holds either file.
pub fn rename(from: &Path, to: &Path, patience: Patience) -> io::Result<()> {
    retry_while_held(patience, || std::fs::rename(from, to))
}

/// The whole of `path` once no other program is writing it, or `None` when one still is
/// after `patience`: the caller leaves it for the next round.
pub fn read_when_written(path: &Path, patience: Patience) -> io::Result<Option<Vec<u8>>> {
    match retry_while_held(patience, || read_unless_written(path)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if is_held(&error) => Ok(None),
        Err(error) => Err(error),
    }
}

/// What shows a file changing: its size and its modification time.
fn stamp(metadata: &std::fs::Metadata) -> (u64, Option<std::time::SystemTime>) {
    (metadata.len(), metadata.modified().ok())
}

fn read_unless_written(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let before = stamp(&std::fs::metadata(path)?);
    let mut file = open_excluding_writers(path)?;
    let mut bytes = Vec::with_capacity(before.0 as usize);
    file.read_to_end(&mut bytes)?;
    let after = stamp(&file.metadata()?);
    if after != before || bytes.len() as u64 != after.0 {
        return Err(io::Error::from(io::ErrorKind::ResourceBusy));
    }
    Ok(bytes)
}

/// A file changed this recently may still be being written.
const FRESH: Duration = Duration::from_secs(1);
/// How long a fresh file is watched for a change.
const LOOK_AGAIN: Duration = Duration::from_millis(250);

/// Which of `paths` are still changing: where any was changed in the last second, all are
/// looked at again after one short pause, and those whose size or time moved are being
/// written. (Unix locks nothing, so this is how a writer shows there; on Windows the share
/// mode in [`read_when_written`] tells as well.) A folder at rest costs no pause.
pub fn still_changing(paths: &[std::path::PathBuf]) -> Vec<bool> {
    let stamp_of = |path: &std::path::PathBuf| std::fs::metadata(path).ok().map(|m| stamp(&m));
    let before: Vec<_> = paths.iter().map(stamp_of).collect();
    let fresh = before.iter().flatten().any(|(_, modified)| {
        modified
            .and_then(|m| m.elapsed().ok())
            .is_none_or(|age| age < FRESH)
    });
    if !fresh {
        return vec![false; paths.len()];
    }
    std::thread::sleep(LOOK_AGAIN);
    paths
        .iter()
        .zip(before)
        .map(|(path, before)| stamp_of(path) != before)
        .collect()
}

#[cfg(windows)]
fn open_excluding_writers(path: &Path) -> io::Result<std::fs::File> {
    use std::os::windows::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .share_mode(codes::SHARE_READ)
        .open(path)
}

#[cfg(not(windows))]
fn open_excluding_writers(path: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick() -> Patience {
        Patience {
            tries: 3,
            pause: Duration::from_millis(1),
        }
    }

    #[test]
    fn a_held_file_is_tried_again_and_other_errors_are_not() {
        let mut calls = 0;
        let result = retry_while_held(quick(), || {
            calls += 1;
            if calls < 3 {
                Err(io::Error::from(io::ErrorKind::ResourceBusy))
            } else {
                Ok(calls)
            }
        });
        assert_eq!(result.unwrap(), 3);
        let mut calls = 0;
        let result: io::Result<()> = retry_while_held(quick(), || {
            calls += 1;
            Err(io::Error::from(io::ErrorKind::NotFound))
        });
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::NotFound);
        assert_eq!(calls, 1);
        let mut calls = 0;
        let result: io::Result<()> = retry_while_held(quick(), || {
            calls += 1;
            Err(io::Error::from(io::ErrorKind::ResourceBusy))
        });
        assert!(is_held(&result.unwrap_err()));
        assert_eq!(calls, 3, "given up after the tries allowed");
    }

    #[test]
    fn a_file_growing_while_looked_at_is_still_changing() {
        let dir = tempfile::tempdir().unwrap();
        let growing = dir.path().join("growing.CSV");
        let resting = dir.path().join("resting.CSV");
        std::fs::write(&growing, b"1").unwrap();
        std::fs::write(&resting, b"1").unwrap();
        let writer = {
            let growing = growing.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let mut file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(growing)
                    .unwrap();
                for _ in 0..100 {
                    file.write_all(b" ").unwrap();
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        let changing = still_changing(&[growing, resting]);
        writer.join().unwrap();
        assert_eq!(changing, [true, false]);
    }

    #[test]
    fn a_file_left_alone_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("出力 フォルダ.CSV");
        std::fs::write(&path, "1,2,3\r\n").unwrap();
        let bytes = read_when_written(&path, quick()).unwrap();
        assert_eq!(bytes.as_deref(), Some(&b"1,2,3\r\n"[..]));
    }

    /// As the care software does on Windows: the file stays open for writing (no sharing
    /// of writes) while it is written. It is not read until the writer closes it.
    #[cfg(windows)]
    #[test]
    fn a_file_open_for_writing_by_another_program_is_waited_for() {
        use std::io::Write;
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("UPPLAN.CSV");
        let mut writer = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .share_mode(codes::SHARE_READ)
            .open(&path)
            .unwrap();
        writer.write_all(b"half").unwrap();
        assert_eq!(read_when_written(&path, quick()).unwrap(), None);
        let error = std::fs::OpenOptions::new()
            .read(true)
            .share_mode(codes::SHARE_READ)
            .open(&path)
            .unwrap_err();
        assert!(is_held(&error), "{error:?}");
        writer.write_all(b" and the rest").unwrap();
        drop(writer);
        assert_eq!(
            read_when_written(&path, quick()).unwrap().as_deref(),
            Some(&b"half and the rest"[..])
        );
    }

    /// A rename that fails while another program has the file open succeeds once it
    /// closes it, within the patience given.
    #[cfg(windows)]
    #[test]
    fn a_rename_blocked_by_another_program_is_retried() {
        use std::os::windows::fs::OpenOptionsExt;
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("UPPLAN.CSV");
        let to = dir.path().join("sent").join("UPPLAN.CSV");
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(&from, b"plan").unwrap();
        let holder = std::fs::OpenOptions::new()
            .read(true)
            .share_mode(codes::SHARE_READ)
            .open(&from)
            .unwrap();
        let error = std::fs::rename(&from, &to).unwrap_err();
        assert!(may_be_held(&error), "{error:?}");
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            drop(holder);
        });
        rename(
            &from,
            &to,
            Patience {
                tries: 50,
                pause: Duration::from_millis(50),
            },
        )
        .unwrap();
        release.join().unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), b"plan");
    }
}
