//! `renkei check PATH...`: a report grouped by send unit; exit 0 without errors, 1 with.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use renkei_spec::codec::SourceEncoding;
use renkei_spec::unit;
use renkei_spec::validate::{self, Finding, Options, Report, Severity, UnitReport};

use super::files;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check / 検査するファイルまたはフォルダ
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the report as JSON / JSONで出力
    #[arg(long)]
    json: bool,
    /// Encoding of the files (the standard is MS932) / 文字コード
    #[arg(long, value_enum, default_value_t = EncodingArg::Ms932)]
    encoding: EncodingArg,
    /// Show only errors, not warnings / 警告を表示しない
    #[arg(long)]
    errors_only: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EncodingArg {
    Ms932,
    Utf8,
}

pub fn run(args: CheckArgs) -> Result<ExitCode> {
    let options = Options {
        encoding: match args.encoding {
            EncodingArg::Ms932 => SourceEncoding::Ms932,
            EncodingArg::Utf8 => SourceEncoding::Utf8,
        },
    };
    let paths = files::collect(&args.paths)?;
    let grouped = unit::group(paths, |p| {
        p.file_name().and_then(|n| n.to_str()).unwrap_or("")
    });
    let mut report = Report::default();
    let total = grouped.units.len() + grouped.unnamed.len();
    let bar = crate::progress::bar(total as u64, "検査中 / checking");
    // One unit in memory at a time: a month of a large office is hundreds of megabytes.
    let units = grouped
        .units
        .into_iter()
        .map(|(_, p)| p)
        .chain(grouped.unnamed.into_iter().map(|p| vec![p]));
    for unit_paths in units {
        bar.inc(1);
        let contents = files::read_all(&unit_paths)?;
        let inputs = files::inputs(&contents);
        report.units.push(validate::check_unit(&inputs, options));
    }
    bar.finish_and_clear();
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &report, args.errors_only)?;
    }
    Ok(if report.errors() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_report(out: &mut impl Write, report: &Report, errors_only: bool) -> Result<()> {
    for unit in &report.units {
        print_unit(out, unit, errors_only)?;
    }
    let verdict = if report.errors() == 0 {
        "送信できます / ready to send"
    } else {
        "エラーを直してください / fix the errors"
    };
    writeln!(
        out,
        "\n{}送信単位 {}ファイル: エラー{}件 警告{}件 — {verdict}",
        report.units.len(),
        report.files(),
        report.errors(),
        report.warnings()
    )?;
    Ok(())
}

pub(super) fn print_unit(out: &mut impl Write, unit: &UnitReport, errors_only: bool) -> Result<()> {
    let status = match (unit.errors(), unit.warnings()) {
        (0, 0) => "OK".to_owned(),
        (0, w) => format!("OK(警告{w}件)"),
        (e, w) => format!("エラー{e}件 警告{w}件"),
    };
    match &unit.key {
        Some(key) => writeln!(
            out,
            "送信単位 {} {} → {}: {status}",
            key.serial, key.from, key.to
        )?,
        None => writeln!(out, "命名規則外のファイル: {status}")?,
    }
    let shown = |f: &&Finding| !errors_only || f.severity() == Severity::Error;
    if unit.errors() + unit.warnings() == 0 {
        // A clean unit is one line; its files are listed only when something is wrong.
        return Ok(());
    }
    for file in &unit.files {
        writeln!(out, "  {} ({}件)", file.name, file.records)?;
        for finding in file.findings.iter().filter(shown) {
            print_finding(out, finding, "    ")?;
        }
        for (id, count) in &file.suppressed {
            writeln!(out, "    ほか {id} が{count}件 / {count} more {id}")?;
        }
    }
    for finding in unit.findings.iter().filter(shown) {
        let file = finding
            .file
            .as_deref()
            .map(|f| format!(" {f}"))
            .unwrap_or_default();
        writeln!(out, "  送信単位全体{file}:")?;
        print_finding(out, finding, "    ")?;
    }
    Ok(())
}

fn print_finding(out: &mut impl Write, finding: &Finding, indent: &str) -> Result<()> {
    writeln!(out, "{indent}{finding}")?;
    writeln!(
        out,
        "{indent}  → {} / {}",
        finding.rule.fix_ja, finding.rule.fix_en
    )?;
    Ok(())
}
