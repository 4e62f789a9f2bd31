// The e2e's steps for issue 18 (watching a position): each reserve's interest-rate curve on the
// markets page, the health-factor alert (banner and a real browser Notification), the position's
// history from the event indexer (table and health chart), and a failed transaction's program logs
// (asserted in the over-borrow step of dapp.e2e.mjs).
//
// The history step runs `ballast-indexer` (BALLAST_INDEXER, else target/{release,debug}/) against
// the e2e's validator; without a built indexer it checks the page's "needs the indexer" state.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, ROOT, sparePort } from "./harness.mjs";
import { byTestId, fitsOnPhone, shot, T, waitForAttr, WAD } from "./ui.mjs";

/** A Wad ratio as the dApp prints it (formatPercentWad: two decimals, rounded down). */
const percentText = (wad) => {
  const hundredths = (BigInt(wad) * 10_000n) / WAD;
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, "0")}%`;
};

/** Pixels a canvas has painted (Chart.js draws no DOM to read). */
export async function paintedPixels(locator) {
  return locator.evaluate((c) => {
    const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
}

async function paintedChart(page, testid) {
  const canvas = byTestId(page, testid);
  await canvas.waitFor({ timeout: T.ui });
  let painted = 0;
  for (const t0 = Date.now(); painted <= 2000 && Date.now() - t0 < 3000; ) {
    painted = await paintedPixels(canvas);
    if (painted <= 2000) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(painted > 2000, `${testid}: ${painted} painted pixels`);
}

/**
 * After the borrower's first borrow (USDC 9.99% utilised): each reserve's rate curve is drawn, the
 * mark is the markets table's utilisation and rates, and the curve passes through the reserve's
 * configured points (migrations/local-market.toml: USDC 9% at 90%, 50% at 100%).
 */
export function rateCurveSteps(step, ctx) {
  step("rate curves: each reserve's borrow/supply APR against utilisation (wasm), the current utilisation marked", async () => {
    const { b, deployment, goto } = ctx();
    const { page } = b;
    await goto("#/markets");
    await byTestId(page, "rate-curves").waitFor({ timeout: T.ui });
    for (const r of deployment.reserves) await paintedChart(page, `chart-rate-${r.symbol}`);
    const now = byTestId(page, "rate-now-USDC");
    const utilization = await waitForAttr(now, "data-utilization", (u) => percentText(u) === "9.99%", "USDC's marked utilisation");
    const row = page.locator('[data-testid="market-row-USDC"]');
    assert.equal(await row.locator('td[data-label="Utilization"]').textContent(), percentText(utilization));
    assert.equal(await row.locator('td[data-label="Borrow APR"]').textContent(), percentText(await now.getAttribute("data-borrow-apr")));
    assert.equal(await row.locator('td[data-label="Supply APR"]').textContent(), percentText(await now.getAttribute("data-supply-apr")));
    // The engine's rate at the curve's own points (bps of APR as Wads).
    assert.equal(await byTestId(page, "rate-point-USDC-9000").getAttribute("data-borrow-apr"), (900n * 10n ** 14n).toString());
    assert.equal(await byTestId(page, "rate-point-USDC-10000").getAttribute("data-borrow-apr"), (5000n * 10n ** 14n).toString());
    await byTestId(page, "rate-curves").scrollIntoViewIfNeeded();
    await shot(b, "markets-rate-curves");
  });
}

/** A failed transaction's error shows the program's log lines: its invoke, the named error, its failure. */
export async function assertProgramLogs(txError, programId, errorName) {
  const logs = byTestId(txError, "tx-error-logs");
  assert.ok(await logs.isVisible(), "the program's logs are shown");
  const lines = await byTestId(logs, "log-line").allTextContents();
  const has = (re) => assert.ok(lines.some((l) => re.test(l)), `${re} in:\n${lines.join("\n")}`);
  has(new RegExp(`^Program ${programId} invoke`));
  has(new RegExp(`Error Code: ${errorName}\\.`));
  has(new RegExp(`^Program ${programId} failed`));
  return lines;
}

/** Records every Notification the page constructs, passing each to the real API unchanged. */
function recordNotifications() {
  const Real = window.Notification;
  window.__notifications = [];
  window.Notification = new Proxy(Real, {
    construct(target, args, newTarget) {
      const n = Reflect.construct(target, args, newTarget);
      window.__notifications.push({ title: args[0], body: args[1]?.body ?? "", real: n instanceof Real });
      n.addEventListener("show", () => (window.__notifications.at(-1).shown = true));
      return n;
    },
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" && prop !== "prototype" ? v.bind(target) : v;
    },
  });
}

/**
 * Before the price drop (health factor 1.92): the borrower sets an alert at 1.2 and switches it
 * on (notifications granted to the page's origin); no banner yet. After the drop (0.92): the
 * banner shows on every page and one real Notification was raised.
 */
export function healthAlertSteps(step, ctx) {
  return {
    arm: () =>
      step("health-factor alert: level 1.2 set and switched on (notification permission granted), no banner at 1.92", async () => {
        const { b, base, goto } = ctx();
        const { page, context } = b;
        await context.grantPermissions(["notifications"], { origin: new URL(base).origin });
        await context.addInitScript(recordNotifications);
        await goto("#/position");
        await page.reload();
        await byTestId(page, "hf-alert-settings").waitFor({ timeout: T.ui });
        assert.equal(await byTestId(page, "hf-alert-permission").getAttribute("data-permission"), "granted");
        await byTestId(page, "hf-alert-level").fill("1.2");
        await byTestId(page, "hf-alert-enabled").check();
        assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem("ballast.healthAlert"))), { enabled: true, level: "1.2" });
        await byTestId(page, "health-value").waitFor({ timeout: T.ui });
        assert.equal(await byTestId(page, "hf-alert").count(), 0, "no alert above the level");
        assert.deepEqual(await page.evaluate(() => window.__notifications), []);
      }),
    fires: () =>
      step("health-factor alert: below 1.2 the banner shows and a browser Notification is raised", async () => {
        const { b, goto } = ctx();
        const { page } = b;
        await goto("#/position");
        const banner = byTestId(page, "hf-alert");
        await banner.waitFor({ timeout: T.poll });
        const health = BigInt(await banner.getAttribute("data-health"));
        assert.ok(health < (12n * WAD) / 10n, `banner at health ${health}`);
        assert.equal(await banner.getAttribute("data-level"), "1.2");
        const status = await waitForAttr(banner, "data-notification", (s) => s === "sent" || s === "shown", "the notification");
        const raised = await page.evaluate(() => window.__notifications);
        assert.equal(raised.length, 1, JSON.stringify(raised));
        assert.equal(raised[0].title, "Ballast: health factor alert");
        assert.match(raised[0].body, /below your alert level 1\.2/);
        assert.ok(raised[0].real, "a real Notification");
        console.log(`health alert: banner at HF ${(Number(health / 10n ** 14n) / 1e4).toFixed(4)}, Notification ${status}`);
        await shot(b, "health-alert");
        // The banner stays on every page while the position is below the level.
        await goto("#/markets");
        await banner.waitFor({ timeout: T.ui });
      }),
  };
}

let indexer = null;

function get(url) {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The built indexer binary, if any. */
export function indexerBinary() {
  const candidates = [process.env.BALLAST_INDEXER, join(ROOT, "target/release/ballast-indexer"), join(ROOT, "target/debug/ballast-indexer")];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

/** `ballast-indexer` on the e2e's validator (its websocket is the RPC port plus one). */
async function startIndexer(bin, nodeUrl, programId) {
  const port = await sparePort(8950);
  const dir = mkdtempSync(join(tmpdir(), "ballast-e2e-indexer-"));
  const node = new URL(nodeUrl);
  const log = createWriteStream(join(ARTIFACTS, "indexer.log"));
  const child = spawn(
    bin,
    ["--rpc-url", nodeUrl, "--ws-url", `ws://${node.hostname}:${Number(node.port) + 1}`, "--database", `sqlite://${join(dir, "index.db")}`, "--listen", `127.0.0.1:${port}`, "--program-id", programId],
    { detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  indexer = { child, dir, url: `http://127.0.0.1:${port}` };
  for (const t0 = Date.now(); ; ) {
    if (child.exitCode !== null) throw new Error(`ballast-indexer exited (${child.exitCode}): see ${join(ARTIFACTS, "indexer.log")}`);
    const ok = await get(`${indexer.url}/health`).then((r) => r.status === 200).catch(() => false);
    if (ok) return indexer.url;
    if (Date.now() - t0 > 30_000) throw new Error("ballast-indexer: no /health after 30 s");
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function stopIndexer() {
  if (!indexer) return;
  try {
    process.kill(-indexer.child.pid, "SIGTERM");
  } catch {
    // gone
  }
  await new Promise((r) => setTimeout(r, 300));
  rmSync(indexer.dir, { recursive: true, force: true });
  indexer = null;
}
process.on("exit", () => {
  if (indexer) {
    try {
      process.kill(-indexer.child.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
});

/**
 * At the end of the story (the borrower's obligation untouched since its liquidation): its history. With an indexer, every action of its story in
 * order (deposit 10 SOL, borrow 500 and 200 USDC, repay 200, withdraw 2 SOL, the liquidation with
 * its repaid USDC, seized SOL and prices $1.00 / $72.00) and the health chart painted; without
 * one, the page says it needs the indexer.
 */
export function historySteps(step, ctx) {
  step("history: the position's events from the indexer (amounts, prices) and its health factor over time", async () => {
    const { b, base, nodeUrl, deployment, goto } = ctx();
    const { page } = b;
    // Without an indexer the page says so (history-no-indexer) ...
    await goto("#/history");
    await byTestId(page, "history-no-indexer").waitFor({ timeout: T.ui });
    await shot(b, "history-no-indexer");
    // ... and with one it shows the events: the binary must be built (app/scripts/e2e.sh does).
    const bin = indexerBinary();
    if (!bin) throw new Error("no ballast-indexer binary: cargo build --workspace --bin ballast-indexer (app/scripts/e2e.sh builds it)");
    const url = await startIndexer(bin, nodeUrl, deployment.programId);
    await page.goto(`${base}?indexer=${encodeURIComponent(url)}#/history`);
    assert.equal(await byTestId(page, "history-indexer").textContent({ timeout: T.ui }), url);
    const rows = page.locator('[data-testid="history-row"]');
    let kinds = [];
    for (const t0 = Date.now(); !kinds.includes("Liquidation"); ) {
      kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-kind")));
      if (Date.now() - t0 > 45_000) throw new Error(`the history shows ${kinds.join(", ") || "nothing"}; indexer log: ${join(ARTIFACTS, "indexer.log")}`);
      if (!kinds.includes("Liquidation")) await new Promise((r) => setTimeout(r, 500));
    }
    const actions = kinds.filter((k) => ["Deposit", "Withdraw", "Borrow", "Repay", "Liquidation"].includes(k));
    assert.deepEqual(actions, ["Deposit", "Borrow", "Borrow", "Repay", "Withdraw", "Liquidation"]);
    const amounts = await page.locator('[data-testid="history-row"] [data-testid="history-amount"]').allTextContents();
    for (const expected of ["10 SOL deposited", "500 USDC borrowed", "200 USDC borrowed", "200 USDC repaid", "2 SOL withdrawn"]) {
      assert.ok(amounts.includes(expected), `${expected} in ${JSON.stringify(amounts)}`);
    }
    const liquidation = page.locator('[data-testid="history-row"][data-kind="Liquidation"]');
    assert.match(await liquidation.locator('[data-testid="history-amount"][data-symbol="USDC"]').textContent(), /USDC repaid$/);
    assert.match(await liquidation.locator('[data-testid="history-amount"][data-symbol="SOL"]').textContent(), /SOL seized$/);
    assert.match(await liquidation.locator('[data-testid="history-price"][data-symbol="SOL"]').textContent(), /^SOL \$72\.\d\d$/);
    assert.match(await liquidation.locator('[data-testid="history-price"][data-symbol="USDC"]').textContent(), /^USDC \$(0\.99|1\.00)$/);
    // Maintenance health before (0.92) and after: higher (a number, "> 1,000" with dust debt left, or ∞).
    const [, before, after] = /^(\d\.\d\d) → (\d+\.\d\d|> 1,000|∞) \(maintenance\)$/.exec(await liquidation.locator('[data-testid="history-health"]').textContent()) ?? [];
    assert.ok(before && Number(before) < 1 && (after === "∞" || after === "> 1,000" || Number(after) > Number(before)), `health ${before} -> ${after}`);
    await paintedChart(page, "chart-history-health");
    await shot(b, "history");
    // On a phone: stacked rows, no horizontal scroll.
    await fitsOnPhone(b, "history-phone", "history");
    await goto("#/position");
  });
}
