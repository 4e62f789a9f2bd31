use anchor_lang::prelude::*;

use crate::errors::BallastError;
use crate::health::{HealthAccounts, HealthKind};
use crate::params::HealthReport;
use crate::runtime::set_return_data_off_chain;
use crate::state::{Market, Obligation};
use ballast_engine::{obligation_health, Margin, Positions};

#[derive(Accounts)]
pub struct GetHealth<'info> {
    pub market: Account<'info, Market>,
    #[account(has_one = market @ BallastError::MarketMismatch)]
    pub obligation: AccountLoader<'info, Obligation>,
}

/// `initial`: borrow-power health (conservative prices, LTV); otherwise maintenance health (spot
/// prices, liquidation threshold), each under the obligation's margin (classic weights or its
/// worst scenario). Health accounts as for borrow: one pair per position.
pub fn handler<'info>(ctx: Context<'info, GetHealth<'info>>, initial: bool) -> Result<HealthReport> {
    crate::cu_checkpoint!("get_health: accounts validated");
    let now_unix = Clock::get()?.unix_timestamp;
    let kind = if initial { HealthKind::Initial } else { HealthKind::Maintenance };
    let obligation = ctx.accounts.obligation.load()?;
    let health_accounts = HealthAccounts { accounts: ctx.remaining_accounts, market: ctx.accounts.market.key() };
    let margin = Margin::for_obligation(&ctx.accounts.market.state(), &*obligation, now_unix);
    let health = obligation_health(obligation.held(), &health_accounts, &[], kind, &margin, now_unix)?.health;
    let report = HealthReport {
        weighted_collateral: health.weighted_collateral.0,
        weighted_debt: health.weighted_debt.0,
        collateral_value: health.collateral_value.0,
        debt_value: health.debt_value.0,
        health_factor: health.health_factor().map_or(u128::MAX, |hf| hf.0),
        liquidatable: !health.is_healthy(),
    };
    set_return_data_off_chain(&anchor_lang::prelude::borsh::to_vec(&report)?);
    Ok(report)
}
