// The e2e's steps for several obligations, the collateral switch and repay with collateral, on
// the newcomer's wallet after it closed out its first obligation (SOL at $66, USDC $1):
//
// 1. "New obligation" opens #1 (the lowest free number) with init_sub_obligation; a deposit of
//    400 USDC and a deposit of 10 SOL with a borrow of 350 USDC land in #1 (read back from the
//    chain at its PDA); #0, empty, is closed with "Close" and the selector moves to #1.
// 2. The collateral switch: SOL off is refused by name (the preview and the chain:
//    InitialHealthNegative, 400 USDC x 85% < $350 of debt); USDC off is allowed (10 SOL x $66 x 75%
//    covers it): the obligation's non-collateral mask on chain has the USDC slot's bit, and the
//    position page's health factor equals the preview's.
// 3. Repay with collateral (USDC: deposit and debt): repaying more than the deposit can pay back
//    is refused at step 3, the withdraw, by name (InsufficientCollateral); the whole debt shows the
//    fee (the reserve's 9 bps) and an infinite health factor after; on chain the debt is gone, the
//    wallet's USDC is unchanged (it only passed the loan through) and the deposit fell by the
//    repay plus the fee.
import assert from "node:assert/strict";
import { PublicKey } from "@solana/web3.js";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { obligationPositions, rpc } from "./harness.mjs";
import { byTestId, confirmed, fillAction, healthOnPosition, shot, submit, T, wad, waitForAttr, WAD } from "./ui.mjs";

/** Obligation number `id`'s PDA: ["obligation", market, owner] for 0, then the number as one byte. */
function obligationKey(deployment, owner, id) {
  const seeds = [Buffer.from("obligation"), new PublicKey(deployment.market).toBuffer(), new PublicKey(owner).toBuffer()];
  if (id !== 0) seeds.push(Buffer.from([id]));
  return PublicKey.findProgramAddressSync(seeds, new PublicKey(deployment.programId))[0].toBase58();
}

/** The raw account (null when it does not exist). */
async function account(url, key) {
  const info = await rpc(url, "getAccountInfo", [key, { encoding: "base64", commitment: "confirmed" }]);
  return info?.value ? Buffer.from(info.value.data[0], "base64") : null;
}

/** Obligation layout (src/idl/ballast.json): 8 + 32 + 32 + 16 x 56 = 968: count, bump, margin mode, then the mask (u16 LE) and the number. */
const MASK_OFFSET = 971;
const ID_OFFSET = 973;

async function tokenBalance(url, deployment, owner, symbol) {
  const r = deployment.reserves.find((x) => x.symbol === symbol);
  const ata = getAssociatedTokenAddressSync(new PublicKey(r.mint), new PublicKey(owner), true, new PublicKey(r.tokenProgram));
  // An SPL token account: mint, owner, then the amount (u64 LE) at byte 64.
  return (await account(url, ata.toBase58())).readBigUInt64LE(64);
}

const USDC = 1_000_000n;

