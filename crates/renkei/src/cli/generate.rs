//! `renkei gen`: a realistic fictional month of standard files, deterministic for a seed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use renkei_spec::Generation;
use renkei_spec::generate::{self, Config};
use renkei_spec::ids::YearMonth;

#[derive(Debug, Args)]
pub struct GenArgs {
    /// Seed: the same seed gives the same files / 乱数の種
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Planner offices (居宅介護支援; every fourth is a 地域包括支援センター)
    #[arg(long, default_value_t = 1)]
    planners: usize,
    /// Provider offices (訪問介護, 通所介護, 福祉用具貸与 …)
    #[arg(long, default_value_t = 3)]
    providers: usize,
    /// People in care, shared among the planners / 利用者数
    #[arg(long, default_value_t = 20)]
    users: usize,
    /// Service month YYYYMM / 対象年月
    #[arg(long, default_value = "202512")]
    month: String,
    /// Output folder (created if missing) / 出力先フォルダ
    #[arg(long)]
    out: PathBuf,
    /// Write V3 (202208) files instead of V4.1 (202407)
    #[arg(long)]
    v3: bool,
    /// One send unit per person, as care software that exports each person on its own does
    /// / 利用者ごとに送信単位を分ける
    #[arg(long)]
    per_person: bool,
}

pub fn run(args: GenArgs) -> Result<ExitCode> {
    let month = YearMonth::parse(&args.month)
        .with_context(|| "--month はYYYYMM形式で指定してください / --month takes YYYYMM")?;
    std::fs::create_dir_all(&args.out).with_context(|| {
        format!(
            "出力先 {} を作れません / cannot create the output folder",
            args.out.display()
        )
    })?;
    let config = Config {
        seed: args.seed,
        planners: args.planners,
        providers: args.providers,
        users: args.users,
        month,
        generation: if args.v3 {
            Generation::V3
        } else {
            Generation::V4
        },
        per_person: args.per_person,
    };
    let bar = crate::progress::Bar::new("生成中 / generating");
    let started = Instant::now();
    let summary = generate::generate::<anyhow::Error>(config, &bar, |file| {
        let path = args.out.join(file.name.to_string());
        std::fs::write(&path, &file.bytes)
            .with_context(|| format!("{} に書けません / cannot write", path.display()))
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}ファイル {}送信単位 {}レコード {:.1}MB を {} に生成しました ({:.2}秒, {:.1}MB/s)",
        summary.files,
        summary.units,
        summary.records,
        summary.bytes as f64 / 1e6,
        args.out.display(),
        seconds,
        summary.bytes as f64 / 1e6 / seconds.max(1e-9)
    )?;
    writeln!(
        out,
        "generated {} files in {} send units: {}",
        summary.files,
        summary.units,
        kinds(&summary.by_kind)
    )?;
    Ok(ExitCode::SUCCESS)
}

fn kinds(by_kind: &std::collections::BTreeMap<String, usize>) -> String {
    by_kind
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
