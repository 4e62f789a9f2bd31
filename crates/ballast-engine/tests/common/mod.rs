//! The engine tests' reserves: owned state with default test parameters.

#[allow(dead_code)]
pub mod book;

use ballast_engine::{OwnedReserve, ReserveStatus};
use ballast_math::{CurvePoint, InterestCurve, PriceLimits, ReserveAccounting, RiskConfig, RiskControls, Wad};

/// A reserve of a `decimals` token with `deposit_tokens` whole tokens supplied at `now_unix`,
/// LTV and threshold `(ltv_bps, lt_bps)`, bonus 2-10%, a kinked curve, prices at most 60 s old
/// and 2% wide.
pub fn reserve(decimals: u8, (ltv_bps, lt_bps): (u16, u16), deposit_tokens: u64, now_unix: i64) -> OwnedReserve {
    let risk = RiskConfig {
        ltv_bps,
        liquidation_threshold_bps: lt_bps,
        borrow_factor_bps: 10_000,
        min_liquidation_bonus_bps: 200,
        max_liquidation_bonus_bps: 1_000,
        protocol_liquidation_fee_bps: 1_000,
        protocol_take_rate_bps: 1_000,
        insurance_take_rate_bps: 500,
        supply_cap: u64::MAX,
        borrow_cap: u64::MAX,
    };
    let curve = [(0, 0), (8_000, 800), (10_000, 10_000)]
        .map(|(utilization_bps, borrow_rate_bps)| CurvePoint { utilization_bps, borrow_rate_bps });
    let mut accounting = ReserveAccounting::new(now_unix);
    accounting.deposit(deposit_tokens * 10u64.pow(decimals as u32), u64::MAX).unwrap();
    OwnedReserve {
        accounting,
        curve: InterestCurve::from_points(&curve).unwrap(),
        risk,
        controls: RiskControls::default(),
        limits: PriceLimits { max_age_secs: 60, max_confidence_bps: 200 },
        decimals,
        status: ReserveStatus::Active,
        socialized_loss: Wad::ZERO,
        ramp: Default::default(),
        last_price_publish_time: i64::MIN,
        scenario_shocks: Default::default(),
        pacing: Default::default(),
        outflow: Default::default(),
        treasury: Default::default(),
        flash_loan_amount: 0,
        last_spot_price: Default::default(),
    }
}
