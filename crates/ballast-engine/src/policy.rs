//! The liquidator's policy, once for the bot, the dApp and the simulator: over every (debt,
//! collateral) pair of an unhealthy obligation, the largest repay the program accepts
//! (`max_acceptable_repay`, the full repay deep in the red), kept within the liquidator's budget
//! and a safety margin, valued at the spot prices health used; the most profitable pair wins.

use ballast_math::health::token_value;
use ballast_math::liquidation::{max_acceptable_repay, plan_liquidation, LiquidationPlan};
use ballast_math::{MathResult, Rounding, Wad, BPS_DENOMINATOR};

use crate::health::{obligation_health, HealthKind};
use crate::health::{AccountRetriever, Loaded};
use crate::operations::{liquidation_setup, LiquidationSetup, LiquidationTerms};
use crate::Held;
use crate::{PositionSlot, ReserveState};

/// What a liquidator asks of one pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RepayLimits {
    /// Base units of the debt token the liquidator may spend on this pair (0: it cannot take it).
    pub budget: u64,
    /// Share of a partial repay left unasked (interest accrues between the read and the
    /// transaction, which would otherwise lift the repay above the close factor).
    pub margin_bps: u16,
}

/// One pair's plan within a liquidator's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitedPlan {
    /// `None` when the repay the limits allow is not accepted.
    pub plan: Option<LiquidationPlan>,
    /// The budget, not the margin, cut the repay.
    pub budget_limited: bool,
}

/// The plan for one pair: the largest accepted repay, less the margin unless it repays the whole
/// debt, then sized again for the budget if that is less. `None` when no repay is acceptable.
/// Sized on the setup's knobs: a payout in tokens, paced if the collateral is over its budget.
pub fn plan_within_limits(setup: &LiquidationSetup, limits: RepayLimits) -> Option<LimitedPlan> {
    let (health, debt, collateral, bonus) = (&setup.reading.health, &setup.debt, &setup.collateral, &setup.bonus);
    let config = &setup.config;
    let plan = max_acceptable_repay(health, debt, collateral, bonus, config)?;
    let cap = if plan.repays_all {
        plan.repay_amount
    } else {
        plan.repay_amount - (plan.repay_amount as u128 * limits.margin_bps as u128 / BPS_DENOMINATOR) as u64
    };
    let asked = limits.budget.min(cap);
    if asked >= plan.repay_amount {
        return Some(LimitedPlan { plan: Some(plan), budget_limited: false });
    }
    let sized = if asked == 0 { None } else { plan_liquidation(health, debt, collateral, bonus, config, asked).ok() };
    Some(LimitedPlan { plan: sized, budget_limited: limits.budget < cap })
}

/// The liquidator's gain in USD (Wad, signed): collateral received at its spot price (rounded
/// down) less the repay at the debt's spot price (rounded up).
pub fn liquidation_profit(setup: &LiquidationSetup, plan: &LiquidationPlan) -> MathResult<i128> {
    let (debt, collateral) = (&setup.debt, &setup.collateral);
    let received =
        token_value(Wad::from_u64(plan.liquidator_amount), collateral.decimals, collateral.price, Rounding::Down)?;
    let paid = token_value(Wad::from_u64(plan.repay_amount), debt.decimals, debt.price, Rounding::Up)?;
    let clamp = |w: Wad| w.0.min(i128::MAX as u128) as i128;
    Ok(clamp(received) - clamp(paid))
}

/// One pair's plan and its profit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate<K> {
    pub repay_reserve: K,
    pub collateral_reserve: K,
    pub plan: LiquidationPlan,
    /// USD Wad, signed.
    pub profit: i128,
    /// The collateral vault cannot pay the seizure out in tokens: take it as supply shares.
    pub receive_shares: bool,
}

/// The policy's answer for one obligation.
#[derive(Debug)]
pub struct Choice<K, E> {
    /// The most profitable pair (first of equals, in position order).
    pub best: Option<Candidate<K>>,
    /// Some pair was skipped or cut for lack of budget.
    pub lacked_funds: bool,
    /// Some pair had an acceptable plan before the budget applied.
    pub any_plan: bool,
    /// The last error sizing a pair gave (a stale price, say).
    pub last_error: Option<E>,
}

/// The best liquidation of the obligation holding `positions` on `terms` (healthy: no
/// candidate); `limits(debt reserve, collateral reserve)` says what the liquidator brings to each
/// pair.
pub fn best_liquidation<'p, S, L>(
    positions: impl Into<Held<'p, S>>,
    retriever: &L,
    terms: &LiquidationTerms<'_>,
    limits: impl Fn(&S::Key, &S::Key) -> RepayLimits,
    now_unix: i64,
) -> Choice<S::Key, L::Error>
where
    S: PositionSlot + 'p,
    L: AccountRetriever<S::Key>,
{
    let mut choice = Choice { best: None, lacked_funds: false, any_plan: false, last_error: None };
    let held = positions.into();
    let positions = held.positions;
    match obligation_health(held, retriever, &[], HealthKind::Maintenance, &terms.margin, now_unix) {
        Ok(reading) if reading.health.is_healthy() => return choice,
        Ok(_) => {}
        Err(error) => {
            choice.last_error = Some(error);
            return choice;
        }
    }
    for (debt_index, debt) in positions.iter().enumerate().filter(|(_, p)| !p.debt_shares().is_zero()) {
        for (collateral_index, collateral) in positions.iter().enumerate() {
            let (debt_key, collateral_key) = (*debt.reserve(), *collateral.reserve());
            if held.collateral_shares(collateral_index) == 0 {
                continue;
            }
            let pair_limits = limits(&debt_key, &collateral_key);
            if pair_limits.budget == 0 {
                choice.lacked_funds = true;
                continue;
            }
            let candidate = (|| {
                let (debt_reserve, _) = retriever.reserve(debt_index, &debt_key)?;
                let (collateral_reserve, _) = retriever.reserve(collateral_index, &collateral_key)?;
                let loaded = [
                    Loaded { key: debt_key, reserve: &*debt_reserve },
                    Loaded { key: collateral_key, reserve: &*collateral_reserve },
                ];
                let vault_liquidity = collateral_reserve.accounting().available_liquidity;
                Ok((liquidation_setup(held, retriever, &loaded, terms, now_unix)?, vault_liquidity))
            })();
            let (setup, vault_liquidity) = match candidate {
                Ok(found) => found,
                Err(error) => {
                    choice.last_error = Some(error);
                    continue;
                }
            };
            let Some(limited) = plan_within_limits(&setup, pair_limits) else { continue };
            choice.any_plan = true;
            choice.lacked_funds |= limited.budget_limited;
            let Some(plan) = limited.plan else { continue };
            let Ok(profit) = liquidation_profit(&setup, &plan) else { continue };
            if choice.best.as_ref().is_none_or(|b| profit > b.profit) {
                // A looped position's repay lands in the vault it is paid from.
                let repaid_into_vault = if debt_key == collateral_key { plan.repay_amount } else { 0 };
                let receive_shares = vault_liquidity.saturating_add(repaid_into_vault) < plan.liquidator_amount;
                choice.best = Some(Candidate {
                    repay_reserve: debt_key,
                    collateral_reserve: collateral_key,
                    plan,
                    profit,
                    receive_shares,
                });
            }
        }
    }
    choice
}
