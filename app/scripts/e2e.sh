#!/usr/bin/env bash
# The dApp's whole test run from a fresh machine that has Node 20+ and npm (plus rustup, as every
# script here): installs what is missing, then runs the unit tests and the end-to-end tests.
#
#   bash app/scripts/e2e.sh
#
#  1. npm ci                      (BALLAST_E2E_NO_CI=1 skips it when node_modules is already there)
#  2. the pinned Rust toolchain (scripts/setup) and the wasm (app/scripts/build-wasm.sh)
#  3. type check and unit tests  (tsc; vitest run: client, formatting, wasm vs the program's fixture)
#  4. Chromium                   (apt-get install chromium chromium-driver, only if /usr/bin/chromium
#                                 is missing; needs root or sudo)
#  5. the local validator        (sbf/validator/target/release/ballast-validator + sbf/target/deploy/ballast.so:
#                                 bash scripts/build-sbf --node, only if either is missing)
#  6. ballast-migrate, ballast-indexer (cargo build --workspace --bin ...: the one bootstrap, the history;
#                                 --workspace keeps the features of `cargo test --workspace`, no rebuild)
#  7. the end-to-end tests       (npm run e2e: its own node on a spare port, a market from
#                                 ballast-migrate, vite preview, headless Chromium; then the Vitest
#                                 live tests, wasm health = the program's get_health, on that node)
#
# Screenshots and logs: app/e2e/artifacts/ (git-ignored; CI keeps them as artifacts).
set -euo pipefail
APP=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$APP/.." && pwd)
t0=$(date +%s)
step() { echo; echo "== e2e.sh: $* (at $(( $(date +%s) - t0 )) s)"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

cd "$APP"
if [ "${BALLAST_E2E_NO_CI:-0}" = 1 ] && [ -d node_modules ]; then
    step "npm ci skipped (BALLAST_E2E_NO_CI=1)"
else
    step "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
fi

step "Rust toolchain and the wasm (the engine)"
bash "$ROOT/scripts/setup" >/dev/null
bash scripts/build-wasm.sh

step "type check and unit tests"
npx tsc --noEmit -p tsconfig.json
env -u BALLAST_LIVE_RPC npx vitest run

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
    step "installing Chromium (apt)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi
"$CHROMIUM" --version 2>/dev/null || true

cd "$ROOT"
if [ ! -x sbf/validator/target/release/ballast-validator ] || [ ! -f sbf/target/deploy/ballast.so ]; then
    step "building the sBPF program and the local validator (bash scripts/build-sbf --node)"
    bash scripts/build-sbf --node
fi

step "ballast-migrate and ballast-indexer (cargo build --workspace --bin ballast-migrate --bin ballast-indexer)"
cargo build --locked --quiet --workspace --bin ballast-migrate --bin ballast-indexer
export BALLAST_MIGRATE="${CARGO_TARGET_DIR:-$ROOT/target}/debug/ballast-migrate"
export BALLAST_INDEXER="${CARGO_TARGET_DIR:-$ROOT/target}/debug/ballast-indexer"

step "end-to-end tests (npm run e2e)"
cd "$APP"
export CHROMIUM
npm run --silent e2e

echo
echo "e2e.sh: done in $(( $(date +%s) - t0 )) s (screenshots: app/e2e/artifacts/)"
