// Large transactions: the size check against web3.js's own serialization (at the 1,232-byte
// boundary), the lookup table's account list, the cache, and sendInstructions on a fake RPC
// (legacy unchanged below the limit; above it one table, then a v0 transaction; then reuse).
import { afterEach, describe, expect, it } from "vitest";
import {
  AddressLookupTableAccount,
  AddressLookupTableInstruction,
  AddressLookupTableProgram,
  Connection,
  Keypair,
  PublicKey,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedMessage,
  VersionedTransaction,
} from "@solana/web3.js";
import {
  cachedLookupTable,
  chunks,
  clearLookupTableCache,
  ensureLookupTable,
  legacyTransactionSize,
  lookupTableAddresses,
  overLimit,
  rememberLookupTable,
  TX_SIZE_LIMIT,
  v0SizeWithTable,
  v0TransactionSize,
  type LookupTableStep,
} from "./lookup";
import { sendInstructions, type TxProgress } from "./tx";

const TOKEN = new PublicKey("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
const PROGRAM = Keypair.generate().publicKey;
const BLOCKHASH = Keypair.generate().publicKey.toBase58();
const keys = (n: number) => Array.from({ length: n }, () => Keypair.generate().publicKey);
const readonly = (pubkey: PublicKey) => ({ pubkey, isSigner: false, isWritable: false });

/** One instruction naming `n` fresh read-only accounts, with `data` bytes of data. */
const wide = (n: number, data = 0) => new TransactionInstruction({ programId: PROGRAM, keys: keys(n).map(readonly), data: Buffer.alloc(data) });

/** The real wire length (web3.js signs and serializes it; throws over the limit). */
function serializedLength(payer: Keypair, instructions: TransactionInstruction[], extraSigners: Keypair[] = []): number {
  const tx = new Transaction({ feePayer: payer.publicKey, blockhash: BLOCKHASH, lastValidBlockHeight: 1 }).add(...instructions);
  tx.sign(payer, ...extraSigners);
  return tx.serialize().length;
}

afterEach(() => clearLookupTableCache());

describe("legacy size check", () => {
  const payer = Keypair.generate();

  it("equals web3.js's serialized length", () => {
    const other = Keypair.generate();
    const mixed = [
      wide(3, 17),
      new TransactionInstruction({ programId: TOKEN, keys: [{ pubkey: other.publicKey, isSigner: true, isWritable: true }, readonly(PROGRAM)], data: Buffer.alloc(9) }),
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: other.publicKey, lamports: 1 }),
      wide(0, 200), // 200 bytes of data: a two-byte length prefix
    ];
    for (const ixs of [[wide(0)], [wide(5, 8)], [wide(30, 1)], mixed]) {
      const signers = ixs === mixed ? [other] : [];
      expect(legacyTransactionSize(payer.publicKey, ixs)).toBe(serializedLength(payer, ixs, signers));
    }
  });

  it("judges N accounts over or under the limit, at the boundary", () => {
    // One instruction, N read-only accounts: 32 fit (1,225 bytes), 33 do not (1,258).
    expect(legacyTransactionSize(payer.publicKey, [wide(32)])).toBe(1225);
    expect(overLimit(legacyTransactionSize(payer.publicKey, [wide(32)]))).toBe(false);
    expect(legacyTransactionSize(payer.publicKey, [wide(33)])).toBe(1258);
    expect(overLimit(legacyTransactionSize(payer.publicKey, [wide(33)]))).toBe(true);
    // Exactly 1,232 bytes fits (web3.js serializes it); 1,233 does not (web3.js refuses it).
    const at = [wide(32, 7)];
    expect(legacyTransactionSize(payer.publicKey, at)).toBe(TX_SIZE_LIMIT);
    expect(overLimit(TX_SIZE_LIMIT)).toBe(false);
    expect(serializedLength(payer, at)).toBe(1232);
    const over = [wide(32, 8)];
    expect(legacyTransactionSize(payer.publicKey, over)).toBe(1233);
    expect(overLimit(1233)).toBe(true);
    expect(() => serializedLength(payer, over)).toThrow(/Transaction too large: 1233 > 1232/);
  });

  it("v0 size equals the serialized v0 transaction, and a table shrinks it under the limit", () => {
    const ixs = [wide(40, 10), wide(10, 3)];
    expect(overLimit(legacyTransactionSize(payer.publicKey, ixs))).toBe(true);
    const addresses = lookupTableAddresses(payer.publicKey, ixs);
    const table = new AddressLookupTableAccount({
      key: Keypair.generate().publicKey,
      state: { deactivationSlot: BigInt("18446744073709551615"), lastExtendedSlot: 0, lastExtendedSlotStartIndex: 0, addresses },
    });
    const message = new TransactionMessage({ payerKey: payer.publicKey, recentBlockhash: BLOCKHASH, instructions: ixs }).compileToV0Message([table]);
    const tx = new VersionedTransaction(message);
    tx.sign([payer]);
    expect(v0TransactionSize(message)).toBe(tx.serialize().length);
    expect(v0SizeWithTable(payer.publicKey, ixs, addresses)).toBe(tx.serialize().length);
    expect(overLimit(tx.serialize().length)).toBe(false);
    // Without a table the v0 message is as large as the legacy one (plus its version byte).
    const bare = new TransactionMessage({ payerKey: payer.publicKey, recentBlockhash: BLOCKHASH, instructions: ixs }).compileToV0Message();
    expect(v0TransactionSize(bare)).toBe(legacyTransactionSize(payer.publicKey, ixs) + 2);
  });
});

