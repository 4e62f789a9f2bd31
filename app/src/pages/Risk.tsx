import { useCallback, useMemo } from "react";
import type { ChartConfiguration } from "chart.js";
import { useBallast } from "../state/context";
import { Card, ErrorMessage, Loading } from "../components/common";
import { ChartCanvas } from "../components/ChartCanvas";
import { formatBps, formatUsd, shortKey } from "../format";
import { loadBook } from "../client/chain";
import { usePolled } from "../state/polled";
import { risk, type RiskOverview } from "../wasm/api";
import { histogramRows, liquidationMap, scenarioRows, wadToNumber } from "../risk/shape";

/** The book (reserves, prices, obligations, clock) is re-read this often. */
const REFRESH_MS = 5000;
const TONE_COLOUR = { danger: "#f85149", warning: "#d29922", safe: "#3fb950" } as const;
const SERIES_COLOURS = ["#4aa3ff", "#d2a8ff", "#3fb950", "#d29922", "#f778ba", "#79c0ff"];
const usdTick = (v: string | number) => `$${Number(v).toLocaleString("en-US")}`;

export function Risk() {
  const { connection, deployment, wasm } = useBallast();
  const readBook = useCallback(() => loadBook(connection, deployment), [connection, deployment]);
  const { value: book, error, updatedAt } = usePolled(readBook, REFRESH_MS);

  // Every number is the engine's (ballast_engine::monitor), in the wasm, from the raw accounts of
  // one read.
  const overview: RiskOverview | null = useMemo(() => (book ? risk(wasm, book.common, book.obligations) : null), [book, wasm]);
  const symbolOf = useCallback((key: string) => deployment.reserves.find((r) => r.reserve === key)?.symbol ?? shortKey(key), [deployment]);

  if (error && !overview) return <ErrorMessage error={error} />;
  if (!overview) return <Loading what="obligations" />;
  return (
    <>
      <Card title="Collateral risk" testid="risk">
        <dl className="facts">
          <div>
            <dt>Obligations</dt>
            <dd data-testid="risk-obligations">{overview.obligations}</dd>
          </div>
          <div>
            <dt>Debt</dt>
            <dd data-testid="risk-debt" data-value={overview.debtUsd}>
              {formatUsd(overview.debtUsd)}
            </dd>
          </div>
          <div>
            <dt>Collateral</dt>
            <dd data-testid="risk-collateral" data-value={overview.collateralUsd}>
              {formatUsd(overview.collateralUsd)}
            </dd>
          </div>
          <div>
            <dt>Updated at</dt>
            <dd data-testid="risk-updated" data-now={overview.now}>
              {updatedAt ? updatedAt.toLocaleTimeString("en-GB") : "–"}
            </dd>
          </div>
        </dl>
        <p className="muted small">
          Maintenance health of every obligation in this market (spot prices, each under its own margin), recomputed every {REFRESH_MS / 1000} s
          from the chain&apos;s accounts by the protocol&apos;s engine. Chain clock {new Date(Number(overview.now) * 1000).toISOString().replace(".000Z", "Z")}.
        </p>
        {overview.errors > 0 ? (
          <p className="warn" data-testid="risk-errors">
            {overview.errors} obligation{overview.errors === 1 ? "" : "s"} could not be valued (a price is stale or missing) and {overview.errors === 1 ? "is" : "are"} left out.
          </p>
        ) : null}
      </Card>
      <HealthDistribution overview={overview} />
      <LiquidationMapCard overview={overview} symbolOf={symbolOf} />
      <Scenarios overview={overview} symbolOf={symbolOf} />
    </>
  );
}

function HealthDistribution({ overview }: { overview: RiskOverview }) {
  const rows = useMemo(() => histogramRows(overview), [overview]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: "bar",
      data: {
        labels: rows.map((r) => r.label),
        datasets: [{ label: "Debt (USD)", data: rows.map((r) => wadToNumber(r.debtUsd)), backgroundColor: rows.map((r) => TONE_COLOUR[r.tone]) }],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { x: { title: { display: true, text: "Health factor" } }, y: { beginAtZero: true, ticks: { callback: usdTick } } },
      },
    }),
    [rows],
  );
  return (
    <Card title="Health factors, weighted by debt" testid="risk-health">
      <ChartCanvas config={config} label="Debt by health factor bucket" testid="chart-health" />
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Health factor</th>
            <th scope="col">Obligations</th>
            <th scope="col">Debt</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.label} data-testid={`hf-row-${i}`} data-debt={r.debtUsd} data-obligations={r.obligations}>
              <th scope="row" className={r.tone === "danger" ? "bad" : r.tone === "warning" ? "warn" : undefined}>
                {r.label}
              </th>
              <td data-label="Obligations">{r.obligations}</td>
              <td data-label="Debt">{formatUsd(r.debtUsd)}</td>
            </tr>
          ))}
          <tr data-testid="hf-no-debt" data-obligations={overview.histogram.noDebtObligations}>
            <th scope="row">No debt</th>
            <td data-label="Obligations">{overview.histogram.noDebtObligations}</td>
            <td data-label="Debt">–</td>
          </tr>
        </tbody>
      </table>
    </Card>
  );
}

