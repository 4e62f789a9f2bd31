// The Risk page's data shaping: the wasm's overview (crates/ballast-wasm/src/risk.rs, every USD
// amount a Wad) into table rows and chart series. Display only: labels, symbols and floats for the
// charts' axes; the exact Wads stay in the rows for the tables (and the e2e's checks).
import type { RiskOverview } from "../wasm/api";
import { formatBps } from "../format";

const WAD = 10n ** 18n;

/** A Wad of dollars as a float (chart axes only; tables show the exact Wad). */
export function wadToNumber(raw: string): number {
  const v = BigInt(raw);
  return Number(v / WAD) + Number(v % WAD) / 1e18;
}

/** A health-factor edge in bps as "1.05". */
function hf(bps: number): string {
  return (bps / 10_000).toFixed(2);
}

export interface HistogramRow {
  label: string;
  debtUsd: string;
  obligations: number;
  /** 0: liquidatable (HF < 1), 1: within 10% of it, 2: further. */
  tone: "danger" | "warning" | "safe";
}

export function histogramRows(overview: RiskOverview): HistogramRow[] {
  return overview.histogram.buckets.map((b) => {
    const label = b.fromBps === null ? `< ${hf(b.toBps!)}` : b.toBps === null ? `≥ ${hf(b.fromBps)}` : `${hf(b.fromBps)}–${hf(b.toBps)}`;
    const tone = b.fromBps === null ? "danger" : b.fromBps < 11_000 ? "warning" : "safe";
    return { label, debtUsd: b.debtUsd, obligations: b.obligations, tone };
  });
}

export interface MapSeries {
  reserve: string;
  symbol: string;
  /** Per drop step, in order. */
  liquidatableDebtUsd: string[];
  newlyLiquidatableDebtUsd: string[];
  obligations: number[];
}

export interface LiquidationMap {
  /** Price drops in bps, 0 to 6,000. */
  dropsBps: number[];
  series: MapSeries[];
}

/** One series per reserve, in the overview's order, named by `symbolOf` (its key if unknown). */
export function liquidationMap(overview: RiskOverview, symbolOf: (reserve: string) => string | undefined): LiquidationMap {
  const dropsBps = overview.liquidationMap[0]?.steps.map((s) => s.dropBps) ?? [];
  const series = overview.liquidationMap.map((m) => ({
    reserve: m.reserve,
    symbol: symbolOf(m.reserve) ?? m.reserve,
    liquidatableDebtUsd: m.steps.map((s) => s.liquidatableDebtUsd),
    newlyLiquidatableDebtUsd: m.steps.map((s) => s.newlyLiquidatableDebtUsd),
    obligations: m.steps.map((s) => s.obligations),
  }));
  return { dropsBps, series };
}

export interface ScenarioRow {
  index: number;
  /** The scenario's name if the page knows it, else "Scenario N". */
  name: string;
  /** The shocks that move a price, e.g. "SOL −35%, USDC −1%". */
  shocks: string;
  liquidatableDebtUsd: string;
  liquidatableObligations: number;
  badDebtUsd: string;
}

/** A shock in bps as "−35%" / "+10%". */
export function formatShock(bps: number): string {
  return `${bps < 0 ? "−" : "+"}${formatBps(Math.abs(bps))}`;
}

export function scenarioRows(overview: RiskOverview, symbolOf: (reserve: string) => string | undefined, names: string[] = []): ScenarioRow[] {
  // Reserves in the market's order (the liquidation map's), not the JSON object's key order.
  const order = overview.liquidationMap.map((m) => m.reserve);
  return overview.scenarios.map((s) => {
    const reserves = [...order.filter((k) => k in s.shocksBps), ...Object.keys(s.shocksBps).filter((k) => !order.includes(k))];
    const moves = reserves
      .filter((reserve) => s.shocksBps[reserve] !== 0)
      .map((reserve) => `${symbolOf(reserve) ?? reserve} ${formatShock(s.shocksBps[reserve])}`);
    return {
      index: s.index,
      name: names[s.index] ?? `Scenario ${s.index + 1}`,
      shocks: moves.length ? moves.join(", ") : "no price moves",
      liquidatableDebtUsd: s.liquidatableDebtUsd,
      liquidatableObligations: s.liquidatableObligations,
      badDebtUsd: s.badDebtUsd,
    };
  });
}
