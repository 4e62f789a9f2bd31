import { useMemo, useState } from "react";
import { PublicKey } from "@solana/web3.js";
import { useWallet } from "@solana/wallet-adapter-react";
import { useBallast, type BallastState } from "../state/context";
import { Card, Empty, ErrorMessage, Loading, TxStatus } from "../components/common";
import { borrowPowerText, healthFactorText, healthFactorValue } from "../components/previewText";
import { formatUnits, parseUnits, U64_MAX } from "../format";
import { messageForName } from "../client/errors";
import { isPositionRead, preview as wasmPreview, type ActionKind } from "../wasm/api";
import { sendAndRefresh, type TxProgress } from "../client/tx";
import { curesAuctionClock, userActionInstructions } from "../client/instructions";
import { CombinedActionForm, COMBINED } from "./CombinedActionForm";
import { RepayWithCollateralForm } from "./RepayWithCollateralForm";

const TITLES: Record<ActionKind, string> = { deposit: "Deposit", withdraw: "Withdraw", borrow: "Borrow", repay: "Repay" };
const HINTS: Record<ActionKind, string> = {
  deposit: "Add collateral. Never needs a price.",
  withdraw: "Take collateral out. With debt, initial health must stay at or above zero.",
  borrow: "Borrow against your collateral, up to your borrow power.",
  repay: "Pay back debt (interest included). Never needs a price.",
};

