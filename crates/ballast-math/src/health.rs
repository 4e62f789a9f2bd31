//! Health: the one valuation of an obligation.
//!
//! initial (borrow power) = sum(collateral_i * low_price_i * ltv_i) - sum(debt_j * high_price_j * bf_j)
//! maintenance            = sum(collateral_i * spot_i * lt_i)       - sum(debt_j * spot_j * bf_j)
//!
//! Collateral values round down and debt values round up, so rounding never makes a position look
//! healthier than it is.

use crate::fixed::pow10;
use crate::wide::Divisor64;
use crate::{MathResult, Rounding, Wad, WAD};

/// USD value (Wad) of `amount` base units (a Wad, so fractional debt counts) of a token with
/// `decimals`, at `price` USD per whole token.
pub fn token_value(amount: Wad, decimals: u8, price: Wad, rounding: Rounding) -> MathResult<Wad> {
    // WAD * 10^d = 2^(18 + d) * 5^(18 + d): divide by the power of two, then by the prepared
    // power of five (every decimals up to 9, where 5^(18 + d) fits in 64 bits).
    match POW5_DIVISORS.get(decimals as usize) {
        Some(&divisor) => crate::fixed::mul_shift_div(amount.0, price.0, 18 + decimals as u32, divisor, rounding),
        None => crate::mul_div(amount.0, price.0, wad_times_pow10(decimals)?, rounding),
    }
    .map(Wad)
}

/// `5^(18 + d)` for `d` in `0..=9`, prepared as divisors (`5^27 < 2^64 < 5^28`): the odd part of
/// `WAD_POW10[d] = 2^(18 + d) * 5^(18 + d)`.
const POW5_DIVISORS: [Divisor64; 10] = {
    let mut table = [Divisor64::new(1); 10];
    let mut d = 0;
    while d < 10 {
        table[d] = Divisor64::new((WAD_POW10[d] >> (18 + d)) as u64);
        d += 1;
    }
    table
};

/// `WAD * 10^0 ..= WAD * 10^20`: every `WAD * 10^decimals` that fits in `u128`.
const WAD_POW10: [u128; 21] = {
    let mut table = [WAD; 21];
    let mut i = 1;
    while i < 21 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// `WAD * 10^decimals`: a table lookup up to 20 decimals; above, `Overflow` (`10^39` no longer
/// fits in `u128`).
#[inline]
pub(crate) fn wad_times_pow10(decimals: u8) -> MathResult<u128> {
    WAD_POW10.get(decimals as usize).copied().ok_or(crate::MathError::Overflow)
}

/// The two weighted sides of a health computation, plus the unweighted values for display and
/// liquidation sizing. All in USD as Wads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Health {
    /// Sum of collateral value times its weight (ltv or liquidation threshold), rounded down.
    pub weighted_collateral: Wad,
    /// Sum of debt value times its borrow factor, rounded up.
    pub weighted_debt: Wad,
    /// Sum of collateral value, unweighted, rounded down.
    pub collateral_value: Wad,
    /// Sum of debt value, unweighted, rounded up.
    pub debt_value: Wad,
}

impl Health {
    /// `weighted_collateral >= weighted_debt`: health >= 0.
    pub fn is_healthy(&self) -> bool {
        self.weighted_collateral >= self.weighted_debt
    }

    /// `weighted_collateral / weighted_debt` rounded down, or `None` with no debt (infinite).
    pub fn health_factor(&self) -> Option<Wad> {
        if self.weighted_debt.is_zero() {
            return None;
        }
        Some(self.weighted_collateral.div(self.weighted_debt, Rounding::Down).unwrap_or(Wad(u128::MAX)))
    }

    /// Health as a signed USD margin: `weighted_collateral - weighted_debt`, saturating at the
    /// `i128` range.
    pub fn margin(&self) -> i128 {
        let collateral = self.weighted_collateral.0.min(i128::MAX as u128) as i128;
        let debt = self.weighted_debt.0.min(i128::MAX as u128) as i128;
        collateral - debt
    }
}

