// Transactions over the packet limit (1,232 bytes on the wire): a v0 transaction whose non-signer
// accounts come from an address lookup table (ALT), as wallets send them. This module holds the
// size arithmetic (no signing, no compiling of a legacy `Transaction`), the table's account list,
// the in-memory cache of tables and the table's creation (create + extend, then activation);
// `sendInstructions` (tx.ts) signs and sends through the wallet.
import {
  AddressLookupTableAccount,
  AddressLookupTableProgram,
  Connection,
  PACKET_DATA_SIZE,
  PublicKey,
  TransactionMessage,
  type MessageV0,
  type TransactionInstruction,
} from "@solana/web3.js";

/** The most bytes a transaction may take on the wire (an IPv6 packet minus headers): 1,232. */
export const TX_SIZE_LIMIT: number = PACKET_DATA_SIZE;
/** Addresses per `extendLookupTable` instruction (each transaction then stays far below the limit). */
export const EXTEND_CHUNK = 20;
/** The most addresses one lookup table holds. */
export const LOOKUP_TABLE_MAX = 256;

/** Bytes of a compact-u16 ("shortvec") length prefix. */
export function shortvecLength(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : 3;
}

/** Bytes of one compiled instruction: program index, account indices, data. */
function compiledInstructionSize(accounts: number, data: number): number {
  return 1 + shortvecLength(accounts) + accounts + shortvecLength(data) + data;
}

/**
 * The wire size of the legacy transaction `new Transaction({ feePayer: payer }).add(...instructions)`
 * once signed: signatures, header, the unique account keys (the payer, every instruction's
 * accounts and program ids), the blockhash and the compiled instructions. Computed, not
 * serialized (web3.js refuses to serialize a transaction over the limit).
 */
export function legacyTransactionSize(payer: PublicKey, instructions: TransactionInstruction[]): number {
  const keys = new Set<string>([payer.toBase58()]);
  const signers = new Set<string>([payer.toBase58()]);
  let body = 0;
  for (const ix of instructions) {
    for (const meta of ix.keys) {
      keys.add(meta.pubkey.toBase58());
      if (meta.isSigner) signers.add(meta.pubkey.toBase58());
    }
    keys.add(ix.programId.toBase58());
    body += compiledInstructionSize(ix.keys.length, ix.data.length);
  }
  return (
    shortvecLength(signers.size) + 64 * signers.size + 3 + shortvecLength(keys.size) + 32 * keys.size + 32 + shortvecLength(instructions.length) + body
  );
}

/** The wire size of a v0 transaction of `message` once signed (computed from its parts). */
export function v0TransactionSize(message: MessageV0): number {
  const signatures = message.header.numRequiredSignatures;
  let size = shortvecLength(signatures) + 64 * signatures + 1 + 3;
  size += shortvecLength(message.staticAccountKeys.length) + 32 * message.staticAccountKeys.length + 32;
  size += shortvecLength(message.compiledInstructions.length);
  for (const ix of message.compiledInstructions) size += compiledInstructionSize(ix.accountKeyIndexes.length, ix.data.length);
  size += shortvecLength(message.addressTableLookups.length);
  for (const l of message.addressTableLookups) {
    size += 32 + shortvecLength(l.writableIndexes.length) + l.writableIndexes.length + shortvecLength(l.readonlyIndexes.length) + l.readonlyIndexes.length;
  }
  return size;
}

/**
 * The wire size of `instructions` as one v0 transaction whose lookup table holds `addresses`
 * (a table not created yet: its address does not change the size).
 */
export function v0SizeWithTable(payer: PublicKey, instructions: TransactionInstruction[], addresses: PublicKey[], recentBlockhash = PublicKey.default.toBase58()): number {
  const table = new AddressLookupTableAccount({
    key: PublicKey.default,
    state: { deactivationSlot: BigInt("18446744073709551615"), lastExtendedSlot: 0, lastExtendedSlotStartIndex: 0, authority: payer, addresses },
  });
  return v0TransactionSize(new TransactionMessage({ payerKey: payer, recentBlockhash, instructions }).compileToV0Message([table]));
}

/** Whether a transaction of `bytes` on the wire is over the limit (1,232 itself fits). */
export const overLimit = (bytes: number): boolean => bytes > TX_SIZE_LIMIT;

/**
 * The accounts a lookup table for `instructions` holds: every account an instruction names that
 * signs nowhere in the transaction (a signer must stay in the message; so must the fee payer),
 * once each, sorted (base58). Program ids named as accounts stay in (a v0 message keeps an
 * invoked program static anyway, so they cost nothing but a table slot).
 */
export function lookupTableAddresses(payer: PublicKey, instructions: TransactionInstruction[]): PublicKey[] {
  const signers = new Set<string>([payer.toBase58()]);
  for (const ix of instructions) for (const m of ix.keys) if (m.isSigner) signers.add(m.pubkey.toBase58());
  const out = new Map<string, PublicKey>();
  for (const ix of instructions) for (const m of ix.keys) if (!signers.has(m.pubkey.toBase58())) out.set(m.pubkey.toBase58(), m.pubkey);
  return [...out.keys()].sort().map((k) => out.get(k)!);
}

