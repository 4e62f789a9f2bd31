// Unmodified standard clients against the local validator (scripts/node: surfpool, full JSON-RPC +
// websocket pubsub) with the sBPF program deployed: @coral-xyz/anchor 0.32 (`Program` over the
// committed IDL, `.rpc()` send-and-confirm, `account.<name>.fetch`, `EventParser`, `AnchorError`)
// and @solana/web3.js 1.99 (blockhash confirmation, signature/account/logs subscriptions on the
// RPC port + 1, default-encoded and parsed transactions, parsed token accounts, signature history).
// Only account ADDRESSES come from the dApp's helpers; every Ballast transaction is built and sent
// by anchor. Runs only when BALLAST_LIVE_RPC points at the node. Nothing here moves the clock,
// and "confirmed" needs slots to advance, so start it with the clock running:
//   BALLAST_SKIP_BUILD=1 bash scripts/node --rpc-port 8931 --ws-port 8932 &
//   BALLAST_MIGRATE=../target/debug/ballast-migrate BALLAST_LIVE_RPC=http://127.0.0.1:8931 npx vitest run src/live/conformance.test.ts
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import BN from "bn.js";
import { AnchorError, AnchorProvider, BorshCoder, EventParser, Program, Wallet, utils } from "@coral-xyz/anchor";
import {
  Connection,
  Keypair,
  PublicKey,
  SendTransactionError,
  type AccountInfo,
  type AccountMeta,
  type Context,
  type Logs,
  type ParsedInstruction,
  type PartiallyDecodedInstruction,
  type TokenBalance,
} from "@solana/web3.js";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import idlJson from "../idl/ballast.json";
import type { Ballast } from "../idl/ballast";
import { bootstrap, setPrice } from "./migrate";
import { getTestTokens, loadMarket } from "../client/chain";
import { obligationPda } from "../client/program";
import type { Deployment } from "../client/config";

const RPC = process.env.BALLAST_LIVE_RPC;
const SOL = 1_000_000_000n; // 9 decimals
const USDC = 1_000_000n; // 6 decimals

interface Keys {
  reserve: PublicKey;
  mint: PublicKey;
  vault: PublicKey;
  oracle: PublicKey;
  tokenProgram: PublicKey;
}

const bn = (n: bigint) => new BN(n.toString());
const big = (n: BN) => BigInt(n.toString());
/** A little-endian u128 stored as `[u8; 16]` (the zero-copy accounts' debt shares). */
const u128 = (bytes: number[]) => bytes.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something (websocket notifications arrive asynchronously). */
async function until<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

