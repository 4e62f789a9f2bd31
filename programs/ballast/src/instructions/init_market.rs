use anchor_lang::prelude::*;

use crate::state::Market;

#[derive(Accounts)]
pub struct InitMarket<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(init, payer = authority, space = Market::SPACE)]
    pub market: Account<'info, Market>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<InitMarket>, quote_currency: [u8; 8]) -> Result<()> {
    let market = &mut ctx.accounts.market;
    market.authority = ctx.accounts.authority.key();
    market.quote_currency = quote_currency;
    market.reserve_count = 0;
    Ok(())
}
