//! Per-reserve risk parameters and the rules that make a set of them valid.

use crate::error::ConfigError;
use crate::{MathError, MathResult, BPS_DENOMINATOR};

/// Risk parameters of one reserve. Ratios are in basis points (10_000 = 100%).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RiskConfig {
    /// Loan-to-value: the share of collateral value that counts towards borrow power.
    pub ltv_bps: u16,
    /// The share of collateral value that counts towards maintenance health.
    pub liquidation_threshold_bps: u16,
    /// Multiplier on debt value (>= 100%): riskier debt consumes more borrow power.
    pub borrow_factor_bps: u16,
    /// Liquidation bonus at the edge of insolvency.
    pub min_liquidation_bonus_bps: u16,
    /// Liquidation bonus when health is deeply negative.
    pub max_liquidation_bonus_bps: u16,
    /// Share of the liquidation bonus that goes to the protocol.
    pub protocol_liquidation_fee_bps: u16,
    /// Share of interest that goes to protocol fees.
    pub protocol_take_rate_bps: u16,
    /// Share of interest that goes to the reserve's insurance fund.
    pub insurance_take_rate_bps: u16,
    /// Most liquidity the reserve accepts, in token base units (deposits beyond it are rejected).
    pub supply_cap: u64,
    /// Most debt the reserve lends, in token base units.
    pub borrow_cap: u64,
}

impl RiskConfig {
    /// The DESIGN.md rules: `0 <= ltv < lt <= 1`, `bf >= 1`, `min_bonus <= max_bonus`,
    /// `lt * (1 + max_bonus) <= 1` and `< bf` strictly (so every liquidation, at any bonus the
    /// config allows, improves health), fee shares <= 100%.
    pub fn validate(&self) -> MathResult<()> {
        let bps = BPS_DENOMINATOR as u64;
        let fail = |e| Err(MathError::InvalidConfig(e));
        if self.ltv_bps >= self.liquidation_threshold_bps {
            return fail(ConfigError::LtvNotBelowThreshold);
        }
        if self.liquidation_threshold_bps as u64 > bps {
            return fail(ConfigError::LiquidationThresholdAbove100);
        }
        if (self.borrow_factor_bps as u64) < bps {
            return fail(ConfigError::BorrowFactorBelow100);
        }
        if self.min_liquidation_bonus_bps > self.max_liquidation_bonus_bps {
            return fail(ConfigError::BonusRange);
        }
        let threshold_with_bonus =
            self.liquidation_threshold_bps as u64 * (bps + self.max_liquidation_bonus_bps as u64);
        if threshold_with_bonus > bps * bps || threshold_with_bonus >= self.borrow_factor_bps as u64 * bps {
            return fail(ConfigError::BonusCreatesBadDebt);
        }
        if self.protocol_liquidation_fee_bps as u64 > bps
            || self.protocol_take_rate_bps as u64 + self.insurance_take_rate_bps as u64 > bps
        {
            return fail(ConfigError::FeeAbove100);
        }
        Ok(())
    }
}

/// Shortest and longest time over which a tightened liquidation threshold or borrow factor
/// takes effect (a market's `risk_ramp_secs`).
pub const MIN_RISK_RAMP_SECS: u64 = 3_600;
pub const MAX_RISK_RAMP_SECS: u64 = 30 * 86_400;

/// A tightening of a reserve's liquidation threshold or borrow factor in progress: the two move
/// linearly from their values when the change was made to the new ones over `duration_secs`, so
/// no config change makes a position liquidatable at once. A loosening takes effect at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RiskRamp {
    pub from_liquidation_threshold_bps: u16,
    pub from_borrow_factor_bps: u16,
    pub start_ts: i64,
    pub duration_secs: u64,
}

impl RiskRamp {
    /// A ramp starting at `now_unix` from the config in force then (`in_force`, itself perhaps
    /// mid-ramp) towards `target`.
    pub fn start(in_force: &RiskConfig, target: &RiskConfig, now_unix: i64, duration_secs: u64) -> RiskRamp {
        RiskRamp {
            from_liquidation_threshold_bps: in_force.liquidation_threshold_bps.max(target.liquidation_threshold_bps),
            from_borrow_factor_bps: in_force.borrow_factor_bps.min(target.borrow_factor_bps),
            start_ts: now_unix,
            duration_secs,
        }
    }

