//! Flash loans' check of the transaction (instruction introspection): a loan is only lent to a
//! top-level instruction whose transaction repays it, later, at the top level, to the same
//! reserve, for the same amount; before that repay no second flash loan of the reserve may open.

use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::get_stack_height;
use ballast_interface::ids::{instruction_discriminator as d, FLASH_RESERVE_ACCOUNT_INDEX};
use solana_instructions_sysvar::{load_current_index_checked, load_instruction_at_checked};

use crate::errors::BallastError;

/// The stack height of a transaction's own instructions (their CPIs run at 2 and deeper).
const TRANSACTION_LEVEL_STACK_HEIGHT: usize = 1;

/// Flash instructions run only at the top level: a program calling them by CPI could repay from
/// inside its own call, out of the transaction's view.
pub fn require_top_level() -> Result<()> {
    require!(get_stack_height() == TRANSACTION_LEVEL_STACK_HEIGHT, BallastError::FlashLoanCpi);
    Ok(())
}

/// Looks through the instructions after the current one for this reserve's next flash
/// instruction from Ballast: it must be a `flash_repay` of `amount` (`FlashRepayAmountMismatch`),
/// not another `flash_borrow` (`FlashLoanActive`); none at all is `FlashRepayMissing`.
pub fn require_repay_follows(instructions: &AccountInfo, reserve: &Pubkey, amount: u64) -> Result<()> {
    let current = load_current_index_checked(instructions)? as usize;
    let mut index = current + 1;
    while let Ok(ix) = load_instruction_at_checked(index, instructions) {
        index += 1;
        let for_reserve = ix.accounts.get(FLASH_RESERVE_ACCOUNT_INDEX).is_some_and(|meta| meta.pubkey == *reserve);
        if ix.program_id != crate::ID || !for_reserve || ix.data.len() < 8 {
            continue;
        }
        let discriminator: [u8; 8] = ix.data[..8].try_into().expect("8 bytes");
        if discriminator == d::FLASH_BORROW {
            return err!(BallastError::FlashLoanActive);
        }
        if discriminator == d::FLASH_REPAY {
            let repaid = ix.data.get(8..16).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
            require!(repaid == Some(amount), BallastError::FlashRepayAmountMismatch);
            return Ok(());
        }
    }
    err!(BallastError::FlashRepayMissing)
}
