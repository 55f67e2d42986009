//! `renkei bench hub`: K offices send sealed parcels to a relay running as its own process
//! on loopback, over mutual TLS, as fast as the relay answers. Parcels are sealed before
//! the clock starts, so the figures are the relay's (sharing the machine's cores with the
//! load generator, as it would on a 2-core box).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use renkei_hub::relay::{Relay, RelayConfig};
use renkei_hub::setup::{HubFiles, Settings};
use renkei_hub::store::PostgresStore;
use renkei_office::client::HubClient;
use renkei_office::parcel::{self, Outgoing};
use renkei_office::profile::Profile;
use renkei_seal::ArchivedFile;

#[derive(Debug, Args)]
pub struct HubBenchArgs {
    /// Sending offices (providers); one planner receives for every four of them
    #[arg(long, default_value_t = 16)]
    offices: usize,
    /// Parcels to send in all
    #[arg(long, default_value_t = 20_000)]
    parcels: usize,
    /// Size of each parcel's files, in KB
    #[arg(long, default_value_t = 20)]
    size_kb: usize,
    /// Requests in flight at once, across all offices
    #[arg(long, default_value_t = 32)]
    in_flight: usize,
    /// Keep the hub's data here (default: a temporary folder, removed afterwards)
    #[arg(long)]
    data: Option<PathBuf>,
    /// A PostgreSQL server (`host=… user=…`): the hub's store is a fresh database on it,
    /// dropped afterwards; default: the embedded SQLite store
    #[arg(long)]
    postgres: Option<String>,
    /// Hub processes sharing the database (PostgreSQL only); offices are spread over them
    #[arg(long, default_value_t = 1)]
    processes: usize,
}

struct Sender {
    client: HubClient,
    parcels: Vec<Outgoing>,
}

pub fn run(args: HubBenchArgs) -> Result<ExitCode> {
    let scratch = std::env::temp_dir().join(format!("renkei-bench-hub-{}", std::process::id()));
    let root = args.data.clone().unwrap_or_else(|| scratch.clone());
    let database = args
        .postgres
        .as_ref()
        .map(|server| format!("{server} dbname=renkei_bench_{}", std::process::id()));
    let outcome = bench(&args, &root, database.as_deref());
    if args.data.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    if let Some(url) = &database {
        tokio::runtime::Runtime::new()?.block_on(PostgresStore::drop_database(url))?;
    }
    outcome
}

