//! Risk controls on top of the basic risk parameters: the circuit breaker, the volatility-aware
//! haircut, the USD cap on a reserve's collateral value, and the utilisation ceiling.
//!
//! Volatility haircut (the "dynamic margin"): a price's uncertainty is
//! `u = max(conf / price, |spot - EMA| / EMA)`. Below `haircut_start_bps` the collateral counts at
//! its full LTV; from there the LTV shrinks linearly, reaching `LTV x (1 - max_haircut)` at
//! `haircut_end_bps` and staying there above it:
//!
//! ```text
//! weight = ltv x (1 - max_haircut x clamp((u - start) / (end - start), 0, 1))
//! ```
//!
//! Circuit breaker: when `|spot - EMA| / EMA > max_ema_deviation_bps`, borrow and withdraw
//! against that asset are rejected until the gap closes; nothing else is affected.

use crate::error::ConfigError;
use crate::health::token_value;
use crate::price::ValidatedPrice;
use crate::{MathError, MathResult, Rounding, Wad, BPS_DENOMINATOR};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiskControls {
    /// Most USD (whole dollars) of this reserve's collateral that counts towards initial health,
    /// summed over all depositors; above it every depositor's weight is scaled down pro rata.
    pub collateral_value_cap_usd: u64,
    /// Borrows that would take utilisation above this are rejected (bps).
    pub utilization_ceiling_bps: u16,
    /// Uncertainty (bps) where the LTV haircut starts.
    pub haircut_start_bps: u16,
    /// Uncertainty (bps) where the LTV haircut reaches its maximum.
    pub haircut_end_bps: u16,
    /// Largest share of the LTV removed by the haircut (bps).
    pub max_haircut_bps: u16,
    /// Circuit breaker: largest |spot - EMA| / EMA (bps) at which borrow and withdraw still work.
    pub max_ema_deviation_bps: u16,
}

impl Default for RiskControls {
    /// Controls that change nothing: no cap, no ceiling, no haircut, breaker at 100%.
    fn default() -> Self {
        RiskControls {
            collateral_value_cap_usd: u64::MAX,
            utilization_ceiling_bps: BPS_DENOMINATOR as u16,
            haircut_start_bps: 0,
            haircut_end_bps: 1,
            max_haircut_bps: 0,
            max_ema_deviation_bps: BPS_DENOMINATOR as u16,
        }
    }
}

impl RiskControls {
    pub fn validate(&self) -> MathResult<()> {
        let bps = BPS_DENOMINATOR as u16;
        let bad = Err(MathError::InvalidConfig(ConfigError::Controls));
        if self.utilization_ceiling_bps == 0
            || self.utilization_ceiling_bps > bps
            || self.haircut_start_bps >= self.haircut_end_bps
            || self.max_haircut_bps > bps
            || self.max_ema_deviation_bps == 0
        {
            return bad;
        }
        Ok(())
    }

    /// The circuit breaker: `CircuitBreakerTripped` while the spot-EMA gap exceeds the limit.
    pub fn check_breaker(&self, price: &ValidatedPrice) -> MathResult<()> {
        if price.ema_deviation_bps > self.max_ema_deviation_bps as u64 {
            return Err(MathError::CircuitBreakerTripped);
        }
        Ok(())
    }

    /// The LTV after the volatility haircut (rounded down).
    pub fn haircut_ltv_bps(&self, ltv_bps: u16, price: &ValidatedPrice) -> u16 {
        let uncertainty = price.confidence_bps.max(price.ema_deviation_bps);
        let start = self.haircut_start_bps as u64;
        let end = self.haircut_end_bps as u64;
        if uncertainty <= start || self.max_haircut_bps == 0 {
            return ltv_bps;
        }
        let progress_bps = ((uncertainty.min(end) - start) * BPS_DENOMINATOR as u64) / (end - start);
        let haircut_bps = self.max_haircut_bps as u64 * progress_bps / BPS_DENOMINATOR as u64;
        // ltv x (1 - haircut), rounded down.
        (ltv_bps as u64 * (BPS_DENOMINATOR as u64 - haircut_bps) / BPS_DENOMINATOR as u64) as u16
    }

