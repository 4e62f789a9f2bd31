// Typed calls to the wasm. The request and answer types are generated from the Rust
// declarations (tsify, `./pkg/ballast.d.ts`). Inputs are the accounts' raw bytes (base64, as
// getAccountInfo returns them; the wasm decodes them with the program's own layouts), the oracle
// accounts' bytes and the chain clock; answers carry every integer as a decimal string (Wads raw:
// 1e18 = 1.0).
import type { BallastWasm } from "./core";
import type * as Engine from "./pkg/ballast";

export type {
  ActionIn,
  Common,
  Rates,
  HealthOut,
  HealthResult,
  HealthSummary,
  LiquidationRow,
  ObligationOut,
  OracleAccountIn,
  PlanOut,
  PositionOut,
  PreviewOut,
  PriceOut,
  RateCurveOut,
  RatePoint,
  ReserveIn,
  ReserveOverview,
  RiskOverview,
  SequenceKind,
  StepOut,
  Totals,
} from "./pkg/ballast";

/** A position whose reserve could be read (an unreadable one carries `error` instead). */
export type PositionRead = Extract<Engine.PositionOut, { collateral: boolean }>;
export const isPositionRead = (p: Engine.PositionOut): p is PositionRead => !("error" in p);

/** An obligation the engine could value (one it could not carries `error`). */
export type LiquidationRead = Extract<Engine.LiquidationRow, { liquidatable: boolean }>;
export const isLiquidationRead = (r: Engine.LiquidationRow): r is LiquidationRead => !("error" in r);

/** An action of a sequence the engine accepted. */
export type StepAccepted = Extract<Engine.StepOut, { ok: true }>;
export const isStepAccepted = (s: Engine.StepOut): s is StepAccepted => s.ok;

/** Step `i` of a previewed sequence, if the engine accepted it. */
export function acceptedStep(result: Engine.PreviewOut | null, i: number): StepAccepted | undefined {
  const step = result?.steps[i];
  return step && isStepAccepted(step) ? step : undefined;
}

/** A reserve's totals and rates, or `null` when the engine could not accrue its interest. */
export type ReserveTotals = Extract<Engine.Totals, { utilization: string }>;
export const totalsOf = (r: Engine.ReserveOverview): ReserveTotals | null => ("error" in r.totals ? null : r.totals);

/** The user actions (a subset of what a sequence can hold). */
export type ActionKind = Extract<Engine.SequenceKind, "deposit" | "withdraw" | "borrow" | "repay">;

export function overview(wasm: BallastWasm, common: Engine.Common): Engine.ReserveOverview[] {
  return wasm.overview(common).reserves;
}

export function obligationView(wasm: BallastWasm, common: Engine.Common, obligation: string | null, owner?: string): Engine.ObligationOut {
  return wasm.obligation({ ...common, obligation, owner });
}

export function preview(
  wasm: BallastWasm,
  common: Engine.Common,
  obligation: string | null,
  owner: string,
  action: Engine.ActionIn,
  walletBalance?: string | null,
): Engine.PreviewOut {
  return wasm.preview({ ...common, obligation, owner, action, walletBalance: walletBalance ?? undefined });
}

/**
 * Several actions run in order as one transaction's instructions, each on what the ones before
 * it left; stops at the first the program would reject. `walletBalances`: the signer's token
 * balances by reserve (a reserve left out is not checked).
 */
export function previewSequence(
  wasm: BallastWasm,
  common: Engine.Common,
  obligation: string | null,
  owner: string,
  actions: Engine.ActionIn[],
  walletBalances: Record<string, string> = {},
): Engine.PreviewOut {
  return wasm.preview({ ...common, obligation, owner, actions, walletBalances });
}

export function liquidations(
  wasm: BallastWasm,
  common: Engine.Common,
  obligations: { key: string; data: string }[],
  liquidator: string | null,
  budgets: Record<string, string>,
  slippageBps = 100,
): Engine.LiquidationRow[] {
  return wasm.liquidations({ ...common, obligations, liquidator: liquidator ?? undefined, budgets, slippageBps }).obligations;
}

/** u64::MAX as a decimal string: "all" for withdraw and repay, as on chain. */
export const U64_MAX = "18446744073709551615";

export function risk(wasm: BallastWasm, common: Engine.Common, obligations: { key: string; data: string }[]): Engine.RiskOverview {
  return wasm.risk({ ...common, obligations });
}

/** Per reserve: the engine's rates at every `stepBps` of utilisation, the curve's own points and the current mark. */
export function rateCurve(wasm: BallastWasm, common: Engine.Common, stepBps = 100): Engine.RateCurveOut[] {
  return wasm.rateCurve({ ...common, stepBps }).reserves;
}
