// End-to-end tests of the dApp in headless Debian Chromium (playwright-core) against its own
// the local validator (surfpool) running the sBPF program. Run with `npm run e2e` (needs the node binaries and the
// wasm; `bash scripts/e2e.sh` prepares everything on a fresh machine).
//
// One user story, in order (each step needs the one before; after a failure the rest are skipped):
// a lender supplies USDC; a borrower connects a burner wallet, gets test tokens, deposits SOL with
// the keyboard only, borrows with a preview of the health after, sees the health on the position
// page equal the preview and fall with more debt, is refused an over-borrow with the program's
// named error, repays and withdraws; the phone-sized layout has no horizontal scroll; a price
// drop (the Pyth account rewritten by `ballast-migrate set-price`) puts the position on the
// liquidations page, where the lender's burner liquidates it; a newcomer (a third burner) deposits
// and borrows in one transaction, then repays and withdraws everything in one transaction.
// Screenshots: e2e/artifacts/.
//
// Env: E2E_NODE_PORT (8907), E2E_APP_PORT (4317) preferred ports (others are picked if busy);
// BALLAST_MIGRATE a built ballast-migrate (else `cargo run -p ballast-migrations`); CHROMIUM;
// E2E_LIVE=0 skips the Vitest live tests (src/live) that otherwise run last on the same node.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { PublicKey } from "@solana/web3.js";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  APP,
  ARTIFACTS,
  bootstrap,
  buildApp,
  checkPrerequisites,
  launchBrowser,
  migrate,
  obligationPositions,
  removeTempDirs,
  sparePort,
  startNode,
  startPreview,
  stop,
  tempDir,
} from "./harness.mjs";
import { riskDifferences, riskPageValues } from "./risk.mjs";
import { about, byTestId, confirmed, connectAndFund, debtValue, fillAction, fitsOnPhone, healthOnPosition, shot, submit, T, wad, waitForAttr, WAD } from "./ui.mjs";
import { obligationSteps } from "./obligations.mjs";
import { assertProgramLogs, healthAlertSteps, historySteps, paintedPixels, rateCurveSteps, stopIndexer } from "./monitoring.mjs";

const startedAt = Date.now();
const timings = [];

let node, preview, deployment, deploymentPath, base;
/** The borrower and the lender/liquidator: two browsers, two profiles, two burners (a third, the newcomer, for the combined actions). */
let borrower, lender, newcomer;
let borrowerAddress;
const state = {};

let broken = null;
/** A step of the story: skipped once an earlier one failed; a failure leaves a screenshot. */
function step(name, fn, timeout = 120_000) {
  test(name, { timeout }, async (t) => {
    if (broken) return t.skip(`an earlier step failed (${broken})`);
    const t0 = Date.now();
    try {
      await fn();
      timings.push([name, Date.now() - t0]);
    } catch (e) {
      broken = name;
      const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
      for (const [who, b] of [["borrower", borrower], ["lender", lender], ["newcomer", newcomer]]) {
        if (b) await b.page.screenshot({ path: join(ARTIFACTS, `FAILED-${slug}-${who}.png`), fullPage: true }).catch(() => {});
      }
      throw e;
    }
  });
}

async function goto(b, route) {
  await b.page.goto(`${base}${route}`);
}

before(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  checkPrerequisites();
  const nodePort = await sparePort(Number(process.env.E2E_NODE_PORT ?? 8907));
  const appPort = await sparePort(Number(process.env.E2E_APP_PORT ?? 4317));
  let t0 = Date.now();
  node = await startNode(nodePort);
  timings.push([`setup: validator on ${node.url}`, Date.now() - t0]);
  t0 = Date.now();
  const dir = tempDir("ballast-e2e-");
  ({ deployment, path: deploymentPath } = bootstrap(node.url, dir));
  timings.push(["setup: ballast-migrate bootstrap", Date.now() - t0]);
  t0 = Date.now();
  const dist = join(dir, "dist");
  buildApp(dist, deployment);
  timings.push(["setup: vite build", Date.now() - t0]);
  t0 = Date.now();
  preview = await startPreview(dist, appPort);
  base = preview.url;
  borrower = await launchBrowser("borrower");
  lender = await launchBrowser("lender");
  timings.push([`setup: vite preview on ${base}, two Chromium profiles`, Date.now() - t0]);
});

