import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { ASSOCIATED_TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Connection, Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import idl from "../idl/ballast.json";
import { ballastProgram, obligationPda, vaultPda } from "./program";
import { healthAccountsPerAction, Instructions, userActionInstructions, type ReserveKeys, type UserAction } from "./instructions";
import { instantiateBallast, type BallastWasm } from "../wasm/core";
import { previewSequence, U64_MAX, type Common } from "../wasm/api";
import { accepted, rejected } from "../wasm/testing";

// Two actions in one transaction: the instruction list, and the health accounts of the second
// instruction from the wasm's preview of the sequence on the differential test's accounts.
const IX = (idl as unknown as { instructions: { name: string; discriminator: number[]; accounts: { name: string }[] }[] }).instructions;
const spec = (name: string) => IX.find((i) => i.name === name)!;
const fixture = JSON.parse(readFileSync(new URL("../../../crates/ballast-wasm/tests/fixtures/market.json", import.meta.url), "utf8"));

const program = ballastProgram(new Connection("http://127.0.0.1:1"));
const programId = program.programId;
const market = new PublicKey(fixture.marketKey);
const ix = new Instructions(program, market);
const owner = Keypair.generate().publicKey;
const obligation = obligationPda(programId, market, owner);
const TOKEN = new PublicKey("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");

/** A reserve of the fixture (`index`: 0 SOL, 1 USDC, 2 ETH) with made-up mint and vault. */
function fixtureReserve(index: number): { keys: ReserveKeys; oracle: PublicKey } {
  const r = fixture.reserves[index];
  const mint = Keypair.generate().publicKey;
  const reserve = new PublicKey(r.key);
  const oracle = new PublicKey(r.oracle.key);
  return { keys: { reserve, mint, vault: vaultPda(programId, reserve), oracle, tokenProgram: TOKEN }, oracle };
}
const [sol, usdc] = [fixtureReserve(0), fixtureReserve(1)];
const pairsOf = (keys: string[]) => keys.map((k) => [sol, usdc].find((r) => r.keys.reserve.toBase58() === k)!).map((r) => ({ reserve: r.keys.reserve, oracle: r.oracle }));

const isIx = (built: TransactionInstruction, name: string) => built.programId.equals(programId) && Array.from(built.data.subarray(0, 8)).join() === spec(name).discriminator.join();
/** The read-only accounts after the instruction's own: its health accounts. */
const healthOf = (built: TransactionInstruction, name: string) => {
  const extra = built.keys.slice(spec(name).accounts.length);
  expect(extra.every((m) => !m.isWritable && !m.isSigner)).toBe(true);
  return extra.map((m) => m.pubkey.toBase58());
};

let wasm: BallastWasm;
let common: Common;
beforeAll(async () => {
  wasm = await instantiateBallast(readFileSync(new URL("../wasm/pkg/ballast_bg.wasm", import.meta.url)));
  common = { now: fixture.now, marketKey: fixture.marketKey, market: fixture.market, reserves: fixture.reserves };
});

describe("two actions, one transaction", () => {
  it("deposit and borrow from a new wallet: init_obligation, deposit, the borrow's token account, borrow", async () => {
    const [source, destination] = [Keypair.generate().publicKey, Keypair.generate().publicKey];
    const actions: UserAction[] = [
      { kind: "deposit", keys: sol.keys, tokenAccount: source, amount: 10_000_000_000n, health: [] },
      { kind: "borrow", keys: usdc.keys, tokenAccount: destination, amount: 100_000_000n, health: pairsOf([sol.keys.reserve.toBase58(), usdc.keys.reserve.toBase58()]) },
    ];
    const built = await userActionInstructions(ix, owner, actions, { createObligation: true });
    expect(built).toHaveLength(4);
    expect(isIx(built[0], "init_obligation")).toBe(true);
    expect(isIx(built[1], "deposit")).toBe(true);
    expect(built[2].programId.equals(ASSOCIATED_TOKEN_PROGRAM_ID)).toBe(true);
    expect(isIx(built[3], "borrow")).toBe(true);
    // deposit: owner (signer), market, reserve, obligation, mint, vault, source, token program.
    expect(built[1].keys.map((m) => m.pubkey.toBase58())).toEqual([owner, market, sol.keys.reserve, obligation, sol.keys.mint, sol.keys.vault, source, TOKEN].map((k) => k.toBase58()));
    expect(built[1].data.readBigUInt64LE(8)).toBe(10_000_000_000n);
    expect(healthOf(built[1], "deposit")).toEqual([]);
    // The token account the borrow pays into is the one the idempotent create makes.
    expect(built[2].keys[1].pubkey.equals(destination)).toBe(true);
    expect(built[3].keys[3].pubkey.equals(obligation)).toBe(true);
    expect(built[3].keys[7].pubkey.equals(destination)).toBe(true);
    expect(healthOf(built[3], "borrow")).toEqual([sol.keys.reserve, sol.oracle, usdc.keys.reserve, usdc.oracle].map((k) => k.toBase58()));
  });

  it("repay and withdraw: repay, the withdraw's token account, withdraw; no init_obligation", async () => {
    const [source, destination] = [Keypair.generate().publicKey, Keypair.generate().publicKey];
    const actions: UserAction[] = [
      { kind: "repay", keys: usdc.keys, tokenAccount: source, amount: U64_MAX, health: [] },
      { kind: "withdraw", keys: sol.keys, tokenAccount: destination, amount: U64_MAX, health: [] },
    ];
    const built = await userActionInstructions(ix, owner, actions, { createObligation: false });
    expect(built.map((b, i) => (i === 1 ? b.programId.equals(ASSOCIATED_TOKEN_PROGRAM_ID) : isIx(b, ["repay", "", "withdraw"][i])))).toEqual([true, true, true]);
    // repay: payer (the owner), market, reserve, obligation, mint, vault, source.
    expect(built[0].keys[0]).toMatchObject({ isSigner: true });
    expect(built[0].keys[0].pubkey.equals(owner) && built[0].keys[3].pubkey.equals(obligation) && built[0].keys[6].pubkey.equals(source)).toBe(true);
    expect(built[0].data.readBigUInt64LE(8)).toBe(BigInt(U64_MAX));
    expect(built[2].data.readBigUInt64LE(8)).toBe(BigInt(U64_MAX));
    expect(healthOf(built[2], "withdraw")).toEqual([]);
  });

  it("the borrow after a first deposit takes the deposit's new position (the wasm's preview)", async () => {
    const [s, u] = [sol.keys.reserve.toBase58(), usdc.keys.reserve.toBase58()];
    const stranger = owner.toBase58();
    const alone = previewSequence(wasm, common, null, stranger, [{ kind: "borrow", reserve: u, amount: "100000000" }]);
    expect(alone).toMatchObject({ ok: false, error: "InitialHealthNegative", failedAction: 0 });
    const both = previewSequence(wasm, common, null, stranger, [
      { kind: "deposit", reserve: s, amount: "10000000000" },
      { kind: "borrow", reserve: u, amount: "100000000" },
    ]);
    expect(both.ok).toBe(true);
    expect(both.before.maintenance).toMatchObject({ ok: true, health: { healthFactor: null } });
    const bothAfter = accepted(both).after.maintenance;
    expect(bothAfter.ok && BigInt(bothAfter.health.healthFactor!) > 10n ** 18n).toBe(true);
    const perAction = healthAccountsPerAction(both.steps, 2, []);
    expect(perAction).toEqual([[s], [s, u]]);
    const actions: UserAction[] = [
      { kind: "deposit", keys: sol.keys, tokenAccount: Keypair.generate().publicKey, amount: "10000000000", health: pairsOf(perAction[0]) },
      { kind: "borrow", keys: usdc.keys, tokenAccount: Keypair.generate().publicKey, amount: "100000000", health: pairsOf(perAction[1]) },
    ];
    const built = await userActionInstructions(ix, owner, actions, { createObligation: true });
    expect(healthOf(built[3], "borrow")).toEqual([s, sol.oracle.toBase58(), u, usdc.oracle.toBase58()]);
  });

  it("a rejected step is named with its index; later steps take the positions where it stopped", () => {
    const [s, u] = [sol.keys.reserve.toBase58(), usdc.keys.reserve.toBase58()];
    const over = previewSequence(wasm, common, null, owner.toBase58(), [
      { kind: "deposit", reserve: s, amount: "1000000000" },
      { kind: "borrow", reserve: u, amount: "10000000000" },
    ]);
    expect(over).toMatchObject({ ok: false, error: "InitialHealthNegative", failedAction: 1 });
    expect(healthAccountsPerAction(over.steps, 2, [])).toEqual([[s], [s, u]]);
    const zero = previewSequence(wasm, common, null, owner.toBase58(), [
      { kind: "deposit", reserve: s, amount: "0" },
      { kind: "borrow", reserve: u, amount: "1" },
    ]);
    expect(zero).toMatchObject({ ok: false, error: "ZeroAmount", failedAction: 0 });
    expect(healthAccountsPerAction(zero.steps, 2, [u])).toEqual([[], []]);
    expect(healthAccountsPerAction(undefined, 2, [u])).toEqual([[u], [u]]);
  });

  it("repay all, then withdraw all: the obligation closes out", () => {
    const o = fixture.obligations[0]; // 10 SOL against 900 USDC
    const [s, u] = [sol.keys.reserve.toBase58(), usdc.keys.reserve.toBase58()];
    const alone = previewSequence(wasm, common, o.data, owner.toBase58(), [{ kind: "withdraw", reserve: s, amount: U64_MAX }]);
    expect(rejected(alone).error).toBe("InitialHealthNegative");
    const both = previewSequence(wasm, common, o.data, owner.toBase58(), [
      { kind: "repay", reserve: u, amount: U64_MAX },
      { kind: "withdraw", reserve: s, amount: U64_MAX },
    ]);
    expect(both.ok).toBe(true);
    expect(healthAccountsPerAction(both.steps, 2, [])).toEqual([[s], []]);
    expect(accepted(both).after.maintenance).toMatchObject({ ok: true, health: { healthFactor: null } });
  });
});

