//! `renkei`: the command line of the care-plan data linkage system.
//!
//! Only this crate parses arguments and prints; everything it does is in the libraries.

mod cli;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    log_to_stderr(args.default_log_level());
    match cli::run(args) {
        Ok(code) => code,
        // A closed pipe (`renkei check … | head`) is the reader's choice, not a failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("エラー / error: {error:#}");
            }
            ExitCode::from(2)
        }
    }
}

/// What the libraries log (the relay's enrolments, revocations, sweeps and failures) goes
/// to standard error, at the level `RENKEI_LOG` names (error, warn, info, debug), else at
/// the command's own default.
fn log_to_stderr(default: tracing_subscriber::filter::LevelFilter) {
    let level = std::env::var("RENKEI_LOG")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(default);
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
