//! `renkei bench api`: a planner's month sent through the local API by its care software
//! and received and confirmed by the providers' care software through theirs, beside the
//! same month through the folders in the same run (`renkei bench sync`'s steps).
//!
//! The folders go first (`demo::exchange`, one parcel per destination); then the next
//! month of the same offices goes through the API: the planner's care software posts each
//! person's send unit in the JSON form (one call per unit, as care software sends), and
//! each provider's waits for its arrivals, fetches each as the JSON form and confirms it.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use renkei_office::api_key::{self, Scope};
use renkei_office::receiving::{self, Delivery};
use renkei_office_console::Folders;
use renkei_spec::Generation;
use renkei_spec::generate::{self, Config};
use renkei_spec::ids::YearMonth;
use renkei_spec::json;
use renkei_spec::validate::Input;

#[derive(Debug, Args)]
pub struct ApiBenchArgs {
    #[arg(long, default_value_t = 30)]
    providers: usize,
    /// People in care of the one planner
    #[arg(long, default_value_t = 600)]
    users: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Calls the planner's care software makes at once (each takes its share of the units)
    #[arg(long, default_value_t = 1)]
    callers: usize,
    /// The planner's whole month in one call (one document of every unit) instead of one
    /// call per person's unit
    #[arg(long, conflicts_with = "per_destination")]
    whole_month: bool,
    /// One call per destination with all its units (the 介護WEBサービス's announced route)
    #[arg(long)]
    per_destination: bool,
}

#[allow(clippy::print_stdout)] // a load generator prints its figures
pub fn run(args: ApiBenchArgs) -> Result<ExitCode> {
    super::in_scratch("api", |dir| async move { measure(&dir, &args).await })
}

fn config(args: &ApiBenchArgs, month: &str) -> Config {
    Config {
        seed: args.seed,
        planners: 1,
        providers: args.providers,
        users: args.users,
        month: YearMonth::parse(month).expect("literal month"),
        generation: Generation::V4,
        per_person: true,
    }
}

/// A file's name and bytes.
type NamedFile = (String, Vec<u8>);

/// Calls of one kind: how long each took.
#[derive(Default)]
struct Calls(Vec<Duration>);

impl Calls {
    fn line(&mut self, what: &str) -> String {
        self.0.sort();
        let at = |q: f64| {
            self.0
                .get(((self.0.len() as f64 * q) as usize).min(self.0.len().saturating_sub(1)))
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        format!(
            "{:>6} calls {what:<44} p50 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms",
            self.0.len(),
            at(0.5),
            at(0.99),
            self.0.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        )
    }
}

/// One office's console serving its API on loopback, with a key of every scope.
struct Served {
    base: String,
    token: String,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<Result<()>>,
}

async fn serve(dir: &std::path::Path, delivery: Delivery) -> Result<Served> {
    let (bound, office) =
        super::super::console::bind(dir, Folders::inside(dir), "127.0.0.1:0").await?;
    let token = api_key::make(&office.ledger, "bench", &Scope::ALL, "bench")?.token;
    receiving::set_delivery(&office, delivery)?;
    let base = format!("http://{}/api/v1", bound.address);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bound.serve(async move {
        let _ = stopped.await;
    }));
    Ok(Served {
        base,
        token,
        stop,
        server,
    })
}

async fn call(
    request: reqwest::RequestBuilder,
    token: &str,
    calls: &mut Calls,
) -> Result<serde_json::Value> {
    let started = Instant::now();
    let answer = request
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await?;
    let status = answer.status();
    let body = answer.bytes().await?;
    calls.0.push(started.elapsed());
    if !status.is_success() {
        bail!("{status}: {}", String::from_utf8_lossy(&body));
    }
    Ok(serde_json::from_slice(&body)?)
}

