// The e2e's page helpers: locators by test id, screenshots, waiting for an attribute or a
// transaction, filling and submitting an action form. Shared by every step module.
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS } from "./harness.mjs";

export const WAD = 10n ** 18n;
export const T = { tx: 30_000, ui: 15_000, poll: 20_000 };

export const shot = (b, name) => b.page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
export const byTestId = (scope, id) => scope.locator(`[data-testid="${id}"]`);
export const wad = (s) => (s === "inf" ? null : BigInt(s));

/**
 * On a phone-sized viewport (390 x 844) the page has no horizontal scroll: charts follow the
 * viewport on Chart.js's next resize frame, so it waits up to 3 s for the width to settle, takes
 * the screenshot `name`, then restores the desktop viewport.
 */
export async function fitsOnPhone(b, name, what) {
  const { page } = b;
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    const width = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    let { scroll, client } = await width();
    for (const t0 = Date.now(); scroll > client && Date.now() - t0 < 3000; ({ scroll, client } = await width())) await new Promise((r) => setTimeout(r, 100));
    await shot(b, name);
    assert.ok(scroll <= client, `${what}: ${scroll} px wide in a ${client} px viewport`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}
/** "$1,234.56" -> 1234.56 */
export const usd = (text) => Number(text.replace(/[$,\s]/g, ""));
export async function debtValue(page) {
  return usd(await byTestId(page, "debt-value").textContent({ timeout: T.ui }));
}
/** Debt is valued at the price's upper confidence bound: a little above the borrowed dollars. */
export const about = (value, dollars) => value >= dollars && value < dollars * 1.002;

/** Waits until the locator's attribute satisfies `ok` (the app re-reads the chain every 4 s). */
export async function waitForAttr(locator, attr, ok, what, timeout = T.poll) {
  const t0 = Date.now();
  let last;
  for (;;) {
    last = await locator.getAttribute(attr, { timeout }).catch(() => null);
    if (last !== null && ok(last)) return last;
    if (Date.now() - t0 > timeout) throw new Error(`${what}: last ${attr}=${last}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function confirmed(scope) {
  const status = byTestId(scope, "tx-status");
  await status.and(scope.locator('[data-stage="confirmed"], [data-stage="failed"]')).first().waitFor({ timeout: T.tx });
  const stage = await status.getAttribute("data-stage");
  if (stage !== "confirmed") throw new Error(`transaction ${stage}: ${await status.textContent()}`);
}

/** Submits an action form and waits for its transaction to be confirmed. */
export async function submit(form, kind) {
  assert.equal(await byTestId(form, "tx-status").count(), 0, "a stale transaction status"); // each form is fresh
  await byTestId(form, `${kind}-submit`).click();
  await confirmed(form);
}

export async function connectAndFund(b) {
  await byTestId(b.page, "connect-burner").click();
  const address = await waitForAttr(byTestId(b.page, "wallet-address"), "data-address", (a) => a.length > 30, "burner address");
  await byTestId(b.page, "get-test-tokens").click();
  await b.page.locator('[data-testid="faucet-status"]', { hasText: "Test tokens received" }).waitFor({ timeout: T.tx });
  return address;
}

/** Fills an action form and waits for its preview (ok or error). */
export async function fillAction(page, kind, symbol, amount) {
  const form = byTestId(page, `${kind}-form`);
  await byTestId(form, `${kind}-reserve`).selectOption({ label: symbol });
  await byTestId(form, `${kind}-amount`).fill(amount);
  await byTestId(form, `${kind}-preview`).waitFor({ timeout: T.ui });
  return form;
}

export async function healthOnPosition(page) {
  return wad(await byTestId(page, "health-value").getAttribute("data-value", { timeout: T.ui }));
}
