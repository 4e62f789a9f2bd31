//! `rateCurve`: each reserve's interest-rate curve for the dApp's chart. Borrow and supply
//! APR at utilisations from 0% to 100% (every `stepBps`, default 1%, plus each of the curve's own
//! points, so the kinks are drawn exactly), each from `ReserveAccounting::rates`: the function the
//! overview quotes the current rates with, run on an accounting that has exactly that utilisation
//! (no accrued fees, borrow index 1). Also the reserve's current utilisation and rates (interest
//! accrued to `now`), which the chart marks.

use ballast_math::reserve::ReserveAccounting;
use ballast_math::{Wad, BPS_DENOMINATOR};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::api::{err, priced, wad, Common, OrError};
use crate::engine::ReserveWithPrice;

#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RateCurveRequest {
    #[serde(flatten)]
    pub common: Common,
    /// The grid's step in bps of utilisation (1 to 10,000; default 100).
    #[serde(default)]
    #[tsify(optional)]
    pub step_bps: Option<u16>,
}

/// One point of a reserve's rate curve: the engine's borrow and supply APR at a utilisation
/// (Wad ratios: 1e18 = 100%).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct RatePoint {
    pub utilization_bps: u16,
    #[serde(flatten)]
    pub rates: Rates,
}

/// A utilisation and the borrow and supply APR there (Wad ratios); as the chart's mark, the
/// reserve's own with interest accrued to the clock.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct Rates {
    pub utilization: String,
    pub borrow_apr: String,
    pub supply_apr: String,
}

