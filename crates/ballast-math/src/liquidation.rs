//! Liquidation sizing: close factor, bonus, seizure and the over-liquidation bound.
//!
//! Maintenance health is the margin `C - D` (weighted collateral minus weighted debt, USD) and
//! the health factor `C / D`. A liquidator repays `x` USD of one debt and receives
//! `x * (1 + bonus)` USD of one collateral, so the margin moves by `x * (bf - (1 + bonus) * lt)`,
//! which is >= 0 because every valid config has `lt * (1 + max_bonus) <= 1 <= bf`.

use crate::health::token_value;
use crate::window::DecayingTotal;
use crate::{MathError, MathResult, Rounding, Wad, BPS_DENOMINATOR};

/// Market-wide liquidation knobs. Ratios in bps; `dust_value` in USD.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LiquidationConfig {
    /// Share of one debt a single liquidation may repay.
    pub close_factor_bps: u16,
    /// Below this health factor the whole debt may be repaid at once.
    pub full_liquidation_health_factor_bps: u16,
    /// If less than this (USD) of the debt would remain, the whole debt may be repaid.
    pub dust_value: Wad,
    /// A liquidation that leaves debt may not lift the health factor above this.
    pub target_health_factor_bps: u16,
    /// Shortfall (1 - health factor) at which the bonus reaches its maximum.
    pub bonus_ramp_bps: u16,
    /// Dutch auction: seconds over which the bonus grows from its minimum to its maximum after
    /// the obligation was first seen liquidatable (0: the bonus follows the shortfall ramp alone).
    pub auction_secs: u64,
    /// Liquidation pacing: the close factor of a collateral whose recent seizures exceed its
    /// depth budget (0: no pacing), and the window (seconds) those seizures decay over.
    pub paced_close_factor_bps: u16,
    pub pacing_window_secs: u64,
}

/// Longest Dutch auction a market may configure: a day.
pub const MAX_AUCTION_SECS: u64 = 86_400;
/// Longest pacing window a market may configure: a day.
pub const MAX_PACING_WINDOW_SECS: u64 = 86_400;

impl LiquidationConfig {
    pub fn validate(&self) -> MathResult<()> {
        let bad = Err(MathError::InvalidConfig(crate::error::ConfigError::Liquidation));
        if self.close_factor_bps == 0
            || self.close_factor_bps as u128 > BPS_DENOMINATOR
            || self.full_liquidation_health_factor_bps as u128 > BPS_DENOMINATOR
            || (self.target_health_factor_bps as u128) <= BPS_DENOMINATOR
            || self.bonus_ramp_bps == 0
            || self.bonus_ramp_bps as u128 > BPS_DENOMINATOR
            || self.auction_secs > MAX_AUCTION_SECS
            || self.paced_close_factor_bps > self.close_factor_bps
            || (self.paced_close_factor_bps > 0
                && (self.pacing_window_secs == 0 || self.pacing_window_secs > MAX_PACING_WINDOW_SECS))
        {
            return bad;
        }
        Ok(())
    }

    /// The knobs for a collateral whose recent seizures exceed its depth budget: the close factor
    /// steps down to the paced one. Deep insolvency and a dust rest still lift it to 100%.
    pub fn paced(&self) -> LiquidationConfig {
        let close_factor_bps = match self.paced_close_factor_bps {
            0 => self.close_factor_bps,
            paced => paced.min(self.close_factor_bps),
        };
        LiquidationConfig { close_factor_bps, ..*self }
    }

    /// Whether a health factor `hf` is deep in the red: below the full-liquidation health factor.
    fn is_deep(&self, hf: Wad) -> bool {
        hf < Wad::from_bps(self.full_liquidation_health_factor_bps as u64)
    }

    /// Whether `value` (USD, Wad) is dust: less than the market's `dust_value`.
    pub fn is_dust(&self, value: Wad) -> bool {
        value < self.dust_value
    }
}

