//! The office client as it meets an office PC: its data in the user's own folder when none
//! is named, the care software's folders with Japanese names and spaces deep in the tree
//! and on another file system, a file still being written left alone, and the console
//! opened in the default browser.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use renkei_spec::generate::{self, World};
use renkei_spec::progress::Silent;

use crate::common::{HubProcess, enrol_world, free_port, ok};

fn bare_office_command(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_renkei"));
    command
        .env_remove("RENKEI_OFFICE_DIR")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home);
    command
}

#[test]
fn with_no_folder_named_the_office_keeps_its_data_in_the_users_own() {
    let home = tempfile::tempdir().unwrap();
    let out = bare_office_command(home.path())
        .args(["office", "init", "--number", "1310000043"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let data = home.path().join(".local").join("share").join("renkei");
    let key = data.join("office-key.pem");
    assert!(key.exists(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(renkei_office::platform::is_private(&key).unwrap());
    assert!(String::from_utf8_lossy(&out.stdout).contains(&data.display().to_string()));
    // The variable names another folder for every command.
    let named = home.path().join("事業所 データ");
    let out = bare_office_command(home.path())
        .env("RENKEI_OFFICE_DIR", &named)
        .args(["office", "init", "--number", "1310000011"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(renkei_office::platform::is_private(&named.join("office-key.pem")).unwrap());
}

/// A folder path longer than Windows' old 260-character limit, every level named as a
/// care office names its folders.
fn deep(base: &Path, last: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    for level in 0..8 {
        path.push(format!("介護ソフト 連携用フォルダ 第{level}階層 (共有)"));
    }
    path.push(last);
    assert!(path.as_os_str().len() > 300);
    path
}

#[test]
fn a_month_syncs_through_japanese_long_paths_and_another_file_system() {
    let work = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&work.path().join("hub"), free_port());
    let config = crate::common::month(11, 3, 24);
    let world = World::new(config.clone());
    // The data folder itself stays short: SQLite cannot open a ledger deep in a tree, and
    // says so with what to do.
    let too_deep = deep(work.path(), "事業所");
    let out = crate::common::renkei(&["office", "--dir", too_deep.to_str().unwrap(), "history"]);
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("パスが長すぎる") && error.contains("--dir"),
        "{error}"
    );
    let offices = work.path().join("事業所 データ");
    enrol_world(&hub, &offices, &world);
    let planner = world.planners[0].number.as_str().to_owned();
    // The planner's export folder on another file system (as a share or a second drive),
    // its import and sent folders deep in this one.
    let shared = Path::new("/dev/shm");
    let far = shared
        .is_dir()
        .then(|| tempfile::tempdir_in(shared).unwrap());
    let export = deep(
        far.as_ref().map_or(work.path(), |f| f.path()),
        "出力 (介護ソフト)",
    );
    std::fs::create_dir_all(&export).unwrap();
    let expected = crate::common::export_month(config, &planner, &export);
    let total: usize = expected.values().map(BTreeMap::len).sum();
    let dir = offices.join(&planner);
    let import = deep(work.path(), "取込 (介護ソフト)");
    let said = ok(&[
        "office",
        "--dir",
        dir.to_str().unwrap(),
        "sync",
        "--export",
        export.to_str().unwrap(),
        "--import",
        import.to_str().unwrap(),
    ]);
    assert!(
        said.contains(&format!("ファイル {total}")) || said.contains("送信"),
        "{said}"
    );
    assert_eq!(std::fs::read_dir(&export).unwrap().count(), 0, "{said}");
    assert_eq!(std::fs::read_dir(dir.join("sent")).unwrap().count(), total);
    for (provider, files) in &expected {
        let provider_import = deep(work.path(), &format!("取込 {provider}"));
        ok(&[
            "office",
            "--dir",
            offices.join(provider).to_str().unwrap(),
            "receive",
            "--import",
            provider_import.to_str().unwrap(),
        ]);
        assert_eq!(
            &crate::common::visible(&provider_import),
            files,
            "{provider} got its files whole"
        );
    }
}

/// The care software still writing a file (it grows while it is looked at) is left in
/// the export folder for the next round, and sent once it is left alone.
#[test]
fn a_file_still_being_written_is_left_for_the_next_round() {
    let work = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&work.path().join("hub"), free_port());
    let config = crate::common::month(12, 1, 4);
    let world = World::new(config.clone());
    enrol_world(&hub, work.path(), &world);
    let planner = world.planners[0].number.as_str().to_owned();
    let export = work.path().join("出力");
    std::fs::create_dir_all(&export).unwrap();
    let mut plan = None;
    generate::generate::<renkei_spec::Error>(config, &Silent, |file| {
        if plan.is_none() && file.name.from.as_str() == planner {
            plan = Some((file.name.to_string(), file.bytes));
        }
        Ok(())
    })
    .unwrap();
    let (name, bytes) = plan.unwrap();
    let path = export.join(&name);
    // A writer that keeps appending a byte at a time, as a slow export does.
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let writing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let (path, writing) = (path.clone(), writing.clone());
        std::thread::spawn(move || {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            while writing.load(std::sync::atomic::Ordering::Relaxed) {
                file.write_all(b" ").unwrap();
                file.flush().unwrap();
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let dir = work.path().join(&planner);
    let send = |dir: &Path| {
        crate::common::renkei(&[
            "office",
            "--dir",
            dir.to_str().unwrap(),
            "send",
            export.to_str().unwrap(),
        ])
    };
    let out = send(&dir);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    writing.store(false, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    assert!(said.contains("まだ書き込み中です"), "{said}");
    assert!(said.contains(&name), "{said}");
    assert!(path.exists(), "left where it was");
    // Written out: the next round sends it.
    std::fs::write(&path, &bytes).unwrap();
    let out = send(&dir);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains("送信しました"), "{said}");
    assert!(!path.exists());
    assert_eq!(std::fs::read(dir.join("sent").join(&name)).unwrap(), bytes);
}

/// `renkei office ui` opens the default browser (`$BROWSER` here, the system's default
/// on Windows) on the console's own address, which answers.
#[cfg(unix)]
#[test]
fn the_console_opens_in_the_default_browser() {
    use std::io::BufRead;
    use std::process::Stdio;
    use std::time::Instant;
    let work = tempfile::tempdir().unwrap();
    let hub = HubProcess::start(&work.path().join("hub"), free_port());
    let dir = work.path().join("事業所");
    crate::common::enrol(&hub, &dir, "1310000043", "架空居宅介護支援", "43");
    // The key as a backup tool restores it, readable by all: narrowed again when opened.
    let key = dir.join("office-key.pem");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    assert!(!renkei_office::platform::is_private(&key).unwrap());
    let opened = work.path().join("opened.txt");
    let browser = work.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    let mut ui = Command::new(env!("CARGO_BIN_EXE_renkei"))
        .args([
            "office",
            "--dir",
            dir.to_str().unwrap(),
            "ui",
            "--listen",
            "127.0.0.1:0",
        ])
        // Through `sh`, as a script just written may not be executable yet by another
        // process (ETXTBSY while a sibling test forks).
        .env("BROWSER", format!("sh {} %s", browser.display()))
        .env("RENKEI_ADMIN_PASSWORD", "a fictional password 1")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(work.path().join("ui.log")).unwrap())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let mut said = std::io::BufReader::new(ui.stdout.take().unwrap());
    said.read_line(&mut first).unwrap();
    // Kept reading: a closed pipe would end the console at its next line.
    let _rest = std::thread::spawn(move || std::io::copy(&mut said, &mut std::io::sink()));
    let address = first.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(address.starts_with("http://127.0.0.1:"), "{first}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !opened.exists() {
        assert!(
            Instant::now() < deadline,
            "the browser was never opened: {}",
            std::fs::read_to_string(work.path().join("ui.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), address);
    assert!(renkei_office::platform::is_private(&key).unwrap());
    let log = std::fs::read_to_string(work.path().join("ui.log")).unwrap();
    assert!(log.contains("本人だけが読めるように直しました"), "{log}");
    let page = reqwest_get(&address);
    ui.kill().unwrap();
    ui.wait().unwrap();
    assert!(page.starts_with("HTTP/1.1 "), "{page}");
    assert!(!page.starts_with("HTTP/1.1 5"), "{page}");
}

/// One plain HTTP/1.1 GET on loopback, the answer's head.
fn reqwest_get(url: &str) -> String {
    use std::io::{Read, Write};
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}
