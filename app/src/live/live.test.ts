// The dApp's client and wasm against the real sBPF program on the local validator (surfpool). Runs only when
// BALLAST_LIVE_RPC points at a node started with --manual-clock (so the wasm and the program
// value at the same unix time); the market is bootstrapped by `ballast-migrate` (src/live/migrate.ts):
//   BALLAST_SKIP_BUILD=1 bash scripts/node --rpc-port 8911 --ws-port 8912 --manual-clock &
//   BALLAST_LIVE_RPC=http://127.0.0.1:8911 npx vitest run src/live --no-file-parallelism
// (app/scripts/e2e.sh runs it against the end-to-end test's node.)
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Buffer } from "buffer";
import { Connection, Keypair, PublicKey, Transaction, TransactionMessage, VersionedTransaction, type TransactionInstruction } from "@solana/web3.js";
import { createAssociatedTokenAccountIdempotentInstruction } from "@solana/spl-token";
import { instantiateBallast, type BallastWasm } from "../wasm/core";
import { liquidations, obligationView, preview, U64_MAX, type HealthOut } from "../wasm/api";
import { bootstrap, setPrice } from "./migrate";
import { getTestTokens, loadMarket, loadObligations, loadWallet, type MarketSnapshot } from "../client/chain";
import { ballastProgram } from "../client/program";
import { decodeAccount } from "../client/accounts";
import { Instructions } from "../client/instructions";
import { sendInstructions } from "../client/tx";
import type { Deployment } from "../client/config";
import { accepted, readPosition, readRow, rejected as rejectedPreview } from "../wasm/testing";

const RPC = process.env.BALLAST_LIVE_RPC;
/** migrations/local-market.toml's `initial_price` per reserve. */
const INITIAL_USD: Record<string, number> = { SOL: 150, USDC: 1, ETH: 3000 };

const signerOf = (kp: Keypair) => ({
  publicKey: kp.publicKey,
  signTransaction: async <T extends Transaction>(tx: T) => {
    tx.partialSign(kp);
    return tx;
  },
});