describe.skipIf(!RPC)("conformance: @coral-xyz/anchor 0.32 + @solana/web3.js 1.99 on the validator", () => {
  let connection: Connection;
  let deployment: Deployment;
  let deploymentPath: string;
  let programId: PublicKey;
  let market: PublicKey;
  let sol: Keys;
  let usdc: Keys;
  const user = Keypair.generate();
  const liquidator = Keypair.generate();
  let program: Program<Ballast>; // the user's wallet
  let liqProgram: Program<Ballast>; // the liquidator's wallet
  const listeners: { remove: () => Promise<void> }[] = [];
  const logsSeen: { logs: Logs; ctx: Context }[] = [];
  const obligationSeen: { info: AccountInfo<Buffer>; ctx: Context }[] = [];
  const sigs: Record<string, string> = {};

  const obligationOf = (owner: PublicKey) => obligationPda(programId, market, owner);
  const ata = (k: Keys, owner: PublicKey) => getAssociatedTokenAddressSync(k.mint, owner, true, k.tokenProgram);
  const tokenBalance = async (account: PublicKey) => BigInt((await connection.getTokenAccountBalance(account, "confirmed")).value.amount);
  const oracleOf = (reserve: PublicKey) => new PublicKey(deployment.reserves.find((r) => r.reserve === reserve.toBase58())!.oracle);
  /** Health accounts: a read-only (reserve, oracle) pair per position, in position order. */
  const health = (reserves: PublicKey[]): AccountMeta[] =>
    reserves.flatMap((reserve) => [
      { pubkey: reserve, isSigner: false, isWritable: false },
      { pubkey: oracleOf(reserve), isSigner: false, isWritable: false },
    ]);
  const positions = async (owner: PublicKey) => {
    const o = await program.account.obligation.fetch(obligationOf(owner));
    return o.positions.slice(0, o.positionCount);
  };
  const debtShares = async (owner: PublicKey, reserve: PublicKey) => u128((await positions(owner)).find((p) => p.reserve.equals(reserve))?.debtShares ?? []);
  /** The program's events in a transaction's logs, decoded by anchor's EventParser over a BorshCoder of the IDL. */
  const eventsIn = (logs: string[]) => [...new EventParser(programId, new BorshCoder(program.idl)).parseLogs(logs)];
  const txLogs = async (signature: string) => {
    const tx = await connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(tx?.meta?.err).toBeNull();
    return tx!.meta!.logMessages!;
  };
  const programFor = (kp: Keypair) =>
    new Program<Ballast>(
      { ...(idlJson as unknown as Ballast), address: programId.toBase58() },
      new AnchorProvider(connection, new Wallet(kp), { commitment: "confirmed", preflightCommitment: "confirmed" }),
    );

  beforeAll(async () => {
    connection = new Connection(RPC!, "confirmed"); // websocket: derived, RPC port + 1
    ({ deployment, path: deploymentPath } = bootstrap(RPC!));
    programId = new PublicKey(deployment.programId);
    market = new PublicKey(deployment.market);
    const keys = (symbol: string): Keys => {
      const r = deployment.reserves.find((x) => x.symbol === symbol)!;
      return { reserve: new PublicKey(r.reserve), mint: new PublicKey(r.mint), vault: new PublicKey(r.vault), oracle: new PublicKey(r.oracle), tokenProgram: new PublicKey(r.tokenProgram) };
    };
    sol = keys("SOL");
    usdc = keys("USDC");
    program = programFor(user);
    liqProgram = programFor(liquidator);
    expect(program.programId.equals(programId)).toBe(true);
    const snap = await loadMarket(connection, deployment);
    await getTestTokens(connection, RPC!, snap, user.publicKey); // 10,000 of each token
    await getTestTokens(connection, RPC!, snap, liquidator.publicKey);

    // Subscriptions first, so they see everything below.
    const logsId = connection.onLogs(programId, (logs, ctx) => logsSeen.push({ logs, ctx }), "confirmed");
    const accountId = connection.onAccountChange(obligationOf(user.publicKey), (info, ctx) => obligationSeen.push({ info, ctx }), { commitment: "confirmed" });
    listeners.push({ remove: () => connection.removeOnLogsListener(logsId) }, { remove: () => connection.removeAccountChangeListener(accountId) });
    await sleep(300); // let the subscriptions reach the server

    // Liquidity to borrow: the liquidator supplies 5,000 USDC (anchor, .rpc()).
    await liqProgram.methods.initObligation().accounts({ owner: liquidator.publicKey, market }).rpc();
    await liqProgram.methods
      .deposit(bn(5_000n * USDC))
      .accountsPartial({ owner: liquidator.publicKey, market, reserve: usdc.reserve, obligation: obligationOf(liquidator.publicKey), mint: usdc.mint, vault: usdc.vault, source: ata(usdc, liquidator.publicKey), tokenProgram: usdc.tokenProgram })
      .rpc();
  }, 180_000);

  afterAll(async () => {
    for (const l of listeners) await l.remove();
  });

  it("anchor .rpc(): init_obligation and deposit; fetch decodes both accounts; DepositEvent; onLogs and onAccountChange fire", async () => {
    sigs.init = await program.methods.initObligation().accounts({ owner: user.publicKey, market }).rpc();
    const created = await program.account.obligation.fetch(obligationOf(user.publicKey)); // the PDA anchor resolved is the app's
    expect(created.owner.equals(user.publicKey)).toBe(true);
    expect(created.market.equals(market)).toBe(true);
    expect(created.positionCount).toBe(0);

    const reserveBefore = await program.account.reserve.fetch(sol.reserve);
    const source = ata(sol, user.publicKey);
    const tokensBefore = await tokenBalance(source);
    // Only the accounts anchor cannot find itself: owner, market, mint, vault and token program come
    // from the IDL's relations (anchor fetches and decodes the obligation and the reserve).
    sigs.deposit = await program.methods
      .deposit(bn(10n * SOL))
      .accounts({ reserve: sol.reserve, obligation: obligationOf(user.publicKey), source })
      .rpc();
    expect(tokensBefore - (await tokenBalance(source))).toBe(10n * SOL);
    const reserveAfter = await program.account.reserve.fetch(sol.reserve);
    expect(big(reserveAfter.liquidity.availableLiquidity) - big(reserveBefore.liquidity.availableLiquidity)).toBe(10n * SOL);
    const [position] = await positions(user.publicKey);
    expect(position.reserve.equals(sol.reserve)).toBe(true);

    const [event] = eventsIn(await txLogs(sigs.deposit)).filter((e) => e.name === "depositEvent");
    expect((event.data.obligation as PublicKey).equals(obligationOf(user.publicKey))).toBe(true);
    expect(big(event.data.amount as BN)).toBe(10n * SOL);
    expect(big(event.data.supplySharesMinted as BN)).toBe(big(position.supplyShares));
    expect(big(event.data.supplySharesMinted as BN)).toBe(big(reserveAfter.liquidity.totalSupplyShares) - big(reserveBefore.liquidity.totalSupplyShares));

    // logsSubscribe (program filter): the deposit's logs, with the event in them.
    const seen = await until("onLogs for the deposit", () => logsSeen.find((l) => l.logs.signature === sigs.deposit));
    expect(seen.logs.err).toBeNull();
    expect(seen.logs.logs).toContain(`Program ${programId.toBase58()} success`);
    expect(eventsIn(seen.logs.logs).map((e) => e.name)).toContain("depositEvent");
    expect(logsSeen.some((l) => l.logs.signature === sigs.init)).toBe(true);
    // accountSubscribe on the obligation: its new state, decoded with anchor's coder.
    const update = await until("onAccountChange with the deposit", () =>
      obligationSeen.find((u) => program.coder.accounts.decode("obligation", u.info.data).positionCount === 1),
    );
    expect(update.info.owner.equals(programId)).toBe(true);
    const decoded = program.coder.accounts.decode("obligation", update.info.data);
    expect(big(decoded.positions[0].supplyShares)).toBe(big(position.supplyShares));
    expect(update.ctx.slot).toBeGreaterThanOrEqual(seen.ctx.slot);
  }, 60_000);

  it("web3.js: blockhash confirmTransaction, onSignature, getTransaction (default encoding), getParsedTransaction, parsed token accounts, signature history", async () => {
    // An anchor-built deposit, signed and sent by web3.js itself.
    const source = ata(sol, user.publicKey);
    const tx = await program.methods
      .deposit(bn(1n * SOL))
      .accountsPartial({ owner: user.publicKey, market, reserve: sol.reserve, obligation: obligationOf(user.publicKey), mint: sol.mint, vault: sol.vault, source, tokenProgram: sol.tokenProgram })
      .transaction();
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    tx.recentBlockhash = blockhash;
    tx.feePayer = user.publicKey;
    tx.sign(user);
    const signature = utils.bytes.bs58.encode(tx.signature!);
    let notified: { err: unknown; slot: number } | undefined;
    const sigId = connection.onSignature(signature, (result, ctx) => (notified = { err: result.err, slot: ctx.slot }), "confirmed");
    listeners.push({ remove: async () => (notified ? undefined : connection.removeSignatureListener(sigId)) }); // web3.js drops it once it fires
    await sleep(200);
    expect(await connection.sendRawTransaction(tx.serialize(), { preflightCommitment: "confirmed" })).toBe(signature);
    const confirmed = await connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, "confirmed");
    expect(confirmed.value.err).toBeNull();
    const fired = await until("onSignature", () => notified);
    expect(fired.err).toBeNull();
    sigs.raw = signature;

    // getTransaction, default (json) encoding.
    const got = await connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(got).not.toBeNull();
    expect(got!.slot).toBe(fired.slot);
    expect(got!.meta!.err).toBeNull();
    expect(got!.transaction.signatures[0]).toBe(signature);
    const keys = got!.transaction.message.getAccountKeys().staticAccountKeys.map((k) => k.toBase58());
    expect(keys).toContain(programId.toBase58());
    expect(got!.meta!.logMessages).toContain(`Program ${programId.toBase58()} success`);
    const amountAt = (balances: TokenBalance[] | null | undefined) => BigInt(balances!.find((b) => keys[b.accountIndex] === source.toBase58())!.uiTokenAmount.amount);
    expect(amountAt(got!.meta!.preTokenBalances) - amountAt(got!.meta!.postTokenBalances)).toBe(1n * SOL);
    expect(got!.meta!.fee).toBeGreaterThan(0);

    // getParsedTransaction: the Ballast instruction partially decoded (anchor's coder reads its data),
    // the vault transfer inside it parsed as SPL Token.
    const parsed = await connection.getParsedTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    const outer = parsed!.transaction.message.instructions[0] as PartiallyDecodedInstruction;
    expect(outer.programId.equals(programId)).toBe(true);
    const ix = new BorshCoder(program.idl).instruction.decode(outer.data, "base58");
    expect(ix?.name).toBe("deposit");
    expect(big((ix!.data as { amount: BN }).amount)).toBe(1n * SOL);
    const inner = parsed!.meta!.innerInstructions!.flatMap((i) => i.instructions) as ParsedInstruction[];
    const transfer = inner.find((i) => i.program?.startsWith("spl-token") && (i.parsed?.type === "transferChecked" || i.parsed?.type === "transfer"));
    expect(transfer, JSON.stringify(inner)).toBeDefined();
    const info = transfer!.parsed.info as { source: string; destination: string; amount?: string; tokenAmount?: { amount: string } };
    expect([info.source, info.destination]).toEqual([source.toBase58(), sol.vault.toBase58()]);
    expect(info.amount ?? info.tokenAmount?.amount).toBe((1n * SOL).toString());

    // getParsedTokenAccountsByOwner (jsonParsed): 10,000 SOL funded, 11 deposited.
    const accounts = await connection.getParsedTokenAccountsByOwner(user.publicKey, { mint: sol.mint }, "confirmed");
    expect(accounts.value.map((a) => a.pubkey.toBase58())).toEqual([source.toBase58()]);
    const tokenAmount = accounts.value[0].account.data.parsed.info.tokenAmount as { amount: string; decimals: number; uiAmountString: string };
    expect(tokenAmount).toMatchObject({ amount: (9_989n * SOL).toString(), decimals: 9, uiAmountString: "9989" });
    expect(accounts.value[0].account.data.parsed.info.owner).toBe(user.publicKey.toBase58());

    // getSignaturesForAddress: the obligation's history, newest first.
    const history = (await connection.getSignaturesForAddress(obligationOf(user.publicKey), undefined, "confirmed")).map((s) => s.signature);
    expect(history.indexOf(sigs.raw)).toBeGreaterThanOrEqual(0);
    expect(history.indexOf(sigs.raw)).toBeLessThan(history.indexOf(sigs.deposit));
    expect(history.indexOf(sigs.deposit)).toBeLessThan(history.indexOf(sigs.init));
  }, 60_000);

  it("anchor .rpc(): borrow; an over-borrow throws AnchorError naming InitialHealthNegative (preflight and landed)", async () => {
    const destination = ata(usdc, user.publicKey);
    const before = await tokenBalance(destination);
    const vaultBefore = (await program.account.reserve.fetch(usdc.reserve)).liquidity.availableLiquidity;
    const borrow = (amount: bigint) =>
      program.methods
        .borrow(bn(amount))
        .accountsPartial({ owner: user.publicKey, market, reserve: usdc.reserve, obligation: obligationOf(user.publicKey), mint: usdc.mint, vault: usdc.vault, destination, tokenProgram: usdc.tokenProgram })
        .remainingAccounts(health([sol.reserve, usdc.reserve])); // positions after the borrow
    // 11 SOL x $150 x 75% is about $1,237 of borrow power: 1,000 USDC fits.
    sigs.borrow = await borrow(1_000n * USDC).rpc();
    expect((await tokenBalance(destination)) - before).toBe(1_000n * USDC);
    const reserve = await program.account.reserve.fetch(usdc.reserve);
    expect(big(vaultBefore) - big(reserve.liquidity.availableLiquidity)).toBe(1_000n * USDC);
    const shares = await debtShares(user.publicKey, usdc.reserve);
    expect(shares).toBeGreaterThan(0n);
    const [event] = eventsIn(await txLogs(sigs.borrow)).filter((e) => e.name === "borrowEvent");
    expect(big(event.data.amount as BN)).toBe(1_000n * USDC);
    expect(BigInt((event.data.debtSharesAdded as BN).toString())).toBe(shares);
    expect(big(event.data.weightedCollateral as BN)).toBeGreaterThanOrEqual(big(event.data.weightedDebt as BN));

    // 2,000 USDC more is far beyond the limit: the simulation fails and anchor translates it.
    let err: unknown;
    await borrow(2_000n * USDC)
      .rpc()
      .catch((e: unknown) => (err = e));
    expect(err).toBeInstanceOf(AnchorError);
    const anchorErr = err as AnchorError;
    expect(anchorErr.error.errorCode).toEqual({ code: "InitialHealthNegative", number: 6032 });
    expect(anchorErr.program.equals(programId)).toBe(true);
    expect(anchorErr.logs.join("\n")).toMatch(/Error Code: InitialHealthNegative\. Error Number: 6032/);

    // The same transaction with preflight skipped lands as failed; its logs name the error.
    const failed = await borrow(2_000n * USDC).transaction();
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    failed.recentBlockhash = blockhash;
    failed.feePayer = user.publicKey;
    failed.sign(user);
    const signature = await connection.sendRawTransaction(failed.serialize(), { skipPreflight: true });
    const status = await connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, "confirmed");
    expect(status.value.err).toEqual({ InstructionError: [0, { Custom: 6032 }] });
    const landed = await connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(landed!.meta!.err).toEqual({ InstructionError: [0, { Custom: 6032 }] });
    expect(landed!.meta!.logMessages!.join("\n")).toContain("Error Code: InitialHealthNegative");
    // web3.js's own SendTransactionError fetches the same logs by signature.
    const sendErr = new SendTransactionError({ action: "send", signature, transactionMessage: "failed", logs: undefined });
    expect((await sendErr.getLogs(connection)).join("\n")).toContain("InitialHealthNegative");
    // Nothing moved.
    expect(await debtShares(user.publicKey, usdc.reserve)).toBe(shares);
    expect((await tokenBalance(destination)) - before).toBe(1_000n * USDC);
  }, 60_000);

  it("anchor .rpc(): repay and withdraw move the amounts; RepayEvent and WithdrawEvent", async () => {
    const usdcAta = ata(usdc, user.publicKey);
    const solAta = ata(sol, user.publicKey);
    const sharesBefore = await debtShares(user.publicKey, usdc.reserve);
    const usdcBefore = await tokenBalance(usdcAta);
    sigs.repay = await program.methods
      .repay(bn(100n * USDC))
      .accountsPartial({ payer: user.publicKey, market, reserve: usdc.reserve, obligation: obligationOf(user.publicKey), mint: usdc.mint, vault: usdc.vault, source: usdcAta, tokenProgram: usdc.tokenProgram })
      .rpc();
    expect(usdcBefore - (await tokenBalance(usdcAta))).toBe(100n * USDC);
    const repaid = eventsIn(await txLogs(sigs.repay)).find((e) => e.name === "repayEvent")!;
    expect(big(repaid.data.amount as BN)).toBe(100n * USDC);
    expect((repaid.data.payer as PublicKey).equals(user.publicKey)).toBe(true);
    expect(sharesBefore - (await debtShares(user.publicKey, usdc.reserve))).toBe(big(repaid.data.debtSharesBurned as BN));

    const supplyBefore = big((await positions(user.publicKey))[0].supplyShares);
    const solBefore = await tokenBalance(solAta);
    sigs.withdraw = await program.methods
      .withdraw(bn(2n * SOL))
      .accountsPartial({ owner: user.publicKey, market, reserve: sol.reserve, obligation: obligationOf(user.publicKey), mint: sol.mint, vault: sol.vault, destination: solAta, tokenProgram: sol.tokenProgram })
      .remainingAccounts(health([sol.reserve, usdc.reserve]))
      .rpc();
    expect((await tokenBalance(solAta)) - solBefore).toBe(2n * SOL);
    const withdrawn = eventsIn(await txLogs(sigs.withdraw)).find((e) => e.name === "withdrawEvent")!;
    expect(big(withdrawn.data.amount as BN)).toBe(2n * SOL);
    expect(supplyBefore - big((await positions(user.publicKey))[0].supplyShares)).toBe(big(withdrawn.data.supplySharesBurned as BN));
  }, 60_000);

  it("anchor .rpc(): after a price drop a second wallet liquidates; LiquidateEvent matches the balances", async () => {
    // 9 SOL collateral, ~900 USDC debt: at $120, 9 x 120 x 80% = $864 of maintenance value < debt.
    setPrice(RPC!, deploymentPath, "SOL", 120);
    const repayAmount = 50n * USDC;
    const repaySource = ata(usdc, liquidator.publicKey);
    const collateralDestination = ata(sol, liquidator.publicKey);
    const [usdcBefore, solBefore] = [await tokenBalance(repaySource), await tokenBalance(collateralDestination)];
    const sharesBefore = await debtShares(user.publicKey, usdc.reserve);
    const order = (await positions(user.publicKey)).map((p) => p.reserve);
    expect(order).toEqual([sol.reserve, usdc.reserve]);

    // The owner cannot liquidate itself: SelfLiquidation, from anchor's error translation.
    const liquidate = (p: Program<Ballast>, who: PublicKey) =>
      p.methods
        .liquidate(bn(repayAmount), bn(1n), false)
        .accountsPartial({
          liquidator: who,
          market,
          obligation: obligationOf(user.publicKey),
          repayReserve: usdc.reserve,
          repayMint: usdc.mint,
          repayVault: usdc.vault,
          repaySource: ata(usdc, who),
          collateralReserve: sol.reserve,
          collateralMint: sol.mint,
          collateralVault: sol.vault,
          collateralDestination: ata(sol, who),
          repayTokenProgram: usdc.tokenProgram,
          collateralTokenProgram: sol.tokenProgram,
          liquidatorObligation: null,
        })
        .remainingAccounts(health(order));
    const self = await liquidate(program, user.publicKey)
      .rpc()
      .then(() => undefined, (e: unknown) => e);
    expect(self).toBeInstanceOf(AnchorError);
    expect((self as AnchorError).error.errorCode.code).toBe("SelfLiquidation");

    sigs.liquidate = await liquidate(liqProgram, liquidator.publicKey).rpc();
    const event = eventsIn(await txLogs(sigs.liquidate)).find((e) => e.name === "liquidateEvent")!;
    expect(event).toBeDefined();
    const d = event.data as Record<string, BN | PublicKey | number>;
    expect(big(d.repayAmount as BN)).toBe(repayAmount);
    expect((d.obligation as PublicKey).equals(obligationOf(user.publicKey))).toBe(true);
    expect((d.liquidator as PublicKey).equals(liquidator.publicKey)).toBe(true);
    expect((d.repayReserve as PublicKey).equals(usdc.reserve)).toBe(true);
    expect((d.collateralReserve as PublicKey).equals(sol.reserve)).toBe(true);
    expect(big(d.weightedCollateralBefore as BN)).toBeLessThan(big(d.weightedDebtBefore as BN)); // it was unhealthy
    expect([big(d.debtPrice as BN), big(d.collateralPrice as BN)]).toEqual([10n ** 18n, 120n * 10n ** 18n]); // spot prices, Wads
    // The balances moved by the event's amounts: the repay out of USDC, the collateral into SOL.
    expect(usdcBefore - (await tokenBalance(repaySource))).toBe(repayAmount);
    const received = (await tokenBalance(collateralDestination)) - solBefore;
    expect(received).toBe(big(d.collateralToLiquidator as BN));
    // 50 USDC plus a bonus at $120 a SOL: a bit over 0.4167 SOL.
    expect(received).toBeGreaterThan((repayAmount * 1000n * SOL) / (120n * USDC) / 1000n);
    expect(received).toBeLessThan((repayAmount * 11n * SOL) / (120n * USDC * 10n));
    expect(sharesBefore).toBeGreaterThan(await debtShares(user.publicKey, usdc.reserve));
    // The liquidator's obligation was not touched (tokens, not shares).
    const liqObligation = await liqProgram.account.obligation.fetch(obligationOf(liquidator.publicKey));
    expect(liqObligation.positionCount).toBe(1);
    // onLogs saw it too.
    await until("onLogs for the liquidation", () => logsSeen.find((l) => l.logs.signature === sigs.liquidate));
  }, 60_000);
});
