use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::state::{Market, Obligation, OBLIGATION_SEED};

/// A further obligation of the owner in the market, numbered `obligation_id` (1 to 255; the one
/// `init_obligation` opens is number 0), at a PDA of the market, the owner and the number.
#[derive(Accounts)]
#[instruction(obligation_id: u8)]
pub struct InitSubObligation<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    pub market: Account<'info, Market>,
    #[account(
        init,
        payer = owner,
        space = Obligation::SPACE,
        seeds = [OBLIGATION_SEED, market.key().as_ref(), owner.key().as_ref(), &[obligation_id]],
        bump
    )]
    pub obligation: AccountLoader<'info, Obligation>,
    pub system_program: Program<'info, System>,
}

/// Separate obligations keep separate risk: each has its own positions and health, and one's
/// liquidation never touches another's collateral.
pub fn handler(ctx: Context<InitSubObligation>, obligation_id: u8) -> Result<()> {
    require!(obligation_id != 0, BallastError::InvalidObligationId);
    let mut obligation = ctx.accounts.obligation.load_init()?;
    obligation.market = ctx.accounts.market.key();
    obligation.owner = ctx.accounts.owner.key();
    obligation.bump = ctx.bumps.obligation;
    obligation.obligation_id = obligation_id;
    Ok(())
}
