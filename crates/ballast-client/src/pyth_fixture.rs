//! Pyth price accounts, written exactly as the Pyth programs write them — for test banks
//! (`tests/`) and local nodes (`migrations/`, through the node's `surfnet_setAccount`), where no
//! Pyth program posts prices. The writers and the parsers both live in `ballast_interface::pyth`;
//! this module gives them the client's key and price types, and pins the pull writer to the
//! receiver SDK's own serialization.
//!
//! - Pull: a `PriceUpdateV2` (discriminator + borsh), owned by the receiver program
//!   ([`PYTH_RECEIVER_PROGRAM_ID`]), sized `PriceUpdateV2::LEN`.
//! - Legacy: the Pyth v2 `PriceAccount` (`ballast_interface::pyth::LegacyPriceAccount`, field
//!   for field pyth-sdk-solana's), 3,312 bytes, owned by the Pyth oracle program
//!   ([`PYTH_LEGACY_PROGRAM_ID`]).

pub use ballast::oracle::{PYTH_LEGACY_PROGRAM_ID, PYTH_RECEIVER_PROGRAM_ID};
use ballast_interface::pyth;
pub use ballast_interface::pyth::legacy_layout::{
    STATUS_HALTED as LEGACY_STATUS_HALTED, STATUS_TRADING as LEGACY_STATUS_TRADING,
};
use pyth_solana_receiver_sdk::price_update::PriceUpdateV2;
pub use pyth_solana_receiver_sdk::price_update::VerificationLevel;

/// Lamports a written price account holds (rent-exempt for either layout).
pub const PRICE_ACCOUNT_LAMPORTS: u64 = 10_000_000;

/// Byte offset of `publish_time` in a `PriceUpdateV2` account: discriminator (8) +
/// write_authority (32) + verification level (1, `Full`) + feed id (32) + price (8) + conf (8) +
/// exponent (4).
pub const PULL_PUBLISH_TIME_OFFSET: usize = 8 + 32 + 1 + 32 + 8 + 8 + 4;

/// Size of a `PriceUpdateV2` account.
pub const PULL_ACCOUNT_LEN: usize = PriceUpdateV2::LEN;

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

/// The data of the push feed for `feed_id` (the account at [`crate::pda::push_feed`], its own
/// write authority) at `price`.
pub fn pull_price_data(feed_id: [u8; 32], price: &PythPrice, verification_level: VerificationLevel) -> Vec<u8> {
    let partial_signatures = match verification_level {
        VerificationLevel::Partial { num_signatures } => Some(num_signatures),
        VerificationLevel::Full => None,
    };
    pyth::pull_price_data(crate::pda::push_feed(&feed_id).to_bytes(), feed_id, price, partial_signatures)
}

/// A legacy price account's data with the aggregate `price` at `status`.
pub fn legacy_price_bytes(price: &PythPrice, status: u32) -> Vec<u8> {
    pyth::legacy_price_data(price, status)
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

    /// The interface's pull writer gives the receiver SDK's own bytes, at both levels.
    #[test]
    fn pull_writer_is_the_sdks_serialization() {
        use anchor_lang::AccountSerialize;
        use pyth_solana_receiver_sdk::price_update::PriceFeedMessage;
        let price = PythPrice::from_usd(80.5, -8, 10, Some(81.0), 1_700_000_000);
        for level in [VerificationLevel::Full, VerificationLevel::Partial { num_signatures: 5 }] {
            let update = PriceUpdateV2 {
                write_authority: crate::pda::push_feed(&[3; 32]),
                verification_level: level,
                price_message: PriceFeedMessage {
                    feed_id: [3; 32],
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
            let mut sdk = Vec::new();
            update.try_serialize(&mut sdk).unwrap();
            sdk.resize(PriceUpdateV2::LEN, 0);
            assert_eq!(pull_price_data([3; 32], &price, level), sdk);
        }
    }
}
