//! Totals over a rolling window, and the outflow limit built on one.
//!
//! A [`DecayingTotal`] forgets linearly: what was added `elapsed` seconds ago counts
//! `(window - elapsed) / window` of itself, rounded up, so a limit read from it errs toward
//! "more has happened recently". Liquidation pacing and the outflow limit both use it.

use crate::error::ConfigError;
use crate::{MathError, MathResult, Rounding, Wad};

/// A total that decays to zero over a window, as of `updated_ts`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecayingTotal {
    /// The total as of `updated_ts` (units are the caller's: USD, base units).
    pub amount: Wad,
    pub updated_ts: i64,
}

impl DecayingTotal {
    /// The total still counted at `now_unix`: `amount * (window - elapsed) / window`, rounded up.
    pub fn recent(&self, now_unix: i64, window_secs: u64) -> MathResult<Wad> {
        let elapsed = now_unix.saturating_sub(self.updated_ts).max(0) as u64;
        if window_secs == 0 || elapsed >= window_secs {
            return Ok(Wad::ZERO);
        }
        self.amount.mul_ratio((window_secs - elapsed) as u128, window_secs as u128, Rounding::Up)
    }

    /// Adds `amount` at `now_unix`.
    pub fn add(&mut self, amount: Wad, now_unix: i64, window_secs: u64) -> MathResult<()> {
        self.amount = self.recent(now_unix, window_secs)?.checked_add(amount)?;
        self.updated_ts = now_unix;
        Ok(())
    }

    /// Takes `amount` off at `now_unix`, down to zero at most.
    pub fn sub(&mut self, amount: Wad, now_unix: i64, window_secs: u64) -> MathResult<()> {
        self.amount = self.recent(now_unix, window_secs)?.saturating_sub(amount);
        self.updated_ts = now_unix;
        Ok(())
    }
}

/// Longest outflow window a reserve may configure: a week.
pub const MAX_OUTFLOW_WINDOW_SECS: u64 = 7 * 86_400;

/// A reserve's outflow limit: borrows plus withdrawals, net of deposits and repayments, within a
/// rolling window may not exceed `cap` base units (0: no limit). Liquidations are never limited
/// and never counted: a limit must not stand between an unhealthy obligation and its liquidator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutflowLimit {
    pub cap: u64,
    pub window_secs: u64,
}

impl OutflowLimit {
    pub fn enabled(&self) -> bool {
        self.cap > 0
    }

    /// A limit needs a window in (0, a week]; no limit needs no window.
    pub fn validate(&self) -> MathResult<()> {
        if self.enabled() && (self.window_secs == 0 || self.window_secs > MAX_OUTFLOW_WINDOW_SECS) {
            return Err(MathError::InvalidConfig(ConfigError::OutflowLimit));
        }
        Ok(())
    }

    /// Counts an outflow of `amount`: `OutflowLimitExceeded` if the window's net outflow would
    /// pass the cap.
    pub fn record_outflow(&self, window: &mut DecayingTotal, amount: u64, now_unix: i64) -> MathResult<()> {
        if !self.enabled() {
            return Ok(());
        }
        let after = window.recent(now_unix, self.window_secs)?.checked_add(Wad::from_u64(amount))?;
        if after > Wad::from_u64(self.cap) {
            return Err(MathError::OutflowLimitExceeded);
        }
        window.add(Wad::from_u64(amount), now_unix, self.window_secs)
    }

    /// Counts an inflow of `amount` against the window's outflow (never below zero).
    pub fn record_inflow(&self, window: &mut DecayingTotal, amount: u64, now_unix: i64) -> MathResult<()> {
        if !self.enabled() {
            return Ok(());
        }
        window.sub(Wad::from_u64(amount), now_unix, self.window_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_decays_linearly_and_rounds_up() {
        let mut total = DecayingTotal::default();
        total.add(Wad::from_u64(1_000), 1_000, 600).unwrap();
        assert_eq!(total.recent(1_300, 600), Ok(Wad::from_u64(500)));
        assert_eq!(total.recent(1_600, 600), Ok(Wad::ZERO));
        assert_eq!(DecayingTotal { amount: Wad(10), updated_ts: 0 }.recent(1, 3), Ok(Wad(7)));
        total.sub(Wad::from_u64(2_000), 1_300, 600).unwrap();
        assert_eq!(total, DecayingTotal { amount: Wad::ZERO, updated_ts: 1_300 });
    }

    #[test]
    fn the_outflow_limit_caps_net_outflow_in_its_window() {
        let limit = OutflowLimit { cap: 1_000, window_secs: 100 };
        let mut window = DecayingTotal::default();
        limit.record_outflow(&mut window, 800, 0).unwrap();
        assert_eq!(limit.record_outflow(&mut window, 201, 0), Err(MathError::OutflowLimitExceeded));
        assert_eq!(window.amount, Wad::from_u64(800), "a refused outflow is not counted");
        limit.record_outflow(&mut window, 200, 0).unwrap();
        // An inflow makes room at once; time makes room linearly.
        limit.record_inflow(&mut window, 300, 0).unwrap();
        limit.record_outflow(&mut window, 300, 0).unwrap();
        assert_eq!(limit.record_outflow(&mut window, 1, 0), Err(MathError::OutflowLimitExceeded));
        limit.record_outflow(&mut window, 500, 50).unwrap();
        // No limit: nothing is counted or refused.
        let off = OutflowLimit::default();
        let mut untouched = DecayingTotal::default();
        off.record_outflow(&mut untouched, u64::MAX, 0).unwrap();
        assert_eq!(untouched, DecayingTotal::default());
    }

    #[test]
    fn a_limit_needs_a_window_of_at_most_a_week() {
        assert!(OutflowLimit { cap: 0, window_secs: 0 }.validate().is_ok());
        assert!(OutflowLimit { cap: 1, window_secs: 0 }.validate().is_err());
        assert!(OutflowLimit { cap: 1, window_secs: MAX_OUTFLOW_WINDOW_SECS + 1 }.validate().is_err());
        assert!(OutflowLimit { cap: 1, window_secs: MAX_OUTFLOW_WINDOW_SECS }.validate().is_ok());
    }
}
