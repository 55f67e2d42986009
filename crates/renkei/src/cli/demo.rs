//! `renkei demo`: the whole exchange on this machine, with nothing to set up. A relay on
//! loopback (mutual TLS, the embedded SQLite store), a planner office and three providers
//! (or `--providers`) enrolled with one-time codes, a generated month sent and received
//! through the care software's folders, 実績 sent back — then a summary, and the data left
//! to look at.

use renkei_proto::{CsvVersionValue, CsvVersions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use renkei_hub::relay::RelayConfig;
use renkei_hub::setup::{HubFiles, Settings};
use renkei_office::Office;
use renkei_office::profile::Profile;
use renkei_office::receiving::{self, ReceiveReport};
use renkei_office::sending::{self, SendReport};
use renkei_seal::Certificate;
use renkei_spec::Generation;
use renkei_spec::generate::{self, Config, World};
use renkei_spec::ids::YearMonth;

use crate::progress::Bar;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// デモのデータを置くフォルダ (前回のデモは消して作り直します) / where the demo keeps its data
    #[arg(long, default_value = "renkei-demo")]
    dir: PathBuf,
    /// 利用者の数 / people in the generated month
    #[arg(long, default_value_t = 30)]
    users: usize,
    /// サービス事業所の数 / providers the planner works with
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=200))]
    providers: u16,
    /// 乱数の種 / seed of the generator
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// 事業所の画面を開かずに終わる / finish without serving the office consoles
    #[arg(long)]
    no_ui: bool,
    /// 画面の最初のポート (居宅、続いて各事業所。0は空きポート) / first console port (planner, then providers; 0 for any free port)
    #[arg(long, default_value_t = 8930)]
    ui_port: u16,
}

/// Marks a folder as the demo's own, so that only a demo folder is ever cleared.
const MARK: &str = ".renkei-demo";

pub fn run(args: DemoArgs) -> Result<ExitCode> {
    prepare_folder(&args.dir)?;
    tokio::runtime::Runtime::new()?.block_on(demo(args))
}

fn prepare_folder(dir: &Path) -> Result<()> {
    if dir.exists() {
        if !dir.join(MARK).exists() {
            bail!(
                "{} はデモのフォルダではないので使いません。--dir で別のフォルダを指定してください / not a demo folder; choose another with --dir",
                dir.display()
            );
        }
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("前回のデモ {} を消せません / cannot clear", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(MARK), "renkei demo\n")?;
    Ok(())
}

/// What one exchange did, step by step.
pub(super) struct Exchange {
    pub steps: Vec<Step>,
    pub generated_files: usize,
    pub planner_dir: PathBuf,
    pub authority: PathBuf,
    pub port: u16,
    /// Every office's folder, the planner first.
    pub office_dirs: Vec<PathBuf>,
    /// The relay, still serving, when the exchange was asked to keep it.
    pub relay: Option<RunningRelay>,
}

/// The demo's relay, serving until stopped.
pub(super) struct RunningRelay {
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<()>,
    relay: Arc<renkei_hub::relay::Relay>,
}

impl RunningRelay {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
        self.relay.store().close();
    }
}

pub(super) struct Step {
    pub what: &'static str,
    pub parcels: usize,
    pub files: usize,
    pub seconds: f64,
}

impl Step {
    fn add(&mut self, other: Step) {
        self.parcels += other.parcels;
        self.files += other.files;
        self.seconds += other.seconds;
    }
}

