use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::BallastError;
use crate::events::FlashBorrowEvent;
use crate::flash::{require_repay_follows, require_top_level};
use crate::runtime::emit_event;
use crate::state::{Market, Reserve, VAULT_AUTHORITY_SEED};
use crate::token::transfer_from_vault;
use ballast_engine::operations;

#[derive(Accounts)]
pub struct FlashBorrow<'info> {
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
    /// CHECK: the vault's owner PDA; verified by its seeds and stored bump.
    #[account(seeds = [VAULT_AUTHORITY_SEED, reserve.key().as_ref()], bump = reserve.load()?.vault_authority_bump)]
    pub vault_authority: UncheckedAccount<'info>,
    #[account(mut, token::mint = mint)]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
    /// CHECK: the Instructions sysvar, checked by key when read.
    pub instructions: UncheckedAccount<'info>,
}

/// Lends `amount` until the `flash_repay` later in this transaction. Top level only; the repay
/// must follow (same reserve, same amount) before any second flash loan of the reserve. The
/// reserve's accounting does not change (`operations::flash_borrow`), so every instruction in
/// between sees the reserve as if nothing were lent: the vault only holds less, which can make a
/// transfer out of it fail but never pays anyone more. Not while the reserve is paused.
pub fn handler(ctx: Context<FlashBorrow>, amount: u64) -> Result<()> {
    require_top_level()?;
    let now_unix = Clock::get()?.unix_timestamp;
    let reserve_key = ctx.accounts.reserve.key();
    {
        let mut reserve = ctx.accounts.reserve.load_mut()?;
        operations::flash_borrow(&mut *reserve, amount, now_unix).map_err(BallastError::from)?;
    }
    require_repay_follows(&ctx.accounts.instructions, &reserve_key, amount)?;

    let accounts = &*ctx.accounts;
    transfer_from_vault(
        &accounts.token_program,
        &accounts.vault,
        &accounts.destination,
        &accounts.mint,
        accounts.mint.decimals,
        &accounts.vault_authority,
        &reserve_key,
        accounts.reserve.load()?.vault_authority_bump,
        amount,
    )?;
    emit_event(FlashBorrowEvent { reserve: reserve_key, amount });
    Ok(())
}
