// Display only: fixed-point integers (decimal strings from the wasm) to text, and user input to
// base units. Integer string arithmetic with BigInt, no floating point, no protocol math.

export const WAD_DECIMALS = 18;
export const U64_MAX = 18446744073709551615n;

function toBig(v: string | bigint | number): bigint {
  return typeof v === "bigint" ? v : BigInt(v);
}

function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * `raw / 10^scale` with `fraction` digits, rounded down (toward zero), thousands grouped, trailing
 * zeros of the fraction trimmed down to `minFraction`.
 */
export function formatFixed(raw: string | bigint | number, scale: number, fraction = 2, minFraction = 0): string {
  let v = toBig(raw);
  const negative = v < 0n;
  if (negative) v = -v;
  const unit = 10n ** BigInt(scale);
  const whole = v / unit;
  let frac = (v % unit).toString().padStart(scale, "0").slice(0, fraction);
  while (frac.length > minFraction && frac.endsWith("0")) frac = frac.slice(0, -1);
  const text = groupThousands(whole.toString()) + (frac ? `.${frac}` : "");
  return negative && text.replace(/[0.,]/g, "") !== "" ? `-${text}` : text;
}

/** A Wad (1e18 = 1.0). */
export function formatWad(raw: string | bigint, fraction = 4): string {
  return formatFixed(raw, WAD_DECIMALS, fraction);
}

/** USD from a Wad of dollars. */
export function formatUsd(raw: string | bigint | null | undefined): string {
  if (raw === null || raw === undefined) return "–";
  const v = toBig(raw);
  return v < 0n ? `-$${formatFixed(-v, WAD_DECIMALS, 2, 2)}` : `$${formatFixed(v, WAD_DECIMALS, 2, 2)}`;
}

/** A Wad ratio as a percentage (1e18 = 100%). */
export function formatPercentWad(raw: string | bigint | null | undefined, fraction = 2): string {
  if (raw === null || raw === undefined) return "–";
  return `${formatFixed(raw, WAD_DECIMALS - 2, fraction, Math.min(fraction, 2))}%`;
}

/** Basis points as a percentage (10,000 = 100%). */
export function formatBps(bps: number | string): string {
  return `${formatFixed(bps, 2, 2)}%`;
}

/** Base units of a token with `decimals` as a token amount. */
export function formatUnits(units: string | bigint | null | undefined, decimals: number, fraction = Math.min(decimals, 6)): string {
  if (units === null || units === undefined) return "–";
  return formatFixed(units, decimals, fraction);
}

/** A Wad of base units (the wasm's unrounded amounts) as a token amount. */
export function formatWadUnits(raw: string | bigint | null | undefined, decimals: number, fraction = Math.min(decimals, 6)): string {
  if (raw === null || raw === undefined) return "–";
  return formatFixed(raw, WAD_DECIMALS + decimals, fraction);
}

/** A cap in base units; `u64::MAX` means none. */
export function formatCap(units: string | bigint, decimals: number): string {
  return toBig(units) === U64_MAX ? "no cap" : formatUnits(units, decimals, 2);
}

/** The health factor (a Wad, or null with no debt). */
export function formatHealthFactor(raw: string | null | undefined): string {
  if (raw === null || raw === undefined) return "∞";
  const v = toBig(raw);
  if (v >= 1000n * 10n ** 18n) return "> 1,000";
  return formatFixed(v, WAD_DECIMALS, 2, 2);
}

export type HealthTone = "safe" | "warning" | "danger" | "none";

/** Colour band of a health factor: >= 1.5 safe, >= 1.1 warning, below danger. */
export function healthTone(raw: string | null | undefined): HealthTone {
  if (raw === null || raw === undefined) return "none";
  const v = toBig(raw);
  if (v >= 15n * 10n ** 17n) return "safe";
  if (v >= 11n * 10n ** 17n) return "warning";
  return "danger";
}

/** Fill of the health bar in percent: HF 1.0 at 0%... HF 2.0 and above full (display only). */
export function healthBarPercent(raw: string | null | undefined): number {
  if (raw === null || raw === undefined) return 100;
  const v = toBig(raw);
  const one = 10n ** 18n;
  if (v <= one) return 0;
  if (v >= 2n * one) return 100;
  return Number(((v - one) * 100n) / one);
}

/** Seconds as a short age. */
export function formatAge(secs: string | number | bigint | null | undefined): string {
  if (secs === null || secs === undefined) return "–";
  const s = Number(secs);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

export function shortKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 4)}…${key.slice(-4)}` : key;
}

/**
 * Parses a decimal amount typed by the user into base units. Returns an error string for empty,
 * negative, malformed input, more fraction digits than the token has, or more than u64.
 */
export function parseUnits(input: string, decimals: number): { ok: true; units: bigint } | { ok: false; error: string } {
  const text = input.trim().replace(/[,_\s]/g, "");
  if (text === "") return { ok: false, error: "Enter an amount" };
  if (!/^\d*\.?\d*$/.test(text) || text === ".") return { ok: false, error: "Not a number" };
  const [whole, frac = ""] = text.split(".");
  if (frac.length > decimals) return { ok: false, error: `At most ${decimals} decimal places` };
  const units = BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt((frac + "0".repeat(decimals)).slice(0, decimals) || "0");
  if (units > U64_MAX) return { ok: false, error: "Amount too large" };
  return { ok: true, units };
}

/** Reserve status byte. */
export function reserveStatusName(status: number): string {
  return status === 0 ? "Active" : status === 1 ? "Reduce-only" : "Paused";
}
