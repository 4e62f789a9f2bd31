// Reads the market from the chain: market, reserves, their oracles, the clock, an owner's
// obligation and token balances; and the local node's test faucet.
import { Buffer } from "buffer";
import { Connection, LAMPORTS_PER_SOL, PublicKey, SYSVAR_CLOCK_PUBKEY, type AccountInfo } from "@solana/web3.js";
import { getAssociatedTokenAddressSync, unpackAccount } from "@solana/spl-token";
import type { Deployment, ReserveConfig } from "./config";
import { decodeAccount } from "./accounts";
import { MARKET_OFFSET, OBLIGATION_SIZE, OWNER_OFFSET, RESERVE_SIZE, obligationPda } from "./program";
import type { OwnedObligation } from "./obligations";
import type { Common, ReserveIn } from "../wasm/api";
import type { ReserveKeys } from "./instructions";

export interface LoadedReserve {
  config: ReserveConfig;
  keys: ReserveKeys;
  /** The oracle the reserve account pins (`oracle.oracle_account`). */
  pinnedOracle: PublicKey;
  input: ReserveIn;
}

export interface MarketSnapshot {
  /** Chain clock (unix seconds) and slot at the read. */
  now: bigint;
  slot: bigint;
  /** The market account's data, base64. */
  market: string;
  reserves: LoadedReserve[];
  common: Common;
}

/** `Clock` sysvar: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp. */
export function decodeClock(data: Uint8Array): { slot: bigint; unixTimestamp: bigint } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { slot: view.getBigUint64(0, true), unixTimestamp: view.getBigInt64(32, true) };
}

const base64 = (data: Uint8Array) => Buffer.from(data).toString("base64");

function need<T>(info: AccountInfo<T> | null, what: string): AccountInfo<T> {
  if (!info) throw new Error(`${what} not found on chain`);
  return info;
}

export async function loadMarket(connection: Connection, deployment: Deployment): Promise<MarketSnapshot> {
  const market = new PublicKey(deployment.market);
  const reserveKeys = deployment.reserves.map((r) => new PublicKey(r.reserve));
  const oracleKeys = deployment.reserves.map((r) => new PublicKey(r.oracle));
  const infos = await connection.getMultipleAccountsInfo([SYSVAR_CLOCK_PUBKEY, market, ...reserveKeys, ...oracleKeys], "confirmed");
  const clock = decodeClock(need(infos[0], "Clock sysvar").data);
  const marketData = base64(need(infos[1], `market ${deployment.market}`).data);
  const reserves = deployment.reserves.map((config, i): LoadedReserve => {
    const info = need(infos[2 + i], `reserve ${config.symbol}`);
    const oracle = infos[2 + reserveKeys.length + i];
    return {
      config,
      keys: {
        reserve: reserveKeys[i],
        mint: new PublicKey(config.mint),
        vault: new PublicKey(config.vault),
        oracle: oracleKeys[i],
        tokenProgram: new PublicKey(config.tokenProgram),
      },
      pinnedOracle: (decodeAccount("reserve", info.data).oracle as { oracleAccount: PublicKey }).oracleAccount,
      input: {
        key: config.reserve,
        data: base64(info.data),
        oracle: oracle ? { key: config.oracle, owner: oracle.owner.toBase58(), data: base64(oracle.data) } : null,
      },
    };
  });
  return {
    now: clock.unixTimestamp,
    slot: clock.slot,
    market: marketData,
    reserves,
    common: { now: clock.unixTimestamp.toString(), reserves: reserves.map((r) => r.input), market: marketData, marketKey: deployment.market },
  };
}

export interface Wallet {
  owner: PublicKey;
  /** The selected obligation's number (0: `init_obligation`'s) and address. */
  obligationId: number;
  obligationKey: PublicKey;
  /** The selected obligation account's data (base64), or null when it does not exist yet. */
  obligation: string | null;
  /** Every obligation the owner has in the market, by number. */
  obligations: OwnedObligation[];
  lamports: bigint;
  /** Per reserve key: associated token account and its balance (null: no account). */
  tokens: Record<string, { ata: PublicKey; balance: bigint | null }>;
}

/**
 * The owner's obligations in the market, by number: `getProgramAccounts` with `dataSize` 1,104,
 * the market at offset 8 and the owner at 40.
 */
export async function loadOwnerObligations(connection: Connection, deployment: Deployment, owner: PublicKey): Promise<OwnedObligation[]> {
  const accounts = await connection.getProgramAccounts(new PublicKey(deployment.programId), {
    commitment: "confirmed",
    filters: [{ dataSize: OBLIGATION_SIZE }, { memcmp: { offset: MARKET_OFFSET, bytes: deployment.market } }, { memcmp: { offset: OWNER_OFFSET, bytes: owner.toBase58() } }],
  });
  return accounts
    .map(({ pubkey, account }) => ({ id: Number(decodeAccount("obligation", account.data).obligationId), key: pubkey.toBase58(), data: base64(account.data) }))
    .sort((a, b) => a.id - b.id);
}

