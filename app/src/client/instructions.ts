// Instruction builders with the account lists the program expects (as
// crates/ballast-client/src/instructions.rs): the IDL's accounts in order, then, for borrow,
// withdraw and liquidate, one read-only (reserve, oracle) pair per position ("health accounts").
import BN from "bn.js";
import { PublicKey, SystemProgram, SYSVAR_INSTRUCTIONS_PUBKEY, TransactionInstruction, type AccountMeta } from "@solana/web3.js";
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

  /** The owner's obligation number `id` (0, the default: `init_obligation`'s). */
  obligation(owner: PublicKey, id = 0): PublicKey {
    return obligationPda(this.programId, this.market, owner, id);
  }

  initObligation(owner: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .initObligation()
      .accountsStrict({ owner, market: this.market, obligation: this.obligation(owner), systemProgram: SystemProgram.programId })
      .instruction();
  }

  /** The owner's further obligation number `id` (1 to 255). */
  initSubObligation(owner: PublicKey, id: number): Promise<TransactionInstruction> {
    return this.program.methods
      .initSubObligation(id)
      .accountsStrict({ owner, market: this.market, obligation: this.obligation(owner, id), systemProgram: SystemProgram.programId })
      .instruction();
  }

  /** Opens obligation number `id`: `init_obligation` for 0, `init_sub_obligation` otherwise. */
  openObligation(owner: PublicKey, id = 0): Promise<TransactionInstruction> {
    return id === 0 ? this.initObligation(owner) : this.initSubObligation(owner, id);
  }

  /** Closes an obligation with no positions (any number); its rent goes back to the owner. */
  closeObligation(owner: PublicKey, obligation: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.closeObligation().accountsStrict({ owner, obligation }).instruction();
  }

  /**
   * Makes the deposit in `reserve` count as collateral or not. `health`: every position of the
   * obligation (turning collateral off with debt checks initial health).
   */
  setCollateral(
    owner: PublicKey,
    obligation: PublicKey,
    reserve: PublicKey,
    collateral: boolean,
    health: { reserve: PublicKey; oracle: PublicKey }[],
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .setCollateral(reserve, collateral)
      .accountsStrict({ owner, market: this.market, obligation })
      .remainingAccounts(healthAccountMetas(health))
      .instruction();
  }

  /** Lends `amount` of the reserve until the `flash_repay` of the same amount later in the transaction. */
  flashBorrow(user: PublicKey, keys: ReserveKeys, destination: PublicKey, amount: bigint | string): Promise<TransactionInstruction> {
    return this.program.methods
      .flashBorrow(bn(amount))
      .accountsStrict({
        user,
        market: this.market,
        reserve: keys.reserve,
        mint: keys.mint,
        vault: keys.vault,
        vaultAuthority: vaultAuthorityPda(this.programId, keys.reserve),
        destination,
        tokenProgram: keys.tokenProgram,
        instructions: SYSVAR_INSTRUCTIONS_PUBKEY,
      })
      .instruction();
  }

  /** Repays the open flash loan of `amount`: `source` pays `amount` plus the reserve's fee. */
  flashRepay(user: PublicKey, keys: ReserveKeys, source: PublicKey, amount: bigint | string): Promise<TransactionInstruction> {
    return this.program.methods
      .flashRepay(bn(amount))
      .accountsStrict({
        user,
        market: this.market,
        reserve: keys.reserve,
        mint: keys.mint,
        vault: keys.vault,
        source,
        tokenProgram: keys.tokenProgram,
        instructions: SYSVAR_INSTRUCTIONS_PUBKEY,
      })
      .instruction();
  }

  /** `obligation`: the obligation acted on (default: the owner's number 0). */
  deposit(owner: PublicKey, keys: ReserveKeys, source: PublicKey, amount: bigint | string, obligation = this.obligation(owner)): Promise<TransactionInstruction> {
    return this.program.methods
      .deposit(bn(amount))
      .accountsStrict({
        owner,
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

  /** `health`: the obligation's positions after the withdraw; `obligation`: default number 0. */
  withdraw(
    owner: PublicKey,
    keys: ReserveKeys,
    destination: PublicKey,
    amount: bigint | string,
    health: { reserve: PublicKey; oracle: PublicKey }[],
    obligation = this.obligation(owner),
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .withdraw(bn(amount))
      .accountsStrict({
        owner,
        market: this.market,
        reserve: keys.reserve,
        obligation,
        mint: keys.mint,
        vault: keys.vault,
        vaultAuthority: vaultAuthorityPda(this.programId, keys.reserve),
        destination,
        tokenProgram: keys.tokenProgram,
      })
      .remainingAccounts(healthAccountMetas(health))
      .instruction();
  }

  /** `health`: the obligation's positions after the borrow; `obligation`: default number 0. */
  borrow(
    owner: PublicKey,
    keys: ReserveKeys,
    destination: PublicKey,
    amount: bigint | string,
    health: { reserve: PublicKey; oracle: PublicKey }[],
    obligation = this.obligation(owner),
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .borrow(bn(amount))
      .accountsStrict({
        owner,
        market: this.market,
        reserve: keys.reserve,
        obligation,
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

/** Which obligation a transaction acts on, and whether it must be opened first. */
export interface ObligationTarget {
  /** The owner's obligation number (0: `init_obligation`'s). */
  id?: number;
  /** The obligation does not exist yet: open it first (`init_obligation` or `init_sub_obligation`). */
  createObligation: boolean;
}

/**
 * One transaction's instructions for `actions`, in their order, on the owner's obligation number
 * `id` (default 0): opening it first when it does not exist yet; before a withdraw or borrow, its
 * destination token account (created if missing, idempotent).
 */
export async function userActionInstructions(ix: Instructions, owner: PublicKey, actions: UserAction[], { id = 0, createObligation }: ObligationTarget): Promise<TransactionInstruction[]> {
  const out: TransactionInstruction[] = [];
  const obligation = ix.obligation(owner, id);
  if (createObligation) out.push(await ix.openObligation(owner, id));
  for (const { kind, keys, tokenAccount, amount, health } of actions) {
    if (kind === "deposit") out.push(await ix.deposit(owner, keys, tokenAccount, amount, obligation));
    if (kind === "repay") out.push(await ix.repay(owner, keys, obligation, tokenAccount, amount));
    if (kind === "withdraw" || kind === "borrow") {
      out.push(createAssociatedTokenAccountIdempotentInstruction(owner, tokenAccount, owner, keys.mint, keys.tokenProgram));
      const build = kind === "withdraw" ? ix.withdraw.bind(ix) : ix.borrow.bind(ix);
      out.push(await build(owner, keys, tokenAccount, amount, health, obligation));
    }
  }
  return out;
}

/** Repay a debt out of the deposit in the same reserve, in one transaction. */
export interface RepayWithCollateral {
  keys: ReserveKeys;
  /** The owner's token account for the reserve's mint (receives the loan and the withdraw, pays the repay and the loan back). */
  tokenAccount: PublicKey;
  /** The flash loan: what the repay takes. */
  loan: bigint | string;
  /** The repay's amount (u64::MAX: the whole debt). */
  repay: bigint | string;
  /** The withdraw's amount: the loan plus the reserve's flash-loan fee (the wasm's preview). */
  withdraw: bigint | string;
  /** The withdraw's health accounts: the positions after it. */
  health: { reserve: PublicKey; oracle: PublicKey }[];
}

/**
 * flash_borrow(loan) → repay → withdraw(loan + fee) → flash_repay(loan), with the token account
 * created first if missing: the deposit pays the debt, the wallet only passes the tokens through.
 */
export async function repayWithCollateralInstructions(ix: Instructions, owner: PublicKey, obligation: PublicKey, r: RepayWithCollateral): Promise<TransactionInstruction[]> {
  return [
    createAssociatedTokenAccountIdempotentInstruction(owner, r.tokenAccount, owner, r.keys.mint, r.keys.tokenProgram),
    await ix.flashBorrow(owner, r.keys, r.tokenAccount, r.loan),
    await ix.repay(owner, r.keys, obligation, r.tokenAccount, r.repay),
    await ix.withdraw(owner, r.keys, r.tokenAccount, r.withdraw, r.health, obligation),
    await ix.flashRepay(owner, r.keys, r.tokenAccount, r.loan),
  ];
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
