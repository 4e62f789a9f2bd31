//! The `preview` op: one action, or several as one transaction's instructions, run by the
//! engine on copies of the accounts (`ChainView::simulate_sequence`): the user actions,
//! `set_collateral`, flash loans and the withdraw that pays one back out of the deposit.

use std::collections::BTreeMap;

use ballast_math::position::HealthKind;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::api::{err, health_accounts, obligation_of, priced, s, wad, HealthOut, HealthResult};
use crate::engine::{Action, ActionKind, ChainView, Obligation};
use crate::input::U64;
use crate::obligation::ObligationRequest;

/// What a previewed sequence can hold: the user actions, `set_collateral`, a flash loan's two
/// halves, and the withdraw that repays one out of the deposit (the amount plus the reserve's
/// flash-loan fee on it, the fee computed by the engine).
#[derive(Deserialize, Serialize, Tsify, Clone, Copy, Debug, PartialEq, Eq)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub enum SequenceKind {
    Deposit,
    Withdraw,
    Borrow,
    Repay,
    SetCollateral,
    FlashBorrow,
    FlashRepay,
    WithdrawPlusFlashFee,
}

#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ActionIn {
    pub kind: SequenceKind,
    pub reserve: String,
    /// Base units; `u64::MAX` means "all" for withdraw and repay, as on chain (not read by
    /// `setCollateral`).
    #[serde(default)]
    #[tsify(type = "string | number", optional)]
    pub amount: U64,
    /// `setCollateral`: whether the deposit is to count as collateral.
    #[serde(default)]
    #[tsify(optional)]
    pub collateral: Option<bool>,
}

#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRequest {
    /// The chain, and the obligation acted on (or its owner's, when it has none yet).
    #[serde(flatten)]
    pub target: ObligationRequest,
    /// One action, or `actions`: several, in the order of one transaction's instructions.
    #[serde(default)]
    #[tsify(optional)]
    pub action: Option<ActionIn>,
    #[serde(default)]
    #[tsify(optional)]
    pub actions: Option<Vec<ActionIn>>,
    /// The signer's balance of `action`'s token (one action).
    #[serde(default)]
    #[tsify(type = "string | number | null", optional)]
    pub wallet_balance: Option<U64>,
    /// The signer's balances by reserve (`actions`); a reserve left out is not checked.
    #[serde(default)]
    #[tsify(type = "Record<string, string | number>", optional)]
    pub wallet_balances: BTreeMap<String, U64>,
}

/// Health (maintenance and initial) and the borrow power left (`null`: initial health cannot be
/// computed).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct HealthSummary {
    pub maintenance: HealthResult,
    pub initial: HealthResult,
    pub borrow_power_left: Option<String>,
}

