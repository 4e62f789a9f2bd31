import { describe, expect, it, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { Buffer } from "buffer";
import { instantiateBallast, type BallastWasm } from "./core";
import { readPrice, readRow, readTotals, rejected } from "./testing";
import { liquidations, obligationView, overview, preview, rateCurve, risk, type Common } from "./api";
import { decodeAccount } from "../client/accounts";
import { messageForName } from "../client/errors";
import idl from "../idl/ballast.json";

// The same accounts the Rust differential test values with the program's own code
// (ballast_client::health), and its answers.
const fixture = JSON.parse(readFileSync(new URL("../../../crates/ballast-wasm/tests/fixtures/market.json", import.meta.url), "utf8"));
const bytes = (b64: string) => Buffer.from(b64, "base64");

let wasm: BallastWasm;
let common: Common;

beforeAll(async () => {
  wasm = await instantiateBallast(readFileSync(new URL("./pkg/ballast_bg.wasm", import.meta.url)));
  // Exactly the app's path: the accounts' raw bytes (base64), as getAccountInfo returns them.
  common = {
    now: fixture.now,
    marketKey: fixture.marketKey,
    market: fixture.market,
    reserves: fixture.reserves.map((r: { key: string; data: string; oracle: { key: string; owner: string; data: string } }) => ({
      key: r.key,
      data: r.data,
      oracle: r.oracle,
    })),
  };
});

describe("ballast.wasm equals the program", () => {
  it("loads in Node", () => {
    expect(wasm.version()).toBe("0.1.0");
  });

  it("health of every obligation (maintenance and initial) matches ballast-client's", () => {
    for (const o of fixture.obligations) {
      const view = obligationView(wasm, common, o.data);
      expect(view.maintenance).toEqual({ ok: true, health: o.maintenance });
      if (o.initial.health) expect(view.initial).toEqual({ ok: true, health: o.initial.health });
      else expect(view.initial).toEqual({ ok: false, error: o.initial.error });
    }
  });

  it("liquidation sizing matches the program's planner", () => {
    const obligations = fixture.obligations.map((o: { key: string; data: string }) => ({ key: o.key, data: o.data }));
    const rows = liquidations(wasm, common, obligations, fixture.liquidator, {});
    expect(rows).toEqual(fixture.liquidations.obligations);
    const liquidatable = rows.map(readRow).filter((r) => r.liquidatable);
    expect(liquidatable).toHaveLength(2);
    for (const row of liquidatable) {
      expect(row.plan?.check.ok).toBe(true);
      const expected = fixture.obligations.find((o: { key: string }) => o.key === row.key);
      const pair = expected.bestLiquidation.find(
        (p: { repayReserve: string; collateralReserve: string }) => p.repayReserve === row.plan!.repayReserve && p.collateralReserve === row.plan!.collateralReserve,
      );
      if (!row.plan!.repaysAll || pair.plan.repaysAll) expect(row.plan!.repayAmount).toBe(pair.plan.repayAmount);
    }
  });

  it("the risk overview sums the program's health of every obligation", () => {
    const obligations = fixture.obligations.map((o: { key: string; data: string }) => ({ key: o.key, data: o.data }));
    const r = risk(wasm, common, obligations);
    expect(r.obligations + r.errors).toBe(obligations.length);
    expect(r.errors).toBe(0);
    // Debt and the liquidatable bucket, from the health ballast-client computed for each one.
    const debts = fixture.obligations.map((o: { maintenance: { debtValue: string } }) => BigInt(o.maintenance.debtValue));
    expect(BigInt(r.debtUsd)).toBe(debts.reduce((a: bigint, b: bigint) => a + b, 0n));
    const unhealthy = fixture.obligations.filter((o: { maintenance: { healthy: boolean } }) => !o.maintenance.healthy);
    expect(r.histogram.buckets[0].obligations).toBe(unhealthy.length);
    const unhealthyDebt = unhealthy.reduce((a: bigint, o: { maintenance: { debtValue: string } }) => a + BigInt(o.maintenance.debtValue), 0n);
    expect(BigInt(r.histogram.buckets[0].debtUsd)).toBe(unhealthyDebt);
    // Nothing moves at a 0% drop: every map starts at the liquidatable debt of its holders.
    for (const m of r.liquidationMap) expect(m.steps).toHaveLength(13);
  });

  it("rates, prices and guards per reserve", () => {
    const reserves = overview(wasm, common);
    expect(reserves).toHaveLength(3);
    for (const r of reserves) {
      expect(r.price.ok).toBe(true);
      const totals = readTotals(r);
      expect(BigInt(totals.utilization)).toBeGreaterThan(0n);
      expect(BigInt(totals.supplyApr)).toBeLessThan(BigInt(totals.borrowApr));
      expect(readPrice(r).breakerTripped).toBe(false);
    }
    // SOL's confidence and EMA gap put it inside the haircut ramp: LTV is cut.
    expect(readPrice(reserves[0]).haircutLtvBps).toBeLessThan(reserves[0].ltvBps);
  });

  it("rate curves: the engine's rates from 0% to 100% utilisation, marked at the overview's rates", () => {
    const reserves = overview(wasm, common);
    const curves = rateCurve(wasm, common);
    expect(curves.map((c) => c.key)).toEqual(reserves.map((r) => r.key));
    curves.forEach((c, i) => {
      if (!Array.isArray(c.points) || "error" in c.current) throw new Error(`reserve ${i}: ${JSON.stringify(c)}`);
      expect(c.points[0].utilizationBps).toBe(0);
      expect(c.points.at(-1)!.utilizationBps).toBe(10_000);
      expect(c.points.length).toBeGreaterThanOrEqual(101);
      for (const p of c.curvePoints) {
        const at = c.points.find((x) => x.utilizationBps === p.utilizationBps)!;
        expect(BigInt(at.borrowApr)).toBe(BigInt(p.borrowRateBps) * 10n ** 14n);
      }
      const totals = readTotals(reserves[i]);
      expect(c.current).toEqual({ utilization: totals.utilization, borrowApr: totals.borrowApr, supplyApr: totals.supplyApr });
    });
    expect(rateCurve(wasm, common, 5_000)[0].points).toHaveLength(3 + curves[0].curvePoints.filter((p) => p.utilizationBps % 5_000 !== 0).length);
  });

  it("a borrow preview: the maximum passes, one unit more fails with the program's error", () => {
    const o = fixture.obligations[0];
    const obligation: string = o.data;
    const view = obligationView(wasm, common, obligation);
    const usdc = fixture.reserves[1].key;
    const max = BigInt(view.maxBorrow[usdc]);
    const owner = (decodeAccount("obligation", bytes(o.data)).owner as { toBase58(): string }).toBase58();
    const ok = preview(wasm, common, obligation, owner, { kind: "borrow", reserve: usdc, amount: max.toString() });
    expect(ok.ok).toBe(true);
    const over = preview(wasm, common, obligation, owner, { kind: "borrow", reserve: usdc, amount: (max + 1n).toString() });
    expect(rejected(over).error).toBe("InitialHealthNegative");
    expect(messageForName(rejected(over).error)).toMatch(/negative initial health/);
  });

  it("every error name the wasm can report has a message", () => {
    const names = new Set((idl as unknown as { errors: { name: string }[] }).errors.map((e) => e.name));
    for (const name of ["InitialHealthNegative", "PriceStale", "CircuitBreakerTripped", "ObligationHealthy", "ZeroAmount"]) expect(names.has(name)).toBe(true);
    expect(messageForName("TokenInsufficientFunds")).not.toBe("TokenInsufficientFunds");
  });

  it("bad requests throw a JS Error with the reason, and the engine keeps answering", () => {
    expect(() => wasm.overview({} as Common)).toThrow(/missing field `now`/);
    expect(() => wasm.overview({ ...common, reserves: [{ key: "k", data: "not base64 !" }] })).toThrow(/reserve: not base64/);
    expect(() => wasm.preview({ ...common, actions: [] })).toThrow(/give one `action` or a non-empty list/);
    expect(() => wasm.preview({ ...common, action: { kind: "lend" as never, reserve: "k" } })).toThrow(/unknown variant `lend`/);
    // Failures leak nothing that breaks the next call.
    for (let i = 0; i < 200; i++) expect(() => wasm.overview({} as Common)).toThrow();
    expect(overview(wasm, common)).toHaveLength(3);
  });
});