    /// An obligation's collateral `amount` as it counts towards initial health when the whole
    /// reserve holds `reserve_amount` (both base units, Wads) valued at `price`: scaled by
    /// `cap / reserve value` once the reserve's collateral value exceeds the USD cap.
    pub fn capped_collateral(&self, amount: Wad, reserve_amount: Wad, decimals: u8, price: Wad) -> MathResult<Wad> {
        if self.collateral_value_cap_usd == u64::MAX {
            return Ok(amount);
        }
        let cap = Wad::from_u64(self.collateral_value_cap_usd);
        let reserve_value = token_value(reserve_amount, decimals, price, Rounding::Up)?;
        if reserve_value <= cap {
            return Ok(amount);
        }
        amount.mul_ratio(cap.0, reserve_value.0, Rounding::Down)
    }

    /// `UtilizationCeilingExceeded` if `utilization` (after a borrow) is above the ceiling.
    pub fn check_utilization(&self, utilization: Wad) -> MathResult<()> {
        if utilization > Wad::from_bps(self.utilization_ceiling_bps as u64) {
            return Err(MathError::UtilizationCeilingExceeded);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(confidence_bps: u64, ema_deviation_bps: u64) -> ValidatedPrice {
        ValidatedPrice { confidence_bps, ema_deviation_bps, ..Default::default() }
    }

    fn controls() -> RiskControls {
        RiskControls {
            haircut_start_bps: 100,
            haircut_end_bps: 500,
            max_haircut_bps: 5_000,
            max_ema_deviation_bps: 1_000,
            ..Default::default()
        }
    }

    #[test]
    fn haircut_is_linear_between_its_bounds() {
        let c = controls();
        assert_eq!(c.haircut_ltv_bps(8_000, &price(50, 0)), 8_000);
        assert_eq!(c.haircut_ltv_bps(8_000, &price(100, 0)), 8_000);
        assert_eq!(c.haircut_ltv_bps(8_000, &price(0, 300)), 6_000); // half way: 25% haircut
        assert_eq!(c.haircut_ltv_bps(8_000, &price(500, 0)), 4_000); // full 50% haircut
        assert_eq!(c.haircut_ltv_bps(8_000, &price(9_000, 0)), 4_000);
        assert_eq!(RiskControls::default().haircut_ltv_bps(8_000, &price(9_000, 9_000)), 8_000);
    }

    #[test]
    fn breaker_trips_above_the_limit_only() {
        let c = controls();
        assert_eq!(c.check_breaker(&price(0, 1_000)), Ok(()));
        assert_eq!(c.check_breaker(&price(0, 1_001)), Err(MathError::CircuitBreakerTripped));
    }

    #[test]
    fn usd_cap_scales_collateral_pro_rata() {
        let c = RiskControls { collateral_value_cap_usd: 1_000, ..Default::default() };
        // The reserve holds 2,000 tokens at $1 (0 decimals): each depositor counts at half.
        let counted = c.capped_collateral(Wad::from_u64(100), Wad::from_u64(2_000), 0, Wad::ONE).unwrap();
        assert_eq!(counted, Wad::from_u64(50));
        let under = c.capped_collateral(Wad::from_u64(100), Wad::from_u64(900), 0, Wad::ONE).unwrap();
        assert_eq!(under, Wad::from_u64(100));
    }

    #[test]
    fn validation() {
        assert_eq!(RiskControls::default().validate(), Ok(()));
        let bad = Err(MathError::InvalidConfig(ConfigError::Controls));
        assert_eq!(RiskControls { utilization_ceiling_bps: 0, ..Default::default() }.validate(), bad);
        assert_eq!(RiskControls { haircut_start_bps: 5, haircut_end_bps: 5, ..Default::default() }.validate(), bad);
        assert_eq!(RiskControls { max_haircut_bps: 10_001, ..Default::default() }.validate(), bad);
        assert_eq!(RiskControls { max_ema_deviation_bps: 0, ..Default::default() }.validate(), bad);
    }
}
