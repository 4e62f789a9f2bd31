//! Both Pyth account formats: the parsers the program runs (and every client with it), and the
//! writers tests and runners use to put real price accounts on a chain.
//!
//! - Pull: `PriceUpdateV2`, an Anchor account of the Pyth receiver program: discriminator, then
//!   borsh `write_authority` (32 bytes), `verification_level` (tag 0 `Partial { num_signatures:
//!   u8 }`, tag 1 `Full`), `price_message` (`PriceFeedMessage`, 84 bytes), `posted_slot` (u64).
//! - Legacy: the Pyth v2 price account (`#[repr(C)]`, 3,312 bytes), [`LegacyPriceAccount`].
//!
//! Age, sign and confidence are checked afterwards by `ballast_math::OraclePrice`.

use alloc::vec::Vec;
use ballast_engine::Error;
use ballast_math::OraclePrice;

use crate::ids::{account_discriminator, PYTH_LEGACY_PROGRAM_ID, PYTH_RECEIVER_PROGRAM_ID};

/// Which Pyth format a reserve reads (`OracleConfig::kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum OracleKind {
    /// `PriceUpdateV2` owned by the Pyth receiver program (pull oracle). New markets use this.
    PythPull = 1,
    /// The legacy Pyth v2 price account (push oracle).
    PythLegacy = 2,
}

impl OracleKind {
    pub fn from_u8(value: u8) -> Option<OracleKind> {
        match value {
            1 => Some(OracleKind::PythPull),
            2 => Some(OracleKind::PythLegacy),
            _ => None,
        }
    }

    /// The program that owns price accounts of this format.
    pub fn owner(self) -> [u8; 32] {
        match self {
            OracleKind::PythPull => PYTH_RECEIVER_PROGRAM_ID,
            OracleKind::PythLegacy => PYTH_LEGACY_PROGRAM_ID,
        }
    }
}

/// Offsets of the pull format.
pub mod pull_layout {
    pub const WRITE_AUTHORITY: usize = 8;
    pub const VERIFICATION_LEVEL_OFFSET: usize = 8 + 32;
    pub const TAG_PARTIAL: u8 = 0;
    pub const TAG_FULL: u8 = 1;
    /// Offsets inside `PriceFeedMessage`.
    pub const FEED_ID: usize = 0;
    pub const PRICE: usize = 32;
    pub const CONF: usize = 40;
    pub const EXPONENT: usize = 48;
    pub const PUBLISH_TIME: usize = 52;
    pub const PREV_PUBLISH_TIME: usize = 60;
    pub const EMA_PRICE: usize = 68;
    pub const EMA_CONF: usize = 76;
    pub const MESSAGE_LEN: usize = 84;
    pub const POSTED_SLOT_LEN: usize = 8;
    /// `PriceUpdateV2::LEN`: the SDK sizes the account for the longer (`Partial`) level.
    pub const ACCOUNT_LEN: usize = VERIFICATION_LEVEL_OFFSET + 2 + MESSAGE_LEN + POSTED_SLOT_LEN;
}

/// Offsets and constants of the legacy format (fields of [`LegacyPriceAccount`]).
pub mod legacy_layout {
    pub const MAGIC: u32 = 0xa1b2c3d4;
    pub const VERSION: u32 = 2;
    pub const ACCOUNT_TYPE_PRICE: u32 = 3;
    pub const PRICE_TYPE_PRICE: u32 = 1;
    pub const STATUS_TRADING: u32 = 1;
    pub const STATUS_HALTED: u32 = 2;
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
}

fn read<const N: usize>(data: &[u8], offset: usize) -> [u8; N] {
    data[offset..offset + N].try_into().expect("length checked by caller")
}