#[allow(clippy::print_stdout)] // a load generator prints its figures
fn bench(args: &HubBenchArgs, root: &Path, database: Option<&str>) -> Result<ExitCode> {
    if args.offices == 0 || args.parcels == 0 || args.in_flight == 0 || args.processes == 0 {
        bail!("--offices, --parcels, --in-flight and --processes must be at least 1");
    }
    if args.processes > 1 && database.is_none() {
        bail!("several hub processes share a PostgreSQL database: give --postgres");
    }
    let runtime = tokio::runtime::Runtime::new()?;
    if let Some(url) = database {
        runtime.block_on(PostgresStore::ensure_database(url))?;
    }
    let files = HubFiles::new(root.join("hub"));
    files.init(&Settings {
        name: "renkei-bench".into(),
        hosts: vec!["localhost".into(), "127.0.0.1".into()],
        database: database.map(str::to_owned),
    })?;
    let planners = args.offices.div_ceil(4);
    let numbers: Vec<(String, &str)> = (0..planners)
        .map(|p| (format!("13100{p:05}"), "43"))
        .chain((0..args.offices).map(|s| (format!("13200{s:05}"), "11")))
        .collect();
    let codes = runtime.block_on(async {
        let relay = Arc::new(files.open(database, RelayConfig::default()).await?);
        issue_codes(&relay, &numbers).await
    })?;

    let mut hubs = Vec::new();
    for _ in 0..args.processes {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        hubs.push((
            start_hub(&files.dir, port)?,
            format!("https://localhost:{port}"),
        ));
    }
    let figures = runtime.block_on(async {
        let authority =
            renkei_seal::Certificate::from_pem(&std::fs::read(files.authority_path())?)?;
        let mut profiles = Vec::new();
        for (n, ((number, _), code)) in numbers.iter().zip(&codes).enumerate() {
            let mut profile = Profile::init(&root.join("offices").join(number), number)?;
            // Offices are spread over the hub processes, as a load balancer would.
            profile
                .enrol(&hubs[n % hubs.len()].1, &authority, code)
                .await?;
            profiles.push(profile);
        }
        let (planner_profiles, sender_profiles) = profiles.split_at(planners);
        let started = Instant::now();
        let senders = seal_all(args, planner_profiles, sender_profiles)?;
        println!(
            "sealed {} parcels of {} KB for {} offices in {:.1} s (not counted)",
            args.parcels,
            args.size_kb,
            args.offices,
            started.elapsed().as_secs_f64()
        );
        let pids: Vec<u32> = hubs.iter().map(|(hub, _)| hub.id()).collect();
        let cpu_before: f64 = pids.iter().map(|p| cpu_seconds(*p)).sum();
        let figures = load(senders, args.in_flight).await?;
        let cpu = pids.iter().map(|p| cpu_seconds(*p)).sum::<f64>() - cpu_before;
        anyhow::Ok((figures, cpu))
    });
    let peak: u64 = hubs.iter().map(|(hub, _)| peak_memory_kb(hub.id())).sum();
    for (hub, _) in &mut hubs {
        let _ = Command::new("kill")
            .args(["-TERM", &hub.id().to_string()])
            .status();
        let _ = hub.wait();
    }
    let ((latencies, bytes, elapsed), cpu) = figures?;
    print_figures(
        args,
        latencies,
        bytes,
        elapsed,
        cpu,
        peak,
        database.is_some(),
    );
    Ok(ExitCode::SUCCESS)
}

async fn issue_codes(relay: &Arc<Relay>, numbers: &[(String, &str)]) -> Result<Vec<String>> {
    let mut codes = Vec::new();
    for (number, kind) in numbers {
        let issued = relay
            .issue_code(
                number,
                &format!("架空事業所{number}"),
                &[(*kind).to_owned()],
                renkei_seal::unix_now(),
            )
            .await?;
        codes.push(issued.code);
    }
    Ok(codes)
}

#[allow(clippy::print_stdout)] // a load generator prints its figures
fn print_figures(
    args: &HubBenchArgs,
    latencies: Vec<Duration>,
    bytes: u64,
    elapsed: Duration,
    cpu: f64,
    peak: u64,
    postgres: bool,
) {
    println!(
        "store: {}, {} hub process(es)",
        if postgres { "PostgreSQL" } else { "SQLite" },
        args.processes
    );
    let mut latencies = latencies;
    latencies.sort_unstable();
    let quantile = |q: f64| {
        let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies[index].as_secs_f64() * 1000.0
    };
    let seconds = elapsed.as_secs_f64();
    println!(
        "{} parcels in {seconds:.2} s: {:.0} parcels/s, {:.1} MB/s",
        latencies.len(),
        latencies.len() as f64 / seconds,
        bytes as f64 / seconds / 1e6
    );
    println!(
        "latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} in flight, {} offices)",
        quantile(0.5),
        quantile(0.99),
        quantile(1.0),
        args.in_flight,
        args.offices
    );
    println!(
        "hub process(es): peak memory {:.1} MB in all, CPU {cpu:.2} s ({:.0} parcels per CPU-second; PostgreSQL's own CPU not counted)",
        peak as f64 / 1024.0,
        latencies.len() as f64 / cpu.max(1e-9)
    );
}

