//! The market-wide settings an operation reads.

use ballast_math::liquidation::LiquidationConfig;

/// A market's pause and liquidation knobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarketState {
    /// Deposits, withdrawals and borrows wait until this time (repay and liquidation never do).
    pub paused_until: i64,
    pub liquidation: LiquidationConfig,
}

impl MarketState {
    pub fn is_paused(&self, now_unix: i64) -> bool {
        now_unix < self.paused_until
    }
}
