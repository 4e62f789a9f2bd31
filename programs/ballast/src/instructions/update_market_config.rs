use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::params::MarketConfigParams;
use crate::state::Market;

#[derive(Accounts)]
pub struct UpdateMarketConfig<'info> {
    pub authority: Signer<'info>,
    #[account(mut, has_one = authority @ BallastError::Unauthorized)]
    pub market: Account<'info, Market>,
}

/// Market authority only; the same validation as creation. Raising the scenario maintenance
/// buffer or fraction, or adding scenarios, takes effect over `risk_ramp_secs`.
pub fn handler(ctx: Context<UpdateMarketConfig>, params: MarketConfigParams) -> Result<()> {
    params.apply(&mut ctx.accounts.market, Clock::get()?.unix_timestamp)
}
