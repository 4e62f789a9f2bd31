#!/usr/bin/env bash
# Builds crates/ballast-wasm for wasm32-unknown-unknown with the workspace's `wasm` profile
# (release, opt-level "s"), then runs the wasm-bindgen CLI (`--target web`) into app/src/wasm/pkg/
# (generated, git-ignored): ballast_bg.wasm, the JS glue ballast.js and the TypeScript
# declarations ballast.d.ts that tsify derives from the Rust types. The CLI must be the exact
# version of the `wasm-bindgen` crate in Cargo.lock; it is installed (cargo install, ~2 minutes
# here) when missing or different. Quick when nothing changed: it returns at once if the output
# is newer than every input, and cargo itself rebuilds only what changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="app/src/wasm/pkg"
stamp="$out/ballast_bg.wasm"
if [ -f "$stamp" ] && [ -z "${BALLAST_WASM_FORCE:-}" ] && \
   [ -z "$(find crates/ballast-wasm/src crates/ballast-wasm/Cargo.toml crates/ballast-math/src crates/ballast-math/Cargo.toml \
      crates/ballast-engine/src crates/ballast-engine/Cargo.toml crates/ballast-interface/src crates/ballast-interface/Cargo.toml \
      Cargo.toml Cargo.lock app/scripts/build-wasm.sh -newer "$stamp" -print -quit)" ]; then
  exit 0
fi
toolchain="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
if ! rustup target list --installed --toolchain "$toolchain" | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown --toolchain "$toolchain"
fi
# The CLI's version is the crate's, read from Cargo.lock.
version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
  echo "installing wasm-bindgen-cli $version"
  # The CLI's own lockfile first; it names a webpki-roots release this registry mirror lacks, so
  # then the newest compatible dependencies (the CLI's version stays pinned).
  cargo +"$toolchain" install --quiet --force --locked wasm-bindgen-cli --version "=$version" 2>/dev/null ||
    cargo +"$toolchain" install --quiet --force wasm-bindgen-cli --version "=$version"
fi
cargo build --locked --quiet -p ballast-wasm --target wasm32-unknown-unknown --profile wasm
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name ballast \
  --remove-name-section --remove-producers-section \
  target/wasm32-unknown-unknown/wasm/ballast_wasm.wasm
echo "ballast wasm: $(wc -c < "$stamp") bytes, glue $(wc -c < "$out/ballast.js") bytes -> $out"