describe("the table's account list", () => {
  it("holds every non-signer account once, no signer, program ids named as accounts included", () => {
    const payer = Keypair.generate().publicKey;
    const cosigner = Keypair.generate().publicKey;
    const [a, b, c] = keys(3);
    const ixs = [
      new TransactionInstruction({ programId: PROGRAM, keys: [{ pubkey: payer, isSigner: true, isWritable: true }, readonly(a), { pubkey: b, isSigner: false, isWritable: true }, readonly(TOKEN)], data: Buffer.alloc(0) }),
      // cosigner is a plain account here but signs in the next instruction: it stays out.
      new TransactionInstruction({ programId: TOKEN, keys: [readonly(a), readonly(cosigner), readonly(c), readonly(b), readonly(payer)], data: Buffer.alloc(0) }),
      new TransactionInstruction({ programId: PROGRAM, keys: [{ pubkey: cosigner, isSigner: true, isWritable: false }, readonly(SystemProgram.programId)], data: Buffer.alloc(0) }),
    ];
    const got = lookupTableAddresses(payer, ixs).map((k) => k.toBase58());
    const want = [a, b, c, TOKEN, SystemProgram.programId].map((k) => k.toBase58()).sort();
    expect(got).toEqual(want);
    expect(new Set(got).size).toBe(got.length);
    expect(got).not.toContain(payer.toBase58());
    expect(got).not.toContain(cosigner.toBase58());
    // The invoked-only program (PROGRAM) is not an account of any instruction: not in the table.
    expect(got).not.toContain(PROGRAM.toBase58());
  });

  it("is chunked 20 per extension", () => {
    expect(chunks(keys(45)).map((c) => c.length)).toEqual([20, 20, 5]);
    expect(chunks(keys(20)).map((c) => c.length)).toEqual([20]);
  });

  it("caches per account set and endpoint; a superset serves too", () => {
    const set = keys(5);
    const table = Keypair.generate().publicKey;
    rememberLookupTable("http://a", set, table);
    expect(cachedLookupTable("http://a", [...set].reverse())?.toBase58()).toBe(table.toBase58());
    expect(cachedLookupTable("http://a", set.slice(1, 3))?.toBase58()).toBe(table.toBase58());
    expect(cachedLookupTable("http://b", set)).toBeNull();
    expect(cachedLookupTable("http://a", [...set, Keypair.generate().publicKey])).toBeNull();
  });
});