/** `addresses` in chunks of `size` (one `extendLookupTable` each). */
export function chunks<T>(items: T[], size = EXTEND_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The cache: one table per set of accounts (per RPC endpoint), in memory for the page's life.

interface CachedTable {
  endpoint: string;
  table: PublicKey;
  addresses: Set<string>;
}

const tables = new Map<string, CachedTable>();

/** The cache key: the endpoint and the sorted account list. */
export function lookupCacheKey(endpoint: string, addresses: PublicKey[]): string {
  return `${endpoint}|${addresses.map((a) => a.toBase58()).sort().join(",")}`;
}

/** A cached table holding every one of `addresses` (the exact set first, else any superset). */
export function cachedLookupTable(endpoint: string, addresses: PublicKey[]): PublicKey | null {
  const exact = tables.get(lookupCacheKey(endpoint, addresses));
  if (exact) return exact.table;
  for (const t of tables.values()) if (t.endpoint === endpoint && addresses.every((a) => t.addresses.has(a.toBase58()))) return t.table;
  return null;
}

export function rememberLookupTable(endpoint: string, addresses: PublicKey[], table: PublicKey): void {
  tables.set(lookupCacheKey(endpoint, addresses), { endpoint, table, addresses: new Set(addresses.map((a) => a.toBase58())) });
}

export function forgetLookupTable(table: PublicKey): void {
  for (const [k, t] of tables) if (t.table.equals(table)) tables.delete(k);
}

/** Empties the cache (tests). */
export function clearLookupTableCache(): void {
  tables.clear();
}

// ---------------------------------------------------------------------------------------------
// Creating a table.

/** What the table's creation reports (tx.ts passes it on as progress). */
export interface LookupTableStep {
  /** create: the transaction creating the table (and its first extension); extend: each further extension; activate: waiting for the slot after the last extension; reuse: a cached table. */
  step: "create" | "extend" | "activate" | "reuse";
  table: string;
  /** create/extend: this transaction's number (1-based) of `of`. */
  index?: number;
  of?: number;
  /** Addresses in the table. */
  addresses: number;
}

/** Sends one table transaction through the wallet and waits until it is confirmed; returns its signature. */
export type SendTableTransaction = (instructions: TransactionInstruction[], step: LookupTableStep) => Promise<string>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A lookup table on `connection`'s cluster holding every one of `addresses`, active: the cached
 * one when it is still there (checked on chain), else a new one: `createLookupTable` (recent slot:
 * the finalized slot) with the first `extendLookupTable` of up to 20 addresses, then one
 * transaction per further 20, each sent by `send`; then it waits until a slot after the last
 * extension has been confirmed and the table reads back with every address.
 */
export async function ensureLookupTable(
  connection: Connection,
  authority: PublicKey,
  addresses: PublicKey[],
  send: SendTableTransaction,
  report: (s: LookupTableStep) => void,
  { pollMs = 200, timeoutMs = 60_000 } = {},
): Promise<AddressLookupTableAccount> {
  if (addresses.length > LOOKUP_TABLE_MAX) throw new Error(`Too many accounts for one lookup table: ${addresses.length} (max ${LOOKUP_TABLE_MAX})`);
  const endpoint = connection.rpcEndpoint;
  const cached = cachedLookupTable(endpoint, addresses);
  if (cached) {
    const { value } = await connection.getAddressLookupTable(cached, { commitment: "confirmed" });
    const held = new Set(value?.state.addresses.map((a) => a.toBase58()) ?? []);
    if (value && value.isActive() && addresses.every((a) => held.has(a.toBase58()))) {
      report({ step: "reuse", table: cached.toBase58(), addresses: value.state.addresses.length });
      return value;
    }
    forgetLookupTable(cached);
  }

  const recentSlot = await connection.getSlot("finalized");
  const [create, table] = AddressLookupTableProgram.createLookupTable({ authority, payer: authority, recentSlot });
  const parts = chunks(addresses);
  const extend = (chunk: PublicKey[]) => AddressLookupTableProgram.extendLookupTable({ lookupTable: table, authority, payer: authority, addresses: chunk });
  const name = table.toBase58();
  for (let i = 0; i < parts.length; i++) {
    const step: LookupTableStep = { step: i === 0 ? "create" : "extend", table: name, index: i + 1, of: parts.length, addresses: addresses.length };
    await send(i === 0 ? [create, extend(parts[0])] : [extend(parts[i])], step);
  }
  // The addresses of an extension are usable from the slot after it.
  const extendedAt = await connection.getSlot("confirmed");
  report({ step: "activate", table: name, addresses: addresses.length });
  const started = Date.now();
  for (;;) {
    if ((await connection.getSlot("confirmed")) > extendedAt) {
      const { value } = await connection.getAddressLookupTable(table, { commitment: "confirmed" });
      if (value && value.isActive() && value.state.addresses.length >= addresses.length) {
        rememberLookupTable(endpoint, addresses, table);
        return value;
      }
    }
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for the lookup table ${name} to activate`);
    await sleep(pollMs);
  }
}
