use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::events::CollateralToggleEvent;
use crate::health::HealthAccounts;
use crate::runtime::emit_event;
use crate::state::{Market, Obligation};
use ballast_engine::operations;

#[derive(Accounts)]
pub struct SetCollateral<'info> {
    pub owner: Signer<'info>,
    pub market: Account<'info, Market>,
    #[account(
        mut,
        has_one = owner @ BallastError::ObligationOwnerMismatch,
        has_one = market @ BallastError::MarketMismatch
    )]
    pub obligation: AccountLoader<'info, Obligation>,
}

/// The owner makes the deposit in `reserve` count as collateral or not. Not collateral, it earns
/// interest but counts for no health and can never be seized. Turning it off waits out a market
/// pause and, with debt, needs initial health >= 0 after it (health accounts for every position,
/// as for `get_health`); turning it on needs none.
pub fn handler<'info>(ctx: Context<'info, SetCollateral<'info>>, reserve: Pubkey, collateral: bool) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let health_accounts = HealthAccounts { accounts: ctx.remaining_accounts, market: ctx.accounts.market.key() };
    let market = ctx.accounts.market.state();
    let health = {
        let mut obligation = ctx.accounts.obligation.load_mut()?;
        operations::set_collateral(&market, &reserve, &mut *obligation, collateral, &health_accounts, now_unix)?
    };
    emit_event(CollateralToggleEvent {
        obligation: ctx.accounts.obligation.key(),
        reserve,
        collateral,
        weighted_collateral: health.weighted_collateral.0,
        weighted_debt: health.weighted_debt.0,
    });
    Ok(())
}
