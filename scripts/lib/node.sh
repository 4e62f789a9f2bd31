# Sourced by scripts that need a local node running in the background (scripts/test-sbf,
# scripts/dapp). The program and the node must be built (bash scripts/build-sbf --node).
#
#   start_node PORT LOG [ballast-node args...]
#
# Starts sbf/node on 127.0.0.1:PORT in its own session (so `kill -- -$NODE_PID` stops it and
# its children), logging to LOG, and waits until it answers GET /health; on failure prints the
# log's tail and returns 1. Sets NODE_PID and NODE_URL.
start_node() {
    local port="$1" log="$2"
    shift 2
    NODE_URL="http://127.0.0.1:$port"
    setsid env BALLAST_SKIP_BUILD=1 bash scripts/node --bind "127.0.0.1:$port" "$@" >"$log" 2>&1 &
    NODE_PID=$!
    for _ in $(seq 1 100); do
        curl -fsS -m 1 "$NODE_URL/health" >/dev/null 2>&1 && return 0
        kill -0 "$NODE_PID" 2>/dev/null || break
        sleep 0.2
    done
    echo "the local node did not come up on $NODE_URL; the end of $log:" >&2
    tail -20 "$log" >&2
    return 1
}
