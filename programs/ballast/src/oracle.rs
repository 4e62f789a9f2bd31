//! The one oracle module: both Pyth formats behind `read_price`.
//!
//! - Pull: `PriceUpdateV2`, owned by the Pyth receiver program, decoded with
//!   `pyth-solana-receiver-sdk`. Checked: owner, discriminator, feed id, Full verification.
//! - Legacy: the Pyth v2 price account. `pyth-sdk-solana` does not build against solana 3.x
//!   (its borsh 0.10 derives need `Pubkey: borsh 0.10`), so its fixed layout is read here,
//!   field by field at the same offsets. Checked: owner, magic, version, account type, price type,
//!   Trading status.
//!
//! Age, sign and confidence are checked afterwards by `ballast_math::OraclePrice`, the same code
//! the client uses.

use anchor_lang::prelude::*;
#[cfg(test)]
use anchor_lang::AccountDeserialize;
use anchor_lang::Discriminator;
use ballast_math::OraclePrice;
use pyth_solana_receiver_sdk::price_update::PriceUpdateV2;
#[cfg(test)]
use pyth_solana_receiver_sdk::price_update::VerificationLevel;

use crate::errors::BallastError;
use crate::state::{OracleConfig, OracleKind};

/// The Pyth receiver program that owns `PriceUpdateV2` accounts.
pub const PYTH_RECEIVER_PROGRAM_ID: Pubkey = pyth_solana_receiver_sdk::ID;
/// The Pyth oracle program that owns legacy price accounts (Solana mainnet).
pub const PYTH_LEGACY_PROGRAM_ID: Pubkey = pubkey!("FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2uFH");

/// Legacy price account layout (Pyth v2 `PriceAccount`, `#[repr(C)]`, little endian).
pub mod legacy_layout {
    pub const MAGIC: u32 = 0xa1b2c3d4;
    pub const VERSION: u32 = 2;
    pub const ACCOUNT_TYPE_PRICE: u32 = 3;
    pub const PRICE_TYPE_PRICE: u32 = 1;
    pub const STATUS_TRADING: u32 = 1;
    /// Size of the full account (header, aggregate and 32 publisher components).
    pub const ACCOUNT_SIZE: usize = 3312;

    pub const MAGIC_OFFSET: usize = 0;
    pub const VERSION_OFFSET: usize = 4;
    pub const ACCOUNT_TYPE_OFFSET: usize = 8;
    pub const PRICE_TYPE_OFFSET: usize = 16;
    pub const EXPONENT_OFFSET: usize = 20;
    pub const EMA_PRICE_OFFSET: usize = 48; // Rational { val, numer, denom }: val first
    pub const EMA_CONF_OFFSET: usize = 72;
    pub const TIMESTAMP_OFFSET: usize = 96;
    pub const AGG_PRICE_OFFSET: usize = 208;
    pub const AGG_CONF_OFFSET: usize = 216;
    pub const AGG_STATUS_OFFSET: usize = 224;
    pub const AGG_PUB_SLOT_OFFSET: usize = 232;
}

fn read<const N: usize>(data: &[u8], offset: usize) -> [u8; N] {
    data[offset..offset + N].try_into().expect("length checked by caller")
}

/// Decodes a legacy Pyth price account.
pub fn parse_legacy_price(data: &[u8]) -> std::result::Result<OraclePrice, BallastError> {
    use legacy_layout::*;
    if data.len() < ACCOUNT_SIZE
        || u32::from_le_bytes(read(data, MAGIC_OFFSET)) != MAGIC
        || u32::from_le_bytes(read(data, VERSION_OFFSET)) != VERSION
        || u32::from_le_bytes(read(data, ACCOUNT_TYPE_OFFSET)) != ACCOUNT_TYPE_PRICE
        || u32::from_le_bytes(read(data, PRICE_TYPE_OFFSET)) != PRICE_TYPE_PRICE
    {
        return Err(BallastError::OracleInvalidData);
    }
    if u32::from_le_bytes(read(data, AGG_STATUS_OFFSET)) != STATUS_TRADING {
        return Err(BallastError::OracleNotTrading);
    }
    let ema_conf = i64::from_le_bytes(read(data, EMA_CONF_OFFSET));
    Ok(OraclePrice {
        price: i64::from_le_bytes(read(data, AGG_PRICE_OFFSET)),
        conf: u64::from_le_bytes(read(data, AGG_CONF_OFFSET)),
        ema_price: i64::from_le_bytes(read(data, EMA_PRICE_OFFSET)),
        ema_conf: u64::try_from(ema_conf).map_err(|_| BallastError::OracleInvalidData)?,
        exponent: i32::from_le_bytes(read(data, EXPONENT_OFFSET)),
        publish_time: i64::from_le_bytes(read(data, TIMESTAMP_OFFSET)),
    })
}