/// The most base units of a token (at `price_high`, with `borrow_factor_bps`) that can be added
/// as debt while `health` stays >= 0: borrow power left. The candidate is checked with the same
/// rounded valuation `add_debt` uses and lowered until it fits.
pub fn max_borrow(health: &Health, decimals: u8, price_high: Wad, borrow_factor_bps: u16) -> MathResult<u64> {
    let room = health.weighted_collateral.saturating_sub(health.weighted_debt);
    if room.is_zero() || price_high.is_zero() {
        return Ok(0);
    }
    // amount = room * 10^decimals / (price * bf), in base units.
    let per_unit_denominator =
        crate::mul_div(price_high.0, borrow_factor_bps as u128, crate::BPS_DENOMINATOR, Rounding::Up)?;
    let scale = pow10(decimals as u32)?;
    let estimate = crate::mul_div(room.0, scale, per_unit_denominator, Rounding::Down)?;
    let mut amount = u64::try_from(estimate).unwrap_or(u64::MAX);
    let fits = |amount: u64| -> MathResult<bool> {
        let value = token_value(Wad::from_u64(amount), decimals, price_high, Rounding::Up)?;
        Ok(value.mul_bps(borrow_factor_bps as u64, Rounding::Up)? <= room)
    };
    while amount > 0 && !fits(amount)? {
        amount -= 1;
    }
    Ok(amount)
}

/// The most base units of a collateral (valued at `price_low`, counted at `weight_bps`) that can
/// be removed from `held` while `health` (initial) stays >= 0: the closed-form bound on a
/// withdraw. With no debt everything held may go. The candidate is checked with the same rounded
/// valuation `add_collateral` uses (the removed value rounded up) and lowered until it fits.
/// (A reserve's USD cap scales collateral pro rata; callers that need the exact amount under a
/// cap check candidates with the full valuation.)
pub fn max_withdraw(health: &Health, held: Wad, decimals: u8, price_low: Wad, weight_bps: u16) -> MathResult<u64> {
    let held_units = u64::try_from(held.to_u128(Rounding::Down)).unwrap_or(u64::MAX);
    if health.weighted_debt.is_zero() || weight_bps == 0 || price_low.is_zero() {
        return Ok(held_units);
    }
    let room = health.weighted_collateral.saturating_sub(health.weighted_debt);
    if room.is_zero() {
        return Ok(0);
    }
    // amount = room * 10^decimals / (price * weight), in base units.
    let per_unit = crate::mul_div(price_low.0, weight_bps as u128, crate::BPS_DENOMINATOR, Rounding::Up)?;
    let estimate = crate::mul_div(room.0, pow10(decimals as u32)?, per_unit, Rounding::Down)?;
    let mut amount = u64::try_from(estimate).unwrap_or(u64::MAX).min(held_units);
    let fits = |amount: u64| -> MathResult<bool> {
        let value = token_value(Wad::from_u64(amount), decimals, price_low, Rounding::Up)?;
        Ok(value.mul_bps(weight_bps as u64, Rounding::Up)? <= room)
    };
    while amount > 0 && !fits(amount)? {
        amount -= 1;
    }
    Ok(amount)
}

/// The spot price of one reserve's token (USD per whole token) at which maintenance `health`
/// reaches zero, every other position's price unchanged: the liquidation price of that
/// collateral. `collateral` and `debt` are the obligation's amounts in that reserve (base units,
/// Wads, as health valued them), `spot` the price health used.
///
/// `None` when no fall in this price alone makes the obligation liquidatable: the other
/// positions cover the debt by themselves, or the position is net debt in this token (a falling
/// price then helps). Rounded up: the obligation is liquidatable strictly below the returned
/// price, and a displayed liquidation price is never lower than the true one.
#[allow(clippy::too_many_arguments)]
pub fn liquidation_price(
    health: &Health,
    collateral: Wad,
    debt: Wad,
    decimals: u8,
    liquidation_threshold_bps: u16,
    borrow_factor_bps: u16,
    spot: Wad,
) -> MathResult<Option<Wad>> {
    // This position's weighted values at `spot`, exactly as `add_collateral` / `add_debt` add them.
    let own_collateral = token_value(collateral, decimals, spot, Rounding::Down)?
        .mul_bps(liquidation_threshold_bps as u64, Rounding::Down)?;
    let own_debt = token_value(debt, decimals, spot, Rounding::Up)?.mul_bps(borrow_factor_bps as u64, Rounding::Up)?;
    let other_collateral = health.weighted_collateral.saturating_sub(own_collateral);
    let other_debt = health.weighted_debt.saturating_sub(own_debt);
    if other_collateral >= other_debt {
        return Ok(None);
    }
    let shortfall = other_debt.checked_sub(other_collateral)?;
    // Weighted base units of this token per unit of price: collateral x lt - debt x bf (rounded
    // down, so the price rounds up).
    let net = collateral
        .mul_bps(liquidation_threshold_bps as u64, Rounding::Down)?
        .saturating_sub(debt.mul_bps(borrow_factor_bps as u64, Rounding::Up)?);
    if net.is_zero() {
        return Ok(None);
    }
    // shortfall = net x price / (WAD x 10^decimals)  =>  price = shortfall x WAD x 10^decimals / net
    crate::mul_div(shortfall.0, wad_times_pow10(decimals)?, net.0, Rounding::Up).map(|p| Some(Wad(p)))
}

