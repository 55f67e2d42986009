//! `renkei bench console`: how fast the office console answers with a busy month — one
//! planner and many providers exchanged end to end first — page by page, cold (the first
//! request opens and checks the parcels) and warm.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use renkei_office_console::Folders;
use renkei_spec::Generation;
use renkei_spec::generate::Config;
use renkei_spec::ids::YearMonth;

#[derive(Debug, Args)]
pub struct ConsoleBenchArgs {
    #[arg(long, default_value_t = 30)]
    providers: usize,
    /// People in care of the one planner
    #[arg(long, default_value_t = 600)]
    users: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Warm requests per page after the first
    #[arg(long, default_value_t = 10)]
    rounds: usize,
}

const PASSWORD: &str = "bench-password-0123";

#[allow(clippy::print_stdout)] // a load generator prints its figures
pub fn run(args: ConsoleBenchArgs) -> Result<ExitCode> {
    super::in_scratch("console", |dir| async move { measure(&dir, &args).await })
}

/// One page's figures.
struct Timing {
    page: String,
    bytes: usize,
    cold: Duration,
    warm: Vec<Duration>,
}

#[allow(clippy::print_stdout)]
async fn measure(dir: &std::path::Path, args: &ConsoleBenchArgs) -> Result<()> {
    let config = Config {
        seed: args.seed,
        planners: 1,
        providers: args.providers,
        users: args.users,
        month: YearMonth::parse("202512").expect("literal month"),
        generation: Generation::V4,
        per_person: true,
    };
    let done = super::super::demo::exchange(dir, config, true, |_| {}).await?;
    let relay = done.relay.context("the relay keeps running")?;
    println!(
        "1 planner, {} providers, {} people: {} files exchanged",
        args.providers, args.users, done.generated_files
    );
    let mut timings = Vec::new();
    for (who, office_dir) in [
        ("planner", &done.office_dirs[0]),
        ("provider", &done.office_dirs[1]),
    ] {
        let (bound, office) =
            super::super::console::bind(office_dir, Folders::inside(office_dir), "127.0.0.1:0")
                .await?;
        super::super::console::first_admin(&office, Some(PASSWORD)).await?;
        let base = format!("http://{}", bound.address);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(bound.serve(async move {
            let _ = stopped.await;
        }));
        let client = Client::sign_in(&base).await?;
        client.second_factor().await?;
        // The lists first, while nothing is cached; then what they link to.
        let mut all = LISTS.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        let mut details = Vec::new();
        for round in 0..2 {
            for page in if round == 0 { &all } else { &details } {
                let started = Instant::now();
                let bytes = client.get(page).await?;
                let cold = started.elapsed();
                let mut warm = Vec::with_capacity(args.rounds);
                for _ in 0..args.rounds {
                    let started = Instant::now();
                    client.get(page).await?;
                    warm.push(started.elapsed());
                }
                warm.sort();
                timings.push(Timing {
                    page: format!("{who} {page}"),
                    bytes,
                    cold,
                    warm,
                });
            }
            if round == 0 {
                details = linked(&client).await?;
                all.clear();
            }
        }
        let _ = stop.send(());
        server.await??;
        drop(office);
    }
    relay.stop().await;

    println!(
        "{:<72} {:>9} {:>9} {:>9} {:>9}",
        "page", "KB", "cold ms", "warm p50", "warm max"
    );
    for t in &timings {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let p50 = t.warm.get(t.warm.len() / 2).copied().unwrap_or_default();
        let max = t.warm.last().copied().unwrap_or_default();
        println!(
            "{:<72} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            t.page,
            t.bytes as f64 / 1024.0,
            ms(t.cold),
            ms(p50),
            ms(max)
        );
    }
    if let Some(slowest) = timings
        .iter()
        .max_by_key(|t| t.warm.last().copied().unwrap_or_default())
    {
        println!(
            "slowest page (warm): {} — {:.1} ms",
            slowest.page,
            slowest
                .warm
                .last()
                .copied()
                .unwrap_or_default()
                .as_secs_f64()
                * 1000.0
        );
    }
    if let Some(slowest) = timings.iter().max_by_key(|t| t.cold) {
        println!(
            "slowest first request: {} — {:.1} ms",
            slowest.page,
            slowest.cold.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

/// The pages every office has.
const LISTS: [&str; 18] = [
    "/",
    "/outbox",
    "/inbox",
    "/people",
    "/documents",
    "/refusals",
    "/partners",
    "/evidence",
    "/evidence.csv",
    "/evidence.pdf",
    "/effect",
    "/effect.pdf",
    "/send",
    "/staff",
    // The month's people as the information base knows them: asked of the relay.
    "/base",
    // Every person's 予定 against their 実績 for the month, and each partner's progress.
    "/reconcile?month=202512",
    "/board?month=202512",
    // Every person's forms of the month on one page, to print.
    "/people/print?month=202512",
];

/// The first parcel, person and document the lists link to.
async fn linked(client: &Client) -> Result<Vec<String>> {
    let mut pages = Vec::new();
    let people = client.text("/people").await?;
    if let Some(person) = first_link(&people, "/parcels/", "/people/") {
        let parcel = person
            .split("/people/")
            .next()
            .unwrap_or_default()
            .to_owned();
        pages.push(parcel);
        pages.push(format!("{person}/pdf"));
        pages.push(person);
    }
    let documents = client.text("/documents").await?;
    if let Some(document) = first_link(&documents, "/documents/", "") {
        pages.push(document);
    }
    let reconcile = client.text("/reconcile?month=202512").await?;
    if let Some(person) = first_link(&reconcile, "/reconcile/", "") {
        pages.push(person.replace("&amp;", "&"));
    }
    let base = client.text("/base").await?;
    if let Some(person) = first_link(&base, "/base/people/", "") {
        pages.push(person);
    }
    Ok(pages)
}

/// The first `href` starting with `prefix` and holding `inner`.
fn first_link(html: &str, prefix: &str, inner: &str) -> Option<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|link| link.starts_with(prefix) && link.contains(inner) && link.len() > prefix.len())
        .map(str::to_owned)
}

/// A signed-in browser, as far as the pages care.
struct Client {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

impl Client {
    async fn sign_in(base: &str) -> Result<Self> {
        // The workspace's reqwest is built without a TLS provider of its own (the office
        // client brings ring); plain HTTP needs none, but the builder asks for one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let answer = http
            .post(format!("{base}/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("name=admin&password={PASSWORD}&next=/"))
            .send()
            .await?;
        let cookie = answer
            .headers()
            .get("set-cookie")
            .and_then(|c| c.to_str().ok())
            .and_then(|c| c.split(';').next())
            .map(str::to_owned);
        let Some(cookie) = cookie else {
            bail!("sign-in failed: {}", answer.status());
        };
        Ok(Self {
            http,
            base: base.to_owned(),
            cookie,
        })
    }

    /// Enrol an authenticator key and give its code, as a member does once per session
    /// before the information base's pages.
    async fn second_factor(&self) -> Result<()> {
        let page = self.text("/verify?next=/").await?;
        let key = page
            .split("id=\"totp-secret\">")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .context("the verify page shows no key")?
            .trim()
            .to_owned();
        let code = renkei_hub::relay::current_code(&key, renkei_seal::unix_now())?;
        let answer = self
            .http
            .post(format!("{}/verify", self.base))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("code={code}&new_key={key}&next=/"))
            .send()
            .await?;
        if !answer.status().is_redirection() {
            bail!("the one-time code was refused: {}", answer.status());
        }
        Ok(())
    }

    /// The page's bytes; an answer other than 200 is an error.
    async fn fetch(&self, path: &str) -> Result<Vec<u8>> {
        let answer = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await?;
        let status = answer.status();
        let body = answer.bytes().await?;
        if !status.is_success() {
            bail!("{path}: {status} {}", String::from_utf8_lossy(&body));
        }
        Ok(body.to_vec())
    }

    async fn get(&self, path: &str) -> Result<usize> {
        Ok(self.fetch(path).await?.len())
    }

    async fn text(&self, path: &str) -> Result<String> {
        Ok(String::from_utf8_lossy(&self.fetch(path).await?).into_owned())
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base", &self.base).finish()
    }
}
