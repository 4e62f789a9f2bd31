//! Pyth price accounts, written exactly as the Pyth programs write them — for test banks
//! (`tests/`) and local nodes (`migrations/`, through the node's `ballast_setAccount`), where no
//! Pyth program posts prices. This is the writer; the readers are the program's parser
//! (`programs/ballast/src/oracle.rs`) and the wasm's (`crates/ballast-wasm/src/oracle.rs`).
//!
//! - Pull: a `PriceUpdateV2` serialized by the receiver SDK's own Anchor serialization
//!   (discriminator + borsh), as the receiver program would write it, owned by the receiver
//!   program ([`PYTH_RECEIVER_PROGRAM_ID`]), sized `PriceUpdateV2::LEN`.
//! - Legacy: the Pyth v2 `PriceAccount` as a `#[repr(C)]` struct mirroring pyth-sdk-solana's
//!   definition field for field, cast to its 3,312 bytes and owned by the Pyth oracle program
//!   ([`PYTH_LEGACY_PROGRAM_ID`]). It is laid out independently of the program's parser, so the
//!   parser's offsets are tested.

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountSerialize;
pub use ballast::oracle::{PYTH_LEGACY_PROGRAM_ID, PYTH_RECEIVER_PROGRAM_ID};
pub use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2};

/// Lamports a written price account holds (rent-exempt for either layout).
pub const PRICE_ACCOUNT_LAMPORTS: u64 = 10_000_000;

/// Byte offset of `publish_time` in a `PriceUpdateV2` account: discriminator (8) +
/// write_authority (32) + verification level (1, `Full`) + feed id (32) + price (8) + conf (8) +
/// exponent (4).
pub const PULL_PUBLISH_TIME_OFFSET: usize = 8 + 32 + 1 + 32 + 8 + 8 + 4;

/// Size of a `PriceUpdateV2` account.
pub const PULL_ACCOUNT_LEN: usize = PriceUpdateV2::LEN;

/// The write authority recorded in written pull updates (the program does not check it).
pub const FIXTURE_WRITE_AUTHORITY: Pubkey = Pubkey::new_from_array([7; 32]);

/// A price as a test or a local node sets it: `price * 10^exponent` USD (the oracle reading the
/// program validates, `ballast_math::OraclePrice`).
pub use ballast_math::OraclePrice as PythPrice;

/// Prices written in USD, for tests, demos and the local node.
pub trait PythPriceExt: Sized {
    /// `usd` with exponent -8, confidence 0.1%, EMA equal to spot.
    fn usd(usd: f64, publish_time: i64) -> Self {
        Self::from_usd(usd, -8, 10, None, publish_time)
    }

    /// `usd` (and `ema_usd`, default `usd`) as mantissas at `exponent`, with a confidence of
    /// `conf_bps` of each. `None` if a mantissa is not a positive i64.
    fn try_from_usd(usd: f64, exponent: i32, conf_bps: u16, ema_usd: Option<f64>, publish_time: i64) -> Option<Self>;

    /// As [`PythPriceExt::try_from_usd`]; panics on a price that does not fit.
    fn from_usd(usd: f64, exponent: i32, conf_bps: u16, ema_usd: Option<f64>, publish_time: i64) -> Self {
        Self::try_from_usd(usd, exponent, conf_bps, ema_usd, publish_time)
            .unwrap_or_else(|| panic!("price {usd} does not fit a positive i64 mantissa at exponent {exponent}"))
    }
}

impl PythPriceExt for PythPrice {
    fn try_from_usd(usd: f64, exponent: i32, conf_bps: u16, ema_usd: Option<f64>, publish_time: i64) -> Option<Self> {
        let mantissa = |v: f64| {
            let m = (v / 10f64.powi(exponent)).round();
            (m.is_finite() && m >= 1.0 && m < i64::MAX as f64).then_some(m as i64)
        };
        let price = mantissa(usd)?;
        let ema_price = mantissa(ema_usd.unwrap_or(usd))?;
        let conf = |m: i64| (m as u128 * conf_bps as u128 / 10_000) as u64;
        Some(PythPrice { price, conf: conf(price), ema_price, ema_conf: conf(ema_price), exponent, publish_time })
    }
}

