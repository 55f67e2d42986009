//! The office's private key on disk, readable by the signed-in user alone: mode 0600 on
//! Unix, a protected access list naming only that user on Windows. Made before a byte of
//! the key is written, so the key is never on disk with a wider access.

use std::io::Write;
use std::path::Path;

/// The access list the key gets on Windows: protected (`P`, nothing inherited), one entry
/// allowing (`A`) full control (`FA`) to the user `sid`.
#[cfg_attr(not(windows), allow(dead_code))]
pub fn only_user_sddl(sid: &str) -> String {
    format!("D:P(A;;FA;;;{sid})")
}

/// Whether an access list in SDDL lets nobody but the user `sid` (and the operating system
/// itself, `SY`) in: every allowing entry names one of them, and one names the user. (Read
/// back, Windows gives the list as it was set; Wine, which keeps Unix modes instead, gives
/// SYSTEM and the owner.)
#[cfg_attr(not(windows), allow(dead_code))]
pub fn only_user_may_open(sddl: &str, sid: &str) -> bool {
    let Some(dacl) = sddl.strip_prefix("D:") else {
        return false;
    };
    let entries: Vec<Vec<&str>> = dacl
        .split('(')
        .skip(1)
        .map(|entry| entry.trim_end_matches(')').split(';').collect())
        .collect();
    let allowing: Vec<&str> = entries
        .iter()
        .filter(|fields| fields.first() == Some(&"A"))
        .filter_map(|fields| fields.get(5).copied())
        .collect();
    allowing.contains(&sid)
        && allowing
            .iter()
            .all(|trustee| *trustee == sid || *trustee == "SY")
}

/// Write `bytes` as a new file at `path` that only the current user can read.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = create_private(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(windows)]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    if let Err(error) = restrict_to_user(path) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(error);
    }
    Ok(file)
}

#[cfg(not(any(unix, windows)))]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Make `path` readable by the current user alone if it is not (a key copied back from a
/// backup takes the access of the folder it lands in); whether it had to be changed.
pub fn keep_private(path: &Path) -> std::io::Result<bool> {
    if is_private(path)? {
        return Ok(false);
    }
    restrict_to_user(path)?;
    Ok(true)
}

/// Give `path` the access [`write_private`] gives a new key.
#[cfg(unix)]
fn restrict_to_user(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(windows)]
fn restrict_to_user(path: &Path) -> std::io::Result<()> {
    let sid = super::windows_acl::current_user_sid()?;
    super::windows_acl::set_access(path, &only_user_sddl(&sid))
}

#[cfg(not(any(unix, windows)))]
fn restrict_to_user(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Whether only the current user can read `path`, as [`write_private`] leaves it.
pub fn is_private(path: &Path) -> std::io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Ok(std::fs::metadata(path)?.permissions().mode() & 0o077 == 0)
    }
    #[cfg(windows)]
    {
        let sid = super::windows_acl::current_user_sid()?;
        Ok(only_user_may_open(
            &super::windows_acl::access_of(path)?,
            &sid,
        ))
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = path;
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_new_and_for_this_user_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("鍵 のフォルダ").join("office-key.pem");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        write_private(&path, b"-----BEGIN PRIVATE KEY-----").unwrap();
        assert!(is_private(&path).unwrap());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"-----BEGIN PRIVATE KEY-----"
        );
        // Never over an existing file: a key is made once.
        assert!(write_private(&path, b"other").is_err());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"-----BEGIN PRIVATE KEY-----"
        );
    }

    /// A file as a plain copy leaves it: readable by everyone on Unix (0644), the folder's
    /// inherited access on Windows.
    fn write_readable_by_all(path: &Path, bytes: &[u8]) {
        std::fs::write(path, bytes).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }

    #[test]
    fn a_file_written_plainly_is_not_taken_for_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plain.pem");
        write_readable_by_all(&path, b"x");
        assert!(!is_private(&path).unwrap());
    }

    #[test]
    fn a_key_copied_back_with_a_wider_access_is_made_private_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("office-key.pem");
        write_readable_by_all(&path, b"key");
        assert!(keep_private(&path).unwrap(), "changed");
        assert!(is_private(&path).unwrap());
        assert!(!keep_private(&path).unwrap(), "left as it is once private");
        assert_eq!(std::fs::read(&path).unwrap(), b"key");
    }

    #[test]
    fn the_windows_access_list_names_one_user_and_inherits_nothing() {
        assert_eq!(
            only_user_sddl("S-1-5-21-1-2-3-1001"),
            "D:P(A;;FA;;;S-1-5-21-1-2-3-1001)"
        );
        let user = "S-1-5-21-1-2-3-1001";
        assert!(only_user_may_open(&only_user_sddl(user), user));
        assert!(only_user_may_open(
            "D:(A;;FA;;;SY)(A;;FA;;;S-1-5-21-1-2-3-1001)",
            user
        ));
        // What a file in a user's folder inherits: administrators and the user.
        let inherited = "D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;FA;;;S-1-5-21-1-2-3-1001)";
        assert!(!only_user_may_open(inherited, user));
        assert!(!only_user_may_open(
            "D:P(A;;FR;;;WD)(A;;FA;;;S-1-5-21-1-2-3-1001)",
            user
        ));
        assert!(!only_user_may_open(
            "D:P(A;;FA;;;S-1-5-21-9-9-9-1002)",
            user
        ));
        assert!(!only_user_may_open("", user));
    }
}