/// A configured point of the curve.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct CurvePoint {
    pub utilization_bps: u16,
    pub borrow_rate_bps: u32,
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct RateCurveOut {
    pub key: String,
    /// 0% to 100% every `stepBps`, plus the curve's own points.
    pub points: OrError<Vec<RatePoint>>,
    /// The chart's mark.
    pub current: OrError<Rates>,
    pub curve_points: Vec<CurvePoint>,
    pub protocol_take_rate_bps: u16,
    pub insurance_take_rate_bps: u16,
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
pub struct RateCurves {
    pub reserves: Vec<RateCurveOut>,
}

/// Base units per bps of utilisation in the synthetic accounting: utilisation = debt / (available
/// + debt) is then exactly `bps / 10_000`.
const UNITS_PER_BPS: u64 = 1_000_000;

/// An accounting with utilisation exactly `utilization_bps`.
fn at_utilization(utilization_bps: u16) -> ReserveAccounting {
    let debt = utilization_bps as u64 * UNITS_PER_BPS;
    let total = BPS_DENOMINATOR as u64 * UNITS_PER_BPS;
    ReserveAccounting {
        available_liquidity: total - debt,
        total_debt_shares: Wad::from_u64(debt),
        borrow_index: Wad::ONE,
        total_supply_shares: total,
        ..Default::default()
    }
}

fn curve_of(p: &ReserveWithPrice, step: u16, now: i64) -> RateCurveOut {
    let st = &p.state;
    let (protocol, insurance) = (st.risk.protocol_take_rate_bps, st.risk.insurance_take_rate_bps);
    let mut grid: Vec<u16> = (0..=BPS_DENOMINATOR as u16).step_by(step as usize).collect();
    grid.extend(st.curve.active_points().iter().map(|c| c.utilization_bps.min(BPS_DENOMINATOR as u16)));
    grid.push(BPS_DENOMINATOR as u16);
    grid.sort_unstable();
    grid.dedup();
    let math = |e: ballast_math::MathError| err(e.into());
    let points = grid
        .iter()
        .map(|&bps| {
            let (borrow, supply) = at_utilization(bps).rates(&st.curve, protocol, insurance).map_err(math)?;
            Ok(RatePoint {
                utilization_bps: bps,
                rates: Rates {
                    utilization: wad(Wad::from_bps(bps as u64)),
                    borrow_apr: wad(borrow),
                    supply_apr: wad(supply),
                },
            })
        })
        .collect::<Result<Vec<_>, String>>();
    let current = p.accrued(now).map_err(err).and_then(|a| {
        let (borrow, supply) = a.rates(&st.curve, protocol, insurance).map_err(math)?;
        Ok(Rates { utilization: wad(a.utilization().map_err(math)?), borrow_apr: wad(borrow), supply_apr: wad(supply) })
    });
    RateCurveOut {
        key: st.key.clone(),
        points: points.into(),
        current: current.into(),
        curve_points: st
            .curve
            .active_points()
            .iter()
            .map(|c| CurvePoint { utilization_bps: c.utilization_bps, borrow_rate_bps: c.borrow_rate_bps })
            .collect(),
        protocol_take_rate_bps: protocol,
        insurance_take_rate_bps: insurance,
    }
}

/// Each reserve's rate curve on the grid, its configured points and its current mark.
pub fn rate_curve(r: RateCurveRequest) -> Result<RateCurves, String> {
    let step = r.step_bps.unwrap_or(100).clamp(1, BPS_DENOMINATOR as u16);
    let reserves = priced(&r.common.reserves);
    let now = r.common.view(&reserves).now_unix;
    Ok(RateCurves { reserves: reserves.iter().map(|p| curve_of(p, step, now)).collect() })
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    const FIXTURE: &str = include_str!("../tests/fixtures/market.json");

    fn call(extra: Value) -> Value {
        let f: Value = serde_json::from_str(FIXTURE).unwrap();
        let mut request = json!({ "op": "rateCurve", "now": f["now"], "reserves": f["reserves"] });
        request.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        serde_json::from_str(&crate::api::call(&request.to_string())).unwrap()
    }

    fn num(v: &Value) -> u128 {
        v.as_str().unwrap().parse().unwrap()
    }

    #[test]
    fn the_curve_is_the_engines_rate_at_each_utilisation_and_marks_the_overviews_rates() {
        let f: Value = serde_json::from_str(FIXTURE).unwrap();
        let answer = call(json!({}));
        let overview: Value = serde_json::from_str(&crate::api::call(
            &json!({ "op": "overview", "now": f["now"], "reserves": f["reserves"] }).to_string(),
        ))
        .unwrap();
        let reserves = answer["reserves"].as_array().unwrap();
        assert_eq!(reserves.len(), f["reserves"].as_array().unwrap().len());
        for (i, r) in reserves.iter().enumerate() {
            let points = r["points"].as_array().unwrap();
            // 0%, 1%, ..., 100% plus the curve's own points (already on the grid or added).
            assert!(points.len() >= 101, "{}", points.len());
            assert_eq!(points[0]["utilizationBps"], 0);
            assert_eq!(points.last().unwrap()["utilizationBps"], 10_000);
            // Each configured point's rate is the curve's own, exactly; the supply rate is zero at
            // 0% and never above the borrow rate; both never decrease.
            for c in r["curvePoints"].as_array().unwrap() {
                let at = points.iter().find(|p| p["utilizationBps"] == c["utilizationBps"]).unwrap();
                assert_eq!(num(&at["borrowApr"]), c["borrowRateBps"].as_u64().unwrap() as u128 * 100_000_000_000_000);
            }
            assert_eq!(num(&points[0]["supplyApr"]), 0);
            for pair in points.windows(2) {
                assert!(num(&pair[1]["borrowApr"]) >= num(&pair[0]["borrowApr"]));
                assert!(num(&pair[1]["supplyApr"]) >= num(&pair[0]["supplyApr"]));
                assert!(num(&pair[1]["supplyApr"]) <= num(&pair[1]["borrowApr"]));
            }
            // The mark is the overview's current utilisation and rates.
            let totals = &overview["reserves"][i]["totals"];
            for k in ["utilization", "borrowApr", "supplyApr"] {
                assert_eq!(r["current"][k], totals[k], "{k}");
            }
        }
    }

    #[test]
    fn the_step_sets_the_grid() {
        let answer = call(json!({ "stepBps": 2_500 }));
        let bps: Vec<u64> = answer["reserves"][0]["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["utilizationBps"].as_u64().unwrap())
            .collect();
        for grid in [0, 2_500, 5_000, 7_500, 10_000] {
            assert!(bps.contains(&grid), "{bps:?}");
        }
        assert!(bps.windows(2).all(|w| w[0] < w[1]), "{bps:?}");
    }
}
