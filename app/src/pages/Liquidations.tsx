import { useCallback, useMemo, useState } from "react";
import { PublicKey } from "@solana/web3.js";
import { createAssociatedTokenAccountIdempotentInstruction } from "@solana/spl-token";
import { useWallet } from "@solana/wallet-adapter-react";
import { useBallast } from "../state/context";
import { Card, Empty, ErrorMessage, Loading, TxStatus } from "../components/common";
import { formatBps, formatHealthFactor, formatUnits, formatUsd, shortKey } from "../format";
import { loadObligations } from "../client/chain";
import { messageForName } from "../client/errors";
import { usePolled } from "../state/polled";
import { isLiquidationRead, liquidations as wasmLiquidations, type LiquidationRead, type LiquidationRow } from "../wasm/api";
import { sendAndRefresh, type TxProgress } from "../client/tx";

export function Liquidations() {
  const { connection, deployment, snapshot, wallet, wasm, ix, owner, refresh } = useBallast();
  const { signTransaction } = useWallet();
  const readObligations = useCallback(() => loadObligations(connection, deployment), [connection, deployment]);
  const { value: obligations, error, reload: load } = usePolled(readObligations, 5000);
  const [progress, setProgress] = useState<TxProgress | null>(null);
  const [busyKey, setBusyKey] = useState<string | null>(null);

  const rows: LiquidationRow[] | null = useMemo(() => {
    if (!obligations || !snapshot) return null;
    // The liquidator's balances bound the repay (base units per mint).
    const budgets: Record<string, string> = {};
    if (wallet) for (const r of snapshot.reserves) budgets[r.config.mint] = (wallet.tokens[r.config.reserve]?.balance ?? 0n).toString();
    return wasmLiquidations(wasm, snapshot.common, obligations, owner?.toBase58() ?? null, owner ? budgets : {});
  }, [obligations, snapshot, wallet, wasm, owner]);

  if (error && !rows) return <ErrorMessage error={error} />;
  if (!rows || !snapshot) return <Loading what="obligations" />;
  const unhealthy = rows.filter(isLiquidationRead).filter((r) => r.liquidatable);
  const cfg = (reserve: string) => snapshot.reserves.find((r) => r.config.reserve === reserve)!;

  const liquidate = async (row: LiquidationRead) => {
    const plan = row.plan;
    if (!plan || !owner || !signTransaction || !wallet) return;
    setBusyKey(row.key);
    try {
      const repay = cfg(plan.repayReserve);
      const collateral = cfg(plan.collateralReserve);
      const oracleOf = (key: string) => cfg(key).pinnedOracle;
      const health = (row.healthAccounts ?? []).map((key) => ({ reserve: new PublicKey(key), oracle: oracleOf(key) }));
      const destination = wallet.tokens[plan.collateralReserve].ata;
      const source = wallet.tokens[plan.repayReserve].ata;
      const instructions = [
        createAssociatedTokenAccountIdempotentInstruction(owner, destination, owner, collateral.keys.mint, collateral.keys.tokenProgram),
        await ix.liquidate(owner, new PublicKey(row.key), repay.keys, source, collateral.keys, destination, plan.repayAmount, plan.minCollateralOut, health),
      ];
      await sendAndRefresh(connection, { publicKey: owner, signTransaction }, instructions, setProgress, async () => {
        await Promise.all([refresh(), load()]);
      }, deployment.programId);
    } finally {
      setBusyKey(null);
    }
  };

  return (
    <Card title="Liquidations" testid="liquidations">
      <p className="muted">
        {rows.length} obligation{rows.length === 1 ? "" : "s"} in this market, <strong data-testid="unhealthy-count">{unhealthy.length}</strong> liquidatable
        (maintenance health below zero). Sizes are the largest repay the program accepts, bounded by your balance; you receive the collateral
        plus the bonus.
      </p>
      {!owner ? <p className="warn">Connect a wallet to liquidate.</p> : null}
      {unhealthy.length === 0 ? (
        <Empty>No obligation can be liquidated right now.</Empty>
      ) : (
        <table className="responsive">
          <thead>
            <tr>
              <th scope="col">Obligation</th>
              <th scope="col">Health factor</th>
              <th scope="col">Debt / collateral</th>
              <th scope="col">Repay</th>
              <th scope="col">Receive</th>
              <th scope="col">Profit</th>
              <th scope="col">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {unhealthy.map((row) => {
              const plan = row.plan;
              const repay = plan ? cfg(plan.repayReserve).config : null;
              const coll = plan ? cfg(plan.collateralReserve).config : null;
              const own = owner && row.owner === owner.toBase58();
              const reason = own
                ? "You cannot liquidate your own obligation"
                : !plan
                  ? row.planError
                    ? messageForName(row.planError)
                    : "No acceptable liquidation (or no balance of the debt token)"
                  : !plan.check.ok
                    ? messageForName(plan.check.error)
                    : null;
              return (
                <tr key={row.key} data-testid="liquidation-row" data-obligation={row.key} data-owner={row.owner}>
                  <th scope="row" data-label="Obligation">
                    <code title={row.key}>{shortKey(row.key)}</code>
                    <div className="muted small">owner {shortKey(row.owner)}</div>
                  </th>
                  <td data-label="Health factor" className="bad">
                    {formatHealthFactor(row.health.healthFactor)}
                  </td>
                  <td data-label="Debt / collateral">
                    {formatUsd(row.health.debtValue)} / {formatUsd(row.health.collateralValue)}
                  </td>
                  <td data-label="Repay">{plan && repay ? `${formatUnits(plan.repayAmount, repay.decimals)} ${repay.symbol}` : "–"}</td>
                  <td data-label="Receive">
                    {plan && coll ? `${formatUnits(plan.liquidatorAmount, coll.decimals)} ${coll.symbol}` : "–"}
                    {plan ? <div className="muted small">bonus {formatBps(plan.bonusBps)}</div> : null}
                  </td>
                  <td data-label="Profit">{plan ? formatUsd(plan.profit) : "–"}</td>
                  <td data-label="Action">
                    <button
                      type="button"
                      className="danger"
                      data-testid="liquidate-button"
                      disabled={!owner || !plan || !!reason || busyKey !== null}
                      onClick={() => void liquidate(row)}
                      aria-describedby={reason ? `reason-${row.key}` : undefined}
                    >
                      Liquidate
                    </button>
                    {reason ? (
                      <div id={`reason-${row.key}`} className="muted small" data-testid="liquidate-reason">
                        {reason}
                      </div>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <TxStatus progress={progress} />
    </Card>
  );
}
