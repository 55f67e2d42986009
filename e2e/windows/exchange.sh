#!/usr/bin/env bash
# The Windows office client (renkei.exe under Wine) with an office on Linux, through a relay
# on loopback with real TLS: the Windows office keeps its data in its own %LOCALAPPDATA%,
# syncs a generated month from and into folders with Japanese names and spaces (the export
# folder deeper than 260 characters, the import folder in \\?\ form), the Linux
# office receives every file byte for byte (parcels sealed by the .exe's OpenSSL open with
# the Linux build's) and sends its 実績 back, which the .exe receives; a watching sync sends
# a report dropped into the export folder, `send --to` another; staff accounts are added,
# the console answers, and the outbox, history and receipts are listed and verified.
#   e2e/windows/exchange.sh target/x86_64-pc-windows-gnu/release/renkei.exe
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
exe="$(realpath "$1")"
renkei="${RENKEI_BIN:-$root/target/debug/renkei}"
wine=/usr/lib/wine/wine64
export WINEPREFIX="${WINEPREFIX:-$root/target/wine}" WINEDEBUG=-all
# Where .ci/windows.sh put the ProcessPrng DLL that Wine 8 lacks (never shipped).
export WINEPATH="${WINEPATH:-$root/target/x86_64-pc-windows-gnu/release/deps}"
work="$(mktemp -d)"
finish() {
    status=$?
    kill "${hub_pid:-}" 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
        echo "--- the relay's log (last 40 lines) ---"
        tail -n 40 "$work/hub.log" 2>/dev/null || true
    fi
    "$(dirname "$wine")/wineserver" -k 2>/dev/null || true
    rm -rf "$work"
    echo "# windows exchange: $([ "$status" -eq 0 ] && echo pass || echo fail)"
    [ "$status" -eq 0 ] && echo "# pass 1" || echo "# fail 1"
}
trap finish EXIT
# One Wine server for every command (see .ci/windows.sh); stopped at the end.
"$(dirname "$wine")/wineserver" -p 2>/dev/null || true
windows() { "$wine" "$exe" "$@"; }
# A Linux path as Windows' extended-length form on Wine's drive Z: (\\?\Z:\tmp\…), the
# form Rust uses for long paths and the one a share is reached by (\\?\UNC\server\share).
verbatim() { local p="${1//\//\\}"; printf '\\\\?\\Z:%s' "$p"; }

# The .exe's own data folder, fresh: %LOCALAPPDATA%\renkei of the Wine user.
local_app_data=$(windows office --help >/dev/null; "$wine" cmd /c 'echo %LOCALAPPDATA%' | tr -d '\r')
windows_data="$WINEPREFIX/drive_c/${local_app_data#C:\\}"
windows_data="${windows_data//\\//}/renkei"
rm -rf "$windows_data"

# A month between one planner and one provider; the office numbers are the generator's.
"$renkei" gen --seed 21 --planners 1 --providers 1 --users 12 --out "$work/month" > /dev/null
first=$(ls "$work/month" | grep '^UPPLAN_' | head -1)
planner=$(echo "$first" | cut -d_ -f3)
provider=$(echo "$first" | cut -d_ -f5)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$renkei" hub init --data "$work/hub" --host localhost > /dev/null
"$renkei" hub serve --data "$work/hub" --listen "127.0.0.1:$port" > "$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 50); do
    grep -q "listening" "$work/hub.log" 2>/dev/null && break
    sleep 0.2
done
code_for() {
    "$renkei" hub --data "$work/hub" code --number "$1" --name "$2" --kind "$3" |
        grep -oE '[A-Z0-9]{4}(-[A-Z0-9]{4}){3}' | head -1
}
hub="https://localhost:$port"

# The planner on Windows, in its default data folder.
windows office init --number "$planner"
windows office enroll --hub "$hub" --code "$(code_for "$planner" 架空居宅介護支援 43)" \
    --authority "$work/hub/authority.pem"
test -f "$windows_data/office-key.pem" || { echo "no key in $windows_data"; exit 1; }
# The provider on Linux.
"$renkei" office --dir "$work/provider" init --number "$provider" > /dev/null
"$renkei" office --dir "$work/provider" enroll --hub "$hub" \
    --code "$(code_for "$provider" 架空訪問介護 11)" --authority "$work/hub/authority.pem" > /dev/null

