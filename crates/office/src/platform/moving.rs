//! Moving a sent file out of the care software's export folder, which may be on another
//! drive or a network share (`\\server\share\出力`) than the office's data folder: a rename
//! cannot cross volumes, so the file is then copied whole, made durable, and only then
//! removed from where it was.

use std::io;
use std::path::Path;

use super::held::{self, Patience};

/// Windows' ERROR_NOT_SAME_DEVICE, for a rename across drives.
#[cfg(windows)]
const NOT_SAME_DEVICE: i32 = 17;

fn crosses_volumes(error: &io::Error) -> bool {
    #[cfg(windows)]
    if error.raw_os_error() == Some(NOT_SAME_DEVICE) {
        return true;
    }
    error.kind() == io::ErrorKind::CrossesDevices
}

/// Move `from` to `to` (a new name in an existing folder), waiting while another program
/// holds it; across volumes by copying. `to` holds the whole file before `from` is gone.
pub fn move_file(from: &Path, to: &Path, patience: Patience) -> io::Result<()> {
    match held::rename(from, to, patience) {
        Err(error) if crosses_volumes(&error) => copy_then_remove(from, to, patience),
        result => result,
    }
}

fn copy_then_remove(from: &Path, to: &Path, patience: Patience) -> io::Result<()> {
    let mut partial = to.as_os_str().to_owned();
    partial.push(".renkei-partial");
    let partial = std::path::PathBuf::from(partial);
    held::retry_while_held(patience, || std::fs::copy(from, &partial))?;
    // Flushing needs a handle open for writing on Windows.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&partial)?
        .sync_all()?;
    held::rename(&partial, to, patience)?;
    held::retry_while_held(patience, || std::fs::remove_file(from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_moves_within_a_volume_and_across_volumes() {
        let here = tempfile::tempdir().unwrap();
        let from = here.path().join("出力 フォルダ");
        std::fs::create_dir_all(&from).unwrap();
        let sent = here.path().join("送信済み");
        std::fs::create_dir_all(&sent).unwrap();
        let file = from.join("UPPLAN.CSV");
        std::fs::write(&file, b"plan").unwrap();
        move_file(&file, &sent.join("UPPLAN.CSV"), Patience::default()).unwrap();
        assert!(!file.exists());
        assert_eq!(std::fs::read(sent.join("UPPLAN.CSV")).unwrap(), b"plan");

        // On Linux /dev/shm is its own file system, as a share or a second drive would be.
        let other = Path::new("/dev/shm");
        if !other.is_dir() {
            return;
        }
        let elsewhere = tempfile::tempdir_in(other).unwrap();
        let far = elsewhere.path().join("UPPLAN.CSV");
        std::fs::write(&far, b"far plan").unwrap();
        let error = std::fs::rename(&far, sent.join("far.CSV")).unwrap_err();
        assert!(crosses_volumes(&error), "{error:?}");
        move_file(&far, &sent.join("far.CSV"), Patience::default()).unwrap();
        assert!(!far.exists());
        assert_eq!(std::fs::read(sent.join("far.CSV")).unwrap(), b"far plan");
        assert_eq!(
            std::fs::read_dir(&sent).unwrap().count(),
            2,
            "no partial left"
        );
    }
}
