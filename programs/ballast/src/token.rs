//! Token movements in and out of reserve vaults, each followed by a check that the vault moved by
//! exactly the accounted amount (DESIGN.md, Guards).

use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, Mint, TransferChecked};

use crate::errors::BallastError;
use crate::state::VAULT_AUTHORITY_SEED;

/// Moves `amount` from a user's account into `vault`, signed by `authority`. `mint` and
/// `decimals` are the reserve's; the token program checks that both accounts hold that mint.
pub fn transfer_to_vault<'info>(
    token_program: &impl ToAccountInfo<'info>,
    from: &impl ToAccountInfo<'info>,
    vault: &impl ToAccountInfo<'info>,
    mint: &impl ToAccountInfo<'info>,
    decimals: u8,
    authority: &impl ToAccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    let vault = vault.to_account_info();
    let before = token_amount(&vault)?;
    let accounts = TransferChecked {
        from: from.to_account_info(),
        mint: mint.to_account_info(),
        to: vault.clone(),
        authority: authority.to_account_info(),
    };
    token_interface::transfer_checked(
        CpiContext::new(token_program.to_account_info().key(), accounts),
        amount,
        decimals,
    )?;
    require_vault_moved(&vault, before.checked_add(amount))
}

/// Moves `amount` from `vault` to a user's account, signed by the reserve's vault authority PDA.
#[allow(clippy::too_many_arguments)]
pub fn transfer_from_vault<'info>(
    token_program: &impl ToAccountInfo<'info>,
    vault: &impl ToAccountInfo<'info>,
    to: &impl ToAccountInfo<'info>,
    mint: &impl ToAccountInfo<'info>,
    decimals: u8,
    vault_authority: &impl ToAccountInfo<'info>,
    reserve: &Pubkey,
    vault_authority_bump: u8,
    amount: u64,
) -> Result<()> {
    let vault = vault.to_account_info();
    let before = token_amount(&vault)?;
    let seeds: &[&[u8]] = &[VAULT_AUTHORITY_SEED, reserve.as_ref(), &[vault_authority_bump]];
    let signer_seeds = &[seeds];
    let accounts = TransferChecked {
        from: vault.clone(),
        mint: mint.to_account_info(),
        to: to.to_account_info(),
        authority: vault_authority.to_account_info(),
    };
    token_interface::transfer_checked(
        CpiContext::new_with_signer(token_program.to_account_info().key(), accounts, signer_seeds),
        amount,
        decimals,
    )?;
    require_vault_moved(&vault, before.checked_sub(amount))
}

/// Byte offset of `amount` in a token account: the same in SPL Token and Token-2022 (mint, owner,
/// then amount as little-endian u64).
const TOKEN_AMOUNT_OFFSET: usize = 64;

/// The balance of a vault (pinned by key to its reserve, so a token account of the reserve's
/// token program). Read in place: unpacking the whole account costs far more.
fn token_amount(vault: &AccountInfo) -> Result<u64> {
    let data = vault.try_borrow_data()?;
    let bytes = data.get(TOKEN_AMOUNT_OFFSET..TOKEN_AMOUNT_OFFSET + 8).ok_or(BallastError::VaultBalanceMismatch)?;
    Ok(u64::from_le_bytes(bytes.try_into().expect("8 bytes")))
}

fn require_vault_moved(vault: &AccountInfo, expected: Option<u64>) -> Result<()> {
    let expected = expected.ok_or(BallastError::VaultBalanceMismatch)?;
    require_eq!(token_amount(vault)?, expected, BallastError::VaultBalanceMismatch);
    Ok(())
}

/// Token-2022 mints are accepted only with extensions that cannot break the accounting (a
/// transfer moves exactly the amount asked, nobody else can move or freeze-by-default the vault's
/// tokens, the mint cannot be closed and re-created). An allow-list, so an extension added to
/// Token-2022 later is refused until reviewed. Plain SPL Token mints have no extensions.
pub fn require_supported_mint(mint: &InterfaceAccount<Mint>) -> Result<()> {
    use anchor_spl::token_2022::spl_token_2022::extension::{
        BaseStateWithExtensions, ExtensionType, StateWithExtensions,
    };
    use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;

    let info = mint.to_account_info();
    if *info.owner != anchor_spl::token_2022::ID {
        return Ok(());
    }
    let data = info.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data).map_err(|_| BallastError::MintExtensionNotAllowed)?;
    let extensions = state.get_extension_types().map_err(|_| BallastError::MintExtensionNotAllowed)?;
    let allowed = |extension: &ExtensionType| {
        matches!(
            extension,
            ExtensionType::MetadataPointer
                | ExtensionType::TokenMetadata
                | ExtensionType::GroupPointer
                | ExtensionType::TokenGroup
                | ExtensionType::GroupMemberPointer
                | ExtensionType::TokenGroupMember
        )
    };
    require!(extensions.iter().all(allowed), BallastError::MintExtensionNotAllowed);
    Ok(())
}
