//! `renkei hub …`: make, run and administer a relay on this machine.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use renkei_hub::relay::{DAY, Relay, RelayConfig};
use renkei_hub::setup::{HubFiles, Settings};
use renkei_hub::store::{OfficeQuery, OfficeStore, PostgresStore};

#[derive(Debug, Args)]
pub struct HubArgs {
    /// 中継サーバーのデータフォルダ / the hub's data folder
    #[arg(long, global = true, default_value = "./renkei-data")]
    data: PathBuf,
    #[command(subcommand)]
    command: HubCommand,
}

#[derive(Debug, Subcommand)]
enum HubCommand {
    /// 認証局・サーバー証明書・データベースを作る / create the authority, the hub's certificate and the database
    Init(InitArgs),
    /// 中継サーバーを起動する / run the relay (HTTPS with client certificates)
    Serve(ServeArgs),
    /// 事業所の登録コードを発行する / issue a one-time enrolment code for an office
    Code(CodeArgs),
    /// 登録済みの事業所を一覧する / list enrolled offices
    Offices(OfficesArgs),
    /// 事業所の証明書を失効させる / revoke an office's certificates
    Revoke(RevokeArgs),
    /// 運用者アカウントを作る・パスワードを変える / create an operator or change its password
    Operator(OperatorArgs),
    /// 事業所名簿(接続状況の分母)を読み込む / load the register of the area's offices (the denominator of adoption)
    Registry(RegistryArgs),
}

#[derive(Debug, Args)]
struct InitArgs {
    /// 中継サーバーの名前(監査ログの名前) / the relay's name, also the audit log's
    #[arg(long, default_value = "renkei")]
    name: String,
    /// サーバー証明書に入れるホスト名・IPアドレス / host names and addresses for the TLS certificate
    #[arg(long = "host", default_values = ["localhost", "127.0.0.1"])]
    hosts: Vec<String>,
    /// 最初の運用者名 (パスワードは環境変数 RENKEI_OPERATOR_PASSWORD、なければ生成して表示) / first operator
    #[arg(long, default_value = "admin")]
    operator: String,
    /// PostgreSQL のデータベース (複数の中継サーバープロセスで共有) / a PostgreSQL database for several hub processes (postgres://…); default: SQLite in the data folder
    #[arg(long)]
    database: Option<String>,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// 待ち受けるアドレス / address to listen on
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: SocketAddr,
    /// 小包の上限 (MB) / largest parcel, in MB
    #[arg(long, default_value_t = 32)]
    max_parcel_mb: u64,
    /// 受信確認がないまま未達通知を出すまでの時間 (時間) / hours without acknowledgement before a non-delivery notice
    #[arg(long, default_value_t = 168)]
    not_delivered_after_hours: i64,
    /// 小包の保存期間 (日) / days a parcel's bytes are kept
    #[arg(long, default_value_t = 90)]
    retention_days: i64,
    /// 未達通知・削除を確かめる間隔 (秒) / seconds between non-delivery and purge sweeps
    #[arg(long, default_value_t = 60)]
    sweep_every: u64,
    /// このデータベースを使う (postgres://…) / use this database instead of the one set at init
    #[arg(long)]
    database: Option<String>,
    /// 1事業所が1時間に送れる小包数 / parcels one office may send per hour
    #[arg(long, default_value_t = 20_000)]
    quota_parcels_per_hour: u64,
    /// 1事業所が1時間に送れる量 (MB) / MB one office may send per hour
    #[arg(long, default_value_t = 4096)]
    quota_mb_per_hour: u64,
    /// 1事業所が未受信のまま預けられる量 (MB) / MB one office may hold undelivered
    #[arg(long, default_value_t = 8192)]
    quota_undelivered_mb: u64,
    /// 1つのアドレスから同時に開ける接続数 / connections open at once from one address
    #[arg(long, default_value_t = 256)]
    connections_per_address: usize,
    /// 1つの証明書で同時に開ける接続数 / connections open at once with one certificate
    #[arg(long, default_value_t = 32)]
    connections_per_certificate: usize,
}

impl ServeArgs {
    fn config(&self) -> RelayConfig {
        RelayConfig {
            max_parcel_bytes: self.max_parcel_mb * 1024 * 1024,
            not_delivered_after: self.not_delivered_after_hours * 3600,
            retention: self.retention_days * DAY,
            quota: renkei_hub::relay::Quota {
                parcels_per_hour: self.quota_parcels_per_hour,
                bytes_per_hour: self.quota_mb_per_hour * 1024 * 1024,
                undelivered_bytes: self.quota_undelivered_mb * 1024 * 1024,
            },
            ..RelayConfig::default()
        }
    }

    fn listener_limits(&self) -> renkei_hub::http::tls::ListenerLimits {
        renkei_hub::http::tls::ListenerLimits {
            per_address: self.connections_per_address.max(1),
            per_certificate: self.connections_per_certificate.max(1),
        }
    }
}