    /// `target` as in force at `now_unix`: its threshold and borrow factor part of the way from
    /// the ramp's start values (each step rounded towards the start, the borrower's side, so a
    /// position is never made liquidatable sooner than the ramp says).
    pub fn in_force(&self, target: &RiskConfig, now_unix: i64) -> RiskConfig {
        let elapsed = now_unix.saturating_sub(self.start_ts).max(0) as u64;
        if self.duration_secs == 0 || elapsed >= self.duration_secs {
            return *target;
        }
        let part = |from: u16, to: u16| -> u16 {
            let moved = (from.abs_diff(to) as u64 * elapsed / self.duration_secs) as u16;
            if from > to {
                from - moved
            } else {
                from + moved
            }
        };
        let mut config = *target;
        if self.from_liquidation_threshold_bps > target.liquidation_threshold_bps {
            config.liquidation_threshold_bps =
                part(self.from_liquidation_threshold_bps, target.liquidation_threshold_bps);
        }
        if self.from_borrow_factor_bps < target.borrow_factor_bps && self.from_borrow_factor_bps > 0 {
            config.borrow_factor_bps = part(self.from_borrow_factor_bps, target.borrow_factor_bps);
        }
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sane() -> RiskConfig {
        RiskConfig {
            ltv_bps: 7_500,
            liquidation_threshold_bps: 8_000,
            borrow_factor_bps: 10_000,
            min_liquidation_bonus_bps: 200,
            max_liquidation_bonus_bps: 1_000,
            protocol_liquidation_fee_bps: 1_000,
            protocol_take_rate_bps: 1_000,
            insurance_take_rate_bps: 500,
            supply_cap: u64::MAX,
            borrow_cap: u64::MAX,
        }
    }

    #[test]
    fn each_rule_rejects_its_violation() {
        assert_eq!(sane().validate(), Ok(()));
        let check = |edit: fn(&mut RiskConfig), expected: ConfigError| {
            let mut config = sane();
            edit(&mut config);
            assert_eq!(config.validate(), Err(MathError::InvalidConfig(expected)));
        };
        check(|c| c.ltv_bps = 8_000, ConfigError::LtvNotBelowThreshold);
        check(
            |c| {
                c.liquidation_threshold_bps = 10_001;
                c.max_liquidation_bonus_bps = 0;
                c.min_liquidation_bonus_bps = 0
            },
            ConfigError::LiquidationThresholdAbove100,
        );
        check(|c| c.borrow_factor_bps = 9_999, ConfigError::BorrowFactorBelow100);
        check(|c| c.min_liquidation_bonus_bps = 1_001, ConfigError::BonusRange);
        check(|c| c.max_liquidation_bonus_bps = 2_501, ConfigError::BonusCreatesBadDebt);
        check(|c| c.protocol_liquidation_fee_bps = 10_001, ConfigError::FeeAbove100);
        check(|c| c.insurance_take_rate_bps = 9_001, ConfigError::FeeAbove100);
    }

    #[test]
    fn a_tightening_ramps_and_a_loosening_is_immediate() {
        let before = sane(); // lt 80%, bf 100%
        let target =
            RiskConfig { liquidation_threshold_bps: 6_000, borrow_factor_bps: 12_000, ltv_bps: 5_000, ..sane() };
        let ramp = RiskRamp::start(&before, &target, 1_000, 10_000);
        assert_eq!(ramp.in_force(&target, 1_000).liquidation_threshold_bps, 8_000, "nothing moves at once");
        assert_eq!(ramp.in_force(&target, 1_000).borrow_factor_bps, 10_000);
        assert_eq!(ramp.in_force(&target, 1_000).ltv_bps, 5_000, "borrow power shrinks at once");
        let half = ramp.in_force(&target, 6_000);
        assert_eq!((half.liquidation_threshold_bps, half.borrow_factor_bps), (7_000, 11_000));
        // Rounded towards the start: one second in, the threshold has not moved a whole bp.
        assert_eq!(ramp.in_force(&target, 1_004).liquidation_threshold_bps, 8_000);
        assert_eq!(ramp.in_force(&target, 11_000), target);
        assert_eq!(ramp.in_force(&target, 0).liquidation_threshold_bps, 8_000, "before the start: the old value");
        // A loosening needs no ramp.
        let loose = RiskConfig { liquidation_threshold_bps: 8_500, ..sane() };
        assert_eq!(RiskRamp::start(&before, &loose, 1_000, 10_000).in_force(&loose, 1_000), loose);
        // A change mid-ramp starts from what is in force then.
        let again = RiskRamp::start(&half, &target, 6_000, 10_000);
        assert_eq!(again.in_force(&target, 6_000).liquidation_threshold_bps, 7_000);
    }

    #[test]
    fn threshold_times_bonus_stays_below_the_borrow_factor() {
        let mut config = sane();
        config.max_liquidation_bonus_bps = 2_500; // 0.8 * 1.25 == 1 == bf: no longer strictly below
        assert_eq!(config.validate(), Err(MathError::InvalidConfig(ConfigError::BonusCreatesBadDebt)));
        config.borrow_factor_bps = 10_001; // 1 < 1.0001
        assert_eq!(config.validate(), Ok(()));
        config.max_liquidation_bonus_bps = 2_499;
        config.borrow_factor_bps = 10_000; // 0.8 * 1.2499 < 1
        assert_eq!(config.validate(), Ok(()));
    }
}
