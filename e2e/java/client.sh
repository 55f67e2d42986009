#!/usr/bin/env bash
# The example care-software client (examples/java/RenkeiOfficeClient.java, Java 17, JDK
# only) against two offices' local APIs through a relay on loopback with real TLS: the
# planner's care software sends a generated unit as CSV files, the provider's takes it in
# through its API (files written whole, then confirmed), and the planner's sees it 取込済.
#   e2e/java/client.sh        (RENKEI_BIN names the renkei binary; java on PATH)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
renkei="${RENKEI_BIN:-$root/target/debug/renkei}"
client="$root/examples/java/RenkeiOfficeClient.java"
work="$(mktemp -d)"
finish() {
    status=$?
    kill "${planner_pid:-}" "${provider_pid:-}" "${hub_pid:-}" 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
        for log in hub planner provider; do
            [ -f "$work/$log.log" ] && { echo "--- $log log ---"; tail -n 30 "$work/$log.log"; }
        done
    fi
    rm -rf "$work"
    echo "# java client: $([ "$status" -eq 0 ] && echo pass || echo fail)"
    [ "$status" -eq 0 ] && echo "# pass 1" || echo "# fail 1"
}
trap finish EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$renkei" gen --seed 5 --planners 1 --providers 1 --users 3 --out "$work/month" > /dev/null
unit=$(ls "$work/month" | grep '^UPPLAN_' | head -1)
planner=$(echo "$unit" | cut -d_ -f3)
provider=$(echo "$unit" | cut -d_ -f5)
serial=$(echo "$unit" | sed 's/.*_\([0-9]\{14\}\)\.CSV$/\1/')
mkdir -p "$work/send"
cp "$work/month/"*"_${planner}_"*"_${provider}_"*"_${serial}.CSV" "$work/send/"

hub_port=$(free_port)
"$renkei" hub init --data "$work/hub" --host localhost > /dev/null
RENKEI_LOG=warn "$renkei" hub serve --data "$work/hub" --listen "127.0.0.1:$hub_port" > "$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 50); do grep -q listening "$work/hub.log" 2>/dev/null && break; sleep 0.2; done
enrol() {
    local code
    code=$("$renkei" hub --data "$work/hub" code --number "$1" --name "$2" --kind "$3" | grep -oE '[A-Z0-9]{4}(-[A-Z0-9]{4}){3}' | head -1)
    "$renkei" office --dir "$work/$1" init --number "$1" > /dev/null
    "$renkei" office --dir "$work/$1" enroll --hub "https://localhost:$hub_port" --code "$code" --authority "$work/hub/authority.pem" > /dev/null
}
enrol "$planner" 架空居宅介護支援 43
enrol "$provider" 架空訪問介護 11
planner_key=$("$renkei" office --dir "$work/$planner" api-key add 介護ソフト --scopes send,receive | tail -1)
provider_key=$("$renkei" office --dir "$work/$provider" api-key add 介護ソフト --scopes receive | tail -1)
"$renkei" office --dir "$work/$provider" delivery api > /dev/null
planner_port=$(free_port)
provider_port=$(free_port)
"$renkei" office --dir "$work/$planner" ui --listen "127.0.0.1:$planner_port" --no-browser > "$work/planner.log" 2>&1 &
planner_pid=$!
"$renkei" office --dir "$work/$provider" ui --listen "127.0.0.1:$provider_port" --no-browser > "$work/provider.log" 2>&1 &
provider_pid=$!
for port in "$planner_port" "$provider_port"; do
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/v1/openapi.json" > /dev/null && break; sleep 0.2; done
done

as_planner() { RENKEI_API="http://127.0.0.1:$planner_port/api/v1" RENKEI_API_KEY="$planner_key" java "$client" "$@"; }
as_provider() { RENKEI_API="http://127.0.0.1:$provider_port/api/v1" RENKEI_API_KEY="$provider_key" java "$client" "$@"; }

sent=$(as_planner send "$work/send/"*)
echo "$sent"
parcel=$(echo "$sent" | awk '/^sent / { print $2; exit }')
[ -n "$parcel" ] || { echo "no parcel was sent"; exit 1; }
# The same send again (a retry after a lost answer): the same parcel, nothing twice.
again=$(as_planner send "$work/send/"*)
echo "$again" | grep -q "$parcel" || { echo "a retry sent another parcel: $again"; exit 1; }

as_provider receive "$work/import" 20
for file in "$work/send/"*; do
    cmp "$file" "$work/import/$(basename "$file")" || { echo "$(basename "$file") differs"; exit 1; }
done
as_planner wait "$parcel" 60
# A broken file: the problems come back, nothing is sent.
broken="$work/broken/$(basename "$(ls "$work/send/"UPPLAN_* | head -1)")"
mkdir -p "$(dirname "$broken")"
printf '202407,131045\r\n' > "$broken"
if out=$(as_planner send "$broken"); then echo "a broken file was sent: $out"; exit 1; fi
echo "$out" | grep -q "check_failed" || { echo "no problems said: $out"; exit 1; }
echo "$out" | head -3