#[derive(Debug, Args)]
struct CodeArgs {
    /// 事業所番号 (10桁)、医療機関コード (10桁) または市町村の保険者番号 (6桁) / office, clinic or municipality number
    #[arg(long)]
    number: String,
    /// 事業所名・医療機関名・市町村名 / name
    #[arg(long)]
    name: String,
    /// サービス種類コード (複数可: --kind 43 --kind 46; 市町村は不要) / service kinds (none for a municipality)
    #[arg(long = "kind")]
    kinds: Vec<String>,
    /// 医療機関として登録する(介護情報基盤で主治医意見書を扱う) / enrol a clinic, for the information base
    #[arg(long)]
    clinic: bool,
}

#[derive(Debug, Args)]
struct OfficesArgs {
    #[arg(long)]
    number: Option<String>,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    kind: Option<String>,
    /// 都道府県 (コードか名前) / prefecture, code or name
    #[arg(long)]
    prefecture: Option<String>,
}

#[derive(Debug, Args)]
struct RevokeArgs {
    /// 事業所番号 / office number
    number: String,
    /// この証明書だけ失効させる / only this certificate (serial)
    #[arg(long)]
    serial: Option<String>,
    /// 理由 (鍵の紛失・廃止など) / reason
    #[arg(long)]
    reason: String,
}

#[derive(Debug, Args)]
struct RegistryArgs {
    /// CSV (UTF-8 または MS932): 事業所番号,事業所名,サービス種類コード,市区町村コード,市区町村名
    file: PathBuf,
}

#[derive(Debug, Args)]
struct OperatorArgs {
    /// 運用者名 / operator name (password from RENKEI_OPERATOR_PASSWORD)
    name: String,
}

impl HubArgs {
    pub fn is_serve(&self) -> bool {
        matches!(self.command, HubCommand::Serve(_))
    }
}

const PASSWORD_VARIABLE: &str = "RENKEI_OPERATOR_PASSWORD";

pub fn run(args: HubArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new()?;
    let files = HubFiles::new(&args.data);
    runtime.block_on(async move {
        match args.command {
            HubCommand::Init(a) => init(&files, a).await,
            HubCommand::Serve(a) => {
                let config = a.config();
                let database = a.database.clone();
                serve(
                    &files,
                    open_relay(&files, database.as_deref(), config).await?,
                    a,
                )
                .await
            }
            HubCommand::Code(a) => {
                code(&*open_relay(&files, None, RelayConfig::default()).await?, a).await
            }
            HubCommand::Offices(a) => {
                offices(&*open_relay(&files, None, RelayConfig::default()).await?, a).await
            }
            HubCommand::Revoke(a) => {
                revoke(&*open_relay(&files, None, RelayConfig::default()).await?, a).await
            }
            HubCommand::Operator(a) => {
                operator(&*open_relay(&files, None, RelayConfig::default()).await?, a).await
            }
            HubCommand::Registry(a) => {
                registry(&*open_relay(&files, None, RelayConfig::default()).await?, a).await
            }
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The relay on the hub's database: `database` when given, else the one the hub was made
/// with (PostgreSQL, or the embedded SQLite file).
pub(super) async fn open_relay(
    files: &HubFiles,
    database: Option<&str>,
    config: RelayConfig,
) -> Result<Arc<Relay>> {
    let relay = files.open(database, config).await.with_context(|| {
        format!(
            "中継サーバーのデータベースを開けません / cannot open the hub's database ({})",
            database.unwrap_or("設定どおり / as configured")
        )
    })?;
    Ok(Arc::new(relay))
}

async fn init(files: &HubFiles, args: InitArgs) -> Result<()> {
    if let Some(url) = &args.database {
        PostgresStore::ensure_database(url).await.context(
            "PostgreSQL のデータベースを作れません / cannot create the PostgreSQL database",
        )?;
    }
    let settings = Settings {
        name: args.name,
        hosts: args.hosts,
        database: args.database,
    };
    files.init(&settings)?;
    let (password, generated) = match std::env::var(PASSWORD_VARIABLE) {
        Ok(password) => (password, false),
        Err(_) => (hex_password()?, true),
    };
    let operator_key = open_relay(files, None, RelayConfig::default())
        .await?
        .set_operator(&args.operator, &password, renkei_seal::unix_now())
        .await?;
    let authority = files.authority_path();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "中継サーバーを作りました / hub created: {}",
        files.dir.display()
    )?;
    writeln!(
        out,
        "  認証局 / authority: {} (各事業所に配ってください / give this file to every office)",
        authority.display()
    )?;
    writeln!(out, "  運用者 / operator: {}", args.operator)?;
    writeln!(
        out,
        "  認証アプリの鍵 / authenticator key: {operator_key} (一度だけ表示します。認証アプリに登録してください / shown once; add it to an authenticator app)"
    )?;
    if generated {
        writeln!(
            out,
            "  パスワード / password: {password}  (この一度だけ表示します / shown only once)"
        )?;
    }
    writeln!(
        out,
        "次に / next: renkei hub serve --data {}",
        files.dir.display()
    )?;
    Ok(())
}

pub(super) fn hex_password() -> Result<String> {
    let bytes = renkei_seal::random_bytes::<12>()?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

async fn serve(files: &HubFiles, relay: Arc<Relay>, args: ServeArgs) -> Result<()> {
    let tls = files.tls()?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("{} で待ち受けできません / cannot listen", args.listen))?;
    let address = listener.local_addr()?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "中継サーバー起動 / listening on https://{address}")?;
        out.flush()?;
    }
    let sweeper = tokio::spawn(sweep_forever(
        Arc::clone(&relay),
        Duration::from_secs(args.sweep_every.max(1)),
    ));
    let router = renkei_hub::http::router(Arc::clone(&relay));
    renkei_hub::http::tls::serve_with(
        listener,
        tls,
        router,
        stop_signal(),
        Duration::from_secs(10),
        args.listener_limits(),
    )
    .await;
    sweeper.abort();
    drop(relay);
    let mut out = std::io::stdout().lock();
    writeln!(out, "中継サーバー停止 / stopped")?;
    Ok(())
}

async fn sweep_forever(relay: Arc<Relay>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        if let Err(error) = relay.sweep(renkei_seal::unix_now()).await {
            tracing::error!("未達通知・削除に失敗しました / sweep failed: {error}");
        }
    }
}

