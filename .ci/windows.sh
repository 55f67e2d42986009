#!/usr/bin/env bash
# The office client for Windows: cross-built with Debian's MinGW, the office crates' tests
# built for Windows and run under Wine, and the zip an office installs from written to
# target/dist/. Called by .ci/run; fails if the build or a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-pc-windows-gnu
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
if [ "${#need[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# One profile for the .exe and its tests, so the dependencies are built once: release,
# without debug info, stripped (the .exe is a sixth of its size with line tables).
export CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=true
cargo build --release --locked --target "$target" -p renkei --no-default-features
exe="target/$target/release/renkei.exe"
# Nothing to ship beside it: every DLL it imports is one Windows itself has.
imported=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
for dll in $imported; do
    case "$dll" in
        kernel32.dll|ntdll.dll|advapi32.dll|user32.dll|userenv.dll|ws2_32.dll|bcrypt.dll| \
        bcryptprimitives.dll|crypt32.dll|msvcrt.dll|shell32.dll|ole32.dll|shlwapi.dll|api-ms-win-*) ;;
        *) echo "renkei.exe needs $dll, which Windows does not have: link it statically"; exit 1 ;;
    esac
done
echo "renkei.exe imports only Windows' own DLLs: $(echo $imported)"

tests=$(cargo test --release --locked --target "$target" --no-run \
    -p renkei-office -p renkei-office-console -p renkei-seal -p renkei-spec \
    --message-format=json |
    python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["profile"]["test"] and m.get("executable"):
        print(m["executable"])')

# Wine 8 lacks ProcessPrng (see packaging/windows/wine/process_prng.c): a DLL beside the
# test binaries gives it. Nothing of this goes into the zip.
deps="target/$target/release/deps"
x86_64-w64-mingw32-gcc -shared -O2 -o "$deps/bcryptprimitives.dll" \
    packaging/windows/wine/process_prng.c packaging/windows/wine/bcryptprimitives.def -ladvapi32
export WINEPREFIX="$PWD/target/wine" WINEDEBUG=-all
# One Wine server for every run below: a server that lingers after one run and exits as the
# next one connects resets it ("recvmsg: Connection reset by peer").
/usr/lib/wine/wineserver -p 2>/dev/null || true
trap '/usr/lib/wine/wineserver -k 2>/dev/null || true' EXIT
# Tests that start Debian's `openssl` command to open a parcel cannot start it from Wine;
# they run on Linux above, and the exchange below opens Windows-sealed parcels on Linux.
skip=(--skip stock_openssl_decrypts_and_verifies_a_parcel
      --skip a_parcel_opens_only_for_its_recipient_and_only_from_its_sender)
status=0
for test in $tests; do
    echo "# under Wine: $test"
    /usr/lib/wine/wine64 "$test" "${skip[@]}" || status=1
done

# The .exe itself, under Wine, with offices on Linux: enrolled, a month sent and received
# both ways through a relay on loopback.
bash e2e/windows/exchange.sh "$exe" || status=1

python3 packaging/windows/make_zip.py "$exe" target/dist/renkei-office-windows-x86_64.zip
exit "$status"
