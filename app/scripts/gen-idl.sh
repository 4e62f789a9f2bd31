#!/usr/bin/env bash
# Regenerates the program's Anchor IDL and its TypeScript type (never edit them by hand):
#   app/src/idl/ballast.json   the IDL, as `anchor idl build` writes it
#   app/src/idl/ballast.ts     `export type Ballast = {...}`, as `anchor build` writes target/types
# The Anchor CLI is not installed here; tools/idl calls the same library (anchor-lang-idl's
# IdlBuilder), which runs `cargo test __anchor_private_print_idl --features idl-build` in
# programs/ballast. Builds go to target/idl so they never disturb the main target directory.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/idl}"
cargo build --locked --quiet -p ballast-idl
"$CARGO_TARGET_DIR/debug/ballast-idl" programs/ballast app/src/idl/ballast.json app/src/idl/ballast.ts
if [ "${1:-}" = "--check" ]; then
  git diff --exit-code -- app/src/idl/ || { echo "app/src/idl is out of date: run app/scripts/gen-idl.sh and commit" >&2; exit 1; }
fi
