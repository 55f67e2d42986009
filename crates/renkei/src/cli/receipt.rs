//! `renkei verify-receipt`: check a receipt offline, with nothing but the authority.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use renkei_seal::receipt::SignedReceipt;
use renkei_seal::{Certificate, Trust};

#[derive(Debug, Args)]
pub struct VerifyReceiptArgs {
    /// 受領証ファイル (JSON) / the receipt file
    file: PathBuf,
    /// 認証局の証明書 / the authority certificate
    #[arg(long)]
    authority: PathBuf,
}

pub fn run(args: VerifyReceiptArgs) -> Result<ExitCode> {
    let authority = std::fs::read(&args.authority)
        .with_context(|| format!("{} を読めません / cannot read", args.authority.display()))?;
    let trust = Trust::new(Certificate::from_pem(&authority)?)?;
    let text = std::fs::read(&args.file)
        .with_context(|| format!("{} を読めません / cannot read", args.file.display()))?;
    let signed: SignedReceipt = serde_json::from_slice(&text).with_context(|| {
        format!(
            "{} は受領証ではありません / not a receipt",
            args.file.display()
        )
    })?;
    let mut out = std::io::stdout().lock();
    match signed.verify(&trust) {
        Ok(receipt) => {
            let checkpoint: renkei_seal::receipt::Checkpoint =
                serde_json::from_str(&receipt.checkpoint.body)?;
            writeln!(out, "正しい受領証です / the receipt verifies")?;
            writeln!(out, "  手続 / step: {:?}", receipt.action)?;
            writeln!(
                out,
                "  小包 / parcel: {} ({})",
                receipt.parcel_id, receipt.client_parcel_id
            )?;
            writeln!(
                out,
                "  送信元 → 送信先 / from → to: {} → {}",
                receipt.sender, receipt.recipient
            )?;
            writeln!(out, "  ダイジェスト / SHA-256: {}", receipt.payload_sha256)?;
            writeln!(
                out,
                "  日時 / time: {}",
                renkei_seal::format_unix(receipt.time)
            )?;
            writeln!(
                out,
                "  監査ログ / log: {}番、検査点 {} (大きさ {}、根 {})",
                receipt.log_index, checkpoint.origin, checkpoint.size, checkpoint.root
            )?;
            if receipt.acknowledgement.is_some() {
                writeln!(
                    out,
                    "  受信者の署名付き受信確認あり / signed by the recipient"
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            writeln!(
                out,
                "受領証を確かめられません / the receipt does NOT verify: {error}"
            )?;
            Ok(ExitCode::from(1))
        }
    }
}
