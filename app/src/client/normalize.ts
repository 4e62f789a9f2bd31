import BN from "bn.js";
import { PublicKey } from "@solana/web3.js";
import type { Json } from "../wasm/api";

/**
 * An account as Anchor's coder decodes it, as plain JSON for the wasm: BN -> decimal string,
 * PublicKey -> base58, byte arrays -> number arrays. Field names stay as decoded (camelCase).
 */
export function normalize(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (BN.isBN(value)) return (value as BN).toString(10);
  if (value instanceof PublicKey) return value.toBase58();
  if (typeof value === "bigint") return value.toString(10);
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === "object") {
    const v = value as { toBase58?: () => string };
    if (typeof v.toBase58 === "function" && Object.keys(value as object).includes("_bn")) return v.toBase58();
    const out: { [k: string]: Json } = {};
    for (const [k, inner] of Object.entries(value as Record<string, unknown>)) out[k] = normalize(inner);
    return out;
  }
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return String(value);
}

/** `[u8; 16]` little-endian (a stored Wad) as a bigint. */
export function wadBytesToBigInt(bytes: number[] | Uint8Array): bigint {
  let out = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) out = (out << 8n) | BigInt(bytes[i]);
  return out;
}
