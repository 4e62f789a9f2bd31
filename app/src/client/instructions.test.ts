import { describe, expect, it } from "vitest";
import { Connection, Keypair, PublicKey, SystemProgram, SYSVAR_INSTRUCTIONS_PUBKEY } from "@solana/web3.js";
import idl from "../idl/ballast.json";
import { ballastProgram, obligationPda, vaultAuthorityPda, reservePda, vaultPda } from "./program";
import { curesAuctionClock, Instructions, type ReserveKeys } from "./instructions";

interface IdlAccount {
  name: string;
  writable?: boolean;
  signer?: boolean;
  optional?: boolean;
  address?: string;
}
interface IdlIx {
  name: string;
  discriminator: number[];
  accounts: IdlAccount[];
}
const IX = (idl as unknown as { instructions: IdlIx[] }).instructions;
const idlIx = (name: string) => IX.find((i) => i.name === name)!;

const connection = new Connection("http://127.0.0.1:1");
const program = ballastProgram(connection);
const programId = program.programId;
const market = Keypair.generate().publicKey;
const ix = new Instructions(program, market);
const owner = Keypair.generate().publicKey;

function reserveKeys(): ReserveKeys {
  const mint = Keypair.generate().publicKey;
  const reserve = reservePda(programId, market, mint);
  return { reserve, mint, vault: vaultPda(programId, reserve), oracle: Keypair.generate().publicKey, tokenProgram: new PublicKey("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA") };
}

/** The instruction's metas match the IDL's account list (order, signer, writable), then `health`. */
function expectMatchesIdl(
  name: string,
  built: { keys: { pubkey: PublicKey; isSigner: boolean; isWritable: boolean }[]; data: Buffer; programId: PublicKey },
  expected: Record<string, PublicKey>,
  health: { reserve: PublicKey; oracle: PublicKey }[] = [],
) {
  const spec = idlIx(name);
  expect(built.programId.equals(programId)).toBe(true);
  expect(Array.from(built.data.subarray(0, 8))).toEqual(spec.discriminator);
  expect(built.keys.length).toBe(spec.accounts.length + 2 * health.length);
  spec.accounts.forEach((account, i) => {
    const meta = built.keys[i];
    expect(meta.pubkey.toBase58(), `${name}.${account.name}`).toBe(expected[account.name].toBase58());
    expect(meta.isSigner, `${name}.${account.name} signer`).toBe(!!account.signer);
    // An optional account left out is the program id, read-only (Anchor's convention).
    const omitted = !!account.optional && expected[account.name].equals(programId);
    expect(meta.isWritable, `${name}.${account.name} writable`).toBe(!!account.writable && !omitted);
  });
  health.forEach((pair, i) => {
    const [r, o] = [built.keys[spec.accounts.length + 2 * i], built.keys[spec.accounts.length + 2 * i + 1]];
    expect(r.pubkey.equals(pair.reserve) && o.pubkey.equals(pair.oracle)).toBe(true);
    expect(r.isWritable || o.isWritable || r.isSigner || o.isSigner).toBe(false);
  });
}

const u64le = (data: Buffer, offset: number) => data.readBigUInt64LE(offset);

