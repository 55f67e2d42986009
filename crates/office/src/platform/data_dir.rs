//! Where an office's data folder is when none is named: the user's own local application
//! data, as every Windows program keeps it.

use std::ffi::OsString;
use std::path::PathBuf;

/// Names a data folder for every office command, over the platform's default.
pub const DATA_DIR_VARIABLE: &str = "RENKEI_OFFICE_DIR";

/// `RENKEI_OFFICE_DIR` if set; else `%LOCALAPPDATA%\renkei` on Windows (local, not
/// roaming: the private key must not travel with a roaming profile to other PCs); else
/// `$XDG_DATA_HOME/renkei` or `~/.local/share/renkei`; else `renkei-office` here.
pub fn default_data_dir() -> PathBuf {
    data_dir_from(|name| std::env::var_os(name), cfg!(windows))
}

fn data_dir_from(variable: impl Fn(&str) -> Option<OsString>, windows: bool) -> PathBuf {
    let set = |name: &str| variable(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set(DATA_DIR_VARIABLE) {
        return dir;
    }
    let base = if windows {
        set("LOCALAPPDATA")
    } else {
        set("XDG_DATA_HOME").or_else(|| set("HOME").map(|home| home.join(".local").join("share")))
    };
    base.map_or_else(
        || PathBuf::from("renkei-office"),
        |base| base.join("renkei"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn windows_keeps_it_in_local_app_data() {
        let vars = [
            ("LOCALAPPDATA", r"C:\Users\事務 太郎\AppData\Local"),
            ("APPDATA", r"C:\Users\事務 太郎\AppData\Roaming"),
            ("HOME", "/ignored"),
        ];
        let dir = data_dir_from(with(&vars), true);
        assert_eq!(
            dir,
            PathBuf::from(r"C:\Users\事務 太郎\AppData\Local").join("renkei")
        );
    }

    #[test]
    fn unix_follows_the_xdg_rule() {
        let dir = data_dir_from(with(&[("HOME", "/home/kaigo")]), false);
        assert_eq!(dir, PathBuf::from("/home/kaigo/.local/share/renkei"));
        let dir = data_dir_from(
            with(&[("HOME", "/home/kaigo"), ("XDG_DATA_HOME", "/data")]),
            false,
        );
        assert_eq!(dir, PathBuf::from("/data/renkei"));
    }

    #[test]
    fn the_variable_wins_and_nothing_set_means_here() {
        let vars = [
            (DATA_DIR_VARIABLE, r"\\fileserver\care\renkei"),
            ("LOCALAPPDATA", r"C:\x"),
        ];
        assert_eq!(
            data_dir_from(with(&vars), true),
            PathBuf::from(r"\\fileserver\care\renkei")
        );
        assert_eq!(
            data_dir_from(with(&[("LOCALAPPDATA", "")]), true),
            PathBuf::from("renkei-office")
        );
    }

    /// On Windows itself (or Wine), the real environment gives the user's AppData\Local.
    #[cfg(windows)]
    #[test]
    fn on_windows_the_default_is_under_appdata_local() {
        if std::env::var_os(DATA_DIR_VARIABLE).is_some() {
            return;
        }
        let dir = default_data_dir();
        let text = dir.to_string_lossy().to_lowercase();
        assert!(text.ends_with(r"appdata\local\renkei"), "{text}");
    }
}
