//! Subcommands. Each module holds one command: its arguments and how it prints.

mod bench;
mod check;
mod files;
mod generate;
mod hub;
mod office;
mod receipt;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// renkei — ケアプランデータ連携 (care-plan data linkage): standard CSV tools, relay and office client.
#[derive(Debug, Parser)]
#[command(name = "renkei", version, about)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 標準仕様CSVを検査する / check standard CSV files and folders, grouped by send unit
    Check(check::CheckArgs),
    /// 性能を測る / measure speed (load generators that print figures)
    Bench(bench::BenchArgs),
    /// 架空のデータを生成する / generate a realistic fictional month of files
    Gen(generate::GenArgs),
    /// 中継サーバー / the relay: init, serve, enrolment codes, offices, revocation
    Hub(hub::HubArgs),
    /// 事業所 / an office: key, enrolment, send, receive
    Office(office::OfficeArgs),
    /// 受領証を確かめる (オフライン) / verify a receipt offline
    VerifyReceipt(receipt::VerifyReceiptArgs),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Command::Bench(a) => bench::run(a),
        Command::Check(a) => check::run(a),
        Command::Gen(a) => generate::run(a),
        Command::Hub(a) => hub::run(a),
        Command::Office(a) => office::run(a),
        Command::VerifyReceipt(a) => receipt::run(a),
    }
}
