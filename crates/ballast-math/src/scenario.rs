//! Scenario margin (SPAN-style): an obligation must survive a set of joint price shocks instead of
//! per-asset weights. Each scenario moves every reserve's price by its own shock (basis points);
//! the obligation's health is its worst scenario's:
//!
//! - initial: `min_s [ sum(collateral x low price x haircut x (1 + shock_s))
//!   - buffer_initial x sum(debt x high price x (1 + shock_s)) ]`, collateral capped as today;
//! - maintenance: spot prices, each shock scaled by `maintenance_fraction`, the smaller
//!   `buffer_maintenance`.
//!
//! Per position the value is computed once and each scenario adds `value x weight` exactly; the
//! one division per scenario comes at the end (collateral rounded down, debt up), so eight
//! scenarios cost little more than one valuation.

use crate::{Health, MathError, MathResult, Rounding, Wad, BPS_DENOMINATOR};

/// Scenarios a market holds at most.
pub const MAX_SCENARIOS: usize = 8;

/// A market's scenario-margin parameters (the shocks themselves live on each reserve).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScenarioMargin {
    /// Scenarios in force (0: scenario margin is unavailable and obligations use classic weights).
    pub count: u8,
    /// Debt multiplier for initial health, bps (>= 100%).
    pub initial_buffer_bps: u16,
    /// Debt multiplier for maintenance health, bps (100% ..= initial buffer).
    pub maintenance_buffer_bps: u16,
    /// Share of each shock that maintenance applies, bps (0 ..= 100%].
    pub maintenance_fraction_bps: u16,
}

/// Largest buffer accepted (a 2x debt multiplier).
pub const MAX_SCENARIO_BUFFER_BPS: u16 = 20_000;

impl ScenarioMargin {
    pub fn validate(&self) -> MathResult<()> {
        let ok = self.count as usize <= MAX_SCENARIOS
            && self.maintenance_buffer_bps >= BPS_DENOMINATOR as u16
            && self.maintenance_buffer_bps <= self.initial_buffer_bps
            && self.initial_buffer_bps <= MAX_SCENARIO_BUFFER_BPS
            && self.maintenance_fraction_bps > 0
            && self.maintenance_fraction_bps <= BPS_DENOMINATOR as u16;
        if ok {
            Ok(())
        } else {
            Err(MathError::InvalidConfig)
        }
    }

    /// Whether an obligation may be margined by scenarios (at least one is configured).
    pub fn available(&self) -> bool {
        self.count > 0
    }
}

/// A shock must leave a price in `[0, 2x]`.
pub fn validate_shocks(shocks_bps: &[i16; MAX_SCENARIOS]) -> MathResult<()> {
    if shocks_bps.iter().all(|s| (-(BPS_DENOMINATOR as i32)..=BPS_DENOMINATOR as i32).contains(&(*s as i32))) {
        Ok(())
    } else {
        Err(MathError::InvalidConfig)
    }
}

/// One reserve's weights in each scenario: collateral `(1 + shock)` and debt
/// `(1 + shock) x buffer`, in bps, with maintenance's scaled shocks. The scaled shock rounds
/// against the borrower on each side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScenarioWeights {
    pub collateral_bps: [u32; MAX_SCENARIOS],
    pub debt_bps: [u32; MAX_SCENARIOS],
}

impl ScenarioWeights {
    pub fn new(shocks_bps: &[i16; MAX_SCENARIOS], margin: &ScenarioMargin, maintenance: bool) -> ScenarioWeights {
        let denominator = BPS_DENOMINATOR as i64;
        let (fraction, buffer) = if maintenance {
            (margin.maintenance_fraction_bps as i64, margin.maintenance_buffer_bps as i64)
        } else {
            (denominator, margin.initial_buffer_bps as i64)
        };
        let mut weights = ScenarioWeights { collateral_bps: [0; MAX_SCENARIOS], debt_bps: [0; MAX_SCENARIOS] };
        for (s, &shock) in shocks_bps.iter().enumerate().take(margin.count as usize) {
            let scaled = shock as i64 * fraction;
            let down = scaled.div_euclid(denominator);
            let up = -(-scaled).div_euclid(denominator);
            weights.collateral_bps[s] = (denominator + down).max(0) as u32;
            let debt = (denominator + up).max(0) * buffer;
            weights.debt_bps[s] = ((debt + denominator - 1) / denominator) as u32;
        }
        weights
    }
}

/// Exact per-scenario sums of `value x weight` (Wad x bps) and the unweighted values; sums of
/// contributions are exact, so positions may be added and removed in any order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScenarioSums {
    pub collateral: [u128; MAX_SCENARIOS],
    pub debt: [u128; MAX_SCENARIOS],
    pub collateral_value: Wad,
    pub debt_value: Wad,
}

impl ScenarioSums {
    pub fn add_collateral(&mut self, value: Wad, weights: &ScenarioWeights, count: usize) -> MathResult<()> {
        for s in 0..count {
            let term = value.0.checked_mul(weights.collateral_bps[s] as u128).ok_or(MathError::Overflow)?;
            self.collateral[s] = self.collateral[s].checked_add(term).ok_or(MathError::Overflow)?;
        }
        self.collateral_value = self.collateral_value.checked_add(value)?;
        Ok(())
    }

    pub fn add_debt(&mut self, value: Wad, weights: &ScenarioWeights, count: usize) -> MathResult<()> {
        for s in 0..count {
            let term = value.0.checked_mul(weights.debt_bps[s] as u128).ok_or(MathError::Overflow)?;
            self.debt[s] = self.debt[s].checked_add(term).ok_or(MathError::Overflow)?;
        }
        self.debt_value = self.debt_value.checked_add(value)?;
        Ok(())
    }

