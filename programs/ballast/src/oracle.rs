//! The one oracle module: both Pyth formats behind `read_price`. The parsers live in
//! `ballast_interface::pyth` (every client runs the same code); the pull parser is pinned here
//! against the Pyth receiver SDK's own decoder.
//!
//! - Pull: `PriceUpdateV2`, owned by the Pyth receiver program. Checked: owner, discriminator,
//!   feed id, Full verification.
//! - Legacy: the Pyth v2 price account. `pyth-sdk-solana` does not build against solana 3.x
//!   (its borsh 0.10 derives need `Pubkey: borsh 0.10`), so its fixed layout is read field by
//!   field. Checked: owner, magic, version, account type, price type, Trading status.
//!
//! Age, sign and confidence are checked afterwards by `ballast_math::OraclePrice`, the same code
//! the client uses.

use anchor_lang::prelude::*;
#[cfg(test)]
use anchor_lang::AccountDeserialize;
use ballast_math::OraclePrice;
#[cfg(test)]
use pyth_solana_receiver_sdk::price_update::{PriceUpdateV2, VerificationLevel};

pub use ballast_interface::pyth::{legacy_layout, parse_legacy_price, parse_pull_price, pull_layout};

use crate::errors::BallastError;
use crate::state::OracleConfig;

/// The Pyth receiver program that owns `PriceUpdateV2` accounts.
pub const PYTH_RECEIVER_PROGRAM_ID: Pubkey = Pubkey::new_from_array(ballast_interface::ids::PYTH_RECEIVER_PROGRAM_ID);
/// The Pyth push oracle program, whose PDAs are the push feeds a reserve may pin.
pub const PYTH_PUSH_ORACLE_ID: Pubkey = Pubkey::new_from_array(ballast_interface::ids::PYTH_PUSH_ORACLE_ID);

/// Pull reserves pin the push feed of their feed id on the sponsored shard: an account only the
/// push oracle writes, whose price only moves forward. Checked where the oracle is pinned.
pub fn require_push_feed(oracle: &Pubkey, feed_id: &[u8; 32]) -> std::result::Result<(), BallastError> {
    let shard = ballast_interface::ids::PUSH_FEED_SHARD_ID.to_le_bytes();
    let seeds = ballast_interface::ids::push_feed_seeds(&shard, feed_id);
    let (push_feed, _) = Pubkey::find_program_address(&seeds, &PYTH_PUSH_ORACLE_ID);
    if *oracle != push_feed {
        return Err(BallastError::OracleNotPushFeed);
    }
    Ok(())
}

/// The Pyth oracle program that owns legacy price accounts (Solana mainnet).
pub const PYTH_LEGACY_PROGRAM_ID: Pubkey = Pubkey::new_from_array(ballast_interface::ids::PYTH_LEGACY_PROGRAM_ID);

/// The original decoder (the SDK's borsh deserialisation), kept as the reference
/// `parse_pull_price` is tested against.
#[cfg(test)]
fn parse_pull_price_reference(data: &[u8], feed_id: &[u8; 32]) -> std::result::Result<OraclePrice, BallastError> {
    let update = PriceUpdateV2::try_deserialize(&mut &data[..]).map_err(|_| BallastError::OracleInvalidData)?;
    if update.verification_level != VerificationLevel::Full {
        return Err(BallastError::OracleNotFullyVerified);
    }
    let message = &update.price_message;
    if message.feed_id != *feed_id {
        return Err(BallastError::OracleWrongFeed);
    }
    Ok(OraclePrice {
        price: message.price,
        conf: message.conf,
        ema_price: message.ema_price,
        ema_conf: message.ema_conf,
        exponent: message.exponent,
        publish_time: message.publish_time,
    })
}

/// Decodes the price in an oracle account's `data`, checking that the account (`key`, `owner`) is
/// the reserve's pinned oracle and is owned by the Pyth program of its format.
pub fn price_from_account_data(
    key: &Pubkey,
    owner: &Pubkey,
    data: &[u8],
    config: &OracleConfig,
) -> std::result::Result<OraclePrice, BallastError> {
    Ok(ballast_interface::pyth::price_from_account_data(
        key.as_array(),
        owner.as_array(),
        data,
        config.oracle_account.as_array(),
        config.kind,
        &config.feed_id,
    )?)
}

/// Reads the price from `account`, which must be the reserve's pinned oracle.
pub fn read_price(account: &AccountInfo, config: &OracleConfig) -> Result<OraclePrice> {
    let data = account.try_borrow_data()?;
    Ok(price_from_account_data(account.key, account.owner, &data, config)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::AccountSerialize;
    use pyth_solana_receiver_sdk::price_update::PriceFeedMessage;

    fn update(level: VerificationLevel) -> Vec<u8> {
        let update = PriceUpdateV2 {
            write_authority: Pubkey::new_from_array([7; 32]),
            verification_level: level,
            price_message: PriceFeedMessage {
                feed_id: [3; 32],
                price: -1_234_567_890_123,
                conf: 987_654_321,
                exponent: -8,
                publish_time: 1_700_000_123,
                prev_publish_time: 1_700_000_100,
                ema_price: 1_111_222_333_444,
                ema_conf: 555_666_777,
            },
            posted_slot: 42,
        };
        let mut data = Vec::new();
        update.try_serialize(&mut data).unwrap();
        data
    }

    fn same(data: &[u8], feed: &[u8; 32]) {
        let fast = parse_pull_price(data, feed).map_err(BallastError::from);
        let reference = parse_pull_price_reference(data, feed);
        assert_eq!(format!("{fast:?}"), format!("{reference:?}"), "data {data:?}");
    }

    /// The fixed-offset decoder agrees with the SDK's borsh decoder on valid updates, every
    /// truncation, every verification tag, a wrong discriminator, a wrong feed and trailing bytes.
    #[test]
    fn pull_parser_matches_the_sdk() {
        for level in [VerificationLevel::Full, VerificationLevel::Partial { num_signatures: 5 }] {
            let data = update(level);
            for feed in [[3u8; 32], [4u8; 32]] {
                same(&data, &feed);
                for len in 0..data.len() {
                    same(&data[..len], &feed);
                }
                let mut longer = data.clone();
                longer.extend_from_slice(&[9; 40]);
                same(&longer, &feed);
                for tag in 0..=255u8 {
                    let mut tagged = data.clone();
                    tagged[pull_layout::VERIFICATION_LEVEL_OFFSET] = tag;
                    same(&tagged, &feed);
                    same(&tagged[..tagged.len() - 1], &feed);
                }
                for byte in 0..8 {
                    let mut wrong = data.clone();
                    wrong[byte] ^= 1;
                    same(&wrong, &feed);
                }
            }
        }
        assert!(parse_pull_price(&update(VerificationLevel::Full), &[3; 32]).is_ok());
    }
}
