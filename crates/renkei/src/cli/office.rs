//! `renkei office …`: an office's side of the relay — its key, enrolment, sending and
//! receiving parcels.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use renkei_office::client::HubClient;
use renkei_office::parcel;
use renkei_office::profile::Profile;
use renkei_seal::ArchivedFile;
use renkei_seal::receipt::SignedReceipt;

#[derive(Debug, Args)]
pub struct OfficeArgs {
    /// 事業所のデータフォルダ / the office's data folder
    #[arg(long, global = true, default_value = "./renkei-office")]
    dir: PathBuf,
    #[command(subcommand)]
    command: OfficeCommand,
}

#[derive(Debug, Subcommand)]
enum OfficeCommand {
    /// 事業所の鍵を作る / make the office's key pair
    Init {
        /// 事業所番号 (10桁) / office number
        #[arg(long)]
        number: String,
    },
    /// 登録コードで中継サーバーに登録する / enrol with the relay using a one-time code
    Enroll {
        /// 中継サーバーのURL / the relay's URL (https://…)
        #[arg(long)]
        hub: String,
        /// 運用者から受け取った登録コード / the code from the operator
        #[arg(long)]
        code: String,
        /// 運用者から受け取った認証局の証明書 / the authority certificate from the operator
        #[arg(long)]
        authority: PathBuf,
    },
    /// ファイルを1つの小包にして送る / send files to one office as one parcel
    Send {
        /// 送信先の事業所番号 / recipient office number
        #[arg(long)]
        to: String,
        /// 小包ID (省略時は中身から決まるので、送り直しても二重になりません) / client parcel id
        #[arg(long)]
        id: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 届いた小包を受け取り、確かめてから受信確認する / receive, check and acknowledge parcels
    Receive {
        /// 受け取ったファイルを書くフォルダ / folder to write received files into
        #[arg(long)]
        into: Option<PathBuf>,
        /// 届いていなければ待つ秒数 / seconds to wait when nothing is waiting
        #[arg(long, default_value_t = 0)]
        wait: u64,
    },
    /// 送った小包と状態 / parcels sent and their states
    Outbox,
    /// 小包の受領証を取り出す / fetch a parcel's receipts into the receipts folder
    Receipts {
        /// 小包ID (中継サーバーの) / the relay's parcel id
        parcel: String,
    },
}

pub fn run(args: OfficeArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        match args.command {
            OfficeCommand::Init { number } => init(&args.dir, &number),
            OfficeCommand::Enroll {
                hub,
                code,
                authority,
            } => enroll(&args.dir, &hub, &code, &authority).await,
            OfficeCommand::Send { to, id, files } => send(&args.dir, &to, id, &files).await,
            OfficeCommand::Receive { into, wait } => receive(&args.dir, into, wait).await,
            OfficeCommand::Outbox => outbox(&args.dir).await,
            OfficeCommand::Receipts { parcel } => receipts(&args.dir, &parcel).await,
        }
    })
}

fn init(dir: &Path, number: &str) -> Result<ExitCode> {
    if dir.join("office.json").exists() {
        bail!(
            "{} にはすでに事業所の設定があります。鍵を作り直すと登録が無効になるため、上書きしません / an office profile already exists there",
            dir.display()
        );
    }
    Profile::init(dir, number)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "事業所 {number} の鍵を作りました / key pair made: {}",
        dir.display()
    )?;
    writeln!(
        out,
        "次に / next: renkei office enroll --hub URL --code CODE --authority FILE"
    )?;
    Ok(ExitCode::SUCCESS)
}

async fn enroll(dir: &Path, hub: &str, code: &str, authority: &Path) -> Result<ExitCode> {
    let mut profile = Profile::load(dir)?;
    let authority_pem = std::fs::read(authority)
        .with_context(|| format!("{} を読めません / cannot read", authority.display()))?;
    let authority = renkei_seal::Certificate::from_pem(&authority_pem)?;
    let client = HubClient::anonymous(hub, &authority)?;
    let enrolled = client.enrol(code, &profile.request_pem()?).await?;
    if renkei_seal::Certificate::from_pem(enrolled.authority.as_bytes())?.fingerprint()
        != authority.fingerprint()
    {
        bail!(
            "中継サーバーの認証局が配布されたものと違います / the relay's authority differs from the file given"
        );
    }
    profile.save_enrolment(hub, &enrolled.certificate, &enrolled.authority)?;
    let certificate = profile.certificate()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "登録しました / enrolled: {} {} [{}]",
        enrolled.office.number,
        enrolled.office.name,
        enrolled.office.kinds.join(",")
    )?;
    writeln!(
        out,
        "  証明書の有効期限 / certificate valid until {}",
        renkei_seal::format_unix(certificate.not_after())
    )?;
    Ok(ExitCode::SUCCESS)
}

fn read_files(paths: &[PathBuf]) -> Result<Vec<ArchivedFile>> {
    paths
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .with_context(|| {
                    format!("ファイル名が読めません / bad file name: {}", path.display())
                })?
                .to_owned();
            let bytes = std::fs::read(path)
                .with_context(|| format!("{} を読めません / cannot read", path.display()))?;
            Ok(ArchivedFile { name, bytes })
        })
        .collect()
}

/// The same files to the same office give the same id, so sending again after a lost
/// answer never makes a second parcel.
fn content_id(to: &str, files: &[ArchivedFile]) -> String {
    let mut text = to.to_owned();
    for file in files {
        text.push('\n');
        text.push_str(&file.name);
        text.push(' ');
        text.push_str(&renkei_seal::sha256_hex(&file.bytes));
    }
    renkei_seal::sha256_hex(text.as_bytes())[..32].to_owned()
}