async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

async fn code(relay: &Relay, args: CodeArgs) -> Result<()> {
    let mut kinds = args.kinds.clone();
    if args.clinic {
        kinds.push(renkei_infobase::CLINIC_MARK.to_owned());
    }
    let issued = relay
        .issue_code(&args.number, &args.name, &kinds, renkei_seal::unix_now())
        .await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", issued.code)?;
    writeln!(
        out,
        "  事業所 / office: {} {}  有効期限 / valid until: {}",
        issued.office,
        args.name,
        renkei_seal::format_unix(issued.expires)
    )?;
    Ok(())
}

async fn offices(relay: &Relay, args: OfficesArgs) -> Result<()> {
    let prefecture =
        match args.prefecture.as_deref() {
            Some(text) => Some(renkei_spec::prefecture::code(text).with_context(|| {
                format!("都道府県「{text}」が分かりません / unknown prefecture")
            })?),
            None => None,
        };
    let query = OfficeQuery {
        number: args.number,
        name: args.name,
        kind: args.kind,
        prefecture,
        limit: 10_000,
    };
    let found = relay
        .store()
        .offices(query, renkei_seal::unix_now())
        .await?;
    let mut out = std::io::stdout().lock();
    for (office, certificate) in &found {
        let state = match (office.active, certificate) {
            (false, _) => "停止中 / stopped".to_owned(),
            (true, None) => "証明書なし / no valid certificate".to_owned(),
            (true, Some(c)) => format!(
                "有効 / active until {}",
                renkei_seal::format_unix(c.not_after)
            ),
        };
        writeln!(
            out,
            "{}  {}  [{}]  {}",
            office.number,
            office.name,
            office.kinds.join(","),
            state
        )?;
    }
    writeln!(out, "{}件 / offices", found.len())?;
    Ok(())
}

async fn revoke(relay: &Relay, args: RevokeArgs) -> Result<()> {
    let revoked = relay
        .revoke(
            &args.number,
            args.serial,
            args.reason,
            renkei_seal::unix_now(),
        )
        .await?;
    let mut out = std::io::stdout().lock();
    for certificate in &revoked {
        writeln!(
            out,
            "失効 / revoked: {} ({})",
            certificate.serial, certificate.office
        )?;
    }
    writeln!(out, "{}件 / certificates", revoked.len())?;
    Ok(())
}

async fn registry(relay: &Relay, args: RegistryArgs) -> Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("{} を読めません / cannot read", args.file.display()))?;
    let entries = renkei_hub::registry::parse(&bytes)
        .with_context(|| format!("{} を読み込めません / cannot load", args.file.display()))?;
    let count = relay.load_registry(entries).await?;
    writeln!(
        std::io::stdout().lock(),
        "事業所名簿を読み込みました / register loaded: {count}件"
    )?;
    Ok(())
}

async fn operator(relay: &Relay, args: OperatorArgs) -> Result<()> {
    let password = std::env::var(PASSWORD_VARIABLE).with_context(|| {
        format!(
            "パスワードを環境変数 {PASSWORD_VARIABLE} で渡してください / set {PASSWORD_VARIABLE}"
        )
    })?;
    let key = relay
        .set_operator(&args.name, &password, renkei_seal::unix_now())
        .await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "運用者を設定しました / operator set: {}", args.name)?;
    writeln!(
        out,
        "  認証アプリの鍵 / authenticator key: {key} (一度だけ表示します。認証アプリに登録してください。今のコードは `renkei base code KEY` / shown once)"
    )?;
    Ok(())
}
