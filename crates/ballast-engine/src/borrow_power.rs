//! Borrow power left under either margin: the most base units of one reserve an obligation may
//! still borrow while its initial health stays >= 0 (or within a share of its collateral). What a
//! "max borrow" button shows and what the simulator's borrowers borrow up to; the borrow itself
//! (`operations::borrow`) still checks initial health exactly.

use ballast_math::scenario::ScenarioWeights;
use ballast_math::{max_borrow as max_borrow_at, Health, Rounding, Wad};

use crate::health::{HealthReading, HealthSums, Margin};
use crate::{EngineResult, ReserveState};

const BPS: u16 = ballast_math::BPS_DENOMINATOR as u16;

/// The most base units of `reserve` (valued at its validated high price `price_high`) that may be
/// added as debt to the obligation whose initial health is `reading`, so that in every slot
/// health weighs (the one slot of classic weights; under scenario margin "nothing moves" and each
/// scenario) weighted debt stays within `usage_bps` of weighted collateral (10,000: initial
/// health >= 0). Each slot weighs the new debt as health would: the borrow factor under classic
/// weights, the reserve's shocked price and the initial buffer in that scenario otherwise
/// (`ballast_math::max_borrow` per slot, the smallest wins).
pub fn max_borrow(
    reading: &HealthReading,
    reserve: &impl ReserveState,
    price_high: Wad,
    usage_bps: u16,
    now_unix: i64,
) -> EngineResult<u64> {
    let decimals = reserve.mint_decimals();
    let within_usage = |health: Health| -> EngineResult<Health> {
        let weighted_collateral = health.weighted_collateral.mul_bps(usage_bps as u64, Rounding::Down)?;
        Ok(Health { weighted_collateral, ..health })
    };
    match (&reading.sums, &reading.margin) {
        (HealthSums::Scenarios(sums), Margin::Scenarios(margin)) => {
            let (collateral_shocks, debt_shocks) = reserve.scenario_shocks_at(now_unix, false);
            let weights = ScenarioWeights::sided(&collateral_shocks, &debt_shocks, margin, false, BPS);
            let mut amount = u64::MAX;
            for slot in 0..=(margin.count as usize) {
                let weight_bps = weights.debt_bps[slot].min(u16::MAX as u32) as u16;
                let room = max_borrow_at(&within_usage(sums.slot(slot))?, decimals, price_high, weight_bps)?;
                amount = amount.min(room);
            }
            Ok(amount)
        }
        _ => {
            let borrow_factor_bps = reserve.risk_config_at(now_unix).borrow_factor_bps;
            Ok(max_borrow_at(&within_usage(reading.health)?, decimals, price_high, borrow_factor_bps)?)
        }
    }
}
