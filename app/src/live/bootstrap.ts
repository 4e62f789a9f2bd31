// A demo market on the local node (ballast-node's local-only methods), for the live test and
// for end-to-end tests until `ballast-migrate bootstrap` writes deployment.json: two mints
// (SOL-like, 9 decimals; USDC-like, 6), Pyth pull oracles written with `ballast_setAccount`,
// `init_market`, and `init_reserve` for each, all through the dApp's own client.
import { Buffer } from "buffer";
import BN from "bn.js";
import { Connection, Keypair, PublicKey, SystemProgram, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { MINT_SIZE, TOKEN_PROGRAM_ID, createInitializeMint2Instruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { ballastProgram, reservePda, vaultAuthorityPda, vaultPda } from "../client/program";
import { fundTokenAccount } from "../client/chain";
import { sendInstructions } from "../client/tx";
import type { Deployment } from "../client/config";

export const PYTH_RECEIVER = new PublicKey("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ");
const PRICE_UPDATE_V2_DISCRIMINATOR = [34, 241, 35, 99, 157, 126, 244, 205];

async function rpc<T>(rpcUrl: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await response.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** A fully verified `PriceUpdateV2`: `price * 10^exponent` USD, conf and EMA as given. */
export function priceUpdateV2(feedId: Uint8Array, price: bigint, conf: bigint, emaPrice: bigint, emaConf: bigint, exponent: number, publishTime: bigint): Buffer {
  const b = Buffer.alloc(134);
  let o = 0;
  b.set(PRICE_UPDATE_V2_DISCRIMINATOR, o);
  o += 8 + 32; // write authority: zero
  b.writeUInt8(1, o); // VerificationLevel::Full
  o += 1;
  b.set(feedId, o);
  o += 32;
  b.writeBigInt64LE(price, o);
  b.writeBigUInt64LE(conf, o + 8);
  b.writeInt32LE(exponent, o + 16);
  b.writeBigInt64LE(publishTime, o + 20);
  b.writeBigInt64LE(publishTime - 1n, o + 28);
  b.writeBigInt64LE(emaPrice, o + 36);
  b.writeBigUInt64LE(emaConf, o + 44);
  b.writeBigUInt64LE(1n, o + 52); // posted slot
  return b;
}

export async function nodeTime(rpcUrl: string): Promise<bigint> {
  return BigInt(await rpc<number>(rpcUrl, "getBlockTime", [0]));
}

/** Writes a pull oracle at `key` with `usd` (8 decimals), conf 0.05%, EMA equal to spot, published now. */
export async function setPrice(rpcUrl: string, key: PublicKey, feedId: Uint8Array, usd: number): Promise<void> {
  const price = BigInt(Math.round(usd * 1e8));
  const data = priceUpdateV2(feedId, price, price / 2000n, price, price / 2000n, -8, await nodeTime(rpcUrl));
  await rpc(rpcUrl, "ballast_setAccount", [key.toBase58(), { data: data.toString("base64"), owner: PYTH_RECEIVER.toBase58() }]);
}

async function send(connection: Connection, payer: Keypair, ixs: TransactionInstruction[], signers: Keypair[] = []): Promise<void> {
  const signer = {
    publicKey: payer.publicKey,
    signTransaction: async <T extends Transaction>(tx: T) => {
      tx.partialSign(payer, ...signers);
      return tx;
    },
  };
  const result = await sendInstructions(connection, signer, ixs, () => {});
  if (!result.ok) throw new Error(`bootstrap transaction failed: ${result.error?.message} ${result.error?.raw ?? ""}`);
}

export interface DemoAsset {
  symbol: string;
  decimals: number;
  usd: number;
  ltvBps: number;
  liquidationThresholdBps: number;
}

export const DEMO_ASSETS: DemoAsset[] = [
  { symbol: "SOL", decimals: 9, usd: 150, ltvBps: 7500, liquidationThresholdBps: 8000 },
  { symbol: "USDC", decimals: 6, usd: 1, ltvBps: 8500, liquidationThresholdBps: 9000 },
];

/** Bootstraps a market and returns its deployment.json (plus the oracles' feed ids). */
export async function bootstrapMarket(connection: Connection, rpcUrl: string, assets: DemoAsset[] = DEMO_ASSETS): Promise<{ deployment: Deployment; feeds: Record<string, Uint8Array>; authority: Keypair }> {
  const authority = Keypair.generate();
  await rpc(rpcUrl, "requestAirdrop", [authority.publicKey.toBase58(), 100e9]);
  const program = ballastProgram(connection);
  const marketKp = Keypair.generate();
  const market = marketKp.publicKey;
  const initMarket = await program.methods
    .initMarket([...Buffer.from("USD\0\0\0\0\0")], {
      closeFactorBps: 5000,
      fullLiquidationHealthFactorBps: 9500,
      targetHealthFactorBps: 11000,
      bonusRampBps: 1000,
      dustValueUsd: new BN("2000000000000000000"),
      maxPauseSecs: new BN(86400),
    })
    .accountsStrict({ authority: authority.publicKey, market, systemProgram: SystemProgram.programId })
    .instruction();
  await send(connection, authority, [initMarket], [marketKp]);

  const rent = await connection.getMinimumBalanceForRentExemption(MINT_SIZE);
  const feeds: Record<string, Uint8Array> = {};
  const reserves: Deployment["reserves"] = [];
  for (const asset of assets) {
    const mintKp = Keypair.generate();
    const mint = mintKp.publicKey;
    await send(
      connection,
      authority,
      [
        SystemProgram.createAccount({ fromPubkey: authority.publicKey, newAccountPubkey: mint, lamports: rent, space: MINT_SIZE, programId: TOKEN_PROGRAM_ID }),
        createInitializeMint2Instruction(mint, asset.decimals, authority.publicKey, null),
      ],
      [mintKp],
    );
    const oracle = Keypair.generate().publicKey;
    const feedId = Keypair.generate().publicKey.toBytes();
    feeds[asset.symbol] = feedId;
    await setPrice(rpcUrl, oracle, feedId, asset.usd);
    const seed = 10n ** BigInt(asset.decimals);
    await fundTokenAccount(connection, rpcUrl, authority.publicKey, mint, TOKEN_PROGRAM_ID, seed * 200_000n);
    const reserve = reservePda(program.programId, market, mint);
    const vault = vaultPda(program.programId, reserve);
    const ix = await program.methods
      .initReserve(
        {
          ltvBps: asset.ltvBps,
          liquidationThresholdBps: asset.liquidationThresholdBps,
          borrowFactorBps: 10000,
          minLiquidationBonusBps: 200,
          maxLiquidationBonusBps: 1000,
          protocolLiquidationFeeBps: 1000,
          protocolTakeRateBps: 1000,
          insuranceTakeRateBps: 500,
          supplyCap: new BN("18446744073709551615"),
          borrowCap: new BN("18446744073709551615"),
          curve: [
            { utilizationBps: 0, borrowRateBps: 0 },
            { utilizationBps: 8000, borrowRateBps: 800 },
            { utilizationBps: 10000, borrowRateBps: 10000 },
          ],
          oracleKind: 1,
          feedId: [...feedId],
          maxPriceAgeSecs: new BN(3600),
          maxConfidenceBps: 200,
          collateralValueCapUsd: new BN("18446744073709551615"),
          utilizationCeilingBps: 10000,
          haircutStartBps: 0,
          haircutEndBps: 1,
          maxHaircutBps: 0,
          maxEmaDeviationBps: 1000,
        },
        new BN((seed * 100_000n).toString()), // locked creation deposit: also the demo's lendable liquidity
      )
      .accountsStrict({
        authority: authority.publicKey,
        market,
        reserve,
        mint,
        vaultAuthority: vaultAuthorityPda(program.programId, reserve),
        vault,
        oracle,
        seedSource: getAssociatedTokenAddressSync(mint, authority.publicKey),
        tokenProgram: TOKEN_PROGRAM_ID,
        systemProgram: SystemProgram.programId,
      })
      .instruction();
    await send(connection, authority, [ix]);
    reserves.push({
      symbol: asset.symbol,
      mint: mint.toBase58(),
      decimals: asset.decimals,
      reserve: reserve.toBase58(),
      vault: vault.toBase58(),
      oracle: oracle.toBase58(),
      oracleKind: "pull",
      tokenProgram: TOKEN_PROGRAM_ID.toBase58(),
    });
  }
  return {
    deployment: {
      cluster: "localnet",
      rpcUrl,
      programId: program.programId.toBase58(),
      market: market.toBase58(),
      authority: authority.publicKey.toBase58(),
      quoteCurrency: "USD",
      reserves,
    },
    feeds,
    authority,
  };
}
