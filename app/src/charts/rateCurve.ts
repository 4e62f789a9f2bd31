// A reserve's interest-rate curve as chart series: the wasm's `rateCurve` points (the engine's
// borrow and supply APR at each utilisation) as percentages, and the current utilisation as the
// mark. Nothing is computed here beyond turning Wads into plottable numbers.
import type { RateCurveOut } from "../wasm/api";
import { wadToNumber } from "../risk/shape";

export interface XY {
  x: number;
  y: number;
}

export interface RateCurveSeries {
  /** Utilisation % → borrow APR %. */
  borrow: XY[];
  /** Utilisation % → supply APR %. */
  supply: XY[];
  /** The reserve now (utilisation %, borrow APR %, supply APR %), or null when unknown. */
  current: { utilization: number; borrow: number; supply: number } | null;
  error: string | null;
}

const percent = (wad: string) => wadToNumber(wad) * 100;

export function rateCurveSeries(curve: RateCurveOut): RateCurveSeries {
  const points = Array.isArray(curve.points) ? curve.points : [];
  const error = !Array.isArray(curve.points) ? curve.points.error : "error" in curve.current ? curve.current.error : null;
  const current = "error" in curve.current ? null : { utilization: percent(curve.current.utilization), borrow: percent(curve.current.borrowApr), supply: percent(curve.current.supplyApr) };
  return {
    borrow: points.map((p) => ({ x: p.utilizationBps / 100, y: percent(p.borrowApr) })),
    supply: points.map((p) => ({ x: p.utilizationBps / 100, y: percent(p.supplyApr) })),
    current,
    error,
  };
}
