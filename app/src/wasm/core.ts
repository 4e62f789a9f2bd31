// The WebAssembly build of crates/ballast-wasm: wasm-bindgen exports with the TypeScript types
// tsify generates from the Rust declarations (`./pkg`, built by scripts/build-wasm.sh). Nothing
// here computes; every number comes from the wasm.
import init, * as engine from "./pkg/ballast.js";

/** The engine's exports: one function per op (`overview`, `obligation`, `preview`, ...). */
export type BallastWasm = Omit<typeof engine, "default" | "initSync">;

/** Instantiates the engine from its bytes (Node) or its URL (browser); once per page. */
export async function instantiateBallast(source: BufferSource | URL | string): Promise<BallastWasm> {
  await init({ module_or_path: source });
  return engine;
}