describe("instruction builders follow the IDL", () => {
  const k = reserveKeys();
  const other = reserveKeys();
  const source = Keypair.generate().publicKey;
  const health = [
    { reserve: k.reserve, oracle: k.oracle },
    { reserve: other.reserve, oracle: other.oracle },
  ];
  const obligation = obligationPda(programId, market, owner);

  it("init_obligation", async () => {
    expectMatchesIdl("init_obligation", await ix.initObligation(owner), { owner, market, obligation, system_program: SystemProgram.programId });
  });

  it("deposit", async () => {
    const built = await ix.deposit(owner, k, source, 1_500_000_000n);
    expectMatchesIdl("deposit", built, { owner, market, reserve: k.reserve, obligation, mint: k.mint, vault: k.vault, source, token_program: k.tokenProgram });
    expect(u64le(built.data, 8)).toBe(1_500_000_000n);
  });

  it("withdraw and borrow carry the health accounts after the action", async () => {
    const common = { owner, market, reserve: k.reserve, obligation, mint: k.mint, vault: k.vault, vault_authority: vaultAuthorityPda(programId, k.reserve), destination: source, token_program: k.tokenProgram };
    const w = await ix.withdraw(owner, k, source, "18446744073709551615", health);
    expectMatchesIdl("withdraw", w, common, health);
    expect(u64le(w.data, 8)).toBe(18446744073709551615n);
    expectMatchesIdl("borrow", await ix.borrow(owner, k, source, 7n, health), common, health);
  });

  it("repay", async () => {
    const payer = Keypair.generate().publicKey;
    expectMatchesIdl("repay", await ix.repay(payer, k, obligation, source, 42n), { payer, market, reserve: k.reserve, obligation, mint: k.mint, vault: k.vault, source, token_program: k.tokenProgram });
  });

  it("mark_liquidatable carries every position", async () => {
    expectMatchesIdl("mark_liquidatable", await ix.markLiquidatable(obligation, health), { market, obligation }, health);
  });

  it("a deposit or repay stops the auction's clock only when it runs and the action cures", () => {
    expect(curesAuctionClock("1700000000", true)).toBe(true);
    expect(curesAuctionClock("1700000000", false)).toBe(false);
    expect(curesAuctionClock("0", true)).toBe(false);
    expect(curesAuctionClock(undefined, true)).toBe(false);
    expect(curesAuctionClock("1700000000", undefined)).toBe(false);
  });

  it("liquidate: fixed accounts, then the positions before", async () => {
    const liquidator = Keypair.generate().publicKey;
    const dest = Keypair.generate().publicKey;
    const built = await ix.liquidate(liquidator, obligation, k, source, other, dest, 1000n, 990n, health);
    expectMatchesIdl(
      "liquidate",
      built,
      {
        liquidator,
        market,
        obligation,
        repay_reserve: k.reserve,
        repay_mint: k.mint,
        repay_vault: k.vault,
        repay_source: source,
        collateral_reserve: other.reserve,
        collateral_mint: other.mint,
        collateral_vault: other.vault,
        collateral_vault_authority: vaultAuthorityPda(programId, other.reserve),
        collateral_destination: dest,
        repay_token_program: k.tokenProgram,
        collateral_token_program: other.tokenProgram,
        liquidator_obligation: programId,
      },
      health,
    );
    expect([u64le(built.data, 8), u64le(built.data, 16), built.data[24]]).toEqual([1000n, 990n, 0]);
    const shares = await ix.liquidate(liquidator, obligation, k, source, other, dest, 1000n, 990n, health, true);
    const receiver = shares.keys[14];
    expect(receiver.pubkey.equals(obligationPda(programId, market, liquidator)) && receiver.isWritable).toBe(true);
    expect(shares.data[24]).toBe(1);
  });

  it("PDAs use the program's seeds", () => {
    const [expected] = PublicKey.findProgramAddressSync([Buffer.from("obligation"), market.toBuffer(), owner.toBuffer()], programId);
    expect(obligation.equals(expected)).toBe(true);
    // Number 0 is init_obligation's PDA; 1 to 255 end with the number.
    expect(obligationPda(programId, market, owner, 0).equals(expected)).toBe(true);
    const [seven] = PublicKey.findProgramAddressSync([Buffer.from("obligation"), market.toBuffer(), owner.toBuffer(), Buffer.from([7])], programId);
    expect(obligationPda(programId, market, owner, 7).equals(seven)).toBe(true);
    expect(ix.obligation(owner, 7).equals(seven)).toBe(true);
    expect(() => obligationPda(programId, market, owner, 256)).toThrow();
  });

  it("init_sub_obligation: the numbered PDA, the number as a u8", async () => {
    const sub = obligationPda(programId, market, owner, 3);
    const built = await ix.initSubObligation(owner, 3);
    expectMatchesIdl("init_sub_obligation", built, { owner, market, obligation: sub, system_program: SystemProgram.programId });
    expect([built.data.length, built.data[8]]).toEqual([9, 3]);
    // openObligation picks the instruction by number.
    expectMatchesIdl("init_obligation", await ix.openObligation(owner, 0), { owner, market, obligation, system_program: SystemProgram.programId });
    expectMatchesIdl("init_sub_obligation", await ix.openObligation(owner, 3), { owner, market, obligation: sub, system_program: SystemProgram.programId });
  });

  it("close_obligation closes the obligation it is given", async () => {
    const sub = obligationPda(programId, market, owner, 9);
    expectMatchesIdl("close_obligation", await ix.closeObligation(owner, sub), { owner, obligation: sub });
  });

  it("set_collateral: the reserve and the flag as arguments, every position as health accounts", async () => {
    const sub = obligationPda(programId, market, owner, 2);
    const off = await ix.setCollateral(owner, sub, k.reserve, false, health);
    expectMatchesIdl("set_collateral", off, { owner, market, obligation: sub }, health);
    expect(new PublicKey(off.data.subarray(8, 40)).equals(k.reserve)).toBe(true);
    expect([off.data.length, off.data[40]]).toEqual([41, 0]);
    expect((await ix.setCollateral(owner, sub, k.reserve, true, [])).data[40]).toBe(1);
  });

  it("flash_borrow and flash_repay: the reserve's accounts and the Instructions sysvar", async () => {
    const destination = Keypair.generate().publicKey;
    const borrow = await ix.flashBorrow(owner, k, destination, 5_000_000n);
    expectMatchesIdl("flash_borrow", borrow, {
      user: owner,
      market,
      reserve: k.reserve,
      mint: k.mint,
      vault: k.vault,
      vault_authority: vaultAuthorityPda(programId, k.reserve),
      destination,
      token_program: k.tokenProgram,
      instructions: SYSVAR_INSTRUCTIONS_PUBKEY,
    });
    expect(SYSVAR_INSTRUCTIONS_PUBKEY.toBase58()).toBe("Sysvar1nstructions1111111111111111111111111");
    expect(u64le(borrow.data, 8)).toBe(5_000_000n);
    const repay = await ix.flashRepay(owner, k, destination, 5_000_000n);
    expectMatchesIdl("flash_repay", repay, { user: owner, market, reserve: k.reserve, mint: k.mint, vault: k.vault, source: destination, token_program: k.tokenProgram, instructions: SYSVAR_INSTRUCTIONS_PUBKEY });
    expect(u64le(repay.data, 8)).toBe(5_000_000n);
    // The program finds the repay by its reserve at the same index as the borrow's (2).
    expect(borrow.keys[2].pubkey.equals(repay.keys[2].pubkey)).toBe(true);
  });

  it("deposit, withdraw and borrow act on the obligation they are given (default: number 0)", async () => {
    const sub = obligationPda(programId, market, owner, 4);
    const d = await ix.deposit(owner, k, source, 1n, sub);
    expect(d.keys[3].pubkey.equals(sub) && d.keys[3].isWritable).toBe(true);
    const w = await ix.withdraw(owner, k, source, 1n, health, sub);
    const b = await ix.borrow(owner, k, source, 1n, health, sub);
    expect(w.keys[3].pubkey.equals(sub) && b.keys[3].pubkey.equals(sub)).toBe(true);
    expect((await ix.deposit(owner, k, source, 1n)).keys[3].pubkey.equals(obligation)).toBe(true);
  });
});