/// Adds positions one at a time, so callers need no allocation.
#[derive(Clone, Copy, Debug, Default)]
pub struct HealthAccumulator {
    health: Health,
}

impl HealthAccumulator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Collateral: `amount` base units at `price`, counted at `weight_bps` (ltv or threshold).
    pub fn add_collateral(&mut self, amount: Wad, decimals: u8, price: Wad, weight_bps: u16) -> MathResult<()> {
        self.add_collateral_value(token_value(amount, decimals, price, Rounding::Down)?, weight_bps)
    }

    /// Collateral already valued (`value`, rounded down), counted at `weight_bps`.
    pub fn add_collateral_value(&mut self, value: Wad, weight_bps: u16) -> MathResult<()> {
        let weighted = value.mul_bps(weight_bps as u64, Rounding::Down)?;
        self.health.collateral_value = self.health.collateral_value.checked_add(value)?;
        self.health.weighted_collateral = self.health.weighted_collateral.checked_add(weighted)?;
        Ok(())
    }

    /// Debt: `amount` base units at `price`, multiplied by `borrow_factor_bps`.
    pub fn add_debt(&mut self, amount: Wad, decimals: u8, price: Wad, borrow_factor_bps: u16) -> MathResult<()> {
        self.add_debt_value(token_value(amount, decimals, price, Rounding::Up)?, borrow_factor_bps)
    }

    /// Debt already valued (`value`, rounded up), multiplied by `borrow_factor_bps`.
    pub fn add_debt_value(&mut self, value: Wad, borrow_factor_bps: u16) -> MathResult<()> {
        let weighted = value.mul_bps(borrow_factor_bps as u64, Rounding::Up)?;
        self.health.debt_value = self.health.debt_value.checked_add(value)?;
        self.health.weighted_debt = self.health.weighted_debt.checked_add(weighted)?;
        Ok(())
    }

    pub fn finish(self) -> Health {
        self.health
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_weights() {
        let mut acc = HealthAccumulator::new();
        // 10 SOL (9 decimals) at $150, ltv 75%; 500 USDC (6 decimals) debt at $1, bf 100%.
        acc.add_collateral(Wad::from_u64(10_000_000_000), 9, Wad::from_u64(150), 7_500).unwrap();
        acc.add_debt(Wad::from_u64(500_000_000), 6, Wad::ONE, 10_000).unwrap();
        let health = acc.finish();
        assert_eq!(health.collateral_value, Wad::from_u64(1_500));
        assert_eq!(health.weighted_collateral, Wad::from_u64(1_125));
        assert_eq!(health.weighted_debt, Wad::from_u64(500));
        assert!(health.is_healthy());
        assert_eq!(health.health_factor(), Some(Wad(2_250_000_000_000_000_000)));
        assert_eq!(health.margin(), 625 * WAD as i128);
    }

    #[test]
    fn rounding_goes_against_the_borrower() {
        let mut acc = HealthAccumulator::new();
        // One base unit of a 6-decimal token at $0.0000015: value 1.5e-12 USD.
        acc.add_collateral(Wad::from_u64(1), 6, Wad(1_500_000), 10_000).unwrap();
        acc.add_debt(Wad::from_u64(1), 6, Wad(1_500_000), 10_000).unwrap();
        let health = acc.finish();
        assert_eq!(health.collateral_value, Wad(1));
        assert_eq!(health.debt_value, Wad(2));
        assert!(!health.is_healthy());
    }

    #[test]
    fn max_borrow_is_the_last_amount_that_fits() {
        let mut acc = HealthAccumulator::new();
        // $749.25 of borrow power against a $1.001 token with 6 decimals.
        acc.add_collateral(Wad::from_u64(10_000_000_000), 9, Wad(99_900_000_000_000_000_000), 7_500).unwrap();
        let health = acc.finish();
        let high = Wad(1_001_000_000_000_000_000);
        let max = max_borrow(&health, 6, high, 10_000).unwrap();
        assert_eq!(max, 748_501_498);
        let mut with_max = acc;
        with_max.add_debt(Wad::from_u64(max), 6, high, 10_000).unwrap();
        assert!(with_max.finish().is_healthy());
        let mut over = acc;
        over.add_debt(Wad::from_u64(max + 1), 6, high, 10_000).unwrap();
        assert!(!over.finish().is_healthy());
        assert_eq!(max_borrow(&HealthAccumulator::new().finish(), 6, high, 10_000), Ok(0));
    }

    #[test]
    fn no_debt_is_infinitely_healthy() {
        let health = HealthAccumulator::new().finish();
        assert!(health.is_healthy());
        assert_eq!(health.health_factor(), None);
    }

    #[test]
    fn max_withdraw_is_the_last_amount_that_fits() {
        let mut acc = HealthAccumulator::new();
        // 10 SOL at $100 (low price), ltv 75%: $750; $300 debt. Room $450 = 6 SOL.
        let held = Wad::from_u64(10_000_000_000);
        acc.add_collateral(held, 9, Wad::from_u64(100), 7_500).unwrap();
        acc.add_debt(Wad::from_u64(300_000_000), 6, Wad::ONE, 10_000).unwrap();
        let health = acc.finish();
        let max = max_withdraw(&health, held, 9, Wad::from_u64(100), 7_500).unwrap();
        assert_eq!(max, 6_000_000_000);
        let remaining = |amount: u64| {
            let mut acc = HealthAccumulator::new();
            acc.add_collateral(held.checked_sub(Wad::from_u64(amount)).unwrap(), 9, Wad::from_u64(100), 7_500).unwrap();
            acc.add_debt(Wad::from_u64(300_000_000), 6, Wad::ONE, 10_000).unwrap();
            acc.finish()
        };
        assert!(remaining(max).is_healthy());
        assert!(!remaining(max + 1).is_healthy());
        // No debt: everything; underwater: nothing.
        let no_debt = HealthAccumulator::new().finish();
        assert_eq!(max_withdraw(&no_debt, Wad(held.0 + 5), 9, Wad::ONE, 7_500), Ok(10_000_000_000));
        let under = Health { weighted_collateral: Wad::ONE, weighted_debt: Wad::from_u64(2), ..Default::default() };
        assert_eq!(max_withdraw(&under, held, 9, Wad::ONE, 7_500), Ok(0));
    }

    #[test]
    fn liquidation_price_is_where_maintenance_health_crosses_zero() {
        // 10 SOL at $150, threshold 80%; 500 USDC debt: liquidatable below 500 / (10 x 0.8) = $62.5.
        let sol = Wad::from_u64(10_000_000_000);
        let usdc_debt = Wad::from_u64(500_000_000);
        let health_at = |price: Wad| {
            let mut acc = HealthAccumulator::new();
            acc.add_collateral(sol, 9, price, 8_000).unwrap();
            acc.add_debt(usdc_debt, 6, Wad::ONE, 10_000).unwrap();
            acc.finish()
        };
        let spot = Wad::from_u64(150);
        let price = liquidation_price(&health_at(spot), sol, Wad::ZERO, 9, 8_000, 10_000, spot).unwrap().unwrap();
        assert_eq!(price, Wad(62_500_000_000_000_000_000));
        assert!(health_at(price).is_healthy());
        assert!(!health_at(Wad(price.0 - 1_000_000_000)).is_healthy());
        // The USDC debt position itself has no liquidation price; nor does an obligation without debt.
        let h = health_at(spot);
        assert_eq!(liquidation_price(&h, Wad::ZERO, usdc_debt, 6, 9_000, 10_000, Wad::ONE), Ok(None));
        let mut acc = HealthAccumulator::new();
        acc.add_collateral(sol, 9, spot, 8_000).unwrap();
        assert_eq!(liquidation_price(&acc.finish(), sol, Wad::ZERO, 9, 8_000, 10_000, spot), Ok(None));
    }

    #[test]
    fn liquidation_price_rounds_up_and_counts_same_token_debt() {
        // 3 ETH collateral (lt 82.5%) and 1 ETH of debt (bf 110%) plus $1,000 of USDC debt, ETH at $3,000.
        let eth = Wad::from_u64(3_000_000_000_000_000_000);
        let eth_debt = Wad::from_u64(1_000_000_000_000_000_000);
        let usdc_debt = Wad::from_u64(1_000_000_000);
        let health_at = |price: Wad| {
            let mut acc = HealthAccumulator::new();
            acc.add_collateral(eth, 18, price, 8_250).unwrap();
            acc.add_debt(eth_debt, 18, price, 11_000).unwrap();
            acc.add_debt(usdc_debt, 6, Wad::ONE, 10_000).unwrap();
            acc.finish()
        };
        let spot = Wad::from_u64(3_000);
        let price = liquidation_price(&health_at(spot), eth, eth_debt, 18, 8_250, 11_000, spot).unwrap().unwrap();
        // 1000 / (3 x 0.825 - 1.1) = 1000 / 1.375 = 727.2727...
        assert_eq!(price, Wad(727_272_727_272_727_272_728));
        assert!(health_at(price).is_healthy());
        assert!(!health_at(Wad(price.0 - 1_000_000_000)).is_healthy());
    }
}