/// `PriceUpdateV2` layout (Anchor discriminator, then borsh): `write_authority` (32 bytes),
/// `verification_level` (a borsh enum: tag 0 `Partial { num_signatures: u8 }`, tag 1 `Full`),
/// `price_message` (`PriceFeedMessage`, 84 bytes), `posted_slot` (u64).
pub mod pull_layout {
    pub const VERIFICATION_LEVEL_OFFSET: usize = 8 + 32;
    pub const TAG_PARTIAL: u8 = 0;
    pub const TAG_FULL: u8 = 1;
    /// Offsets inside `PriceFeedMessage`.
    pub const FEED_ID: usize = 0;
    pub const PRICE: usize = 32;
    pub const CONF: usize = 40;
    pub const EXPONENT: usize = 48;
    pub const PUBLISH_TIME: usize = 52;
    pub const EMA_PRICE: usize = 68;
    pub const EMA_CONF: usize = 76;
    pub const MESSAGE_LEN: usize = 84;
    pub const POSTED_SLOT_LEN: usize = 8;
}

/// Decodes a `PriceUpdateV2` and checks its feed and verification level.
///
/// The fields are read at their borsh offsets instead of deserialising the whole struct, with the
/// same outcome as `PriceUpdateV2::try_deserialize` (pinned by a test against the SDK's decoder):
/// a short account, a wrong discriminator or an unknown verification tag is
/// `OracleInvalidData`; a decodable `Partial` update is `OracleNotFullyVerified`.
pub fn parse_pull_price(data: &[u8], feed_id: &[u8; 32]) -> std::result::Result<OraclePrice, BallastError> {
    use pull_layout::*;
    let discriminator = PriceUpdateV2::DISCRIMINATOR;
    if data.len() <= VERIFICATION_LEVEL_OFFSET || data[..discriminator.len()] != *discriminator {
        return Err(BallastError::OracleInvalidData);
    }
    let tag = data[VERIFICATION_LEVEL_OFFSET];
    let message_offset = match tag {
        TAG_PARTIAL => VERIFICATION_LEVEL_OFFSET + 2,
        TAG_FULL => VERIFICATION_LEVEL_OFFSET + 1,
        _ => return Err(BallastError::OracleInvalidData),
    };
    if data.len() < message_offset + MESSAGE_LEN + POSTED_SLOT_LEN {
        return Err(BallastError::OracleInvalidData);
    }
    if tag != TAG_FULL {
        return Err(BallastError::OracleNotFullyVerified);
    }
    let message = &data[message_offset..message_offset + MESSAGE_LEN];
    if message[FEED_ID..FEED_ID + 32] != feed_id[..] {
        return Err(BallastError::OracleWrongFeed);
    }
    Ok(OraclePrice {
        price: i64::from_le_bytes(read(message, PRICE)),
        conf: u64::from_le_bytes(read(message, CONF)),
        ema_price: i64::from_le_bytes(read(message, EMA_PRICE)),
        ema_conf: u64::from_le_bytes(read(message, EMA_CONF)),
        exponent: i32::from_le_bytes(read(message, EXPONENT)),
        publish_time: i64::from_le_bytes(read(message, PUBLISH_TIME)),
    })
}

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
/// the reserve's pinned oracle and is owned by the Pyth program of its format. The program and
/// the client crate both call this.
pub fn price_from_account_data(
    key: &Pubkey,
    owner: &Pubkey,
    data: &[u8],
    config: &OracleConfig,
) -> std::result::Result<OraclePrice, BallastError> {
    if *key != config.oracle_account {
        return Err(BallastError::OracleAccountMismatch);
    }
    let kind = OracleKind::from_u8(config.kind).ok_or(BallastError::OracleKindUnsupported)?;
    let expected_owner = match kind {
        OracleKind::PythPull => PYTH_RECEIVER_PROGRAM_ID,
        OracleKind::PythLegacy => PYTH_LEGACY_PROGRAM_ID,
    };
    if *owner != expected_owner {
        return Err(BallastError::OracleWrongOwner);
    }
    match kind {
        OracleKind::PythPull => parse_pull_price(data, &config.feed_id),
        OracleKind::PythLegacy => parse_legacy_price(data),
    }
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
        let (fast, reference) = (parse_pull_price(data, feed), parse_pull_price_reference(data, feed));
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
