//! `op: "risk"`: the market's collateral ratios for the dApp's Risk page, computed by the engine
//! (`ballast_engine::monitor`) over every obligation the page fetched with `getProgramAccounts`:
//! the debt-weighted distribution of health factors, a liquidation map per collateral reserve and
//! each stress scenario's outcome. Accounts arrive and are decoded as for every other op.

use ballast_engine::monitor::{self, LiquidationMap, MarketRisk, DROP_STEPS, HF_EDGES_BPS};
use ballast_engine::ReserveState as _;
use ballast_math::Wad;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::engine::Obligation;
use crate::input::ObligationAccountIn;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObligationEntry {
    data: ObligationAccountIn,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RiskReq {
    #[serde(flatten)]
    common: crate::api::Common,
    obligations: Vec<ObligationEntry>,
}

fn wad(w: Wad) -> Value {
    Value::String(w.0.to_string())
}

/// The overview as JSON (USD as raw Wads), each reserve named by `name`. One shape for the wasm
/// and for native callers (the e2e's reference, `ballast-migrate risk`).
pub fn risk_json<K>(
    risk: &MarketRisk<Vec<LiquidationMap<K>>>,
    name: impl Fn(&K) -> String,
    shocks_bps: &[(K, [i16; 8])],
) -> Value {
    let histogram = &risk.histogram;
    let buckets: Vec<Value> = (0..histogram.debt_usd.len())
        .map(|b| {
            json!({
                "fromBps": b.checked_sub(1).map(|e| HF_EDGES_BPS[e]),
                "toBps": HF_EDGES_BPS.get(b),
                "debtUsd": wad(histogram.debt_usd[b]),
                "obligations": histogram.obligations[b],
            })
        })
        .collect();
    let maps: Vec<Value> = risk
        .maps
        .iter()
        .map(|map| {
            let steps: Vec<Value> = (0..DROP_STEPS)
                .map(|s| {
                    json!({
                        "dropBps": monitor::drop_bps(s),
                        "liquidatableDebtUsd": wad(map.liquidatable_debt_usd[s]),
                        "newlyLiquidatableDebtUsd": wad(map.newly_liquidatable_debt_usd[s]),
                        "obligations": map.liquidatable_obligations[s],
                    })
                })
                .collect();
            json!({ "reserve": name(&map.reserve), "steps": steps })
        })
        .collect();
    let scenarios: Vec<Value> = risk.scenarios[..risk.scenario_count]
        .iter()
        .enumerate()
        .map(|(index, outcome)| {
            let shocks: serde_json::Map<String, Value> =
                shocks_bps.iter().map(|(key, shocks)| (name(key), Value::from(shocks[index]))).collect();
            json!({
                "index": index,
                "shocksBps": shocks,
                "liquidatableDebtUsd": wad(outcome.liquidatable_debt_usd),
                "liquidatableObligations": outcome.liquidatable_obligations,
                "badDebtUsd": wad(outcome.bad_debt_usd),
            })
        })
        .collect();
    json!({
        "obligations": risk.obligations,
        "errors": risk.errors,
        "debtUsd": wad(risk.debt_usd),
        "collateralUsd": wad(risk.collateral_usd),
        "histogram": { "buckets": buckets, "noDebtObligations": histogram.no_debt_obligations },
        "liquidationMap": maps,
        "scenarios": scenarios,
    })
}

/// Every obligation valued now, per scenario and per price drop of each reserve.
pub fn risk(req: Value) -> Result<Value, String> {
    let r: RiskReq = serde_json::from_value(req).map_err(|e| e.to_string())?;
    let reserves = crate::api::priced(&r.common.reserves);
    let book = r.common.view(&reserves);
    let market = book.market_state();
    let obligations: Vec<Obligation> = r.obligations.iter().map(|o| Obligation::from_account(&o.data)).collect();
    let maps: Vec<LiquidationMap<&str>> = reserves.iter().map(|p| LiquidationMap::new(p.state.key.as_str())).collect();
    let overview = monitor::market_risk(obligations.iter().map(|o| &o.positions), &book, &market, maps, book.now_unix);
    let shocks: Vec<(&str, [i16; 8])> =
        reserves.iter().map(|p| (p.state.key.as_str(), p.state.reserve.scenario_shocks().shocks_bps)).collect();
    let mut out = risk_json(&overview, |k| k.to_string(), &shocks);
    out["now"] = Value::String(book.now_unix.to_string());
    Ok(out)
}
