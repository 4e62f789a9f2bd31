// Repay with collateral, for a position holding a deposit and a debt in the same asset: one
// transaction flash_borrow(X) → repay → withdraw(X + fee) → flash_repay(X). The wasm runs the
// engine's operations on copies as one sequence (the withdraw's fee is the engine's), so the
// preview shows the fee and the health after, or names the step the program would reject.
import { useMemo, useState } from "react";
import { PublicKey } from "@solana/web3.js";
import { useWallet } from "@solana/wallet-adapter-react";
import type { BallastState } from "../state/context";
import { Card, Empty, ErrorMessage, TxStatus } from "../components/common";
import { borrowPowerText, healthFactorText, healthFactorValue, STEP_WORDS } from "../components/previewText";
import { formatUnits, parseUnits, U64_MAX } from "../format";
import { messageForName } from "../client/errors";
import { acceptedStep, isPositionRead, previewSequence, type ActionIn } from "../wasm/api";
import { sendAndRefresh, type TxProgress } from "../client/tx";
import { healthAccountsPerAction, repayWithCollateralInstructions } from "../client/instructions";

const ID = "repay-collateral";

export function RepayWithCollateralForm({ state }: { state: BallastState }) {
  const { snapshot, wallet, position, wasm, ix, connection, refresh, owner, deployment } = state;
  const { signTransaction } = useWallet();
  const reserves = snapshot!.reserves;
  // Positions with a deposit and a debt in one reserve.
  const sameAsset = (position?.positions ?? []).filter(isPositionRead).filter((p) => p.supplyShares !== "0" && p.debtShares !== "0");
  const [chosen, setChosen] = useState<string | null>(null);
  const [amountText, setAmountText] = useState("");
  const [all, setAll] = useState(true);
  const [progress, setProgress] = useState<TxProgress | null>(null);
  const reserveKey = sameAsset.find((p) => p.reserve === chosen)?.reserve ?? sameAsset[0]?.reserve ?? null;
  const reserve = reserves.find((r) => r.config.reserve === reserveKey) ?? null;
  const positionOut = sameAsset.find((p) => p.reserve === reserveKey);
  const decimals = reserve?.config.decimals ?? 0;
  const parsed = parseUnits(amountText, decimals);
  // The loan is what the repay takes: the whole debt (to clear, rounded up) or the amount typed.
  const loan = all ? (positionOut?.debtUnits ?? null) : parsed.ok ? parsed.units.toString() : null;
  const repay = all ? U64_MAX.toString() : loan;

  const result = useMemo(() => {
    if (!snapshot || !wallet || !owner || !reserveKey || !loan || !repay) return null;
    const actions: ActionIn[] = [
      { kind: "flashBorrow", reserve: reserveKey, amount: loan },
      { kind: "repay", reserve: reserveKey, amount: repay },
      { kind: "withdrawPlusFlashFee", reserve: reserveKey, amount: loan },
      { kind: "flashRepay", reserve: reserveKey, amount: loan },
    ];
    const balances = { [reserveKey]: (wallet.tokens[reserveKey]?.balance ?? 0n).toString() };
    return previewSequence(wasm, snapshot.common, wallet.obligation, owner.toBase58(), actions, balances);
  }, [snapshot, wallet, owner, wasm, reserveKey, loan, repay]);

  const busy = progress?.stage === "building" || progress?.stage === "signing" || progress?.stage === "sent";
  if (!reserve || !reserveKey || !positionOut) {
    return (
      <Card title="Repay with collateral" testid={`${ID}-form`}>
        <Empty>No position holds a deposit and a debt in the same asset. Repay with collateral pays such a debt out of the deposit.</Empty>
        {/* The last transaction's outcome stays shown after it paid the debt off. */}
        <TxStatus progress={progress} />
      </Card>
    );
  }
  const symbol = reserve.config.symbol;
  const accepted = (i: number) => acceptedStep(result, i);
  const fee = accepted(3)?.fee ?? accepted(2)?.fee ?? null;
  const withdraw = accepted(2)?.amount ?? null;
  const failed = result && !result.ok ? result.failedAction : null;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!owner || !wallet || !loan || !repay || !signTransaction) return;
    const oracleOf = (key: string) => reserves.find((r) => r.config.reserve === key)!.pinnedOracle;
    const health = healthAccountsPerAction(result?.steps, 4, position?.healthAccounts ?? [])[2].map((key) => ({ reserve: new PublicKey(key), oracle: oracleOf(key) }));
    const instructions = await repayWithCollateralInstructions(ix, owner, wallet.obligationKey, {
      keys: reserve.keys,
      tokenAccount: wallet.tokens[reserveKey].ata,
      loan,
      repay,
      // The preview's withdraw: the loan plus the engine's fee (a rejected preview: the loan alone).
      withdraw: withdraw ?? loan,
      health,
    });
    const sent = await sendAndRefresh(connection, { publicKey: owner, signTransaction }, instructions, setProgress, refresh, deployment.programId);
    if (sent.ok) setAmountText("");
  };

  return (
    <Card title="Repay with collateral" testid={`${ID}-form`}>
      <form onSubmit={submit} aria-describedby={`${ID}-hint`}>
        <p id={`${ID}-hint`} className="muted small">
          Pay a debt out of the deposit in the same asset, in one transaction: a flash loan repays the debt, the deposit pays the loan back with its fee. No tokens needed in the
          wallet.
        </p>
        <div className="field">
          <label htmlFor={`${ID}-reserve`}>Asset</label>
          <select id={`${ID}-reserve`} data-testid={`${ID}-reserve`} value={reserveKey} onChange={(e) => setChosen(e.target.value)}>
            {sameAsset.map((p) => (
              <option key={p.reserve} value={p.reserve}>
                {reserves.find((r) => r.config.reserve === p.reserve)?.config.symbol ?? p.reserve}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ID}-amount`}>Repay ({symbol})</label>
          <input
            id={`${ID}-amount`}
            data-testid={`${ID}-amount`}
            inputMode="decimal"
            autoComplete="off"
            placeholder={all ? "all" : "0.0"}
            disabled={all}
            value={all ? "" : amountText}
            onChange={(e) => setAmountText(e.target.value)}
            aria-invalid={!all && amountText !== "" && !parsed.ok}
          />
          <label className="check small">
            <input type="checkbox" data-testid={`${ID}-all`} checked={all} onChange={(e) => setAll(e.target.checked)} />
            All (the whole debt: {formatUnits(positionOut.debtUnits, decimals)} {symbol})
          </label>
          {all ? <p className="muted small">Interest that accrues before the transaction lands is paid from your wallet: keep a little {symbol} there.</p> : null}
          {!all && amountText !== "" && !parsed.ok ? <p className="warn small">{parsed.error}</p> : null}
        </div>
        {result ? (
          <div className="preview" data-testid={`${ID}-preview`} data-failed-step={failed ?? undefined} aria-live="polite">
            <h3>Preview of the four steps (computed before signing)</h3>
            {result.ok ? (
              <dl className="facts">
                <div>
                  <dt>Health factor</dt>
                  <dd>
                    <span data-testid={`${ID}-preview-before`}>{healthFactorText(result.before.maintenance)}</span> →{" "}
                    <strong data-testid={`${ID}-preview-health`} data-value={healthFactorValue(result.after?.maintenance)}>
                      {healthFactorText(result.after?.maintenance)}
                    </strong>
                  </dd>
                </div>
                <div>
                  <dt>Borrow power</dt>
                  <dd>
                    {borrowPowerText(result.before)} → {borrowPowerText(result.after)}
                  </dd>
                </div>
                <div>
                  <dt>Repaid</dt>
                  <dd data-testid={`${ID}-repaid`} data-value={accepted(1)?.amount ?? ""}>
                    {formatUnits(accepted(1)?.amount ?? "0", decimals)} {symbol}
                  </dd>
                </div>
                <div>
                  <dt>Flash-loan fee</dt>
                  <dd data-testid={`${ID}-fee`} data-value={fee ?? ""}>
                    {formatUnits(fee ?? "0", decimals)} {symbol}
                  </dd>
                </div>
                <div>
                  <dt>Taken from the deposit</dt>
                  <dd data-testid={`${ID}-withdraw`} data-value={withdraw ?? ""}>
                    {formatUnits(withdraw ?? "0", decimals)} {symbol}
                  </dd>
                </div>
              </dl>
            ) : (
              <ErrorMessage
                error={{
                  message: `The program would reject step ${(failed ?? 0) + 1} (${STEP_WORDS[result.steps?.[failed ?? 0]?.kind ?? "flashBorrow"]}): ${messageForName(result.error ?? "")}`,
                  name: result.error,
                  raw: "",
                }}
                testid={`${ID}-preview-error`}
              />
            )}
          </div>
        ) : null}
        <button type="submit" className="primary" data-testid={`${ID}-submit`} disabled={!loan || busy || !owner}>
          Repay with collateral
        </button>
      </form>
      <TxStatus progress={progress} />
    </Card>
  );
}
