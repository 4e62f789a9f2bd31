import { describe, expect, it } from "vitest";
import { rateCurveSeries } from "./rateCurve";
import type { RateCurveOut } from "../wasm/api";

const W = 10n ** 16n; // 1% as a Wad
const wad = (percent: number) => ((BigInt(Math.round(percent * 10_000)) * W) / 10_000n).toString();

const curve: RateCurveOut = {
  key: "R",
  points: [
    { utilizationBps: 0, utilization: "0", borrowApr: wad(0), supplyApr: "0" },
    { utilizationBps: 8000, utilization: wad(80), borrowApr: wad(8), supplyApr: wad(5.76) },
    { utilizationBps: 10000, utilization: wad(100), borrowApr: wad(108), supplyApr: wad(97.2) },
  ],
  current: { utilization: wad(9.99), borrowApr: wad(0.999), supplyApr: wad(0.0898) },
  curvePoints: [],
  protocolTakeRateBps: 1000,
  insuranceTakeRateBps: 0,
};

describe("rate curve series", () => {
  it("plots the wasm's points as percentages and marks the current utilisation", () => {
    const s = rateCurveSeries(curve);
    expect(s.borrow).toEqual([{ x: 0, y: 0 }, { x: 80, y: 8 }, { x: 100, y: 108 }]);
    expect(s.supply.map((p) => p.x)).toEqual([0, 80, 100]);
    expect(s.supply[1].y).toBeCloseTo(5.76, 10);
    expect(s.current?.utilization).toBeCloseTo(9.99, 10);
    expect(s.current?.borrow).toBeCloseTo(0.999, 10);
    expect(s.error).toBeNull();
  });

  it("passes an error on and draws no mark without a current reading", () => {
    const s = rateCurveSeries({ ...curve, current: { error: "MathOverflow" } });
    expect(s.current).toBeNull();
    expect(s.error).toBe("MathOverflow");
    expect(rateCurveSeries({ ...curve, points: { error: "InvalidConfig" } }).borrow).toEqual([]);
  });
});
