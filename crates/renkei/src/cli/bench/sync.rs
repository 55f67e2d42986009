//! `renkei bench sync`: a generated month between one planner and many providers, end to
//! end through the offices' folders and a relay on loopback (`renkei demo` at scale).

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use renkei_spec::Generation;
use renkei_spec::generate::Config;
use renkei_spec::ids::YearMonth;

#[derive(Debug, Args)]
pub struct SyncBenchArgs {
    #[arg(long, default_value_t = 30)]
    providers: usize,
    /// People in care of the one planner
    #[arg(long, default_value_t = 600)]
    users: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// One file per office and kind, all people together (default: one send unit per
    /// person, as many care systems export)
    #[arg(long)]
    whole_office: bool,
}

#[allow(clippy::print_stdout)] // a load generator prints its figures
pub fn run(args: SyncBenchArgs) -> Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("renkei-bench-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let config = Config {
        seed: args.seed,
        planners: 1,
        providers: args.providers,
        users: args.users,
        month: YearMonth::parse("202512").expect("literal month"),
        generation: Generation::V4,
        per_person: !args.whole_office,
    };
    let started = Instant::now();
    let runtime = tokio::runtime::Runtime::new()?;
    let done = runtime.block_on(super::super::demo::exchange(&dir, config, false, |_| {}));
    let total = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    let done = done?;
    println!(
        "1 planner, {} providers, {} people: {} files generated",
        args.providers, args.users, done.generated_files
    );
    let mut files = 0;
    let mut seconds = 0.0;
    for step in &done.steps {
        println!(
            "  {:>5} files in {:>4} parcels, {:>6.2} s = {:>7.0} files/s  {}",
            step.files,
            step.parcels,
            step.seconds,
            step.files as f64 / step.seconds.max(1e-9),
            step.what
        );
        files += step.files;
        seconds += step.seconds;
    }
    println!(
        "sync end to end: {files} files moved in {seconds:.2} s of sync = {:.0} files/s ({total:.1} s with relay start, enrolment and generation)",
        files as f64 / seconds.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
