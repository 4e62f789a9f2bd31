import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { ASSOCIATED_TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Connection, Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import idl from "../idl/ballast.json";
import { ballastProgram, obligationPda, vaultPda } from "./program";
import { healthAccountsPerAction, Instructions, repayWithCollateralInstructions, userActionInstructions, type ReserveKeys } from "./instructions";
import { decodeAccount } from "./accounts";
import { instantiateBallast, type BallastWasm } from "../wasm/core";
import { obligationView, previewSequence, U64_MAX, type Common } from "../wasm/api";
import { accepted, readPosition } from "../wasm/testing";

// A selected obligation other than number 0, repay with collateral's instruction list, and the
// wasm's previews of the collateral switch and of the flash-loan sequence on the differential
// test's accounts (written with the program's own types).
const IX = (idl as unknown as { instructions: { name: string; discriminator: number[]; accounts: { name: string }[] }[] }).instructions;
const spec = (name: string) => IX.find((i) => i.name === name)!;
const fixture = JSON.parse(readFileSync(new URL("../../../crates/ballast-wasm/tests/fixtures/market.json", import.meta.url), "utf8"));

const program = ballastProgram(new Connection("http://127.0.0.1:1"));
const programId = program.programId;
const market = new PublicKey(fixture.marketKey);
const ix = new Instructions(program, market);
const owner = Keypair.generate().publicKey;
const TOKEN = new PublicKey("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
const isIx = (built: TransactionInstruction, name: string) => built.programId.equals(programId) && Array.from(built.data.subarray(0, 8)).join() === spec(name).discriminator.join();

function fixtureReserve(index: number): { keys: ReserveKeys; oracle: PublicKey } {
  const r = fixture.reserves[index];
  const reserve = new PublicKey(r.key);
  const oracle = new PublicKey(r.oracle.key);
  return { keys: { reserve, mint: Keypair.generate().publicKey, vault: vaultPda(programId, reserve), oracle, tokenProgram: TOKEN }, oracle };
}
const [sol, usdc] = [fixtureReserve(0), fixtureReserve(1)];
const [s, u] = [sol.keys.reserve.toBase58(), usdc.keys.reserve.toBase58()];

let wasm: BallastWasm;
let common: Common;
beforeAll(async () => {
  wasm = await instantiateBallast(readFileSync(new URL("../wasm/pkg/ballast_bg.wasm", import.meta.url)));
  common = { now: fixture.now, marketKey: fixture.marketKey, market: fixture.market, reserves: fixture.reserves };
});

describe("the selected obligation", () => {
  it("a first deposit into obligation #2 opens it with init_sub_obligation, and every action names it", async () => {
    const sub = obligationPda(programId, market, owner, 2);
    const source = Keypair.generate().publicKey;
    const built = await userActionInstructions(ix, owner, [{ kind: "deposit", keys: sol.keys, tokenAccount: source, amount: 5n, health: [] }], { id: 2, createObligation: true });
    expect(built.map((b) => isIx(b, "init_sub_obligation") || isIx(b, "deposit"))).toEqual([true, true]);
    expect(isIx(built[0], "init_sub_obligation") && built[0].data[8] === 2 && built[0].keys[2].pubkey.equals(sub)).toBe(true);
    expect(built[1].keys[3].pubkey.equals(sub)).toBe(true);
    const later = await userActionInstructions(
      ix,
      owner,
      [
        { kind: "repay", keys: usdc.keys, tokenAccount: source, amount: 1n, health: [] },
        { kind: "borrow", keys: usdc.keys, tokenAccount: source, amount: 1n, health: [] },
      ],
      { id: 2, createObligation: false },
    );
    expect(later.filter((b) => b.programId.equals(programId)).map((b) => b.keys[3].pubkey.toBase58())).toEqual([sub.toBase58(), sub.toBase58()]);
  });

  it("the obligation's number decodes from its account (the selector's listing)", () => {
    const decoded = decodeAccount("obligation", Buffer.from(fixture.obligations[0].data, "base64"));
    expect(decoded.obligationId).toBe(0);
  });
});

describe("repay with collateral", () => {
  it("one transaction: the token account, flash_borrow, repay, withdraw (loan + fee), flash_repay", async () => {
    const sub = obligationPda(programId, market, owner, 1);
    const ata = Keypair.generate().publicKey;
    const health = [
      { reserve: sol.keys.reserve, oracle: sol.oracle },
      { reserve: usdc.keys.reserve, oracle: usdc.oracle },
    ];
    const built = await repayWithCollateralInstructions(ix, owner, sub, { keys: usdc.keys, tokenAccount: ata, loan: 500_000_001n, repay: U64_MAX, withdraw: 500_450_002n, health });
    expect(built[0].programId.equals(ASSOCIATED_TOKEN_PROGRAM_ID) && built[0].keys[1].pubkey.equals(ata)).toBe(true);
    expect(["flash_borrow", "repay", "withdraw", "flash_repay"].map((name, i) => isIx(built[i + 1], name))).toEqual([true, true, true, true]);
    const amounts = built.slice(1).map((b) => b.data.readBigUInt64LE(8));
    expect(amounts).toEqual([500_000_001n, BigInt(U64_MAX), 500_450_002n, 500_000_001n]);
    // The loan and the withdraw go to the token account the repay and the flash repay take from.
    expect([built[1].keys[6], built[2].keys[6], built[3].keys[7], built[4].keys[5]].every((m) => m.pubkey.equals(ata) && m.isWritable)).toBe(true);
    // Repay and withdraw act on the selected obligation; the withdraw carries its health accounts.
    expect(built[2].keys[3].pubkey.equals(sub) && built[3].keys[3].pubkey.equals(sub)).toBe(true);
    expect(built[3].keys.slice(spec("withdraw").accounts.length).map((m) => m.pubkey.toBase58())).toEqual([s, sol.oracle.toBase58(), u, usdc.oracle.toBase58()]);
    // flash_borrow and flash_repay name the reserve at the same index (the program's lookup).
    expect(built[1].keys[2].pubkey.equals(usdc.keys.reserve) && built[4].keys[2].pubkey.equals(usdc.keys.reserve)).toBe(true);
  });

  it("the wasm previews the four steps as one sequence; a reserve without flash loans is named at step 1", () => {
    const o = fixture.obligations[0]; // 10 SOL against 900 USDC: no USDC deposit, and the fixture's reserves lend no flash loans
    const steps = [
      { kind: "flashBorrow" as const, reserve: u, amount: "1000000" },
      { kind: "repay" as const, reserve: u, amount: "1000000" },
      { kind: "withdrawPlusFlashFee" as const, reserve: u, amount: "1000000" },
      { kind: "flashRepay" as const, reserve: u, amount: "1000000" },
    ];
    const out = previewSequence(wasm, common, o.data, owner.toBase58(), steps);
    expect(out).toMatchObject({ ok: false, error: "FlashLoansDisabled", failedAction: 0 });
    expect(healthAccountsPerAction(out.steps, 4, [])[2]).toEqual([s, u]);
  });
});

describe("the collateral switch", () => {
  it("each position's flag comes from the obligation op; switching off the only collateral is refused by name", () => {
    const o = fixture.obligations[0];
    const view = obligationView(wasm, common, o.data, owner.toBase58());
    expect(view.positions.map((p) => readPosition(p).collateral)).toEqual([true, true]);
    const off = previewSequence(wasm, common, o.data, owner.toBase58(), [{ kind: "setCollateral", reserve: s, collateral: false }]);
    expect(off).toMatchObject({ ok: false, error: "InitialHealthNegative", failedAction: 0 });
    // Health accounts: every position.
    expect(off.healthAccounts).toEqual([s, u]);
    const on = previewSequence(wasm, common, o.data, owner.toBase58(), [{ kind: "setCollateral", reserve: s, collateral: true }]);
    expect(on.ok).toBe(true);
    expect(accepted(on).after.maintenance).toEqual(on.before.maintenance);
  });

  it("without debt, off passes and the deposit counts for nothing", () => {
    const out = previewSequence(wasm, common, null, owner.toBase58(), [
      { kind: "deposit", reserve: s, amount: "10000000000" },
      { kind: "setCollateral", reserve: s, collateral: false },
    ]);
    expect(out.ok).toBe(true);
    expect(accepted(out).after.borrowPowerLeft).toBe("0");
    expect(accepted(out).after.maintenance).toMatchObject({ ok: true, health: { collateralValue: "0" } });
  });
});
