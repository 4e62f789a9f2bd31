//! Scenario margin (SPAN-style): an obligation must survive a set of joint price shocks instead of
//! per-asset weights. Each scenario moves every reserve's price by that reserve's shock (basis
//! points); the obligation's health is its worst scenario's:
//!
//! - initial: `min_s [ sum(collateral x low price x haircut x (1 + shock_s))
//!   - initial_buffer x sum(debt x high price x (1 + shock_s)) ]`, collateral capped as today;
//! - maintenance: spot prices, each shock scaled by `maintenance_fraction`, the smaller
//!   `maintenance_buffer`.
//!
//! The scenario where nothing moves always counts too, so no set of scenarios can let debt
//! outgrow collateral at today's prices. Per position the value is computed once and each
//! scenario adds `value x weight` exactly; the one division per scenario comes at the end
//! (collateral rounded down, debt up), so eight scenarios cost little more than one valuation.

use crate::error::ConfigError;
use crate::{Health, MathError, MathResult, Wad, BPS_DENOMINATOR};

/// Scenarios a market holds at most.
pub const MAX_SCENARIOS: usize = 8;
/// Scenario slots health evaluates: slot 0 is "nothing moves", slot `k` the market's scenario
/// `k - 1`.
pub const SCENARIO_SLOTS: usize = MAX_SCENARIOS + 1;
/// Largest buffer accepted (a 2x debt multiplier).
pub const MAX_SCENARIO_BUFFER_BPS: u16 = 20_000;

const BPS: i64 = BPS_DENOMINATOR as i64;

// sBPF has no signed division: every quotient below divides magnitudes as unsigned.

/// `n / d` rounded towards zero.
fn div_toward_zero(n: i64, d: u64) -> i64 {
    let q = (n.unsigned_abs() / d) as i64;
    if n < 0 {
        -q
    } else {
        q
    }
}

/// `n / d` rounded down (towards minus infinity).
fn div_floor(n: i64, d: u64) -> i64 {
    if n >= 0 {
        (n as u64 / d) as i64
    } else {
        -(n.unsigned_abs().div_ceil(d) as i64)
    }
}

/// `n / d` rounded up.
fn div_ceil_signed(n: i64, d: u64) -> i64 {
    -div_floor(-n, d)
}

fn invalid() -> MathError {
    MathError::InvalidConfig(ConfigError::Scenario)
}

/// A market's scenario-margin parameters (the shocks themselves live on each reserve).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScenarioMargin {
    /// Scenarios in force (0: scenario margin is off and every obligation uses classic weights).
    pub count: u8,
    /// Debt multiplier for initial health, bps.
    pub initial_buffer_bps: u16,
    /// Debt multiplier for maintenance health, bps (100% ..= initial buffer).
    pub maintenance_buffer_bps: u16,
    /// Share of each shock that maintenance applies, bps, in (0, 100%].
    pub maintenance_fraction_bps: u16,
    /// In force only (stored as `count`, 100%): scenarios from this index on are being added,
    /// and maintenance applies `phase_in_bps` of their shocks.
    pub phasing_in_from: u8,
    pub phase_in_bps: u16,
}

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
            Err(invalid())
        }
    }

    /// Whether obligations may be margined by scenarios (at least one is configured).
    pub fn enabled(&self) -> bool {
        self.count > 0
    }

    /// Parameters as stored (on the market, in its config): every scenario fully in force.
    pub fn from_stored(count: u8, initial_buffer_bps: u16, maintenance_buffer_bps: u16, fraction_bps: u16) -> Self {
        ScenarioMargin {
            count,
            initial_buffer_bps,
            maintenance_buffer_bps,
            maintenance_fraction_bps: fraction_bps,
            ..Default::default()
        }
        .configured()
    }

    /// The parameters as configured: every scenario fully in force.
    pub fn configured(self) -> ScenarioMargin {
        ScenarioMargin { phasing_in_from: self.count, phase_in_bps: BPS_DENOMINATOR as u16, ..self }
    }
}

/// A change that raises the maintenance buffer or fraction, or adds scenarios, takes effect
/// linearly over `duration_secs` from `start_ts` (the market's risk ramp), so no change makes a
/// position liquidatable at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScenarioRamp {
    pub from_maintenance_buffer_bps: u16,
    pub from_maintenance_fraction_bps: u16,
    pub from_count: u8,
    pub start_ts: i64,
    pub duration_secs: u64,
}

