//! `renkei office ui` and `renkei office staff`: the office console on localhost and its
//! staff accounts. `renkei demo` starts the same consoles for its offices.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use renkei_office::Office;
use renkei_office::ledger::Role;
use renkei_office_console::{Console, Folders, session};

/// The environment variable that gives the first administrator's password (else one is
/// made and shown once).
pub const ADMIN_PASSWORD_VARIABLE: &str = "RENKEI_ADMIN_PASSWORD";
const STAFF_PASSWORD_VARIABLE: &str = "RENKEI_STAFF_PASSWORD";

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// 職員を追加する(パスワードは RENKEI_STAFF_PASSWORD か自動生成) / add a staff account
    Add {
        name: String,
        /// 管理者にする / make an administrator
        #[arg(long)]
        admin: bool,
    },
    /// 職員の一覧 / list the accounts
    List,
    /// 職員を削除する / remove an account
    Remove { name: String },
}

/// The password from `variable`, or a new one and a note that it was made.
fn password_from(variable: &str) -> Result<(String, bool)> {
    match std::env::var(variable) {
        Ok(password) if !password.is_empty() => Ok((password, false)),
        _ => Ok((session::generated_password()?, true)),
    }
}

pub async fn staff(dir: &Path, command: StaffCommand) -> Result<ExitCode> {
    let ledger = renkei_office::ledger::Ledger::open(&dir.join("ledger.db"))?;
    let mut out = std::io::stdout().lock();
    match command {
        StaffCommand::Add { name, admin } => {
            let role = if admin { Role::Admin } else { Role::Staff };
            let (password, made) = password_from(STAFF_PASSWORD_VARIABLE)?;
            session::set_account(&ledger, &name, role, &password).await?;
            writeln!(
                out,
                "{name} を{}として登録しました / account saved",
                role.label()
            )?;
            if made {
                writeln!(
                    out,
                    "  パスワード(一度だけ表示します) / password, shown once: {password}"
                )?;
            }
        }
        StaffCommand::List => {
            for member in ledger.staff()? {
                writeln!(out, "{}\t{}", member.name, member.role.label())?;
            }
        }
        StaffCommand::Remove { name } => {
            if !ledger.remove_staff(&name)? {
                bail!("職員「{name}」はいません / no such account");
            }
            writeln!(out, "{name} を削除しました / removed")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Make the first administrator if the office has no account yet; the password, when made
/// here, is returned to be shown once.
pub async fn first_admin(office: &Office, password: Option<&str>) -> Result<Option<String>> {
    if !office.ledger.staff()?.is_empty() {
        return Ok(None);
    }
    let (password, made) = match password {
        Some(password) => (password.to_owned(), false),
        None => password_from(ADMIN_PASSWORD_VARIABLE)?,
    };
    session::set_account(&office.ledger, "admin", Role::Admin, &password).await?;
    Ok(made.then_some(password))
}

/// A console bound to its address, ready to serve.
pub struct Bound {
    pub address: SocketAddr,
    listener: tokio::net::TcpListener,
    console: Arc<Console>,
    /// Host names the console may be opened by, besides its address and `localhost`.
    pub hosts: Vec<String>,
}

pub async fn bind(dir: &Path, folders: Folders, listen: &str) -> Result<(Bound, Arc<Office>)> {
    let office = Arc::new(Office::open(dir)?);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("{listen} で待ち受けできません。--listen で別のポートを指定してください / cannot listen there"))?;
    let address = listener.local_addr()?;
    let console = Console::new(Arc::clone(&office), folders);
    Ok((
        Bound {
            address,
            listener,
            console,
            hosts: Vec::new(),
        },
        office,
    ))
}

impl Bound {
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        // The console receives by itself while it serves, in turn with any sync.
        let receiving = tokio::spawn(renkei_office_console::receiver::run(Arc::clone(
            &self.console,
        )));
        let served =
            renkei_office_console::serve(self.listener, self.console, self.hosts, shutdown).await;
        receiving.abort();
        served?;
        Ok(())
    }
}

/// Where a browser on this machine reaches a console listening on `address`: a console
/// listening on every address is opened on loopback.
fn browser_address(address: SocketAddr) -> SocketAddr {
    let mut address = address;
    if address.ip().is_unspecified() {
        address.set_ip(if address.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    address
}

/// The console in the default browser (`$BROWSER` where it is set, as on Linux), already
/// listening so the page answers at once. A PC without a browser still has the address
/// printed above.
fn open_in_browser(url: String) {
    std::thread::spawn(move || {
        if let Err(error) = webbrowser::open(&url) {
            tracing::warn!(
                "ブラウザを開けませんでした。上のアドレスをブラウザで開いてください / could not open a browser: {error}"
            );
        }
    });
}

pub struct UiArgs {
    pub listen: String,
    pub hosts: Vec<String>,
    pub export: Option<PathBuf>,
    pub import: Option<PathBuf>,
    pub sent: Option<PathBuf>,
    pub open_browser: bool,
}

pub async fn ui(dir: &Path, args: UiArgs) -> Result<ExitCode> {
    let mut folders = Folders::inside(dir);
    if let Some(export) = args.export {
        folders.export = export;
    }
    if let Some(import) = args.import {
        folders.import = import;
    }
    if let Some(sent) = args.sent {
        folders.sent = sent;
    }
    let (mut bound, office) = bind(dir, folders, &args.listen).await?;
    bound.hosts = args.hosts;
    let made = first_admin(&office, None).await?;
    let url = format!("http://{}/", browser_address(bound.address));
    let mut out = std::io::stdout().lock();
    writeln!(out, "事業所の画面 / office console: {url}")?;
    if let Some(password) = made {
        writeln!(
            out,
            "  最初の管理者 / first administrator: admin  パスワード(一度だけ表示します) / password, shown once: {password}"
        )?;
    }
    if !bound.address.ip().is_loopback() {
        writeln!(
            out,
            "  注意: このパソコン以外からも接続できます。事業所内のネットワークだけで使ってください / note: reachable from other machines"
        )?;
    }
    writeln!(out, "  Ctrl-C で終了 / Ctrl-C to stop")?;
    drop(out);
    if args.open_browser {
        open_in_browser(url);
    }
    bound
        .serve(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(ExitCode::SUCCESS)
}
