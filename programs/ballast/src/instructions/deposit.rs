use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::BallastError;
use crate::events::DepositEvent;
use crate::runtime::emit_event;
use crate::state::{Market, Obligation, Reserve};
use crate::token::transfer_to_vault;
use ballast_engine::operations;

#[derive(Accounts)]
pub struct Deposit<'info> {
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
    #[account(mut, token::mint = mint)]
    pub source: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// Deposit `amount` as collateral: supply shares minted rounded down. Never needs a price.
/// Blocked by a market pause and by a reduce-only or paused reserve. The supply cap does not
/// apply to an obligation with debt, so collateral can always be added to cure it.
pub fn handler(ctx: Context<Deposit>, amount: u64) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let reserve_key = ctx.accounts.reserve.key();

    let outcome = operations::deposit(
        &ctx.accounts.market.state(),
        &reserve_key,
        &mut *ctx.accounts.reserve.load_mut()?,
        &mut *ctx.accounts.obligation.load_mut()?,
        amount,
        now_unix,
    )
    .map_err(BallastError::from)?;

    let accounts = &*ctx.accounts;
    transfer_to_vault(
        &accounts.token_program,
        &accounts.source,
        &accounts.vault,
        &accounts.mint,
        accounts.mint.decimals,
        &accounts.owner,
        amount,
    )?;
    emit_event(DepositEvent {
        obligation: accounts.obligation.key(),
        reserve: reserve_key,
        amount,
        supply_shares_minted: outcome.supply_shares_minted,
    });
    Ok(())
}
