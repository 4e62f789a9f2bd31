//! The market-wide settings an operation reads.

use ballast_math::liquidation::LiquidationConfig;
use ballast_math::scenario::{ScenarioMargin, ScenarioRamp};
use ballast_math::Wad;

/// A market's pause, liquidation and scenario-margin knobs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarketState {
    /// Deposits, withdrawals and borrows wait until this time (repay and liquidation never do).
    pub paused_until: i64,
    pub liquidation: LiquidationConfig,
    /// The stress scenarios' parameters as configured (the target of a ramp in progress).
    pub scenarios: ScenarioMargin,
    pub scenario_ramp: ScenarioRamp,
    /// Smallest debt (whole USD) a borrow or partial repay may leave in a position (0: none).
    pub min_debt_usd: u64,
}

impl MarketState {
    pub fn is_paused(&self, now_unix: i64) -> bool {
        now_unix < self.paused_until
    }

    /// Minimum debt: a position's debt after a borrow or a partial repay, worth `debt_value()`
    /// (USD, asked only when the market has a minimum), must be zero or at least the market's
    /// minimum, so no debt is too small for a liquidator to take.
    pub fn require_min_debt(&self, debt_value: impl FnOnce() -> crate::EngineResult<Wad>) -> crate::EngineResult<()> {
        if self.min_debt_usd == 0 {
            return Ok(());
        }
        let value = debt_value()?;
        if value.is_zero() || value >= Wad::from_u64(self.min_debt_usd) {
            Ok(())
        } else {
            Err(crate::Error::DebtBelowMinimum)
        }
    }

    /// The scenario-margin parameters in force at `now_unix`.
    pub fn scenario_margin_at(&self, now_unix: i64) -> ScenarioMargin {
        self.scenario_ramp.in_force(&self.scenarios, now_unix)
    }
}

/// How an obligation's health is margined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum MarginMode {
    /// Per-asset weights: LTV, liquidation threshold, borrow factor.
    #[default]
    Classic = 0,
    /// The worst of the market's stress scenarios.
    Scenarios = 1,
}

impl MarginMode {
    pub fn from_u8(value: u8) -> Option<MarginMode> {
        match value {
            0 => Some(MarginMode::Classic),
            1 => Some(MarginMode::Scenarios),
            _ => None,
        }
    }
}

/// Largest minimum debt a market may set: a million USD.
pub const MAX_MIN_DEBT_USD: u64 = 1_000_000;

/// Pauses add up over a window: at most the market's `max_pause_secs` of pause per
/// [`PAUSE_WINDOW_SECS`], so an authority cannot keep a market frozen by renewing its pause.
pub const PAUSE_WINDOW_SECS: i64 = 30 * 86_400;

/// How much pause the current window has used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PauseLedger {
    pub window_start: i64,
    pub paused_secs: u64,
}

impl PauseLedger {
    /// A pause of `duration_secs` from `now_unix` (0 ends one now), given the pause running until
    /// `paused_until`: returns the new end. Each pause is at most `max_pause_secs`
    /// (`PauseTooLong`), and the pause time it adds beyond the one running must keep the
    /// window's total within `max_pause_secs` (`PauseBudgetExhausted`). Time a pause ended early
    /// did not use is not given back.
    pub fn pause(
        &mut self,
        paused_until: i64,
        now_unix: i64,
        duration_secs: u64,
        max_pause_secs: u64,
    ) -> crate::EngineResult<i64> {
        if duration_secs > max_pause_secs {
            return Err(crate::Error::PauseTooLong);
        }
        if now_unix.saturating_sub(self.window_start) >= PAUSE_WINDOW_SECS {
            *self = PauseLedger { window_start: now_unix, paused_secs: 0 };
        }
        let until = now_unix.checked_add(duration_secs as i64).ok_or(crate::Error::MathOverflow)?;
        let added = until.saturating_sub(paused_until.max(now_unix)).max(0) as u64;
        let used = self.paused_secs.saturating_add(added);
        if used > max_pause_secs {
            return Err(crate::Error::PauseBudgetExhausted);
        }
        self.paused_secs = used;
        Ok(until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_add_up_over_the_window() {
        let day = 86_400u64;
        let mut ledger = PauseLedger::default();
        assert_eq!(ledger.pause(0, 1_000_000, day + 1, day), Err(crate::Error::PauseTooLong));
        let until = ledger.pause(0, 1_000_000, 3_600, day).unwrap();
        // Extending the running pause to a full day uses the rest of the budget, not more.
        let until = ledger.pause(until, 1_000_000, day, day).unwrap();
        assert_eq!(ledger.paused_secs, day);
        // Once it ends, no renewal inside the window...
        let later = until + 60;
        assert_eq!(ledger.pause(until, later, 60, day), Err(crate::Error::PauseBudgetExhausted));
        // ...but ending a pause is always allowed, and a new window starts 30 days on.
        assert_eq!(ledger.pause(until, later, 0, day), Ok(later));
        let next = 1_000_000 + PAUSE_WINDOW_SECS;
        assert_eq!(ledger.pause(until, next, 3_600, day), Ok(next + 3_600));
        assert_eq!(ledger.paused_secs, 3_600);
    }
}
