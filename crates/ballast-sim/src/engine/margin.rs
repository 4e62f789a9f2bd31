//! Exact evaluation under the obligation's margin (the engine's health pass, the health factor
//! the skip bound keeps) and the write-off rule.

use ballast_engine::operations::write_off_allowed;
use ballast_engine::{HealthKind, HealthReading, HealthSums, Margin, Positions as _};
use ballast_math::{Health, BPS_DENOMINATOR};

use super::Sim;
use crate::liquidate::reading;

/// The ratio the skip bound scales: weighted collateral over weighted debt in the slot where it is
/// lowest. Under classic weights that is the health factor; under scenario margin every slot's
/// collateral and debt move with the same price levels, so the obligation stays healthy while
/// the lowest ratio, scaled by the worst moves, stays above 1 (the worst slot by margin, which
/// health reports, need not have the lowest ratio). Debt under 1e-9 USD gives 0: always
/// evaluated exactly.
fn lowest_ratio(reading: &HealthReading) -> f64 {
    let ratio = |collateral: f64, debt: f64| if debt < 1e9 { 0.0 } else { collateral / debt };
    let classic = |h: &Health| {
        if h.weighted_debt.is_zero() {
            f64::INFINITY
        } else {
            ratio(h.weighted_collateral.0 as f64, h.weighted_debt.0 as f64)
        }
    };
    match (&reading.sums, &reading.margin) {
        (HealthSums::Scenarios(sums), Margin::Scenarios(m)) => {
            if sums.debt_value.is_zero() {
                return f64::INFINITY;
            }
            let bps = BPS_DENOMINATOR as f64;
            (0..=m.count as usize)
                .map(|s| ratio(sums.collateral[s] as f64 / bps, sums.debt[s] as f64 / bps))
                .fold(f64::INFINITY, f64::min)
        }
        _ => classic(&reading.health),
    }
}

impl Sim<'_> {
    /// Exact maintenance health under the obligation's margin (the engine's health pass),
    /// refreshing the skip cache.
    pub(super) fn evaluate(&mut self, i: usize) -> Health {
        let reading =
            reading(&self.market_state, &self.reserves, &self.obligations[i], HealthKind::Maintenance, self.now)
                .expect("health overflow");
        let c = &mut self.cache[i];
        c.dirty = false;
        c.hf0 = lowest_ratio(&reading);
        let ob = &self.obligations[i];
        for k in 0..ob.position_count() {
            let r = ob.slots()[k].reserve as usize;
            c.lc[k] = self.coll_level[r];
            c.ld[k] = self.debt_level[r];
        }
        reading.health
    }

    /// Whether `socialize_loss` may write the obligation's debt off now: its collateral is gone,
    /// or it is liquidatable at `health` (maintenance) with only dust collateral
    /// (`operations::write_off_allowed`, the engine's rule).
    pub(super) fn write_off_due(&self, i: usize, health: &Health) -> bool {
        let ob = &self.obligations[i];
        ob.has_debt() && (!ob.has_collateral() || write_off_allowed(health, &self.market_state.liquidation))
    }

    /// After a liquidation: maintenance health again and `write_off_due`.
    pub(super) fn write_off_due_now(&self, i: usize) -> bool {
        let ob = &self.obligations[i];
        if !ob.has_debt() {
            return false;
        }
        if !ob.has_collateral() {
            return true;
        }
        reading(&self.market_state, &self.reserves, ob, HealthKind::Maintenance, self.now)
            .is_ok_and(|r| self.write_off_due(i, &r.health))
    }
}
