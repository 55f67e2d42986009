#!/usr/bin/env bash
# The relay's API against its own OpenAPI document, by an independent contract fuzzer
# (schemathesis): a relay on loopback with real TLS, an enrolled care office whose client
# certificate every request carries, and every documented operation called with generated
# input. Passes only with no failure: every status, content type and body as documented,
# and no 5xx for any input.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
renkei="${RENKEI_BIN:-$root/target/debug/renkei}"
work="$(mktemp -d)"
# On a failure the relay's own warnings go to the output too: they say what it saw.
finish() {
    status=$?
    kill "${hub_pid:-}" 2>/dev/null || true
    if [ "$status" -ne 0 ] && [ -f "$work/hub.log" ]; then
        echo "--- the relay's log (last 40 lines) ---"
        tail -n 40 "$work/hub.log"
    fi
    rm -rf "$work"
}
trap finish EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export RENKEI_OPERATOR_PASSWORD="contract-operator-password"
export RENKEI_LOG=warn
"$renkei" hub init --data "$work/hub" --host localhost --host 127.0.0.1 > "$work/init.txt"
operator=$(grep -oE 'operator: [^ ]+' "$work/init.txt" | head -1 | awk '{print $2}')
operator_key=$(grep -oE 'authenticator key: [A-Z2-7]+' "$work/init.txt" | awk '{print $3}')
"$renkei" hub serve --data "$work/hub" --listen "127.0.0.1:$port" > "$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 50); do
    grep -q "listening" "$work/hub.log" 2>/dev/null && break
    sleep 0.2
done
code=$("$renkei" hub --data "$work/hub" code --number 1310000043 --name 架空居宅介護支援 --kind 43 | grep -oE '[A-Z0-9]{4}(-[A-Z0-9]{4}){3}' | head -1)
"$renkei" office --dir "$work/office" init --number 1310000043 > /dev/null
"$renkei" office --dir "$work/office" enroll --hub "https://localhost:$port" --code "$code" --authority "$work/hub/authority.pem" > /dev/null
# The operator's token too, so that the operator's endpoints are tried beyond their 401.
token=$(curl -s --cacert "$work/hub/authority.pem" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$operator\",\"password\":\"$RENKEI_OPERATOR_PASSWORD\",\"code\":\"$("$renkei" base code "$operator_key" | tr -d '[:space:]')\"}" \
    "https://localhost:$port/api/v1/operator/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
schemathesis_bin="${SCHEMATHESIS:-schemathesis}"
# One worker: Hypothesis describes its strategies by parsing their source, and CPython 3.11's
# parser is not safe across threads ("AST constructor recursion depth mismatch", a runtime
# error of the fuzzer, not an answer of the API; seen with two workers on this machine).
# One connection per request. The relay closes a connection idle for 30 s
# (renkei_proto::RELAY_IDLE, against idle-connection floods), and a pooled connection
# that the fuzzer picks up at that very moment fails its request with a TLS EOF: a
# network error in the fuzzer, not an answer of the API (the office client keeps its
# pooled connections for less time for the same reason).
"$schemathesis_bin" --config-file "$root/e2e/contract/schemathesis.toml" run "https://localhost:$port/openapi.json" \
    --url "https://localhost:$port" \
    --tls-verify "$work/hub/authority.pem" \
    --request-cert "$work/office/office.pem" \
    --request-cert-key "$work/office/office-key.pem" \
    --header "Authorization: Bearer $token" \
    --header "Connection: close" \
    --checks all \
    --max-examples "${CONTRACT_EXAMPLES:-25}" \
    --workers 1 \
    "$@"