impl ScenarioRamp {
    /// A ramp from the parameters in force at `now_unix` (perhaps mid-ramp) towards `target`.
    pub fn start(in_force: &ScenarioMargin, target: &ScenarioMargin, now_unix: i64, duration_secs: u64) -> Self {
        ScenarioRamp {
            from_maintenance_buffer_bps: in_force.maintenance_buffer_bps.min(target.maintenance_buffer_bps),
            from_maintenance_fraction_bps: in_force.maintenance_fraction_bps.min(target.maintenance_fraction_bps),
            from_count: in_force.phasing_in_from.min(target.count),
            start_ts: now_unix,
            duration_secs,
        }
    }

    /// `target` as in force at `now_unix`: each raised maintenance parameter part of the way up
    /// from its start, rounded down (the borrower's side).
    pub fn in_force(&self, target: &ScenarioMargin, now_unix: i64) -> ScenarioMargin {
        let elapsed = now_unix.saturating_sub(self.start_ts).max(0) as u64;
        if self.duration_secs == 0 || elapsed >= self.duration_secs {
            return target.configured();
        }
        let part = |from: u16, to: u16| -> u16 {
            if from == 0 || from >= to {
                return to;
            }
            from + ((to - from) as u64 * elapsed / self.duration_secs) as u16
        };
        ScenarioMargin {
            maintenance_buffer_bps: part(self.from_maintenance_buffer_bps, target.maintenance_buffer_bps),
            maintenance_fraction_bps: part(self.from_maintenance_fraction_bps, target.maintenance_fraction_bps),
            phasing_in_from: self.from_count.min(target.count),
            phase_in_bps: if self.from_count < target.count {
                (BPS_DENOMINATOR as u64 * elapsed / self.duration_secs) as u16
            } else {
                BPS_DENOMINATOR as u16
            },
            ..*target
        }
    }
}

/// One reserve's shock in each of the market's scenarios, bps; slots past the market's count are
/// zero. A change moves linearly from the shocks in force to the new ones over the market's risk
/// ramp (in either direction: a lower price tightens collateral, a higher one debt).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScenarioShocks {
    pub shocks_bps: [i16; MAX_SCENARIOS],
    pub from_bps: [i16; MAX_SCENARIOS],
    pub start_ts: i64,
    pub duration_secs: u64,
}

impl ScenarioShocks {
    /// Each shock must leave a price in `[0, 2x]`, and only scenarios the market holds
    /// (`count`) may be set.
    pub fn validate(shocks_bps: &[i16; MAX_SCENARIOS], count: u8) -> MathResult<()> {
        let in_range = shocks_bps.iter().all(|s| (-BPS..=BPS).contains(&(*s as i64)));
        let unused_zero = shocks_bps.iter().skip(count as usize).all(|s| *s == 0);
        if in_range && unused_zero {
            Ok(())
        } else {
            Err(invalid())
        }
    }

    /// The shocks in force at `now_unix` after a change to `target` is set on `self`.
    pub fn changed_to(&self, target: [i16; MAX_SCENARIOS], now_unix: i64, duration_secs: u64) -> ScenarioShocks {
        ScenarioShocks { shocks_bps: target, from_bps: self.in_force(now_unix), start_ts: now_unix, duration_secs }
    }

    /// The shocks health weighs a position with: `(collateral, debt)`. Maintenance reads the
    /// shocks in force; initial health (borrow power) the stricter of those and the target on each
    /// side (the lower price for collateral, the higher for debt), so a change never lends more
    /// while it ramps, as a lower LTV binds at once.
    pub fn for_health(&self, now_unix: i64, maintenance: bool) -> ([i16; MAX_SCENARIOS], [i16; MAX_SCENARIOS]) {
        let in_force = self.in_force(now_unix);
        if maintenance {
            return (in_force, in_force);
        }
        let (mut collateral, mut debt) = (in_force, in_force);
        for s in 0..MAX_SCENARIOS {
            collateral[s] = in_force[s].min(self.shocks_bps[s]);
            debt[s] = in_force[s].max(self.shocks_bps[s]);
        }
        (collateral, debt)
    }

