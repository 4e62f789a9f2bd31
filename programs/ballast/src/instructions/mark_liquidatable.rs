use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::events::LiquidatableMarkEvent;
use crate::health::HealthAccounts;
use crate::runtime::emit_event;
use crate::state::{Market, Obligation};
use ballast_engine::operations;

#[derive(Accounts)]
pub struct MarkLiquidatable<'info> {
    pub market: Account<'info, Market>,
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub obligation: AccountLoader<'info, Obligation>,
}

/// Permissionless: starts the Dutch auction's clock on an obligation whose maintenance health is
/// below zero (kept if it already runs), or stops it on a healthy one (`ObligationHealthy` when
/// it is healthy and no clock runs). Health accounts for every position, as for `get_health`.
pub fn handler<'info>(ctx: Context<'info, MarkLiquidatable<'info>>) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let health_accounts = HealthAccounts { accounts: ctx.remaining_accounts, market: ctx.accounts.market.key() };
    let market = ctx.accounts.market.state();
    let outcome = {
        let mut obligation = ctx.accounts.obligation.load_mut()?;
        operations::mark_liquidatable(&market, &mut *obligation, &health_accounts, now_unix)?
    };
    emit_event(LiquidatableMarkEvent {
        obligation: ctx.accounts.obligation.key(),
        liquidatable_since_ts: outcome.liquidatable_since_ts,
        weighted_collateral: outcome.health.weighted_collateral.0,
        weighted_debt: outcome.health.weighted_debt.0,
    });
    Ok(())
}