/// A relay on loopback and the offices of `config`'s world in `dir`: enrol, generate, and
/// move the month round (plans and 予定 out, 実績 back), through the offices' folders.
pub(super) async fn exchange(
    dir: &Path,
    config: Config,
    keep_relay: bool,
    mut told: impl FnMut(&str),
) -> Result<Exchange> {
    let world = World::new(config.clone());

    // The relay, as `renkei hub init` and `renkei hub serve` make it, in this process.
    let files = HubFiles::new(dir.join("hub"));
    files.init(&Settings {
        name: "renkei-demo".into(),
        hosts: vec!["localhost".into(), "127.0.0.1".into()],
        database: None,
    })?;
    let relay = Arc::new(files.open(None, RelayConfig::default()).await?);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let url = format!("https://localhost:{port}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(renkei_hub::http::tls::serve(
        listener,
        files.tls()?,
        renkei_hub::http::router(Arc::clone(&relay)),
        async move {
            let _ = stopped.await;
        },
        Duration::from_secs(2),
    ));
    told(&format!(
        "中継サーバーを起動しました / relay listening on {url}"
    ));

    // Each office makes its key and enrols with a code the operator issued.
    let authority = Certificate::from_pem(&std::fs::read(files.authority_path())?)?;
    let mut offices = Vec::new();
    for office in world.planners.iter().chain(&world.providers) {
        let number = office.number.as_str();
        let code = relay
            .issue_code(
                number,
                &office.name,
                &[office.kind.as_str().to_owned()],
                renkei_seal::unix_now(),
            )
            .await?;
        let folder = dir.join("offices").join(number);
        let mut profile = Profile::init(&folder, number)?;
        profile.enrol(&url, &authority, &code.code).await?;
        // As `renkei office init` declares by default; the last provider's software reads
        // V3 too, so the directory shows partners that differ.
        let reads = if world
            .providers
            .last()
            .is_some_and(|last| last.number == office.number)
        {
            vec![CsvVersionValue::V4_1, CsvVersionValue::V3]
        } else {
            vec![CsvVersionValue::V4_1]
        };
        let versions = CsvVersions {
            reads,
            writes: vec![CsvVersionValue::V4_1],
        };
        renkei_office::software::declare(&folder, &versions)?;
        renkei_office::software::tell_relay(&Office::open(&folder)?).await?;
        told(&format!(
            "  登録 / enrolled: {number} {} [{}]",
            office.name,
            office.kind.as_str()
        ));
        offices.push((Office::open(&folder)?, folder));
    }

    // The care software's exports: each generated file in its sender's export folder.
    let bar = Bar::new("生成中 / generating");
    let summary = generate::generate::<anyhow::Error>(config.clone(), &bar, |file| {
        let folder = dir
            .join("offices")
            .join(file.name.from.as_str())
            .join("export");
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(file.name.to_string()), &file.bytes)?;
        Ok(())
    })?;
    told(&format!(
        "{}人分の{}月を生成 / generated: {} files, {} send units",
        config.users,
        config.month.month(),
        summary.files,
        summary.units
    ));

    let planners = world.planners.len();
    let (planner_offices, providers) = offices.split_at(planners);
    let planner_dir = planner_offices[0].1.clone();
    let mut out = Step::new("居宅 → 事業所: 計画書・利用票(予定) / plans and schedules");
    for planner in planner_offices {
        out.add(send_step(out.what, planner, &bar).await?);
    }
    let mut received = Step::new("事業所が受信 / providers receive");
    for provider in providers {
        received.add(receive_step(received.what, provider, &bar).await?);
    }
    let mut back = Step::new("事業所 → 居宅: 実績 / actuals");
    for provider in providers {
        back.add(send_step(back.what, provider, &bar).await?);
    }
    let mut last = Step::new("居宅が受信 / the planner receives");
    for planner in planner_offices {
        last.add(receive_step(last.what, planner, &bar).await?);
    }

    // The offices' connections close first, so the relay stops at once.
    let office_dirs = offices.iter().map(|(_, folder)| folder.clone()).collect();
    drop(offices);
    let running = RunningRelay {
        stop,
        server,
        relay,
    };
    let relay = if keep_relay {
        Some(running)
    } else {
        running.stop().await;
        None
    };
    Ok(Exchange {
        steps: vec![out, received, back, last],
        generated_files: summary.files,
        planner_dir,
        authority: files.authority_path(),
        port,
        office_dirs,
        relay,
    })
}

impl Step {
    fn new(what: &'static str) -> Self {
        Self {
            what,
            parcels: 0,
            files: 0,
            seconds: 0.0,
        }
    }
}

#[allow(clippy::print_stdout)]
async fn demo(args: DemoArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let dir = args.dir.canonicalize()?;
    let config = Config {
        seed: args.seed,
        planners: 1,
        providers: usize::from(args.providers),
        users: args.users,
        month: YearMonth::parse("202512").expect("literal month"),
        generation: Generation::V4,
        per_person: false,
    };
    let mut done = exchange(&dir, config.clone(), !args.no_ui, |line| println!("{line}")).await?;

    let mut out = std::io::stdout().lock();
    writeln!(out)?;
    writeln!(out, "デモの結果 / what moved (parcels, files, seconds):")?;
    for step in &done.steps {
        writeln!(
            out,
            "  {:>3} 小包 {:>4} ファイル {:>5.2} 秒  {}",
            step.parcels, step.files, step.seconds, step.what
        )?;
    }
    writeln!(
        out,
        "  合計 {:.1} 秒 / total seconds (中継サーバーの起動、登録、生成を含む / with start, enrolment, generation)",
        started.elapsed().as_secs_f64()
    )?;
    writeln!(out)?;
    let planner_dir = &done.planner_dir;
    writeln!(
        out,
        "残したデータ / the data left behind: {}",
        dir.display()
    )?;
    writeln!(
        out,
        "  居宅の取込フォルダ / the planner's import folder: {}",
        planner_dir.join("import").display()
    )?;
    writeln!(out, "見てみる / look at it:")?;
    writeln!(
        out,
        "  renkei office --dir {} history",
        planner_dir.display()
    )?;
    writeln!(
        out,
        "  renkei office --dir {} outbox    (中継サーバーの起動が必要 / needs the relay running:)",
        planner_dir.display()
    )?;
    writeln!(
        out,
        "  renkei hub --data {} serve --listen 127.0.0.1:{}",
        dir.join("hub").display(),
        done.port
    )?;
    if let Some(receipt) = first_receipt(planner_dir) {
        writeln!(
            out,
            "  renkei verify-receipt {} --authority {}",
            receipt.display(),
            done.authority.display()
        )?;
    }
    drop(out);
    if let Some(relay) = done.relay.take() {
        serve_consoles(&done, &relay, &config, args.ui_port).await?;
        relay.stop().await;
    }
    Ok(ExitCode::SUCCESS)
}

