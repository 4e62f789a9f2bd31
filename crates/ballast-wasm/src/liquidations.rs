//! `liquidations`: every obligation's maintenance health and, for each liquidatable one, the
//! liquidation policy's most profitable (debt, collateral) pair, checked by running the liquidate
//! operation on copies.

use std::collections::BTreeMap;

use ballast_math::position::HealthKind;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::api::{err, priced, s, wad, Common, HealthOut, Outcome};
use crate::engine::{Error, Obligation};
use crate::input::{ObligationAccountIn, U64};
use ballast_engine::operations::LiquidationTerms;
use ballast_engine::policy::{self, RepayLimits};
use ballast_engine::{Error as EngineError, Positions as _};

/// An obligation as fetched: its address and its data (base64).
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ObligationEntry {
    pub key: String,
    #[tsify(type = "string")]
    pub data: ObligationAccountIn,
}

#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct LiquidationsRequest {
    #[serde(flatten)]
    pub common: Common,
    pub obligations: Vec<ObligationEntry>,
    /// The liquidator (its own obligations cannot be liquidated by it).
    #[serde(default)]
    #[tsify(optional)]
    pub liquidator: Option<String>,
    /// The liquidator's balance per reserve's mint (base units); missing = unlimited.
    #[serde(default)]
    #[tsify(type = "Record<string, string | number>", optional)]
    pub budgets: BTreeMap<String, U64>,
    /// `min_collateral_out` = planned collateral x (1 - slippage); default 100.
    #[serde(default)]
    #[tsify(optional)]
    pub slippage_bps: Option<u16>,
}

/// The health after the planned liquidation (the `ok: true` side of [`PlanCheck`]).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct HealthAfter {
    pub health_after: HealthOut,
}

/// The liquidate operation run on copies with the plan: the health after, or the named error.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(transparent)]
pub struct PlanCheck(pub Outcome<HealthAfter>);

/// The policy's best liquidation: amounts in base units, values as Wads of USD.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct PlanOut {
    pub repay_reserve: String,
    pub collateral_reserve: String,
    pub repay_amount: String,
    pub repays_all: bool,
    pub liquidator_amount: String,
    pub min_collateral_out: String,
    pub protocol_amount: String,
    pub bonus_bps: u16,
    pub repay_value: String,
    pub seized_value: String,
    pub profit: String,
    pub receive_shares: bool,
    pub check: PlanCheck,
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(untagged)]
pub enum LiquidationRow {
    #[serde(rename_all = "camelCase")]
    Read {
        key: String,
        owner: String,
        health: HealthOut,
        liquidatable: bool,
        plan: Option<PlanOut>,
        plan_error: Option<String>,
        health_accounts: Vec<String>,
    },
    Err {
        key: String,
        owner: String,
        error: String,
    },
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
pub struct Liquidations {
    pub obligations: Vec<LiquidationRow>,
}

/// Every obligation's maintenance health; for each liquidatable one, the liquidation policy's
/// most profitable (debt, collateral) pair, checked by running the liquidate operation on copies.
pub fn liquidations(r: LiquidationsRequest) -> Result<Liquidations, String> {
    let reserves = priced(&r.common.reserves);
    let book = r.common.view(&reserves);
    let slippage = r.slippage_bps.unwrap_or(100) as u128;
    let market_state = r.common.market.as_ref().map(|m| m.state());
    let liquidator = r.liquidator.clone().unwrap_or_default();
    let rows = r
        .obligations
        .iter()
        .map(|entry| {
            let obligation = Obligation::from_account(&entry.data);
            let health = match book.obligation_health(&obligation, HealthKind::Maintenance) {
                Ok(h) => h.health,
                Err(e) => {
                    return LiquidationRow::Err {
                        key: entry.key.clone(),
                        owner: obligation.owner.to_string(),
                        error: err(e),
                    }
                }
            };
            // The one liquidation policy (`ballast_engine::policy`), the budget per debt mint.
            let limits = |debt: &&str, _collateral: &&str| {
                let mint = book.reserve(debt).map(|d| d.state.mint.as_str()).unwrap_or_default();
                RepayLimits { budget: r.budgets.get(mint).map(|b| b.0).unwrap_or(u64::MAX), margin_bps: 0 }
            };
            let choice = match &market_state {
                Some(state) => {
                    let terms = LiquidationTerms::of(state, &obligation.positions, book.now_unix);
                    policy::best_liquidation(obligation.positions.held(), &book, &terms, limits, book.now_unix)
                }
                None => policy::Choice {
                    best: None,
                    lacked_funds: false,
                    any_plan: false,
                    last_error: (!health.is_healthy()).then_some(Error::Program(EngineError::MarketMismatch)),
                },
            };
            let plan = choice.best.map(|candidate| {
                let plan = candidate.plan;
                let min_out = plan.liquidator_amount - (plan.liquidator_amount as u128 * slippage / 10_000) as u64;
                let check = book.simulate_liquidation(
                    &obligation,
                    &liquidator,
                    candidate.repay_reserve,
                    candidate.collateral_reserve,
                    plan.repay_amount,
                    min_out,
                    candidate.receive_shares,
                );
                PlanOut {
                    repay_reserve: candidate.repay_reserve.to_string(),
                    collateral_reserve: candidate.collateral_reserve.to_string(),
                    repay_amount: s(plan.repay_amount),
                    repays_all: plan.repays_all,
                    liquidator_amount: s(plan.liquidator_amount),
                    min_collateral_out: s(min_out),
                    protocol_amount: wad(plan.protocol_amount),
                    bonus_bps: plan.bonus_bps,
                    repay_value: wad(plan.repay_value),
                    seized_value: wad(plan.seized_value),
                    profit: s(candidate.profit),
                    receive_shares: candidate.receive_shares,
                    check: PlanCheck(Outcome::of(
                        check.map(|(_, _, after)| HealthAfter { health_after: (&after).into() }),
                    )),
                }
            });
            LiquidationRow::Read {
                key: entry.key.clone(),
                owner: obligation.owner.to_string(),
                health: (&health).into(),
                liquidatable: !health.is_healthy(),
                plan,
                plan_error: choice.last_error.map(err),
                health_accounts: crate::api::health_accounts(&obligation),
            }
        })
        .collect();
    Ok(Liquidations { obligations: rows })
}
