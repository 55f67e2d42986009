//! `renkei office …`: an office's side of the relay — its key, enrolment, sending and
//! receiving parcels.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use renkei_office::Office;
use renkei_office::profile::Profile;
use renkei_office::receiving::{self, ReceiveReport};
use renkei_office::returned::{self, Returned};
use renkei_office::sending::{self, Refused, SendReport};
use renkei_office::software;
use renkei_proto::CsvVersions;

use crate::progress::Bar;

#[derive(Debug, Args)]
pub struct OfficeArgs {
    /// 事業所のデータフォルダ (既定: Windows は %LOCALAPPDATA%\renkei、ほかは ~/.local/share/renkei。RENKEI_OFFICE_DIR でも指定可) / the office's data folder
    #[arg(long, global = true)]
    dir: Option<PathBuf>,
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
        /// 介護ソフトが取り込めるCSVバージョン (202407=V4.1, 202208=V3。カンマ区切り) / CSV versions the care software reads
        #[arg(long, default_value = "202407")]
        reads: String,
        /// 介護ソフトが出力するCSVバージョン / CSV versions the care software writes
        #[arg(long, default_value = "202407")]
        writes: String,
    },
    /// 介護ソフトが読み書きするCSVバージョンを見る・変える (事業所検索に載ります) / show or set the CSV versions the care software reads and writes (shown in the directory)
    CsvVersions {
        /// 取り込めるバージョン (例: 202407,202208) / versions read
        #[arg(long)]
        reads: Option<String>,
        /// 出力するバージョン (例: 202208) / versions written
        #[arg(long)]
        writes: Option<String>,
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
    /// ファイル・フォルダを検査して送信先ごとに送る (送り直しても二重になりません) / validate and send files or folders, one parcel per destination (safe to repeat)
    Send {
        /// 標準仕様でないファイル(PDFなど)の送信先事業所番号 / recipient of files that are not standard CSV (PDF reports …)
        #[arg(long)]
        to: Option<String>,
        /// 送信済みファイルの移動先 / where sent files go (default: DIR/sent)
        #[arg(long)]
        sent: Option<PathBuf>,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// 届いた小包を受け取り、確かめてから取込フォルダに置き、受信確認する / receive, check, place into the import folder, acknowledge
    Receive {
        /// 介護ソフトの取込フォルダ / the care software's import folder (default: DIR/import)
        #[arg(long)]
        import: Option<PathBuf>,
        /// 届いていなければ待つ秒数 / seconds to wait when nothing is waiting
        #[arg(long, default_value_t = 0)]
        wait: u64,
    },
    /// 出力フォルダを検査して送り、届いたものを取込フォルダに置く / send the export folder, receive into the import folder
    Sync {
        /// 介護ソフトの出力フォルダ / the care software's export folder
        #[arg(long)]
        export: PathBuf,
        /// 介護ソフトの取込フォルダ / the care software's import folder
        #[arg(long)]
        import: PathBuf,
        /// 送信済みファイルの移動先 / where sent files go (default: DIR/sent)
        #[arg(long)]
        sent: Option<PathBuf>,
        /// 止めるまで続ける (Ctrl-C で終了) / keep going until stopped
        #[arg(long)]
        watch: bool,
        /// 受信を待つ秒数 / seconds to wait for parcels on each round
        #[arg(long, default_value_t = 0)]
        wait: u64,
    },
    /// 送受信の記録と文書の版 / what was sent and received, and document versions
    History {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// 送った小包と状態 / parcels sent and their states
    Outbox,
    /// 事業所の画面をこのパソコンで開く (ブラウザで表示) / serve the office console on localhost
    Ui {
        /// 待ち受けるアドレス (既定はこのパソコンだけ) / where to listen (this machine only by default)
        #[arg(long, default_value = "127.0.0.1:8930")]
        listen: String,
        /// このパソコンの名前で開くとき、その名前 (くり返し可。IPアドレスと localhost はいつでも可) / a host name the console may be opened by (repeatable)
        #[arg(long = "host")]
        hosts: Vec<String>,
        /// 介護ソフトの出力フォルダ / export folder (default: DIR/export)
        #[arg(long)]
        export: Option<PathBuf>,
        /// 介護ソフトの取込フォルダ / import folder (default: DIR/import)
        #[arg(long)]
        import: Option<PathBuf>,
        /// 送信済みファイルの移動先 / sent folder (default: DIR/sent)
        #[arg(long)]
        sent: Option<PathBuf>,
        /// ブラウザを開かない / do not open the default browser
        #[arg(long)]
        no_browser: bool,
    },
    /// 画面の職員アカウント / the console's staff accounts
    #[command(subcommand)]
    Staff(super::console::StaffCommand),
    /// 介護ソフトの API キー / keys for care software on the local API
    #[command(subcommand)]
    ApiKey(super::api_key::ApiKeyCommand),
    /// 届いたファイルを介護ソフトに渡す方法を見る・変える: folder (取込フォルダ) か api (API で取り込み、取込の確認で受信確認) / show or set how received files reach the care software
    Delivery {
        #[arg(value_enum)]
        to: Option<super::api_key::DeliveryArg>,
    },
    /// 小包の受領証を取り出す / fetch a parcel's receipts into the receipts folder
    Receipts {
        /// 小包ID (中継サーバーの) / the relay's parcel id
        parcel: String,
    },
    /// 中継サーバーの監査ログが、保管した受領証の時から書き換えられず増えただけか確かめる / check that the relay's audit log only grew since the receipts kept
    LogCheck,
}

impl OfficeArgs {
    /// Whether this runs the console, which logs what it serves.
    pub fn is_ui(&self) -> bool {
        matches!(self.command, OfficeCommand::Ui { .. })
    }
}

pub fn run(args: OfficeArgs) -> Result<ExitCode> {
    let dir = args
        .dir
        .unwrap_or_else(renkei_office::platform::default_data_dir);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        match args.command {
            OfficeCommand::Init {
                number,
                reads,
                writes,
            } => init(&dir, &number, &reads, &writes),
            OfficeCommand::CsvVersions { reads, writes } => {
                csv_versions(&dir, reads.as_deref(), writes.as_deref()).await
            }
            OfficeCommand::Enroll {
                hub,
                code,
                authority,
            } => enroll(&dir, &hub, &code, &authority).await,
            OfficeCommand::Send { to, sent, paths } => {
                let sent = sent.unwrap_or_else(|| dir.join("sent"));
                send(&dir, to.as_deref(), &sent, &paths).await
            }
            OfficeCommand::Receive { import, wait } => {
                let import = import.unwrap_or_else(|| dir.join("import"));
                receive(&dir, &import, wait).await
            }
            OfficeCommand::Sync {
                export,
                import,
                sent,
                watch,
                wait,
            } => {
                let sent = sent.unwrap_or_else(|| dir.join("sent"));
                sync(&dir, &export, &import, &sent, watch, wait).await
            }
            OfficeCommand::History { limit } => history(&dir, limit),
            OfficeCommand::Outbox => outbox(&dir).await,
            OfficeCommand::Receipts { parcel } => receipts(&dir, &parcel).await,
            OfficeCommand::LogCheck => log_check(&dir).await,
            OfficeCommand::Ui {
                listen,
                hosts,
                export,
                import,
                sent,
                no_browser,
            } => {
                let ui = super::console::UiArgs {
                    listen,
                    hosts,
                    export,
                    import,
                    sent,
                    open_browser: !no_browser,
                };
                super::console::ui(&dir, ui).await
            }
            OfficeCommand::Staff(command) => super::console::staff(&dir, command).await,
            OfficeCommand::ApiKey(command) => super::api_key::run(&dir, command),
            OfficeCommand::Delivery { to } => super::api_key::delivery(&dir, to),
        }
    })
}

