// The indexer's event history (client/indexer.ts) shaped for the History page: one table row per
// event (amounts in token units with the reserve's decimals, the prices the event carries) and the
// health-factor series over time (the events' health before/after, where they report one).
import type { IndexerHistoryEntry, IndexerNumber } from "../client/indexer";
import { formatUnits, formatUsd, formatWadUnits } from "../format";

export interface ReserveInfo {
  symbol: string;
  decimals: number;
}

export interface AmountCell {
  /** What the amount is, e.g. "deposited", "repaid", "seized". */
  label: string;
  symbol: string;
  /** Base units as a decimal string (a Wad's raw value for `wad: true`). */
  raw: string;
  /** In token units, e.g. "1.5". */
  text: string;
}

export interface HistoryRow {
  id: number;
  signature: string;
  slot: number;
  /** ISO time, or null when the indexer has no block time. */
  time: string | null;
  /** The event's name, e.g. `DepositEvent`. */
  event: string;
  /** Deposit, Withdraw, Borrow, Repay, Liquidation, ... */
  kind: string;
  amounts: AmountCell[];
  /** USD per whole token at the event (liquidations carry them). */
  prices: { symbol: string; wad: string; text: string }[];
  healthKind: "initial" | "maintenance" | null;
  /** The reported health factor; `Infinity` without debt; null when the event reports none. */
  healthBefore: number | null;
  healthAfter: number | null;
}

/** A reported health (null: none); its factor null means no debt, i.e. infinite. */
const factor = (h: { health_factor: number | null } | null): number | null => (h === null ? null : (h.health_factor ?? Infinity));

const KINDS: Record<string, string> = {
  DepositEvent: "Deposit",
  WithdrawEvent: "Withdraw",
  BorrowEvent: "Borrow",
  RepayEvent: "Repay",
  LiquidateEvent: "Liquidation",
  LiquidatableMarkEvent: "Liquidatable mark",
  CollateralToggleEvent: "Collateral switch",
  MarginModeEvent: "Margin mode",
  SocializeLossEvent: "Bad debt written off",
};

/** The events a position's history lists as actions (the brief's table). */
export const ACTION_EVENTS = ["DepositEvent", "WithdrawEvent", "BorrowEvent", "RepayEvent", "LiquidateEvent"];

const text = (v: IndexerNumber | boolean | undefined): string => (v === undefined || typeof v === "boolean" ? "0" : typeof v === "number" ? BigInt(Math.trunc(v)).toString() : v);

export function historyRows(entries: IndexerHistoryEntry[], reserves: Record<string, ReserveInfo>): HistoryRow[] {
  return entries.map((e) => {
    const reserve = (i: number): ReserveInfo => reserves[e.reserves[i]] ?? { symbol: e.reserves[i]?.slice(0, 4) ?? "?", decimals: 0 };
    const units = (label: string, field: string, i = 0): AmountCell => {
      const r = reserve(i);
      const raw = text(e.data[field] ?? e.amounts[field]);
      return { label, symbol: r.symbol, raw, text: formatUnits(raw, r.decimals) };
    };
    const wadUnits = (label: string, field: string, i = 0): AmountCell => {
      const r = reserve(i);
      const raw = text(e.data[field] ?? e.amounts[field]);
      return { label, symbol: r.symbol, raw, text: formatWadUnits(raw, r.decimals) };
    };
    let amounts: AmountCell[] = [];
    let prices: HistoryRow["prices"] = [];
    switch (e.name) {
      case "DepositEvent":
        amounts = [units("deposited", "amount")];
        break;
      case "WithdrawEvent":
        amounts = [units("withdrawn", "amount")];
        break;
      case "BorrowEvent":
        amounts = [units("borrowed", "amount")];
        break;
      case "RepayEvent":
        amounts = [units("repaid", "amount")];
        break;
      case "LiquidateEvent": {
        amounts = [units("repaid", "repay_amount", 0), units("seized", "collateral_to_liquidator", 1)];
        const price = (field: string, i: number) => {
          const wad = text(e.data[field] ?? e.amounts[field]);
          return { symbol: reserve(i).symbol, wad, text: formatUsd(wad) };
        };
        prices = [price("debt_price", 0), price("collateral_price", 1)];
        break;
      }
      case "SocializeLossEvent":
        amounts = [wadUnits("written off", "debt_written_off")];
        break;
      default:
        break;
    }
    return {
      id: e.id,
      signature: e.signature,
      slot: e.slot,
      time: e.block_time === null ? null : new Date(e.block_time * 1000).toISOString().replace(".000Z", "Z"),
      event: e.name,
      kind: KINDS[e.name] ?? e.name.replace(/Event$/, ""),
      amounts,
      prices,
      healthKind: e.health_kind,
      healthBefore: factor(e.health_before),
      healthAfter: factor(e.health_after),
    };
  });
}

export interface HealthSeries {
  /** One label per point: the event's number, kind and time. */
  labels: string[];
  /** Maintenance health factor (liquidation below 1) at each point; null where not reported. */
  maintenance: (number | null)[];
  /** Initial health factor (the borrow limit) at each point; null where not reported. */
  initial: (number | null)[];
}

/**
 * The health factor over time: for each event that reports health, its "before" (liquidations)
 * and "after" values, in order; events without health (deposit, repay) add no point; a health
 * without debt is `Infinity` (the chart draws it at its ceiling).
 */
export function healthSeries(rows: HistoryRow[]): HealthSeries {
  const series: HealthSeries = { labels: [], maintenance: [], initial: [] };
  rows.forEach((row, n) => {
    if (!row.healthKind) return;
    const clock = row.time ? row.time.slice(11, 19) : `slot ${row.slot}`;
    const push = (value: number | null, when: string) => {
      if (value === null) return;
      series.labels.push(`#${n + 1} ${row.kind}${when} ${clock}`);
      series.maintenance.push(row.healthKind === "maintenance" ? value : null);
      series.initial.push(row.healthKind === "initial" ? value : null);
    };
    push(row.healthBefore, " (before)");
    push(row.healthAfter, "");
  });
  return series;
}
