use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::BallastError;
use crate::events::WithdrawEvent;
use crate::health::HealthAccounts;
use crate::runtime::emit_event;
use crate::state::{Market, Obligation, Reserve, VAULT_AUTHORITY_SEED};
use crate::token::transfer_from_vault;
use ballast_engine::operations;

/// Withdraw's and borrow's accounts: the vault pays `destination` for the owner's obligation.
#[derive(Accounts)]
pub struct Outflow<'info> {
    pub owner: Signer<'info>,
    pub market: Account<'info, Market>,
    #[account(
        mut,
        has_one = market @ BallastError::MarketMismatch,
        has_one = mint @ BallastError::MintMismatch,
        has_one = vault @ BallastError::VaultMismatch,
        has_one = token_program @ BallastError::TokenProgramMismatch
    )]
    pub reserve: AccountLoader<'info, Reserve>,
    #[account(
        mut,
        has_one = market @ BallastError::MarketMismatch,
        has_one = owner @ BallastError::ObligationOwnerMismatch
    )]
    pub obligation: AccountLoader<'info, Obligation>,
    pub mint: InterfaceAccount<'info, Mint>,
    #[account(mut)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    /// CHECK: the vault's owner PDA; verified by its seeds and stored bump.
    #[account(seeds = [VAULT_AUTHORITY_SEED, reserve.key().as_ref()], bump = reserve.load()?.vault_authority_bump)]
    pub vault_authority: UncheckedAccount<'info>,
    #[account(mut, token::mint = mint)]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// Withdraw `amount` base units of collateral (`u64::MAX`: all of it). Shares burned round up.
/// With debt left, initial health after the withdraw must be >= 0, computed from the health
/// accounts (one `(reserve, oracle)` pair per position after the withdraw). Without debt no price
/// is read and no price can block it (a market pause or a paused reserve still does).
pub fn handler<'info>(ctx: Context<'info, Outflow<'info>>, amount: u64) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let reserve_key = ctx.accounts.reserve.key();
    let health_accounts = HealthAccounts { accounts: ctx.remaining_accounts, market: ctx.accounts.market.key() };

    let outcome = operations::withdraw(
        &ctx.accounts.market.state(),
        &reserve_key,
        &mut *ctx.accounts.reserve.load_mut()?,
        &mut *ctx.accounts.obligation.load_mut()?,
        &health_accounts,
        amount,
        now_unix,
    )?;
    let (amount, shares, health) = (outcome.amount, outcome.supply_shares_burned, outcome.health_after);

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
    emit_event(WithdrawEvent {
        obligation: accounts.obligation.key(),
        reserve: reserve_key,
        amount,
        supply_shares_burned: shares,
        weighted_collateral: health.weighted_collateral.0,
        weighted_debt: health.weighted_debt.0,
    });
    Ok(())
}