fn init(dir: &Path, number: &str, reads: &str, writes: &str) -> Result<ExitCode> {
    if dir.join("office.json").exists() {
        bail!(
            "{} にはすでに事業所の設定があります。鍵を作り直すと登録が無効になるため、上書きしません / an office profile already exists there",
            dir.display()
        );
    }
    // Read before anything is made, so a mistyped version leaves no half-made office.
    let versions = CsvVersions {
        reads: software::parse_list(reads)?,
        writes: software::parse_list(writes)?,
    };
    Profile::init(dir, number)?;
    software::declare(dir, &versions)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "事業所 {number} の鍵を作りました / key pair made: {}",
        dir.display()
    )?;
    print_csv_versions(&mut out, &versions)?;
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
    let office = profile.enrol(hub, &authority, code).await?;
    let certificate = profile.certificate()?;
    // The directory shows partners what this office's software reads from the first day.
    let at_work = Office::open(dir)?;
    if let Err(error) = software::tell_relay(&at_work).await {
        tracing::warn!(
            "CSVバージョンを中継サーバーに伝えられませんでした。次の同期で伝えます / the CSV versions were not told to the relay; the next sync tells them: {error}"
        );
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "登録しました / enrolled: {} {} [{}]",
        office.number,
        office.name,
        office.kinds.join(",")
    )?;
    writeln!(
        out,
        "  証明書の有効期限 / certificate valid until {}",
        renkei_seal::format_unix(certificate.not_after())
    )?;
    Ok(ExitCode::SUCCESS)
}