/** Registers the steps; `world()` gives the newcomer's browser, address, node URL, deployment and a goto. */
export function obligationSteps(step, world) {
  const s = {};
  const reserveOf = (deployment, symbol) => deployment.reserves.find((r) => r.symbol === symbol).reserve;

  step("several obligations: New obligation opens #1, deposits and a borrow act on it, the empty #0 closes", async () => {
    const { b, owner, nodeUrl, deployment, goto } = world();
    const { page } = b;
    const [zero, one] = [obligationKey(deployment, owner, 0), obligationKey(deployment, owner, 1)];
    await goto("#/actions");
    const bar = byTestId(page, "obligation-bar");
    await waitForAttr(byTestId(bar, "obligation-key"), "data-address", (a) => a === zero, "obligation #0 selected");
    assert.ok(await account(nodeUrl, zero), "#0 exists (emptied by the step before)");
    assert.equal(await account(nodeUrl, one), null);
    await byTestId(bar, "obligation-new").click();
    await confirmed(bar);
    // The new one is selected: the lowest free number, 1, at its PDA.
    await waitForAttr(byTestId(bar, "obligation-key"), "data-address", (a) => a === one, "obligation #1 selected");
    assert.equal(await byTestId(bar, "obligation-select").inputValue(), "1");
    assert.match(await byTestId(bar, "obligation-select").locator("option:checked").textContent(), /^Obligation #1$/);
    const created = await account(nodeUrl, one);
    assert.equal(created.length, 1104);
    assert.equal(created[ID_OFFSET], 1);
    // Acting on #1: 400 USDC, then 10 SOL and a 350 USDC borrow in one transaction.
    const deposit = await fillAction(page, "deposit", "USDC", "400");
    await submit(deposit, "deposit");
    const combined = byTestId(page, "deposit-borrow-form");
    await byTestId(combined, "deposit-borrow-deposit-reserve").selectOption({ label: "SOL" });
    await byTestId(combined, "deposit-borrow-deposit-amount").fill("10");
    await byTestId(combined, "deposit-borrow-borrow-reserve").selectOption({ label: "USDC" });
    await byTestId(combined, "deposit-borrow-borrow-amount").fill("350");
    await byTestId(combined, "deposit-borrow-preview-health").waitFor({ timeout: T.ui });
    await submit(combined, "deposit-borrow");
    const positions = await obligationPositions(nodeUrl, one);
    assert.deepEqual(positions.map((p) => p.reserve), [reserveOf(deployment, "USDC"), reserveOf(deployment, "SOL")]);
    assert.ok(positions[0].supplyShares > 0n && positions[0].debtShares > 0n && positions[1].supplyShares > 0n);
    assert.deepEqual(await obligationPositions(nodeUrl, zero), [], "#0 untouched");
    await shot(b, "obligations");
    // #0 is empty: select it, Close; the selector moves to #1.
    await byTestId(bar, "obligation-select").selectOption("0");
    await waitForAttr(byTestId(bar, "obligation-key"), "data-address", (a) => a === zero, "obligation #0 selected again");
    const close = byTestId(bar, "obligation-close");
    for (const t0 = Date.now(); !(await close.isEnabled()); ) {
      if (Date.now() - t0 > T.ui) throw new Error("Close stays disabled on the empty #0");
      await new Promise((r) => setTimeout(r, 200));
    }
    await close.click();
    await confirmed(bar);
    assert.equal(await account(nodeUrl, zero), null, "#0 closed");
    await waitForAttr(byTestId(bar, "obligation-key"), "data-address", (a) => a === one, "#1 selected after the close");
    s.obligation = one;
  });

  step("collateral switch: SOL off is refused by name (preview and chain), USDC off is allowed and lands", async () => {
    const { b, nodeUrl, deployment, goto } = world();
    const { page } = b;
    await goto("#/position");
    const solSwitch = byTestId(page, "collateral-SOL");
    await solSwitch.waitFor({ timeout: T.ui });
    assert.equal(await solSwitch.getAttribute("data-collateral"), "true");
    await solSwitch.click();
    let change = byTestId(page, "collateral-change");
    const refused = byTestId(change, "collateral-preview-error");
    await refused.waitFor({ timeout: T.ui });
    assert.equal(await refused.getAttribute("data-error-name"), "InitialHealthNegative");
    assert.match(await refused.textContent(), /would refuse this switch: .*negative initial health/);
    await shot(b, "error-collateral-off");
    // Sent anyway: the chain refuses it with the same name.
    await byTestId(change, "collateral-submit").click();
    const txError = byTestId(change, "tx-error");
    await txError.waitFor({ timeout: T.tx });
    assert.equal(await txError.getAttribute("data-error-name"), "InitialHealthNegative");
    await byTestId(change, "collateral-cancel").click();
    // USDC off: SOL alone covers the debt.
    await byTestId(page, "collateral-USDC").click();
    change = byTestId(page, "collateral-change");
    const after = byTestId(change, "collateral-preview-health");
    await after.waitFor({ timeout: T.ui });
    const predicted = wad(await after.getAttribute("data-value"));
    const before = await healthOnPosition(page);
    assert.ok(predicted < before && predicted > WAD, `health ${before} -> ${predicted}`);
    await byTestId(change, "collateral-submit").click();
    await confirmed(change);
    await waitForAttr(byTestId(page, "collateral-USDC"), "data-collateral", (v) => v === "false", "USDC switched off");
    const data = await account(nodeUrl, s.obligation);
    const mask = data.readUInt16LE(MASK_OFFSET);
    const usdcSlot = (await obligationPositions(nodeUrl, s.obligation)).findIndex((p) => p.reserve === reserveOf(deployment, "USDC"));
    assert.equal(mask, 1 << usdcSlot, `non-collateral mask ${mask}`);
    // The manual clock: the position's health factor is the preview's.
    assert.equal(await healthOnPosition(page), predicted);
    await shot(b, "position-collateral");
  });

  step("repay with collateral: the rejected step named; the whole USDC debt paid out of the USDC deposit, fee included", async () => {
    const { b, owner, nodeUrl, deployment, goto } = world();
    const { page } = b;
    const usdcReserve = reserveOf(deployment, "USDC");
    await goto("#/position");
    const amountCell = byTestId(page, "deposit-amount-USDC");
    await amountCell.waitFor({ timeout: T.ui });
    const depositBefore = BigInt(await amountCell.getAttribute("data-value")) / WAD; // base units (a Wad of them)
    const walletBefore = await tokenBalance(nodeUrl, deployment, owner, "USDC");
    await goto("#/actions");
    const form = byTestId(page, "repay-collateral-form");
    await byTestId(form, "repay-collateral-reserve").waitFor({ timeout: T.ui });
    // More than the deposit (400) can pay back: the repay clamps to the debt, the withdraw of
    // 1,000 + fee is refused.
    await byTestId(form, "repay-collateral-all").uncheck();
    await byTestId(form, "repay-collateral-amount").fill("1000");
    const rejected = byTestId(form, "repay-collateral-preview-error");
    await rejected.waitFor({ timeout: T.ui });
    assert.equal(await rejected.getAttribute("data-error-name"), "InsufficientCollateral");
    assert.equal(await byTestId(form, "repay-collateral-preview").getAttribute("data-failed-step"), "2");
    assert.match(await rejected.textContent(), /step 3 \(withdraw \(the loan and its fee\)\)/);
    await shot(b, "error-repay-collateral");
    // The whole debt.
    await byTestId(form, "repay-collateral-all").check();
    const health = byTestId(form, "repay-collateral-preview-health");
    await health.waitFor({ timeout: T.ui });
    assert.equal(await health.getAttribute("data-value"), "inf");
    const repaid = BigInt(await byTestId(form, "repay-collateral-repaid").getAttribute("data-value"));
    const fee = BigInt(await byTestId(form, "repay-collateral-fee").getAttribute("data-value"));
    const withdrawn = BigInt(await byTestId(form, "repay-collateral-withdraw").getAttribute("data-value"));
    assert.ok(repaid >= 350n * USDC && repaid < 351n * USDC, `repaid ${repaid}`);
    assert.equal(fee, (repaid * 9n + 9_999n) / 10_000n, "9 bps, rounded up (migrations/local-market.toml)");
    assert.equal(withdrawn, repaid + fee);
    await shot(b, "actions-repay-collateral");
    await submit(form, "repay-collateral");
    // On chain: no USDC debt; the wallet only passed the loan through.
    const usdc = (await obligationPositions(nodeUrl, s.obligation)).find((p) => p.reserve === usdcReserve);
    assert.equal(usdc.debtShares, 0n);
    assert.ok(usdc.supplyShares > 0n);
    assert.equal(await tokenBalance(nodeUrl, deployment, owner, "USDC"), walletBefore);
    // The deposit fell by the repay plus the fee: shares burned rounded up, the fee's depositors'
    // part raising every share's value a little (at most a cent here).
    await goto("#/position");
    await waitForAttr(byTestId(page, "health-value"), "data-value", (v) => v === "inf", "no debt on the position page");
    assert.equal(await byTestId(page, "debt-row-USDC").count(), 0);
    const depositAfter = BigInt(await byTestId(page, "deposit-amount-USDC").getAttribute("data-value", { timeout: T.ui })) / WAD;
    const fell = depositBefore - depositAfter;
    assert.ok(fell <= repaid + fee + 1n && fell >= repaid + fee - USDC / 100n, `deposit ${depositBefore} -> ${depositAfter}: fell ${fell}, repay + fee ${repaid + fee}`);
    await shot(b, "position-repay-collateral");
  });
}