    /// The shocks at `now_unix`: each part of the way from its start, rounded towards the start.
    pub fn in_force(&self, now_unix: i64) -> [i16; MAX_SCENARIOS] {
        let elapsed = now_unix.saturating_sub(self.start_ts).max(0) as u64;
        if self.duration_secs == 0 || elapsed >= self.duration_secs {
            return self.shocks_bps;
        }
        let mut shocks = self.shocks_bps;
        for (shock, (&to, &from)) in shocks.iter_mut().zip(self.shocks_bps.iter().zip(&self.from_bps)) {
            let moved = div_toward_zero((to as i64 - from as i64) * elapsed as i64, self.duration_secs);
            *shock = (from as i64 + moved) as i16;
        }
        shocks
    }
}

/// One reserve's weights in each scenario slot, bps: collateral `haircut x (1 + shock)` and debt
/// `(1 + shock) x buffer`; maintenance scales each shock by its fraction. Every rounding goes
/// against the borrower.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScenarioWeights {
    pub collateral_bps: [u32; SCENARIO_SLOTS],
    pub debt_bps: [u32; SCENARIO_SLOTS],
}

impl ScenarioWeights {
    /// Weights with one set of shocks for both sides.
    pub fn new(
        shocks_bps: &[i16; MAX_SCENARIOS],
        margin: &ScenarioMargin,
        maintenance: bool,
        haircut_bps: u16,
    ) -> ScenarioWeights {
        Self::sided(shocks_bps, shocks_bps, margin, maintenance, haircut_bps)
    }

    /// `collateral_shocks` weigh collateral and `debt_shocks` debt (`ScenarioShocks::for_health`);
    /// `haircut_bps`: the volatility haircut's share kept (100% for maintenance).
    pub fn sided(
        collateral_shocks: &[i16; MAX_SCENARIOS],
        debt_shocks: &[i16; MAX_SCENARIOS],
        margin: &ScenarioMargin,
        maintenance: bool,
        haircut_bps: u16,
    ) -> ScenarioWeights {
        let (fraction, buffer) = if maintenance {
            (margin.maintenance_fraction_bps as i64, margin.maintenance_buffer_bps as i64)
        } else {
            (BPS, margin.initial_buffer_bps as i64)
        };
        let haircut = haircut_bps as i64;
        let collateral = |down: i64| ((BPS + down).max(0) as u64 * haircut as u64 / BPS as u64) as u32;
        let debt = |up: i64| ((BPS + up).max(0) as u64 * buffer as u64).div_ceil(BPS as u64) as u32;
        let mut weights = ScenarioWeights { collateral_bps: [0; SCENARIO_SLOTS], debt_bps: [0; SCENARIO_SLOTS] };
        weights.collateral_bps[0] = collateral(0);
        weights.debt_bps[0] = debt(0);
        let scaled = |s: usize, shock: i16| {
            let mut scaled = shock as i64 * fraction;
            if maintenance && s >= margin.phasing_in_from as usize {
                scaled = div_toward_zero(scaled * margin.phase_in_bps as i64, BPS as u64);
                // towards nothing moving
            }
            scaled
        };
        for s in 0..(margin.count as usize).min(MAX_SCENARIOS) {
            weights.collateral_bps[s + 1] = collateral(div_floor(scaled(s, collateral_shocks[s]), BPS as u64));
            weights.debt_bps[s + 1] = debt(div_ceil_signed(scaled(s, debt_shocks[s]), BPS as u64));
        }
        weights
    }
}

/// Exact per-slot sums of `value x weight` (Wad x bps) and the unweighted values: positions may
/// be added and taken back in any order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScenarioSums {
    pub collateral: [u128; SCENARIO_SLOTS],
    pub debt: [u128; SCENARIO_SLOTS],
    pub collateral_value: Wad,
    pub debt_value: Wad,
}

/// The worst scenario slot of an obligation and its health.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorstScenario {
    pub health: Health,
    /// 0: nothing moves; `k`: the market's scenario `k - 1`.
    pub slot: usize,
}