/// How many fictional offices the demo's register adds to its own four, across 18
/// municipalities of 6 prefectures, so the operator's adoption table has shares to show.
const DEMO_REGISTER_OTHERS: usize = 400;

/// Every office's console, on consecutive ports from `first_port`, and the operator's
/// console on the relay, until Ctrl-C.
#[allow(clippy::print_stdout)]
async fn serve_consoles(
    done: &Exchange,
    relay: &RunningRelay,
    config: &Config,
    first_port: u16,
) -> Result<()> {
    let password = match std::env::var(super::console::ADMIN_PASSWORD_VARIABLE) {
        Ok(password) if !password.is_empty() => password,
        _ => renkei_office_console::session::generated_password()?,
    };
    // The operator's side: an account, and a register of the area's offices.
    let world = World::new(config.clone());
    let register = generate::registry(&world, config.seed, DEMO_REGISTER_OTHERS);
    let csv = generate::registry_csv(&register);
    let register_file = done.authority.with_file_name("registry.csv");
    std::fs::write(&register_file, &csv)?;
    relay
        .relay
        .load_registry(renkei_hub::registry::parse(csv.as_bytes())?)
        .await?;
    let operator_key = relay
        .relay
        .set_operator("operator", &password, renkei_seal::unix_now())
        .await?;
    let base = super::demo_base::prepare(&relay.relay, &world, &password).await?;
    let mut consoles = Vec::new();
    for (offset, dir) in done.office_dirs.iter().enumerate() {
        let port = if first_port == 0 {
            0
        } else {
            first_port + offset as u16
        };
        let listen = format!("127.0.0.1:{port}");
        let folders = renkei_office_console::Folders::inside(dir);
        // A port already taken (another demo, another program) gives way to any free one.
        let (bound, office) = match super::console::bind(dir, folders.clone(), &listen).await {
            Ok(bound) => bound,
            Err(_) => super::console::bind(dir, folders, "127.0.0.1:0").await?,
        };
        super::console::first_admin(&office, Some(&password)).await?;
        let name = office.profile.office_name();
        consoles.push((bound, name));
    }
    println!();
    println!("事業所の画面 / office consoles (ブラウザで開いてください / open in a browser):");
    for (bound, name) in &consoles {
        println!("  http://{}/  {name}", bound.address);
    }
    println!("  ログイン / sign in: admin  パスワード / password: {password}");
    println!("運用者の画面 / operator console:");
    println!(
        "  https://localhost:{}/console/  運用者 / operator: operator  パスワード / password: {password}",
        done.port
    );
    println!(
        "  認証アプリの鍵 / authenticator key: {operator_key} (今のコード / the current code: renkei base code {operator_key})"
    );
    println!(
        "  (デモの認証局の証明書のためブラウザが警告します。{} を信頼すると消えます / the browser warns: the demo's own authority signs the certificate)",
        done.authority.display()
    );
    base.print(&mut std::io::stdout().lock(), done.port)?;
    println!("  Ctrl-C で終了 / Ctrl-C to stop");
    let (stop, _) = tokio::sync::broadcast::channel::<()>(1);
    let mut servers = Vec::new();
    for (bound, _) in consoles {
        let mut stopped = stop.subscribe();
        servers.push(tokio::spawn(bound.serve(async move {
            let _ = stopped.recv().await;
        })));
    }
    let _ = tokio::signal::ctrl_c().await;
    let _ = stop.send(());
    for server in servers {
        server.await??;
    }
    Ok(())
}

async fn send_step(what: &'static str, office: &(Office, PathBuf), bar: &Bar) -> Result<Step> {
    let (office, folder) = office;
    let started = Instant::now();
    let report: SendReport =
        sending::send_folder(office, &folder.join("export"), &folder.join("sent"), bar).await?;
    if !report.refused.is_empty() {
        bail!(
            "デモのファイルが送れませんでした / demo files were not sent: {:?}",
            report.refused
        );
    }
    Ok(Step {
        what,
        parcels: report.sent.len(),
        files: report.sent.iter().map(|s| s.files).sum(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

async fn receive_step(what: &'static str, office: &(Office, PathBuf), bar: &Bar) -> Result<Step> {
    let (office, folder) = office;
    let started = Instant::now();
    let report: ReceiveReport =
        receiving::receive(office, &folder.join("import"), Duration::ZERO, bar).await?;
    if let Some((parcel, error)) = report.failed.first() {
        bail!("小包 {parcel} を開けません / cannot open: {error}");
    }
    Ok(Step {
        what,
        parcels: report.received.len(),
        files: report.received.iter().map(|r| r.placed.len()).sum(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn first_receipt(office: &Path) -> Option<PathBuf> {
    let mut receipts: Vec<PathBuf> = std::fs::read_dir(office.join("receipts"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    receipts.sort();
    receipts.into_iter().next()
}
