import { useState } from "react";
import { useWallet } from "@solana/wallet-adapter-react";
import { useBallast } from "../state/context";
import { Card, Empty, ErrorMessage, HealthBar, Loading, TxStatus } from "../components/common";
import { formatUnits, formatUsd, formatWadUnits } from "../format";
import { messageForName } from "../client/errors";
import { sendAndRefresh, type TxProgress } from "../client/tx";
import { CollateralChange, type PendingCollateral } from "../components/CollateralChange";
import { HealthAlertSettings } from "../components/HealthAlert";
import { isPositionRead } from "../wasm/api";

export function Position() {
  const state = useBallast();
  const { position, wallet, snapshot, owner, ix, connection, refresh, loadError, deployment } = state;
  const { signTransaction } = useWallet();
  const [progress, setProgress] = useState<TxProgress | null>(null);
  const [pending, setPending] = useState<PendingCollateral | null>(null);
  if (!owner) return <Empty>Connect a wallet to see your position.</Empty>;
  if (!snapshot || !wallet || !position) return loadError ? <ErrorMessage error={loadError} /> : <Loading what="your position" />;

  const symbolOf = (reserve: string) => snapshot.reserves.find((r) => r.config.reserve === reserve)?.config;

  if (!wallet.obligation) {
    const create = async () => {
      if (!signTransaction) return;
      await sendAndRefresh(connection, { publicKey: owner, signTransaction }, [await ix.openObligation(owner, wallet.obligationId)], setProgress, refresh, deployment.programId);
    };
    return (
      <Card title={`My position · Obligation #${wallet.obligationId}`} testid="position">
        <Empty>You have no obligation in this market yet. It holds your deposits and debts (rent is refunded when you close it).</Empty>
        <button type="button" className="primary" onClick={create} data-testid="create-obligation" disabled={progress?.stage === "signing" || progress?.stage === "sent"}>
          Create obligation
        </button>
        <TxStatus progress={progress} />
      </Card>
    );
  }

  const maintenance = position.maintenance;
  const initial = position.initial;
  const readable = position.positions.filter(isPositionRead);
  const unreadable = position.positions.flatMap((p) => ("error" in p ? [p] : []));
  const deposits = readable.filter((p) => p.supplyShares !== "0");
  const debts = readable.filter((p) => p.debtShares !== "0");
  return (
    <Card title={`My position · Obligation #${wallet.obligationId}`} testid="position">
      {maintenance.ok ? (
        <HealthBar healthFactor={maintenance.health.healthFactor} />
      ) : (
        <ErrorMessage error={`Health cannot be computed: ${messageForName(maintenance.error)}`} testid="health-error" />
      )}
      {unreadable.map((p) => (
        <ErrorMessage key={p.reserve} error={`The position in reserve ${p.reserve} cannot be read: ${messageForName(p.error)}`} testid="position-error" />
      ))}
      <HealthAlertSettings />
      <dl className="facts">
        <div>
          <dt>Collateral value</dt>
          <dd data-testid="collateral-value">{maintenance.ok ? formatUsd(maintenance.health.collateralValue) : "–"}</dd>
        </div>
        <div>
          <dt>Debt value</dt>
          <dd data-testid="debt-value">{maintenance.ok ? formatUsd(maintenance.health.debtValue) : "–"}</dd>
        </div>
        <div>
          <dt>Borrow power left</dt>
          <dd data-testid="borrow-power">{position.borrowPowerLeft !== null ? formatUsd(position.borrowPowerLeft) : initial.ok ? "–" : messageForName(initial.error)}</dd>
        </div>
        <div>
          <dt>Liquidation threshold value</dt>
          <dd>{maintenance.ok ? formatUsd(maintenance.health.weightedCollateral) : "–"}</dd>
        </div>
        {position.liquidatableSinceTs !== "0" && (
          <div>
            <dt>Liquidation auction running since</dt>
            <dd data-testid="auction-since" title="The Dutch auction's clock: the liquidation bonus grows while the position stays liquidatable. A deposit or repay that makes it healthy stops it.">
              {new Date(Number(position.liquidatableSinceTs) * 1000).toLocaleString()}
            </dd>
          </div>
        )}
      </dl>

      <h3>Deposits</h3>
      {deposits.length === 0 ? (
        <Empty>No deposits.</Empty>
      ) : (
        <table className="responsive" data-testid="deposits">
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Amount</th>
              <th scope="col">Value</th>
              <th scope="col">Liquidation price</th>
              <th scope="col">Max withdraw</th>
              <th scope="col">Collateral</th>
            </tr>
          </thead>
          <tbody>
            {deposits.map((p) => {
              const cfg = symbolOf(p.reserve);
              const d = cfg?.decimals ?? 0;
              return (
                <tr key={p.reserve} data-testid={`deposit-row-${cfg?.symbol}`}>
                  <th scope="row" data-label="Asset">{cfg?.symbol ?? p.reserve}</th>
                  <td data-label="Amount" data-testid={`deposit-amount-${cfg?.symbol}`} data-value={p.depositAmount}>
                    {formatWadUnits(p.depositAmount, d)}
                  </td>
                  <td data-label="Value">{formatUsd(p.depositValue)}</td>
                  <td data-label="Liquidation price" data-testid={`liquidation-price-${cfg?.symbol}`}>
                    {p.liquidationPrice ? formatUsd(p.liquidationPrice) : "–"}
                  </td>
                  <td data-label="Max withdraw">{p.withdrawAll ? "all" : formatUnits(p.maxWithdraw, d)}</td>
                  <td data-label="Collateral">
                    <label className="switch">
                      <input
                        type="checkbox"
                        role="switch"
                        data-testid={`collateral-${cfg?.symbol}`}
                        data-collateral={String(p.collateral)}
                        checked={p.collateral}
                        aria-label={`Use ${cfg?.symbol ?? p.reserve} as collateral`}
                        onChange={() => setPending({ reserve: p.reserve, symbol: cfg?.symbol ?? p.reserve, collateral: !p.collateral })}
                      />
                      {p.collateral ? "On" : "Off"}
                    </label>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      {pending ? <CollateralChange key={`${pending.reserve}-${pending.collateral}`} state={state} pending={pending} onCancel={() => setPending(null)} /> : null}

      <h3>Debts</h3>
      {debts.length === 0 ? (
        <Empty>No debts.</Empty>
      ) : (
        <table className="responsive" data-testid="debts">
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Owed (with interest to now)</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {debts.map((p) => {
              const cfg = symbolOf(p.reserve);
              return (
                <tr key={p.reserve} data-testid={`debt-row-${cfg?.symbol}`}>
                  <th scope="row" data-label="Asset">{cfg?.symbol ?? p.reserve}</th>
                  <td data-label="Owed">{formatWadUnits(p.debtAmount, cfg?.decimals ?? 0)}</td>
                  <td data-label="Value">{formatUsd(p.debtValue)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="muted small">
        Liquidation price: the price of that collateral below which the position can be liquidated, other prices unchanged (rounded up). A deposit
        switched off as collateral earns interest but counts for no health and cannot be seized.
      </p>
    </Card>
  );
}
