// Test helpers over the generated answer types, which are unions (accepted or rejected, read or
// unreadable): a test takes the side it expects and fails with the other side's contents.
import { isLiquidationRead, isPositionRead, isStepAccepted, totalsOf } from "./api";
import type { LiquidationRead, LiquidationRow, PositionOut, PositionRead, PreviewOut, ReserveOverview, ReserveTotals, StepAccepted, StepOut } from "./api";

type Accepted = Extract<PreviewOut, { ok: true }>;
type Rejected = Extract<PreviewOut, { ok: false }>;

export function accepted(p: PreviewOut): Accepted {
  if (!p.ok) throw new Error(`expected the preview accepted; action ${p.failedAction} rejected: ${p.error}`);
  return p;
}

export function rejected(p: PreviewOut): Rejected {
  if (p.ok) throw new Error("expected the preview rejected; it was accepted");
  return p;
}

export function acceptedStep(s: StepOut): StepAccepted {
  if (!isStepAccepted(s)) throw new Error(`expected the step accepted; rejected: ${s.error}`);
  return s;
}

export function readPosition(p: PositionOut): PositionRead {
  if (!isPositionRead(p)) throw new Error(`position ${p.reserve} unreadable: ${p.error}`);
  return p;
}

export function readRow(r: LiquidationRow): LiquidationRead {
  if (!isLiquidationRead(r)) throw new Error(`obligation ${r.key} unreadable: ${r.error}`);
  return r;
}

export function readTotals(r: ReserveOverview): ReserveTotals {
  const totals = totalsOf(r);
  if (!totals) throw new Error(`reserve ${r.key} totals: ${JSON.stringify(r.totals)}`);
  return totals;
}

export function readPrice(r: ReserveOverview): Extract<ReserveOverview["price"], { ok: true }> {
  if (!r.price.ok) throw new Error(`reserve ${r.key} price: ${r.price.error}`);
  return r.price;
}
