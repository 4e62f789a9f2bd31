// The wallet's obligations in the market: a selector ("Obligation #id"), "New obligation"
// (init_sub_obligation with the lowest free number) and "Close" for an empty one. Every page that
// acts on "my position" acts on the selected obligation.
import { useState } from "react";
import { useWallet } from "@solana/wallet-adapter-react";
import { useBallast } from "../state/context";
import { TxStatus } from "./common";
import { sendAndRefresh, type TxProgress } from "../client/tx";
import { lowestFreeObligationId, obligationLabel, selectableObligationIds, selectionAfterClose } from "../client/obligations";

export function ObligationBar() {
  const { owner, wallet, position, obligationId, selectObligation, ix, connection, refresh, deployment } = useBallast();
  const { signTransaction } = useWallet();
  const [progress, setProgress] = useState<TxProgress | null>(null);
  if (!owner) return null;
  const existing = wallet?.obligations.map((o) => o.id) ?? [];
  const ids = selectableObligationIds(existing, obligationId);
  const nextId = lowestFreeObligationId(existing);
  const exists = !!wallet?.obligation;
  const empty = exists && position !== null && position.positions.length === 0;
  const busy = progress?.stage === "building" || progress?.stage === "signing" || progress?.stage === "sent";
  const signer = signTransaction ? { publicKey: owner, signTransaction } : null;

  const create = async () => {
    if (!signer || nextId === null) return;
    const sent = await sendAndRefresh(connection, signer, [await ix.initSubObligation(owner, nextId)], setProgress, async () => selectObligation(nextId), deployment.programId);
    if (!sent.ok) await refresh();
  };
  const close = async () => {
    if (!signer || !wallet) return;
    const after = selectionAfterClose(existing, obligationId);
    await sendAndRefresh(connection, signer, [await ix.closeObligation(owner, wallet.obligationKey)], setProgress, async () => selectObligation(after), deployment.programId);
  };

  return (
    <div className="obligation-bar" aria-label="Your obligations in this market" data-testid="obligation-bar">
      <label htmlFor="obligation-select" className="small">
        Acting on
      </label>
      <select
        id="obligation-select"
        data-testid="obligation-select"
        value={obligationId}
        onChange={(e) => {
          setProgress(null);
          selectObligation(Number(e.target.value));
        }}
      >
        {ids.map((id) => (
          <option key={id} value={id}>
            {obligationLabel(id, existing.includes(id))}
          </option>
        ))}
      </select>
      <button type="button" data-testid="obligation-new" onClick={create} disabled={!signer || nextId === null || busy || !wallet} title="A further obligation: its own positions and health, liquidated separately">
        New obligation
      </button>
      <button type="button" data-testid="obligation-close" onClick={close} disabled={!signer || !empty || busy} title={empty ? "Close it and get its rent back" : "Only an obligation without deposits or debts can be closed"}>
        Close
      </button>
      {wallet ? (
        <span className="muted small" data-testid="obligation-key" data-address={wallet.obligationKey.toBase58()} data-id={wallet.obligationId}>
          {exists ? `${wallet.obligationKey.toBase58().slice(0, 6)}…` : "not created yet"}
        </span>
      ) : null}
      <TxStatus progress={progress} />
    </div>
  );
}