/// A collateral reserve's pacing: its depth budget (whole USD a window may seize before its close
/// factor steps down; 0: never paced) and its recent seizures: USD seized for tokens (which
/// liquidators sell into the market), decaying over the market's pacing window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeizurePacing {
    pub depth_budget_usd: u64,
    pub window: DecayingTotal,
}

impl SeizurePacing {
    /// Whether liquidations seizing this collateral for tokens are paced at `now_unix`.
    pub fn over_budget(&self, config: &LiquidationConfig, now_unix: i64) -> MathResult<bool> {
        if self.depth_budget_usd == 0 || config.paced_close_factor_bps == 0 {
            return Ok(false);
        }
        Ok(self.window.recent(now_unix, config.pacing_window_secs)? >= Wad::from_u64(self.depth_budget_usd))
    }
}

/// One side of a liquidation: a position's amount in base units and how it is valued.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Leg {
    /// Base units held (collateral) or owed (debt), as a Wad.
    pub amount: Wad,
    /// Spot price, USD per whole token.
    pub price: Wad,
    pub decimals: u8,
    /// Liquidation threshold (collateral leg) or borrow factor (debt leg), bps.
    pub weight_bps: u16,
}

impl Leg {
    fn value_of(&self, amount: Wad, rounding: Rounding) -> MathResult<Wad> {
        token_value(amount, self.decimals, self.price, rounding)
    }

    /// Base units (as a Wad) worth `value` USD: `value * 10^decimals / price`.
    fn amount_for(&self, value: Wad, rounding: Rounding) -> MathResult<Wad> {
        let scale = crate::health::wad_times_pow10(self.decimals)?; // 10^decimals * WAD, <= 1e36
        crate::mul_div(value.0, scale, self.price.0, rounding).map(Wad)
    }
}

/// Reserve-level bonus parameters of the collateral being seized.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BonusConfig {
    pub min_bonus_bps: u16,
    pub max_bonus_bps: u16,
    /// Share of the bonus that goes to the protocol.
    pub protocol_fee_bps: u16,
    /// Seconds since the obligation was first seen liquidatable: the Dutch auction's clock.
    pub liquidatable_secs: u64,
}

/// What a liquidation does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LiquidationPlan {
    /// Base units of debt the liquidator pays.
    pub repay_amount: u64,
    /// Whether the repay clears the debt entirely.
    pub repays_all: bool,
    /// Collateral base units removed from the obligation (liquidator's plus protocol's).
    pub seized_amount: Wad,
    /// Collateral base units the liquidator receives (rounded down).
    pub liquidator_amount: u64,
    /// Collateral base units that go to the protocol (the rest of the seizure).
    pub protocol_amount: Wad,
    /// Bonus applied, bps.
    pub bonus_bps: u16,
    /// Repay value and seized value, USD.
    pub repay_value: Wad,
    pub seized_value: Wad,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiquidationError {
    Math(MathError),
    /// Maintenance health is not below zero.
    Healthy,
    /// The requested repay is zero (or clamps to zero).
    ZeroRepay,
    /// The liquidation would leave debt with a health factor above the target.
    OverLiquidation,
    /// The liquidation would not improve maintenance health.
    HealthNotImproved,
}

impl From<MathError> for LiquidationError {
    fn from(e: MathError) -> Self {
        LiquidationError::Math(e)
    }
}

/// The bonus for a health factor `hf`, before the caps: with the Dutch auction off, `min` at the
/// edge of insolvency growing linearly with the shortfall to `max` at `ramp`; with it on, `min`
/// when the obligation is first seen liquidatable growing linearly with time to `max` after
/// `auction_secs`, and never below the shortfall ramp deep in the red (below the full-liquidation
/// health factor), so a crash is cleared at once.
fn wanted_bonus_bps(hf: Wad, bonus: &BonusConfig, config: &LiquidationConfig) -> MathResult<u128> {
    let span = Wad::from_u64((bonus.max_bonus_bps - bonus.min_bonus_bps.min(bonus.max_bonus_bps)) as u64);
    let grown = |progress: Wad| -> MathResult<u128> {
        Ok(bonus.min_bonus_bps as u128 + span.mul(progress.min(Wad::ONE), Rounding::Down)?.to_u128(Rounding::Down))
    };
    let shortfall = Wad::ONE.saturating_sub(hf);
    let ramp = || grown(shortfall.mul_ratio(BPS_DENOMINATOR, config.bonus_ramp_bps as u128, Rounding::Down)?);
    if config.auction_secs == 0 {
        return ramp();
    }
    let elapsed = Wad::from_u64(bonus.liquidatable_secs.min(config.auction_secs));
    let auction = grown(elapsed.mul_ratio(1, config.auction_secs as u128, Rounding::Down)?)?;
    Ok(if config.is_deep(hf) { auction.max(ramp()?) } else { auction })
}