/// Decodes a legacy Pyth price account (magic, version, account type, price type, Trading).
pub fn parse_legacy_price(data: &[u8]) -> Result<OraclePrice, Error> {
    use legacy_layout::*;
    if data.len() < ACCOUNT_SIZE
        || u32::from_le_bytes(read(data, MAGIC_OFFSET)) != MAGIC
        || u32::from_le_bytes(read(data, VERSION_OFFSET)) != VERSION
        || u32::from_le_bytes(read(data, ACCOUNT_TYPE_OFFSET)) != ACCOUNT_TYPE_PRICE
        || u32::from_le_bytes(read(data, PRICE_TYPE_OFFSET)) != PRICE_TYPE_PRICE
    {
        return Err(Error::OracleInvalidData);
    }
    if u32::from_le_bytes(read(data, AGG_STATUS_OFFSET)) != STATUS_TRADING {
        return Err(Error::OracleNotTrading);
    }
    let ema_conf = i64::from_le_bytes(read(data, EMA_CONF_OFFSET));
    Ok(OraclePrice {
        price: i64::from_le_bytes(read(data, AGG_PRICE_OFFSET)),
        conf: u64::from_le_bytes(read(data, AGG_CONF_OFFSET)),
        ema_price: i64::from_le_bytes(read(data, EMA_PRICE_OFFSET)),
        ema_conf: u64::try_from(ema_conf).map_err(|_| Error::OracleInvalidData)?,
        exponent: i32::from_le_bytes(read(data, EXPONENT_OFFSET)),
        publish_time: i64::from_le_bytes(read(data, TIMESTAMP_OFFSET)),
    })
}

/// Decodes a `PriceUpdateV2` and checks its feed and verification level.
///
/// The fields are read at their borsh offsets instead of deserialising the whole struct, with the
/// same outcome as the SDK's `PriceUpdateV2::try_deserialize` (the program pins this with a test
/// against the SDK's decoder): a short account, a wrong discriminator or an unknown verification
/// tag is `OracleInvalidData`; a decodable `Partial` update is `OracleNotFullyVerified`.
pub fn parse_pull_price(data: &[u8], feed_id: &[u8; 32]) -> Result<OraclePrice, Error> {
    use pull_layout::*;
    let discriminator = account_discriminator::PRICE_UPDATE_V2;
    if data.len() <= VERIFICATION_LEVEL_OFFSET || data[..discriminator.len()] != discriminator {
        return Err(Error::OracleInvalidData);
    }
    let tag = data[VERIFICATION_LEVEL_OFFSET];
    let message_offset = match tag {
        TAG_PARTIAL => VERIFICATION_LEVEL_OFFSET + 2,
        TAG_FULL => VERIFICATION_LEVEL_OFFSET + 1,
        _ => return Err(Error::OracleInvalidData),
    };
    if data.len() < message_offset + MESSAGE_LEN + POSTED_SLOT_LEN {
        return Err(Error::OracleInvalidData);
    }
    if tag != TAG_FULL {
        return Err(Error::OracleNotFullyVerified);
    }
    let message = &data[message_offset..message_offset + MESSAGE_LEN];
    if message[FEED_ID..FEED_ID + 32] != feed_id[..] {
        return Err(Error::OracleWrongFeed);
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

/// Decodes the price in an oracle account's `data`, checking that the account (`key`, `owner`) is
/// the reserve's pinned oracle (`oracle_account`, `kind`, `feed_id` from its `OracleConfig`) and
/// is owned by the Pyth program of its format. The program and every client call this.
pub fn price_from_account_data(
    key: &[u8; 32],
    owner: &[u8; 32],
    data: &[u8],
    oracle_account: &[u8; 32],
    kind: u8,
    feed_id: &[u8; 32],
) -> Result<OraclePrice, Error> {
    if key != oracle_account {
        return Err(Error::OracleAccountMismatch);
    }
    let kind = OracleKind::from_u8(kind).ok_or(Error::OracleKindUnsupported)?;
    if *owner != kind.owner() {
        return Err(Error::OracleWrongOwner);
    }
    match kind {
        OracleKind::PythPull => {
            let price = parse_pull_price(data, feed_id)?;
            // A push feed is its own write authority; an update posted by anyone else's key could
            // be rewritten by that key.
            if data[pull_layout::WRITE_AUTHORITY..pull_layout::VERIFICATION_LEVEL_OFFSET] != key[..] {
                return Err(Error::OracleNotPushFeed);
            }
            Ok(price)
        }
        OracleKind::PythLegacy => parse_legacy_price(data),
    }
}

/// A `PriceUpdateV2`'s account data as the receiver program writes it, `ACCOUNT_LEN` bytes
/// (`Full` updates leave one byte of slack at the end). `num_signatures: None` is `Full`. A push
/// feed's `write_authority` is its own address.
pub fn pull_price_data(
    write_authority: [u8; 32],
    feed_id: [u8; 32],
    price: &OraclePrice,
    partial_signatures: Option<u8>,
) -> Vec<u8> {
    let mut data = Vec::with_capacity(pull_layout::ACCOUNT_LEN);
    data.extend_from_slice(&account_discriminator::PRICE_UPDATE_V2);
    data.extend_from_slice(&write_authority);
    match partial_signatures {
        Some(n) => data.extend_from_slice(&[pull_layout::TAG_PARTIAL, n]),
        None => data.push(pull_layout::TAG_FULL),
    }
    data.extend_from_slice(&feed_id);
    data.extend_from_slice(&price.price.to_le_bytes());
    data.extend_from_slice(&price.conf.to_le_bytes());
    data.extend_from_slice(&price.exponent.to_le_bytes());
    data.extend_from_slice(&price.publish_time.to_le_bytes());
    data.extend_from_slice(&(price.publish_time - 1).to_le_bytes()); // prev_publish_time
    data.extend_from_slice(&price.ema_price.to_le_bytes());
    data.extend_from_slice(&price.ema_conf.to_le_bytes());
    data.extend_from_slice(&1u64.to_le_bytes()); // posted_slot
    data.resize(pull_layout::ACCOUNT_LEN, 0);
    data
}

#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct Rational {
    pub val: i64,
    pub numer: i64,
    pub denom: i64,
}

#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct PriceInfo {
    pub price: i64,
    pub conf: u64,
    pub status: u32,
    pub corp_act: u32,
    pub pub_slot: u64,
}

