//! `renkei bench …`: load generators that print figures (see BENCHMARKS.md).

mod base;
mod console;
mod hub;
mod sync;

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::{Args, Subcommand};
use renkei_spec::Generation;
use renkei_spec::generate::{self, Config, GeneratedFile};
use renkei_spec::ids::YearMonth;
use renkei_spec::progress::Silent;
use renkei_spec::validate::{self, Input, Options};

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    target: Target,
}

#[derive(Debug, Subcommand)]
enum Target {
    /// Generator speed, then read + full validation throughput on one core
    Spec {
        /// Size of the generated region in MB
        #[arg(long, default_value_t = 200)]
        size_mb: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Check the region this many times (the best round is reported)
        #[arg(long, default_value_t = 3)]
        rounds: u32,
        /// Load the region from this folder instead of generating it
        #[arg(long)]
        from: Option<std::path::PathBuf>,
    },
    /// The relay under load: offices sending sealed parcels over mutual TLS on loopback
    Hub(hub::HubBenchArgs),
    /// A month between one planner and many providers, end to end through the offices' folders
    Sync(sync::SyncBenchArgs),
    /// The office console's pages with that month in it, cold and warm
    Console(console::ConsoleBenchArgs),
    /// The information base with a million insured people: loading, and one person's lookups
    Base(base::BaseBenchArgs),
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    match args.target {
        Target::Spec {
            size_mb,
            seed,
            rounds,
            from,
        } => spec(size_mb, seed, rounds, from),
        Target::Hub(args) => hub::run(args),
        Target::Sync(args) => sync::run(args),
        Target::Console(args) => console::run(args),
        Target::Base(args) => base::run(args),
    }
}

fn config(seed: u64, users: usize) -> Config {
    // A region: one planner per 60 people, one provider per 25, as offices are in Japan.
    Config {
        seed,
        planners: (users / 60).max(1),
        providers: (users / 25).max(3),
        users,
        month: YearMonth::parse("202512").expect("literal month"),
        generation: Generation::V4,
        per_person: false,
    }
}

fn generate_all(config: Config) -> Result<(Vec<GeneratedFile>, u64)> {
    let mut files = Vec::new();
    let summary = generate::generate::<anyhow::Error>(config, &Silent, |f| {
        files.push(f);
        Ok(())
    })?;
    Ok((files, summary.bytes))
}

#[allow(clippy::print_stdout)] // a load generator prints its figures
fn spec(
    size_mb: u64,
    seed: u64,
    rounds: u32,
    from: Option<std::path::PathBuf>,
) -> Result<ExitCode> {
    let (names, contents, mb) = match from {
        Some(dir) => {
            let mut names = Vec::new();
            let mut contents = Vec::new();
            for path in super::files::collect(&[dir])? {
                names.push(super::files::name_of(&path));
                contents.push(std::fs::read(&path)?);
            }
            let mb = contents.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
            println!("load: {} files, {mb:.1} MB", names.len());
            (names, contents, mb)
        }
        None => {
            let (_, pilot_bytes) = generate_all(config(seed, 300))?;
            // A little over the size asked for: the per-person size varies with the mix of services.
            let users = ((size_mb as f64 * 1.05e6) / (pilot_bytes as f64 / 300.0)).ceil() as usize;
            let started = Instant::now();
            let (files, bytes) = generate_all(config(seed, users))?;
            let gen_seconds = started.elapsed().as_secs_f64();
            let mb = bytes as f64 / 1e6;
            println!(
                "generate: {users} people, {} files, {mb:.1} MB in {gen_seconds:.2} s = {:.1} MB/s",
                files.len(),
                mb / gen_seconds
            );
            let names = files.iter().map(|f| f.name.to_string()).collect();
            (names, files.into_iter().map(|f| f.bytes).collect(), mb)
        }
    };
    let inputs: Vec<Input<'_>> = names
        .iter()
        .zip(&contents)
        .map(|(name, bytes)| Input { name, bytes })
        .collect();
    let mut best = f64::MAX;
    let mut totals = (0, 0, 0, 0);
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        // Grouping into send units is part of checking, as in `renkei check`.
        let report = validate::check(&inputs, Options::default());
        best = best.min(started.elapsed().as_secs_f64());
        let records = report
            .units
            .iter()
            .flat_map(|u| &u.files)
            .map(|f| f.records)
            .sum::<usize>();
        totals = (
            report.units.len(),
            report.errors(),
            report.warnings(),
            records,
        );
    }
    let (units, errors, warnings, records) = totals;
    println!(
        "check (one core, best of {rounds}): {units} units, {} files, {records} records, {mb:.1} MB in {best:.2} s = {:.1} MB/s ({:.0} records/s), {errors} errors, {warnings} warnings",
        names.len(),
        mb / best,
        records as f64 / best
    );
    if let Some(peak) = peak_memory_mb() {
        println!("peak memory (VmHWM): {peak:.0} MB (the generated region is held in memory)");
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Peak resident memory on Linux; `None` elsewhere.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
