use anchor_lang::prelude::*;

use crate::state::{Market, Obligation, OBLIGATION_SEED};

/// The owner's first obligation in the market (number 0), at a PDA of both; further ones come
/// from `init_sub_obligation`.
#[derive(Accounts)]
pub struct InitObligation<'info> {
    #[account(mut)]
    pub owner: Signer<'info>,
    pub market: Account<'info, Market>,
    #[account(
        init,
        payer = owner,
        space = Obligation::SPACE,
        seeds = [OBLIGATION_SEED, market.key().as_ref(), owner.key().as_ref()],
        bump
    )]
    pub obligation: AccountLoader<'info, Obligation>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<InitObligation>) -> Result<()> {
    let mut obligation = ctx.accounts.obligation.load_init()?;
    obligation.market = ctx.accounts.market.key();
    obligation.owner = ctx.accounts.owner.key();
    obligation.bump = ctx.bumps.obligation;
    Ok(())
}