    pub fn add(&mut self, other: &ScenarioSums) -> MathResult<()> {
        for s in 0..MAX_SCENARIOS {
            self.collateral[s] = self.collateral[s].checked_add(other.collateral[s]).ok_or(MathError::Overflow)?;
            self.debt[s] = self.debt[s].checked_add(other.debt[s]).ok_or(MathError::Overflow)?;
        }
        self.collateral_value = self.collateral_value.checked_add(other.collateral_value)?;
        self.debt_value = self.debt_value.checked_add(other.debt_value)?;
        Ok(())
    }

    pub fn sub(&mut self, other: &ScenarioSums) -> MathResult<()> {
        for s in 0..MAX_SCENARIOS {
            self.collateral[s] = self.collateral[s].checked_sub(other.collateral[s]).ok_or(MathError::Overflow)?;
            self.debt[s] = self.debt[s].checked_sub(other.debt[s]).ok_or(MathError::Overflow)?;
        }
        self.collateral_value = self.collateral_value.checked_sub(other.collateral_value)?;
        self.debt_value = self.debt_value.checked_sub(other.debt_value)?;
        Ok(())
    }

    /// Scenario `s` as a health: shocked collateral rounded down, shocked and buffered debt up.
    pub fn scenario(&self, s: usize) -> Health {
        let denominator = BPS_DENOMINATOR;
        Health {
            weighted_collateral: Wad(self.collateral[s] / denominator),
            weighted_debt: Wad(self.debt[s].div_ceil(denominator)),
            collateral_value: self.collateral_value,
            debt_value: self.debt_value,
        }
    }

    /// The worst of the first `count` scenarios (the lowest margin; the first on a tie) and its
    /// index.
    pub fn worst(&self, count: usize) -> (Health, usize) {
        let mut worst = (self.scenario(0), 0);
        for s in 1..count {
            let health = self.scenario(s);
            if health.margin() < worst.0.margin() {
                worst = (health, s);
            }
        }
        worst
    }
}

/// A value at `price` for `amount` base units, collateral rounded down and debt up: the same
/// valuation classic weights start from.
pub fn position_value(amount: Wad, decimals: u8, price: Wad, rounding: Rounding) -> MathResult<Wad> {
    crate::health::token_value(amount, decimals, price, rounding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn margin(count: u8) -> ScenarioMargin {
        ScenarioMargin {
            count,
            initial_buffer_bps: 10_500,
            maintenance_buffer_bps: 10_200,
            maintenance_fraction_bps: 6_000,
        }
    }

    #[test]
    fn weights_round_against_the_borrower() {
        let shocks = [-3_500, 100, 0, 0, 0, 0, 0, 0];
        let initial = ScenarioWeights::new(&shocks, &margin(2), false);
        assert_eq!(initial.collateral_bps[..2], [6_500, 10_100]);
        assert_eq!(initial.debt_bps[..2], [6_825, 10_605]);
        let maintenance = ScenarioWeights::new(&[-3_333, 3_333, 0, 0, 0, 0, 0, 0], &margin(2), true);
        // -3333 x 60% = -1999.8: collateral takes -2000, debt -1999; +1999.8: 1999 and 2000.
        assert_eq!(maintenance.collateral_bps[..2], [8_000, 11_999]);
        assert_eq!(maintenance.debt_bps[..2], [(8_001 * 10_200u32).div_ceil(10_000), (12_000 * 10_200u32).div_ceil(10_000)]);
        // Scenarios past the count weigh nothing.
        assert_eq!(initial.collateral_bps[2..], [0; 6]);
    }

    #[test]
    fn the_worst_scenario_is_the_health() {
        // $1,000 of SOL collateral against $500 of USDC debt.
        let (sol, usdc) = ([-3_500, -1_000, 0, 0, 0, 0, 0, 0], [-100, 0, 0, 0, 0, 0, 0, 0]);
        let m = margin(2);
        let mut sums = ScenarioSums::default();
        sums.add_collateral(Wad::from_u64(1_000), &ScenarioWeights::new(&sol, &m, false), 2).unwrap();
        sums.add_debt(Wad::from_u64(500), &ScenarioWeights::new(&usdc, &m, false), 2).unwrap();
        let (health, index) = sums.worst(2);
        assert_eq!(index, 0);
        assert_eq!(health.weighted_collateral, Wad::from_u64(650));
        assert_eq!(health.weighted_debt, Wad::from_bps(500 * 9_900 * 10_500 / 10_000));
        assert_eq!((health.collateral_value, health.debt_value), (Wad::from_u64(1_000), Wad::from_u64(500)));
        // Removing a contribution is exact.
        let mut debt_only = ScenarioSums::default();
        debt_only.add_debt(Wad::from_u64(500), &ScenarioWeights::new(&usdc, &m, false), 2).unwrap();
        sums.sub(&debt_only).unwrap();
        assert_eq!(sums.worst(2).0.weighted_debt, Wad::ZERO);
    }

    #[test]
    fn config_bounds() {
        assert!(margin(8).validate().is_ok());
        assert!(margin(9).validate().is_err());
        assert!(ScenarioMargin { maintenance_buffer_bps: 10_600, ..margin(1) }.validate().is_err());
        assert!(ScenarioMargin { maintenance_buffer_bps: 9_999, ..margin(1) }.validate().is_err());
        assert!(ScenarioMargin { maintenance_fraction_bps: 0, ..margin(1) }.validate().is_err());
        assert!(validate_shocks(&[-10_000, 10_000, 0, 0, 0, 0, 0, 0]).is_ok());
        assert!(validate_shocks(&[-10_001, 0, 0, 0, 0, 0, 0, 0]).is_err());
    }
}
