//! Token movements in and out of reserve vaults, each followed by a check that the vault moved by
//! exactly the accounted amount (DESIGN.md, Guards).

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::errors::BallastError;
use crate::state::VAULT_AUTHORITY_SEED;

/// Moves `amount` from a user's account into `vault`, signed by `authority`.
pub fn transfer_to_vault<'info>(
    token_program: &Interface<'info, TokenInterface>,
    from: &InterfaceAccount<'info, TokenAccount>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    authority: &Signer<'info>,
    amount: u64,
) -> Result<()> {
    let before = vault.amount;
    let accounts = TransferChecked {
        from: from.to_account_info(),
        mint: mint.to_account_info(),
        to: vault.to_account_info(),
        authority: authority.to_account_info(),
    };
    token_interface::transfer_checked(CpiContext::new(token_program.key(), accounts), amount, mint.decimals)?;
    require_vault_moved(vault, before.checked_add(amount))
}

/// Moves `amount` from `vault` to a user's account, signed by the reserve's vault authority PDA.
#[allow(clippy::too_many_arguments)]
pub fn transfer_from_vault<'info>(
    token_program: &Interface<'info, TokenInterface>,
    vault: &mut InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    vault_authority: &AccountInfo<'info>,
    reserve: &Pubkey,
    vault_authority_bump: u8,
    amount: u64,
) -> Result<()> {
    let before = vault.amount;
    let seeds: &[&[u8]] = &[VAULT_AUTHORITY_SEED, reserve.as_ref(), &[vault_authority_bump]];
    let signer_seeds = &[seeds];
    let accounts = TransferChecked {
        from: vault.to_account_info(),
        mint: mint.to_account_info(),
        to: to.to_account_info(),
        authority: vault_authority.clone(),
    };
    token_interface::transfer_checked(
        CpiContext::new_with_signer(token_program.key(), accounts, signer_seeds),
        amount,
        mint.decimals,
    )?;
    require_vault_moved(vault, before.checked_sub(amount))
}

fn require_vault_moved(vault: &mut InterfaceAccount<TokenAccount>, expected: Option<u64>) -> Result<()> {
    vault.reload()?;
    let expected = expected.ok_or(BallastError::VaultBalanceMismatch)?;
    require_eq!(vault.amount, expected, BallastError::VaultBalanceMismatch);
    Ok(())
}
