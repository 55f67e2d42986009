//! The plain content of a parcel: the send unit's files (and attachments) as a POSIX tar,
//! byte for byte as the care software wrote them, so that `openssl cms … | tar x` opens a
//! parcel with stock tools.

use std::io::Read;

use crate::error::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchivedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A file name that is safe to write into an import folder: one plain name, no path.
fn check_name(name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name.len() > 100
        || name.starts_with('.')
        || name.contains(['/', '\\', '\0', ':']);
    if bad {
        return Err(Error::Parcel(format!(
            "ファイル名「{name}」は使えません / file name '{name}' is not a plain file name"
        )));
    }
    Ok(())
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

/// Unpack what [`pack`] made; refuses links, folders and names that are not plain.
pub fn unpack(bytes: &[u8]) -> Result<Vec<ArchivedFile>> {
    let mut archive = tar::Archive::new(bytes);
    let mut files = Vec::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(Error::Parcel(
                "通常のファイル以外が入っています / holds something other than a plain file".into(),
            ));
        }
        let name = entry
            .path()?
            .to_str()
            .map(str::to_owned)
            .ok_or_else(|| Error::Parcel("file name is not UTF-8".into()))?;
        check_name(&name)?;
        let mut content = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut content)?;
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

    #[test]
    fn files_come_back_as_they_went_in() {
        let files = vec![
            ArchivedFile {
                name: "UP1KYO_0300000100_43_0300000005_11_20251025100000.CSV".into(),
                bytes: b"202407,\"\x83\x65\x83\x58\x83\x67\"\r\n".to_vec(),
            },
            ArchivedFile {
                name: "empty.pdf".into(),
                bytes: Vec::new(),
            },
        ];
        let packed = pack(&files).unwrap();
        assert_eq!(unpack(&packed).unwrap(), files);
        assert_eq!(pack(&files).unwrap(), packed, "packing is deterministic");
    }

    #[test]
    fn paths_are_refused() {
        for name in ["../x.CSV", "a/b.CSV", ".hidden", ""] {
            let file = ArchivedFile {
                name: name.into(),
                bytes: vec![],
            };
            assert!(pack(&[file]).is_err(), "{name}");
        }
    }
}