/// The bonus for a health factor `hf` (`wanted_bonus_bps`), capped so that
/// `(1 + bonus) * debt value` does not exceed the collateral value, but never below `min`: an
/// insolvent obligation still pays the minimum bonus on what is repaid (taking all of a
/// collateral position if need be), so a rational liquidator clears it and what is left becomes
/// a recorded deficit. Always capped so that `(1 + bonus) * lt < bf` (the liquidation always
/// improves health).
pub fn bonus_bps(
    hf: Wad,
    collateral_value: Wad,
    debt_value: Wad,
    bonus: &BonusConfig,
    config: &LiquidationConfig,
    collateral_threshold_bps: u16,
    debt_borrow_factor_bps: u16,
) -> MathResult<u16> {
    let wanted = wanted_bonus_bps(hf, bonus, config)?;
    // (1 + b) <= collateral / debt  <=>  b <= collateral / debt - 1
    let room = if debt_value.is_zero() {
        wanted
    } else {
        let ratio_bps = crate::mul_div(collateral_value.0, BPS_DENOMINATOR, debt_value.0, Rounding::Down)?;
        ratio_bps.saturating_sub(BPS_DENOMINATOR)
    };
    // (1 + b) * lt < bf, strictly, so every liquidation improves the margin even when a config
    // sits exactly at lt * (1 + max_bonus) = 1 = bf.
    let improving = if collateral_threshold_bps == 0 {
        wanted
    } else {
        let limit = crate::mul_div(
            debt_borrow_factor_bps as u128,
            BPS_DENOMINATOR,
            collateral_threshold_bps as u128,
            Rounding::Up,
        )?;
        limit.saturating_sub(BPS_DENOMINATOR + 1)
    };
    Ok(wanted.min(room).max(bonus.min_bonus_bps as u128).min(improving) as u16)
}

/// Sizes a liquidation of `debt` against `collateral`, given the obligation's maintenance
/// `health` before it and the liquidator's `requested_repay` (base units), and checks the outcome
/// rules on the health it predicts (`health_after`).
///
/// Repay = min(requested, close-factor share of the debt, the debt); seized value =
/// repay value x (1 + bonus), capped at the collateral position (then the repay shrinks to
/// match). Rejects a healthy obligation, a zero repay, a result that leaves debt above the
/// target health factor, and one that does not improve health.
pub fn plan_liquidation(
    health: &crate::Health,
    debt: &Leg,
    collateral: &Leg,
    bonus: &BonusConfig,
    config: &LiquidationConfig,
    requested_repay: u64,
) -> Result<LiquidationPlan, LiquidationError> {
    let plan = size_liquidation(health, debt, collateral, bonus, config, requested_repay)?;
    let after = health_after(health, debt, collateral, &plan)?;
    check_outcome(health, &after, &plan, config)?;
    Ok(plan)
}

