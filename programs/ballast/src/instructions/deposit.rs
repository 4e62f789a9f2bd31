use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::BallastError;
use crate::events::DepositEvent;
use crate::runtime::emit_event;
use crate::state::{Market, Obligation, Reserve, ReserveStatus};
use crate::token::transfer_to_vault;

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
    require!(amount > 0, BallastError::ZeroAmount);
    let now_unix = Clock::get()?.unix_timestamp;
    require!(!ctx.accounts.market.is_paused(now_unix), BallastError::MarketPaused);
    let reserve_key = ctx.accounts.reserve.key();

    let shares = {
        let mut reserve = ctx.accounts.reserve.load_mut()?;
        let mut obligation = ctx.accounts.obligation.load_mut()?;
        require!(reserve.status() == ReserveStatus::Active, BallastError::ReserveNotActive);
        let supply_cap = if obligation.has_debt() { u64::MAX } else { reserve.risk.supply_cap };
        let mut accounting = reserve.accrued(now_unix).map_err(BallastError::from)?;
        let shares = accounting.deposit(amount, supply_cap).map_err(BallastError::from)?;
        reserve.set_accounting(&accounting);
        let position = obligation.position_or_open(&reserve_key)?;
        position.supply_shares = position.supply_shares.checked_add(shares).ok_or(BallastError::MathOverflow)?;
        shares
    };

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
        supply_shares_minted: shares,
    });
    Ok(())
}
