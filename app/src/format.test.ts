import { describe, expect, it } from "vitest";
import {
  formatAge,
  formatBps,
  formatCap,
  formatFixed,
  formatHealthFactor,
  formatPercentWad,
  formatUnits,
  formatUsd,
  formatWadUnits,
  healthBarPercent,
  healthTone,
  parseUnits,
  shortKey,
} from "./format";

const WAD = 10n ** 18n;

describe("formatting", () => {
  it("scales fixed point down without floating point", () => {
    expect(formatFixed(123456789n, 6, 2)).toBe("123.45");
    expect(formatFixed(1234567890123456789012345n, 18, 4)).toBe("1,234,567.8901");
    expect(formatFixed(5n, 6, 6)).toBe("0.000005");
    expect(formatFixed(-1500000n, 6, 2)).toBe("-1.5");
    expect(formatFixed(0n, 6, 2)).toBe("0");
  });
  it("formats USD, percentages and bps", () => {
    expect(formatUsd((1500n * WAD + WAD / 2n).toString())).toBe("$1,500.50");
    expect(formatUsd("-2500000000000000000")).toBe("-$2.50");
    expect(formatUsd(null)).toBe("–");
    expect(formatPercentWad((WAD * 425n) / 10000n)).toBe("4.25%");
    expect(formatPercentWad(WAD)).toBe("100.00%");
    expect(formatBps(7500)).toBe("75%");
    expect(formatBps(825)).toBe("8.25%");
  });
  it("formats token amounts, wad amounts and caps", () => {
    expect(formatUnits(1500000000n, 9)).toBe("1.5");
    expect(formatUnits("123456789", 6, 2)).toBe("123.45");
    expect(formatWadUnits((1500000000n * WAD).toString(), 9)).toBe("1.5");
    expect(formatCap("18446744073709551615", 6)).toBe("no cap");
    expect(formatCap("2000000000", 6)).toBe("2,000");
  });
  it("health factor text, colour band and bar", () => {
    expect(formatHealthFactor(null)).toBe("∞");
    expect(formatHealthFactor(((WAD * 123n) / 100n).toString())).toBe("1.23");
    expect(formatHealthFactor((WAD * 5000n).toString())).toBe("> 1,000");
    expect(healthTone(null)).toBe("none");
    expect(healthTone((2n * WAD).toString())).toBe("safe");
    expect(healthTone(((WAD * 12n) / 10n).toString())).toBe("warning");
    expect(healthTone(((WAD * 9n) / 10n).toString())).toBe("danger");
    expect(healthBarPercent(((WAD * 15n) / 10n).toString())).toBe(50);
    expect(healthBarPercent(((WAD * 9n) / 10n).toString())).toBe(0);
    expect(healthBarPercent(null)).toBe(100);
  });
  it("ages and keys", () => {
    expect(formatAge(5)).toBe("5 s");
    expect(formatAge("125")).toBe("2 min");
    expect(formatAge(7200)).toBe("2 h");
    expect(shortKey("AxKxQ7pR8RKQDTo5BycZbrhA4qz2eDT5Y4gpNLBbW9A")).toBe("AxKx…bW9A");
  });
});

describe("parseUnits", () => {
  it("parses decimal input into base units exactly", () => {
    expect(parseUnits("1.5", 9)).toEqual({ ok: true, units: 1500000000n });
    expect(parseUnits(" 1,000.25 ", 6)).toEqual({ ok: true, units: 1000250000n });
    expect(parseUnits(".5", 2)).toEqual({ ok: true, units: 50n });
    expect(parseUnits("7", 0)).toEqual({ ok: true, units: 7n });
    expect(parseUnits("0.000000000000000001", 18)).toEqual({ ok: true, units: 1n });
  });
  it("rejects what the chain cannot take", () => {
    expect(parseUnits("", 6).ok).toBe(false);
    expect(parseUnits("-1", 6).ok).toBe(false);
    expect(parseUnits("1e5", 6).ok).toBe(false);
    expect(parseUnits("1.2345678", 6)).toEqual({ ok: false, error: "At most 6 decimal places" });
    expect(parseUnits("18446744073709551616", 0)).toEqual({ ok: false, error: "Amount too large" });
    expect(parseUnits("18446744073709551615", 0).ok).toBe(true);
  });
});
