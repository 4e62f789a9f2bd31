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
/// ends by itself; it can never exceed the market's `max_pause_secs`.
pub fn handler(ctx: Context<MarketAuthority>, duration_secs: u64) -> Result<()> {
    let market = &mut ctx.accounts.market;
    require!(duration_secs <= market.max_pause_secs, BallastError::PauseTooLong);
    let now_unix = Clock::get()?.unix_timestamp;
    market.paused_until = now_unix.checked_add(duration_secs as i64).ok_or(BallastError::MathOverflow)?;
    Ok(())
}