/** The owner's SOL, token accounts and obligations, with obligation number `obligationId` selected. */
export async function loadWallet(connection: Connection, deployment: Deployment, snapshot: MarketSnapshot, owner: PublicKey, obligationId = 0): Promise<Wallet> {
  const programId = new PublicKey(deployment.programId);
  const obligationKey = obligationPda(programId, new PublicKey(deployment.market), owner, obligationId);
  const atas = snapshot.reserves.map((r) => getAssociatedTokenAddressSync(r.keys.mint, owner, true, r.keys.tokenProgram));
  const [infos, obligations] = await Promise.all([
    connection.getMultipleAccountsInfo([owner, obligationKey, ...atas], "confirmed"),
    loadOwnerObligations(connection, deployment, owner),
  ]);
  const tokens: Wallet["tokens"] = {};
  snapshot.reserves.forEach((r, i) => {
    const info = infos[2 + i];
    let balance: bigint | null = null;
    if (info) {
      try {
        balance = unpackAccount(atas[i], info, r.keys.tokenProgram).amount;
      } catch {
        balance = null;
      }
    }
    tokens[r.config.reserve] = { ata: atas[i], balance };
  });
  return {
    owner,
    obligationId,
    obligationKey,
    obligation: infos[1] ? base64(infos[1].data) : null,
    obligations,
    lamports: BigInt(infos[0]?.lamports ?? 0),
    tokens,
  };
}

/** Every obligation of the market: `dataSize` 1,104 and the market key at offset 8. */
export async function loadObligations(connection: Connection, deployment: Deployment): Promise<{ key: string; data: string }[]> {
  const accounts = await connection.getProgramAccounts(new PublicKey(deployment.programId), {
    commitment: "confirmed",
    filters: [{ dataSize: OBLIGATION_SIZE }, { memcmp: { offset: MARKET_OFFSET, bytes: deployment.market } }],
  });
  return accounts.map(({ pubkey, account }) => ({ key: pubkey.toBase58(), data: base64(account.data) }));
}

/**
 * A whole book at one read, for valuing every obligation (the Risk page): the market's reserves
 * and obligations with `getProgramAccounts` (reserves: `dataSize` 704 and the market at offset 8,
 * whether or not the deployment lists them), then the clock, the market and every reserve's
 * pinned oracle in one `getMultipleAccounts`.
 */
export async function loadBook(connection: Connection, deployment: Deployment): Promise<{ common: Common; obligations: { key: string; data: string }[] }> {
  const [found, obligations] = await Promise.all([
    connection.getProgramAccounts(new PublicKey(deployment.programId), {
      commitment: "confirmed",
      filters: [{ dataSize: RESERVE_SIZE }, { memcmp: { offset: MARKET_OFFSET, bytes: deployment.market } }],
    }),
    loadObligations(connection, deployment),
  ]);
  // The deployment's order first (the node's is arbitrary), then any reserve it does not list.
  const rank = (key: PublicKey) => {
    const i = deployment.reserves.findIndex((r) => r.reserve === key.toBase58());
    return i < 0 ? deployment.reserves.length : i;
  };
  const reserves = [...found].sort((a, b) => rank(a.pubkey) - rank(b.pubkey) || a.pubkey.toBase58().localeCompare(b.pubkey.toBase58()));
  const oracles = reserves.map(({ account }) => (decodeAccount("reserve", account.data).oracle as { oracleAccount: PublicKey }).oracleAccount);
  const infos = await connection.getMultipleAccountsInfo([SYSVAR_CLOCK_PUBKEY, new PublicKey(deployment.market), ...oracles], "confirmed");
  const clock = decodeClock(need(infos[0], "Clock sysvar").data);
  const market = base64(need(infos[1], `market ${deployment.market}`).data);
  const inputs: ReserveIn[] = reserves.map(({ pubkey, account }, i) => {
    const oracle = infos[2 + i];
    return {
      key: pubkey.toBase58(),
      data: base64(account.data),
      oracle: oracle ? { key: oracles[i].toBase58(), owner: oracle.owner.toBase58(), data: base64(oracle.data) } : null,
    };
  });
  return { common: { now: clock.unixTimestamp.toString(), reserves: inputs, market, marketKey: deployment.market }, obligations };
}

/**
 * The local validator's faucet, surfpool's `surfnet_setTokenAccount [owner, mint, {amount},
 * tokenProgram]`: it writes `amount` into the owner's associated token account (created if
 * missing), the address the instructions use.
 */
export async function fundTokenAccount(rpcUrl: string, owner: PublicKey, mint: PublicKey, tokenProgram: PublicKey, amount: bigint): Promise<PublicKey> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    // The amount is a JSON integer (u64): written as a literal so no precision is lost.
    body: `{"jsonrpc":"2.0","id":1,"method":"surfnet_setTokenAccount","params":["${owner.toBase58()}","${mint.toBase58()}",{"amount":${amount.toString()}},"${tokenProgram.toBase58()}"]}`,
  });
  const body = (await response.json()) as { error?: { message?: string } };
  if (body.error) throw new Error(body.error.message ?? "surfnet_setTokenAccount failed");
  return getAssociatedTokenAddressSync(mint, owner, true, tokenProgram);
}

/** Test SOL for fees, and `wholeTokens` of every reserve's token (local cluster only). */
export async function getTestTokens(connection: Connection, rpcUrl: string, snapshot: MarketSnapshot, owner: PublicKey, wholeTokens = 10_000n): Promise<void> {
  const airdrop = await connection.requestAirdrop(owner, 10 * LAMPORTS_PER_SOL);
  for (const r of snapshot.reserves) {
    const units = wholeTokens * 10n ** BigInt(r.config.decimals);
    const cap = 18446744073709551615n / 2n; // 18-decimal tokens: about 9.2 whole tokens
    await fundTokenAccount(rpcUrl, owner, r.keys.mint, r.keys.tokenProgram, units < cap ? units : cap);
  }
  // The airdrop is a transaction: wait for it the same way (polling).
  for (let i = 0; i < 50; i++) {
    const { value } = await connection.getSignatureStatuses([airdrop]);
    if (value[0]?.confirmationStatus === "confirmed" || value[0]?.confirmationStatus === "finalized") return;
    if (value[0]?.err) throw new Error("airdrop failed");
    await new Promise((r) => setTimeout(r, 300));
  }
}
