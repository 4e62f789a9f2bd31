import { Buffer } from "buffer";
// web3.js and Anchor expect Node's Buffer in the browser. Imported first by main.tsx.
(globalThis as unknown as { Buffer: typeof Buffer }).Buffer ??= Buffer;
