use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::BallastError;
use crate::events::FlashRepayEvent;
use crate::flash::require_top_level;
use crate::runtime::emit_event;
use crate::state::{Market, Reserve};
use crate::token::transfer_to_vault;
use ballast_engine::operations;

#[derive(Accounts)]
pub struct FlashRepay<'info> {
    pub user: Signer<'info>,
    pub market: Account<'info, Market>,
    #[account(
        mut,
        has_one = market @ BallastError::MarketMismatch,
        has_one = mint @ BallastError::MintMismatch,
        has_one = vault @ BallastError::VaultMismatch,
        has_one = token_program @ BallastError::TokenProgramMismatch
    )]
    pub reserve: AccountLoader<'info, Reserve>,
    pub mint: InterfaceAccount<'info, Mint>,
    #[account(mut)]
    pub vault: InterfaceAccount<'info, TokenAccount>,
    #[account(mut, token::mint = mint)]
    pub source: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
    /// CHECK: the Instructions sysvar; kept in the account list so a repay is recognised by the
    /// same layout as its borrow.
    pub instructions: UncheckedAccount<'info>,
}

/// Ends the reserve's open flash loan: `amount` must be what was lent, and `source` pays it plus
/// the reserve's fee, which goes to the protocol and the insurance fund. Top level only.
pub fn handler(ctx: Context<FlashRepay>, amount: u64) -> Result<()> {
    require_top_level()?;
    let now_unix = Clock::get()?.unix_timestamp;
    let fee = operations::flash_repay(&mut *ctx.accounts.reserve.load_mut()?, amount, now_unix)
        .map_err(BallastError::from)?;
    let accounts = &*ctx.accounts;
    transfer_to_vault(
        &accounts.token_program,
        &accounts.source,
        &accounts.vault,
        &accounts.mint,
        accounts.mint.decimals,
        &accounts.user,
        amount.checked_add(fee).ok_or(BallastError::MathOverflow)?,
    )?;
    emit_event(FlashRepayEvent { reserve: accounts.reserve.key(), amount, fee });
    Ok(())
}
