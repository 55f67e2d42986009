//! The plain content of a parcel: the send unit's files (and attachments) as a POSIX tar,
//! byte for byte as the care software wrote them, so that `openssl cms … | tar x` opens a
//! parcel with stock tools.
//!
//! The reader is written for a hostile sender: a parcel can be sealed and signed by an
//! enrolled office and still be made to hurt its recipient. Sizes are bounded by what is
//! present and by [`Limits`], never by what a header claims, and every name must be one a
//! Windows folder can hold.

use std::collections::HashSet;
use std::io::Read;

use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchivedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What one parcel may hold when it is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_files: usize,
    pub max_file_bytes: u64,
    pub max_total_bytes: u64,
}

impl Default for Limits {
    /// A month of one office's files to one partner is a few hundred files of a few KB; a
    /// PDF attachment is at most 10 MB; the relay takes parcels of at most 32 MB.
    fn default() -> Self {
        Self {
            max_files: 10_000,
            max_file_bytes: 32 * 1024 * 1024,
            max_total_bytes: 64 * 1024 * 1024,
        }
    }
}

fn refused(reason: String) -> Error {
    Error::Parcel(reason)
}

/// Names Windows keeps for devices, whatever extension follows (`NUL.CSV` is the device).
/// Device names, whatever the extension: Windows opens the device, not a file. The
/// superscript digits and the console's own names are devices too.
const RESERVED: [&str; 30] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "COM¹", "COM²",
    "COM³", "LPT¹", "LPT²", "LPT³", "CONIN$", "CONOUT$",
];

/// Why `name` cannot be written into an office's folder as one plain file, if it cannot:
/// a path, a hidden name, a character Windows refuses, a device name, a trailing dot or
/// space (Windows drops them, so two names would become one).
pub fn name_problem(name: &str) -> Option<&'static str> {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    if name.is_empty() || name.len() > 100 {
        Some("空か100バイトを超えています / empty or longer than 100 bytes")
    } else if name.starts_with('.') {
        Some("「.」で始まっています / starts with a dot")
    } else if name.chars().any(|c| {
        c.is_control() || matches!(c, '/' | '\\' | ':' | '<' | '>' | '"' | '|' | '?' | '*')
    }) {
        Some("パスや使えない文字を含みます / holds a path or a character Windows refuses")
    } else if name.ends_with(['.', ' ']) {
        Some("末尾が「.」か空白です / ends with a dot or a space")
    } else if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        Some("Windowsの予約名です / is a name Windows reserves for a device")
    } else {
        None
    }
}

fn check_name(name: &str) -> Result<()> {
    match name_problem(name) {
        Some(reason) => Err(refused(format!(
            "ファイル名「{name}」は使えません({reason}) / file name '{name}' cannot be used"
        ))),
        None => Ok(()),
    }
}

/// Pack files in the order given (the send unit's order).
pub fn pack(files: &[ArchivedFile]) -> Result<Vec<u8>> {
    let size: usize = files.iter().map(|f| f.bytes.len() + 1024).sum();
    let mut builder = tar::Builder::new(Vec::with_capacity(size + 1024));
    for file in files {
        check_name(&file.name)?;
        let mut header = tar::Header::new_ustar();
        header.set_path(&file.name)?;
        header.set_size(file.bytes.len() as u64);
        header.set_mode(0o644);
        // A fixed time keeps a parcel's bytes a function of its files alone.
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, file.bytes.as_slice())?;
    }
    Ok(builder.into_inner()?)
}

/// Unpack what [`pack`] made, within the default [`Limits`].
pub fn unpack(bytes: &[u8]) -> Result<Vec<ArchivedFile>> {
    unpack_within(bytes, &Limits::default())
}

