//! The sBPF build's entrypoint (feature `sbf-entrypoint`, which `scripts/build-sbf` turns on):
//! Anchor's `entry` behind an entrypoint that deserialises the accounts into a fixed array on the
//! stack instead of a `Vec` (the approach of `solana_program_entrypoint::entrypoint_no_alloc!`,
//! whose macro cannot call Anchor's `entry`: it needs one lifetime for the program id, the
//! accounts and the data). About 60 CU less per account (118 per health position, measured with
//! `scripts/build-sbf --run`), drop glue included: the accounts are never dropped.
//!
//! At most `MAX_ACCOUNTS` accounts: a 16-position liquidation passes 46. More aborts the
//! instruction (`deserialize_into` panics), as no instruction of this program takes that many.

use std::mem::MaybeUninit;

use anchor_lang::solana_program::account_info::AccountInfo;
use anchor_lang::solana_program::entrypoint::{deserialize_into, SUCCESS};

const MAX_ACCOUNTS: usize = 64;

/// # Safety
/// Called by the runtime with its serialised input buffer.
#[no_mangle]
pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
    #[allow(clippy::declare_interior_mutable_const)] // only copied into the array below
    const UNINIT: MaybeUninit<AccountInfo> = MaybeUninit::uninit();
    let mut accounts = [UNINIT; MAX_ACCOUNTS];
    // SAFETY: the runtime's input buffer, as `entrypoint!` reads it.
    let (program_id, count, data) = unsafe { deserialize_into(input, &mut accounts) };
    // SAFETY: `deserialize_into` initialised the first `count` entries.
    let accounts = unsafe { std::slice::from_raw_parts(accounts.as_ptr() as *const AccountInfo, count) };
    run(program_id, accounts, data)
}

/// Anchor's dispatch, in its own stack frame (the account array fills most of the entrypoint's).
#[inline(never)]
fn run<'info>(
    program_id: &'info anchor_lang::prelude::Pubkey,
    accounts: &'info [AccountInfo<'info>],
    data: &'info [u8],
) -> u64 {
    match crate::entry(program_id, accounts, data) {
        Ok(()) => SUCCESS,
        Err(error) => error.into(),
    }
}

anchor_lang::solana_program::entrypoint::custom_heap_default!();
anchor_lang::solana_program::entrypoint::custom_panic_default!();
