//! Finding the files a command was pointed at.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use renkei_spec::validate::Input;

/// Every file under `paths` (folders are walked, hidden entries skipped), in a fixed order.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .with_context(|| format!("{} が見つかりません / not found", path.display()))?;
        if meta.is_dir() {
            walk(path, &mut out)?;
        } else {
            out.push(path.clone());
        }
    }
    // Any fixed order will do (send units are put in ファイル連番 order afterwards); byte order
    // of the whole path avoids splitting every path into components.
    out.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "フォルダ {} を読めません / cannot read folder",
            dir.display()
        )
    })?;
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The file name of a path as text, for grouping by the standard's naming rule.
pub fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The name and bytes of each file.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>> {
    paths
        .iter()
        .map(|p| {
            std::fs::read(p)
                .with_context(|| format!("{} を読めません / cannot read", p.display()))
                .map(|bytes| (name_of(p), bytes))
        })
        .collect()
}

/// Files read by [`read_all`], as the checker takes them.
pub fn inputs(contents: &[(String, Vec<u8>)]) -> Vec<Input<'_>> {
    contents
        .iter()
        .map(|(name, bytes)| Input { name, bytes })
        .collect()
}
