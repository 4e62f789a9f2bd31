import wasmUrl from "./pkg/ballast_bg.wasm?url";
import { instantiateBallast, type BallastWasm } from "./core";

let loading: Promise<BallastWasm> | null = null;

/** Loads the wasm once (browser: fetched from the bundle's asset URL). */
export function loadBallastWasm(): Promise<BallastWasm> {
  if (!loading) {
    loading = (async () => {
      const response = await fetch(wasmUrl);
      if (!response.ok) throw new Error(`could not load ballast_bg.wasm (${response.status})`);
      return instantiateBallast(await response.arrayBuffer());
    })();
  }
  return loading;
}
