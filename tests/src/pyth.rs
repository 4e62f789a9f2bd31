//! Pyth accounts for the test bank. The byte layouts live in one place,
//! `ballast_client::pyth_fixture` (shared with `migrations/`); this wraps them as accounts.

use anchor_lang::prelude::Pubkey;
pub use ballast_client::pyth_fixture::{legacy_price_bytes, PythPriceExt, LEGACY_STATUS_HALTED, LEGACY_STATUS_TRADING};
use ballast_client::pyth_fixture::{
    pull_price_data, PRICE_ACCOUNT_LAMPORTS, PYTH_LEGACY_PROGRAM_ID, PYTH_RECEIVER_PROGRAM_ID,
};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_account::Account;

/// A price as a test sets it: `price * 10^exponent` USD.
pub type TestPrice = ballast_client::pyth_fixture::PythPrice;

pub fn pull_price_account(feed_id: [u8; 32], price: &TestPrice, verification_level: VerificationLevel) -> Account {
    Account {
        lamports: PRICE_ACCOUNT_LAMPORTS,
        data: pull_price_data(feed_id, price, verification_level),
        owner: PYTH_RECEIVER_PROGRAM_ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// A `PriceUpdateV2` whose write authority is `write_authority`, as a wallet's own posted update
/// is (a push feed's is itself).
pub fn pull_price_account_written_by(write_authority: &Pubkey, feed_id: [u8; 32], price: &TestPrice) -> Account {
    Account {
        data: ballast_interface::pyth::pull_price_data(write_authority.to_bytes(), feed_id, price, None),
        ..pull_price_account(feed_id, price, VerificationLevel::Full)
    }
}

pub fn legacy_price_account(price: &TestPrice, status: u32) -> Account {
    Account {
        lamports: PRICE_ACCOUNT_LAMPORTS,
        data: legacy_price_bytes(price, status),
        owner: PYTH_LEGACY_PROGRAM_ID,
        executable: false,
        rent_epoch: 0,
    }
}
