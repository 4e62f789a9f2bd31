// Instruction builders with the account lists the program expects (as
// crates/ballast-client/src/instructions.rs): the IDL's accounts in order, then, for borrow,
// withdraw and liquidate, one read-only (reserve, oracle) pair per position ("health accounts").
import BN from "bn.js";
import { PublicKey, SystemProgram, TransactionInstruction, type AccountMeta } from "@solana/web3.js";
import { createAssociatedTokenAccountIdempotentInstruction } from "@solana/spl-token";
import type { Program } from "@anchor-lang/core";
import type { Ballast } from "../idl/ballast";
import { obligationPda, vaultAuthorityPda } from "./program";

export interface ReserveKeys {
  reserve: PublicKey;
  mint: PublicKey;
  vault: PublicKey;
  oracle: PublicKey;
  tokenProgram: PublicKey;
}

/** One read-only (reserve, oracle) pair per position, in position order. */
export function healthAccountMetas(pairs: { reserve: PublicKey; oracle: PublicKey }[]): AccountMeta[] {
  return pairs.flatMap(({ reserve, oracle }) => [
    { pubkey: reserve, isSigner: false, isWritable: false },
    { pubkey: oracle, isSigner: false, isWritable: false },
  ]);
}

const bn = (amount: bigint | string) => new BN(amount.toString(), 10);

export class Instructions {
  constructor(
    readonly program: Program<Ballast>,
    readonly market: PublicKey,
  ) {}

  get programId(): PublicKey {
    return this.program.programId;
  }

  obligation(owner: PublicKey): PublicKey {
    return obligationPda(this.programId, this.market, owner);
  }

  initObligation(owner: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .initObligation()
      .accountsStrict({ owner, market: this.market, obligation: this.obligation(owner), systemProgram: SystemProgram.programId })
      .instruction();
  }

  deposit(owner: PublicKey, keys: ReserveKeys, source: PublicKey, amount: bigint | string): Promise<TransactionInstruction> {
    return this.program.methods
      .deposit(bn(amount))
      .accountsStrict({
        owner,
        market: this.market,
        reserve: keys.reserve,
        obligation: this.obligation(owner),
        mint: keys.mint,
        vault: keys.vault,
        source,
        tokenProgram: keys.tokenProgram,
      })
      .instruction();
  }

  /** `health`: the obligation's positions after the withdraw. */
  withdraw(
    owner: PublicKey,
    keys: ReserveKeys,
    destination: PublicKey,
    amount: bigint | string,
    health: { reserve: PublicKey; oracle: PublicKey }[],
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .withdraw(bn(amount))
      .accountsStrict({
        owner,
        market: this.market,
        reserve: keys.reserve,
        obligation: this.obligation(owner),
        mint: keys.mint,
        vault: keys.vault,
        vaultAuthority: vaultAuthorityPda(this.programId, keys.reserve),
        destination,
        tokenProgram: keys.tokenProgram,
      })
      .remainingAccounts(healthAccountMetas(health))
      .instruction();
  }

  /** `health`: the obligation's positions after the borrow. */
  borrow(
    owner: PublicKey,
    keys: ReserveKeys,
    destination: PublicKey,
    amount: bigint | string,
    health: { reserve: PublicKey; oracle: PublicKey }[],
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .borrow(bn(amount))
      .accountsStrict({
        owner,
        market: this.market,
        reserve: keys.reserve,
        obligation: this.obligation(owner),
        mint: keys.mint,
        vault: keys.vault,
        vaultAuthority: vaultAuthorityPda(this.programId, keys.reserve),
        destination,
        tokenProgram: keys.tokenProgram,
      })
      .remainingAccounts(healthAccountMetas(health))
      .instruction();
  }

  repay(payer: PublicKey, keys: ReserveKeys, obligation: PublicKey, source: PublicKey, amount: bigint | string): Promise<TransactionInstruction> {
    return this.program.methods
      .repay(bn(amount))
      .accountsStrict({
        payer,
        market: this.market,
        reserve: keys.reserve,
        obligation,
        mint: keys.mint,
        vault: keys.vault,
        source,
        tokenProgram: keys.tokenProgram,
      })
      .instruction();
  }

  /**
   * Starts the Dutch auction's clock on a liquidatable obligation, or stops it on a healthy one.
   * `health`: every position of the obligation when it runs.
   */
  markLiquidatable(obligation: PublicKey, health: { reserve: PublicKey; oracle: PublicKey }[]): Promise<TransactionInstruction> {
    return this.program.methods
      .markLiquidatable()
      .accountsStrict({ market: this.market, obligation })
      .remainingAccounts(healthAccountMetas(health))
      .instruction();
  }

