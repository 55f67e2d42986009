//! The crate rules of ARCHITECTURE.md, read off `cargo metadata` and `cargo tree` so that a
//! dependency added against them fails here rather than in a review.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cargo(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .arg("--offline")
        .current_dir(workspace())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Each workspace crate with the workspace crates it names in its manifest, by kind
/// (`normal`, `dev`, `build`).
fn members() -> Vec<(String, Vec<(String, String)>)> {
    let metadata: Value =
        serde_json::from_str(&cargo(&["metadata", "--format-version", "1", "--no-deps"])).unwrap();
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| {
            let dependencies = package["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["name"].as_str().unwrap().starts_with("renkei"))
                .map(|d| {
                    let kind = d["kind"].as_str().unwrap_or("normal").to_owned();
                    (d["name"].as_str().unwrap().to_owned(), kind)
                })
                .collect();
            (package["name"].as_str().unwrap().to_owned(), dependencies)
        })
        .collect()
}

/// Every crate a package pulls in when it is built alone (its normal dependencies, with the
/// features that build turns on).
fn tree(package: &str) -> BTreeSet<String> {
    tree_with(package, &[])
}

/// The packages `package` links, with more `cargo tree` arguments (features, target).
fn tree_with(package: &str, more: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["tree", "-p", package, "-e", "normal", "--prefix", "none"];
    args.extend(more);
    cargo(&args)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn only_the_binary_and_the_test_kit_depend_on_the_relay() {
    for (name, dependencies) in members() {
        if dependencies.iter().any(|(d, _)| d == "renkei-hub") {
            assert!(
                name == "renkei" || name == "renkei-testkit",
                "{name} depends on renkei-hub: take what it needs from renkei-proto or renkei-infobase, or from renkei-testkit in tests"
            );
        }
    }
}

#[test]
fn nothing_that_ships_depends_on_the_test_kit() {
    for (name, dependencies) in members() {
        for (dependency, kind) in dependencies {
            assert!(
                dependency != "renkei-testkit" || kind == "dev",
                "{name} depends on renkei-testkit as a {kind} dependency: only tests may"
            );
        }
    }
}

#[test]
fn the_leaf_crates_depend_on_no_other_workspace_crate() {
    for (name, dependencies) in members() {
        let allowed: &[&str] = match name.as_str() {
            "renkei-spec" | "renkei-seal" => &[],
            "renkei-infobase" => &["renkei-spec"],
            "renkei-proto" => &["renkei-infobase", "renkei-seal"],
            _ => continue,
        };
        for (dependency, kind) in dependencies.iter().filter(|(_, k)| k != "dev") {
            assert!(
                allowed.contains(&dependency.as_str()),
                "{name} depends on {dependency} ({kind}); it may depend only on {allowed:?}"
            );
        }
    }
}

/// What an office PC must not carry: a database server's driver, an HTTP server, the relay.
/// (`tower-http` is not among them: reqwest uses it as a client.)
const SERVER_CRATES: [&str; 7] = [
    "renkei-hub",
    "tokio-postgres",
    "postgres-protocol",
    "deadpool-postgres",
    "axum",
    "utoipa",
    "askama",
];

/// The relay and what only it uses: what no office build may link.
const RELAY_CRATES: [&str; 4] = [
    "renkei-hub",
    "tokio-postgres",
    "deadpool-postgres",
    "utoipa",
];

#[test]
fn the_office_client_links_no_server() {
    let pulled = tree("renkei-office");
    for server in SERVER_CRATES {
        assert!(
            !pulled.contains(server),
            "renkei-office pulls in {server}; the office client must build without any server"
        );
    }
    let features = cargo(&[
        "tree",
        "-p",
        "renkei-office",
        "-e",
        "features",
        "--prefix",
        "none",
    ]);
    assert!(
        !features
            .lines()
            .any(|l| l.starts_with("hyper feature \"server\"")),
        "renkei-office turns on hyper's server: the office client must build without any server"
    );
}

/// The build an office PC gets (the Windows .exe): the binary without its `relay` feature
/// carries no relay and no database driver, for Windows as for here.
#[test]
fn the_office_build_of_the_binary_links_no_relay() {
    for target in ["x86_64-unknown-linux-gnu", "x86_64-pc-windows-gnu"] {
        let pulled = tree_with("renkei", &["--no-default-features", "--target", target]);
        assert!(pulled.contains("renkei-office-console"), "{target}");
        for server in RELAY_CRATES {
            assert!(
                !pulled.contains(server),
                "the office build for {target} pulls in {server}"
            );
        }
    }
}

#[test]
fn the_wire_has_no_server_dependency() {
    let pulled = tree("renkei-proto");
    for server in SERVER_CRATES.into_iter().chain(["hyper", "rusqlite"]) {
        assert!(
            !pulled.contains(server),
            "renkei-proto pulls in {server}: the wire is types only"
        );
    }
}

#[test]
fn the_office_console_reaches_the_relay_only_through_the_wire() {
    let pulled = tree("renkei-office-console");
    for server in RELAY_CRATES {
        assert!(
            !pulled.contains(server),
            "renkei-office-console pulls in {server}"
        );
    }
}

#[test]
fn every_crate_has_at_most_one_integration_test_binary() {
    let metadata: Value =
        serde_json::from_str(&cargo(&["metadata", "--format-version", "1", "--no-deps"])).unwrap();
    for package in metadata["packages"].as_array().unwrap() {
        let tests: Vec<&str> = package["targets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["kind"].as_array().unwrap().iter().any(|k| k == "test"))
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert!(
            tests.len() <= 1 && tests.iter().all(|t| *t == "it"),
            "{}: integration tests {tests:?}; keep one binary, tests/it/main.rs with modules (each binary links separately on two cores)",
            package["name"]
        );
    }
}

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

#[test]
fn the_relays_handlers_go_through_the_relay_layer() {
    let http = workspace().join("crates/hub/src/http");
    let files = sources(&http);
    assert!(files.len() > 10, "the handlers are where this test looks");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for store_access in [
            ".store()",
            "ParcelStore",
            "OfficeStore",
            "AccountStore",
            "InfobaseStore",
        ] {
            assert!(
                !text.contains(store_access),
                "{} uses {store_access}: a handler calls the relay (crates/hub/src/relay), which applies the rules, never the store",
                file.display()
            );
        }
    }
}
