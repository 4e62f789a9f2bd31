// Two actions in one transaction (deposit then borrow, repay then withdraw), with one preview of
// their combined effect: the wasm runs the engine's operations in order, each on what the one
// before it left, and names the first the program would reject.
import { useMemo, useState } from "react";
import { PublicKey } from "@solana/web3.js";
import { useWallet } from "@solana/wallet-adapter-react";
import type { BallastState } from "../state/context";
import { Card, ErrorMessage, TxStatus } from "../components/common";
import { borrowPowerText, healthFactorText, healthFactorValue } from "../components/previewText";
import { formatUnits, parseUnits, U64_MAX } from "../format";
import { messageForName } from "../client/errors";
import { previewSequence, type ActionKind } from "../wasm/api";
import { sendAndRefresh, type TxProgress } from "../client/tx";
import { healthAccountsPerAction, userActionInstructions, type UserAction } from "../client/instructions";
import type { LoadedReserve } from "../client/chain";

export type Combined = "deposit-borrow" | "repay-withdraw";
export const COMBINED: Combined[] = ["deposit-borrow", "repay-withdraw"];

const SPEC: Record<Combined, { title: string; hint: string; kinds: [ActionKind, ActionKind] }> = {
  "deposit-borrow": {
    title: "Deposit and borrow",
    hint: "Add collateral and borrow against it in one transaction: the borrow counts the deposit.",
    kinds: ["deposit", "borrow"],
  },
  "repay-withdraw": {
    title: "Repay and withdraw",
    hint: "Pay back debt, then take collateral out, in one transaction: the withdraw counts the repayment.",
    kinds: ["repay", "withdraw"],
  },
};
const VERB: Record<ActionKind, string> = { deposit: "Deposit", withdraw: "Withdraw", borrow: "Borrow", repay: "Repay" };

interface Leg {
  reserveKey: string;
  amountText: string;
  /** Repay or withdraw everything (u64::MAX, as on chain). */
  all: boolean;
}

/** Collateral first, then a debt asset: the first reserve for deposit and withdraw, the second for borrow and repay. */
function defaultReserve(kind: ActionKind, reserves: LoadedReserve[]): string {
  const debtAsset = kind === "borrow" || kind === "repay";
  return reserves[debtAsset && reserves.length > 1 ? 1 : 0].config.reserve;
}

interface LegProps {
  id: string;
  kind: ActionKind;
  leg: Leg;
  reserves: LoadedReserve[];
  balance: bigint | null;
  onChange: (leg: Leg) => void;
}

function LegFields({ id, kind, leg, reserves, balance, onChange }: LegProps) {
  const reserve = reserves.find((r) => r.config.reserve === leg.reserveKey)!;
  const parsed = parseUnits(leg.amountText, reserve.config.decimals);
  const canDoAll = kind === "repay" || kind === "withdraw";
  return (
    <fieldset className="field">
      <legend>{VERB[kind]}</legend>
      <div className="input-row">
        <select aria-label={`${VERB[kind]}: asset`} data-testid={`${id}-reserve`} value={leg.reserveKey} onChange={(e) => onChange({ ...leg, reserveKey: e.target.value })}>
          {reserves.map((r) => (
            <option key={r.config.reserve} value={r.config.reserve}>
              {r.config.symbol}
            </option>
          ))}
        </select>
        <input
          aria-label={`${VERB[kind]}: amount (${reserve.config.symbol})`}
          data-testid={`${id}-amount`}
          inputMode="decimal"
          autoComplete="off"
          placeholder={leg.all ? "all" : "0.0"}
          disabled={leg.all}
          value={leg.all ? "" : leg.amountText}
          onChange={(e) => onChange({ ...leg, amountText: e.target.value })}
          aria-invalid={!leg.all && leg.amountText !== "" && !parsed.ok}
        />
      </div>
      {canDoAll ? (
        <label className="check small">
          <input type="checkbox" data-testid={`${id}-all`} checked={leg.all} onChange={(e) => onChange({ ...leg, all: e.target.checked })} />
          {kind === "repay" ? "All (the whole debt)" : "All (the whole deposit)"}
        </label>
      ) : null}
      <p className="muted small">Wallet: {balance === null ? "no token account" : `${formatUnits(balance, reserve.config.decimals)} ${reserve.config.symbol}`}</p>
      {!leg.all && leg.amountText !== "" && !parsed.ok ? <p className="warn small">{parsed.error}</p> : null}
    </fieldset>
  );
}