impl ScenarioSums {
    /// Adds collateral worth `value` and debt worth `debt_value` of one reserve, weighted in the
    /// first `slots` slots; with `remove`, takes back what the same arguments added.
    pub fn add_position(
        &mut self,
        value: Wad,
        debt_value: Wad,
        w: &ScenarioWeights,
        slots: usize,
        remove: bool,
    ) -> MathResult<()> {
        let apply = |total: u128, term: Option<u128>| -> MathResult<u128> {
            let term = term.ok_or(MathError::Overflow)?;
            if remove {
                total.checked_sub(term).ok_or(MathError::Underflow)
            } else {
                total.checked_add(term).ok_or(MathError::Overflow)
            }
        };
        for s in 0..slots {
            if !value.is_zero() {
                self.collateral[s] = apply(self.collateral[s], value.0.checked_mul(w.collateral_bps[s] as u128))?;
            }
            if !debt_value.is_zero() {
                self.debt[s] = apply(self.debt[s], debt_value.0.checked_mul(w.debt_bps[s] as u128))?;
            }
        }
        let (c, d) = (self.collateral_value.0, self.debt_value.0);
        self.collateral_value = Wad(apply(c, Some(value.0))?);
        self.debt_value = Wad(apply(d, Some(debt_value.0))?);
        Ok(())
    }

    /// Slot `s` as a health: shocked collateral rounded down, shocked and buffered debt up.
    pub fn slot(&self, s: usize) -> Health {
        Health {
            weighted_collateral: Wad(self.collateral[s] / BPS_DENOMINATOR),
            weighted_debt: Wad(self.debt[s].div_ceil(BPS_DENOMINATOR)),
            collateral_value: self.collateral_value,
            debt_value: self.debt_value,
        }
    }