#[allow(clippy::print_stdout)]
async fn measure(dir: &std::path::Path, args: &ApiBenchArgs) -> Result<()> {
    // The folders, as `renkei bench sync` moves them.
    let done = super::super::demo::exchange(dir, config(args, "202512"), true, |_| {}).await?;
    let relay = done.relay.context("the relay keeps running")?;
    println!(
        "1 planner, {} providers, {} people; one send unit per person",
        args.providers, args.users
    );
    println!("through the folders (December):");
    for step in done.steps.iter().take(2) {
        println!(
            "  {:>5} files in {:>4} parcels, {:>6.2} s = {:>7.0} files/s  {}",
            step.files,
            step.parcels,
            step.seconds,
            step.files as f64 / step.seconds.max(1e-9),
            step.what
        );
    }

    // The next month of the same offices, through the API.
    let planner_dir = &done.office_dirs[0];
    let planner_number = planner_dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let mut units: BTreeMap<(String, String), Vec<NamedFile>> = BTreeMap::new();
    generate::generate::<anyhow::Error>(
        config(args, "202601"),
        &renkei_spec::progress::Silent,
        |file| {
            if file.name.from.as_str() == planner_number {
                let key = (file.name.serial.to_string(), file.name.to.to_string());
                units
                    .entry(key)
                    .or_default()
                    .push((file.name.to_string(), file.bytes));
            }
            Ok(())
        },
    )?;
    if units.is_empty() {
        bail!("the January month has no files of the planner {planner_number}");
    }
    let batches: Vec<Vec<NamedFile>> = if args.whole_month {
        vec![units.values().flatten().cloned().collect()]
    } else if args.per_destination {
        let mut by_destination: BTreeMap<&str, Vec<NamedFile>> = BTreeMap::new();
        for ((_, to), files) in &units {
            by_destination
                .entry(to)
                .or_default()
                .extend(files.iter().cloned());
        }
        by_destination.into_values().collect()
    } else {
        units.values().cloned().collect()
    };
    let documents: Vec<Vec<u8>> = batches
        .iter()
        .map(|files| {
            let inputs: Vec<Input<'_>> = files
                .iter()
                .map(|(name, bytes)| Input { name, bytes })
                .collect();
            Ok(serde_json::to_vec(&json::unit_to_json(&inputs)?)?)
        })
        .collect::<Result<_>>()?;
    let files_sent: usize = units.values().map(Vec::len).sum();
    let planner = serve(planner_dir, Delivery::Folder).await?;
    let mut providers = Vec::new();
    for provider_dir in &done.office_dirs[1..] {
        providers.push(serve(provider_dir, Delivery::Api).await?);
    }
    // The client's TLS is unused here (the API is plain HTTP on loopback), but reqwest
    // wants a provider chosen before it builds one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().build()?;
    // Where each provider's care software stands before January: past December's arrivals.
    let mut cursors = Vec::new();
    for provider in &providers {
        let before = call(
            http.get(format!("{}/received?after=0&limit=1000", provider.base)),
            &provider.token,
            &mut Calls::default(),
        )
        .await?;
        cursors.push(before["cursor"].as_i64().unwrap_or(0));
    }

    let started = Instant::now();
    let callers = args.callers.max(1);
    let mut tasks = Vec::new();
    for caller in 0..callers {
        let (http, base, token) = (http.clone(), planner.base.clone(), planner.token.clone());
        let share: Vec<(usize, Vec<u8>)> = documents
            .iter()
            .enumerate()
            .filter(|(index, _)| index % callers == caller)
            .map(|(index, document)| (index, document.clone()))
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut calls = Calls::default();
            for (index, document) in share {
                let request = http
                    .post(format!("{base}/units"))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", format!("bench-{index}"))
                    .body(document);
                call(request, &token, &mut calls).await?;
            }
            anyhow::Ok(calls)
        }));
    }
    let mut sends = Calls::default();
    for task in tasks {
        sends.0.extend(task.await??.0);
    }
    let sending = started.elapsed().as_secs_f64();

    let (mut lists, mut fetches, mut confirms) =
        (Calls::default(), Calls::default(), Calls::default());
    let mut files_received = 0;
    let mut parcels_received = 0;
    let started = Instant::now();
    for (provider, cursor) in providers.iter().zip(&cursors) {
        let arrivals = call(
            http.get(format!(
                "{}/received?after={cursor}&limit=1000",
                provider.base
            )),
            &provider.token,
            &mut lists,
        )
        .await?;
        for arrival in arrivals["parcels"].as_array().into_iter().flatten() {
            if arrival["state"] != "held" {
                continue;
            }
            let parcel = arrival["parcel"].as_str().unwrap_or_default();
            let unit = call(
                http.get(format!("{}/received/{parcel}", provider.base)),
                &provider.token,
                &mut fetches,
            )
            .await?;
            files_received += unit["document"]["files"].as_array().map_or(0, Vec::len);
            call(
                http.post(format!("{}/received/{parcel}/imported", provider.base)),
                &provider.token,
                &mut confirms,
            )
            .await?;
            parcels_received += 1;
        }
    }
    let receiving = started.elapsed().as_secs_f64();

    println!("through the API (January):");
    println!(
        "  {files_sent:>5} files in {:>4} calls, {sending:>6.2} s = {:>7.0} files/s  the planner's care software sends (POST /units, JSON form, {callers} at once)",
        documents.len(),
        files_sent as f64 / sending.max(1e-9)
    );
    println!(
        "  {files_received:>5} files in {parcels_received:>4} parcels, {receiving:>6.2} s = {:>7.0} files/s  providers' care software receives, fetches as JSON and confirms",
        files_received as f64 / receiving.max(1e-9)
    );
    println!(
        "  {}",
        sends.line(if args.whole_month {
            "POST /units (the whole month)"
        } else if args.per_destination {
            "POST /units (a destination's month)"
        } else {
            "POST /units (one person's unit)"
        })
    );
    println!(
        "  {}",
        lists.line("GET /received (receives from the relay)")
    );
    println!("  {}", fetches.line("GET /received/{parcel} (JSON form)"));
    println!(
        "  {}",
        confirms.line("POST /received/{parcel}/imported (ack)")
    );

    for served in std::iter::once(planner).chain(providers) {
        let _ = served.stop.send(());
        served.server.await??;
    }
    relay.stop().await;
    Ok(())
}
