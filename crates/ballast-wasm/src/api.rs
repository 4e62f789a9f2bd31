//! The JSON API the dApp calls: one request `{"op": ..., ...}` in, one JSON answer out. Every
//! integer leaves as a decimal string (Wads as their raw `u128`: 1e18 = 1.0), so TypeScript only
//! formats and never computes.

use std::collections::BTreeMap;

use ballast_math::position::HealthKind;
use ballast_math::{Health, Rounding, Wad};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::engine::{ActionKind, ChainView, Error, Obligation, ReserveWithPrice};
use crate::input::{key_bytes, MarketAccountIn, ObligationAccountIn, ReserveIn, U64};
use ballast_engine::operations::LiquidationTerms;
use ballast_engine::policy::{self, RepayLimits};
use ballast_engine::{Error as EngineError, Positions as _};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Common {
    /// The chain clock (`Clock::unix_timestamp`).
    now: crate::input::I64,
    pub(crate) reserves: Vec<ReserveIn>,
    #[serde(default)]
    market: Option<MarketAccountIn>,
    #[serde(default)]
    market_key: Option<String>,
}

impl Common {
    /// What the request shows of the chain: its reserves priced, its market, its clock.
    pub(crate) fn view<'a>(&'a self, reserves: &'a [ReserveWithPrice]) -> ChainView<'a> {
        ChainView {
            reserves,
            market: self.market.as_ref(),
            market_key: self.market_key.as_deref(),
            now_unix: self.now.0,
        }
    }
}

fn price_of(reserve: &ReserveIn, state: &crate::input::DecodedReserve) -> Result<ballast_math::OraclePrice, Error> {
    if let Some(raw) = reserve.price {
        return Ok(raw.to_price());
    }
    let invalid = Error::Program(EngineError::OracleInvalidData);
    let oracle = reserve.oracle.as_ref().ok_or(invalid)?;
    let data = base64::engine::general_purpose::STANDARD.decode(oracle.data.trim()).map_err(|_| invalid)?;
    let key = key_bytes(&oracle.key).ok_or(Error::Program(EngineError::OracleAccountMismatch))?;
    let owner = key_bytes(&oracle.owner).ok_or(Error::Program(EngineError::OracleWrongOwner))?;
    let pin = &state.oracle;
    Ok(ballast_interface::pyth::price_from_account_data(
        &key,
        &owner,
        &data,
        &pin.oracle_account,
        pin.kind,
        &pin.feed_id,
    )?)
}

pub(crate) fn priced(reserves: &[ReserveIn]) -> Vec<ReserveWithPrice> {
    reserves
        .iter()
        .map(|r| {
            let state = r.state();
            let price = price_of(r, &state);
            ReserveWithPrice { state, price }
        })
        .collect()
}

pub(crate) fn s<T: ToString>(v: T) -> Value {
    Value::String(v.to_string())
}

pub(crate) fn wad(w: Wad) -> Value {
    s(w.0)
}

pub(crate) fn err(e: Error) -> Value {
    Value::String(e.name())
}

pub fn health_json(h: &Health) -> Value {
    json!({
        "weightedCollateral": wad(h.weighted_collateral),
        "weightedDebt": wad(h.weighted_debt),
        "collateralValue": wad(h.collateral_value),
        "debtValue": wad(h.debt_value),
        "healthFactor": h.health_factor().map(wad),
        "margin": s(h.margin()),
        "healthy": h.is_healthy(),
    })
}

pub(crate) fn health_result(r: Result<Health, Error>) -> Value {
    match r {
        Ok(h) => json!({ "ok": true, "health": health_json(&h) }),
        Err(e) => json!({ "ok": false, "error": err(e) }),
    }
}

pub(crate) fn obligation_of<'k>(account: Option<&'k ObligationAccountIn>, owner: Option<&'k str>) -> Obligation<'k> {
    match account {
        Some(a) => Obligation::from_account(a),
        None => Obligation { owner: owner.unwrap_or_default(), ..Default::default() },
    }
}

