#!/usr/bin/env bash
# The office's local API (the one care software calls) against its own OpenAPI document, by
# the same independent contract fuzzer as the relay's: a relay on loopback with real TLS, an
# enrolled planner and provider, the planner's console serving the API, and an API key with
# every scope on each request. Passes only with no failure: every status, content type and
# body as documented, and no 5xx for any input.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
renkei="${RENKEI_BIN:-$root/target/debug/renkei}"
work="$(mktemp -d)"
finish() {
    status=$?
    kill "${ui_pid:-}" "${hub_pid:-}" 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
        for log in hub ui; do
            [ -f "$work/$log.log" ] && { echo "--- $log log (last 40 lines) ---"; tail -n 40 "$work/$log.log"; }
        done
    fi
    rm -rf "$work"
}
trap finish EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done; return 1; }
hub_port=$(free_port)
export RENKEI_LOG=warn
"$renkei" hub init --data "$work/hub" --host localhost > /dev/null
"$renkei" hub serve --data "$work/hub" --listen "127.0.0.1:$hub_port" > "$work/hub.log" 2>&1 &
hub_pid=$!
wait_for "$work/hub.log" listening
enrol() {
    local code
    code=$("$renkei" hub --data "$work/hub" code --number "$1" --name "$2" --kind "$3" | grep -oE '[A-Z0-9]{4}(-[A-Z0-9]{4}){3}' | head -1)
    "$renkei" office --dir "$work/$1" init --number "$1" > /dev/null
    "$renkei" office --dir "$work/$1" enroll --hub "https://localhost:$hub_port" --code "$code" --authority "$work/hub/authority.pem" > /dev/null
}
enrol 1310000043 架空居宅介護支援 43
enrol 1310000011 架空訪問介護 11
key=$("$renkei" office --dir "$work/1310000043" api-key add contract --scopes send,receive,infobase | tail -1)
# Received files wait for the care software's word, as an office that takes them through the API.
"$renkei" office --dir "$work/1310000043" delivery api > /dev/null
ui_port=$(free_port)
RENKEI_LOG=info "$renkei" office --dir "$work/1310000043" ui --listen "127.0.0.1:$ui_port" --no-browser > "$work/ui.log" 2>&1 &
ui_pid=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$ui_port/api/v1/openapi.json" > /dev/null && break
    sleep 0.2
done
"${SCHEMATHESIS:-schemathesis}" --config-file "$root/e2e/contract/office-api.toml" run "http://127.0.0.1:$ui_port/api/v1/openapi.json" \
    --url "http://127.0.0.1:$ui_port" \
    --header "Authorization: Bearer $key" \
    --checks all \
    --max-examples "${CONTRACT_EXAMPLES:-25}" \
    --workers 1 \
    "$@"
