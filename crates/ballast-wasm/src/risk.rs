//! `risk`: the market's collateral ratios for the dApp's Risk page, computed by the engine
//! (`ballast_engine::monitor`) over every obligation the page fetched with `getProgramAccounts`:
//! the debt-weighted distribution of health factors, a liquidation map per collateral reserve and
//! each stress scenario's outcome. Accounts arrive and are decoded as for every other op.

use std::collections::BTreeMap;

use ballast_engine::monitor::{self, LiquidationMap, MarketRisk, DROP_STEPS, HF_EDGES_BPS};
use ballast_engine::ReserveState as _;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::api::wad;
use crate::engine::Obligation;
use crate::input::ObligationAccountIn;

#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RiskObligation {
    /// The obligation account's data, base64.
    #[tsify(type = "string")]
    pub data: ObligationAccountIn,
}

#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RiskRequest {
    #[serde(flatten)]
    pub common: crate::api::Common,
    pub obligations: Vec<RiskObligation>,
}

/// Health-factor bucket `fromBps <= HF < toBps` (bps of HF; `null`: unbounded).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct HealthBucket {
    pub from_bps: Option<u32>,
    pub to_bps: Option<u32>,
    pub debt_usd: String,
    pub obligations: u32,
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct Histogram {
    pub buckets: Vec<HealthBucket>,
    pub no_debt_obligations: u32,
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct DropStep {
    pub drop_bps: u32,
    pub liquidatable_debt_usd: String,
    pub newly_liquidatable_debt_usd: String,
    pub obligations: u32,
}

/// At each drop of this reserve's price alone, the debt of obligations then liquidatable.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
pub struct ReserveLiquidationMap {
    pub reserve: String,
    pub steps: Vec<DropStep>,
}

/// A stress scenario: each reserve's shock and the outcome at the shocked prices.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioOut {
    pub index: usize,
    pub shocks_bps: BTreeMap<String, i16>,
    pub liquidatable_debt_usd: String,
    pub liquidatable_obligations: u32,
    pub bad_debt_usd: String,
}

/// The market's risk overview; USD amounts are Wads of dollars.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct RiskOverview {
    /// The clock the obligations were valued at (unix seconds).
    pub now: String,
    pub obligations: u32,
    /// Obligations the engine could not value (a stale price, a reserve it was not given).
    pub errors: u32,
    pub debt_usd: String,
    pub collateral_usd: String,
    pub histogram: Histogram,
    pub liquidation_map: Vec<ReserveLiquidationMap>,
    pub scenarios: Vec<ScenarioOut>,
}

/// The overview (USD as raw Wads), each reserve named by `name`. One shape for the wasm and for
/// native callers (the e2e's reference, `ballast-migrate risk`).
pub fn risk_overview<K>(
    risk: &MarketRisk<Vec<LiquidationMap<K>>>,
    name: impl Fn(&K) -> String,
    shocks_bps: &[(K, [i16; 8])],
    now_unix: i64,
) -> RiskOverview {
    let histogram = &risk.histogram;
    let buckets = (0..histogram.debt_usd.len())
        .map(|b| HealthBucket {
            from_bps: b.checked_sub(1).map(|e| HF_EDGES_BPS[e].into()),
            to_bps: HF_EDGES_BPS.get(b).map(|&e| e.into()),
            debt_usd: wad(histogram.debt_usd[b]),
            obligations: histogram.obligations[b],
        })
        .collect();
    let liquidation_map = risk
        .maps
        .iter()
        .map(|map| ReserveLiquidationMap {
            reserve: name(&map.reserve),
            steps: (0..DROP_STEPS)
                .map(|s| DropStep {
                    drop_bps: monitor::drop_bps(s).into(),
                    liquidatable_debt_usd: wad(map.liquidatable_debt_usd[s]),
                    newly_liquidatable_debt_usd: wad(map.newly_liquidatable_debt_usd[s]),
                    obligations: map.liquidatable_obligations[s],
                })
                .collect(),
        })
        .collect();
    let scenarios = risk.scenarios[..risk.scenario_count]
        .iter()
        .enumerate()
        .map(|(index, outcome)| ScenarioOut {
            index,
            shocks_bps: shocks_bps.iter().map(|(key, shocks)| (name(key), shocks[index])).collect(),
            liquidatable_debt_usd: wad(outcome.liquidatable_debt_usd),
            liquidatable_obligations: outcome.liquidatable_obligations,
            bad_debt_usd: wad(outcome.bad_debt_usd),
        })
        .collect();
    RiskOverview {
        now: now_unix.to_string(),
        obligations: risk.obligations,
        errors: risk.errors,
        debt_usd: wad(risk.debt_usd),
        collateral_usd: wad(risk.collateral_usd),
        histogram: Histogram { buckets, no_debt_obligations: histogram.no_debt_obligations },
        liquidation_map,
        scenarios,
    }
}

/// Every obligation valued now, per scenario and per price drop of each reserve.
pub fn risk(r: RiskRequest) -> Result<RiskOverview, String> {
    let reserves = crate::api::priced(&r.common.reserves);
    let book = r.common.view(&reserves);
    let market = book.market_state();
    let obligations: Vec<Obligation> = r.obligations.iter().map(|o| Obligation::from_account(&o.data)).collect();
    let maps: Vec<LiquidationMap<&str>> = reserves.iter().map(|p| LiquidationMap::new(p.state.key.as_str())).collect();
    let overview = monitor::market_risk(obligations.iter().map(|o| &o.positions), &book, &market, maps, book.now_unix);
    let shocks: Vec<(&str, [i16; 8])> =
        reserves.iter().map(|p| (p.state.key.as_str(), p.state.reserve.scenario_shocks().shocks_bps)).collect();
    Ok(risk_overview(&overview, |k| k.to_string(), &shocks, book.now_unix))
}
