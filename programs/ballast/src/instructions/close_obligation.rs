use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::state::Obligation;

/// Closes an empty obligation and returns its rent to the owner.
#[derive(Accounts)]
pub struct CloseObligation<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    #[account(mut, has_one = owner @ BallastError::ObligationOwnerMismatch, close = owner)]
    pub obligation: AccountLoader<'info, Obligation>,
}

/// Only an obligation with no positions (no collateral, no debt) can be closed.
pub fn handler(ctx: Context<CloseObligation>) -> Result<()> {
    require!(ctx.accounts.obligation.load()?.position_count == 0, BallastError::ObligationNotEmpty);
    Ok(())
}
