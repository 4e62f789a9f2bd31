use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::state::Market;

/// The market authority acting on the market (pause, authority proposal).
#[derive(Accounts)]
pub struct MarketAuthority<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ BallastError::Unauthorized)]
    pub market: Account<'info, Market>,
}

/// Pauses deposits, withdrawals and borrows for `duration_secs` (0 ends a pause now). The pause
/// ends by itself; none exceeds the market's `max_pause_secs`, and all of them together at most
/// that much per 30 days (`ballast_engine::market::PauseLedger`).
pub fn handler(ctx: Context<MarketAuthority>, duration_secs: u64) -> Result<()> {
    let market = &mut ctx.accounts.market;
    let now_unix = Clock::get()?.unix_timestamp;
    let mut ledger = market.pause_ledger();
    let until = ledger
        .pause(market.paused_until, now_unix, duration_secs, market.max_pause_secs)
        .map_err(BallastError::from)?;
    market.paused_until = until;
    market.set_pause_ledger(&ledger);
    Ok(())
}