  /**
   * `health`: the obligation's positions before the liquidation. `receiveShares`: take the
   * collateral as supply shares credited to the liquidator's own obligation (no token leaves the
   * vault, so it lands when the vault's liquidity is all borrowed); otherwise as tokens.
   */
  liquidate(
    liquidator: PublicKey,
    obligation: PublicKey,
    repay: ReserveKeys,
    repaySource: PublicKey,
    collateral: ReserveKeys,
    collateralDestination: PublicKey,
    repayAmount: bigint | string,
    minCollateralOut: bigint | string,
    health: { reserve: PublicKey; oracle: PublicKey }[],
    receiveShares = false,
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .liquidate(bn(repayAmount), bn(minCollateralOut), receiveShares)
      .accountsStrict({
        liquidator,
        market: this.market,
        obligation,
        repayReserve: repay.reserve,
        repayMint: repay.mint,
        repayVault: repay.vault,
        repaySource,
        collateralReserve: collateral.reserve,
        collateralMint: collateral.mint,
        collateralVault: collateral.vault,
        collateralVaultAuthority: vaultAuthorityPda(this.programId, collateral.reserve),
        collateralDestination,
        repayTokenProgram: repay.tokenProgram,
        collateralTokenProgram: collateral.tokenProgram,
        liquidatorObligation: receiveShares ? obligationPda(this.programId, this.market, liquidator) : null,
      })
      .remainingAccounts(healthAccountMetas(health))
      .instruction();
  }
}

/**
 * Whether a deposit or repay should also stop the obligation's Dutch-auction clock: it runs, and
 * the action leaves the obligation healthy (the wasm's preview). The program stops a clock only
 * on a proof of health, which a deposit or repay (no price read) is not; without this, the next
 * dip's auction would start part way.
 */
export function curesAuctionClock(liquidatableSinceTs: string | undefined, maintenanceAfterHealthy: boolean | undefined): boolean {
  return liquidatableSinceTs !== undefined && liquidatableSinceTs !== "0" && maintenanceAfterHealthy === true;
}

export type UserActionKind = "deposit" | "withdraw" | "borrow" | "repay";

/** One user action of a transaction, on the signer's own obligation. */
export interface UserAction {
  kind: UserActionKind;
  keys: ReserveKeys;
  /** The signer's token account for the reserve's mint: the source (deposit, repay) or the destination (withdraw, borrow). */
  tokenAccount: PublicKey;
  amount: bigint | string;
  /** Withdraw and borrow: the obligation's positions after this action, in position order. */
  health: { reserve: PublicKey; oracle: PublicKey }[];
}

/**
 * One transaction's instructions for `actions`, in their order: `init_obligation` first when the
 * signer has no obligation yet; before a withdraw or borrow, its destination token account
 * (created if missing, idempotent).
 */
export async function userActionInstructions(
  ix: Instructions,
  owner: PublicKey,
  actions: UserAction[],
  { createObligation }: { createObligation: boolean },
): Promise<TransactionInstruction[]> {
  const out: TransactionInstruction[] = [];
  if (createObligation) out.push(await ix.initObligation(owner));
  for (const { kind, keys, tokenAccount, amount, health } of actions) {
    if (kind === "deposit") out.push(await ix.deposit(owner, keys, tokenAccount, amount));
    if (kind === "repay") out.push(await ix.repay(owner, keys, ix.obligation(owner), tokenAccount, amount));
    if (kind === "withdraw" || kind === "borrow") {
      out.push(createAssociatedTokenAccountIdempotentInstruction(owner, tokenAccount, owner, keys.mint, keys.tokenProgram));
      const build = kind === "withdraw" ? ix.withdraw.bind(ix) : ix.borrow.bind(ix);
      out.push(await build(owner, keys, tokenAccount, amount, health));
    }
  }
  return out;
}

/**
 * Each of `count` actions' health accounts (reserve keys) from the wasm preview's steps: the
 * positions after that action. An action the preview did not run (after a rejected one) takes
 * the positions where the last run one ended; without steps, every action takes `current`.
 */
export function healthAccountsPerAction(steps: { healthAccounts: string[] }[] | undefined, count: number, current: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < count; i++) out.push(steps?.[i]?.healthAccounts ?? out[i - 1] ?? current);
  return out;
}
