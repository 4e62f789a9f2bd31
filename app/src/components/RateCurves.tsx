// Each reserve's interest-rate curve (Markets page): borrow and supply APR against utilisation,
// 0-100%, from the wasm's `rateCurve` op (the engine's own rate function at each point), with the
// reserve's current utilisation marked. Loaded on demand with Chart.js (its own chunk).
import { useMemo } from "react";
import type { ChartConfiguration } from "chart.js";
import { useBallast } from "../state/context";
import { rateCurve, type RateCurveOut } from "../wasm/api";
import { rateCurveSeries } from "../charts/rateCurve";
import { ChartCanvas } from "./ChartCanvas";
import { Card } from "./common";
import { formatPercentWad } from "../format";
import { messageForName } from "../client/errors";

const BORROW = "#e07a5f";
const SUPPLY = "#3fb68b";
const NOW = "#f2cc8f";
const pct = (v: number | string) => `${Number(v).toFixed(Number(v) < 10 ? 1 : 0)}%`;

function CurveChart({ curve, symbol }: { curve: RateCurveOut; symbol: string }) {
  const series = useMemo(() => rateCurveSeries(curve), [curve]);
  const config = useMemo<ChartConfiguration>(() => {
    const top = Math.max(1, ...series.borrow.map((p) => p.y));
    const now = series.current;
    return {
      type: "line",
      data: {
        datasets: [
          { label: "Borrow APR", data: series.borrow, borderColor: BORROW, backgroundColor: BORROW, pointRadius: 0, borderWidth: 2 },
          { label: "Supply APR", data: series.supply, borderColor: SUPPLY, backgroundColor: SUPPLY, pointRadius: 0, borderWidth: 2 },
          ...(now
            ? [
                {
                  label: `Now: ${"error" in curve.current ? "" : formatPercentWad(curve.current.utilization)} utilised`,
                  data: [{ x: now.utilization, y: 0 }, { x: now.utilization, y: top }],
                  borderColor: NOW,
                  backgroundColor: NOW,
                  borderDash: [6, 4],
                  pointRadius: 0,
                  borderWidth: 1.5,
                },
                {
                  label: "Rates now",
                  data: [{ x: now.utilization, y: now.borrow }, { x: now.utilization, y: now.supply }],
                  borderColor: NOW,
                  backgroundColor: NOW,
                  showLine: false,
                  pointRadius: 5,
                },
              ]
            : []),
        ],
      },
      options: {
        parsing: false,
        plugins: { legend: { labels: { boxWidth: 12 } } },
        scales: {
          x: { type: "linear", min: 0, max: 100, title: { display: true, text: "Utilisation" }, ticks: { callback: pct } },
          y: { beginAtZero: true, title: { display: true, text: "APR" }, ticks: { callback: pct } },
        },
      },
    } as ChartConfiguration;
  }, [series, curve]);
  const current = "error" in curve.current ? null : curve.current;
  return (
    <div className="rate-curve" data-testid={`rate-curve-${symbol}`}>
      <h3>{symbol}</h3>
      {series.error ? <p className="warn small">{messageForName(series.error)}</p> : null}
      <ChartCanvas config={config} label={`${symbol}: borrow and supply APR against utilisation, the current utilisation marked`} testid={`chart-rate-${symbol}`} />
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Utilisation</th>
            <th scope="col">Borrow APR</th>
            <th scope="col">Supply APR</th>
          </tr>
        </thead>
        <tbody>
          {current ? (
            <tr data-testid={`rate-now-${symbol}`} data-utilization={current.utilization} data-borrow-apr={current.borrowApr} data-supply-apr={current.supplyApr}>
              <th scope="row">Now {formatPercentWad(current.utilization)}</th>
              <td>{formatPercentWad(current.borrowApr)}</td>
              <td>{formatPercentWad(current.supplyApr)}</td>
            </tr>
          ) : null}
          {Array.isArray(curve.points)
            ? curve.points
                .filter((p) => curve.curvePoints.some((c) => c.utilizationBps === p.utilizationBps))
                .map((p) => (
                  <tr key={p.utilizationBps} data-testid={`rate-point-${symbol}-${p.utilizationBps}`} data-borrow-apr={p.borrowApr}>
                    <th scope="row">{formatPercentWad(p.utilization, 0)}</th>
                    <td>{formatPercentWad(p.borrowApr)}</td>
                    <td>{formatPercentWad(p.supplyApr)}</td>
                  </tr>
                ))
            : null}
        </tbody>
      </table>
    </div>
  );
}

export function RateCurves() {
  const { wasm, snapshot } = useBallast();
  const curves = useMemo(() => (snapshot ? rateCurve(wasm, snapshot.common) : null), [wasm, snapshot]);
  if (!snapshot || !curves) return null;
  return (
    <Card title="Interest rate curves" testid="rate-curves">
      <div className="rate-curves">
        {curves.map((c) => {
          const symbol = snapshot.reserves.find((r) => r.config.reserve === c.key)?.config.symbol ?? c.key;
          return <CurveChart key={c.key} curve={c} symbol={symbol} />;
        })}
      </div>
      <p className="muted small">
        The program's rate model at every utilisation (computed by the engine, as on chain): the borrow rate follows the reserve's curve, the supply
        rate is the borrow rate times utilisation less the protocol's and the insurance fund's take. The dashed line marks each reserve's utilisation now.
      </p>
    </Card>
  );
}
