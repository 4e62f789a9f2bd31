// The Risk page's end-to-end check (dapp.e2e.mjs, step "risk page"): every number the page
// shows, read from its cells' data attributes, against the Rust engine's overview of the same
// accounts (`ballast-migrate risk`).

/** Every number the Risk page shows, from its cells' data attributes (raw Wads and counts). */
export function riskPageValues(page) {
  return page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll('[data-testid^="risk-"], [data-testid^="hf-"], [data-testid^="liq-"], [data-testid^="scenario-row-"]')) {
      const attrs = {};
      for (const a of el.attributes) if (a.name.startsWith("data-") && a.name !== "data-testid") attrs[a.name.slice(5)] = a.value;
      attrs.text = el.textContent;
      out[el.getAttribute("data-testid")] = attrs;
    }
    return out;
  });
}

/**
 * The page's values against `ballast-migrate risk` (the engine over the same accounts, natively):
 * the differences, or []. `reserves`: the deployment's (symbol and key of each).
 */
export function riskDifferences(shown, expected, reserves) {
  const diffs = [];
  const check = (what, got, want) => {
    if (String(got) !== String(want)) diffs.push(`${what}: page ${got}, engine ${want}`);
  };
  check("chain clock", shown["risk-updated"]?.now, expected.now);
  check("obligations", shown["risk-obligations"]?.text, expected.obligations);
  check("debt", shown["risk-debt"]?.value, expected.debtUsd);
  check("collateral", shown["risk-collateral"]?.value, expected.collateralUsd);
  expected.histogram.buckets.forEach((b, i) => {
    check(`HF bucket ${i} debt`, shown[`hf-row-${i}`]?.debt, b.debtUsd);
    check(`HF bucket ${i} obligations`, shown[`hf-row-${i}`]?.obligations, b.obligations);
  });
  check("no-debt obligations", shown["hf-no-debt"]?.obligations, expected.histogram.noDebtObligations);
  for (const r of reserves) {
    const map = expected.liquidationMap.find((m) => m.reserve === r.reserve);
    for (const s of map.steps) {
      const cell = shown[`liq-${r.symbol}-${s.dropBps}`];
      check(`${r.symbol} -${s.dropBps} bps liquidatable`, cell?.value, s.liquidatableDebtUsd);
      check(`${r.symbol} -${s.dropBps} bps newly`, cell?.newly, s.newlyLiquidatableDebtUsd);
      check(`${r.symbol} -${s.dropBps} bps obligations`, cell?.obligations, s.obligations);
    }
  }
  for (const s of expected.scenarios) {
    const row = shown[`scenario-row-${s.index}`];
    check(`scenario ${s.index} liquidatable`, row?.liquidatable, s.liquidatableDebtUsd);
    check(`scenario ${s.index} bad debt`, row?.["bad-debt"], s.badDebtUsd);
    check(`scenario ${s.index} obligations`, row?.obligations, s.liquidatableObligations);
  }
  return diffs;
}
