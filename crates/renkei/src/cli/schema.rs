//! `renkei schema`: the JSON Schemas of the JSON form, for care software's developers.
//! With `--out DIR`, every schema in its place (`unit.json`, `V4.1/UPPLAN.json` …); with a
//! file kind, that layout's; otherwise the send unit's.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use renkei_office::profile::write_atomically;
use renkei_spec::json::schema;
use renkei_spec::{FileKind, Generation, Layout};

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// A file kind (UPPLAN, UP1KYO …) to print the schema of its records / この種別のレコードのスキーマを表示
    kind: Option<String>,
    /// The V3 layout instead of V4.1 / V4.1 でなく V3 の様式
    #[arg(long)]
    v3: bool,
    /// Write every schema into this folder / すべてのスキーマをこのフォルダに書く
    #[arg(long, conflicts_with = "kind")]
    out: Option<PathBuf>,
}

pub fn run(args: SchemaArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if let Some(dir) = &args.out {
        let all = schema::all();
        for (path, value) in &all {
            let path = dir.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).with_context(|| {
                    format!(
                        "フォルダ {} を作れません / cannot create the folder",
                        parent.display()
                    )
                })?;
            }
            write_atomically(&path, &pretty(value)?)?;
        }
        writeln!(
            out,
            "{}個のスキーマを {} に書きました / {} schemas written",
            all.len(),
            dir.display(),
            all.len()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let value = match &args.kind {
        None => schema::unit(),
        Some(prefix) => {
            let generation = if args.v3 {
                Generation::V3
            } else {
                Generation::V4
            };
            let layout = FileKind::from_prefix(prefix)
                .and_then(|kind| Layout::of(kind, generation).map(|l| (kind, l)));
            let Some((kind, layout)) = layout else {
                bail!(
                    "{prefix} は{generation}のCSVの種別ではありません(UPPLAN、UP1KYO など) / not a CSV file kind of {generation}"
                );
            };
            schema::record(kind, layout)
        }
    };
    out.write_all(&pretty(&value)?)?;
    Ok(ExitCode::SUCCESS)
}

fn pretty(value: &serde_json::Value) -> Result<Vec<u8>> {
    let mut text = serde_json::to_vec_pretty(value)?;
    text.push(b'\n');
    Ok(text)
}
