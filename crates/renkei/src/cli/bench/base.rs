//! `renkei bench base`: the information base with a million insured people loaded — how
//! fast a municipality's files load, and how fast one person's records are looked up, by
//! the municipality and by a registered care office (consent, registration and the rules
//! checked, the access written to the log, as on every request).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Args;
use renkei_hub::relay::{Relay, RelayConfig};
use renkei_hub::setup::{HubFiles, Settings};
use renkei_hub::store::{InfobaseStore, PostgresStore};
use renkei_infobase::{Participant, PersonKey, RecordKind};

#[derive(Debug, Args)]
pub struct BaseBenchArgs {
    /// Insured people to load
    #[arg(long, default_value_t = 1_000_000)]
    persons: usize,
    /// Lookups to time
    #[arg(long, default_value_t = 20_000)]
    lookups: usize,
    /// A PostgreSQL server (`host=… user=…`): a fresh database on it, dropped afterwards;
    /// default: the embedded SQLite store
    #[arg(long)]
    postgres: Option<String>,
}

const INSURER: &str = "131045";
/// People per file loaded: a municipality's monthly file is of this order.
const CHUNK: usize = 50_000;

pub fn run(args: BaseBenchArgs) -> Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("renkei-bench-base-{}", std::process::id()));
    let files = HubFiles::new(dir.join("hub"));
    files.init(&Settings {
        name: "renkei-bench".into(),
        hosts: vec!["localhost".into()],
        database: None,
    })?;
    let runtime = tokio::runtime::Runtime::new()?;
    let database = args
        .postgres
        .as_ref()
        .map(|server| format!("{server} dbname=renkei_bench_base_{}", std::process::id()));
    let outcome = runtime.block_on(async {
        match &database {
            Some(url) => {
                PostgresStore::ensure_database(url).await?;
                let relay = files.open(Some(url), RelayConfig::default()).await?;
                measure(&relay, &args, "PostgreSQL").await
            }
            None => {
                let relay = files.open(None, RelayConfig::default()).await?;
                let outcome = measure(&relay, &args, "SQLite").await;
                let size = std::fs::metadata(files.database_path())
                    .map(|m| m.len())
                    .unwrap_or(0);
                println_size(size);
                outcome
            }
        }
    });
    if let Some(url) = &database {
        runtime.block_on(PostgresStore::drop_database(url))?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    outcome?;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
fn println_size(bytes: u64) {
    println!("database size: {:.0} MB", bytes as f64 / 1e6);
}

#[allow(clippy::print_stdout)] // a load generator prints its figures
async fn measure(relay: &Relay, args: &BaseBenchArgs, store: &str) -> Result<()> {
    let municipality = Participant::Municipality {
        insurer: INSURER.into(),
    };
    // Load: the generated people, file by file, as a municipality would (checked whole).
    let started = Instant::now();
    let mut people = renkei_spec::generate::insured(1, INSURER, args.persons).peekable();
    let (mut records, mut consents) = (0, 0);
    while people.peek().is_some() {
        let mut files: Vec<String> = super::super::base::GENERATED
            .iter()
            .map(|k| format!("{}\n", k.columns().join(",")))
            .collect();
        for person in people.by_ref().take(CHUNK) {
            for (file, line) in files.iter_mut().zip(super::super::base::lines(&person)) {
                file.push_str(&line);
                file.push('\n');
            }
        }
        for file in files {
            let loaded = relay.load(&municipality, file.as_bytes(), 1).await?;
            records += loaded.records;
            consents += loaded.consents;
        }
    }
    let load = started.elapsed();
    println!(
        "{store}: {} people loaded: {records} records and {consents} consents in {:.1} s = {:.0} records/s",
        args.persons,
        load.as_secs_f64(),
        (records + consents) as f64 / load.as_secs_f64()
    );

    // The municipality's progress overview: the newest version of every application, up
    // to the page's 50,000, read and each one's current step worked out.
    let mut overview = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let applications = relay
            .store()
            .latest_records(INSURER, RecordKind::Application, 50_000, 0)
            .await?;
        let waiting = applications
            .iter()
            .filter_map(|r| {
                serde_json::from_str::<renkei_infobase::certification::Application>(&r.body).ok()
            })
            .filter(|a| a.progress().iter().any(|s| s.current))
            .count();
        overview.push((started.elapsed(), applications.len(), waiting));
    }
    overview.sort();
    let (median, read, waiting) = overview[overview.len() / 2];
    println!(
        "{store}: the municipality's progress overview: {read} applications read and stepped ({waiting} waiting) in {:.0} ms (median of 5)",
        median.as_secs_f64() * 1000.0
    );

    // A care office registered for every 50th person, as care managers would be.
    let office = Participant::Office {
        number: "1310000043".into(),
        kinds: vec!["43".into()],
    };
    let person = |i: usize| PersonKey::new(INSURER, &format!("{:010}", i + 1));
    for i in (0..args.persons).step_by(50) {
        relay
            .store()
            .set_registration(&person(i), "1310000043", Some("person"), 2)
            .await?;
    }
    let mut rng = fastrand::Rng::with_seed(7);
    for (who, viewer, step) in [
        ("municipality", &municipality, 1),
        ("care office", &office, 50),
    ] {
        let mut times: Vec<Duration> = Vec::with_capacity(args.lookups);
        let started = Instant::now();
        let mut shown = 0;
        for _ in 0..args.lookups {
            let i = rng.usize(..args.persons / step) * step;
            let key = person(i);
            let asked = Instant::now();
            for kind in [RecordKind::InsuranceCard, RecordKind::Result] {
                shown += relay.disclose(viewer, &key, kind, 3).await?.len();
            }
            times.push(asked.elapsed());
        }
        let total = started.elapsed();
        times.sort();
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "{store}: {} lookups by the {who} (被保険者証 + 認定結果, rules checked, access logged): {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({shown} records shown)",
            args.lookups,
            args.lookups as f64 / total.as_secs_f64(),
            at(0.5).as_secs_f64() * 1000.0,
            at(0.99).as_secs_f64() * 1000.0,
            times.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        );
    }
    Ok(())
}
