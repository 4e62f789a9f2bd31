import { lazy, Suspense } from "react";
import { useBallast } from "../state/context";
import { Card, Empty, ErrorMessage, Loading } from "../components/common";
import { formatAge, formatBps, formatCap, formatPercentWad, formatUsd, formatWadUnits, reserveStatusName } from "../format";
import { messageForName } from "../client/errors";
import { totalsOf } from "../wasm/api";

// The rate curves draw with Chart.js: loaded on demand, like the Risk page.
const RateCurves = lazy(() => import("../components/RateCurves").then((m) => ({ default: m.RateCurves })));

export function Markets() {
  const { overview, snapshot, loadError } = useBallast();
  if (!overview || !snapshot) return loadError ? <ErrorMessage error={loadError} /> : <Loading what="markets" />;
  if (overview.length === 0) return <Empty>This market has no reserves.</Empty>;
  return (
    <>
      <Card title="Markets" testid="markets">
        <div className="table-wrap">
          <table className="responsive">
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Price</th>
                <th scope="col">Utilization</th>
                <th scope="col">Supply APR</th>
                <th scope="col">Borrow APR</th>
                <th scope="col">Supplied / cap</th>
                <th scope="col">Borrowed / cap</th>
                <th scope="col">LTV</th>
                <th scope="col">Liq. threshold</th>
                <th scope="col">Circuit breaker</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {overview.map((r) => {
                const cfg = snapshot.reserves.find((x) => x.config.reserve === r.key)!.config;
                const p = r.price;
                const read = p.ok ? p : null;
                const priceError = !p.ok ? p.error : (p.spotError ?? null);
                const totals = totalsOf(r);
                return (
                  <tr key={r.key} data-testid={`market-row-${cfg.symbol}`}>
                    <th scope="row" data-label="Asset">
                      {cfg.symbol}
                    </th>
                    <td data-label="Price" data-testid={`price-${cfg.symbol}`}>
                      {p.ok && p.spot ? formatUsd(p.spot) : "–"}
                      <span className={`muted small ${priceError === "PriceStale" ? "warn" : ""}`}> {p.ok ? `${formatAge(p.ageSecs)} ago` : ""}</span>
                      {priceError ? <div className="warn small">{messageForName(priceError)}</div> : null}
                    </td>
                    <td data-label="Utilization">{formatPercentWad(totals?.utilization)}</td>
                    <td data-label="Supply APR">{formatPercentWad(totals?.supplyApr)}</td>
                    <td data-label="Borrow APR">{formatPercentWad(totals?.borrowApr)}</td>
                    <td data-label="Supplied / cap">
                      {formatWadUnits(totals?.totalSupply, r.decimals, 2)} / {formatCap(r.supplyCap, r.decimals)}
                    </td>
                    <td data-label="Borrowed / cap">
                      {formatWadUnits(totals?.totalBorrows, r.decimals, 2)} / {formatCap(r.borrowCap, r.decimals)}
                    </td>
                    <td data-label="LTV">
                      {formatBps(r.ltvBps)}
                      {read?.haircutLtvBps != null && read.haircutLtvBps !== r.ltvBps ? (
                        <span className="warn small"> (now {formatBps(read.haircutLtvBps)})</span>
                      ) : null}
                    </td>
                    <td data-label="Liq. threshold">{formatBps(r.liquidationThresholdBps)}</td>
                    <td data-label="Circuit breaker" data-testid={`breaker-${cfg.symbol}`}>
                      {read?.breakerTripped === true ? (
                        <span className="bad">Tripped</span>
                      ) : read?.breakerTripped === false ? (
                        <span className="good">OK</span>
                      ) : (
                        "–"
                      )}
                      <span className="muted small">
                        {" "}
                        {read?.emaDeviationBps ? `${formatBps(read.emaDeviationBps)} from EMA, ` : ""}limit {formatBps(r.maxEmaDeviationBps)}
                      </span>
                    </td>
                    <td data-label="Status">{reserveStatusName(r.status)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <p className="muted small">
          Chain clock {new Date(Number(snapshot.now) * 1000).toISOString().replace(".000Z", "Z")}. Rates are annual (APR) at the
          current utilization; interest accrues per second.
        </p>
      </Card>
      <Suspense fallback={<Loading what="the rate curves" />}>
        <RateCurves />
      </Suspense>
    </>
  );
}
