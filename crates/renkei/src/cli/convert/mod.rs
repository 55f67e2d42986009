//! `renkei convert --to 202407|json|csv --out DIR PATH...`: V3 send units written again as
//! V4.1, each with what could not be filled; send units as JSON documents (one per unit,
//! `renkei_spec::json`) and JSON documents as the CSV files they stand for. Exit 0 when
//! every unit was converted, 1 otherwise.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use renkei_office::profile::write_atomically;
use renkei_spec::convert::{self, Converted, Kinds};
use renkei_spec::ids::ServiceKind;
use renkei_spec::unit::{self, UnitKey};
use renkei_spec::validate::{self, Options};

use super::{check, files};

mod json_form;

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Files or folders to convert / 変換するファイルまたはフォルダ
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// What to write: V4.1 CSV (202407) from V3, JSON from CSV, or CSV from JSON /
    /// 変換先: 202407 (V3→V4.1)、json (CSV→JSON)、csv (JSON→CSV)
    #[arg(long, value_enum)]
    to: Target,
    /// Folder for the converted files / 変換したファイルを書くフォルダ
    #[arg(long)]
    out: PathBuf,
    /// The sender's サービス種類コード, where the files do not say it / 送信元のサービス種類
    #[arg(long, value_parser = parse_kind)]
    from_kind: Option<ServiceKind>,
    /// The recipient's サービス種類コード (a plan does not say it) / 送信先のサービス種類
    #[arg(long, value_parser = parse_kind)]
    to_kind: Option<ServiceKind>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Target {
    /// V4.1
    #[value(name = "202407")]
    V4_1,
    /// The JSON form: one document per send unit
    Json,
    /// The standard's CSV files, from JSON documents
    Csv,
}

fn parse_kind(s: &str) -> Result<ServiceKind, String> {
    ServiceKind::parse(s).map_err(|e| e.to_string())
}

pub fn run(args: ConvertArgs) -> Result<ExitCode> {
    std::fs::create_dir_all(&args.out).with_context(|| {
        format!(
            "フォルダ {} を作れません / cannot create the folder",
            args.out.display()
        )
    })?;
    match args.to {
        Target::V4_1 => to_v4(args),
        Target::Json => json_form::to_json(&args.paths, &args.out),
        Target::Csv => json_form::to_csv(&args.paths, &args.out),
    }
}

fn to_v4(args: ConvertArgs) -> Result<ExitCode> {
    let kinds = Kinds {
        from: args.from_kind,
        to: args.to_kind,
    };
    let mut out = std::io::stdout().lock();
    let (units, unnamed) = send_units(&args.paths, &mut out)?;
    let mut failed = unnamed;
    for (key, paths) in &units {
        let contents = files::read_all(paths)?;
        let inputs = files::inputs(&contents);
        match convert::to_v4(&inputs, kinds) {
            Ok(converted) => {
                write_files(&args.out, &converted)?;
                print_converted(&mut out, key, &converted)?;
            }
            Err(error) => {
                failed += 1;
                writeln!(
                    out,
                    "送信単位 {} {} → {}: {error}",
                    key.serial, key.from, key.to
                )?;
                let report = validate::check_unit(&inputs, Options::default());
                if !report.is_sendable() {
                    check::print_unit(&mut out, &report, true)?;
                }
            }
        }
    }
    summary(&mut out, units.len() + unnamed - failed, failed, &args.out)
}

type Units = Vec<(UnitKey, Vec<PathBuf>)>;

/// The send units of the files under `paths`; a file whose name is not the standard's is
/// said and counted as not converted.
fn send_units(paths: &[PathBuf], out: &mut impl Write) -> Result<(Units, usize)> {
    let grouped = unit::group(files::collect(paths)?, |p| {
        p.file_name().and_then(|n| n.to_str()).unwrap_or("")
    });
    for path in &grouped.unnamed {
        writeln!(
            out,
            "{}: 標準仕様の名前でないため変換できません / not a name of the standard, not converted",
            path.display()
        )?;
    }
    Ok((grouped.units, grouped.unnamed.len()))
}

/// The closing line of every conversion, and its exit code.
fn summary(out: &mut impl Write, converted: usize, failed: usize, dir: &Path) -> Result<ExitCode> {
    writeln!(
        out,
        "\n{converted}送信単位を変換し {} に書きました、変換できなかったもの{failed}件 / {converted} units converted, {failed} not",
        dir.display()
    )?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Each file written whole under a temporary name, then renamed (retried while the care
/// software holds the old one): a care system importing from the folder never sees half a
/// file.
fn write_files(dir: &Path, converted: &Converted) -> Result<()> {
    for file in &converted.files {
        write_atomically(&dir.join(&file.name), &file.bytes)?;
    }
    Ok(())
}

fn print_converted(out: &mut impl Write, key: &UnitKey, converted: &Converted) -> Result<()> {
    writeln!(
        out,
        "送信単位 {} {} → {}: {}ファイルをV4.1(202407)に変換しました / converted",
        key.serial,
        key.from,
        key.to,
        converted.files.len()
    )?;
    for file in &converted.files {
        writeln!(out, "  {} → {}", file.source, file.name)?;
    }
    print_gaps(out, &converted.gaps)?;
    if converted.report.warnings() > 0 {
        check::print_unit(out, &converted.report, false)?;
    }
    Ok(())
}

/// What V3 could not fill, one line each, for `convert` and for a send that converted.
pub(super) fn print_gaps(
    out: &mut impl Write,
    gaps: &[renkei_spec::convert::Gap],
) -> std::io::Result<()> {
    for gap in gaps {
        writeln!(
            out,
            "  埋められなかった項目 / not filled: {}: {} / {}",
            gap.file, gap.ja, gap.en
        )?;
    }
    Ok(())
}
