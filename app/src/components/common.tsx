import type { ReactNode } from "react";
import { formatHealthFactor, healthBarPercent, healthTone } from "../format";
import type { TxProgress } from "../client/tx";
import type { ExplainedError } from "../client/errors";

export function Card({ title, children, testid }: { title?: ReactNode; children: ReactNode; testid?: string }) {
  return (
    <section className="card" data-testid={testid}>
      {title ? <h2>{title}</h2> : null}
      {children}
    </section>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite" data-testid="loading">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="muted empty" data-testid="empty">
      {children}
    </p>
  );
}

export function ErrorMessage({ error, testid = "error-message" }: { error: string | ExplainedError | null | undefined; testid?: string }) {
  if (!error) return null;
  const e = typeof error === "string" ? { message: error, raw: "" } : error;
  return (
    <div className="error" role="alert" data-testid={testid} data-error-name={"name" in e ? e.name : undefined}>
      <strong>{e.message}</strong>
      {"name" in e && e.name ? <span className="muted"> ({e.name})</span> : null}
      {"logs" in e && e.logs?.length ? (
        <details className="logs" open data-testid={`${testid}-logs`}>
          <summary>Program logs ({e.logs.length} lines)</summary>
          <pre>
            {e.logs.map((line, i) => (
              <span key={i} className={/failed|Error Code|error/i.test(line) ? "log-line bad" : "log-line"} data-testid="log-line">
                {line}
                {"\n"}
              </span>
            ))}
          </pre>
        </details>
      ) : null}
      {e.raw && e.raw !== e.message ? (
        <details>
          <summary>Details</summary>
          <pre>{e.raw}</pre>
        </details>
      ) : null}
    </div>
  );
}

/** The health factor as a number and a colour bar (value in `data-value`, a Wad or "inf"). */
export function HealthBar({ healthFactor, label = "Health factor", testid = "health" }: { healthFactor: string | null | undefined; label?: string; testid?: string }) {
  const tone = healthTone(healthFactor);
  const percent = healthBarPercent(healthFactor);
  return (
    <div className={`health health-${tone}`} data-testid={testid}>
      <div className="health-row">
        <span>{label}</span>
        <strong data-testid={`${testid}-value`} data-value={healthFactor ?? "inf"}>
          {formatHealthFactor(healthFactor)}
        </strong>
      </div>
      <div
        className="bar"
        role="meter"
        aria-label={label}
        aria-valuemin={1}
        aria-valuemax={2}
        aria-valuenow={healthFactor ? Math.min(2, 1 + percent / 100) : 2}
        aria-valuetext={formatHealthFactor(healthFactor)}
      >
        <div className="bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="muted small">Below 1.00 the position can be liquidated.</p>
    </div>
  );
}

const STAGE_TEXT: Record<TxProgress["stage"], string> = {
  building: "Preparing transaction…",
  signing: "Waiting for your signature…",
  sent: "Sent, waiting for confirmation…",
  confirmed: "Confirmed",
  failed: "Failed",
};

export function TxStatus({ progress }: { progress: TxProgress | null }) {
  if (!progress) return null;
  return (
    <div className={`tx tx-${progress.stage}`} data-testid="tx-status" data-stage={progress.stage} role="status" aria-live="polite">
      <span>{STAGE_TEXT[progress.stage]}</span>
      {progress.signature ? <code className="small">{progress.signature.slice(0, 16)}…</code> : null}
      {progress.stage === "failed" && progress.error ? <ErrorMessage error={progress.error} testid="tx-error" /> : null}
    </div>
  );
}
