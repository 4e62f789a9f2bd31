// A reference run of the flows the end-to-end tests drive (not part of `npm test`): every
// data-testid the e2e needs, against a dev or preview server whose /deployment.json points at a
// ballast-node with a bootstrapped market (`src/live/bootstrap.run.test.ts` writes one; it adds
// `feedIds`, which this script uses to move the SOL price). Screenshots go to OUT.
//   BASE=http://localhost:5173/ OUT=test-results node e2e/smoke.mjs
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
const BASE = process.env.BASE ?? "http://localhost:5173/";
const out = process.env.OUT ?? "test-results";
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
const logs = [];
page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
const shot = (name) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
const step = async (name, fn) => { const t = Date.now(); try { await fn(); console.log("ok", name, Date.now() - t, "ms"); } catch (e) { console.log("FAIL", name, e.message.split("\n")[0]); await shot(`fail-${name}`); throw e; } };
try {
  await setSolPrice(15000000000n);
  await step("markets", async () => {
    await page.goto(BASE + "#/markets");
    await page.getByTestId("market-row-SOL").waitFor({ timeout: 20000 });
    await shot("markets");
  });
  await step("connect burner", async () => {
    await page.getByTestId("connect-burner").click();
    await page.getByTestId("wallet-address").waitFor({ timeout: 10000 });
  });
  await step("faucet", async () => {
    await page.getByTestId("get-test-tokens").click();
    await page.getByText("Test tokens received").waitFor({ timeout: 20000 });
  });
  await step("deposit", async () => {
    await page.goto(BASE + "#/actions");
    const f = page.getByTestId("deposit-form");
    await f.getByTestId("deposit-reserve").selectOption({ label: "SOL" });
    await f.getByTestId("deposit-amount").fill("10");
    await f.getByTestId("deposit-preview").waitFor();
    await f.getByTestId("deposit-submit").click();
    await f.locator('[data-testid="tx-status"][data-stage="confirmed"]').waitFor({ timeout: 20000 });
  });
  await step("borrow", async () => {
    const f = page.getByTestId("borrow-form");
    await f.getByTestId("borrow-reserve").selectOption({ label: "USDC" });
    await f.getByTestId("borrow-amount").fill("500");
    await f.getByTestId("borrow-preview-health").waitFor();
    console.log("   preview HF", await f.getByTestId("borrow-preview-health").textContent());
    await shot("actions-preview");
    await f.getByTestId("borrow-submit").click();
    await f.locator('[data-testid="tx-status"][data-stage="confirmed"]').waitFor({ timeout: 20000 });
    console.log("   borrow status:", await f.getByTestId("tx-status").textContent(), "addr", await page.getByTestId("wallet-address").getAttribute("data-address"));
  });
  await step("position", async () => {
    await page.goto(BASE + "#/position");
    await page.getByTestId("health-value").waitFor({ timeout: 10000 });
    console.log("   now HF", await page.getByTestId("health-value").textContent());
    await page.waitForTimeout(5000);
    console.log("   HF", await page.getByTestId("health-value").textContent(), "liq price", await page.getByTestId("liquidation-price-SOL").textContent());
    await shot("position");
  });
  await step("over-borrow", async () => {
    await page.goto(BASE + "#/actions");
    const f = page.getByTestId("borrow-form");
    await f.getByTestId("borrow-reserve").selectOption({ label: "USDC" });
    await f.getByTestId("borrow-amount").fill("5000");
    await f.getByTestId("borrow-preview-error").waitFor({ timeout: 10000 });
    await f.getByTestId("borrow-submit").click();
    await f.getByTestId("tx-error").waitFor({ timeout: 20000 });
    console.log("   tx-error:", await f.getByTestId("tx-error").getAttribute("data-error-name"), (await f.getByTestId("tx-error").textContent()).slice(0, 90));
    await shot("over-borrow");
  });
  await step("price drop", async () => {
    await setSolPrice(5500000000n);
    await page.goto(BASE + "#/position");
    await page.waitForTimeout(4500);
    console.log("   HF after drop", await page.getByTestId("health-value").textContent());
    await shot("position-after-drop");
  });
  async function setSolPrice(p) {
    const d = JSON.parse(await (await fetch(BASE + "deployment.json")).text());
    const sol = d.reserves.find((r) => r.symbol === "SOL");
    const rpc = async (method, params) => (await (await fetch(d.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) })).json()).result;
    const now = BigInt(await rpc("getBlockTime", [0]));
    const b = Buffer.alloc(134); let o = 0;
    b.set([34, 241, 35, 99, 157, 126, 244, 205], 0); o = 40; b.writeUInt8(1, o); o += 1;
    b.set(Buffer.from(d.feedIds.SOL, "hex"), o); o += 32;
    b.writeBigInt64LE(p, o); b.writeBigUInt64LE(p / 2000n, o + 8); b.writeInt32LE(-8, o + 16); b.writeBigInt64LE(now, o + 20); b.writeBigInt64LE(now - 1n, o + 28); b.writeBigInt64LE(p, o + 36); b.writeBigUInt64LE(p / 2000n, o + 44); b.writeBigUInt64LE(1n, o + 52);
    await rpc("ballast_setAccount", [sol.oracle, { data: b.toString("base64"), owner: "rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ" }]);
  }
  await step("liquidate with a second burner", async () => {
    const owner = await page.getByTestId("wallet-address").getAttribute("data-address");
    await page.getByTestId("burner-new").click();
    await page.waitForFunction((o) => { const e = document.querySelector('[data-testid="wallet-address"]'); return e && e.getAttribute("data-address") !== o; }, owner, { timeout: 10000 });
    await page.getByTestId("get-test-tokens").click();
    await page.getByText("Test tokens received").waitFor({ timeout: 20000 });
    await page.goto(BASE + "#/liquidations");
    const row = page.locator(`[data-testid="liquidation-row"][data-owner="${owner}"]`);
    await row.waitFor({ timeout: 15000 });
    await shot("liquidations");
    await row.getByTestId("liquidate-button").click();
    await page.locator('[data-testid="liquidations"] [data-testid="tx-status"][data-stage="confirmed"]').waitFor({ timeout: 20000 });
    console.log("   unhealthy after:", await page.getByTestId("unhealthy-count").textContent());
    await shot("liquidations-after");
  });
} finally {
  console.log(logs.filter((l) => /error|pageerror/i.test(l)).slice(0, 10).join("\n"));
  await browser.close();
}
