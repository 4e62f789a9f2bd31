//! `obligation`: an obligation's health (maintenance and initial), each position's amounts and
//! values, its liquidation price, and the most that can be withdrawn or borrowed.

use std::collections::BTreeMap;

use ballast_math::position::HealthKind;
use ballast_math::{Health, Rounding, Wad};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::api::{err, obligation_of, priced, s, wad, Common, HealthResult};
use crate::engine::{ActionKind, ChainView, Error, Obligation, Position};
use crate::input::ObligationAccountIn;
use ballast_engine::Positions as _;

#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ObligationRequest {
    #[serde(flatten)]
    pub common: Common,
    /// The obligation account's data, base64 (`null`: the owner has none yet).
    #[serde(default)]
    #[tsify(type = "string | null", optional)]
    pub obligation: Option<ObligationAccountIn>,
    #[serde(default)]
    #[tsify(optional)]
    pub owner: Option<String>,
}

/// One position: shares, amounts (Wads of base units) and values (Wads of USD; `null` without a
/// usable price), or why its reserve could not be read.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(untagged)]
pub enum PositionOut {
    #[serde(rename_all = "camelCase")]
    Read {
        reserve: String,
        supply_shares: String,
        debt_shares: String,
        deposit_amount: String,
        deposit_units: String,
        deposit_value: Option<String>,
        debt_amount: String,
        debt_units: String,
        debt_value: Option<String>,
        liquidation_price: Option<String>,
        max_withdraw: String,
        /// Withdrawing everything (`u64::MAX`) is accepted.
        withdraw_all: bool,
        /// Whether the deposit counts as collateral (`set_collateral`).
        collateral: bool,
    },
    Err {
        reserve: String,
        error: String,
    },
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct ObligationOut {
    pub maintenance: HealthResult,
    pub initial: HealthResult,
    /// Weighted collateral minus weighted debt at initial weights (`null`: not computable).
    pub borrow_power_left: Option<String>,
    pub has_debt: bool,
    /// The Dutch auction's clock (unix seconds; "0": not running).
    pub liquidatable_since_ts: String,
    pub positions: Vec<PositionOut>,
    /// The most that can be borrowed now, by reserve (base units).
    pub max_borrow: BTreeMap<String, String>,
    /// The accounts a health-checked instruction takes: the positions' reserves, in order.
    pub health_accounts: Vec<String>,
}

/// The obligation's health (maintenance and initial), each position's amounts and values, its
/// liquidation price, and the most that can be withdrawn or borrowed.
pub fn obligation(r: ObligationRequest) -> Result<ObligationOut, String> {
    let reserves = priced(&r.common.reserves);
    let book = r.common.view(&reserves);
    let obligation = obligation_of(r.obligation.as_ref(), r.owner.as_deref());
    let maintenance = book.obligation_health(&obligation, HealthKind::Maintenance);
    let initial = book.obligation_health(&obligation, HealthKind::Initial);
    let positions = obligation
        .active()
        .iter()
        .enumerate()
        .map(|(index, position)| {
            position_out(&book, &obligation, index, position, maintenance.as_ref().ok().map(|m| &m.health))
        })
        .collect();
    let borrow_power_left =
        initial.as_ref().ok().map(|i| wad(i.health.weighted_collateral.saturating_sub(i.health.weighted_debt)));
    let max_borrow = reserves
        .iter()
        .map(|p| {
            let upper = p.accrued(book.now_unix).map(|a| a.available_liquidity).unwrap_or(0);
            let amount = book.largest_accepted(&obligation, ActionKind::Borrow, &p.state.key, upper);
            (p.state.key.clone(), s(amount))
        })
        .collect();
    Ok(ObligationOut {
        maintenance: HealthResult::of(maintenance.map(|m| m.health)),
        initial: HealthResult::of(initial.map(|i| i.health)),
        borrow_power_left,
        has_debt: obligation.positions.has_debt(),
        liquidatable_since_ts: s(obligation.positions.liquidatable_since_ts),
        positions,
        max_borrow,
        health_accounts: crate::api::health_accounts(&obligation),
    })
}

fn position_out(
    book: &ChainView,
    obligation: &Obligation,
    index: usize,
    position: &Position,
    maintenance: Option<&Health>,
) -> PositionOut {
    let unreadable = |error: Error| PositionOut::Err { reserve: position.reserve.to_string(), error: err(error) };
    let priced = match book.reserve(position.reserve) {
        Ok(priced) => priced,
        Err(_) => return unreadable(Error::UnknownReserve),
    };
    let st = &priced.state;
    let accounting = match priced.accrued(book.now_unix) {
        Ok(a) => a,
        Err(e) => return unreadable(e),
    };
    let deposit = accounting.liquidity_for_shares(position.supply_shares).unwrap_or_default();
    let debt = accounting.debt_amount(position.debt_shares, Rounding::Up).unwrap_or_default();
    let spot = priced.price.ok().and_then(|p| p.spot(book.now_unix, &st.limits).ok());
    let value = |amount: Wad, rounding| {
        spot.and_then(|p| ballast_math::health::token_value(amount, st.decimals, p, rounding).ok()).map(wad)
    };
    let liquidation_price = match (maintenance, spot) {
        (Some(h), Some(p)) if position.supply_shares > 0 => ballast_math::liquidation_price(
            h,
            deposit,
            debt,
            st.decimals,
            st.risk.liquidation_threshold_bps,
            st.risk.borrow_factor_bps,
            p,
        )
        .ok()
        .flatten()
        .map(wad),
        _ => None,
    };
    // Withdraw: everything (`u64::MAX`) when the program accepts it, else the largest amount.
    let held_units = deposit.to_u64(Rounding::Down).unwrap_or(u64::MAX);
    let (max_withdraw, withdraw_all) = if position.supply_shares == 0 {
        (0, false)
    } else {
        match book.simulate(obligation, ActionKind::Withdraw, position.reserve, u64::MAX, None) {
            Ok(outcome) => (outcome.amount, true),
            Err(_) => (book.largest_accepted(obligation, ActionKind::Withdraw, position.reserve, held_units), false),
        }
    };
    PositionOut::Read {
        reserve: position.reserve.to_string(),
        supply_shares: s(position.supply_shares),
        debt_shares: wad(position.debt_shares),
        deposit_amount: wad(deposit),
        deposit_units: s(held_units),
        deposit_value: value(deposit, Rounding::Down),
        debt_amount: wad(debt),
        debt_units: s(accounting.repay_amount_to_clear(position.debt_shares).unwrap_or(u64::MAX)),
        debt_value: value(debt, Rounding::Up),
        liquidation_price,
        max_withdraw: s(max_withdraw),
        withdraw_all,
        collateral: obligation.positions.held().is_collateral(index),
    }
}
