#!/usr/bin/env python3
"""Pack the office client for Windows: renkei.exe, the Japanese 導入手順, a launcher for the
console, and the licence texts of everything the .exe links (from the packages cargo built
it from). Run by .ci/run after the cross build:

    python3 packaging/windows/make_zip.py target/x86_64-pc-windows-gnu/release/renkei.exe \
        target/dist/renkei-office-windows-x86_64.zip
"""

import json
import pathlib
import subprocess
import sys
import zipfile

TARGET = "x86_64-pc-windows-gnu"
HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LICENCE_PREFIXES = ("license", "licence", "copying", "notice", "copyright", "unlicense")
# Linked into the .exe from C sources that a build dependency carries, not a Rust package
# of the normal graph: OpenSSL (built by openssl-src for the CMS parcels).
C_SOURCES = {"openssl-src": ["openssl/LICENSE.txt"]}


def cargo(*args):
    return subprocess.run(
        ["cargo", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def linked_packages():
    """(name, version) of every package the office build links for Windows."""
    listed = cargo(
        "tree", "-p", "renkei", "--no-default-features", "--target", TARGET,
        "-e", "normal", "--prefix", "none", "--format", "{p}",
    )
    packages = set()
    for line in listed.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].startswith("v"):
            packages.add((parts[0], parts[1][1:]))
    return packages


def licence_files(directory):
    return sorted(
        p for p in directory.iterdir()
        if p.is_file() and p.name.lower().startswith(LICENCE_PREFIXES)
    )


def third_party_text():
    metadata = json.loads(cargo("metadata", "--format-version", "1", "--filter-platform", TARGET))
    by_id = {(p["name"], p["version"]): p for p in metadata["packages"]}
    wanted = linked_packages()
    wanted |= {key for key in by_id if key[0] in C_SOURCES}
    sections = []
    for key in sorted(wanted):
        package = by_id.get(key)
        if package is None or package["source"] is None:
            continue  # our own crates: the licence at the top of LICENSES/
        directory = pathlib.Path(package["manifest_path"]).parent
        files = licence_files(directory) + [
            directory / extra for extra in C_SOURCES.get(key[0], []) if (directory / extra).exists()
        ]
        head = f"{key[0]} {key[1]} — {package.get('license') or 'see below'}"
        body = [f"{head}\n{'=' * len(head)}\n"]
        if package.get("repository"):
            body.append(f"{package['repository']}\n")
        if not files:
            body.append(f"(no licence file in the package; its licence is {package.get('license')})\n")
        for file in files:
            body.append(f"\n--- {file.relative_to(directory)} ---\n")
            body.append(file.read_text(encoding="utf-8", errors="replace"))
        sections.append("".join(body))
    head = (
        "Third-party software in renkei.exe: every Rust package it is built from, with its\n"
        "licence texts as the package carries them. Built in from C sources: OpenSSL 3\n"
        "(Apache-2.0, its text under openssl-src below) and SQLite (public domain,\n"
        "https://sqlite.org/copyright.html, bundled by libsqlite3-sys).\n\n"
    )
    return len(sections), head + "\n\n".join(sections)


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def main():
    exe, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.parent.mkdir(parents=True, exist_ok=True)
    count, third_party = third_party_text()
    # Notepad on Windows 10 and 11 reads UTF-8; the byte order mark keeps older tools right.
    bom = b"\xef\xbb\xbf"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.write(exe, "renkei/renkei.exe")
        z.writestr("renkei/INSTALL-ja.txt", bom + crlf((HERE / "INSTALL-ja.txt").read_text()))
        z.writestr("renkei/事業所の画面を開く.cmd", (HERE / "office-console.cmd").read_bytes())
        for name in ("LICENSE-MIT", "LICENSE-APACHE"):
            z.writestr(f"renkei/LICENSES/renkei-{name}.txt", crlf((ROOT / name).read_text()))
        z.writestr("renkei/LICENSES/THIRD-PARTY.txt", bom + crlf(third_party))
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB, renkei.exe {exe.stat().st_size / 1e6:.1f} MB, "
          f"licences of {count} packages")


if __name__ == "__main__":
    main()
