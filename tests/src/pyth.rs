//! Pyth accounts, written exactly as the Pyth programs write them.
//!
//! - Pull: a `PriceUpdateV2` serialized by the receiver SDK's own Anchor serialization
//!   (discriminator + borsh), owned by the receiver program, sized `PriceUpdateV2::LEN`.
//! - Legacy: the Pyth v2 `PriceAccount` as a `#[repr(C)]` struct mirroring pyth-sdk-solana's
//!   definition field for field, cast to its 3,312 bytes and owned by the Pyth oracle program.
//!   It is laid out independently of the program's parser, so the parser's offsets are tested.

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountSerialize;
use ballast::oracle::{PYTH_LEGACY_PROGRAM_ID, PYTH_RECEIVER_PROGRAM_ID};
use pyth_solana_receiver_sdk::price_update::{PriceFeedMessage, PriceUpdateV2, VerificationLevel};
use solana_account::Account;

/// A price as a test sets it: `price * 10^exponent` USD.
#[derive(Clone, Copy, Debug)]
pub struct TestPrice {
    pub price: i64,
    pub conf: u64,
    pub ema_price: i64,
    pub ema_conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
}

impl TestPrice {
    /// `usd` with exponent -8, confidence 0.1%, EMA equal to spot.
    pub fn usd(usd: f64, publish_time: i64) -> TestPrice {
        let price = (usd * 1e8).round() as i64;
        TestPrice {
            price,
            conf: (price / 1_000) as u64,
            ema_price: price,
            ema_conf: (price / 1_000) as u64,
            exponent: -8,
            publish_time,
        }
    }
}

pub fn pull_price_account(feed_id: [u8; 32], price: &TestPrice, verification_level: VerificationLevel) -> Account {
    let update = PriceUpdateV2 {
        write_authority: Pubkey::new_unique(),
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
    Account { lamports: 10_000_000, data, owner: PYTH_RECEIVER_PROGRAM_ID, executable: false, rent_epoch: 0 }
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

/// The raw bytes of a legacy price account in `status`.
pub fn legacy_price_bytes(price: &TestPrice, status: u32) -> Vec<u8> {
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

pub fn legacy_price_account(price: &TestPrice, status: u32) -> Account {
    Account {
        lamports: 10_000_000,
        data: legacy_price_bytes(price, status),
        owner: PYTH_LEGACY_PROGRAM_ID,
        executable: false,
        rent_epoch: 0,
    }
}
