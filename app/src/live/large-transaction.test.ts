// A transaction over the packet limit, sent by the dApp's own `sendInstructions` on the local
// validator (surfpool enforces 1,232 bytes): twelve user actions in one transaction, built the
// way the combined-action forms build them (wasm sequence preview → health accounts per action →
// `userActionInstructions`), signed by the burner wallet. It lands as ONE v0 transaction with an
// address lookup table created first; a second such transaction reuses the table. Runs only when
// BALLAST_LIVE_RPC points at a node (see live.test.ts):
//   BALLAST_SKIP_BUILD=1 bash scripts/node --rpc-port 8961 --ws-port 8962 --manual-clock &
//   BALLAST_LIVE_RPC=http://127.0.0.1:8961 npx vitest run src/live/large-transaction.test.ts
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Connection, PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { instantiateBallast, type BallastWasm } from "../wasm/core";
import { obligationView, previewSequence, type ActionKind } from "../wasm/api";
import { bootstrap } from "./migrate";
import { getTestTokens, loadMarket, loadWallet, type MarketSnapshot } from "../client/chain";
import { ballastProgram } from "../client/program";
import { healthAccountsPerAction, Instructions, userActionInstructions, type UserAction } from "../client/instructions";
import { sendInstructions, type TxProgress, type VersionedSigner } from "../client/tx";
import { legacyTransactionSize, TX_SIZE_LIMIT } from "../client/lookup";
import { BurnerWalletAdapter } from "../wallet/burner";
import type { Deployment } from "../client/config";
import { accepted, acceptedStep, readPosition } from "../wasm/testing";

const RPC = process.env.BALLAST_LIVE_RPC;

/** One action: kind, symbol, whole-token amount as a decimal string. */
type Step = [ActionKind, string, string];

/** Twelve actions: three deposits, borrows, repays and withdraws, all on one obligation. */
const FIRST: Step[] = [
  ["deposit", "SOL", "10"],
  ["deposit", "ETH", "1"],
  ["deposit", "USDC", "100"],
  ["borrow", "USDC", "50"],
  ["repay", "USDC", "20"],
  ["withdraw", "ETH", "0.5"],
  ["deposit", "SOL", "2"],
  ["borrow", "USDC", "40"],
  ["repay", "USDC", "10"],
  ["withdraw", "SOL", "1"],
  ["deposit", "ETH", "0.2"],
  ["repay", "USDC", "5"],
];
/** The same accounts (the obligation exists now: no init_obligation), other amounts. */
const SECOND: Step[] = [
  ["deposit", "SOL", "1"],
  ["deposit", "ETH", "0.1"],
  ["deposit", "USDC", "10"],
  ["borrow", "USDC", "5"],
  ["repay", "USDC", "2"],
  ["withdraw", "ETH", "0.05"],
  ["deposit", "SOL", "0.5"],
  ["borrow", "USDC", "4"],
  ["repay", "USDC", "1"],
  ["withdraw", "SOL", "0.2"],
  ["deposit", "ETH", "0.02"],
  ["repay", "USDC", "1"],
];

const units = (amount: string, decimals: number) => {
  const [whole, frac = ""] = amount.split(".");
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt((frac + "0".repeat(decimals)).slice(0, decimals) || "0");
};