    /// The worst of the first `slots` slots: the lowest margin, the first on a tie.
    pub fn worst(&self, slots: usize) -> WorstScenario {
        let mut worst = WorstScenario { health: self.slot(0), slot: 0 };
        for s in 1..slots {
            let health = self.slot(s);
            if health.margin() < worst.health.margin() {
                worst = WorstScenario { health, slot: s };
            }
        }
        worst
    }
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
            ..Default::default()
        }
        .configured()
    }

    #[test]
    fn weights_round_against_the_borrower() {
        let shocks = [-3_500, 100, 0, 0, 0, 0, 0, 0];
        let initial = ScenarioWeights::new(&shocks, &margin(2), false, 10_000);
        assert_eq!(initial.collateral_bps[..3], [10_000, 6_500, 10_100]);
        assert_eq!(initial.debt_bps[..3], [10_500, 6_825, 10_605]);
        let maintenance = ScenarioWeights::new(&[-3_333, 3_333, 0, 0, 0, 0, 0, 0], &margin(2), true, 10_000);
        // -3333 x 60% = -1999.8: collateral takes -2000, debt -1999; +1999.8: 1999 and 2000.
        assert_eq!(maintenance.collateral_bps[1..3], [8_000, 11_999]);
        assert_eq!(
            maintenance.debt_bps[1..3],
            [(8_001 * 10_200u32).div_ceil(10_000), (12_000 * 10_200u32).div_ceil(10_000)]
        );
        // A haircut scales collateral only; slots past the count weigh nothing.
        let cut = ScenarioWeights::new(&shocks, &margin(2), false, 9_000);
        assert_eq!(cut.collateral_bps[..3], [9_000, 5_850, 9_090]);
        assert_eq!(cut.debt_bps, initial.debt_bps);
        assert_eq!(initial.collateral_bps[3..], [0; 6]);
    }

    #[test]
    fn the_worst_scenario_is_the_health_and_nothing_moving_always_counts() {
        // $1,000 of SOL collateral against $500 of USDC debt.
        let (sol, usdc) = ([-3_500, -1_000, 0, 0, 0, 0, 0, 0], [-100, 0, 0, 0, 0, 0, 0, 0]);
        let m = margin(2);
        let mut sums = ScenarioSums::default();
        sums.add_position(Wad::from_u64(1_000), Wad::ZERO, &ScenarioWeights::new(&sol, &m, false, 10_000), 3, false)
            .unwrap();
        let debt = ScenarioWeights::new(&usdc, &m, false, 10_000);
        sums.add_position(Wad::ZERO, Wad::from_u64(500), &debt, 3, false).unwrap();
        let worst = sums.worst(3);
        assert_eq!(worst.slot, 1);
        assert_eq!(worst.health.weighted_collateral, Wad::from_u64(650));
        assert_eq!(worst.health.weighted_debt, Wad::from_bps(500 * 9_900 * 10_500 / 10_000));
        assert_eq!(
            (worst.health.collateral_value, worst.health.debt_value),
            (Wad::from_u64(1_000), Wad::from_u64(500))
        );
        // A short position whose scenarios all favour it still counts today's prices.
        let mut short = ScenarioSums::default();
        short
            .add_position(Wad::ZERO, Wad::from_u64(1_000), &ScenarioWeights::new(&sol, &m, false, 10_000), 3, false)
            .unwrap();
        assert_eq!(short.worst(3).slot, 0);
        // Taking a position back is exact.
        sums.add_position(Wad::ZERO, Wad::from_u64(500), &debt, 3, true).unwrap();
        assert_eq!(sums.worst(3).health.weighted_debt, Wad::ZERO);
    }

    #[test]
    fn config_bounds() {
        assert!(margin(8).validate().is_ok());
        assert!(margin(9).validate().is_err());
        assert!(ScenarioMargin { maintenance_buffer_bps: 10_600, ..margin(1) }.validate().is_err());
        assert!(ScenarioMargin { maintenance_buffer_bps: 9_999, ..margin(1) }.validate().is_err());
        assert!(ScenarioMargin { maintenance_fraction_bps: 0, ..margin(1) }.validate().is_err());
        assert!(ScenarioShocks::validate(&[-10_000, 10_000, 0, 0, 0, 0, 0, 0], 2).is_ok());
        assert!(ScenarioShocks::validate(&[-10_001, 0, 0, 0, 0, 0, 0, 0], 2).is_err());
        assert!(ScenarioShocks::validate(&[0, 0, -5, 0, 0, 0, 0, 0], 2).is_err(), "an unused slot");
    }

    #[test]
    fn shocks_and_maintenance_ramp_from_what_was_in_force() {
        let start = ScenarioShocks::default();
        let ramp = start.changed_to([-4_000, 2_000, 0, 0, 0, 0, 0, 0], 1_000, 10_000);
        assert_eq!(ramp.in_force(1_000)[..2], [0, 0], "nothing moves at once");
        assert_eq!(ramp.in_force(6_000)[..2], [-2_000, 1_000]);
        assert_eq!(ramp.in_force(1_003)[..2], [-1, 0], "towards the start");
        assert_eq!(ramp.in_force(11_000)[..2], [-4_000, 2_000]);
        // Borrow power reads the stricter side at once: collateral the lower, debt the higher.
        let (collateral, debt) = ramp.for_health(6_000, false);
        assert_eq!((&collateral[..2], &debt[..2]), (&[-4_000, 1_000][..], &[-2_000, 2_000][..]));
        assert_eq!(ramp.for_health(6_000, true).0[..2], [-2_000, 1_000]);
        let again = ramp.changed_to([0; 8], 6_000, 10_000);
        assert_eq!(again.in_force(6_000)[..2], [-2_000, 1_000], "a change mid-ramp starts from what is in force");

        let (old, new) = (margin(2), ScenarioMargin { maintenance_buffer_bps: 10_400, ..margin(2) });
        let ramp = ScenarioRamp::start(&old, &new, 0, 100);
        assert_eq!(ramp.in_force(&new, 0).maintenance_buffer_bps, 10_200);
        assert_eq!(ramp.in_force(&new, 50).maintenance_buffer_bps, 10_300);
        assert_eq!(ramp.in_force(&new, 100), new);
        let looser = ScenarioMargin { maintenance_buffer_bps: 10_000, ..margin(2) };
        assert_eq!(ScenarioRamp::start(&old, &looser, 0, 100).in_force(&looser, 0), looser, "loosening is immediate");
        // A third scenario phases in: a quarter of the way, maintenance applies a quarter of it.
        let three = margin(3);
        let in_force = ScenarioRamp::start(&old, &three, 0, 100).in_force(&three, 25);
        assert_eq!((in_force.phasing_in_from, in_force.phase_in_bps), (2, 2_500));
        let weights = ScenarioWeights::new(&[-1_000, -1_000, -1_000, 0, 0, 0, 0, 0], &in_force, true, 10_000);
        assert_eq!(weights.collateral_bps[1..4], [9_400, 9_400, 9_850]);
        let initial = ScenarioWeights::new(&[-1_000, -1_000, -1_000, 0, 0, 0, 0, 0], &in_force, false, 10_000);
        assert_eq!(initial.collateral_bps[3], 9_000, "borrow power shrinks at once");
    }
}
