//! The Dutch auction's mark: a liquidator that skips a liquidatable obligation because its bonus
//! is below the liquidator's cost starts the auction's clock, as the reference bot does
//! (`mark_liquidatable` while the market runs an auction and the clock has not started), so the
//! bonus grows until a liquidation pays.

use ballast_engine::Positions as _;

use super::{Sim, StepRecord};
use crate::liquidate::mark_liquidatable;

impl<'a> Sim<'a> {
    /// Marks obligation `i` (the engine's `mark_liquidatable` on a copy) when the market runs an
    /// auction and its clock is not running; counts the mark.
    pub(super) fn mark_skipped(&mut self, i: usize, record: &mut StepRecord) {
        if self.market_state.liquidation.auction_secs == 0 || self.obligations[i].liquidatable_since_ts() != 0 {
            return;
        }
        let (market, reserves) = (&self.market_state, &self.reserves);
        if mark_liquidatable(market, reserves, &mut self.obligations[i], self.now).is_ok_and(|since| since != 0) {
            record.auction_marks += 1;
        }
    }
}
