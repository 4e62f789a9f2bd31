use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::events::MarginModeEvent;
use crate::health::HealthAccounts;
use crate::runtime::emit_event;
use crate::state::{Market, Obligation};
use ballast_engine::{operations, MarginMode};

#[derive(Accounts)]
pub struct SetMarginMode<'info> {
    pub owner: Signer<'info>,
    pub market: Account<'info, Market>,
    #[account(
        mut,
        has_one = owner @ BallastError::ObligationOwnerMismatch,
        has_one = market @ BallastError::MarketMismatch
    )]
    pub obligation: AccountLoader<'info, Obligation>,
}

/// The owner chooses classic weights (0) or scenario margin (1, while the market holds stress
/// scenarios). With debt, initial health under the new mode must stay >= 0; health accounts for
/// every position, as for `get_health`.
pub fn handler<'info>(ctx: Context<'info, SetMarginMode<'info>>, margin_mode: u8) -> Result<()> {
    let mode = MarginMode::from_u8(margin_mode).ok_or(BallastError::InvalidMarginMode)?;
    let now_unix = Clock::get()?.unix_timestamp;
    let health_accounts = HealthAccounts { accounts: ctx.remaining_accounts, market: ctx.accounts.market.key() };
    let market = ctx.accounts.market.state();
    let health = {
        let mut obligation = ctx.accounts.obligation.load_mut()?;
        operations::set_margin_mode(&market, &mut *obligation, mode, &health_accounts, now_unix)?
    };
    emit_event(MarginModeEvent {
        obligation: ctx.accounts.obligation.key(),
        margin_mode,
        weighted_collateral: health.weighted_collateral.0,
        weighted_debt: health.weighted_debt.0,
    });
    Ok(())
}
