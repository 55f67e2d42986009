//! A relay run as its own process, the way an operator runs it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub const PASSWORD: &str = "a long operator password";

pub fn renkei(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_renkei"))
        .args(args)
        .env("RENKEI_OPERATOR_PASSWORD", PASSWORD)
        .output()
        .expect("renkei runs")
}

/// Run and insist on success, returning what it printed.
pub fn ok(args: &[&str]) -> String {
    let out = renkei(args);
    assert!(
        out.status.success(),
        "renkei {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct HubProcess {
    pub child: Child,
    pub url: String,
    pub data: PathBuf,
}

impl HubProcess {
    /// `renkei hub init` (once) then `renkei hub serve` on `port`, returning when it listens.
    pub fn start(data: &Path, port: u16) -> Self {
        Self::start_with(data, port, None)
    }

    /// As [`Self::start`], the hub made on the PostgreSQL `database` when one is given.
    pub fn start_with(data: &Path, port: u16, database: Option<&str>) -> Self {
        let data_arg = data.to_str().unwrap();
        if !data.join("hub.json").exists() {
            let mut init = vec!["hub", "--data", data_arg, "init", "--operator", "operator"];
            if let Some(url) = database {
                init.extend(["--database", url]);
            }
            ok(&init);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_renkei"))
            .args([
                "hub",
                "--data",
                data_arg,
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("hub starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.contains("listening"), "hub said: {line}");
        Self {
            child,
            url: format!("https://localhost:{port}"),
            data: data.to_owned(),
        }
    }

    pub fn authority(&self) -> PathBuf {
        self.data.join("authority.pem")
    }

    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Stop as an operator does (SIGTERM), letting requests under way finish.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().unwrap()
    }
}

impl Drop for HubProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `renkei hub code` for an office; returns the code.
pub fn code(hub: &HubProcess, number: &str, name: &str, kind: &str) -> String {
    let printed = ok(&[
        "hub",
        "--data",
        hub.data.to_str().unwrap(),
        "code",
        "--number",
        number,
        "--name",
        name,
        "--kind",
        kind,
    ]);
    printed.lines().next().unwrap().trim().to_owned()
}

/// `renkei office init` and `enroll` in `dir`.
pub fn enrol(hub: &HubProcess, dir: &Path, number: &str, name: &str, kind: &str) {
    let code = code(hub, number, name, kind);
    let dir = dir.to_str().unwrap();
    ok(&["office", "--dir", dir, "init", "--number", number]);
    ok(&[
        "office",
        "--dir",
        dir,
        "enroll",
        "--hub",
        &hub.url,
        "--code",
        &code,
        "--authority",
        hub.authority().to_str().unwrap(),
    ]);
}

/// A relay in `work/hub` with a care-planning office (1310000043, in `work/planner`) and a
/// home-help provider (1310000011, in `work/provider`) enrolled.
pub fn planner_and_provider(work: &Path) -> (HubProcess, PathBuf, PathBuf) {
    let hub = HubProcess::start(&work.join("hub"), free_port());
    let planner = work.join("planner");
    let provider = work.join("provider");
    enrol(&hub, &planner, "1310000043", "架空居宅介護支援", "43");
    enrol(&hub, &provider, "1310000011", "架空訪問介護", "11");
    (hub, planner, provider)
}

/// A generated December for one planner and `providers` providers.
pub fn month(seed: u64, providers: usize, users: usize) -> renkei_spec::generate::Config {
    renkei_spec::generate::Config {
        seed,
        planners: 1,
        providers,
        users,
        month: renkei_spec::ids::YearMonth::parse("202512").unwrap(),
        generation: renkei_spec::Generation::V4,
        per_person: false,
    }
}

/// Enrol every office of `world`, each in `work/<事業所番号>`.
pub fn enrol_world(hub: &HubProcess, work: &Path, world: &renkei_spec::generate::World) {
    for office in world.planners.iter().chain(&world.providers) {
        let number = office.number.as_str();
        enrol(
            hub,
            &work.join(number),
            number,
            &office.name,
            office.kind.as_str(),
        );
    }
}

/// Files whose names a care software would see (not hidden temporary files).
pub fn visible(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return std::collections::BTreeMap::new();
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .filter_map(|name| {
            std::fs::read(dir.join(&name))
                .ok()
                .map(|bytes| (name, bytes))
        })
        .collect()
}

/// What the generator writes for office `sender`, put into `export`; returned by recipient,
/// as each should receive it.
pub fn export_month(
    config: renkei_spec::generate::Config,
    sender: &str,
    export: &Path,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<u8>>> {
    let mut expected: std::collections::BTreeMap<_, std::collections::BTreeMap<_, _>> =
        std::collections::BTreeMap::new();
    renkei_spec::generate::generate::<renkei_spec::Error>(
        config,
        &renkei_spec::progress::Silent,
        |file| {
            if file.name.from.as_str() == sender {
                let name = file.name.to_string();
                std::fs::write(export.join(&name), &file.bytes).unwrap();
                expected
                    .entry(file.name.to.as_str().to_owned())
                    .or_default()
                    .insert(name, file.bytes);
            }
            Ok(())
        },
    )
    .unwrap();
    expected
}
