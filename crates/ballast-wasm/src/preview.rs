//! The `preview` op: one action, or several as one transaction's instructions, run by the
//! engine on copies of the accounts (`ChainView::simulate_sequence`): the user actions,
//! `set_collateral`, flash loans and the withdraw that pays one back out of the deposit.

use std::collections::BTreeMap;

use ballast_math::position::HealthKind;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::{err, health_json, health_result, obligation_of, priced, s, wad, Common};
use crate::engine::{Action, ActionKind, ChainView, Obligation};
use crate::input::{ObligationAccountIn, U64};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionIn {
    /// `deposit`, `withdraw`, `borrow`, `repay`, `withdrawPlusFlashFee` (the amount plus the
    /// reserve's flash-loan fee on it), `setCollateral` (with `collateral`), `flashBorrow`,
    /// `flashRepay`.
    kind: String,
    reserve: String,
    /// Base units; `u64::MAX` means "all" for withdraw and repay, as on chain (not read by
    /// `setCollateral`).
    #[serde(default)]
    amount: U64,
    /// `setCollateral`: whether the deposit is to count as collateral.
    #[serde(default)]
    collateral: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PreviewReq {
    #[serde(flatten)]
    common: Common,
    #[serde(default)]
    obligation: Option<ObligationAccountIn>,
    #[serde(default)]
    owner: Option<String>,
    /// One action, or `actions`: several, in the order of one transaction's instructions.
    #[serde(default)]
    action: Option<ActionIn>,
    #[serde(default)]
    actions: Option<Vec<ActionIn>>,
    /// The signer's balance of `action`'s token (one action).
    #[serde(default)]
    wallet_balance: Option<U64>,
    /// The signer's balances by reserve (`actions`); a reserve left out is not checked.
    #[serde(default)]
    wallet_balances: BTreeMap<String, U64>,
}

fn action_kind(action: &ActionIn) -> Result<ActionKind, String> {
    Ok(match action.kind.as_str() {
        "deposit" => ActionKind::Deposit,
        "withdraw" => ActionKind::Withdraw,
        "withdrawPlusFlashFee" => ActionKind::WithdrawPlusFlashFee,
        "borrow" => ActionKind::Borrow,
        "repay" => ActionKind::Repay,
        "setCollateral" => {
            ActionKind::SetCollateral(action.collateral.ok_or("setCollateral needs `collateral` (true or false)")?)
        }
        "flashBorrow" => ActionKind::FlashBorrow,
        "flashRepay" => ActionKind::FlashRepay,
        other => return Err(format!("unknown action {other}")),
    })
}

/// The health accounts an instruction takes: the obligation's positions' reserves, in order.
fn health_accounts<'k>(obligation: &Obligation<'k>) -> Vec<&'k str> {
    obligation.active().iter().map(|p| p.reserve).collect()
}

/// Health (maintenance and initial) and the borrow power left, or why they cannot be computed.
fn health_summary(book: &ChainView, obligation: &Obligation) -> Value {
    let initial = book.obligation_health(obligation, HealthKind::Initial).map(|h| h.health);
    let borrow_power = initial.as_ref().ok().map(|h| wad(h.weighted_collateral.saturating_sub(h.weighted_debt)));
    json!({
        "maintenance": health_result(book.obligation_health(obligation, HealthKind::Maintenance).map(|h| h.health)),
        "initial": health_result(initial),
        "borrowPowerLeft": borrow_power,
    })
}

/// The action (`action`), or the actions in order as one transaction (`actions`), run as the
/// program runs them (the user actions, `set_collateral`, and flash loans with the withdraw that
/// repays one out of the deposit), before signing: the health before, then the first rejected action's index
/// and error, or the health after all of them. Per action: the amount moved, the initial health
/// the program checked, and the health accounts its instruction takes (the positions after it;
/// for a rejected one, where it stopped).
pub(crate) fn preview(req: Value) -> Result<Value, String> {
    let r: PreviewReq = serde_json::from_value(req).map_err(|e| e.to_string())?;
    let reserves = priced(&r.common.reserves);
    let book = r.common.view(&reserves);
    let obligation = obligation_of(r.obligation.as_ref(), r.owner.as_deref());
    let (requested, mut wallet) = match (&r.action, &r.actions) {
        (Some(action), None) => {
            let balance = r.wallet_balance.map(|b| (action.reserve.as_str(), b.0));
            (core::slice::from_ref(action), balance.into_iter().collect::<BTreeMap<_, _>>())
        }
        (None, Some(actions)) if !actions.is_empty() => (actions.as_slice(), BTreeMap::new()),
        _ => return Err("give one `action` or a non-empty list of `actions`".into()),
    };
    wallet.extend(r.wallet_balances.iter().map(|(reserve, balance)| (reserve.as_str(), balance.0)));
    let actions = requested
        .iter()
        .map(|a| Ok(Action { kind: action_kind(a)?, reserve: a.reserve.as_str(), amount: a.amount.0 }))
        .collect::<Result<Vec<_>, String>>()?;
    let sequence = book.simulate_sequence(&obligation, &actions, wallet);
    let mut steps: Vec<Value> = sequence
        .accepted
        .iter()
        .zip(requested)
        .map(|(outcome, action)| {
            json!({
                "ok": true,
                "kind": action.kind,
                "reserve": action.reserve,
                "amount": s(outcome.amount),
                "fee": outcome.fee.map(s),
                "checkedHealth": outcome.checked_health.as_ref().map(health_json),
                "healthAccounts": health_accounts(&outcome.obligation),
            })
        })
        .collect();
    let before = health_summary(&book, &obligation);
    Ok(match &sequence.rejected {
        Some(rejected) => {
            let action = &requested[rejected.index];
            steps.push(json!({
                "ok": false,
                "kind": action.kind,
                "reserve": action.reserve,
                "error": err(rejected.error),
                "healthAccounts": health_accounts(&rejected.obligation),
            }));
            json!({
                "ok": false,
                "error": err(rejected.error),
                "failedAction": rejected.index,
                "before": before,
                "steps": steps,
                "healthAccounts": health_accounts(&rejected.obligation),
            })
        }
        None => {
            let last = sequence.accepted.last().expect("a non-empty sequence");
            json!({
                "ok": true,
                "amount": s(last.amount),
                "before": before,
                "after": health_summary(&book.with_reserves(&sequence.reserves), &sequence.obligation),
                "checkedHealth": last.checked_health.as_ref().map(health_json),
                "healthAccounts": health_accounts(&sequence.obligation),
                "steps": steps,
            })
        }
    })
}