after(async () => {
  for (const b of [borrower, lender, newcomer]) await b?.context.close().catch(() => {});
  await stopIndexer();
  await stop(preview?.child);
  await stop(node?.child);
  removeTempDirs();
  const total = (Date.now() - startedAt) / 1000;
  console.log("\ne2e timings:");
  for (const [name, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${name}`);
  const shots = (() => {
    try {
      return readdirSync(ARTIFACTS).filter((f) => f.endsWith(".png"));
    } catch {
      return [];
    }
  })();
  console.log(`screenshots (${ARTIFACTS}): ${shots.join(", ")}`);
  console.log(`e2e run time: ${total.toFixed(1)} s`);
});

step("markets page: every reserve with its price, rates, caps and circuit breaker", async () => {
  const { page } = borrower;
  await goto(borrower, "#/markets");
  for (const r of deployment.reserves) await byTestId(page, `market-row-${r.symbol}`).waitFor({ timeout: T.ui });
  assert.match(await byTestId(page, "price-SOL").textContent(), /\$150\.00/);
  assert.match(await byTestId(page, "price-USDC").textContent(), /\$1\.00/);
  assert.match(await byTestId(page, "breaker-SOL").textContent(), /OK/);
  await shot(borrower, "markets");
});

step("error state: without a deployment the app names the bootstrap command", async () => {
  const page = await borrower.context.newPage();
  await page.route("**/deployment.json", (route) => route.fulfill({ status: 404, body: "not found" }));
  await page.goto(`${base}#/markets`);
  const error = byTestId(page, "config-error");
  await error.waitFor({ timeout: T.ui });
  assert.match(await error.textContent(), /ballast-migrate bootstrap/);
  await page.screenshot({ path: join(ARTIFACTS, "error-no-deployment.png"), fullPage: true });
  await page.close();
});

step("a lender (second burner) gets test tokens and supplies 5,000 USDC", async () => {
  await goto(lender, "#/actions");
  state.lenderAddress = await connectAndFund(lender);
  const form = await fillAction(lender.page, "deposit", "USDC", "5000");
  await byTestId(form, "deposit-preview-health").waitFor({ timeout: T.ui });
  await submit(form, "deposit");
});

step("borrower connects the burner wallet and gets test tokens", async () => {
  await goto(borrower, "#/actions");
  borrowerAddress = await connectAndFund(borrower);
  assert.notEqual(borrowerAddress, state.lenderAddress);
  await borrower.page.locator('[data-testid="deposit-form"]', { hasText: "Wallet: 10,000 SOL" }).waitFor({ timeout: T.ui });
  assert.ok(await byTestId(borrower.page, "wallet-address").isVisible());
});

step("deposit 10 SOL with the keyboard only: Tab reaches the form and its submit button", async () => {
  const { page } = borrower;
  // A fresh load (the burner reconnects by itself): Tab starts from the top of the page.
  await goto(borrower, "#/actions");
  await page.reload();
  const form = byTestId(page, "deposit-form");
  await form.waitFor({ timeout: T.ui });
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? "");
  const tabTo = async (testid, limit) => {
    const seen = [];
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press("Tab");
      const id = await focused();
      seen.push(id);
      if (id === testid) return i + 1;
    }
    throw new Error(`Tab never reached ${testid} (focus went through ${seen.join(" > ")})`);
  };
  const tabs = await tabTo("deposit-reserve", 25); // the first reserve, SOL, is selected
  assert.equal(await byTestId(form, "deposit-reserve").evaluate((s) => s.selectedOptions[0].textContent), "SOL");
  await tabTo("deposit-amount", 2);
  await page.keyboard.type("10");
  await byTestId(form, "deposit-preview-health").waitFor({ timeout: T.ui });
  assert.equal(await byTestId(form, "deposit-preview-health").getAttribute("data-value"), "inf"); // no debt
  await tabTo("deposit-submit", 3);
  assert.ok(await byTestId(form, "deposit-submit").isEnabled());
  // Focus is visible (the :focus-visible outline), then Enter submits the form.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none");
  await page.keyboard.press("Enter");
  await confirmed(form);
  state.tabsToForm = tabs;
});