/// Per reserve: rates, totals, caps, price and its checks, at `now`.
fn overview(req: Value) -> Result<Value, String> {
    let c: Common = serde_json::from_value(req).map_err(|e| e.to_string())?;
    let now = c.now.0;
    let reserves = priced(&c.reserves);
    let out: Vec<Value> = reserves
        .iter()
        .map(|p| {
            let st = &p.state;
            let accounting = p.accrued(now);
            let totals = accounting.map_err(err).and_then(|a| {
                let (borrow_apr, supply_apr) =
                    a.rates(&st.curve, st.risk.protocol_take_rate_bps, st.risk.insurance_take_rate_bps).map_err(|e| err(e.into()))?;
                Ok(json!({
                    "utilization": wad(a.utilization().map_err(|e| err(e.into()))?),
                    "borrowApr": wad(borrow_apr),
                    "supplyApr": wad(supply_apr),
                    "totalSupply": wad(a.total_liquidity().map_err(|e| err(e.into()))?),
                    "totalBorrows": wad(a.total_debt(Rounding::Up).map_err(|e| err(e.into()))?),
                    "availableLiquidity": s(a.available_liquidity),
                    "supplyShareValue": wad(a.supply_share_value().map_err(|e| err(e.into()))?),
                    "borrowIndex": wad(a.borrow_index),
                }))
            });
            let price = match p.price {
                Err(e) => json!({ "ok": false, "error": err(e) }),
                Ok(raw) => {
                    let age = now.saturating_sub(raw.publish_time).max(0);
                    let spot = raw.spot(now, &st.limits);
                    let validated = raw.validate(now, &st.limits);
                    let (breaker, haircut) = match &validated {
                        Ok(v) => (
                            Value::Bool(st.controls.check_breaker(v).is_err()),
                            Value::from(st.controls.haircut_ltv_bps(st.risk.ltv_bps, v)),
                        ),
                        Err(_) => (Value::Null, Value::Null),
                    };
                    json!({
                        "ok": true,
                        "price": s(raw.price), "conf": s(raw.conf), "emaPrice": s(raw.ema_price), "emaConf": s(raw.ema_conf),
                        "exponent": raw.exponent, "publishTime": s(raw.publish_time), "ageSecs": s(age),
                        "spot": spot.map(wad).unwrap_or(Value::Null),
                        "spotError": spot.err().map(|e| err(e.into())),
                        "low": validated.as_ref().map(|v| wad(v.low)).unwrap_or(Value::Null),
                        "high": validated.as_ref().map(|v| wad(v.high)).unwrap_or(Value::Null),
                        "ema": validated.as_ref().map(|v| wad(v.ema)).unwrap_or(Value::Null),
                        "confidenceBps": validated.as_ref().map(|v| s(v.confidence_bps)).unwrap_or(Value::Null),
                        "emaDeviationBps": validated.as_ref().map(|v| s(v.ema_deviation_bps)).unwrap_or(Value::Null),
                        "validationError": validated.err().map(|e| err(e.into())),
                        "breakerTripped": breaker,
                        "haircutLtvBps": haircut,
                    })
                }
            };
            let (supply_cap_room, borrow_cap_room) = match p.accrued(now) {
                Ok(a) => (
                    if st.risk.supply_cap == u64::MAX { Value::Null } else {
                        a.total_liquidity().map(|l| wad(Wad::from_u64(st.risk.supply_cap).saturating_sub(l))).unwrap_or(Value::Null)
                    },
                    if st.risk.borrow_cap == u64::MAX { Value::Null } else {
                        a.total_debt(Rounding::Up).map(|d| wad(Wad::from_u64(st.risk.borrow_cap).saturating_sub(d))).unwrap_or(Value::Null)
                    },
                ),
                Err(_) => (Value::Null, Value::Null),
            };
            json!({
                "key": st.key,
                "mint": st.mint,
                "decimals": st.decimals,
                "status": st.status as u8,
                "totals": match totals { Ok(t) => t, Err(e) => json!({ "error": e }) },
                "price": price,
                "supplyCap": s(st.risk.supply_cap),
                "borrowCap": s(st.risk.borrow_cap),
                "supplyCapRoom": supply_cap_room,
                "borrowCapRoom": borrow_cap_room,
                "ltvBps": st.risk.ltv_bps,
                "liquidationThresholdBps": st.risk.liquidation_threshold_bps,
                "borrowFactorBps": st.risk.borrow_factor_bps,
                "maxEmaDeviationBps": st.controls.max_ema_deviation_bps,
                "utilizationCeilingBps": st.controls.utilization_ceiling_bps,
                "collateralValueCapUsd": s(st.controls.collateral_value_cap_usd),
                "maxPriceAgeSecs": s(st.limits.max_age_secs),
                "maxConfidenceBps": st.limits.max_confidence_bps,
            })
        })
        .collect();
    Ok(json!({ "reserves": out }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObligationReq {
    #[serde(flatten)]
    common: Common,
    #[serde(default)]
    obligation: Option<ObligationAccountIn>,
    #[serde(default)]
    owner: Option<String>,
}

/// The obligation's health (maintenance and initial), each position's amounts and values, its
/// liquidation price, and the most that can be withdrawn or borrowed.
fn obligation(req: Value) -> Result<Value, String> {
    let r: ObligationReq = serde_json::from_value(req).map_err(|e| e.to_string())?;
    let reserves = priced(&r.common.reserves);
    let book = r.common.view(&reserves);
    let obligation = obligation_of(r.obligation.as_ref(), r.owner.as_deref());
    let maintenance = book.obligation_health(&obligation, HealthKind::Maintenance);
    let initial = book.obligation_health(&obligation, HealthKind::Initial);
    let positions: Vec<Value> = obligation
        .active()
        .iter()
        .enumerate()
        .map(|(index, position)| {
            position_json(&book, &obligation, index, position, maintenance.as_ref().ok().map(|m| &m.health))
        })
        .collect();
    let borrow_power =
        initial.as_ref().ok().map(|i| wad(i.health.weighted_collateral.saturating_sub(i.health.weighted_debt)));
    let max_borrow: serde_json::Map<String, Value> = reserves
        .iter()
        .map(|p| {
            let upper = p.accrued(book.now_unix).map(|a| a.available_liquidity).unwrap_or(0);
            let amount = book.largest_accepted(&obligation, ActionKind::Borrow, &p.state.key, upper);
            (p.state.key.clone(), s(amount))
        })
        .collect();
    Ok(json!({
        "maintenance": health_result(maintenance.map(|m| m.health)),
        "initial": health_result(initial.map(|i| i.health)),
        "borrowPowerLeft": borrow_power,
        "hasDebt": obligation.positions.has_debt(),
        "liquidatableSinceTs": obligation.positions.liquidatable_since_ts.to_string(),
        "positions": positions,
        "maxBorrow": max_borrow,
        "healthAccounts": obligation.active().iter().map(|p| p.reserve).collect::<Vec<_>>(),
    }))
}

fn position_json(
    book: &ChainView,
    obligation: &Obligation,
    index: usize,
    position: &crate::engine::Position,
    maintenance: Option<&Health>,
) -> Value {
    let Ok(priced) = book.reserve(position.reserve) else {
        return json!({ "reserve": position.reserve, "error": err(Error::UnknownReserve) });
    };
    let st = &priced.state;
    let accounting = match priced.accrued(book.now_unix) {
        Ok(a) => a,
        Err(e) => return json!({ "reserve": position.reserve, "error": err(e) }),
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
    json!({
        "reserve": position.reserve,
        "supplyShares": s(position.supply_shares),
        "debtShares": wad(position.debt_shares),
        "depositAmount": wad(deposit),
        "depositUnits": s(held_units),
        "depositValue": value(deposit, Rounding::Down),
        "debtAmount": wad(debt),
        "debtUnits": s(accounting.repay_amount_to_clear(position.debt_shares).unwrap_or(u64::MAX)),
        "debtValue": value(debt, Rounding::Up),
        "liquidationPrice": liquidation_price,
        "maxWithdraw": s(max_withdraw),
        "withdrawAll": withdraw_all,
        "collateral": obligation.positions.held().is_collateral(index),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObligationEntry {
    key: String,
    data: ObligationAccountIn,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LiquidationsReq {
    #[serde(flatten)]
    common: Common,
    obligations: Vec<ObligationEntry>,
    /// The liquidator (its own obligations cannot be liquidated by it).
    #[serde(default)]
    liquidator: Option<String>,
    /// The liquidator's balance per reserve's mint (base units); missing = unlimited.
    #[serde(default)]
    budgets: BTreeMap<String, U64>,
    /// `min_collateral_out` = planned collateral x (1 - slippage).
    #[serde(default)]
    slippage_bps: Option<u16>,
}

/// Every obligation's maintenance health; for each liquidatable one, the liquidation policy's
/// most profitable (debt, collateral) pair, checked by running the liquidate operation on copies.
fn liquidations(req: Value) -> Result<Value, String> {
    let r: LiquidationsReq = serde_json::from_value(req).map_err(|e| e.to_string())?;
    let reserves = priced(&r.common.reserves);
    let book = r.common.view(&reserves);
    let slippage = r.slippage_bps.unwrap_or(100) as u128;
    let market_state = r.common.market.as_ref().map(|m| m.state());
    let liquidator = r.liquidator.unwrap_or_default();
    let rows: Vec<Value> = r
        .obligations
        .iter()
        .map(|entry| {
            let obligation = Obligation::from_account(&entry.data);
            let reading = book.obligation_health(&obligation, HealthKind::Maintenance);
            let health = match &reading {
                Ok(h) => h.health,
                Err(e) => return json!({ "key": entry.key, "owner": obligation.owner, "error": err(*e) }),
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
            let (best, last_error) = (
                choice.best.map(|candidate| {
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
                    json!({
                        "repayReserve": candidate.repay_reserve,
                        "collateralReserve": candidate.collateral_reserve,
                        "repayAmount": s(plan.repay_amount),
                        "repaysAll": plan.repays_all,
                        "liquidatorAmount": s(plan.liquidator_amount),
                        "minCollateralOut": s(min_out),
                        "protocolAmount": wad(plan.protocol_amount),
                        "bonusBps": plan.bonus_bps,
                        "repayValue": wad(plan.repay_value),
                        "seizedValue": wad(plan.seized_value),
                        "profit": s(candidate.profit),
                        "receiveShares": candidate.receive_shares,
                        "check": match &check {
                            Ok((_, _, after)) => json!({ "ok": true, "healthAfter": health_json(after) }),
                            Err(e) => json!({ "ok": false, "error": err(*e) }),
                        },
                    })
                }),
                choice.last_error,
            );
            json!({
                "key": entry.key,
                "owner": obligation.owner,
                "health": health_json(&health),
                "liquidatable": !health.is_healthy(),
                "plan": best,
                "planError": last_error.map(err),
                "healthAccounts": obligation.active().iter().map(|p| p.reserve).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({ "obligations": rows }))
}

/// Decodes an oracle account's price for a reserve, with the program's checks.
fn oracle_price(req: Value) -> Result<Value, String> {
    let c: Common = serde_json::from_value(req).map_err(|e| e.to_string())?;
    let out: Vec<Value> = c
        .reserves
        .iter()
        .map(|r| match price_of(r, &r.state()) {
            Ok(p) => json!({ "ok": true, "price": s(p.price), "conf": s(p.conf), "emaPrice": s(p.ema_price), "emaConf": s(p.ema_conf), "exponent": p.exponent, "publishTime": s(p.publish_time) }),
            Err(e) => json!({ "ok": false, "error": err(e) }),
        })
        .collect();
    Ok(json!({ "prices": out }))
}

/// Dispatches one request. Never panics on bad input: errors come back as `{"error": ...}`.
pub fn call(request: &str) -> String {
    let answer = (|| -> Result<Value, String> {
        let value: Value = serde_json::from_str(request).map_err(|e| e.to_string())?;
        let op = value.get("op").and_then(Value::as_str).unwrap_or_default().to_string();
        match op.as_str() {
            "version" => Ok(json!({ "version": env!("CARGO_PKG_VERSION") })),
            "overview" => overview(value),
            "obligation" => obligation(value),
            "preview" => crate::preview::preview(value),
            "liquidations" => liquidations(value),
            "risk" => crate::risk::risk(value),
            "rateCurve" => crate::rates::rate_curve(value),
            "oraclePrice" => oracle_price(value),
            other => Err(format!("unknown op {other:?}")),
        }
    })();
    match answer {
        Ok(v) => v.to_string(),
        Err(e) => json!({ "error": e }).to_string(),
    }
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
