import { Buffer } from "buffer";
import { coder } from "./program";

export type AccountName = "reserve" | "obligation" | "market";

/** Decodes a Ballast account (checks the discriminator) with the IDL's coder. */
export function decodeAccount(name: AccountName, data: Uint8Array): Record<string, unknown> {
  return coder.accounts.decode(name, Buffer.from(data));
}

/** Encodes a decoded account back to bytes (tests: decoding round-trips). */
export async function encodeAccount(name: AccountName, value: Record<string, unknown>): Promise<Buffer> {
  return coder.accounts.encode(name, value);
}
