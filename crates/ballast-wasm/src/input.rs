//! Inputs: the program's accounts as the dApp decodes them with Anchor's coder from the IDL
//! (field names in camelCase, 64- and 128-bit integers as decimal strings, `[u8; 16]` Wads as
//! byte arrays), the oracle accounts' raw bytes, and the chain clock. Nothing is pre-computed in
//! TypeScript: every derived number comes from `ballast-math` here.

use ballast_engine::{MarketState, OwnedReserve, ReserveStatus};
use ballast_math::{
    liquidation::LiquidationConfig, CurvePoint, InterestCurve, PriceLimits, ReserveAccounting, RiskConfig,
    RiskControls, Wad, MAX_CURVE_POINTS,
};
use serde::de::{self, Deserializer};
use serde::Deserialize;

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

/// A `u128` as a decimal string or number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct U128(pub u128);
impl<'de> Deserialize<'de> for U128 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Str(String),
            U(u64),
        }
        match Raw::deserialize(d)? {
            Raw::Str(s) => s.trim().parse().map(U128).map_err(|_| de::Error::custom(format!("not an integer: {s}"))),
            Raw::U(v) => Ok(U128(v as u128)),
        }
    }
}

/// A Wad stored on chain as 16 little-endian bytes (`WadBytes`), or given as a decimal string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WadIn(pub Wad);
impl<'de> Deserialize<'de> for WadIn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bytes([u8; 16]),
            Str(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bytes(b) => Ok(WadIn(Wad(u128::from_le_bytes(b)))),
            Raw::Str(s) => s.trim().parse().map(|v| WadIn(Wad(v))).map_err(|_| de::Error::custom("not a wad")),
        }
    }
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct OracleConfigIn {
    pub oracle_account: String,
    pub feed_id: Vec<u8>,
    pub max_age_secs: U64,
    pub max_confidence_bps: u16,
    pub kind: u8,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct RiskIn {
    pub supply_cap: U64,
    pub borrow_cap: U64,
    pub ltv_bps: u16,
    pub liquidation_threshold_bps: u16,
    pub borrow_factor_bps: u16,
    pub min_liquidation_bonus_bps: u16,
    pub max_liquidation_bonus_bps: u16,
    pub protocol_liquidation_fee_bps: u16,
    pub protocol_take_rate_bps: u16,
    pub insurance_take_rate_bps: u16,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct CurvePointIn {
    pub borrow_rate_bps: u32,
    pub utilization_bps: u16,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct CurveIn {
    pub points: Vec<CurvePointIn>,
    pub point_count: u8,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct LiquidityIn {
    pub available_liquidity: U64,
    pub total_supply_shares: U64,
    pub last_update_ts: I64,
    pub total_debt_shares: WadIn,
    pub borrow_index: WadIn,
    pub protocol_fees: WadIn,
    pub insurance_fees: WadIn,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ControlsIn {
    pub collateral_value_cap_usd: U64,
    pub utilization_ceiling_bps: u16,
    pub haircut_start_bps: u16,
    pub haircut_end_bps: u16,
    pub max_haircut_bps: u16,
    pub max_ema_deviation_bps: u16,
}

/// The `Reserve` account (zero-copy), as decoded from the IDL.
#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ReserveAccountIn {
    pub market: String,
    pub mint: String,
    pub oracle: OracleConfigIn,
    pub risk: RiskIn,
    pub curve: CurveIn,
    pub liquidity: LiquidityIn,
    pub mint_decimals: u8,
    pub status: u8,
    pub controls: ControlsIn,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct PositionIn {
    pub reserve: String,
    pub supply_shares: U64,
    pub debt_shares: WadIn,
}

/// The `Obligation` account (zero-copy), as decoded from the IDL.
#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ObligationAccountIn {
    pub market: String,
    pub owner: String,
    pub positions: Vec<PositionIn>,
    pub position_count: u8,
}

/// The `Market` account, as decoded from the IDL.
#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct MarketAccountIn {
    pub close_factor_bps: u16,
    pub full_liquidation_health_factor_bps: u16,
    pub target_health_factor_bps: u16,
    pub bonus_ramp_bps: u16,
    pub dust_value_usd: U128,
    pub paused_until: I64,
}

impl MarketAccountIn {
    pub fn liquidation_config(&self) -> LiquidationConfig {
        LiquidationConfig {
            close_factor_bps: self.close_factor_bps,
            full_liquidation_health_factor_bps: self.full_liquidation_health_factor_bps,
            dust_value: Wad(self.dust_value_usd.0),
            target_health_factor_bps: self.target_health_factor_bps,
            bonus_ramp_bps: self.bonus_ramp_bps,
        }
    }

    /// The pause and liquidation knobs the engine's operations read.
    pub fn state(&self) -> MarketState {
        MarketState { paused_until: self.paused_until.0, liquidation: self.liquidation_config() }
    }
}

/// An oracle account as fetched: its address, owner and data (base64).
#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct OracleAccountIn {
    pub key: String,
    pub owner: String,
    pub data: String,
}

/// A price already decoded (both Pyth formats carry these fields).
#[derive(Deserialize, Clone, Copy, Debug)]
#[serde(rename_all = "camelCase")]
pub struct RawPriceIn {
    pub price: I64,
    pub conf: U64,
    pub ema_price: I64,
    pub ema_conf: U64,
    pub exponent: i32,
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

/// One reserve with its address and its oracle (account bytes, or an already decoded price).
#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ReserveIn {
    pub key: String,
    pub account: ReserveAccountIn,
    #[serde(default)]
    pub oracle: Option<OracleAccountIn>,
    #[serde(default)]
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
    pub oracle_account: String,
    pub oracle_kind: u8,
    pub feed_id: [u8; 32],
}

impl core::ops::Deref for DecodedReserve {
    type Target = OwnedReserve;
    fn deref(&self) -> &OwnedReserve {
        &self.reserve
    }
}

impl ReserveAccountIn {
    pub fn state(&self, key: &str) -> DecodedReserve {
        let l = &self.liquidity;
        let r = &self.risk;
        let c = &self.controls;
        let mut curve = InterestCurve { point_count: self.curve.point_count, ..Default::default() };
        for (slot, p) in curve.points.iter_mut().zip(self.curve.points.iter().take(MAX_CURVE_POINTS)) {
            *slot = CurvePoint { utilization_bps: p.utilization_bps, borrow_rate_bps: p.borrow_rate_bps };
        }
        let mut feed_id = [0u8; 32];
        for (slot, b) in feed_id.iter_mut().zip(self.oracle.feed_id.iter()) {
            *slot = *b;
        }
        DecodedReserve {
            key: key.to_string(),
            mint: self.mint.clone(),
            market: self.market.clone(),
            reserve: OwnedReserve {
                accounting: ReserveAccounting {
                    available_liquidity: l.available_liquidity.0,
                    total_debt_shares: l.total_debt_shares.0,
                    borrow_index: l.borrow_index.0,
                    total_supply_shares: l.total_supply_shares.0,
                    protocol_fees: l.protocol_fees.0,
                    insurance_fees: l.insurance_fees.0,
                    last_update_ts: l.last_update_ts.0,
                },
                curve,
                risk: RiskConfig {
                    ltv_bps: r.ltv_bps,
                    liquidation_threshold_bps: r.liquidation_threshold_bps,
                    borrow_factor_bps: r.borrow_factor_bps,
                    min_liquidation_bonus_bps: r.min_liquidation_bonus_bps,
                    max_liquidation_bonus_bps: r.max_liquidation_bonus_bps,
                    protocol_liquidation_fee_bps: r.protocol_liquidation_fee_bps,
                    protocol_take_rate_bps: r.protocol_take_rate_bps,
                    insurance_take_rate_bps: r.insurance_take_rate_bps,
                    supply_cap: r.supply_cap.0,
                    borrow_cap: r.borrow_cap.0,
                },
                controls: RiskControls {
                    collateral_value_cap_usd: c.collateral_value_cap_usd.0,
                    utilization_ceiling_bps: c.utilization_ceiling_bps,
                    haircut_start_bps: c.haircut_start_bps,
                    haircut_end_bps: c.haircut_end_bps,
                    max_haircut_bps: c.max_haircut_bps,
                    max_ema_deviation_bps: c.max_ema_deviation_bps,
                },
                limits: PriceLimits {
                    max_age_secs: self.oracle.max_age_secs.0,
                    max_confidence_bps: self.oracle.max_confidence_bps,
                },
                decimals: self.mint_decimals,
                // An unknown status byte reads as Paused, as the program reads it.
                status: ReserveStatus::from_u8(self.status).unwrap_or(ReserveStatus::Paused),
                socialized_loss: Wad::ZERO,
            },
            oracle_account: self.oracle.oracle_account.clone(),
            oracle_kind: self.oracle.kind,
            feed_id,
        }
    }
}
