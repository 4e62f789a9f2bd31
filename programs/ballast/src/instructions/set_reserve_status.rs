use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::state::{Market, Reserve, ReserveStatus};

#[derive(Accounts)]
pub struct SetReserveStatus<'info> {
    pub authority: Signer<'info>,
    #[account(has_one = authority @ BallastError::Unauthorized)]
    pub market: Account<'info, Market>,
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub reserve: AccountLoader<'info, Reserve>,
}

/// Active (0), reduce-only (1) or paused (2). None of them blocks repay or liquidation.
pub fn handler(ctx: Context<SetReserveStatus>, status: u8) -> Result<()> {
    let status = ReserveStatus::from_u8(status).ok_or(BallastError::InvalidReserveStatus)?;
    ctx.accounts.reserve.load_mut()?.status = status as u8;
    Ok(())
}
