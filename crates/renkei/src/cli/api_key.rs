//! `renkei office api-key`: keys for care software's programs on the office's local API
//! (the same keys the console's 介護ソフトの API キー page makes); `renkei office delivery`:
//! whether received files go to the import folder or wait for the API.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};
use renkei_office::Office;
use renkei_office::api_key::{self, Scope};
use renkei_office::ledger::Ledger;
use renkei_office::receiving::{self, Delivery};
use renkei_office_console::time::jst;

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// API キーを作る(一度だけ表示) / make a key, shown once
    Add {
        /// 鍵の名前(どの介護ソフト・どのパソコンか) / the key's name
        name: String,
        /// 権限: send (送信)、receive (受信・送信状況)、infobase (介護情報基盤)。カンマ区切り / scopes, comma-separated
        #[arg(long, default_value = "send,receive")]
        scopes: String,
    },
    /// API キーの一覧 / list the keys
    List,
    /// API キーを取り消す / revoke a key
    Revoke { name: String },
}

pub fn run(dir: &Path, command: ApiKeyCommand) -> Result<ExitCode> {
    let ledger = Ledger::open(&dir.join("ledger.db"))?;
    let mut out = std::io::stdout().lock();
    match command {
        ApiKeyCommand::Add { name, scopes } => {
            let scopes = Scope::parse_list(&scopes)?;
            let made = api_key::make(&ledger, &name, &scopes, "(コマンド)")?;
            writeln!(
                out,
                "API キー「{}」を作りました(権限: {}) / key made",
                made.key.name,
                labels(&made.key.scopes)
            )?;
            writeln!(
                out,
                "  鍵(一度だけ表示します。介護ソフトの設定に貼り付けてください) / the key, shown once:"
            )?;
            writeln!(out, "{}", made.token)?;
        }
        ApiKeyCommand::List => {
            for key in api_key::list(&ledger)? {
                let state = key
                    .revoked
                    .map_or_else(|| "使用中".to_owned(), |t| format!("取消済 {}", jst(t)));
                let used = key.last_used.map_or_else(|| "-".to_owned(), jst);
                writeln!(
                    out,
                    "{}\t{}\t{state}\t最後の使用 {used}",
                    key.name,
                    labels(&key.scopes)
                )?;
            }
        }
        ApiKeyCommand::Revoke { name } => {
            if !api_key::revoke(&ledger, &name)? {
                bail!("使用中の API キー「{name}」はありません / no key in use of that name");
            }
            writeln!(out, "API キー「{name}」を取り消しました / revoked")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn labels(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(Scope::label_ja)
        .collect::<Vec<_>>()
        .join("・")
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DeliveryArg {
    /// 取込フォルダに置き、置けたら受信確認 / placed in the import folder
    Folder,
    /// API で介護ソフトが取り込み、取込の確認で受信確認 / held for the local API
    Api,
}

pub fn delivery(dir: &Path, to: Option<DeliveryArg>) -> Result<ExitCode> {
    let office = Office::open(dir)?;
    if let Some(to) = to {
        let chosen = match to {
            DeliveryArg::Folder => Delivery::Folder,
            DeliveryArg::Api => Delivery::Api,
        };
        receiving::set_delivery(&office, chosen)?;
    }
    let mut out = std::io::stdout().lock();
    match receiving::delivery(&office)? {
        Delivery::Folder => writeln!(
            out,
            "届いたファイルは取込フォルダに置きます(置けたら受信確認) / received files go to the import folder"
        )?,
        Delivery::Api => writeln!(
            out,
            "届いたファイルは API で介護ソフトが取り込みます(取込の確認で受信確認) / received files wait for the care software's API"
        )?,
    }
    Ok(ExitCode::SUCCESS)
}
