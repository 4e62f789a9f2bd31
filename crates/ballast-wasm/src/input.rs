//! Inputs: the program's accounts as their raw bytes (base64, as `getAccountInfo` returns
//! them), decoded with `ballast-interface`'s layouts (the program's own declarations); the oracle
//! accounts' raw bytes; the chain clock. Nothing is pre-computed in TypeScript: every derived
//! number comes from the engine here.

use ballast_engine::OwnedReserve;
use ballast_interface::raw;
use ballast_math::Wad;
use base64::Engine as _;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use tsify::Tsify;

/// An integer given as a JSON number or a decimal string.
fn int_from<'de, D: Deserializer<'de>, T: core::str::FromStr + TryFrom<u64> + TryFrom<i64>>(
    d: D,
) -> Result<T, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Str(String),
        U(u64),
        I(i64),
    }
    match Raw::deserialize(d)? {
        Raw::Str(s) => s.trim().parse().map_err(|_| de::Error::custom(format!("not an integer: {s}"))),
        Raw::U(v) => T::try_from(v).map_err(|_| de::Error::custom("integer out of range")),
        Raw::I(v) => T::try_from(v).map_err(|_| de::Error::custom("integer out of range")),
    }
}

macro_rules! int_type {
    ($name:ident, $t:ty) => {
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name(pub $t);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                int_from::<D, $t>(d).map($name)
            }
        }
    };
}
int_type!(U64, u64);
int_type!(I64, i64);

pub fn base58(key: &[u8; 32]) -> String {
    bs58::encode(key).into_string()
}

/// A base58 key as bytes.
pub fn key_bytes(key: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    match bs58::decode(key.trim()).onto(&mut out[..]) {
        Ok(32) => Some(out),
        _ => None,
    }
}

fn base64_bytes<'de, D: Deserializer<'de>>(d: D, what: &str) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(d)?;
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| de::Error::custom(format!("{what}: not base64")))
}

fn decoded<E: de::Error, T>(what: &str, result: Result<T, raw::DecodeError>) -> Result<T, E> {
    result.map_err(|e| E::custom(format!("{what} account: {e:?}")))
}

/// One position, keyed by the reserve's base58 address.
#[derive(Clone, Debug)]
pub struct PositionIn {
    pub reserve: String,
    pub supply_shares: u64,
    pub debt_shares: Wad,
}

/// An `Obligation` account, from its data (base64).
#[derive(Clone, Debug)]
pub struct ObligationAccountIn {
    pub market: String,
    pub owner: String,
    /// The active positions, in slot order.
    pub positions: Vec<PositionIn>,
    pub margin_mode: ballast_engine::MarginMode,
    /// The Dutch auction's start (0: not running).
    pub liquidatable_since_ts: i64,
    /// Bit `i`: the deposit in slot `i` is not collateral.
    pub non_collateral_mask: u16,
}

impl<'de> Deserialize<'de> for ObligationAccountIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let account = decoded("obligation", raw::obligation_account(&base64_bytes(d, "obligation")?))?;
        let count = (account.position_count as usize).min(account.positions.len());
        Ok(ObligationAccountIn {
            market: base58(&account.market),
            owner: base58(&account.owner),
            positions: account.positions[..count]
                .iter()
                .map(|p| PositionIn {
                    reserve: base58(&p.reserve),
                    supply_shares: p.supply_shares,
                    debt_shares: p.debt_shares(),
                })
                .collect(),
            margin_mode: ballast_engine::Positions::margin_mode(&account),
            liquidatable_since_ts: account.liquidatable_since_ts,
            non_collateral_mask: ballast_engine::Positions::non_collateral_mask(&account),
        })
    }
}

/// The `Market` account, from its data (base64).
#[derive(Clone, Debug)]
pub struct MarketAccountIn(pub raw::Market);

impl<'de> Deserialize<'de> for MarketAccountIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        decoded("market", raw::market_account(&base64_bytes(d, "market")?)).map(MarketAccountIn)
    }
}

impl core::ops::Deref for MarketAccountIn {
    type Target = raw::Market;
    fn deref(&self) -> &raw::Market {
        &self.0
    }
}

/// A `Reserve` account, from its data (base64).
#[derive(Clone, Debug)]
pub struct ReserveAccountIn(pub raw::Reserve);

impl<'de> Deserialize<'de> for ReserveAccountIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        decoded("reserve", raw::reserve_account(&base64_bytes(d, "reserve")?)).map(ReserveAccountIn)
    }
}

/// An oracle account as fetched: its address, owner and data (base64).
#[derive(Deserialize, Tsify, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct OracleAccountIn {
    pub key: String,
    pub owner: String,
    /// base64
    pub data: String,
}

/// A price already decoded (both Pyth formats carry these fields); integers as decimal strings
/// or numbers.
#[derive(Deserialize, Tsify, Clone, Copy, Debug)]
#[serde(rename_all = "camelCase")]
pub struct RawPriceIn {
    #[tsify(type = "string | number")]
    pub price: I64,
    #[tsify(type = "string | number")]
    pub conf: U64,
    #[tsify(type = "string | number")]
    pub ema_price: I64,
    #[tsify(type = "string | number")]
    pub ema_conf: U64,
    pub exponent: i32,
    #[tsify(type = "string | number")]
    pub publish_time: I64,
}

impl RawPriceIn {
    pub fn to_price(self) -> ballast_math::OraclePrice {
        ballast_math::OraclePrice {
            price: self.price.0,
            conf: self.conf.0,
            ema_price: self.ema_price.0,
            ema_conf: self.ema_conf.0,
            exponent: self.exponent,
            publish_time: self.publish_time.0,
        }
    }
}

/// One reserve: its address, its account data, and its oracle (account bytes, or an already
/// decoded price).
#[derive(Deserialize, Tsify, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ReserveIn {
    pub key: String,
    /// The reserve account's data, base64.
    #[tsify(type = "string")]
    pub data: ReserveAccountIn,
    #[serde(default)]
    #[tsify(type = "OracleAccountIn | null", optional)]
    pub oracle: Option<OracleAccountIn>,
    #[serde(default)]
    #[tsify(type = "RawPriceIn | null", optional)]
    pub price: Option<RawPriceIn>,
}

/// A decoded reserve: the engine's `OwnedReserve` (which it derefs to), its address, mint and
/// market, and its oracle pin.
#[derive(Clone, Debug)]
pub struct DecodedReserve {
    pub key: String,
    pub mint: String,
    pub market: String,
    pub reserve: OwnedReserve,
    pub oracle: raw::OracleConfig,
}

impl core::ops::Deref for DecodedReserve {
    type Target = OwnedReserve;
    fn deref(&self) -> &OwnedReserve {
        &self.reserve
    }
}

impl ReserveIn {
    pub fn state(&self) -> DecodedReserve {
        let account = &self.data.0;
        DecodedReserve {
            key: self.key.clone(),
            mint: base58(&account.mint),
            market: base58(&account.market),
            reserve: OwnedReserve::copy_of(account),
            oracle: account.oracle,
        }
    }
}
