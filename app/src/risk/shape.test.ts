import { describe, expect, it } from "vitest";
import type { RiskOverview } from "../wasm/api";
import { formatShock, histogramRows, liquidationMap, scenarioRows, wadToNumber } from "./shape";

const usd = (dollars: number) => (BigInt(Math.round(dollars * 100)) * 10n ** 16n).toString();
const SOL = "So11111111111111111111111111111111111111112";
const USDC = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
const symbols: Record<string, string> = { [SOL]: "SOL", [USDC]: "USDC" };
const symbolOf = (k: string) => symbols[k];

const edges = [10_000, 10_500, 11_000, 12_500, 15_000, 20_000];
const overview: RiskOverview = {
  now: "1700000000",
  obligations: 5,
  errors: 0,
  debtUsd: usd(2230),
  collateralUsd: usd(4500),
  histogram: {
    buckets: [850, 780, 0, 0, 0, 500, 100].map((d, i) => ({
      fromBps: i === 0 ? null : edges[i - 1],
      toBps: edges[i] ?? null,
      debtUsd: usd(d),
      obligations: d ? 1 : 0,
    })),
    noDebtObligations: 1,
  },
  liquidationMap: [SOL, USDC].map((reserve) => ({
    reserve,
    steps: Array.from({ length: 13 }, (_, s) => ({
      dropBps: s * 500,
      liquidatableDebtUsd: usd(reserve === SOL ? (s === 0 ? 850 : s < 8 ? 1630 : 2130) : 0),
      newlyLiquidatableDebtUsd: usd(reserve === SOL ? ({ 0: 850, 1: 780, 8: 500 } as Record<number, number>)[s] ?? 0 : 0),
      obligations: reserve === SOL ? (s === 0 ? 1 : s < 8 ? 2 : 3) : 0,
    })),
  })),
  scenarios: [
    { index: 0, shocksBps: { [USDC]: -100, [SOL]: -3500 }, liquidatableDebtUsd: usd(1613.7), liquidatableObligations: 2, badDebtUsd: usd(313.7) },
    { index: 1, shocksBps: { [SOL]: 0, [USDC]: 0 }, liquidatableDebtUsd: usd(850), liquidatableObligations: 1, badDebtUsd: "0" },
  ],
};

describe("Risk page data shaping", () => {
  it("labels the health-factor buckets and keeps the exact debt", () => {
    const rows = histogramRows(overview);
    expect(rows.map((r) => r.label)).toEqual(["< 1.00", "1.00–1.05", "1.05–1.10", "1.10–1.25", "1.25–1.50", "1.50–2.00", "≥ 2.00"]);
    expect(rows.map((r) => r.tone)).toEqual(["danger", "warning", "warning", "safe", "safe", "safe", "safe"]);
    expect(rows[1].debtUsd).toBe("780000000000000000000");
    expect(rows.map((r) => r.obligations)).toEqual([1, 1, 0, 0, 0, 1, 1]);
  });

  it("turns the liquidation map into one series per reserve, named by symbol", () => {
    const map = liquidationMap(overview, symbolOf);
    expect(map.dropsBps).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5500, 6000]);
    expect(map.series.map((s) => s.symbol)).toEqual(["SOL", "USDC"]);
    expect(map.series[0].liquidatableDebtUsd.map(wadToNumber).slice(0, 9)).toEqual([850, 1630, 1630, 1630, 1630, 1630, 1630, 1630, 2130]);
    expect(map.series[0].newlyLiquidatableDebtUsd.map(wadToNumber).filter((v) => v > 0)).toEqual([850, 780, 500]);
    expect(liquidationMap(overview, () => undefined).series[1].symbol).toBe(USDC);
  });

  it("names each scenario by its price moves and keeps its outcome", () => {
    const rows = scenarioRows(overview, symbolOf, ["SOL complex -35%"]);
    expect(rows[0]).toMatchObject({ name: "SOL complex -35%", shocks: "SOL −35%, USDC −1%", liquidatableObligations: 2 });
    expect(wadToNumber(rows[0].liquidatableDebtUsd)).toBeCloseTo(1613.7, 9);
    expect(wadToNumber(rows[0].badDebtUsd)).toBeCloseTo(313.7, 9);
    expect(rows[1]).toMatchObject({ name: "Scenario 2", shocks: "no price moves", badDebtUsd: "0" });
  });

  it("formats shocks and converts Wads for the axes", () => {
    expect(formatShock(-3500)).toBe("−35%");
    expect(formatShock(250)).toBe("+2.5%");
    expect(wadToNumber("1500000000000000000")).toBe(1.5);
    expect(wadToNumber("0")).toBe(0);
  });
});
