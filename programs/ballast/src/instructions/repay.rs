use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::BallastError;
use crate::events::RepayEvent;
use crate::runtime::emit_event;
use crate::state::{Market, Obligation, Reserve};
use crate::token::transfer_to_vault;
use ballast_engine::operations;

/// Anyone may repay any obligation's debt.
#[derive(Accounts)]
pub struct Repay<'info> {
    pub payer: Signer<'info>,
    pub market: Account<'info, Market>,
    #[account(
        mut,
        has_one = market @ BallastError::MarketMismatch,
        has_one = mint @ BallastError::MintMismatch,
        has_one = vault @ BallastError::VaultMismatch,
        has_one = token_program @ BallastError::TokenProgramMismatch
    )]
    pub reserve: AccountLoader<'info, Reserve>,
    #[account(mut, has_one = market @ BallastError::MarketMismatch)]
    pub obligation: AccountLoader<'info, Obligation>,
    pub mint: InterfaceAccount<'info, Mint>,
    #[account(mut)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    #[account(mut, token::mint = mint)]
    pub source: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// Repay up to `amount` (`u64::MAX`: all) of the obligation's debt in this reserve; clamped to
/// the debt, which is rounded up. Never reads an oracle; a partial repay keeps the market's
/// minimum debt (`operations::repay`).
pub fn handler(ctx: Context<Repay>, amount: u64) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let reserve_key = ctx.accounts.reserve.key();

    let repayment = operations::repay(
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
        &accounts.payer,
        repayment.amount,
    )?;
    emit_event(RepayEvent {
        obligation: accounts.obligation.key(),
        reserve: reserve_key,
        payer: accounts.payer.key(),
        amount: repayment.amount,
        debt_shares_burned: repayment.debt_shares_burned.0,
    });
    Ok(())
}