fn save_receipt(
    profile: &Profile,
    receipt: &SignedReceipt,
    parcel: &str,
    step: &str,
) -> Result<PathBuf> {
    let dir = profile.receipts_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{parcel}-{step}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(receipt)?)
        .with_context(|| format!("{} に書けません / cannot write", path.display()))?;
    Ok(path)
}

async fn send(dir: &Path, to: &str, id: Option<String>, paths: &[PathBuf]) -> Result<ExitCode> {
    let profile = Profile::load(dir)?;
    let client = HubClient::for_office(&profile)?;
    let files = read_files(paths)?;
    let recipient = client
        .office(to)
        .await?
        .filter(|o| o.certificate.is_some())
        .ok_or_else(|| renkei_office::Error::NoRecipient(to.to_owned()))?;
    let certificate = renkei_seal::Certificate::from_pem(
        recipient
            .certificate
            .as_deref()
            .unwrap_or_default()
            .as_bytes(),
    )?;
    let id = id.unwrap_or_else(|| content_id(to, &files));
    let outgoing = parcel::prepare(
        &profile,
        to,
        &certificate,
        &files,
        &id,
        renkei_seal::unix_now(),
    )?;
    let sent = client.send(&outgoing.manifest, outgoing.payload).await?;
    let receipt = sent.receipt.verify(&profile.trust()?)?;
    let path = save_receipt(&profile, &sent.receipt, &receipt.parcel_id, "accepted")?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} / {}: {} ({}件) → {} {}",
        if sent.new {
            "送信しました"
        } else {
            "送信済みでした"
        },
        if sent.new { "sent" } else { "already sent" },
        receipt.parcel_id,
        files.len(),
        recipient.number,
        recipient.name
    )?;
    writeln!(
        out,
        "  受領証 / receipt: {} (監査ログ {}番 / log index {})",
        path.display(),
        receipt.log_index,
        receipt.log_index
    )?;
    Ok(ExitCode::SUCCESS)
}

async fn receive(dir: &Path, into: Option<PathBuf>, wait: u64) -> Result<ExitCode> {
    let profile = Profile::load(dir)?;
    let client = HubClient::for_office(&profile)?;
    let into = into.unwrap_or_else(|| dir.join("received"));
    let items = client.inbox(None, Duration::from_secs(wait)).await?;
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for item in &items {
        let payload = client.payload(&item.parcel.id).await?;
        let opened = match parcel::open(&profile, item, &payload) {
            Ok(opened) => opened,
            Err(error) => {
                // Not acknowledged: the parcel stays at the relay for a look by a person.
                failed += 1;
                writeln!(out, "開けません / cannot open {}: {error}", item.parcel.id)?;
                continue;
            }
        };
        let folder = into.join(&item.parcel.id);
        write_all_atomically(&folder, &opened.files)?;
        let acknowledgement = parcel::acknowledgement(&profile, item, renkei_seal::unix_now())?;
        let receipt = client
            .acknowledge(&item.parcel.id, &acknowledgement)
            .await?;
        save_receipt(&profile, &receipt, &item.parcel.id, "acknowledged")?;
        writeln!(
            out,
            "受信しました / received: {} from {} ({}件) → {}",
            item.parcel.id,
            item.parcel.sender,
            opened.files.len(),
            folder.display()
        )?;
    }
    writeln!(out, "{}件受信 / parcels received", items.len() - failed)?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Files appear under their real names only when complete.
fn write_all_atomically(folder: &Path, files: &[ArchivedFile]) -> Result<()> {
    std::fs::create_dir_all(folder)
        .with_context(|| format!("{} を作れません / cannot create", folder.display()))?;
    for file in files {
        let path = folder.join(&file.name);
        let temporary = folder.join(format!(".{}.partial", file.name));
        std::fs::write(&temporary, &file.bytes)
            .with_context(|| format!("{} に書けません / cannot write", temporary.display()))?;
        std::fs::File::open(&temporary)?.sync_all()?;
        std::fs::rename(&temporary, &path)?;
    }
    Ok(())
}

async fn outbox(dir: &Path) -> Result<ExitCode> {
    let profile = Profile::load(dir)?;
    let client = HubClient::for_office(&profile)?;
    let parcels = client.outbox(1000).await?;
    let mut out = std::io::stdout().lock();
    for parcel in &parcels {
        writeln!(
            out,
            "{}  → {}  {}  {}  {} B",
            parcel.id,
            parcel.recipient,
            parcel.state_ja,
            renkei_seal::format_unix(parcel.accepted),
            parcel.size
        )?;
    }
    writeln!(out, "{}件 / parcels", parcels.len())?;
    Ok(ExitCode::SUCCESS)
}

async fn receipts(dir: &Path, parcel: &str) -> Result<ExitCode> {
    let profile = Profile::load(dir)?;
    let client = HubClient::for_office(&profile)?;
    let trust = profile.trust()?;
    let mut out = std::io::stdout().lock();
    for signed in client.receipts(parcel).await? {
        let receipt = signed.verify(&trust)?;
        let step = serde_json::to_value(receipt.action)?;
        let step = step.as_str().unwrap_or("step");
        let path = save_receipt(&profile, &signed, parcel, step)?;
        writeln!(
            out,
            "{step}: {} 監査ログ {}番 / log index → {}",
            renkei_seal::format_unix(receipt.time),
            receipt.log_index,
            path.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