fn start_hub(dir: &Path, port: u16) -> Result<Child> {
    let mut child = Command::new(std::env::current_exe()?)
        .args(["hub", "--data"])
        .arg(dir)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        // The figures are the bench's; the hubs speak only of trouble.
        .env("RENKEI_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .context("the hub does not start")?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("hub output")?).read_line(&mut line)?;
    if !line.contains("listening") {
        bail!("the hub did not start: {line}");
    }
    Ok(child)
}

/// Parcels of about `size_kb`, made of generated 実績 text, sealed on every core.
fn seal_all(args: &HubBenchArgs, planners: &[Profile], senders: &[Profile]) -> Result<Vec<Sender>> {
    let (generated, _) = super::spec::generate_all(super::spec::config(7, 600))?;
    let text: Vec<u8> = generated
        .iter()
        .flat_map(|f| f.bytes.iter().copied())
        .take(args.size_kb * 1024 * 4)
        .collect();
    let size = args.size_kb * 1024;
    let per_sender = args.parcels.div_ceil(senders.len());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let group_size = senders.len().div_ceil(threads);
    let sealed: Vec<Result<Vec<Vec<Outgoing>>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = senders
            .chunks(group_size)
            .enumerate()
            .map(|(chunk, group)| {
                let text = &text;
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (offset, sender) in group.iter().enumerate() {
                        let s = chunk * group_size + offset;
                        let planner = &planners[s % planners.len()];
                        let count = per_sender.min(args.parcels.saturating_sub(s * per_sender));
                        let mut parcels = Vec::with_capacity(count);
                        for n in 0..count {
                            let start = (n * 997) % (text.len() - size).max(1);
                            let files = [ArchivedFile {
                                name: format!(
                                    "UPJSK_202512_{}_11_{}_43_20251201{:06}.CSV",
                                    sender.number, planner.number, n
                                ),
                                bytes: text[start..start + size.min(text.len())].to_vec(),
                            }];
                            parcels.push(parcel::build(
                                sender,
                                &planner.number,
                                planner.certificate()?,
                                &files,
                                &format!("bench-{s}-{n}"),
                                renkei_seal::unix_now(),
                            )?);
                        }
                        out.push(parcels);
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| bail!("sealing thread panicked"))
            })
            .collect()
    });
    // Chunks come back in order, so the flattened list follows `senders`.
    let sealed = sealed
        .into_iter()
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten();
    senders
        .iter()
        .zip(sealed)
        .map(|(profile, parcels)| {
            Ok(Sender {
                client: HubClient::for_office(profile)?,
                parcels,
            })
        })
        .collect()
}

/// Send every parcel with `in_flight` requests outstanding; latencies, bytes and time.
async fn load(senders: Vec<Sender>, in_flight: usize) -> Result<(Vec<Duration>, u64, Duration)> {
    let work: Vec<(usize, usize)> = {
        // Interleave offices, as parcels arrive at a real relay.
        let longest = senders.iter().map(|s| s.parcels.len()).max().unwrap_or(0);
        (0..longest)
            .flat_map(|n| (0..senders.len()).map(move |s| (s, n)))
            .filter(|(s, n)| *n < senders[*s].parcels.len())
            .collect()
    };
    let senders = Arc::new(senders);
    let work = Arc::new(work);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..in_flight {
        let (senders, work, next) = (Arc::clone(&senders), Arc::clone(&work), Arc::clone(&next));
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut bytes = 0u64;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&(s, n)) = work.get(i) else { break };
                let outgoing = &senders[s].parcels[n];
                let asked = Instant::now();
                let sent = senders[s]
                    .client
                    .send(&outgoing.manifest, outgoing.payload.clone())
                    .await?;
                latencies.push(asked.elapsed());
                if !sent.new {
                    bail!("parcel {} was already there", outgoing.client_parcel_id);
                }
                bytes += outgoing.payload.len() as u64;
            }
            anyhow::Ok((latencies, bytes))
        }));
    }
    let mut latencies = Vec::new();
    let mut bytes = 0;
    for task in tasks {
        let (l, b) = task.await??;
        latencies.extend(l);
        bytes += b;
    }
    Ok((latencies, bytes, started.elapsed()))
}

/// VmHWM of a process, in KB (0 where /proc is not there).
fn peak_memory_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse().ok())
        })
        .unwrap_or(0)
}

/// User plus system CPU seconds a process has used.
fn cpu_seconds(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: u64 = fields
        .get(11..13)
        .map_or(0, |f| f.iter().filter_map(|t| t.parse::<u64>().ok()).sum());
    // Linux reports in clock ticks of 1/100 s on every architecture we run on.
    ticks as f64 / 100.0
}
