use anchor_lang::prelude::*;

use super::pause_market::MarketAuthority;

/// Step one of an authority transfer: name the successor (the default key cancels).
pub fn handler(ctx: Context<MarketAuthority>, new_authority: Pubkey) -> Result<()> {
    ctx.accounts.market.pending_authority = new_authority;
    Ok(())
}
