//! `overview`: per reserve, the rates, totals, caps, price and its checks, at the request's clock.

use ballast_math::{Rounding, Wad};
use serde::Serialize;
use tsify::Tsify;

use crate::api::{err, priced, s, wad, Common, OrError, OraclePriceFields, Outcome};
use crate::engine::ReserveWithPrice;

/// Totals and rates with interest accrued to `now`.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct ReserveTotals {
    pub utilization: String,
    pub borrow_apr: String,
    pub supply_apr: String,
    pub total_supply: String,
    pub total_borrows: String,
    pub available_liquidity: String,
    pub supply_share_value: String,
    pub borrow_index: String,
}

/// The totals, or the error that kept the engine from accruing the reserve's interest.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(transparent)]
pub struct Totals(pub OrError<ReserveTotals>);

/// The oracle's price and the program's checks on it, or why it could not be read.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(transparent)]
pub struct PriceOut(pub Outcome<PriceRead>);

/// A price that could be read, with each check's outcome (`null` where a check could not run).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct PriceRead {
    #[serde(flatten)]
    pub fields: OraclePriceFields,
    pub age_secs: String,
    pub spot: Option<String>,
    pub spot_error: Option<String>,
    pub low: Option<String>,
    pub high: Option<String>,
    pub ema: Option<String>,
    pub confidence_bps: Option<String>,
    pub ema_deviation_bps: Option<String>,
    pub validation_error: Option<String>,
    pub breaker_tripped: Option<bool>,
    pub haircut_ltv_bps: Option<u16>,
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct ReserveOverview {
    pub key: String,
    pub mint: String,
    pub decimals: u8,
    pub status: u8,
    pub totals: Totals,
    pub price: PriceOut,
    pub supply_cap: String,
    pub borrow_cap: String,
    /// `null`: no cap.
    pub supply_cap_room: Option<String>,
    pub borrow_cap_room: Option<String>,
    pub ltv_bps: u16,
    pub liquidation_threshold_bps: u16,
    pub borrow_factor_bps: u16,
    pub max_ema_deviation_bps: u16,
    pub utilization_ceiling_bps: u16,
    pub collateral_value_cap_usd: String,
    pub max_price_age_secs: String,
    pub max_confidence_bps: u16,
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
pub struct Overview {
    pub reserves: Vec<ReserveOverview>,
}

fn totals(p: &ReserveWithPrice, now: i64) -> Result<ReserveTotals, String> {
    let st = &p.state;
    let a = p.accrued(now).map_err(err)?;
    let math = |e: ballast_math::MathError| err(e.into());
    let (borrow_apr, supply_apr) =
        a.rates(&st.curve, st.risk.protocol_take_rate_bps, st.risk.insurance_take_rate_bps).map_err(math)?;
    Ok(ReserveTotals {
        utilization: wad(a.utilization().map_err(math)?),
        borrow_apr: wad(borrow_apr),
        supply_apr: wad(supply_apr),
        total_supply: wad(a.total_liquidity().map_err(math)?),
        total_borrows: wad(a.total_debt(Rounding::Up).map_err(math)?),
        available_liquidity: s(a.available_liquidity),
        supply_share_value: wad(a.supply_share_value().map_err(math)?),
        borrow_index: wad(a.borrow_index),
    })
}

fn price(p: &ReserveWithPrice, now: i64) -> PriceOut {
    let st = &p.state;
    let raw = match p.price {
        Err(e) => return PriceOut(Outcome::of(Err(e))),
        Ok(raw) => raw,
    };
    let spot = raw.spot(now, &st.limits);
    let validated = raw.validate(now, &st.limits);
    let (breaker_tripped, haircut_ltv_bps) = match &validated {
        Ok(v) => (Some(st.controls.check_breaker(v).is_err()), Some(st.controls.haircut_ltv_bps(st.risk.ltv_bps, v))),
        Err(_) => (None, None),
    };
    let checked = validated.as_ref().ok();
    PriceOut(Outcome::Ok {
        ok: true,
        value: PriceRead {
            fields: OraclePriceFields::from(&raw),
            age_secs: s(now.saturating_sub(raw.publish_time).max(0)),
            spot: spot.as_ref().ok().map(|p| wad(*p)),
            spot_error: spot.err().map(|e| err(e.into())),
            low: checked.map(|v| wad(v.low)),
            high: checked.map(|v| wad(v.high)),
            ema: checked.map(|v| wad(v.ema)),
            confidence_bps: checked.map(|v| s(v.confidence_bps)),
            ema_deviation_bps: checked.map(|v| s(v.ema_deviation_bps)),
            validation_error: validated.as_ref().err().map(|e| err((*e).into())),
            breaker_tripped,
            haircut_ltv_bps,
        },
    })
}

/// Per reserve: rates, totals, caps, price and its checks, at `now`.
pub fn overview(c: Common) -> Result<Overview, String> {
    let now = c.now.0;
    let reserves = priced(&c.reserves);
    let out = reserves
        .iter()
        .map(|p| {
            let st = &p.state;
            let room = |cap: u64, used: Option<Wad>| {
                if cap == u64::MAX {
                    None
                } else {
                    used.map(|used| wad(Wad::from_u64(cap).saturating_sub(used)))
                }
            };
            let accrued = p.accrued(now).ok();
            ReserveOverview {
                key: st.key.clone(),
                mint: st.mint.clone(),
                decimals: st.decimals,
                status: st.status as u8,
                totals: Totals(totals(p, now).into()),
                price: price(p, now),
                supply_cap: s(st.risk.supply_cap),
                borrow_cap: s(st.risk.borrow_cap),
                supply_cap_room: room(st.risk.supply_cap, accrued.as_ref().and_then(|a| a.total_liquidity().ok())),
                borrow_cap_room: room(
                    st.risk.borrow_cap,
                    accrued.as_ref().and_then(|a| a.total_debt(Rounding::Up).ok()),
                ),
                ltv_bps: st.risk.ltv_bps,
                liquidation_threshold_bps: st.risk.liquidation_threshold_bps,
                borrow_factor_bps: st.risk.borrow_factor_bps,
                max_ema_deviation_bps: st.controls.max_ema_deviation_bps,
                utilization_ceiling_bps: st.controls.utilization_ceiling_bps,
                collateral_value_cap_usd: s(st.controls.collateral_value_cap_usd),
                max_price_age_secs: s(st.limits.max_age_secs),
                max_confidence_bps: st.limits.max_confidence_bps,
            }
        })
        .collect();
    Ok(Overview { reserves: out })
}
