# Sourced by scripts that need the local validator running in the background (scripts/test-sbf,
# scripts/dapp, scripts/demo). The program and the validator must be built
# (bash scripts/build-sbf --node).
#
#   start_node PORT LOG [ballast-validator args...]
#
# Starts sbf/validator with JSON-RPC on 127.0.0.1:PORT and websockets on PORT+1, in its own
# session (so `kill -- -$NODE_PID` stops it and its children), logging to LOG, and waits until
# it answers `getHealth`; on failure prints the log's tail and returns 1. Sets NODE_PID,
# NODE_URL and NODE_WS_URL.
node_healthy() {
    curl -fsS -m 1 -H 'content-type: application/json' \
        -d '{"jsonrpc":"2.0","id":1,"method":"getHealth"}' "$1" 2>/dev/null | grep -q '"result":"ok"'
}
start_node() {
    local port="$1" log="$2"
    shift 2
    NODE_URL="http://127.0.0.1:$port"
    NODE_WS_URL="ws://127.0.0.1:$((port + 1))"
    setsid env BALLAST_SKIP_BUILD=1 bash scripts/node --rpc-port "$port" --ws-port "$((port + 1))" "$@" >"$log" 2>&1 &
    NODE_PID=$!
    for _ in $(seq 1 300); do
        # Ready once the program is deployed (the validator prints it) and RPC answers.
        grep -q "deployed" "$log" 2>/dev/null && node_healthy "$NODE_URL" && return 0
        kill -0 "$NODE_PID" 2>/dev/null || break
        sleep 0.2
    done
    echo "the local validator did not come up on $NODE_URL; the end of $log:" >&2
    tail -20 "$log" >&2
    return 1
}