fn print_csv_versions(out: &mut impl Write, versions: &CsvVersions) -> Result<()> {
    writeln!(
        out,
        "介護ソフトのCSVバージョン / CSV versions: 取込 (reads) {}、出力 (writes) {}",
        CsvVersions::describe(&versions.reads),
        CsvVersions::describe(&versions.writes)
    )?;
    Ok(())
}

async fn csv_versions(dir: &Path, reads: Option<&str>, writes: Option<&str>) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut declared = software::declared(dir)?.unwrap_or_default();
    if reads.is_none() && writes.is_none() {
        print_csv_versions(&mut out, &declared.versions)?;
        if declared.versions.is_declared() && !declared.told {
            writeln!(
                out,
                "  中継サーバーにはまだ伝えていません(次の同期で伝えます) / not told to the relay yet; the next sync tells it"
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(reads) = reads {
        declared.versions.reads = software::parse_list(reads)?;
    }
    if let Some(writes) = writes {
        declared.versions.writes = software::parse_list(writes)?;
    }
    software::declare(dir, &declared.versions)?;
    print_csv_versions(&mut out, &declared.versions.normalised())?;
    let office = Office::open(dir)?;
    match software::tell_relay(&office).await {
        Ok(_) => writeln!(out, "事業所検索に載せました / the directory shows it now")?,
        Err(error) => writeln!(
            out,
            "中継サーバーに伝えられませんでした。次の同期で伝えます / not told to the relay yet; the next sync tells it: {error}"
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn send(dir: &Path, to: Option<&str>, sent: &Path, paths: &[PathBuf]) -> Result<ExitCode> {
    let office = Office::open(dir)?;
    let bar = Bar::new("送信中 / sending");
    let report = sending::send_paths(&office, paths, to, sent, &bar).await?;
    let mut out = std::io::stdout().lock();
    print_sent(&mut out, &report)?;
    Ok(if report.refused.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

async fn receive(dir: &Path, import: &Path, wait: u64) -> Result<ExitCode> {
    let office = Office::open(dir)?;
    let bar = Bar::new("受信中 / receiving");
    let report = receiving::receive(&office, import, Duration::from_secs(wait), &bar).await?;
    let mut out = std::io::stdout().lock();
    print_received(&mut out, &report, import)?;
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// How often a watching sync asks the relay for rejections of what it sent.
const RETURNED_EVERY: Duration = Duration::from_secs(60);

async fn sync(
    dir: &Path,
    export: &Path,
    import: &Path,
    sent: &Path,
    watch: bool,
    wait: u64,
) -> Result<ExitCode> {
    let mut office = Office::open(dir)?;
    if watch {
        // The care software may be writing a file as we look.
        office.limits.settle = Duration::from_secs(2);
    }
    std::fs::create_dir_all(export)
        .with_context(|| format!("{} を作れません / cannot create", export.display()))?;
    let bar = Bar::new("同期中 / syncing");
    // Watching, each round waits for parcels (the relay answers the moment one arrives)
    // and then looks at the export folder again.
    let wait = Duration::from_secs(if watch { wait.max(2) } else { wait });
    let mut clean = true;
    // Refusals already told of: a watching sync does not repeat them every round.
    let mut told = std::collections::HashSet::new();
    let mut last_look = None;
    loop {
        let started = Instant::now();
        // A change of versions made on the console, or while the relay was away.
        if let Err(error) = software::tell_relay(&office).await {
            tracing::warn!(
                "CSVバージョンを中継サーバーに伝えられませんでした。次の回でまた伝えます / the CSV versions were not told to the relay: {error}"
            );
        }
        let mut sent_report = sending::send_folder(&office, export, sent, &bar).await?;
        clean &= sent_report.refused.is_empty();
        if watch {
            sent_report.refused.retain(|r| told.insert(refusal_key(r)));
        }
        let received = receiving::receive(&office, import, wait, &bar).await?;
        // Rejections are asked for with the whole outbox: a watching sync asks once a
        // minute, not every round, to spare the relay at the month-start peak.
        let due = last_look.is_none_or(|at: Instant| at.elapsed() >= RETURNED_EVERY);
        let came_back = if due {
            last_look = Some(Instant::now());
            returned::collect(&office).await?
        } else {
            Vec::new()
        };
        clean &= came_back.is_empty();
        let mut out = std::io::stdout().lock();
        print_sent(&mut out, &sent_report)?;
        print_received(&mut out, &received, import)?;
        print_returned(&mut out, &came_back)?;
        let files_sent: usize = sent_report.sent.iter().map(|s| s.files).sum();
        let files_placed: usize = received.received.iter().map(|r| r.placed.len()).sum();
        let quiet = sent_report.sent.is_empty()
            && came_back.is_empty()
            && sent_report.refused.is_empty()
            && received.received.is_empty()
            && received.failed.is_empty();
        // A watching sync speaks only when something happened.
        if !(watch && quiet) {
            writeln!(
                out,
                "同期 / sync: 送信 {} 小包 {} ファイル、受信 {} 小包 {} ファイル、送れなかったもの {} 件 ({:.1} 秒)",
                sent_report.sent.len(),
                files_sent,
                received.received.len(),
                files_placed,
                sent_report.refused.len() + received.failed.len(),
                started.elapsed().as_secs_f64()
            )?;
        }
        out.flush()?;
        clean &= received.failed.is_empty();
        if !watch {
            break;
        }
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            () = tokio::time::sleep(Duration::from_millis(200)) => {}
        }
    }
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What a refusal is about, to tell of it once.
fn refusal_key(refused: &Refused) -> String {
    match refused {
        Refused::Invalid(unit) => unit
            .files
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        Refused::NotStandard { file } | Refused::TooLarge { file, .. } => file.clone(),
        Refused::NoRecipient { files, .. }
        | Refused::NotConverted { files, .. }
        | Refused::Failed { files, .. }
        | Refused::NotFromHere { files, .. } => files.join("|"),
    }
}

fn print_sent(out: &mut impl Write, report: &SendReport) -> Result<()> {
    for conversion in &report.converted {
        writeln!(
            out,
            "V3をV4.1に変換して送ります(送信先 {} の介護ソフトはV4.1だけを読みます) / converted from V3 to V4.1 for {}, whose software reads only V4.1:",
            conversion.recipient, conversion.recipient
        )?;
        for (from, to) in &conversion.files {
            writeln!(out, "  {from} → {to}")?;
        }
        super::convert::print_gaps(out, &conversion.gaps)?;
    }
    for sent in &report.sent {
        writeln!(
            out,
            "{} / {}: {} → {} {} ({}ファイル, {} B)",
            if sent.new {
                "送信しました"
            } else {
                "送信済みでした"
            },
            if sent.new { "sent" } else { "already sent" },
            sent.parcel_id,
            sent.recipient,
            sent.recipient_name,
            sent.files,
            sent.bytes
        )?;
    }
    for refused in &report.refused {
        match refused {
            Refused::Invalid(unit) => {
                writeln!(
                    out,
                    "送りませんでした(エラーがあります) / not sent, the unit has errors:"
                )?;
                super::check::print_unit(out, unit, false)?;
            }
            Refused::NotStandard { file } => writeln!(
                out,
                "送りませんでした / not sent: {file} — 標準仕様のファイル名ではありません。添付ファイルは送信先の事業所番号のフォルダに入れてください / not a standard name; put attachments in a folder named by the recipient's office number"
            )?,
            Refused::NotFromHere { sender, files } => writeln!(
                out,
                "送りませんでした / not sent: {}ファイル — ファイル名の送信元が事業所 {sender} です。この事業所の出力したファイルだけを送れます / the names say office {sender} sent them",
                files.len()
            )?,
            Refused::NoRecipient { recipient, files } => writeln!(
                out,
                "送りませんでした / not sent: {}ファイル — 送信先 {recipient} が事業所検索にないか、受信できません / recipient not in the directory or cannot receive",
                files.len()
            )?,
            Refused::TooLarge { file, size, limit } => writeln!(
                out,
                "送りませんでした / not sent: {file} — {size} バイトは上限 {limit} バイトを超えます / over the size limit"
            )?,
            Refused::NotConverted { files, .. } => {
                // The ledger's wording, so the console and this say the same.
                if let Some(record) = refused.record(0) {
                    writeln!(
                        out,
                        "送りませんでした / not sent: {}ファイル — {} / {}",
                        files.len(),
                        record.reason_ja,
                        record.reason_en
                    )?;
                }
            }
            Refused::Failed {
                recipient,
                files,
                error,
            } => writeln!(
                out,
                "送れませんでした(次回また送ります) / not sent, will retry next time: {recipient} 宛 {}ファイル — {error}",
                files.len()
            )?,
        }
    }
    for file in &report.waiting {
        writeln!(
            out,
            "まだ書き込み中です(次回送ります) / still being written, left for next time: {file} — 介護ソフトが開いています / another program has it open"
        )?;
    }
    Ok(())
}

fn print_received(out: &mut impl Write, report: &ReceiveReport, import: &Path) -> Result<()> {
    for received in &report.received {
        writeln!(
            out,
            "受信しました / received: {} from {} ({}ファイル → {}{})",
            received.parcel_id,
            received.sender,
            received.placed.len(),
            if received.held {
                "介護ソフトの取込待ち(API) / held for the care software's API".to_owned()
            } else {
                import.display().to_string()
            },
            if received.attachments.is_empty() {
                String::new()
            } else {
                format!("、添付 {}件", received.attachments.len())
            }
        )?;
    }
    for received in &report.received {
        for file in &received.withdrawn_unknown {
            writeln!(
                out,
                "取消の対象がありません(受け取っていない帳票の取消です。取込フォルダには置きました) / a withdrawal of a document never received from {}: {file}",
                received.sender
            )?;
        }
    }
    for (parcel, error) in &report.failed {
        writeln!(
            out,
            "取込不可(取込フォルダには置いていません。送信元に理由を通知しました) / not taken in, the sender was told why: {parcel}: {error}"
        )?;
    }
    Ok(())
}

/// Parcels this office sent that their recipient could not take in, with what its check
/// found: the files to correct and send again.
fn print_returned(out: &mut impl Write, returned: &[Returned]) -> Result<()> {
    for heard in returned {
        writeln!(
            out,
            "{} / returned by the recipient: {} → {}: {}",
            heard.state_ja(),
            heard.parcel_id,
            heard.recipient,
            heard.reason
        )?;
        print_findings(out, heard)?;
    }
    Ok(())
}

/// Under a line of the history: who returned the parcel, why, and its findings.
fn print_returned_report(out: &mut impl Write, heard: &Returned) -> Result<()> {
    writeln!(
        out,
        "    事業所 {} の報告 / report of the recipient: {}",
        heard.recipient, heard.reason
    )?;
    print_findings(out, heard)
}

fn print_findings(out: &mut impl Write, heard: &Returned) -> Result<()> {
    for finding in &heard.findings {
        writeln!(
            out,
            "  [{}] {} {}{}{}: {} / {}",
            if finding.error { "エラー" } else { "警告" },
            finding.rule,
            finding.file.as_deref().unwrap_or(""),
            finding.line.map(|l| format!(" {l}行")).unwrap_or_default(),
            finding
                .item
                .as_deref()
                .map(|i| format!(" {i}"))
                .unwrap_or_default(),
            finding.message_ja,
            finding.message_en
        )?;
    }
    Ok(())
}

fn history(dir: &Path, limit: usize) -> Result<ExitCode> {
    let ledger = renkei_office::ledger::Ledger::open(&dir.join("ledger.db"))?;
    // A parcel the recipient returned is told with its signed report, kept with the
    // receipts; no relay is asked (an office not enrolled yet has none).
    let office = Office::open(dir).ok();
    let mut out = std::io::stdout().lock();
    for line in ledger.history(limit)? {
        let came_back = office
            .as_ref()
            .filter(|_| line.direction == "sent")
            .and_then(|office| returned::kept(office, &line.parcel_id));
        writeln!(
            out,
            "{}  {}  {}  {}  {}ファイル  {}",
            renkei_seal::format_unix(line.time),
            if line.direction == "sent" {
                "送信 →"
            } else {
                "受信 ←"
            },
            line.partner,
            line.parcel_id,
            line.files,
            match &came_back {
                Some(heard) => heard.state_ja(),
                None => line.state.as_str(),
            }
        )?;
        if let Some(came_back) = &came_back {
            print_returned_report(&mut out, came_back)?;
        }
    }
    writeln!(
        out,
        "文書の版 / document versions (現行・旧版・削除 / current, superseded, withdrawn):"
    )?;
    for direction in ["sent", "received"] {
        for (family, name) in [
            ("plan", "居宅サービス計画"),
            ("schedule", "サービス利用票(予定)"),
            ("actual", "実績"),
            ("kihon", "利用者基本情報"),
            ("yobo", "介護予防サービス・支援計画"),
        ] {
            let counts = ledger.document_counts(direction, family)?;
            if counts.current + counts.superseded + counts.deleted > 0 {
                writeln!(
                    out,
                    "  {} {name}: 現行 {} / 旧版 {} / 削除 {}",
                    if direction == "sent" {
                        "送信"
                    } else {
                        "受信"
                    },
                    counts.current,
                    counts.superseded,
                    counts.deleted
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn outbox(dir: &Path) -> Result<ExitCode> {
    let office = Office::open(dir)?;
    let parcels = office.client.outbox(1000).await?;
    let came_back = returned::collect_from(&office, &parcels).await?;
    let mut out = std::io::stdout().lock();
    for parcel in &parcels {
        let kept = (parcel.state == "rejected")
            .then(|| returned::kept(&office, &parcel.id))
            .flatten();
        let state = kept
            .as_ref()
            .map_or(parcel.state_ja.clone(), |k| k.state_ja().to_owned());
        writeln!(
            out,
            "{}  → {}  {}  {}  {} B",
            parcel.id,
            parcel.recipient,
            state,
            renkei_seal::format_unix(parcel.accepted),
            parcel.size
        )?;
    }
    print_returned(&mut out, &came_back)?;
    writeln!(out, "{}件 / parcels", parcels.len())?;
    Ok(ExitCode::SUCCESS)
}

async fn log_check(dir: &Path) -> Result<ExitCode> {
    let office = Office::open(dir)?;
    let growth = renkei_office::log_check::check(&office).await?;
    let mut out = std::io::stdout().lock();
    if growth.checkpoints < 2 {
        writeln!(
            out,
            "比べる検査点がまだありません（受領証 {} 件） / nothing to compare yet ({} receipts)",
            growth.receipts, growth.receipts
        )?;
    } else {
        writeln!(
            out,
            "監査ログは書き換えられず、増えただけです: 受領証 {} 件の検査点と今の検査点、{} 個（大きさ {} → {}） / the log only grew across {} checkpoints, size {} to {}",
            growth.receipts,
            growth.checkpoints,
            growth.from,
            growth.to,
            growth.checkpoints,
            growth.from,
            growth.to
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn receipts(dir: &Path, parcel: &str) -> Result<ExitCode> {
    let office = Office::open(dir)?;
    let trust = office.profile.trust()?;
    let mut out = std::io::stdout().lock();
    for signed in office.client.receipts(parcel).await? {
        let receipt = signed.verify(&trust)?;
        let step = serde_json::to_value(receipt.action)?;
        let step = step.as_str().unwrap_or("step");
        let path = sending::save_receipt(&office, &signed, parcel, step)?;
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
