//! `renkei bench …`: load generators that print figures (see BENCHMARKS.md).

mod api;
mod base;
mod console;
mod hub;
mod spec;
mod sync;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

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
    /// The same month through the offices' local API for care software, beside the folders
    Api(api::ApiBenchArgs),
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
        } => spec::run(size_mb, seed, rounds, from),
        Target::Hub(args) => hub::run(args),
        Target::Sync(args) => sync::run(args),
        Target::Api(args) => api::run(args),
        Target::Console(args) => console::run(args),
        Target::Base(args) => base::run(args),
    }
}

/// Run `measure` in a scratch folder of its own (`renkei-bench-<name>-<pid>` in the
/// temporary folder), removed afterwards whatever the outcome.
pub(super) fn in_scratch<F>(
    name: &str,
    measure: impl FnOnce(std::path::PathBuf) -> F,
) -> Result<ExitCode>
where
    F: std::future::Future<Output = Result<()>>,
{
    let dir = std::env::temp_dir().join(format!("renkei-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let runtime = tokio::runtime::Runtime::new()?;
    let outcome = runtime.block_on(measure(dir.clone()));
    let _ = std::fs::remove_dir_all(&dir);
    outcome?;
    Ok(ExitCode::SUCCESS)
}

/// Peak resident memory on Linux; `None` elsewhere.
pub(super) fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