/// One action of a previewed sequence: accepted (the amount moved) or the rejected one. Each
/// carries the health accounts its instruction takes (the positions after it; for a rejected
/// one, where it stopped).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(untagged)]
pub enum StepOut {
    #[serde(rename_all = "camelCase")]
    Accepted {
        #[tsify(type = "true")]
        ok: bool,
        kind: SequenceKind,
        reserve: String,
        amount: String,
        /// flashRepay: the fee (included in `amount`); withdrawPlusFlashFee: the fee it added.
        fee: Option<String>,
        checked_health: Option<HealthOut>,
        health_accounts: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    Rejected {
        #[tsify(type = "false")]
        ok: bool,
        kind: SequenceKind,
        reserve: String,
        error: String,
        health_accounts: Vec<String>,
    },
}

/// The sequence's outcome: the health before, then the health after all of it, or the first
/// rejected action's index and error.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(untagged)]
pub enum PreviewOut {
    #[serde(rename_all = "camelCase")]
    Accepted {
        #[tsify(type = "true")]
        ok: bool,
        /// The last action's amount moved.
        amount: String,
        before: HealthSummary,
        after: HealthSummary,
        checked_health: Option<HealthOut>,
        /// The positions after every action: the health accounts.
        health_accounts: Vec<String>,
        steps: Vec<StepOut>,
    },
    #[serde(rename_all = "camelCase")]
    Rejected {
        #[tsify(type = "false")]
        ok: bool,
        error: String,
        /// The rejected action's index in the sequence.
        failed_action: usize,
        before: HealthSummary,
        /// The actions that ran, in order; the last one is the rejected one.
        steps: Vec<StepOut>,
        /// Where the rejected action stopped: its health accounts.
        health_accounts: Vec<String>,
    },
}

fn action_kind(action: &ActionIn) -> Result<ActionKind, String> {
    Ok(match action.kind {
        SequenceKind::Deposit => ActionKind::Deposit,
        SequenceKind::Withdraw => ActionKind::Withdraw,
        SequenceKind::WithdrawPlusFlashFee => ActionKind::WithdrawPlusFlashFee,
        SequenceKind::Borrow => ActionKind::Borrow,
        SequenceKind::Repay => ActionKind::Repay,
        SequenceKind::SetCollateral => {
            ActionKind::SetCollateral(action.collateral.ok_or("setCollateral needs `collateral` (true or false)")?)
        }
        SequenceKind::FlashBorrow => ActionKind::FlashBorrow,
        SequenceKind::FlashRepay => ActionKind::FlashRepay,
    })
}

fn health_summary(book: &ChainView, obligation: &Obligation) -> HealthSummary {
    let initial = book.obligation_health(obligation, HealthKind::Initial).map(|h| h.health);
    let borrow_power_left = initial.as_ref().ok().map(|h| wad(h.weighted_collateral.saturating_sub(h.weighted_debt)));
    HealthSummary {
        maintenance: HealthResult::of(book.obligation_health(obligation, HealthKind::Maintenance).map(|h| h.health)),
        initial: HealthResult::of(initial),
        borrow_power_left,
    }
}

/// The action (`action`), or the actions in order as one transaction (`actions`), run as the
/// program runs them (the user actions, `set_collateral`, and flash loans with the withdraw that
/// repays one out of the deposit), before signing: the health before, then the first rejected action's index
/// and error, or the health after all of them. Per action: the amount moved, the initial health
/// the program checked, and the health accounts its instruction takes (the positions after it;
/// for a rejected one, where it stopped).
pub fn preview(r: PreviewRequest) -> Result<PreviewOut, String> {
    let target = &r.target;
    let reserves = priced(&target.common.reserves);
    let book = target.common.view(&reserves);
    let obligation = obligation_of(target.obligation.as_ref(), target.owner.as_deref());
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
    let mut steps: Vec<StepOut> = sequence
        .accepted
        .iter()
        .zip(requested)
        .map(|(outcome, action)| StepOut::Accepted {
            ok: true,
            kind: action.kind,
            reserve: action.reserve.clone(),
            amount: s(outcome.amount),
            fee: outcome.fee.map(s),
            checked_health: outcome.checked_health.as_ref().map(HealthOut::from),
            health_accounts: health_accounts(&outcome.obligation),
        })
        .collect();
    let before = health_summary(&book, &obligation);
    Ok(match &sequence.rejected {
        Some(rejected) => {
            let action = &requested[rejected.index];
            steps.push(StepOut::Rejected {
                ok: false,
                kind: action.kind,
                reserve: action.reserve.clone(),
                error: err(rejected.error),
                health_accounts: health_accounts(&rejected.obligation),
            });
            PreviewOut::Rejected {
                ok: false,
                error: err(rejected.error),
                failed_action: rejected.index,
                before,
                steps,
                health_accounts: health_accounts(&rejected.obligation),
            }
        }
        None => {
            let last = sequence.accepted.last().expect("a non-empty sequence");
            PreviewOut::Accepted {
                ok: true,
                amount: s(last.amount),
                before,
                after: health_summary(&book.with_reserves(&sequence.reserves), &sequence.obligation),
                checked_health: last.checked_health.as_ref().map(HealthOut::from),
                health_accounts: health_accounts(&sequence.obligation),
                steps,
            }
        }
    })
}