#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct PriceComponent {
    pub publisher: [u8; 32],
    pub agg: PriceInfo,
    pub latest: PriceInfo,
}

/// Pyth v2's `PriceAccount` (`pyth-sdk-solana`'s `SolanaPriceAccount`), field for field.
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct LegacyPriceAccount {
    pub magic: u32,
    pub ver: u32,
    pub atype: u32,
    pub size: u32,
    pub ptype: u32,
    pub expo: i32,
    pub num: u32,
    pub num_qt: u32,
    pub last_slot: u64,
    pub valid_slot: u64,
    pub ema_price: Rational,
    pub ema_conf: Rational,
    pub timestamp: i64,
    pub min_pub: u8,
    pub drv2: u8,
    pub drv3: u16,
    pub drv4: u32,
    pub prod: [u8; 32],
    pub next: [u8; 32],
    pub prev_slot: u64,
    pub prev_price: i64,
    pub prev_conf: u64,
    pub prev_timestamp: i64,
    pub agg: PriceInfo,
    pub comp: [PriceComponent; 32],
}

/// A legacy price account's data with the aggregate `price` at `status` (Trading is
/// [`legacy_layout::STATUS_TRADING`]), one publisher, EMA as given.
pub fn legacy_price_data(price: &OraclePrice, status: u32) -> Vec<u8> {
    let mut account: LegacyPriceAccount = bytemuck::Zeroable::zeroed();
    account.magic = legacy_layout::MAGIC;
    account.ver = legacy_layout::VERSION;
    account.atype = legacy_layout::ACCOUNT_TYPE_PRICE;
    account.size = legacy_layout::ACCOUNT_SIZE as u32;
    account.ptype = legacy_layout::PRICE_TYPE_PRICE;
    account.expo = price.exponent;
    account.num = 1;
    account.num_qt = 1;
    account.last_slot = 10;
    account.valid_slot = 10;
    account.ema_price = Rational { val: price.ema_price, numer: price.ema_price, denom: 1 };
    account.ema_conf = Rational { val: price.ema_conf as i64, numer: price.ema_conf as i64, denom: 1 };
    account.timestamp = price.publish_time;
    account.min_pub = 1;
    account.prev_slot = 9;
    account.prev_price = price.price;
    account.prev_conf = price.conf;
    account.prev_timestamp = price.publish_time - 1;
    account.agg = PriceInfo { price: price.price, conf: price.conf, status, corp_act: 0, pub_slot: 10 };
    bytemuck::bytes_of(&account).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::{offset_of, size_of};

    /// The parser's offsets are the fields of the layout the writer fills.
    #[test]
    fn legacy_offsets_are_the_layout() {
        use legacy_layout::*;
        assert_eq!(size_of::<LegacyPriceAccount>(), ACCOUNT_SIZE);
        assert_eq!(offset_of!(LegacyPriceAccount, ptype), PRICE_TYPE_OFFSET);
        assert_eq!(offset_of!(LegacyPriceAccount, expo), EXPONENT_OFFSET);
        assert_eq!(offset_of!(LegacyPriceAccount, ema_price), EMA_PRICE_OFFSET);
        assert_eq!(offset_of!(LegacyPriceAccount, ema_conf), EMA_CONF_OFFSET);
        assert_eq!(offset_of!(LegacyPriceAccount, timestamp), TIMESTAMP_OFFSET);
        assert_eq!(offset_of!(LegacyPriceAccount, agg), AGG_PRICE_OFFSET);
        assert_eq!(offset_of!(LegacyPriceAccount, agg) + offset_of!(PriceInfo, conf), AGG_CONF_OFFSET);
        assert_eq!(offset_of!(LegacyPriceAccount, agg) + offset_of!(PriceInfo, status), AGG_STATUS_OFFSET);
    }

    fn price() -> OraclePrice {
        OraclePrice {
            price: 150_00000000,
            conf: 1_000_000,
            ema_price: 149_00000000,
            ema_conf: 2_000_000,
            exponent: -8,
            publish_time: 1_700_000_000,
        }
    }

    #[test]
    fn written_accounts_parse_back() {
        let p = price();
        assert_eq!(parse_legacy_price(&legacy_price_data(&p, legacy_layout::STATUS_TRADING)), Ok(p));
        assert_eq!(
            parse_legacy_price(&legacy_price_data(&p, legacy_layout::STATUS_HALTED)),
            Err(Error::OracleNotTrading)
        );
        let feed = [3; 32];
        let full = pull_price_data([9; 32], feed, &p, None);
        assert_eq!(full.len(), pull_layout::ACCOUNT_LEN);
        assert_eq!(parse_pull_price(&full, &feed), Ok(p));
        assert_eq!(parse_pull_price(&full, &[4; 32]), Err(Error::OracleWrongFeed));
        assert_eq!(
            parse_pull_price(&pull_price_data([9; 32], feed, &p, Some(3)), &feed),
            Err(Error::OracleNotFullyVerified)
        );
    }

    #[test]
    fn the_account_must_be_the_pinned_oracle_owned_by_its_format() {
        let (key, feed) = ([9; 32], [3; 32]);
        let data = pull_price_data(key, feed, &price(), None);
        let read =
            |key: &[u8; 32], owner: &[u8; 32], kind| price_from_account_data(key, owner, &data, &[9; 32], kind, &feed);
        assert_eq!(read(&key, &PYTH_RECEIVER_PROGRAM_ID, 1), Ok(price()));
        assert_eq!(read(&[8; 32], &PYTH_RECEIVER_PROGRAM_ID, 1), Err(Error::OracleAccountMismatch));
        assert_eq!(read(&key, &PYTH_LEGACY_PROGRAM_ID, 1), Err(Error::OracleWrongOwner));
        assert_eq!(read(&key, &PYTH_RECEIVER_PROGRAM_ID, 3), Err(Error::OracleKindUnsupported));
        assert_eq!(read(&key, &PYTH_LEGACY_PROGRAM_ID, 2), Err(Error::OracleInvalidData));
    }

    #[test]
    fn a_pull_update_must_be_its_own_write_authority() {
        let (key, feed) = ([9; 32], [3; 32]);
        let posted_by_a_wallet = pull_price_data([5; 32], feed, &price(), None);
        assert_eq!(
            price_from_account_data(&key, &PYTH_RECEIVER_PROGRAM_ID, &posted_by_a_wallet, &key, 1, &feed),
            Err(Error::OracleNotPushFeed)
        );
    }
}