export function CombinedActionForm({ combo, state }: { combo: Combined; state: BallastState }) {
  const { snapshot, wallet, position, wasm, ix, connection, refresh, owner, deployment } = state;
  const { signTransaction } = useWallet();
  const reserves = snapshot!.reserves;
  const { title, hint, kinds } = SPEC[combo];
  const [legs, setLegs] = useState<Leg[]>(() => kinds.map((kind) => ({ reserveKey: defaultReserve(kind, reserves), amountText: "", all: false })));
  const [progress, setProgress] = useState<TxProgress | null>(null);
  const reserveOf = (key: string) => reserves.find((r) => r.config.reserve === key)!;
  const balanceOf = (key: string) => wallet?.tokens[key]?.balance ?? null;

  // Base units per leg (u64::MAX for "all"), or null while an amount is missing or invalid.
  const amounts = legs.map((leg) => {
    if (leg.all) return U64_MAX.toString();
    const parsed = parseUnits(leg.amountText, reserveOf(leg.reserveKey).config.decimals);
    return parsed.ok ? parsed.units.toString() : null;
  });
  const ready = amounts.every((a) => a !== null);
  const result = useMemo(() => {
    if (!ready || !snapshot || !wallet || !owner) return null;
    const actions = kinds.map((kind, i) => ({ kind, reserve: legs[i].reserveKey, amount: amounts[i]! }));
    // Every known balance: a borrow or withdraw pays into the wallet what a later step may spend.
    const balances = Object.fromEntries(snapshot.reserves.map((r) => [r.config.reserve, (wallet.tokens[r.config.reserve]?.balance ?? 0n).toString()]));
    return previewSequence(wasm, snapshot.common, wallet.obligation, owner.toBase58(), actions, balances);
    // The amounts and `ready` derive from `legs`; `kinds` is fixed per form.
  }, [legs, snapshot, wallet, owner, wasm]);

  const busy = progress?.stage === "building" || progress?.stage === "signing" || progress?.stage === "sent";

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!owner || !wallet || !ready || !signTransaction) return;
    // Each instruction's health accounts: the positions after its own action, as the wasm ran the
    // sequence (a first deposit's new position is in the borrow's).
    const perAction = healthAccountsPerAction(result?.steps, kinds.length, position?.healthAccounts ?? []);
    const userActions: UserAction[] = kinds.map((kind, i) => ({
      kind,
      keys: reserveOf(legs[i].reserveKey).keys,
      tokenAccount: wallet.tokens[legs[i].reserveKey].ata,
      amount: amounts[i]!,
      health: perAction[i].map((key) => ({ reserve: new PublicKey(key), oracle: reserveOf(key).pinnedOracle })),
    }));
    // No mark_liquidatable: the second action, a borrow or a withdraw, stops a running auction
    // clock on chain by itself.
    const instructions = await userActionInstructions(ix, owner, userActions, { id: wallet.obligationId, createObligation: !wallet.obligation });
    const sent = await sendAndRefresh(connection, { publicKey: owner, signTransaction }, instructions, setProgress, refresh, deployment.programId);
    if (sent.ok) setLegs((current) => current.map((leg) => ({ ...leg, amountText: "", all: false })));
  };

  const failed = result && !result.ok ? result.failedAction ?? 0 : null;
  return (
    <Card title={title} testid={`${combo}-form`}>
      <form onSubmit={submit} aria-describedby={`${combo}-hint`}>
        <p id={`${combo}-hint`} className="muted small">
          {hint}
        </p>
        {kinds.map((kind, i) => (
          <LegFields
            key={kind}
            id={`${combo}-${kind}`}
            kind={kind}
            leg={legs[i]}
            reserves={reserves}
            balance={balanceOf(legs[i].reserveKey)}
            onChange={(leg) => setLegs((current) => current.map((l, j) => (j === i ? leg : l)))}
          />
        ))}
        {result ? (
          <div className="preview" data-testid={`${combo}-preview`} data-failed-step={failed ?? undefined} aria-live="polite">
            <h3>Preview of both steps (computed before signing)</h3>
            {result.ok ? (
              <dl className="facts">
                <div>
                  <dt>Health factor</dt>
                  <dd>
                    <span data-testid={`${combo}-preview-before`}>{healthFactorText(result.before.maintenance)}</span> →{" "}
                    <strong data-testid={`${combo}-preview-health`} data-value={healthFactorValue(result.after?.maintenance)}>
                      {healthFactorText(result.after?.maintenance)}
                    </strong>
                  </dd>
                </div>
                <div>
                  <dt>Borrow power</dt>
                  <dd data-testid={`${combo}-preview-borrow-power`} data-value={result.after?.borrowPowerLeft ?? ""}>
                    {borrowPowerText(result.before)} → {borrowPowerText(result.after)}
                  </dd>
                </div>
                {result.steps?.map((step, i) => (
                  <div key={i}>
                    <dt>
                      Step {i + 1}: {VERB[kinds[i]].toLowerCase()}
                    </dt>
                    <dd data-testid={`${combo}-preview-amount-${i}`}>
                      {formatUnits(step.ok ? step.amount : "0", reserveOf(step.reserve).config.decimals)} {reserveOf(step.reserve).config.symbol}
                    </dd>
                  </div>
                ))}
              </dl>
            ) : (
              <ErrorMessage
                error={{
                  message: `The program would reject step ${(failed ?? 0) + 1} (${VERB[kinds[failed ?? 0]].toLowerCase()}): ${messageForName(result.error ?? "")}`,
                  name: result.error,
                  raw: "",
                }}
                testid={`${combo}-preview-error`}
              />
            )}
          </div>
        ) : null}
        <button type="submit" className="primary" data-testid={`${combo}-submit`} disabled={!ready || busy || !owner}>
          {title}
        </button>
      </form>
      <TxStatus progress={progress} />
    </Card>
  );
}
