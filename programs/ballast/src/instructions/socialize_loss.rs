use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::events::SocializeLossEvent;
use crate::health::HealthAccounts;
use crate::runtime::emit_event;
use crate::state::{Market, Obligation, Reserve};
use ballast_engine::operations;

/// Permissionless: anyone may write off bad debt.
#[derive(Accounts)]
pub struct SocializeLoss<'info> {
    pub market: Account<'info, Market>,
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub obligation: AccountLoader<'info, Obligation>,
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub reserve: AccountLoader<'info, Reserve>,
}

/// Once an obligation's collateral is gone (no remaining accounts needed), or is worth less than
/// the market's dust value while it is liquidatable (health accounts for every position, as for
/// `get_health`), its remaining debt in `reserve` is a deficit: the reserve's insurance fund pays
/// first, and the rest lowers the supply share value (recorded in `socialized_loss`). The
/// obligation's debt there is cleared.
pub fn handler<'info>(ctx: Context<'info, SocializeLoss<'info>>) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let reserve_key = ctx.accounts.reserve.key();
    let market = ctx.accounts.market.state();
    let health_accounts = HealthAccounts { accounts: ctx.remaining_accounts, market: ctx.accounts.market.key() };
    let outcome = operations::socialize_loss(
        &market,
        &reserve_key,
        &mut *ctx.accounts.reserve.load_mut()?,
        &mut *ctx.accounts.obligation.load_mut()?,
        &health_accounts,
        now_unix,
    )?;

    emit_event(SocializeLossEvent::new(ctx.accounts.obligation.key(), reserve_key, &outcome));
    Ok(())
}
