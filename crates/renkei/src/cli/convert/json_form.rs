//! `renkei convert --to json` and `--to csv`: send units as documents of the JSON form, and
//! documents as the CSV files they stand for, names and ファイル連番 kept.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use renkei_office::profile::write_atomically;
use renkei_spec::json;
use renkei_spec::validate::{self, Input, Options};

use super::{send_units, summary};
use crate::cli::{check, files};

/// One document per send unit, named `<ファイル連番>_<from>_<to>.json`.
pub fn to_json(paths: &[PathBuf], dir: &Path) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let (units, unnamed) = send_units(paths, &mut out)?;
    let mut failed = unnamed;
    for (key, paths) in &units {
        let contents = files::read_all(paths)?;
        let inputs = files::inputs(&contents);
        let title = format!("送信単位 {} {} → {}", key.serial, key.from, key.to);
        match json::unit_to_json(&inputs) {
            Ok(document) => {
                let name = format!("{}_{}_{}.json", key.serial, key.from, key.to);
                let mut text = serde_json::to_vec_pretty(&document)?;
                text.push(b'\n');
                write_atomically(&dir.join(&name), &text)?;
                writeln!(
                    out,
                    "{title}: {}ファイルを {name} に書きました / written as JSON",
                    inputs.len()
                )?;
                note_rewritten(&mut out, &document, &inputs)?;
            }
            Err(error) => {
                failed += 1;
                writeln!(out, "{title}: JSONにできません / not converted")?;
                print_problems(&mut out, &error)?;
            }
        }
    }
    summary(&mut out, units.len() + unnamed - failed, failed, dir)
}

/// A file not written in the canonical form (quoted codes, no last line break, UTF-8)
/// comes back from its JSON in that form: the same records, other bytes. Say so.
fn note_rewritten(
    out: &mut impl Write,
    document: &json::UnitDocument,
    inputs: &[Input<'_>],
) -> Result<()> {
    let Ok(back) = json::unit_from_json(document) else {
        return Ok(());
    };
    for (file, input) in back.iter().zip(inputs) {
        if file.bytes != input.bytes {
            writeln!(
                out,
                "  {}: 標準の書き方と違うところがあり、CSVに戻すと標準の書き方になります(内容は同じ) / not in the canonical form: back from JSON it is written canonically, with the same records",
                input.name
            )?;
        }
    }
    Ok(())
}

/// The CSV files of each document (`*.json` under the paths), checked as a send unit.
pub fn to_csv(paths: &[PathBuf], dir: &Path) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut converted = 0;
    let mut failed = 0;
    for path in files::collect(paths)? {
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if !is_json {
            writeln!(
                out,
                "{}: .json のファイルではないため飛ばしました / not a .json file, skipped",
                path.display()
            )?;
            failed += 1;
            continue;
        }
        let text = std::fs::read(&path)?;
        let files = json::parse_unit(&text).and_then(|unit| json::unit_from_json(&unit));
        match files {
            Ok(files) => {
                for file in &files {
                    write_atomically(&dir.join(&file.name), &file.bytes)?;
                }
                converted += 1;
                writeln!(
                    out,
                    "{}: {}ファイルを書きました / written as CSV",
                    path.display(),
                    files.len()
                )?;
                for file in &files {
                    writeln!(out, "  {}", file.name)?;
                }
                let inputs: Vec<Input<'_>> = files.iter().map(json::CsvFile::input).collect();
                let report = validate::check_unit(&inputs, Options::default());
                if report.errors() + report.warnings() > 0 {
                    check::print_unit(&mut out, &report, false)?;
                }
            }
            Err(error) => {
                failed += 1;
                writeln!(out, "{}: CSVにできません / not converted", path.display())?;
                print_problems(&mut out, &error)?;
            }
        }
    }
    summary(&mut out, converted, failed, dir)
}

fn print_problems(out: &mut impl Write, error: &renkei_spec::Error) -> Result<()> {
    match error {
        renkei_spec::Error::Json { problems } => {
            for problem in problems {
                writeln!(out, "  {problem}")?;
            }
        }
        other => writeln!(out, "  {other}")?,
    }
    Ok(())
}
