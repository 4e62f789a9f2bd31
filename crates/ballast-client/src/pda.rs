//! Program-derived addresses.

use anchor_lang::prelude::Pubkey;
use ballast_interface::ids::{
    push_feed_seeds, OBLIGATION_SEED, PUSH_FEED_SHARD_ID, PYTH_PUSH_ORACLE_ID, RESERVE_SEED, VAULT_AUTHORITY_SEED,
    VAULT_SEED,
};

pub fn reserve(market: &Pubkey, mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[RESERVE_SEED, market.as_ref(), mint.as_ref()], &ballast::ID).0
}

pub fn vault(reserve: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[VAULT_SEED, reserve.as_ref()], &ballast::ID).0
}

pub fn vault_authority(reserve: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[VAULT_AUTHORITY_SEED, reserve.as_ref()], &ballast::ID).0
}

pub fn obligation(market: &Pubkey, owner: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[OBLIGATION_SEED, market.as_ref(), owner.as_ref()], &ballast::ID).0
}

/// `owner`'s obligation number `id` in `market`: 0 is [`obligation`]'s, 1 to 255 are
/// `init_sub_obligation`'s.
pub fn obligation_with_id(market: &Pubkey, owner: &Pubkey, id: u8) -> Pubkey {
    if id == 0 {
        return obligation(market, owner);
    }
    Pubkey::find_program_address(&[OBLIGATION_SEED, market.as_ref(), owner.as_ref(), &[id]], &ballast::ID).0
}

/// The Pyth push feed for `feed_id` on the shard reserves pin (the only `PriceUpdateV2` account a
/// reserve accepts).
pub fn push_feed(feed_id: &[u8; 32]) -> Pubkey {
    let shard = PUSH_FEED_SHARD_ID.to_le_bytes();
    Pubkey::find_program_address(&push_feed_seeds(&shard, feed_id), &Pubkey::new_from_array(PYTH_PUSH_ORACLE_ID)).0
}

/// The associated token account program.
pub const ASSOCIATED_TOKEN_PROGRAM: Pubkey = Pubkey::from_str_const("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");

/// The wallet's associated token account for `mint` under `token_program` (SPL Token or
/// Token-2022).
pub fn associated_token_address(wallet: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[wallet.as_ref(), token_program.as_ref(), mint.as_ref()], &ASSOCIATED_TOKEN_PROGRAM).0
}