/// Unpack what [`pack`] made; refuses links, folders, names that are not plain or that
/// come twice (as Windows compares them, ignoring case), entries whose bytes are not all
/// there, and anything over `limits`.
pub fn unpack_within(bytes: &[u8], limits: &Limits) -> Result<Vec<ArchivedFile>> {
    let mut archive = tar::Archive::new(bytes);
    let mut files = Vec::new();
    let mut names = HashSet::new();
    let mut total = 0u64;
    let broken = |e: std::io::Error| {
        refused(format!(
            "中身(tar)が壊れています / the archive is broken: {e}"
        ))
    };
    for entry in archive.entries().map_err(broken)? {
        let mut entry = entry.map_err(broken)?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(refused(
                "通常のファイル以外が入っています / holds something other than a plain file".into(),
            ));
        }
        let name = entry
            .path()
            .map_err(broken)?
            .to_str()
            .map(str::to_owned)
            .ok_or_else(|| {
                refused("ファイル名がUTF-8ではありません / file name is not UTF-8".into())
            })?;
        check_name(&name)?;
        if !names.insert(name.to_uppercase()) {
            return Err(refused(format!(
                "ファイル名「{name}」が二度入っています / file name '{name}' comes twice"
            )));
        }
        if files.len() >= limits.max_files {
            return Err(refused(format!(
                "ファイルが{}個を超えています / more than {} files",
                limits.max_files, limits.max_files
            )));
        }
        let claimed = entry.size();
        // What a header claims is checked against what is there before anything is kept.
        let present = (bytes.len() as u64).saturating_sub(entry.raw_file_position());
        if claimed > present {
            return Err(refused(format!(
                "「{name}」は{claimed}バイトとされていますが、{present}バイトしかありません / '{name}' claims {claimed} bytes but {present} are present"
            )));
        }
        if claimed > limits.max_file_bytes {
            return Err(refused(format!(
                "「{name}」が{claimed}バイトで、上限{}バイトを超えています / '{name}' is over the limit of {} bytes",
                limits.max_file_bytes, limits.max_file_bytes
            )));
        }
        total += claimed;
        if total > limits.max_total_bytes {
            return Err(refused(format!(
                "中身が合計{}バイトを超えています / the files are over {} bytes in all",
                limits.max_total_bytes, limits.max_total_bytes
            )));
        }
        let mut content = Vec::with_capacity(claimed as usize);
        (&mut entry)
            .take(claimed)
            .read_to_end(&mut content)
            .map_err(broken)?;
        if content.len() as u64 != claimed {
            return Err(refused(format!(
                "「{name}」の中身が途中で切れています / '{name}' is cut short"
            )));
        }
        files.push(ArchivedFile {
            name,
            bytes: content,
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, bytes: &[u8]) -> ArchivedFile {
        ArchivedFile {
            name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    /// A tar of one entry whose header claims `size` bytes, followed by `present` bytes.
    fn claiming(size: u64, present: usize) -> Vec<u8> {
        let mut header = tar::Header::new_gnu();
        header.set_path("UPPLAN.CSV").unwrap();
        header.set_size(size);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend(std::iter::repeat_n(b'x', present));
        bytes.extend([0u8; 1024]);
        bytes
    }

    #[test]
    fn files_come_back_as_they_went_in() {
        let files = vec![
            file(
                "UP1KYO_0300000100_43_0300000005_11_20251025100000.CSV",
                b"202407,\"\x83\x65\x83\x58\x83\x67\"\r\n",
            ),
            file("empty.pdf", b""),
        ];
        let packed = pack(&files).unwrap();
        assert_eq!(unpack(&packed).unwrap(), files);
        assert_eq!(pack(&files).unwrap(), packed, "packing is deterministic");
    }

    #[test]
    fn names_a_windows_folder_cannot_hold_are_refused() {
        for name in [
            "../x.CSV",
            "a/b.CSV",
            "a\\b.CSV",
            ".hidden",
            "",
            "CON",
            "nul.csv",
            "NUL.CSV",
            "Com1.txt",
            "lpt9",
            "x.CSV.",
            "x.CSV ",
            "a:b",
            "a<b",
            "a|b",
            "a?b",
            "a*b",
            "a\"b",
            "a\tb",
            "COM¹.CSV",
            "lpt³",
            "CONIN$",
            "conout$.txt",
            "AUX .CSV",
        ] {
            assert!(name_problem(name).is_some(), "{name:?}");
            assert!(pack(&[file(name, b"")]).is_err(), "{name:?}");
        }
        for name in ["CONSENT.CSV", "UPPLAN_X.CSV", "報告書.pdf", "COM10.txt"] {
            assert_eq!(name_problem(name), None, "{name:?}");
        }
    }

    #[test]
    fn a_name_twice_is_refused_whatever_its_case() {
        let mut packed = pack(&[file("A.CSV", b"1")]).unwrap();
        let second = pack(&[file("a.csv", b"2")]).unwrap();
        // Two archives back to back, the first one's end blocks dropped.
        packed.truncate(1024);
        packed.extend(second);
        let error = unpack(&packed).unwrap_err().to_string();
        assert!(error.contains("二度"), "{error}");
    }

    #[test]
    fn a_header_claiming_more_than_is_there_is_refused_without_reserving_it() {
        // A GNU header writes sizes past 8 GiB in base 256, up to u64::MAX.
        for size in [
            1 << 40,
            u64::MAX,
            u64::MAX - 511,
            8 * 1024 * 1024 * 1024 + 1,
            2048,
        ] {
            let error = unpack(&claiming(size, 512)).unwrap_err().to_string();
            assert!(
                error.contains("しかありません") || error.contains("壊れています"),
                "{size}: {error}"
            );
        }
    }

    #[test]
    fn limits_are_kept() {
        let files: Vec<_> = (0..3)
            .map(|i| file(&format!("{i}.CSV"), &[b'x'; 100]))
            .collect();
        let packed = pack(&files).unwrap();
        let limits = |max_files, max_file_bytes, max_total_bytes| Limits {
            max_files,
            max_file_bytes,
            max_total_bytes,
        };
        assert!(unpack_within(&packed, &limits(3, 100, 300)).is_ok());
        for tight in [limits(2, 100, 300), limits(3, 99, 300), limits(3, 100, 299)] {
            assert!(unpack_within(&packed, &tight).is_err(), "{tight:?}");
        }
    }
}