describe.skipIf(!RPC)("live: a transaction over 1,232 bytes goes as one v0 transaction with a lookup table", () => {
  let connection: Connection;
  let wasm: BallastWasm;
  let deployment: Deployment;
  let ix: Instructions;
  let signer: VersionedSigner;
  let firstTable: string | undefined;

  const reserveOf = (snap: MarketSnapshot, symbol: string) => snap.reserves.find((r) => r.config.symbol === symbol)!;

  /** The instructions for `steps` as the combined-action form builds them, and the amounts each moves per reserve. */
  async function build(steps: Step[]) {
    const snap = await loadMarket(connection, deployment);
    const wallet = await loadWallet(connection, deployment, snap, signer.publicKey);
    const actions = steps.map(([kind, symbol, amount]) => {
      const r = reserveOf(snap, symbol);
      return { kind, reserve: r.config.reserve, amount: units(amount, r.config.decimals).toString() };
    });
    const balances = Object.fromEntries(snap.reserves.map((r) => [r.config.reserve, (wallet.tokens[r.config.reserve]?.balance ?? 0n).toString()]));
    const preview = previewSequence(wasm, snap.common, wallet.obligation, signer.publicKey.toBase58(), actions, balances);
    const planned = accepted(preview);
    const current = wallet.obligation ? obligationView(wasm, snap.common, wallet.obligation).healthAccounts : [];
    const perAction = healthAccountsPerAction(planned.steps, actions.length, current);
    const byKey = (key: string) => snap.reserves.find((r) => r.config.reserve === key)!;
    const userActions: UserAction[] = actions.map((a, i) => ({
      kind: a.kind as ActionKind,
      keys: byKey(a.reserve).keys,
      tokenAccount: wallet.tokens[a.reserve].ata,
      amount: a.amount,
      health: perAction[i].map((key) => ({ reserve: new PublicKey(key), oracle: byKey(key).pinnedOracle })),
    }));
    const instructions = await userActionInstructions(ix, signer.publicKey, userActions, { id: 0, createObligation: !wallet.obligation });
    // What each action moves, per reserve: the wallet's tokens, the deposit, the debt.
    const moved: Record<string, { wallet: bigint; deposit: bigint; debt: bigint }> = {};
    for (const r of snap.reserves) moved[r.config.reserve] = { wallet: 0n, deposit: 0n, debt: 0n };
    planned.steps.forEach((step, i) => {
      const amount = BigInt(acceptedStep(step).amount);
      expect(amount, `step ${i} moves its amount`).toBe(BigInt(actions[i].amount));
      const m = moved[actions[i].reserve];
      if (step.kind === "deposit") (m.wallet -= amount), (m.deposit += amount);
      if (step.kind === "withdraw") (m.wallet += amount), (m.deposit -= amount);
      if (step.kind === "borrow") (m.wallet += amount), (m.debt += amount);
      if (step.kind === "repay") (m.wallet -= amount), (m.debt -= amount);
    });
    return { snap, wallet, instructions, moved };
  }

  /** Sends `instructions` through sendInstructions; asserts the legacy form is over the limit and the landed one a v0 transaction. */
  async function sendLarge(instructions: TransactionInstruction[]) {
    // The legacy form really is over the limit: by the size check, and web3.js refuses to serialize it.
    const legacy = legacyTransactionSize(signer.publicKey, instructions);
    expect(legacy).toBeGreaterThan(TX_SIZE_LIMIT);
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
    const tx = await signer.signTransaction(new Transaction({ feePayer: signer.publicKey, blockhash, lastValidBlockHeight }).add(...instructions));
    expect(() => tx.serialize()).toThrow(new RegExp(`Transaction too large: ${legacy} > 1232`));

    const progress: TxProgress[] = [];
    const result = await sendInstructions(connection, signer, instructions, (p) => progress.push(p), deployment.programId);
    expect(result.ok, `${result.error?.message}\n${result.error?.raw}\n${result.error?.logs?.join("\n")}`).toBe(true);
    const landed = await connection.getTransaction(result.signature!, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(landed).not.toBeNull();
    expect(landed!.version).toBe(0);
    expect(landed!.meta!.err).toBeNull();
    const loaded = landed!.meta!.loadedAddresses!;
    expect(loaded.writable.length + loaded.readonly.length).toBeGreaterThan(0);
    // ONE transaction: every instruction in it, all through one table.
    const message = landed!.transaction.message;
    expect(message.compiledInstructions).toHaveLength(instructions.length);
    expect(message.addressTableLookups).toHaveLength(1);
    // It fits: the signed transaction's size on the wire (64-byte signature + message).
    expect(1 + 64 * message.header.numRequiredSignatures + message.serialize().length).toBeLessThanOrEqual(TX_SIZE_LIMIT);
    return { progress, table: message.addressTableLookups[0].accountKey.toBase58(), legacy };
  }

  /** Per reserve: the wallet's balance, the obligation's deposit and debt (base units). */
  async function holdings() {
    const snap = await loadMarket(connection, deployment);
    const wallet = await loadWallet(connection, deployment, snap, signer.publicKey);
    const view = wallet.obligation ? obligationView(wasm, snap.common, wallet.obligation) : null;
    return Object.fromEntries(
      snap.reserves.map((r) => {
        const p = view?.positions.find((x) => x.reserve === r.config.reserve);
        return [r.config.reserve, { wallet: wallet.tokens[r.config.reserve].balance ?? 0n, deposit: BigInt(p ? readPosition(p).depositUnits : "0"), debt: BigInt(p ? readPosition(p).debtUnits : "0") }];
      }),
    );
  }

  function expectMoved(before: Awaited<ReturnType<typeof holdings>>, after: Awaited<ReturnType<typeof holdings>>, moved: Record<string, { wallet: bigint; deposit: bigint; debt: bigint }>) {
    for (const key of Object.keys(moved)) {
      // Token transfers are exact.
      expect(after[key].wallet - before[key].wallet, `${key} wallet`).toBe(moved[key].wallet);
      // Deposits and debts are held as shares: exact up to a unit of rounding per action.
      const dep = after[key].deposit - before[key].deposit - moved[key].deposit;
      const debt = after[key].debt - before[key].debt - moved[key].debt;
      expect(dep >= -12n && dep <= 12n, `${key} deposit off by ${dep}`).toBe(true);
      expect(debt >= -12n && debt <= 12n, `${key} debt off by ${debt}`).toBe(true);
    }
  }

  beforeAll(async () => {
    connection = new Connection(RPC!, "confirmed");
    wasm = await instantiateBallast(readFileSync(new URL("../wasm/pkg/ballast_bg.wasm", import.meta.url)));
    ({ deployment } = bootstrap(RPC!));
    ix = new Instructions(ballastProgram(connection, new PublicKey(deployment.programId)), new PublicKey(deployment.market));
    // The dApp's burner wallet (no localStorage here: a fresh key), which signs v0 transactions.
    const burner = new BurnerWalletAdapter();
    await burner.connect();
    signer = { publicKey: burner.publicKey!, signTransaction: (tx) => burner.signTransaction(tx) };
    await getTestTokens(connection, RPC!, await loadMarket(connection, deployment), signer.publicKey);
  }, 120_000);

  it("twelve actions in one transaction: a lookup table is created, the transaction lands as v0, every action moved what it says", async () => {
    const { instructions, moved } = await build(FIRST);
    const before = await holdings();
    const { progress, table, legacy } = await sendLarge(instructions);
    expect(legacy).toBeGreaterThan(TX_SIZE_LIMIT);
    const tableSends = progress.filter((p) => p.lookupTable && p.stage === "sent");
    expect(tableSends.filter((p) => p.lookupTable!.step === "create")).toHaveLength(1);
    expect(tableSends.every((p) => p.lookupTable!.table === table)).toBe(true);
    expect(tableSends).toHaveLength(tableSends[0].lookupTable!.of!);
    expect(progress.some((p) => p.lookupTable?.step === "activate")).toBe(true);
    expect(progress.filter((p) => !p.lookupTable).map((p) => p.stage)).toEqual(["building", "signing", "sent", "confirmed"]);
    const held = (await connection.getAddressLookupTable(new PublicKey(table))).value!;
    expect(held.state.authority?.toBase58()).toBe(signer.publicKey.toBase58());
    expect(held.state.addresses.length).toBe(tableSends[0].lookupTable!.addresses);
    firstTable = table;
    expectMoved(before, await holdings(), moved);
  }, 120_000);

  it("a second large transaction on the same obligation reuses the cached table", async () => {
    expect(firstTable).toBeDefined();
    const { instructions, moved } = await build(SECOND);
    const before = await holdings();
    const { progress, table } = await sendLarge(instructions);
    expect(progress.filter((p) => p.lookupTable?.step === "create")).toHaveLength(0);
    expect(progress.filter((p) => p.lookupTable?.step === "extend")).toHaveLength(0);
    expect(progress.filter((p) => p.lookupTable).map((p) => p.lookupTable!.step)).toEqual(["reuse"]);
    expect(table).toBe(firstTable);
    expect(progress.map((p) => p.stage)).toEqual(["building", "building", "signing", "sent", "confirmed"]);
    expectMoved(before, await holdings(), moved);
  }, 120_000);
});
