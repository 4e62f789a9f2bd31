use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::errors::BallastError;
use crate::events::TreasuryWithdrawEvent;
use crate::runtime::emit_event;
use crate::state::{Market, Reserve, VAULT_AUTHORITY_SEED};
use crate::token::transfer_from_vault;
use ballast_engine::operations::{self, TreasuryBalance};

/// The accounts of `withdraw_protocol_fees` and `withdraw_insurance`.
#[derive(Accounts)]
pub struct TreasuryWithdrawal<'info> {
    pub authority: Signer<'info>,
    #[account(has_one = authority @ BallastError::Unauthorized)]
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
    #[account(
        mut,
        token::mint = mint,
        constraint = destination.owner == market.fee_receiver() @ BallastError::FeeReceiverMismatch
    )]
    pub destination: InterfaceAccount<'info, TokenAccount>,
    pub token_program: Interface<'info, TokenInterface>,
}

/// Market authority only: pays `amount` (`u64::MAX`: all) of the reserve's accrued protocol fees
/// to a token account of the market's fee receiver.
pub fn handler(ctx: Context<TreasuryWithdrawal>, amount: u64) -> Result<()> {
    withdraw_balance(ctx, TreasuryBalance::ProtocolFees, amount)
}

/// Validate, take the balance (`operations::withdraw_treasury`), move the tokens, emit.
pub fn withdraw_balance(ctx: Context<TreasuryWithdrawal>, balance: TreasuryBalance, amount: u64) -> Result<()> {
    let now_unix = Clock::get()?.unix_timestamp;
    let reserve_key = ctx.accounts.reserve.key();
    let paid = operations::withdraw_treasury(&mut *ctx.accounts.reserve.load_mut()?, balance, amount, now_unix)
        .map_err(BallastError::from)?;
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
        paid,
    )?;
    emit_event(TreasuryWithdrawEvent {
        reserve: reserve_key,
        destination: accounts.destination.key(),
        insurance: balance == TreasuryBalance::Insurance,
        amount: paid,
    });
    Ok(())
}