/// The data of a `PriceUpdateV2` account for `feed_id` (owner: [`PYTH_RECEIVER_PROGRAM_ID`]).
pub fn pull_price_data(feed_id: [u8; 32], price: &PythPrice, verification_level: VerificationLevel) -> Vec<u8> {
    let update = PriceUpdateV2 {
        write_authority: FIXTURE_WRITE_AUTHORITY,
        verification_level,
        price_message: PriceFeedMessage {
            feed_id,
            price: price.price,
            conf: price.conf,
            exponent: price.exponent,
            publish_time: price.publish_time,
            prev_publish_time: price.publish_time - 1,
            ema_price: price.ema_price,
            ema_conf: price.ema_conf,
        },
        posted_slot: 1,
    };
    let mut data = Vec::with_capacity(PriceUpdateV2::LEN);
    update.try_serialize(&mut data).expect("serialize PriceUpdateV2");
    data.resize(PriceUpdateV2::LEN, 0);
    data
}

#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
struct Rational {
    val: i64,
    numer: i64,
    denom: i64,
}

#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
struct PriceInfo {
    price: i64,
    conf: u64,
    status: u32,
    corp_act: u32,
    pub_slot: u64,
}

#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
struct PriceComp {
    publisher: [u8; 32],
    agg: PriceInfo,
    latest: PriceInfo,
}

/// pyth-sdk-solana's `PriceAccount`, field for field.
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
struct LegacyPriceAccount {
    magic: u32,
    ver: u32,
    atype: u32,
    size: u32,
    ptype: u32,
    expo: i32,
    num: u32,
    num_qt: u32,
    last_slot: u64,
    valid_slot: u64,
    ema_price: Rational,
    ema_conf: Rational,
    timestamp: i64,
    min_pub: u8,
    drv2: u8,
    drv3: u16,
    drv4: u32,
    prod: [u8; 32],
    next: [u8; 32],
    prev_slot: u64,
    prev_price: i64,
    prev_conf: u64,
    prev_timestamp: i64,
    agg: PriceInfo,
    comp: [PriceComp; 32],
}

/// Legacy status values (pyth-sdk `PriceStatus`).
pub const LEGACY_STATUS_TRADING: u32 = 1;
pub const LEGACY_STATUS_HALTED: u32 = 2;

/// The raw bytes of a legacy price account in `status` (owner: [`PYTH_LEGACY_PROGRAM_ID`]).
pub fn legacy_price_bytes(price: &PythPrice, status: u32) -> Vec<u8> {
    assert_eq!(core::mem::size_of::<LegacyPriceAccount>(), 3312, "Pyth v2 price account size");
    let mut account: LegacyPriceAccount = bytemuck::Zeroable::zeroed();
    account.magic = 0xa1b2c3d4;
    account.ver = 2;
    account.atype = 3; // Price
    account.size = 3312;
    account.ptype = 1; // Price
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

    #[test]
    fn written_accounts_decode_with_the_programs_parsers() {
        let price = PythPrice::from_usd(80.5, -8, 10, Some(81.0), 1_700_000_000);
        assert_eq!(price.price, 8_050_000_000);
        assert_eq!(price.conf, 8_050_000);
        assert_eq!(price.ema_price, 8_100_000_000);
        let feed = [3u8; 32];
        let data = pull_price_data(feed, &price, VerificationLevel::Full);
        assert_eq!(data.len(), PULL_ACCOUNT_LEN);
        let parsed = ballast::oracle::parse_pull_price(&data, &feed).expect("pull parses");
        assert_eq!((parsed.price, parsed.conf, parsed.ema_price), (price.price, price.conf, price.ema_price));
        assert_eq!(parsed.publish_time, price.publish_time);
        let offset = PULL_PUBLISH_TIME_OFFSET;
        assert_eq!(i64::from_le_bytes(data[offset..offset + 8].try_into().unwrap()), price.publish_time);
        let legacy = ballast::oracle::parse_legacy_price(&legacy_price_bytes(&price, LEGACY_STATUS_TRADING))
            .expect("legacy parses");
        assert_eq!((legacy.price, legacy.exponent), (price.price, -8));
        assert!(PythPrice::try_from_usd(-1.0, -8, 10, None, 0).is_none());
    }
}