/// `plan_liquidation` without the outcome rules: the sizing alone. The program uses this and
/// applies `check_outcome` to the health it recomputes from the updated positions, which is
/// exact where `health_after` is a prediction.
#[inline(never)] // keeps its temporaries out of the caller's 4 KiB sBPF frame
pub fn size_liquidation(
    health: &crate::Health,
    debt: &Leg,
    collateral: &Leg,
    bonus: &BonusConfig,
    config: &LiquidationConfig,
    requested_repay: u64,
) -> Result<LiquidationPlan, LiquidationError> {
    if health.is_healthy() {
        return Err(LiquidationError::Healthy);
    }
    let hf = health.weighted_collateral.div(health.weighted_debt, Rounding::Down)?;
    // A debt above u64::MAX base units is liquidated in parts of at most u64::MAX.
    let owed_in_full = debt.amount.to_u64(Rounding::Up).ok();
    let owed = owed_in_full.unwrap_or(u64::MAX);

    // Close factor, lifted to 100% deep in the red or when the rest would be dust, and never
    // below one base unit: a coarse token's close-factor share can floor to zero.
    let deep = config.is_deep(hf);
    let close_factor_amount = debt.amount.mul_bps(config.close_factor_bps as u64, Rounding::Down)?;
    let rest_value = debt.value_of(debt.amount.saturating_sub(close_factor_amount), Rounding::Up)?;
    let max_repay = if deep || config.is_dust(rest_value) {
        owed
    } else {
        close_factor_amount.to_u64(Rounding::Down).unwrap_or(u64::MAX).max(1)
    };
    let mut repay_amount = requested_repay.min(max_repay).min(owed);
    if repay_amount == 0 {
        return Err(LiquidationError::ZeroRepay);
    }

    let bonus_bps = bonus_bps(
        hf,
        health.collateral_value,
        health.debt_value,
        bonus,
        config,
        collateral.weight_bps,
        debt.weight_bps,
    )?;
    let one_plus_bonus = BPS_DENOMINATOR + bonus_bps as u128;
    let mut repay_value = debt.value_of(Wad::from_u64(repay_amount), Rounding::Down)?;
    let mut seized_value = repay_value.mul_ratio(one_plus_bonus, BPS_DENOMINATOR, Rounding::Down)?;
    let mut seized_amount = collateral.amount_for(seized_value, Rounding::Down)?;
    if seized_amount > collateral.amount {
        // Not enough collateral: seize all of it and repay only what it covers (rounded up,
        // so the liquidator never gets the bonus on debt it did not repay).
        seized_amount = collateral.amount;
        seized_value = collateral.value_of(seized_amount, Rounding::Down)?;
        repay_value = seized_value.mul_ratio(BPS_DENOMINATOR, one_plus_bonus, Rounding::Up)?;
        repay_amount =
            debt.amount_for(repay_value, Rounding::Up)?.to_u64(Rounding::Up).unwrap_or(u64::MAX).min(repay_amount);
        if repay_amount == 0 {
            return Err(LiquidationError::ZeroRepay);
        }
    }
    let repays_all = owed_in_full.is_some_and(|owed| repay_amount >= owed);

    // The protocol's share of the bonus, rounded up; the liquidator gets the rest, rounded down.
    let base_amount = seized_amount.mul_ratio(BPS_DENOMINATOR, one_plus_bonus, Rounding::Down)?;
    let bonus_amount = seized_amount.saturating_sub(base_amount);
    let protocol_share = bonus_amount.mul_bps(bonus.protocol_fee_bps as u64, Rounding::Up)?.min(bonus_amount);
    let liquidator_amount = seized_amount.saturating_sub(protocol_share).to_u64(Rounding::Down)?;
    let protocol_amount = seized_amount.checked_sub(Wad::from_u64(liquidator_amount))?;

    let plan = LiquidationPlan {
        repay_amount,
        repays_all,
        seized_amount,
        liquidator_amount,
        protocol_amount,
        bonus_bps,
        repay_value,
        seized_value,
    };
    Ok(plan)
}