step("borrow 500 USDC: the preview shows the health after, before signing", async () => {
  const form = await fillAction(borrower.page, "borrow", "USDC", "500");
  const after = byTestId(form, "borrow-preview-health");
  await after.waitFor({ timeout: T.ui });
  assert.equal(await byTestId(form, "borrow-preview-before").textContent(), "∞");
  state.previewHealth = wad(await after.getAttribute("data-value"));
  // 10 SOL x $150 x 80% / $500 = 2.4
  assert.ok(state.previewHealth > 2n * WAD && state.previewHealth < 3n * WAD, `preview ${state.previewHealth}`);
  await shot(borrower, "actions");
  await submit(form, "borrow");
});

step("position page: the health factor equals the preview; liquidation price and borrow power shown", async () => {
  const { page } = borrower;
  await goto(borrower, "#/position");
  await byTestId(page, "debt-row-USDC").waitFor({ timeout: T.ui });
  // The node's clock is manual: no interest between the preview and now, so exactly equal.
  assert.equal(await healthOnPosition(page), state.previewHealth);
  assert.match(await byTestId(page, "liquidation-price-SOL").textContent(), /^\$\d/);
  assert.match(await byTestId(page, "borrow-power").textContent(), /^\$\d/);
  assert.ok(about(await debtValue(page), 500), `debt value ${await debtValue(page)}`);
  await shot(borrower, "position");
  // The markets page now shows the USDC reserve in use: 500 borrowed of 5,000 (+ the bootstrap's
  // locked creation deposit), with a borrow rate.
  await goto(borrower, "#/markets");
  await borrower.page.locator('[data-testid="market-row-USDC"] td[data-label="Utilization"]', { hasText: /^9\.99%$/ }).waitFor({ timeout: T.poll });
  assert.notEqual(await borrower.page.locator('[data-testid="market-row-USDC"] td[data-label="Borrow APR"]').textContent(), "0.00%");
  await shot(borrower, "markets-in-use");
});

// The markets page's rate curves, with USDC in use (issue 18).
rateCurveSteps(step, () => ({ b: borrower, deployment, goto: (route) => goto(borrower, route) }));

step("more debt: the health factor falls on the position page", async () => {
  const { page } = borrower;
  const before = state.previewHealth; // = the position's health (previous step)
  await goto(borrower, "#/actions");
  const form = await fillAction(page, "borrow", "USDC", "200");
  await submit(form, "borrow");
  await goto(borrower, "#/position");
  const now = await waitForAttr(byTestId(page, "health-value"), "data-value", (v) => v !== "inf" && BigInt(v) < before, "health after the second borrow");
  state.healthAfterDebt = BigInt(now);
  assert.ok(about(await debtValue(page), 700), `debt value ${await debtValue(page)}`);
});

step("over-borrow: the preview and the chain both give the program's named error, not a code", async () => {
  const { page } = borrower;
  await goto(borrower, "#/actions");
  const form = await fillAction(page, "borrow", "USDC", "1000"); // borrow power left is about $424
  const previewError = byTestId(form, "borrow-preview-error");
  await previewError.waitFor({ timeout: T.ui });
  assert.equal(await previewError.getAttribute("data-error-name"), "InitialHealthNegative");
  await byTestId(form, "borrow-submit").click(); // sent anyway: the chain refuses it
  const txError = byTestId(form, "tx-error");
  await txError.waitFor({ timeout: T.tx });
  assert.equal(await txError.getAttribute("data-error-name"), "InitialHealthNegative");
  const message = await txError.locator("strong").textContent();
  assert.match(message, /negative initial health \(borrow power\)/);
  assert.doesNotMatch(message, /0x[0-9a-f]+|custom program error|Error Number/i);
  await assertProgramLogs(txError, deployment.programId, "InitialHealthNegative"); // the validator's preflight logs, shown
  await shot(borrower, "error-over-borrow");
});