# The export folder deeper than Windows' old 260-character limit.
export_dir="$work"
for level in 1 2 3 4 5 6 7 8 9 10 11 12 13; do export_dir="$export_dir/介護ソフト 連携用 共有フォルダ 第${level}階層"; done
export_dir="$export_dir/介護ソフト 出力"
import_dir="$work/介護ソフト 取込"
[ "${#export_dir}" -gt 260 ] || { echo "the export folder is not long"; exit 1; }
mkdir -p "$export_dir" "$work/expected-provider" "$work/provider-export" "$work/expected-planner"
for file in "$work/month"/*; do
    name=$(basename "$file")
    if [ "$(echo "$name" | cut -d_ -f3)" = "$planner" ] || [ "$(echo "$name" | cut -d_ -f2)" = "$planner" ]; then
        cp "$file" "$export_dir/" && cp "$file" "$work/expected-provider/"
    else
        cp "$file" "$work/provider-export/" && cp "$file" "$work/expected-planner/"
    fi
done
sent=$(ls "$export_dir" | wc -l)
echo "windows office $planner sends $sent files; linux office $provider sends $(ls "$work/provider-export" | wc -l)"

# The export folder on drive Z:, the data folder on C:; the import folder named verbatim.
windows office sync --export "$export_dir" --import "$(verbatim "$import_dir")"
[ "$(ls "$export_dir" | wc -l)" -eq 0 ] || { echo "files left in the export folder"; exit 1; }
"$renkei" office --dir "$work/provider" receive --import "$work/provider-import" > /dev/null
diff -r "$work/expected-provider" "$work/provider-import"

"$renkei" office --dir "$work/provider" send "$work/provider-export" > /dev/null
windows office receive --import "$(verbatim "$import_dir")"
diff -r "$work/expected-planner" "$import_dir"

# Watching: a report dropped into the partner's folder of the export folder goes by itself.
windows office sync --watch --export "$export_dir" --import "$import_dir" > "$work/watch.log" 2>&1 &
watch_pid=$!
mkdir -p "$export_dir/$provider"
printf '%%PDF-1.7 fictional monthly report\n' > "$export_dir/$provider/月次報告書 12月.pdf"
for _ in $(seq 1 150); do
    [ -e "$export_dir/$provider/月次報告書 12月.pdf" ] || break
    sleep 0.2
done
kill "$watch_pid"; wait "$watch_pid" 2>/dev/null || true
[ ! -e "$export_dir/$provider/月次報告書 12月.pdf" ] || { cat "$work/watch.log"; echo "the watching sync did not send"; exit 1; }
# By hand: a file named on the command line, to the office given.
printf '%%PDF-1.7 fictional monitoring\n' > "$work/モニタリング.pdf"
windows office send --to "$provider" "$work/モニタリング.pdf"
"$renkei" office --dir "$work/provider" receive --import "$work/provider-import" > /dev/null
for report in "月次報告書 12月.pdf" "モニタリング.pdf"; do
    test -f "$work/provider/attachments/$planner/$report" || { echo "no $report at the provider"; exit 1; }
done

# Staff accounts and the console, answering on loopback.
RENKEI_STAFF_PASSWORD="a fictional password 2" windows office staff add 事務員 > /dev/null
windows office staff list | grep -q 事務員
ui_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
windows office ui --no-browser --listen "127.0.0.1:$ui_port" > "$work/ui.log" 2>&1 &
ui_pid=$!
answered=""
for _ in $(seq 1 150); do
    if curl -sf -o /dev/null "http://127.0.0.1:$ui_port/login"; then answered=yes; break; fi
    sleep 0.2
done
kill "$ui_pid"; wait "$ui_pid" 2>/dev/null || true
[ -n "$answered" ] || { cat "$work/ui.log"; echo "the console never answered"; exit 1; }

windows office outbox
windows office history --limit 5 > /dev/null
parcel=$(windows office outbox | grep -oE '[0-9a-f]{32}' | head -1 || true)
if [ -n "$parcel" ]; then
    windows office receipts "$parcel"
    receipt=$(ls "$windows_data/receipts" | head -1)
    windows verify-receipt "$windows_data/receipts/$receipt" --authority "$work/hub/authority.pem"
fi
