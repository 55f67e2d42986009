//! `renkei`: the command line of the care-plan data linkage system.
//!
//! Only this crate parses arguments and prints; everything it does is in the libraries.

mod cli;
mod progress;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("エラー / error: {error:#}");
            }
            ExitCode::from(2)
        }
    }
}
