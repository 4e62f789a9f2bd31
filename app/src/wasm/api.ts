// Typed requests to the wasm. Inputs are the accounts' raw bytes (base64, as getAccountInfo
// returns them; the wasm decodes them with the program's own layouts), the oracle accounts'
// bytes and the chain clock; answers carry every integer as a decimal string (Wads raw:
// 1e18 = 1.0).
import type { BallastWasm } from "./core";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface OracleAccountInput {
  key: string;
  owner: string;
  /** base64 */
  data: string;
}

export interface ReserveInput {
  key: string;
  /** The reserve account's data, base64. */
  data: string;
  oracle?: OracleAccountInput | null;
}

export interface Common {
  now: string;
  reserves: ReserveInput[];
  /** The market account's data, base64. */
  market?: string;
  marketKey?: string;
}

export interface HealthOut {
  weightedCollateral: string;
  weightedDebt: string;
  collateralValue: string;
  debtValue: string;
  /** null: no debt (infinite). */
  healthFactor: string | null;
  margin: string;
  healthy: boolean;
}

export type HealthResult = { ok: true; health: HealthOut } | { ok: false; error: string };

export interface PriceOut {
  ok: boolean;
  error?: string;
  price?: string;
  conf?: string;
  emaPrice?: string;
  emaConf?: string;
  exponent?: number;
  publishTime?: string;
  ageSecs?: string;
  spot?: string | null;
  spotError?: string | null;
  low?: string | null;
  high?: string | null;
  ema?: string | null;
  confidenceBps?: string | null;
  emaDeviationBps?: string | null;
  validationError?: string | null;
  breakerTripped?: boolean | null;
  haircutLtvBps?: number | null;
}

export interface ReserveOverview {
  key: string;
  mint: string;
  decimals: number;
  status: number;
  totals: {
    utilization?: string;
    borrowApr?: string;
    supplyApr?: string;
    totalSupply?: string;
    totalBorrows?: string;
    availableLiquidity?: string;
    supplyShareValue?: string;
    borrowIndex?: string;
    error?: string;
  };
  price: PriceOut;
  supplyCap: string;
  borrowCap: string;
  supplyCapRoom: string | null;
  borrowCapRoom: string | null;
  ltvBps: number;
  liquidationThresholdBps: number;
  borrowFactorBps: number;
  maxEmaDeviationBps: number;
  utilizationCeilingBps: number;
  collateralValueCapUsd: string;
  maxPriceAgeSecs: string;
  maxConfidenceBps: number;
}

export interface PositionOut {
  reserve: string;
  error?: string;
  supplyShares: string;
  debtShares: string;
  depositAmount: string;
  depositUnits: string;
  depositValue: string | null;
  debtAmount: string;
  debtUnits: string;
  debtValue: string | null;
  liquidationPrice: string | null;
  maxWithdraw: string;
  withdrawAll: boolean;
  /** Whether the deposit counts as collateral (`set_collateral`). */
  collateral: boolean;
}

export interface ObligationOut {
  maintenance: HealthResult;
  initial: HealthResult;
  borrowPowerLeft: string | null;
  hasDebt: boolean;
  /** The Dutch auction's clock (unix seconds; "0": not running). */
  liquidatableSinceTs: string;
  positions: PositionOut[];
  maxBorrow: Record<string, string>;
  healthAccounts: string[];
}

export type ActionKind = "deposit" | "withdraw" | "borrow" | "repay";
/**
 * What a previewed sequence can hold: the user actions, `set_collateral`, a flash loan's two
 * halves, and the withdraw that repays one out of the deposit (the amount plus the reserve's
 * flash-loan fee on it, the fee computed by the engine).
 */
export type SequenceKind = ActionKind | "setCollateral" | "flashBorrow" | "flashRepay" | "withdrawPlusFlashFee";

/** Health and the borrow power left (null: initial health cannot be computed). */
export interface HealthSummary {
  maintenance: HealthResult;
  initial: HealthResult;
  borrowPowerLeft: string | null;
}

/** One action of a previewed sequence: accepted (amount moved) or the rejected one. */
export interface StepOut {
  ok: boolean;
  kind: SequenceKind;
  reserve: string;
  amount?: string;
  /** flashRepay: the fee (included in `amount`); withdrawPlusFlashFee: the fee it added. */
  fee?: string | null;
  error?: string;
  checkedHealth?: HealthOut | null;
  /** The positions after this action (rejected: where it stopped): its health accounts. */
  healthAccounts: string[];
}

export interface PreviewOut {
  ok: boolean;
  error?: string;
  /** The rejected action's index in the sequence. */
  failedAction?: number;
  /** The last action's amount moved. */
  amount?: string;
  before: HealthSummary;
  after?: HealthSummary;
  checkedHealth?: HealthOut | null;
  /** The positions after every action (rejected: where the rejected one stopped). */
  healthAccounts?: string[];
  /** The actions that ran, in order (the last one is the rejected one, if any). */
  steps?: StepOut[];
}

