// The preview's numbers as text: a health factor or why it cannot be computed, the borrow power
// left. Shared by the single and the combined action forms.
import { formatHealthFactor, formatUsd } from "../format";
import { messageForName } from "../client/errors";
import type { HealthResult, HealthSummary, SequenceKind } from "../wasm/api";

export function healthFactorText(h: HealthResult | undefined): string {
  if (!h) return "–";
  return h.ok ? formatHealthFactor(h.health.healthFactor) : messageForName(h.error);
}

/** The health factor's raw value for `data-value` (a Wad, "inf" without debt, "" when unknown). */
export function healthFactorValue(h: HealthResult | undefined): string {
  return h?.ok ? (h.health.healthFactor ?? "inf") : "";
}

/** Borrow power left (the wasm's), or why initial health cannot be computed. */
export function borrowPowerText(summary: HealthSummary | undefined): string {
  if (!summary) return "–";
  if (!summary.initial.ok) return messageForName(summary.initial.error);
  return formatUsd(summary.borrowPowerLeft);
}

/** Each previewed step's name in words (a rejected step is named with it). */
export const STEP_WORDS: Record<SequenceKind, string> = {
  deposit: "deposit",
  withdraw: "withdraw",
  borrow: "borrow",
  repay: "repay",
  setCollateral: "collateral switch",
  flashBorrow: "flash loan",
  flashRepay: "flash loan repayment",
  withdrawPlusFlashFee: "withdraw (the loan and its fee)",
};
