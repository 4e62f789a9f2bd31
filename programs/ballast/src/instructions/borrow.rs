use anchor_lang::prelude::*;

use crate::events::BorrowEvent;
use crate::health::HealthAccounts;
use crate::runtime::emit_event;
use crate::token::transfer_from_vault;
use ballast_engine::operations;

use super::withdraw::Outflow;

/// Borrow `amount` base units: debt shares recorded round up; respects available liquidity, the
/// borrow cap, the utilisation ceiling, the reserve status and a market pause; initial health
/// after the borrow must be >= 0 (circuit breaker, haircut and USD cap included), computed from
/// the health accounts (one `(reserve, oracle)` pair per position after the borrow).
pub fn handler<'info>(ctx: Context<'info, Outflow<'info>>, amount: u64) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let reserve_key = ctx.accounts.reserve.key();
    let health_accounts = HealthAccounts { accounts: ctx.remaining_accounts, market: ctx.accounts.market.key() };

    let outcome = operations::borrow(
        &ctx.accounts.market.state(),
        &reserve_key,
        &mut *ctx.accounts.reserve.load_mut()?,
        &mut *ctx.accounts.obligation.load_mut()?,
        &health_accounts,
        amount,
        now_unix,
    )?;
    let (debt_shares, health) = (outcome.debt_shares_added, outcome.health_after);

    let accounts = &*ctx.accounts;
    let vault_authority_bump = accounts.reserve.load()?.vault_authority_bump;
    transfer_from_vault(
        &accounts.token_program,
        &accounts.vault,
        &accounts.destination,
        &accounts.mint,
        accounts.mint.decimals,
        &accounts.vault_authority,
        &reserve_key,
        vault_authority_bump,
        amount,
    )?;
    emit_event(BorrowEvent {
        obligation: accounts.obligation.key(),
        reserve: reserve_key,
        amount,
        debt_shares_added: debt_shares.0,
        weighted_collateral: health.weighted_collateral.0,
        weighted_debt: health.weighted_debt.0,
    });
    Ok(())
}
