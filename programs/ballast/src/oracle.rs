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
use anchor_lang::AccountDeserialize;
use ballast_math::OraclePrice;
use pyth_solana_receiver_sdk::price_update::{PriceUpdateV2, VerificationLevel};

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

/// Decodes a `PriceUpdateV2` and checks its feed and verification level.
pub fn parse_pull_price(data: &[u8], feed_id: &[u8; 32]) -> std::result::Result<OraclePrice, BallastError> {
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
