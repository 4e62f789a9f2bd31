use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::state::Market;

#[derive(Accounts)]
pub struct AcceptAuthority<'info> {
    pub new_authority: Signer<'info>,
    #[account(mut)]
    pub market: Account<'info, Market>,
}

/// Step two: the proposed authority signs to take over.
pub fn handler(ctx: Context<AcceptAuthority>) -> Result<()> {
    let market = &mut ctx.accounts.market;
    let signer = ctx.accounts.new_authority.key();
    require!(market.pending_authority != Pubkey::default(), BallastError::NotPendingAuthority);
    require_keys_eq!(market.pending_authority, signer, BallastError::NotPendingAuthority);
    market.authority = signer;
    market.pending_authority = Pubkey::default();
    Ok(())
}