step("repay 200 USDC: the health factor rises", async () => {
  const { page } = borrower;
  await goto(borrower, "#/actions");
  const form = await fillAction(page, "repay", "USDC", "200");
  const previewAfter = wad(await byTestId(form, "repay-preview-health").getAttribute("data-value", { timeout: T.ui }));
  assert.ok(previewAfter > state.healthAfterDebt);
  await submit(form, "repay");
  await goto(borrower, "#/position");
  await waitForAttr(byTestId(page, "health-value"), "data-value", (v) => BigInt(v) === previewAfter, "health after repay = preview");
  assert.ok(about(await debtValue(page), 500), `debt value ${await debtValue(page)}`);
});

step("withdraw 2 SOL: 8 SOL stay deposited", async () => {
  const { page } = borrower;
  await goto(borrower, "#/actions");
  const form = await fillAction(page, "withdraw", "SOL", "2");
  await byTestId(form, "withdraw-preview-health").waitFor({ timeout: T.ui });
  await submit(form, "withdraw");
  await goto(borrower, "#/position");
  await page.locator('[data-testid="deposit-row-SOL"] td[data-label="Amount"]', { hasText: /^8(\.0+)?$/ }).waitFor({ timeout: T.poll });
});

step("phone-sized screen (390 x 844): no horizontal scroll on any page", async () => {
  const { page } = borrower;
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    for (const [route, ready] of [["#/position", "health-value"], ["#/markets", "market-row-SOL"], ["#/actions", "deposit-form"], ["#/liquidations", "unhealthy-count"]]) {
      await goto(borrower, route);
      await byTestId(page, ready).waitFor({ timeout: T.ui });
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.ok(scroll <= client, `${route}: content is ${scroll} px wide in a ${client} px viewport`);
      if (route === "#/position") await shot(borrower, "position-phone");
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

// The health-factor alert (issue 18): armed at 1.92, it fires after the price drop.
const healthAlert = healthAlertSteps(step, () => ({ b: borrower, base, goto: (route) => goto(borrower, route) }));
healthAlert.arm();

step("price drop: SOL to $72 (oracle rewritten); the position's health falls below 1", async () => {
  migrate(["set-price", "--url", node.url, "--deployment", deploymentPath, "--symbol", "SOL", "--price", "72"]);
  const { page } = borrower;
  await goto(borrower, "#/position");
  // 8 SOL x $72 x 80% / $500 = 0.92
  await waitForAttr(byTestId(page, "health-value"), "data-value", (v) => v !== "inf" && BigInt(v) < WAD, "health below 1 after the price drop");
  assert.ok(await byTestId(page, "health").evaluate((e) => e.classList.contains("health-danger")));
  await shot(borrower, "position-unhealthy");
  // The owner sees its own obligation listed, and why it cannot liquidate it.
  await goto(borrower, "#/liquidations");
  const own = borrower.page.locator(`[data-testid="liquidation-row"][data-owner="${borrowerAddress}"]`);
  await own.waitFor({ timeout: T.poll });
  assert.match(await byTestId(own, "liquidate-reason").textContent(), /your own obligation/);
});

healthAlert.fires();

step("liquidations page: the lender's burner liquidates the position (tx confirmed, debt reduced)", async () => {
  const { page } = lender;
  await goto(lender, "#/liquidations");
  const row = page.locator(`[data-testid="liquidation-row"][data-owner="${borrowerAddress}"]`);
  await row.waitFor({ timeout: T.poll });
  assert.equal(await byTestId(page, "unhealthy-count").textContent(), "1");
  const button = byTestId(row, "liquidate-button");
  assert.ok(await button.isEnabled(), await row.textContent());
  await shot(lender, "liquidations");
  // The liquidations table with a row, on a phone: stacked cells, no horizontal scroll.
  await page.setViewportSize({ width: 390, height: 844 });
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  await shot(lender, "liquidations-phone");
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.ok(scroll <= client, `liquidations: ${scroll} px wide in a ${client} px viewport`);
  const obligation = await row.getAttribute("data-obligation");
  const usdc = deployment.reserves.find((r) => r.symbol === "USDC").reserve;
  const debtOf = async () => (await obligationPositions(node.url, obligation)).find((p) => p.reserve === usdc)?.debtShares ?? 0n;
  const debtBefore = await debtOf();
  assert.ok(debtBefore > 0n);
  await button.click();
  await confirmed(byTestId(page, "liquidations"));
  const debtAfter = await debtOf();
  assert.ok(debtAfter < debtBefore, `debt shares ${debtBefore} -> ${debtAfter}`);
  await shot(lender, "liquidations-after");
  // The borrower's page shows the smaller debt.
  await goto(borrower, "#/position");
  await byTestId(borrower.page, "health-value").waitFor({ timeout: T.ui });
  for (const t0 = Date.now(); !((await debtValue(borrower.page)) < 499); ) {
    if (Date.now() - t0 > T.poll) throw new Error(`the position still shows a debt of ${await debtValue(borrower.page)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

step("risk page: a seeded book's health distribution, liquidation map and scenarios equal the Rust engine's; charts drawn", async () => {
  // Seven more obligations at SOL $72 (ballast-migrate seed-book: fresh owners funded by the mint
  // authority): a supplier of SOL and USDC without debt, SOL/USDC loans of $530, $505 and $450, an
  // ETH loan at HF 1.2, a short SOL (USDC collateral) and a mixed ETH+SOL loan; then SOL falls to
  // $66, which leaves the $530 loan liquidatable (10 x $66 x 80% / $530 = 0.996) and the $505 one
  // near it (1.045).
  const keypair = join(dirname(deploymentPath), "authority.json");
  const specs = ["SOL:100,USDC:20000", "SOL:10/USDC:530", "SOL:10/USDC:505", "SOL:10/USDC:450", "ETH:1/USDC:2000", "USDC:5000/SOL:20", "ETH:2,SOL:10/USDC:4000"];
  migrate(["seed-book", "--url", node.url, "--deployment", deploymentPath, "--keypair", keypair, ...specs.flatMap((s) => ["--obligation", s])]);
  migrate(["set-price", "--url", node.url, "--deployment", deploymentPath, "--symbol", "SOL", "--price", "66"]);
  const expected = JSON.parse(migrate(["risk", "--url", node.url, "--deployment", deploymentPath]));
  assert.equal(expected.obligations, 9); // the lender, the borrower and the seven
  assert.equal(expected.errors, 0);
  assert.equal(expected.scenarios.length, 3); // migrations/local-market.toml
  const buckets = expected.histogram.buckets.map((b) => b.obligations);
  assert.ok(buckets[0] >= 1 && buckets[1] >= 1, `liquidatable and near-liquidation buckets: ${buckets}`);
  // The SOL scenarios liquidate more, and the -50% crash leaves bad debt ($330 of SOL for $519).
  assert.ok(expected.scenarios.slice(0, 2).every((s) => BigInt(s.liquidatableDebtUsd) > BigInt(expected.histogram.buckets[0].debtUsd)), JSON.stringify(expected.scenarios));
  assert.ok(BigInt(expected.scenarios[1].badDebtUsd) > 0n, JSON.stringify(expected.scenarios));
  const { page } = lender;
  await goto(lender, "#/risk");
  await byTestId(page, "risk-obligations").waitFor({ timeout: T.ui });
  // The page re-reads obligations every 5 s and reserves every 4 s: wait for the seeded state.
  let diffs = ["not read yet"];
  for (const t0 = Date.now(); diffs.length && Date.now() - t0 < T.poll; ) {
    diffs = riskDifferences(await riskPageValues(page), expected, deployment.reserves);
    if (diffs.length) await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual(diffs, [], "the Risk page differs from ballast-migrate risk");
  // Each chart painted its canvas (Chart.js draws no DOM to read; the tables above hold the numbers).
  for (const id of ["chart-health", "chart-map", "chart-scenarios"]) {
    const painted = await paintedPixels(byTestId(page, id));
    assert.ok(painted > 2000, `${id}: ${painted} painted pixels`);
  }
  assert.match(await byTestId(page, "risk-updated").textContent(), /^\d\d:\d\d:\d\d$/);
  await shot(lender, "risk");
  await fitsOnPhone(lender, "risk-phone", "risk");
  const dollars = (w) => `$${(Number(BigInt(w) / 10n ** 16n) / 100).toFixed(2)}`;
  console.log(`risk page = ballast-migrate risk: ${expected.obligations} obligations, debt ${dollars(expected.debtUsd)}; ` +
    expected.scenarios.map((s) => `scenario ${s.index}: ${dollars(s.liquidatableDebtUsd)} liquidatable, ${dollars(s.badDebtUsd)} bad debt`).join("; "));
});

step("deposit and borrow in one transaction from a new wallet: one preview, both on chain, the position equals the preview", async () => {
  newcomer = await launchBrowser("newcomer");
  const { page } = newcomer;
  await goto(newcomer, "#/actions");
  const owner = await connectAndFund(newcomer);
  state.newcomerAddress = owner;
  const form = byTestId(page, "deposit-borrow-form");
  const fill = async (deposit, borrow) => {
    await byTestId(form, "deposit-borrow-deposit-reserve").selectOption({ label: "SOL" });
    await byTestId(form, "deposit-borrow-deposit-amount").fill(deposit);
    await byTestId(form, "deposit-borrow-borrow-reserve").selectOption({ label: "USDC" });
    await byTestId(form, "deposit-borrow-borrow-amount").fill(borrow);
    await byTestId(form, "deposit-borrow-preview").waitFor({ timeout: T.ui });
  };
  // The borrow alone would have no collateral; too large a borrow is named as the second step.
  await fill("1", "10000");
  const rejected = byTestId(form, "deposit-borrow-preview-error");
  await rejected.waitFor({ timeout: T.ui });
  assert.equal(await rejected.getAttribute("data-error-name"), "InitialHealthNegative");
  assert.equal(await byTestId(form, "deposit-borrow-preview").getAttribute("data-failed-step"), "1");
  assert.match(await rejected.textContent(), /step 2 \(borrow\).*negative initial health/);
  await shot(newcomer, "error-deposit-borrow");
  // 10 SOL at $66 x 80% against $200: a health factor of 2.64 after both, none before.
  await fill("10", "200");
  const after = byTestId(form, "deposit-borrow-preview-health");
  await after.waitFor({ timeout: T.ui });
  assert.equal(await byTestId(form, "deposit-borrow-preview-before").textContent(), "∞");
  const predicted = wad(await after.getAttribute("data-value"));
  assert.ok(predicted > 2n * WAD && predicted < 3n * WAD, `preview ${predicted}`);
  assert.ok(BigInt(await byTestId(form, "deposit-borrow-preview-borrow-power").getAttribute("data-value")) > 0n);
  await shot(newcomer, "actions-deposit-borrow");
  await submit(form, "deposit-borrow");
  // One transaction created the obligation, deposited and borrowed: both positions are on chain.
  const [obligation] = PublicKey.findProgramAddressSync(
    [Buffer.from("obligation"), new PublicKey(deployment.market).toBuffer(), new PublicKey(owner).toBuffer()],
    new PublicKey(deployment.programId),
  );
  state.newcomerObligation = obligation.toBase58();
  const reserveOf = (symbol) => deployment.reserves.find((r) => r.symbol === symbol).reserve;
  const positions = await obligationPositions(node.url, state.newcomerObligation);
  assert.deepEqual(positions.map((p) => p.reserve), [reserveOf("SOL"), reserveOf("USDC")]);
  assert.ok(positions[0].supplyShares > 0n && positions[0].debtShares === 0n, JSON.stringify(positions, (_, v) => (typeof v === "bigint" ? `${v}` : v)));
  assert.ok(positions[1].supplyShares === 0n && positions[1].debtShares > 0n);
  // The manual clock: no interest in between, so the position's health factor is the preview's.
  await goto(newcomer, "#/position");
  await byTestId(page, "debt-row-USDC").waitFor({ timeout: T.ui });
  assert.equal(await healthOnPosition(page), predicted);
  assert.ok(about(await debtValue(page), 200), `debt value ${await debtValue(page)}`);
  await shot(newcomer, "position-deposit-borrow");
});

step("repay and withdraw everything in one transaction: the obligation closes out", async () => {
  const { page } = newcomer;
  await goto(newcomer, "#/actions");
  const form = byTestId(page, "repay-withdraw-form");
  await byTestId(form, "repay-withdraw-repay-reserve").selectOption({ label: "USDC" });
  await byTestId(form, "repay-withdraw-repay-all").check();
  await byTestId(form, "repay-withdraw-withdraw-reserve").selectOption({ label: "SOL" });
  await byTestId(form, "repay-withdraw-withdraw-all").check();
  const after = byTestId(form, "repay-withdraw-preview-health");
  await after.waitFor({ timeout: T.ui });
  assert.equal(await after.getAttribute("data-value"), "inf"); // no debt left
  assert.match(await byTestId(form, "repay-withdraw-preview-before").textContent(), /^2\.6\d$/); // 2.64 before
  assert.match(await byTestId(form, "repay-withdraw-preview-amount-1").textContent(), /^(10(\.0+)?|9\.9+) SOL$/);
  await shot(newcomer, "actions-repay-withdraw");
  await submit(form, "repay-withdraw");
  assert.deepEqual(await obligationPositions(node.url, state.newcomerObligation), []);
  await goto(newcomer, "#/position");
  await waitForAttr(byTestId(page, "health-value"), "data-value", (v) => v === "inf", "no debt on the position page");
  await page.locator('[data-testid="position"]', { hasText: "No deposits." }).waitFor({ timeout: T.poll });
});

// Several obligations, the collateral switch and repay with collateral, on the newcomer's wallet.
obligationSteps(step, () => ({ b: newcomer, owner: state.newcomerAddress, nodeUrl: node.url, deployment, goto: (route) => goto(newcomer, route) }));

// The borrower's history from the event indexer (issue 18): last, as it starts its own process.
historySteps(step, () => ({ b: borrower, base, nodeUrl: node.url, deployment, goto: (route) => goto(borrower, route) }));

step("no uncaught errors in any page", async () => {
  assert.deepEqual([...borrower.errors, ...lender.errors, ...(newcomer?.errors ?? [])], []);
});

if (process.env.E2E_LIVE !== "0") {
  step("live (Vitest src/live) on the same node: wasm health = the program's get_health, max borrow exact", async () => {
    // One file at a time: both share the node, and live.test.ts moves its clock by a day.
    const r = spawnSync(join(APP, "node_modules/.bin/vitest"), ["run", "src/live", "--no-file-parallelism"], {
      cwd: APP,
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "FORCE_COLOR")), BALLAST_LIVE_RPC: node.url, NO_COLOR: "1" },
      encoding: "utf8",
    });
    const out = `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
    if (r.status !== 0) throw new Error(`vitest src/live failed:\n${out}`);
    assert.match(out, /Tests\s+11 passed/);
  });
}
