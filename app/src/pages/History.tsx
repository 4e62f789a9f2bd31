// My position's history (from the event indexer, `ballast-indexer`): every deposit, withdraw,
// borrow, repay and liquidation of the selected obligation with its amounts in token units and the
// prices the event used, and the health factor over time from the events' health before/after.
// Loaded on first visit with Chart.js (its own chunk).
import { useCallback, useMemo } from "react";
import type { ChartConfiguration } from "chart.js";
import { useBallast } from "../state/context";
import { Card, Empty, ErrorMessage, Loading } from "../components/common";
import { ChartCanvas } from "../components/ChartCanvas";
import { usePolled } from "../state/polled";
import { fetchObligationHistory, indexerUrl, type IndexerHistory } from "../client/indexer";
import { healthSeries, historyRows, type HistoryRow, type ReserveInfo } from "../history/shape";
import { shortKey } from "../format";

const POLL_MS = 5000;
/** The chart's ceiling: a health factor above it (say, dust debt left) is drawn at it. */
const CHART_CAP = 4;
/** A health factor as the table shows it (dust debt gives absurd ones). */
const hf = (v: number | null) => (v === null || v === Infinity ? "∞" : v >= 1000 ? "> 1,000" : v.toFixed(2));

export function History() {
  const { deployment, owner, wallet } = useBallast();
  const base = indexerUrl(deployment);
  if (!base) {
    return (
      <Card title="History" testid="history">
        <p className="muted" data-testid="history-no-indexer">
          The position's history needs the event indexer (<code>ballast-indexer</code>): set <code>indexerUrl</code> in deployment.json, or open the dApp
          with <code>?indexer=&lt;its URL&gt;</code>.
        </p>
      </Card>
    );
  }
  if (!owner) return <Empty>Connect a wallet to see your position's history.</Empty>;
  if (!wallet) return <Loading what="your obligation" />;
  return <HistoryFor base={base} obligation={wallet.obligationKey.toBase58()} obligationId={wallet.obligationId} />;
}

function HistoryFor({ base, obligation, obligationId }: { base: string; obligation: string; obligationId: number }) {
  const { deployment } = useBallast();
  const read = useCallback(() => fetchObligationHistory(base, obligation), [base, obligation]);
  const history = usePolled<IndexerHistory>(read, POLL_MS);
  const reserves = useMemo(
    () => Object.fromEntries(deployment.reserves.map((r) => [r.reserve, { symbol: r.symbol, decimals: r.decimals } satisfies ReserveInfo])),
    [deployment],
  );
  const rows = useMemo(() => (history.value && history.value.obligation === obligation ? historyRows(history.value.events, reserves) : null), [history.value, obligation, reserves]);
  return (
    <>
      <Card title={`History · Obligation #${obligationId}`} testid="history">
        <p className="muted small">
          From the event indexer at <code data-testid="history-indexer">{base}</code>, obligation <code>{shortKey(obligation)}</code>
          {history.updatedAt ? `, read ${history.updatedAt.toLocaleTimeString()}` : ""}.
        </p>
        <ErrorMessage error={history.error} testid="history-error" />
        {!rows ? (
          history.error ? null : <Loading what="the history" />
        ) : rows.length === 0 ? (
          <Empty>No events for this obligation yet.</Empty>
        ) : (
          <HistoryTable rows={rows} />
        )}
      </Card>
      {rows && rows.length > 0 ? <HealthChart rows={rows} /> : null}
    </>
  );
}

function HistoryTable({ rows }: { rows: HistoryRow[] }) {
  return (
    <div className="table-wrap">
      <table className="responsive" data-testid="history-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Amounts</th>
            <th scope="col">Prices</th>
            <th scope="col">Health factor</th>
            <th scope="col">Transaction</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="history-row" data-event={r.event} data-kind={r.kind}>
              <td data-label="Time">{r.time ? r.time.replace("T", " ").replace("Z", " UTC") : `slot ${r.slot}`}</td>
              <th scope="row" data-label="Event">
                {r.kind}
              </th>
              <td data-label="Amounts">
                {r.amounts.length === 0
                  ? "–"
                  : r.amounts.map((a) => (
                      <div key={a.label} data-testid="history-amount" data-symbol={a.symbol} data-raw={a.raw}>
                        {a.text} {a.symbol} {a.label}
                      </div>
                    ))}
              </td>
              <td data-label="Prices">
                {r.prices.length === 0
                  ? "–"
                  : r.prices.map((p) => (
                      <div key={p.symbol} data-testid="history-price" data-symbol={p.symbol} data-wad={p.wad}>
                        {p.symbol} {p.text}
                      </div>
                    ))}
              </td>
              <td data-label="Health factor" data-testid="history-health" data-kind={r.healthKind ?? ""}>
                {r.healthKind ? `${r.healthBefore !== null ? `${hf(r.healthBefore)} → ` : ""}${hf(r.healthAfter)} (${r.healthKind})` : "–"}
              </td>
              <td data-label="Transaction">
                <code className="small">{r.signature.slice(0, 12)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HealthChart({ rows }: { rows: HistoryRow[] }) {
  const series = useMemo(() => healthSeries(rows), [rows]);
  const capped = (values: (number | null)[]) => values.map((v) => (v === null ? null : Math.min(v, CHART_CAP)));
  const config = useMemo<ChartConfiguration>(
    () => ({
      type: "line",
      data: {
        labels: series.labels,
        datasets: [
          { label: "Maintenance health (liquidation below 1)", data: capped(series.maintenance), borderColor: "#e07a5f", backgroundColor: "#e07a5f", spanGaps: true, pointRadius: 4 },
          { label: "Initial health (borrow limit)", data: capped(series.initial), borderColor: "#81b29a", backgroundColor: "#81b29a", spanGaps: true, pointRadius: 4 },
          { label: "1.00", data: series.labels.map(() => 1), borderColor: "#9aa7b4", borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
        ],
      },
      options: { scales: { y: { beginAtZero: true, suggestedMax: 2, title: { display: true, text: "Health factor" } } } },
    }),
    [series],
  );
  return (
    <Card title="Health factor over time" testid="history-health-chart">
      {series.labels.length === 0 ? (
        <Empty>No event of this obligation reported its health yet (deposits and repays do not).</Empty>
      ) : (
        <ChartCanvas config={config} label="The obligation's health factor after each event that reports it" testid="chart-history-health" />
      )}
      <p className="muted small">
        The health the program reported in its events: initial health (against the borrow limit) after borrows and withdrawals, maintenance health
        (against the liquidation threshold) before and after liquidations. Deposits and repays report none. A health factor above {CHART_CAP} (little or
        no debt left) is drawn at {CHART_CAP}.
      </p>
    </Card>
  );
}