type SymbolOf = (key: string) => string | undefined;

function LiquidationMapCard({ overview, symbolOf }: { overview: RiskOverview; symbolOf: SymbolOf }) {
  const map = useMemo(() => liquidationMap(overview, symbolOf), [overview, symbolOf]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: "line",
      data: {
        labels: map.dropsBps.map((d) => `−${formatBps(d)}`),
        datasets: map.series.map((s, i) => ({
          label: s.symbol,
          data: s.liquidatableDebtUsd.map(wadToNumber),
          borderColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
          backgroundColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
          stepped: true,
        })),
      },
      options: {
        scales: {
          x: { title: { display: true, text: "Price drop of that asset alone" } },
          y: { beginAtZero: true, title: { display: true, text: "Debt liquidatable" }, ticks: { callback: usdTick } },
        },
      },
    }),
    [map],
  );
  return (
    <Card title="Liquidation map per collateral asset" testid="risk-map">
      <p className="muted small">
        For each asset held as collateral: the debt of the obligations that are liquidatable if only that asset&apos;s price falls by the given
        share (debt valued at the lower price), and in small type what becomes liquidatable at that step.
      </p>
      <ChartCanvas config={config} label="Debt liquidatable against each asset's price drop" testid="chart-map" />
      <div className="table-wrap">
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">Price drop</th>
              {map.series.map((s) => (
                <th scope="col" key={s.reserve}>
                  {s.symbol}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {map.dropsBps.map((drop, step) => (
              <tr key={drop}>
                <th scope="row">−{formatBps(drop)}</th>
                {map.series.map((s) => (
                  <td
                    key={s.reserve}
                    data-label={s.symbol}
                    data-testid={`liq-${s.symbol}-${drop}`}
                    data-value={s.liquidatableDebtUsd[step]}
                    data-newly={s.newlyLiquidatableDebtUsd[step]}
                    data-obligations={s.obligations[step]}
                  >
                    {formatUsd(s.liquidatableDebtUsd[step])}
                    {s.newlyLiquidatableDebtUsd[step] !== "0" ? <span className="muted small"> +{formatUsd(s.newlyLiquidatableDebtUsd[step])}</span> : null}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function Scenarios({ overview, symbolOf }: { overview: RiskOverview; symbolOf: SymbolOf }) {
  const rows = useMemo(() => scenarioRows(overview, symbolOf), [overview, symbolOf]);
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: "bar",
      data: {
        labels: rows.map((r) => `${r.name}: ${r.shocks}`),
        datasets: [
          { label: "Liquidatable debt", data: rows.map((r) => wadToNumber(r.liquidatableDebtUsd)), backgroundColor: TONE_COLOUR.warning },
          { label: "Bad debt", data: rows.map((r) => wadToNumber(r.badDebtUsd)), backgroundColor: TONE_COLOUR.danger },
        ],
      },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { callback: usdTick } } } },
    }),
    [rows],
  );
  return (
    <Card title="Stress scenarios" testid="risk-scenarios">
      {rows.length === 0 ? (
        <p className="muted" data-testid="no-scenarios">
          This market has no stress scenarios configured.
        </p>
      ) : (
        <>
          <ul className="scenario-lines">
            {rows.map((r) => (
              <li key={r.index}>
                <strong>{r.name}</strong> ({r.shocks}): {formatUsd(r.liquidatableDebtUsd)} liquidatable, {formatUsd(r.badDebtUsd)} bad debt
              </li>
            ))}
          </ul>
          <ChartCanvas config={config} label="Liquidatable debt and bad debt per stress scenario" testid="chart-scenarios" />
          <table className="responsive compact">
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">Price moves</th>
                <th scope="col">Obligations liquidatable</th>
                <th scope="col">Debt liquidatable</th>
                <th scope="col">Bad debt</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.index}
                  data-testid={`scenario-row-${r.index}`}
                  data-liquidatable={r.liquidatableDebtUsd}
                  data-bad-debt={r.badDebtUsd}
                  data-obligations={r.liquidatableObligations}
                >
                  <th scope="row">{r.name}</th>
                  <td data-label="Price moves">{r.shocks}</td>
                  <td data-label="Obligations liquidatable">{r.liquidatableObligations}</td>
                  <td data-label="Debt liquidatable">{formatUsd(r.liquidatableDebtUsd)}</td>
                  <td data-label="Bad debt" className={r.badDebtUsd !== "0" ? "bad" : undefined}>
                    {formatUsd(r.badDebtUsd)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Card>
  );
}
