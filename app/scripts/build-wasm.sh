#!/usr/bin/env bash
# Builds crates/ballast-wasm (the engine behind a C ABI over JSON) for wasm32-unknown-unknown
# with the workspace's `wasm` profile (release, opt-level "s", stripped) into
# app/src/wasm/ballast.wasm (generated, git-ignored). Quick when nothing changed: it returns at
# once if the .wasm is newer than every input, and cargo itself rebuilds only what changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="app/src/wasm/ballast.wasm"
mkdir -p "$(dirname "$out")"
if [ -f "$out" ] && [ -z "${BALLAST_WASM_FORCE:-}" ] && \
   [ -z "$(find crates/ballast-wasm/src crates/ballast-wasm/Cargo.toml crates/ballast-math/src crates/ballast-math/Cargo.toml \
      crates/ballast-engine/src crates/ballast-engine/Cargo.toml crates/ballast-interface/src crates/ballast-interface/Cargo.toml \
      Cargo.toml Cargo.lock -newer "$out" -print -quit)" ]; then
  exit 0
fi
toolchain="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
if ! rustup target list --installed --toolchain "$toolchain" | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown --toolchain "$toolchain"
fi
cargo build --locked --quiet -p ballast-wasm --target wasm32-unknown-unknown --profile wasm
cp target/wasm32-unknown-unknown/wasm/ballast_wasm.wasm "$out"
echo "ballast.wasm: $(wc -c < "$out") bytes -> $out"