describe.skipIf(!RPC)("live: dApp client + wasm on the sBPF program", () => {
  let connection: Connection;
  let wasm: BallastWasm;
  let deployment: Deployment;
  let deploymentPath: string;
  let ix: Instructions;
  const user = Keypair.generate();
  const liquidator = Keypair.generate();

  const reserveOf = (snap: MarketSnapshot, symbol: string) => snap.reserves.find((r) => r.config.symbol === symbol)!;
  const healthPairs = (snap: MarketSnapshot, keys: string[]) =>
    keys.map((k) => ({ reserve: new PublicKey(k), oracle: snap.reserves.find((r) => r.config.reserve === k)!.keys.oracle }));

  /** The program's own `get_health`, simulated: weighted collateral and debt. */
  async function programHealth(snap: MarketSnapshot, owner: PublicKey, positions: string[], initial: boolean) {
    const built = await ix.program.methods
      .getHealth(initial)
      .accountsStrict({ market: ix.market, obligation: ix.obligation(owner) })
      .remainingAccounts(healthPairs(snap, positions).flatMap((p) => [{ pubkey: p.reserve, isSigner: false, isWritable: false }, { pubkey: p.oracle, isSigner: false, isWritable: false }]))
      .instruction();
    const { blockhash } = await connection.getLatestBlockhash();
    const message = new TransactionMessage({ payerKey: owner, recentBlockhash: blockhash, instructions: [built] }).compileToV0Message();
    const sim = await connection.simulateTransaction(new VersionedTransaction(message), { sigVerify: false });
    expect(sim.value.err, JSON.stringify(sim.value.logs)).toBeNull();
    const data = Buffer.from(sim.value.returnData!.data[0], "base64");
    const u128 = (o: number) => data.readBigUInt64LE(o) + (data.readBigUInt64LE(o + 8) << 64n);
    return { weightedCollateral: u128(0).toString(), weightedDebt: u128(16).toString(), collateralValue: u128(32).toString(), debtValue: u128(48).toString() };
  }

  const pick = (h: HealthOut) => ({ weightedCollateral: h.weightedCollateral, weightedDebt: h.weightedDebt, collateralValue: h.collateralValue, debtValue: h.debtValue });

  async function send(kp: Keypair, ixs: TransactionInstruction[]) {
    const stages: string[] = [];
    const result = await sendInstructions(connection, signerOf(kp), ixs, (p) => stages.push(p.stage), deployment.programId);
    return { ...result, stages };
  }

  beforeAll(async () => {
    connection = new Connection(RPC!, "confirmed");
    wasm = await instantiateBallast(readFileSync(new URL("../wasm/pkg/ballast_bg.wasm", import.meta.url)));
    ({ deployment, path: deploymentPath } = bootstrap(RPC!));
    ix = new Instructions(ballastProgram(connection, new PublicKey(deployment.programId)), new PublicKey(deployment.market));
    const snap = await loadMarket(connection, deployment);
    await getTestTokens(connection, RPC!, snap, user.publicKey);
    await getTestTokens(connection, RPC!, snap, liquidator.publicKey);
    // Liquidity to borrow: the liquidator supplies 5,000 USDC.
    const usdc = reserveOf(snap, "USDC");
    const lw = await loadWallet(connection, deployment, snap, liquidator.publicKey);
    const supplied = await send(liquidator, [
      await ix.initObligation(liquidator.publicKey),
      await ix.deposit(liquidator.publicKey, usdc.keys, lw.tokens[usdc.config.reserve].ata, 5_000_000_000n),
    ]);
    expect(supplied.ok, supplied.error?.raw).toBe(true);
  }, 120_000);

  it("deposit, borrow to the limit, over-borrow rejected with the same error, health equal to the program's", async () => {
    let snap = await loadMarket(connection, deployment);
    let wallet = await loadWallet(connection, deployment, snap, user.publicKey);
    const sol = reserveOf(snap, "SOL");
    const usdc = reserveOf(snap, "USDC");
    expect(wallet.obligation).toBeNull();

    // Deposit 10 SOL (creating the obligation in the same transaction).
    const dep = preview(wasm, snap.common, null, user.publicKey.toBase58(), { kind: "deposit", reserve: sol.config.reserve, amount: "10000000000" }, wallet.tokens[sol.config.reserve].balance!.toString());
    expect(dep.ok).toBe(true);
    const deposited = await send(user, [await ix.initObligation(user.publicKey), await ix.deposit(user.publicKey, sol.keys, wallet.tokens[sol.config.reserve].ata, "10000000000")]);
    expect(deposited.ok, deposited.error?.raw).toBe(true);
    expect(deposited.stages).toEqual(["building", "signing", "sent", "confirmed"]);

    snap = await loadMarket(connection, deployment);
    wallet = await loadWallet(connection, deployment, snap, user.publicKey);
    let view = obligationView(wasm, snap.common, wallet.obligation);
    expect(view.healthAccounts).toEqual([sol.config.reserve]);
    const max = BigInt(view.maxBorrow[usdc.config.reserve]);
    expect(max).toBeGreaterThan(1_000_000_000n); // 10 SOL x $150 x 75% (less conf) ~ $1,124

    // One unit over the maximum: the wasm and the program reject it with the same error.
    const over = preview(wasm, snap.common, wallet.obligation, user.publicKey.toBase58(), { kind: "borrow", reserve: usdc.config.reserve, amount: (max + 1n).toString() });
    expect(rejectedPreview(over).error).toBe("InitialHealthNegative");
    const ata = wallet.tokens[usdc.config.reserve].ata;
    const after = healthPairs(snap, [sol.config.reserve, usdc.config.reserve]);
    const rejected = await send(user, [
      createAssociatedTokenAccountIdempotentInstruction(user.publicKey, ata, user.publicKey, usdc.keys.mint, usdc.keys.tokenProgram),
      await ix.borrow(user.publicKey, usdc.keys, ata, max + 1n, after),
    ]);
    expect(rejected.ok).toBe(false);
    expect(rejected.error?.name).toBe("InitialHealthNegative");

    // Exactly the maximum: accepted.
    const ok = preview(wasm, snap.common, wallet.obligation, user.publicKey.toBase58(), { kind: "borrow", reserve: usdc.config.reserve, amount: max.toString() });
    const okPlan = accepted(ok);
    const borrowed = await send(user, [await ix.borrow(user.publicKey, usdc.keys, ata, max, healthPairs(snap, okPlan.healthAccounts))]);
    expect(borrowed.ok, borrowed.error?.raw).toBe(true);

    snap = await loadMarket(connection, deployment);
    wallet = await loadWallet(connection, deployment, snap, user.publicKey);
    view = obligationView(wasm, snap.common, wallet.obligation);
    // Health after the action equals what the preview said, and what the program computes.
    const afterMaint = okPlan.after.maintenance;
    const viewMaint = view.maintenance;
    if (!afterMaint.ok || !viewMaint.ok || !view.initial.ok) throw new Error("health");
    expect(pick(viewMaint.health)).toEqual(pick(afterMaint.health));
    expect(pick(viewMaint.health)).toEqual(await programHealth(snap, user.publicKey, view.healthAccounts, false));
    expect(pick(view.initial.health)).toEqual(await programHealth(snap, user.publicKey, view.healthAccounts, true));
    expect(BigInt(viewMaint.health.healthFactor!)).toBeLessThan(2n * 10n ** 18n);
  }, 60_000);

  it("interest accrues to now: after a day the wasm still equals the program", async () => {
    // surfpool's time travel: the same slot, a day later (it takes milliseconds).
    const before = await loadMarket(connection, deployment);
    const dayLaterMs = (Number(before.now) + 86_400) * 1000;
    await fetch(RPC!, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "surfnet_timeTravel", params: [{ absoluteSlotAt: { slot: Number(before.slot), timestamp: dayLaterMs } }] }) });
    let snap = await loadMarket(connection, deployment);
    // Refresh every price (they are now a day old) at migrations/local-market.toml's initial prices.
    for (const r of snap.reserves) setPrice(RPC!, deploymentPath, r.config.symbol, INITIAL_USD[r.config.symbol]);
    snap = await loadMarket(connection, deployment);
    const wallet = await loadWallet(connection, deployment, snap, user.publicKey);
    const view = obligationView(wasm, snap.common, wallet.obligation);
    if (!view.maintenance.ok || !view.initial.ok) throw new Error("health");
    expect(pick(view.maintenance.health)).toEqual(await programHealth(snap, user.publicKey, view.healthAccounts, false));
    expect(pick(view.initial.health)).toEqual(await programHealth(snap, user.publicKey, view.healthAccounts, true));
    const debt = view.positions.map(readPosition).find((p) => p.debtShares !== "0")!;
    expect(BigInt(debt.debtUnits)).toBeGreaterThan(1_000_000_000n);
  }, 60_000);

  it("a price drop lists the obligation for liquidation; the planned liquidation lands as planned", async () => {
    let snap = await loadMarket(connection, deployment);
    const sol = reserveOf(snap, "SOL");
    const usdc = reserveOf(snap, "USDC");
    setPrice(RPC!, deploymentPath, "SOL", 120);
    snap = await loadMarket(connection, deployment);
    const liq = await loadWallet(connection, deployment, snap, liquidator.publicKey);
    const budgets = Object.fromEntries(snap.reserves.map((r) => [r.config.mint, (liq.tokens[r.config.reserve].balance ?? 0n).toString()]));
    const rows = liquidations(wasm, snap.common, await loadObligations(connection, deployment), liquidator.publicKey.toBase58(), budgets);
    const row = readRow(rows.find((r) => r.owner === user.publicKey.toBase58())!);
    expect(row.liquidatable).toBe(true);
    const plan = row.plan!;
    expect(plan.check.ok).toBe(true);
    expect([plan.repayReserve, plan.collateralReserve]).toEqual([usdc.config.reserve, sol.config.reserve]);
    const before = liq.tokens[sol.config.reserve].balance ?? 0n;
    const dest = liq.tokens[sol.config.reserve].ata;
    const sent = await send(liquidator, [
      createAssociatedTokenAccountIdempotentInstruction(liquidator.publicKey, dest, liquidator.publicKey, sol.keys.mint, sol.keys.tokenProgram),
      await ix.liquidate(liquidator.publicKey, new PublicKey(row.key), usdc.keys, liq.tokens[usdc.config.reserve].ata, sol.keys, dest, plan.repayAmount, plan.minCollateralOut, healthPairs(snap, row.healthAccounts)),
    ]);
    expect(sent.ok, sent.error?.raw).toBe(true);
    const afterWallet = await loadWallet(connection, deployment, await loadMarket(connection, deployment), liquidator.publicKey);
    expect((afterWallet.tokens[sol.config.reserve].balance ?? 0n) - before).toBe(BigInt(plan.liquidatorAmount));

    // The owner cannot liquidate itself: the wasm says so before signing.
    const self = liquidations(wasm, snap.common, await loadObligations(connection, deployment), user.publicKey.toBase58(), {});
    const own = readRow(self.find((r) => r.owner === user.publicKey.toBase58())!);
    if (own.liquidatable && own.plan) expect(own.plan.check).toEqual({ ok: false, error: "SelfLiquidation" });
  }, 60_000);

  it("repay all and withdraw all empty the obligation", async () => {
    setPrice(RPC!, deploymentPath, "SOL", 150);
    let snap = await loadMarket(connection, deployment);
    const sol = reserveOf(snap, "SOL");
    const usdc = reserveOf(snap, "USDC");
    let wallet = await loadWallet(connection, deployment, snap, user.publicKey);
    if (obligationView(wasm, snap.common, wallet.obligation).hasDebt) {
      // (A liquidation deep in the red may already have repaid all of it.)
      const repay = preview(wasm, snap.common, wallet.obligation, user.publicKey.toBase58(), { kind: "repay", reserve: usdc.config.reserve, amount: U64_MAX }, wallet.tokens[usdc.config.reserve].balance!.toString());
      accepted(repay);
      const repaid = await send(user, [await ix.repay(user.publicKey, usdc.keys, wallet.obligationKey, wallet.tokens[usdc.config.reserve].ata, U64_MAX)]);
      expect(repaid.ok, repaid.error?.raw).toBe(true);
    }
    // Repaying a debt that is not there: the same error before signing and from the chain.
    snap = await loadMarket(connection, deployment);
    wallet = await loadWallet(connection, deployment, snap, user.publicKey);
    const none = preview(wasm, snap.common, wallet.obligation, user.publicKey.toBase58(), { kind: "repay", reserve: usdc.config.reserve, amount: "1" });
    const chain = await send(user, [await ix.repay(user.publicKey, usdc.keys, wallet.obligationKey, wallet.tokens[usdc.config.reserve].ata, 1n)]);
    expect(chain.ok).toBe(false);
    expect(chain.error?.name).toBe(rejectedPreview(none).error);
    snap = await loadMarket(connection, deployment);
    wallet = await loadWallet(connection, deployment, snap, user.publicKey);
    const view = obligationView(wasm, snap.common, wallet.obligation);
    expect(view.hasDebt).toBe(false);
    const position = readPosition(view.positions.find((p) => p.reserve === sol.config.reserve)!);
    expect(position.withdrawAll).toBe(true);
    const withdrawn = await send(user, [await ix.withdraw(user.publicKey, sol.keys, wallet.tokens[sol.config.reserve].ata, U64_MAX, [])]);
    expect(withdrawn.ok, withdrawn.error?.raw).toBe(true);
    wallet = await loadWallet(connection, deployment, await loadMarket(connection, deployment), user.publicKey);
    expect((decodeAccount("obligation", Buffer.from(wallet.obligation!, "base64")) as { positionCount: number }).positionCount).toBe(0);
  }, 60_000);
});