/**
 * A fake RPC: transactions land at once; the lookup-table program's create/extend instructions
 * are applied to an in-memory table, usable from the next slot (each call to getSlot moves one).
 */
class FakeChain {
  slot = 100;
  sent: Uint8Array[] = [];
  tables = new Map<string, { addresses: PublicKey[]; extendedAt: number; authority: PublicKey }>();
  readonly rpcEndpoint = "http://fake";

  connection(): Connection {
    return this as unknown as Connection;
  }
  async getLatestBlockhash() {
    return { blockhash: BLOCKHASH, lastValidBlockHeight: 1_000 };
  }
  async getBlockHeight() {
    return 10;
  }
  async getSlot() {
    return ++this.slot;
  }
  async sendRawTransaction(wire: Uint8Array) {
    this.sent.push(wire);
    const message = VersionedMessage.deserialize(wire.subarray(1 + 64 * wire[0]));
    if (message.version === "legacy") {
      for (const ix of Transaction.from(wire).instructions) {
        if (!ix.programId.equals(AddressLookupTableProgram.programId)) continue;
        const kind = AddressLookupTableInstruction.decodeInstructionType(ix);
        if (kind === "CreateLookupTable") {
          this.tables.set(ix.keys[0].pubkey.toBase58(), { addresses: [], extendedAt: this.slot, authority: ix.keys[1].pubkey });
        } else if (kind === "ExtendLookupTable") {
          const { lookupTable, addresses } = AddressLookupTableInstruction.decodeExtendLookupTable(ix);
          const t = this.tables.get(lookupTable.toBase58())!;
          t.addresses.push(...addresses);
          t.extendedAt = this.slot;
        }
      }
    }
    return `sig${this.sent.length}`;
  }
  async getSignatureStatuses() {
    return { value: [{ confirmationStatus: "confirmed", err: null }] };
  }
  async getAddressLookupTable(key: PublicKey) {
    const t = this.tables.get(key.toBase58());
    if (!t) return { value: null };
    const visible = this.slot > t.extendedAt ? t.addresses : [];
    return {
      value: new AddressLookupTableAccount({ key, state: { deactivationSlot: BigInt("18446744073709551615"), lastExtendedSlot: t.extendedAt, lastExtendedSlotStartIndex: 0, authority: t.authority, addresses: visible } }),
    };
  }
}