export interface ActionIn {
  kind: SequenceKind;
  reserve: string;
  /** Base units (not read by setCollateral). */
  amount?: string;
  /** setCollateral: whether the deposit is to count as collateral. */
  collateral?: boolean;
}

export interface PlanOut {
  repayReserve: string;
  collateralReserve: string;
  repayAmount: string;
  repaysAll: boolean;
  liquidatorAmount: string;
  minCollateralOut: string;
  protocolAmount: string;
  bonusBps: number;
  repayValue: string;
  seizedValue: string;
  profit: string;
  check: { ok: boolean; error?: string; healthAfter?: HealthOut };
}

export interface LiquidationRow {
  key: string;
  owner: string;
  error?: string;
  health?: HealthOut;
  liquidatable?: boolean;
  plan?: PlanOut | null;
  planError?: string | null;
  healthAccounts?: string[];
}

export function overview(wasm: BallastWasm, common: Common): ReserveOverview[] {
  return wasm.call<{ reserves: ReserveOverview[] }>({ op: "overview", ...common }).reserves;
}

export function obligationView(wasm: BallastWasm, common: Common, obligation: string | null, owner?: string): ObligationOut {
  return wasm.call<ObligationOut>({ op: "obligation", ...common, obligation, owner });
}

export function preview(
  wasm: BallastWasm,
  common: Common,
  obligation: string | null,
  owner: string,
  action: ActionIn,
  walletBalance?: string | null,
): PreviewOut {
  return wasm.call<PreviewOut>({ op: "preview", ...common, obligation, owner, action, walletBalance: walletBalance ?? undefined });
}

/**
 * Several actions run in order as one transaction's instructions, each on what the ones before
 * it left; stops at the first the program would reject. `walletBalances`: the signer's token
 * balances by reserve (a reserve left out is not checked).
 */
export function previewSequence(
  wasm: BallastWasm,
  common: Common,
  obligation: string | null,
  owner: string,
  actions: ActionIn[],
  walletBalances: Record<string, string> = {},
): PreviewOut {
  return wasm.call<PreviewOut>({ op: "preview", ...common, obligation, owner, actions, walletBalances });
}

export function liquidations(
  wasm: BallastWasm,
  common: Common,
  obligations: { key: string; data: string }[],
  liquidator: string | null,
  budgets: Record<string, string>,
  slippageBps = 100,
): LiquidationRow[] {
  return wasm.call<{ obligations: LiquidationRow[] }>({
    op: "liquidations",
    ...common,
    obligations,
    liquidator: liquidator ?? undefined,
    budgets,
    slippageBps,
  }).obligations;
}

/** u64::MAX as a decimal string: "all" for withdraw and repay, as on chain. */
export const U64_MAX = "18446744073709551615";

/** `op: "risk"` (crates/ballast-wasm/src/risk.rs): USD amounts are Wads of dollars. */
export interface RiskOverview {
  now: string;
  obligations: number;
  /** Obligations the engine could not value (a stale price, a reserve it was not given). */
  errors: number;
  debtUsd: string;
  collateralUsd: string;
  histogram: {
    /** Health-factor buckets: `fromBps <= HF < toBps` (bps of HF; null = unbounded). */
    buckets: { fromBps: number | null; toBps: number | null; debtUsd: string; obligations: number }[];
    noDebtObligations: number;
  };
  /** Per reserve: at each drop of its price alone, the debt of obligations then liquidatable. */
  liquidationMap: {
    reserve: string;
    steps: { dropBps: number; liquidatableDebtUsd: string; newlyLiquidatableDebtUsd: string; obligations: number }[];
  }[];
  /** The market's stress scenarios, each reserve's shock and the outcome at the shocked prices. */
  scenarios: { index: number; shocksBps: Record<string, number>; liquidatableDebtUsd: string; liquidatableObligations: number; badDebtUsd: string }[];
}

export function risk(wasm: BallastWasm, common: Common, obligations: { key: string; data: string }[]): RiskOverview {
  return wasm.call<RiskOverview>({ op: "risk", ...common, obligations });
}

/** One point of a reserve's rate curve: the engine's borrow and supply APR at a utilisation. */
export interface RatePoint {
  utilizationBps: number;
  /** Wad ratio (1e18 = 100%). */
  utilization: string;
  borrowApr: string;
  supplyApr: string;
}

/** `op: "rateCurve"` (crates/ballast-wasm/src/rates.rs), per reserve. */
export interface RateCurveOut {
  key: string;
  /** 0% to 100% every `stepBps`, plus the curve's own points; or the error computing them. */
  points: RatePoint[] | { error: string };
  /** The reserve's utilisation and rates now (interest accrued to the clock): the chart's mark. */
  current: { utilization: string; borrowApr: string; supplyApr: string } | { error: string };
  curvePoints: { utilizationBps: number; borrowRateBps: number }[];
  protocolTakeRateBps: number;
  insuranceTakeRateBps: number;
}

export function rateCurve(wasm: BallastWasm, common: Common, stepBps = 100): RateCurveOut[] {
  return wasm.call<{ reserves: RateCurveOut[] }>({ op: "rateCurve", ...common, stepBps }).reserves;
}
