// A pending collateral switch on the position page: the engine's set_collateral run on copies by
// the wasm (health after, or the program's error in words), then the instruction with every
// position as health accounts.
import { useMemo, useState } from "react";
import { PublicKey } from "@solana/web3.js";
import { useWallet } from "@solana/wallet-adapter-react";
import type { BallastState } from "../state/context";
import { ErrorMessage, TxStatus } from "./common";
import { borrowPowerText, healthFactorText, healthFactorValue } from "./previewText";
import { messageForName } from "../client/errors";
import { previewSequence } from "../wasm/api";
import { sendAndRefresh, type TxProgress } from "../client/tx";

export interface PendingCollateral {
  reserve: string;
  symbol: string;
  /** What the deposit is to become: collateral (on) or not (off). */
  collateral: boolean;
}

export function CollateralChange({ state, pending, onCancel }: { state: BallastState; pending: PendingCollateral; onCancel: () => void }) {
  const { snapshot, wallet, position, wasm, ix, connection, refresh, owner, deployment } = state;
  const { signTransaction } = useWallet();
  const [progress, setProgress] = useState<TxProgress | null>(null);
  const result = useMemo(() => {
    if (!snapshot || !wallet || !owner) return null;
    return previewSequence(wasm, snapshot.common, wallet.obligation, owner.toBase58(), [{ kind: "setCollateral", reserve: pending.reserve, collateral: pending.collateral }]);
  }, [snapshot, wallet, owner, wasm, pending]);
  const busy = progress?.stage === "building" || progress?.stage === "signing" || progress?.stage === "sent";
  const done = progress?.stage === "confirmed";

  const submit = async () => {
    if (!owner || !wallet || !snapshot || !signTransaction) return;
    const oracleOf = (key: string) => snapshot.reserves.find((r) => r.config.reserve === key)!.pinnedOracle;
    // Every position of the obligation (the switch moves none).
    const keys = result?.healthAccounts ?? position?.healthAccounts ?? [];
    const health = keys.map((key) => ({ reserve: new PublicKey(key), oracle: oracleOf(key) }));
    const instruction = await ix.setCollateral(owner, wallet.obligationKey, new PublicKey(pending.reserve), pending.collateral, health);
    await sendAndRefresh(connection, { publicKey: owner, signTransaction }, [instruction], setProgress, refresh, deployment.programId);
  };

  const verb = pending.collateral ? "on" : "off";
  return (
    <div className="preview" data-testid="collateral-change" data-reserve={pending.reserve} data-collateral={String(pending.collateral)} aria-live="polite">
      <h3>
        Turn {pending.symbol} as collateral {verb} (preview, computed before signing)
      </h3>
      <p className="muted small">
        {pending.collateral
          ? "It counts for your borrow power and health again, and can be seized in a liquidation."
          : "It keeps earning interest but counts for no borrow power or health, and can never be seized."}
      </p>
      {!result || done ? null : result.ok ? (
        <dl className="facts">
          <div>
            <dt>Health factor</dt>
            <dd>
              <span data-testid="collateral-preview-before">{healthFactorText(result.before.maintenance)}</span> →{" "}
              <strong data-testid="collateral-preview-health" data-value={healthFactorValue(result.after?.maintenance)}>
                {healthFactorText(result.after?.maintenance)}
              </strong>
            </dd>
          </div>
          <div>
            <dt>Borrow power</dt>
            <dd data-testid="collateral-preview-borrow-power" data-value={result.after?.borrowPowerLeft ?? ""}>
              {borrowPowerText(result.before)} → {borrowPowerText(result.after)}
            </dd>
          </div>
        </dl>
      ) : (
        <ErrorMessage error={{ message: `The program would refuse this switch: ${messageForName(result.error ?? "")}`, name: result.error, raw: "" }} testid="collateral-preview-error" />
      )}
      <div className="input-row">
        <button type="button" className="primary" data-testid="collateral-submit" onClick={submit} disabled={busy || done || !owner}>
          Turn collateral {verb}
        </button>
        <button type="button" data-testid="collateral-cancel" onClick={onCancel} disabled={busy}>
          {done ? "Close" : "Cancel"}
        </button>
      </div>
      <TxStatus progress={progress} />
    </div>
  );
}
