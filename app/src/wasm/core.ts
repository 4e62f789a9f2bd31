// The WebAssembly build of crates/ballast-wasm: ballast-math behind a C ABI over JSON.
// The host copies a UTF-8 JSON request into memory from `ballast_alloc`, calls `ballast_call`,
// and reads the answer: a little-endian u32 length, then UTF-8 JSON. Nothing here computes;
// every number comes from the wasm.

interface Exports {
  memory: WebAssembly.Memory;
  ballast_alloc(len: number): number;
  ballast_free(ptr: number, len: number): void;
  ballast_call(ptr: number, len: number): number;
}

export interface BallastWasm {
  /** Sends one request `{op, ...}` and returns the parsed JSON answer (throws on `{error}`). */
  call<T = unknown>(request: Record<string, unknown>): T;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function instantiateBallast(bytes: BufferSource): Promise<BallastWasm> {
  const { instance } = await WebAssembly.instantiate(bytes, {});
  return fromInstance(instance);
}

export function fromInstance(instance: WebAssembly.Instance): BallastWasm {
  const exports = instance.exports as unknown as Exports;
  return {
    call<T>(request: Record<string, unknown>): T {
      const input = encoder.encode(JSON.stringify(request));
      const inPtr = exports.ballast_alloc(input.length);
      new Uint8Array(exports.memory.buffer, inPtr, input.length).set(input);
      const outPtr = exports.ballast_call(inPtr, input.length);
      exports.ballast_free(inPtr, input.length);
      // The memory may have grown during the call: take a fresh view.
      const len = new DataView(exports.memory.buffer).getUint32(outPtr, true);
      const text = decoder.decode(new Uint8Array(exports.memory.buffer, outPtr + 4, len).slice());
      exports.ballast_free(outPtr, 4 + len);
      const answer = JSON.parse(text);
      if (answer && typeof answer === "object" && "error" in answer && Object.keys(answer).length === 1) {
        throw new Error(`ballast-wasm: ${answer.error}`);
      }
      return answer as T;
    },
  };
}