/// Maintenance health after `plan`, from the before-health and the two legs' weights.
/// (The program recomputes it from the updated positions; this is the same arithmetic.)
pub fn health_after(
    health: &crate::Health,
    debt: &Leg,
    collateral: &Leg,
    plan: &LiquidationPlan,
) -> MathResult<crate::Health> {
    let seized_weighted =
        collateral.value_of(plan.seized_amount, Rounding::Up)?.mul_bps(collateral.weight_bps as u64, Rounding::Up)?;
    let repaid = Wad::from_u64(plan.repay_amount).min(debt.amount);
    let repaid_weighted = debt.value_of(repaid, Rounding::Down)?.mul_bps(debt.weight_bps as u64, Rounding::Down)?;
    Ok(crate::Health {
        weighted_collateral: health.weighted_collateral.saturating_sub(seized_weighted),
        weighted_debt: health.weighted_debt.saturating_sub(repaid_weighted),
        collateral_value: health
            .collateral_value
            .saturating_sub(collateral.value_of(plan.seized_amount, Rounding::Up)?),
        debt_value: health.debt_value.saturating_sub(debt.value_of(repaid, Rounding::Down)?),
    })
}

/// The two outcome rules: health strictly improves (as a margin), and a liquidation that leaves
/// debt does not lift the health factor above the target, where the close factor bounds it.
/// The target does not bind:
/// - deep in the red (below `full_liquidation_health_factor_bps`) or with only dust debt left:
///   the whole debt may go there, and "all but a base unit's fraction" must not be refused where
///   a coarse token cannot repay exactly all;
/// - on a repay of one base unit, the smallest there is: where one unit of a coarse token
///   overshoots the target, refusing it would leave the obligation with no liquidation at all.
pub fn check_outcome(
    before: &crate::Health,
    after: &crate::Health,
    plan: &LiquidationPlan,
    config: &LiquidationConfig,
) -> Result<(), LiquidationError> {
    if after.margin() <= before.margin() {
        return Err(LiquidationError::HealthNotImproved);
    }
    if target_binds(before, after, plan, config)? {
        let target = Wad::from_bps(config.target_health_factor_bps as u64);
        let hf_after = after.weighted_collateral.div(after.weighted_debt, Rounding::Down)?;
        if hf_after > target {
            return Err(LiquidationError::OverLiquidation);
        }
    }
    Ok(())
}

/// Whether the target health factor bounds the outcome of `plan` (see `check_outcome`).
fn target_binds(
    before: &crate::Health,
    after: &crate::Health,
    plan: &LiquidationPlan,
    config: &LiquidationConfig,
) -> MathResult<bool> {
    let deep = !before.weighted_debt.is_zero()
        && config.is_deep(before.weighted_collateral.div(before.weighted_debt, Rounding::Down)?);
    let smallest_repay = plan.repay_amount <= 1;
    Ok(!plan.repays_all
        && !smallest_repay
        && !after.weighted_debt.is_zero()
        && !deep
        && !config.is_dust(after.debt_value))
}

/// The largest repay (base units) a liquidator may request: the close-factor limit (the whole debt
/// when it may all be repaid), lowered until the plan is accepted (for bots, the simulator and the
/// dApp). `None` if no repay is acceptable.
pub fn max_acceptable_repay(
    health: &crate::Health,
    debt: &Leg,
    collateral: &Leg,
    bonus: &BonusConfig,
    config: &LiquidationConfig,
) -> Option<LiquidationPlan> {
    let mut high = debt.amount.to_u64(Rounding::Up).unwrap_or(u64::MAX);
    // The largest request first: it is clamped to the close-factor limit (the whole debt deep in
    // the red or when dust would remain) and to the collateral. If that plan is accepted nothing
    // larger exists. This matters deep in the red: a full repay is exempt from the target bound,
    // so acceptance is not monotone just below it and the search alone could stop at a partial
    // plan where the full repay is accepted.
    if let Ok(plan) = plan_liquidation(health, debt, collateral, bonus, config, high) {
        return Some(plan);
    }
    let mut best = None;
    let mut low = 1u64;
    // Binary search on the target bound, below the clamped maximum (which overshoots it).
    while low <= high {
        let mid = low + (high - low) / 2;
        match plan_liquidation(health, debt, collateral, bonus, config, mid) {
            Ok(plan) => {
                best = Some(plan);
                if plan.repay_amount < mid {
                    break; // clamped by the close factor or the collateral: larger asks change nothing
                }
                low = mid + 1;
            }
            Err(LiquidationError::OverLiquidation) => high = mid - 1,
            Err(_) => return best,
        }
    }
    best
}
