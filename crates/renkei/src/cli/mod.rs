//! Subcommands. Each module holds one command: its arguments and how it prints.

mod api_key;
#[cfg(feature = "relay")]
mod base;
#[cfg(feature = "relay")]
mod bench;
mod check;
mod conformance;
mod console;
mod convert;
#[cfg(feature = "relay")]
mod demo;
#[cfg(feature = "relay")]
mod demo_base;
mod files;
mod generate;
#[cfg(feature = "relay")]
mod hub;
mod office;
mod receipt;
mod schema;

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
    /// デモ: 中継サーバーと4事業所で1か月分をやり取りする / the whole exchange on this machine, nothing to set up
    #[cfg(feature = "relay")]
    Demo(demo::DemoArgs),
    /// 標準仕様CSVを検査する / check standard CSV files and folders, grouped by send unit
    Check(check::CheckArgs),
    /// 適合性確認キット: 例ごとに合格・不合格 / check a conformance kit's cases, or write the kit
    Conformance(conformance::ConformanceArgs),
    /// 変換する: V3をV4.1に、CSVをJSONに、JSONをCSVに / convert V3 to V4.1, CSV to JSON and back
    Convert(convert::ConvertArgs),
    /// JSON形式のスキーマ / the JSON Schemas of the standard's records in JSON
    Schema(schema::SchemaArgs),
    /// 性能を測る / measure speed (load generators that print figures)
    #[cfg(feature = "relay")]
    Bench(bench::BenchArgs),
    /// 架空のデータを生成する / generate a realistic fictional month of files
    Gen(generate::GenArgs),
    /// 中継サーバー / the relay: init, serve, enrolment codes, offices, revocation
    #[cfg(feature = "relay")]
    Hub(hub::HubArgs),
    /// 介護情報基盤 / the information base: a municipality's files, made up or loaded
    #[cfg(feature = "relay")]
    Base(base::BaseArgs),
    /// 事業所 / an office: key, enrolment, send, receive
    Office(office::OfficeArgs),
    /// 受領証を確かめる (オフライン) / verify a receipt offline
    VerifyReceipt(receipt::VerifyReceiptArgs),
}

impl Args {
    /// How much the libraries' log says by default: a running relay tells its operator what
    /// happens; a command run by hand speaks only of trouble.
    pub fn default_log_level(&self) -> tracing_subscriber::filter::LevelFilter {
        match &self.command {
            #[cfg(feature = "relay")]
            Command::Hub(hub) if hub.is_serve() => tracing_subscriber::filter::LevelFilter::INFO,
            Command::Office(office) if office.is_ui() => {
                tracing_subscriber::filter::LevelFilter::INFO
            }
            _ => tracing_subscriber::filter::LevelFilter::WARN,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        #[cfg(feature = "relay")]
        Command::Base(a) => base::run(a),
        #[cfg(feature = "relay")]
        Command::Bench(a) => bench::run(a),
        Command::Check(a) => check::run(a),
        Command::Conformance(a) => conformance::run(a),
        Command::Convert(a) => convert::run(a),
        #[cfg(feature = "relay")]
        Command::Demo(a) => demo::run(a),
        Command::Gen(a) => generate::run(a),
        #[cfg(feature = "relay")]
        Command::Hub(a) => hub::run(a),
        Command::Office(a) => office::run(a),
        Command::Schema(a) => schema::run(a),
        Command::VerifyReceipt(a) => receipt::run(a),
    }
}