function ActionForm({ kind, state }: { kind: ActionKind; state: BallastState }) {
  const { snapshot, wallet, position, wasm, ix, connection, refresh, owner, deployment } = state;
  const { signTransaction } = useWallet();
  const reserves = snapshot!.reserves;
  const [reserveKey, setReserveKey] = useState(reserves[0].config.reserve);
  const [amountText, setAmountText] = useState("");
  const [all, setAll] = useState(false);
  const [progress, setProgress] = useState<TxProgress | null>(null);
  const reserve = reserves.find((r) => r.config.reserve === reserveKey)!;
  const decimals = reserve.config.decimals;
  const balance = wallet?.tokens[reserveKey]?.balance ?? null;
  const positionOut = position?.positions.filter(isPositionRead).find((p) => p.reserve === reserveKey);

  const parsed = all ? ({ ok: true, units: U64_MAX } as const) : parseUnits(amountText, decimals);
  const amount = parsed.ok ? parsed.units.toString() : null;

  const result = useMemo(() => {
    if (!amount || !snapshot || !wallet || !owner) return null;
    const walletBalance = kind === "deposit" || kind === "repay" ? (balance ?? 0n).toString() : null;
    return wasmPreview(wasm, snapshot.common, wallet.obligation, owner.toBase58(), { kind, reserve: reserveKey, amount }, walletBalance);
  }, [amount, snapshot, wallet, owner, kind, reserveKey, balance, wasm]);

  const setMax = () => {
    if (kind === "deposit") {
      setAll(false);
      setAmountText(formatUnits(balance ?? 0n, decimals, decimals).replace(/,/g, ""));
    } else if (kind === "withdraw") {
      if (positionOut?.withdrawAll) {
        setAll(true);
        setAmountText(formatUnits(positionOut.depositUnits, decimals, decimals).replace(/,/g, ""));
      } else {
        setAll(false);
        setAmountText(formatUnits(positionOut?.maxWithdraw ?? 0n, decimals, decimals).replace(/,/g, ""));
      }
    } else if (kind === "borrow") {
      setAll(false);
      setAmountText(formatUnits(position?.maxBorrow[reserveKey] ?? "0", decimals, decimals).replace(/,/g, ""));
    } else {
      const owed = BigInt(positionOut?.debtUnits ?? "0");
      const have = balance ?? 0n;
      setAll(have >= owed && owed > 0n);
      setAmountText(formatUnits(have >= owed ? owed : have, decimals, decimals).replace(/,/g, ""));
    }
  };

  const busy = progress?.stage === "building" || progress?.stage === "signing" || progress?.stage === "sent";

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!owner || !wallet || !snapshot || !amount || !signTransaction) return;
    const oracleOf = (key: string) => reserves.find((r) => r.config.reserve === key)!.pinnedOracle;
    // Health accounts: the positions after the action as the wasm ran it (rejected: where it
    // stopped), in the program's order.
    const after = result?.healthAccounts ?? position?.healthAccounts ?? [];
    const health = after.map((key) => ({ reserve: new PublicKey(key), oracle: oracleOf(key) }));
    const action = { kind, keys: reserve.keys, tokenAccount: wallet.tokens[reserveKey].ata, amount, health };
    const instructions = await userActionInstructions(ix, owner, [action], { id: wallet.obligationId, createObligation: !wallet.obligation });
    const maintenanceAfter = result?.ok ? result.after?.maintenance : undefined;
    const cures = (kind === "deposit" || kind === "repay") && curesAuctionClock(position?.liquidatableSinceTs, maintenanceAfter?.ok ? maintenanceAfter.health.healthy : undefined);
    if (cures) instructions.push(await ix.markLiquidatable(wallet.obligationKey, health));
    const sent = await sendAndRefresh(connection, { publicKey: owner, signTransaction }, instructions, setProgress, refresh, deployment.programId);
    if (sent.ok) {
      setAmountText("");
      setAll(false);
    }
  };

  const id = `${kind}-form`;
  return (
    <Card title={TITLES[kind]} testid={id}>
      <form onSubmit={submit} aria-describedby={`${id}-hint`}>
        <p id={`${id}-hint`} className="muted small">
          {HINTS[kind]}
        </p>
        <div className="field">
          <label htmlFor={`${kind}-reserve`}>Asset</label>
          <select
            id={`${kind}-reserve`}
            data-testid={`${kind}-reserve`}
            value={reserveKey}
            onChange={(e) => {
              setReserveKey(e.target.value);
              setAll(false);
            }}
          >
            {reserves.map((r) => (
              <option key={r.config.reserve} value={r.config.reserve}>
                {r.config.symbol}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${kind}-amount`}>Amount ({reserve.config.symbol})</label>
          <div className="input-row">
            <input
              id={`${kind}-amount`}
              data-testid={`${kind}-amount`}
              inputMode="decimal"
              autoComplete="off"
              placeholder="0.0"
              value={amountText}
              onChange={(e) => {
                setAmountText(e.target.value);
                setAll(false);
              }}
              aria-invalid={amountText !== "" && !parsed.ok}
            />
            <button type="button" onClick={setMax} data-testid={`${kind}-max`}>
              Max
            </button>
          </div>
          <p className="muted small">
            Wallet: {balance === null ? "no token account" : `${formatUnits(balance, decimals)} ${reserve.config.symbol}`}
            {all ? " · all (clears the position exactly)" : ""}
          </p>
          {amountText !== "" && !parsed.ok ? <p className="warn small">{parsed.error}</p> : null}
        </div>
        {result ? (
          <div className="preview" data-testid={`${kind}-preview`} aria-live="polite">
            <h3>Preview (computed before signing)</h3>
            {result.ok ? (
              <dl className="facts">
                <div>
                  <dt>Health factor</dt>
                  <dd>
                    <span data-testid={`${kind}-preview-before`}>{healthFactorText(result.before.maintenance)}</span> →{" "}
                    <strong data-testid={`${kind}-preview-health`} data-value={healthFactorValue(result.after?.maintenance)}>
                      {healthFactorText(result.after?.maintenance)}
                    </strong>
                  </dd>
                </div>
                <div>
                  <dt>Borrow power after</dt>
                  <dd>{borrowPowerText(result.after)}</dd>
                </div>
                <div>
                  <dt>Amount</dt>
                  <dd>
                    {formatUnits(result.amount ?? "0", decimals)} {reserve.config.symbol}
                  </dd>
                </div>
              </dl>
            ) : (
              <ErrorMessage error={{ message: `The program would reject this: ${messageForName(result.error ?? "")}`, name: result.error, raw: "" }} testid={`${kind}-preview-error`} />
            )}
          </div>
        ) : null}
        <button type="submit" className="primary" data-testid={`${kind}-submit`} disabled={!parsed.ok || busy || !owner}>
          {TITLES[kind]}
        </button>
      </form>
      <TxStatus progress={progress} />
    </Card>
  );
}

export function Actions() {
  const state = useBallast();
  if (!state.owner) return <Empty>Connect a wallet to deposit, withdraw, borrow or repay.</Empty>;
  if (!state.snapshot || !state.wallet) return state.loadError ? <ErrorMessage error={state.loadError} /> : <Loading what="your wallet" />;
  return (
    <div className="grid" data-testid="actions">
      {(["deposit", "withdraw", "borrow", "repay"] as ActionKind[]).map((kind) => (
        <ActionForm key={kind} kind={kind} state={state} />
      ))}
      {COMBINED.map((combo) => (
        <CombinedActionForm key={combo} combo={combo} state={state} />
      ))}
      <RepayWithCollateralForm state={state} />
    </div>
  );
}