describe("sendInstructions with a lookup table (fake RPC)", () => {
  const kp = Keypair.generate();
  const signer = {
    publicKey: kp.publicKey,
    signTransaction: async <T extends Transaction | VersionedTransaction>(tx: T): Promise<T> => {
      if (tx instanceof VersionedTransaction) tx.sign([kp]);
      else tx.partialSign(kp);
      return tx;
    },
  };

  it("a small transaction goes as legacy, stages unchanged", async () => {
    const chain = new FakeChain();
    const stages: string[] = [];
    const ixs = [wide(5, 8), wide(20, 30)];
    expect(overLimit(legacyTransactionSize(kp.publicKey, ixs))).toBe(false);
    const result = await sendInstructions(chain.connection(), signer, ixs, (p) => stages.push(p.stage));
    expect(result.ok, result.error?.raw).toBe(true);
    expect(stages).toEqual(["building", "signing", "sent", "confirmed"]);
    expect(chain.sent).toHaveLength(1);
    expect(VersionedMessage.deserialize(chain.sent[0].subarray(65)).version).toBe("legacy");
    // Byte for byte the transaction the legacy path always sent.
    const same = new Transaction({ feePayer: kp.publicKey, blockhash: BLOCKHASH, lastValidBlockHeight: 1_000 }).add(...ixs);
    same.partialSign(kp);
    expect(Buffer.from(chain.sent[0]).equals(same.serialize())).toBe(true);
  });

  it("a large one: table created (create + extends, 20 each), then one v0 transaction; the second reuses the table", async () => {
    const chain = new FakeChain();
    const ixs = [wide(30, 8), wide(15, 8)];
    expect(overLimit(legacyTransactionSize(kp.publicKey, ixs))).toBe(true);
    const progress: TxProgress[] = [];
    const result = await sendInstructions(chain.connection(), signer, ixs, (p) => progress.push(p));
    expect(result.ok, result.error?.raw).toBe(true);
    const tableSteps = progress.filter((p) => p.lookupTable && p.stage === "sent").map((p) => [p.lookupTable!.step, p.lookupTable!.index, p.lookupTable!.of]);
    expect(tableSteps).toEqual([
      ["create", 1, 3],
      ["extend", 2, 3],
      ["extend", 3, 3],
    ]);
    expect(progress.map((p) => p.stage + (p.lookupTable ? `:${p.lookupTable.step}` : ""))).toEqual([
      "building",
      "signing:create",
      "sent:create",
      "signing:extend",
      "sent:extend",
      "signing:extend",
      "sent:extend",
      "building:activate",
      "signing",
      "sent",
      "confirmed",
    ]);
    expect(chain.sent).toHaveLength(4);
    const last = chain.sent[3];
    expect(last.length).toBeLessThanOrEqual(TX_SIZE_LIMIT);
    const v0 = VersionedTransaction.deserialize(last);
    expect(v0.version).toBe(0);
    expect(v0.message.addressTableLookups).toHaveLength(1);
    const [table] = [...chain.tables.keys()];
    expect(v0.message.addressTableLookups[0].accountKey.toBase58()).toBe(table);
    expect(chain.tables.get(table)!.addresses).toHaveLength(45);

    // The same accounts again (other data): no new table, one transaction.
    const again = [wide(0, 8), wide(0, 8)];
    again[0].keys.push(...ixs[0].keys);
    again[1].keys.push(...ixs[1].keys);
    const second: TxProgress[] = [];
    const result2 = await sendInstructions(chain.connection(), signer, again, (p) => second.push(p));
    expect(result2.ok, result2.error?.raw).toBe(true);
    expect(second.map((p) => p.stage + (p.lookupTable ? `:${p.lookupTable.step}` : ""))).toEqual(["building", "building:reuse", "signing", "sent", "confirmed"]);
    expect(chain.tables.size).toBe(1);
    expect(chain.sent).toHaveLength(5);
    expect(VersionedTransaction.deserialize(chain.sent[4]).version).toBe(0);
  });

  it("too large even with a table: refused before any table is made", async () => {
    const chain = new FakeChain();
    const ixs = [wide(10, 1100)];
    const progress: TxProgress[] = [];
    const result = await sendInstructions(chain.connection(), signer, ixs, (p) => progress.push(p));
    expect(result.ok).toBe(false);
    expect(result.error?.message).toMatch(/too large even with a lookup table/);
    expect(chain.sent).toHaveLength(0);
  });

  it("ensureLookupTable waits for the slot after the last extension", async () => {
    const chain = new FakeChain();
    const steps: LookupTableStep[] = [];
    const addresses = keys(21);
    const send = async (ixs: TransactionInstruction[]) => {
      const tx = new Transaction({ feePayer: kp.publicKey, blockhash: BLOCKHASH, lastValidBlockHeight: 1 }).add(...ixs);
      tx.sign(kp);
      return chain.sendRawTransaction(tx.serialize());
    };
    const table = await ensureLookupTable(chain.connection(), kp.publicKey, addresses, send, (s) => steps.push(s), { pollMs: 1 });
    expect(table.state.addresses.map((a) => a.toBase58())).toEqual(addresses.map((a) => a.toBase58()));
    expect(steps.map((s) => s.step)).toEqual(["activate"]);
    expect(cachedLookupTable(chain.rpcEndpoint, addresses)?.toBase58()).toBe(table.key.toBase58());
  });
});
