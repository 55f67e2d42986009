#!/usr/bin/env python3
"""Figures for the office client an office PC runs (BENCHMARKS.md, "The office client on a
PC"): the office build's size, its start time to a console that answers, and its peak memory
through a month's sync of 600 people, each office a process of its own as on a PC.

    cargo build --release                                         # the relay, for the run
    CARGO_TARGET_DIR=target/office cargo build --release -p renkei --no-default-features
    python3 packaging/windows/figures.py target/release/renkei target/office/release/renkei \
        [target/x86_64-pc-windows-gnu/release/renkei.exe]

The third argument, when given, also times the Windows .exe's start under Wine (Wine's own
start included, so an upper bound, not a Windows figure).
"""

import os
import pathlib
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HUB, OFFICE = sys.argv[1], sys.argv[2]
EXE = sys.argv[3] if len(sys.argv) > 3 else None
ROOT = pathlib.Path(__file__).resolve().parent.parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def peak_of(*args):
    """Peak resident MB of one process, read from /usr/bin/time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stdout + out.stderr)
    seconds, kb = out.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024


def console_start(command, env, port):
    """Seconds from starting `office ui` to its first HTTP answer, and its resident MB then."""
    started = time.perf_counter()
    ui = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1).read()
                break
            except OSError:
                if ui.poll() is not None:
                    raise SystemExit(f"the console stopped: {command}")
                time.sleep(0.002)
        seconds = time.perf_counter() - started
        rss = None
        status = pathlib.Path(f"/proc/{ui.pid}/status")
        if status.exists():
            line = next(l for l in status.read_text().splitlines() if l.startswith("VmRSS:"))
            rss = int(line.split()[1]) / 1024
        return seconds, rss
    finally:
        ui.terminate()
        ui.wait()


def main():
    work = pathlib.Path(tempfile.mkdtemp())
    month = work / "month"
    run(OFFICE, "gen", "--seed", "1", "--planners", "1", "--providers", "30", "--users", "600",
        "--per-person", "--out", str(month))
    offices = {}
    for name in os.listdir(month):
        parts = name.split("_")
        if name.startswith("UP") and len(parts) >= 6:
            # KIND_[MONTH_]FROM_FROMKIND_TO_TOKIND_TIME
            tail = parts[-5:]
            offices[tail[0]] = tail[1]
            offices[tail[2]] = tail[3]
    port = free_port()
    run(HUB, "hub", "init", "--data", str(work / "hub"), "--host", "localhost")
    hub = subprocess.Popen([HUB, "hub", "--data", str(work / "hub"), "serve", "--listen",
                            f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    hub.stdout.readline()
    try:
        for number, kind in offices.items():
            code = re.search(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", run(
                HUB, "hub", "--data", str(work / "hub"), "code", "--number", number,
                "--name", f"架空事業所{number}", "--kind", kind)).group(0)
            run(OFFICE, "office", "--dir", str(work / number), "init", "--number", number)
            run(OFFICE, "office", "--dir", str(work / number), "enroll", "--hub",
                f"https://localhost:{port}", "--code", code, "--authority",
                str(work / "hub" / "authority.pem"))
        planner = next(n for n, k in offices.items() if k in ("43", "46"))
        exports = {n: work / n / "export" for n in offices}
        for path in exports.values():
            path.mkdir(parents=True, exist_ok=True)
        files = sorted(os.listdir(month))
        for name in files:
            sender = name.split("_")[-5]
            os.link(month / name, exports[sender] / name)
        to_providers = len(os.listdir(exports[planner]))

        def sync(number):
            return peak_of(OFFICE, "office", "--dir", str(work / number), "sync", "--export",
                           str(exports[number]), "--import", str(work / number / "import"))

        rows = []
        seconds, mb = sync(planner)
        rows.append((f"planner sends {to_providers} files (plans, 予定) to 30 providers", seconds, mb))
        provider_peaks = [sync(n) for n in offices if n != planner]
        rows.append(("each provider receives its part and sends its 実績 (largest of 30)",
                     max(s for s, _ in provider_peaks), max(m for _, m in provider_peaks)))
        seconds, mb = sync(planner)
        rows.append(("planner receives the 30 providers' 実績", seconds, mb))
        arrived = sum(len(os.listdir(work / n / "import")) for n in offices)
        if arrived != len(files):
            raise SystemExit(f"{arrived} of {len(files)} files arrived")

        env = dict(os.environ, RENKEI_ADMIN_PASSWORD="a fictional password 1")
        starts = []
        for _ in range(10):
            ui_port = free_port()
            starts.append(console_start([OFFICE, "office", "--dir", str(work / planner), "ui",
                                         "--no-browser", "--listen", f"127.0.0.1:{ui_port}"],
                                        env, ui_port))
        wine = []
        if EXE:
            wine_env = dict(env, WINEDEBUG="-all",
                            WINEPREFIX=str(ROOT / "target" / "wine"),
                            WINEPATH=str(ROOT / "target" / "x86_64-pc-windows-gnu" / "release" / "deps"),
                            RENKEI_OFFICE_DIR=str(work / planner))
            for _ in range(5):
                ui_port = free_port()
                wine.append(console_start(["/usr/lib/wine/wine64", EXE, "office", "ui",
                                           "--no-browser", "--listen", f"127.0.0.1:{ui_port}"],
                                          wine_env, ui_port)[0])
    finally:
        hub.terminate()
        hub.wait()

    print(f"office build (Linux): {os.path.getsize(OFFICE) / 1e6:.1f} MB")
    if EXE:
        print(f"renkei.exe (Windows, stripped): {os.path.getsize(EXE) / 1e6:.1f} MB")
    print(f"month: {len(files)} files, {len(offices)} offices, 600 people, one unit per person; "
          f"every file arrived in its import folder")
    for what, seconds, mb in rows:
        print(f"  {what}: {seconds:.2f} s, peak {mb:.0f} MB resident")
    times = [s for s, _ in starts]
    print(f"console start to first answer (10 runs, with that month in its ledger): median "
          f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, "
          f"{statistics.median([r for _, r in starts if r]):.0f} MB resident then")
    if wine:
        print(f"renkei.exe under Wine 8, the same (5 runs, Wine's start included): median "
              f"{statistics.median(wine) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
