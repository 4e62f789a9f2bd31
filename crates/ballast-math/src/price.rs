//! Oracle prices: normalisation to a Wad in USD per whole token, validity checks, and the
//! conservative prices that initial health uses.

use crate::fixed::pow10;
use crate::{MathError, MathResult, Rounding, Wad, BPS_DENOMINATOR};

/// A price as both Pyth formats report it: `price * 10^exponent` USD per whole token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OraclePrice {
    pub price: i64,
    pub conf: u64,
    pub ema_price: i64,
    pub ema_conf: u64,
    pub exponent: i32,
    pub publish_time: i64,
}

/// What a reserve accepts from its oracle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PriceLimits {
    /// Oldest accepted price, in seconds before the current clock.
    pub max_age_secs: u64,
    /// Widest accepted confidence interval, bps of the price (rejected above it).
    pub max_confidence_bps: u16,
}

/// The shortest max price age a reserve may set: under it no update could be fresh enough when
/// read, and liquidation would stall (a staleness trap an authority could set).
pub const MIN_MAX_PRICE_AGE_SECS: u64 = 10;

impl PriceLimits {
    /// Max confidence in (0, 100%); max age at least [`MIN_MAX_PRICE_AGE_SECS`].
    pub fn validate(&self) -> MathResult<()> {
        if self.max_confidence_bps == 0 || self.max_confidence_bps as u128 >= BPS_DENOMINATOR {
            return Err(MathError::InvalidConfig(crate::error::ConfigError::MaxConfidence));
        }
        if self.max_age_secs < MIN_MAX_PRICE_AGE_SECS {
            return Err(MathError::InvalidConfig(crate::error::ConfigError::MaxAge));
        }
        Ok(())
    }
}

/// A checked price in USD per whole token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidatedPrice {
    /// The aggregate price: maintenance health and liquidation use it.
    pub spot: Wad,
    /// `min(spot - conf, ema - ema_conf)`, floored at zero: collateral in initial health.
    pub low: Wad,
    /// `max(spot + conf, ema + ema_conf)`: debt in initial health.
    pub high: Wad,
    pub ema: Wad,
    pub publish_time: i64,
    /// `conf / price` in bps (rounded up).
    pub confidence_bps: u64,
    /// `|spot - EMA| / EMA` in bps (rounded up).
    pub ema_deviation_bps: u64,
}

/// `mantissa * 10^exponent` as a Wad, rounded as asked. Exponents from -36 to +20 are supported.
pub fn scaled_to_wad(mantissa: u128, exponent: i32, rounding: Rounding) -> MathResult<Wad> {
    if !(-36..=20).contains(&exponent) {
        return Err(MathError::PriceExponentOutOfRange);
    }
    let shift = 18 + exponent; // Wad has 18 places
    if shift >= 0 {
        // `mantissa.checked_mul(10^shift)`, from 64-bit halves (no 128-bit multiply on sBPF).
        match crate::wide::widening_mul(mantissa, pow10(shift as u32)?) {
            (0, product) => Ok(Wad(product)),
            _ => Err(MathError::Overflow),
        }
    } else {
        crate::mul_div(mantissa, 1, pow10((-shift) as u32)?, rounding).map(Wad)
    }
}

/// `numerator / denominator` in bps, rounded up, for a positive `denominator`: `mul_div`'s
/// result, with one native-width division (both fit in 64 bits, the product in 128).
fn bps_of_up(numerator: u64, denominator: u64) -> u128 {
    let (quotient, remainder) =
        crate::wide::div_rem_u128_by_u64(crate::wide::mul_64(numerator, BPS_DENOMINATOR as u64), denominator);
    quotient + (remainder != 0) as u128
}

impl OraclePrice {
    /// The checks on the spot price itself, which `spot` and `validate` both make first: positive
    /// and not older than the maximum age.
    fn spot_usable(&self, now_unix: i64, limits: &PriceLimits) -> MathResult<()> {
        if self.price <= 0 {
            return Err(MathError::PriceNotPositive);
        }
        // A publish time ahead of our clock (validator skew) counts as age zero.
        let age = now_unix.saturating_sub(self.publish_time).max(0) as u64;
        if age > limits.max_age_secs {
            return Err(MathError::PriceStale);
        }
        Ok(())
    }

    /// The spot price for maintenance health and liquidation: positive and not older than the
    /// maximum age. Confidence and EMA deliberately do not block it (DESIGN.md, Prices).
    pub fn spot(&self, now_unix: i64, limits: &PriceLimits) -> MathResult<Wad> {
        self.spot_usable(now_unix, limits)?;
        scaled_to_wad(self.price as u128, self.exponent, Rounding::Down)
    }

    /// Every check, and the conservative low/high prices for borrow and withdraw.
    ///
    /// The same checks, in the same order, as `spot` first (sign, age, conversion); then the EMA's
    /// sign and the confidence. The four prices share one scale, `10^(18 + exponent)`, looked up
    /// once and multiplied in 64-bit halves (every exponent from -18 to +1); other exponents take
    /// `scaled_to_wad` in full. Low and high are formed in 64 bits: both prices are positive
    /// `i64`, so only `price + conf` can carry.
    pub fn validate(&self, now_unix: i64, limits: &PriceLimits) -> MathResult<ValidatedPrice> {
        self.spot_usable(now_unix, limits)?;
        let scale = u32::try_from(self.exponent as i64 + 18)
            .ok()
            .filter(|shift| *shift <= 19)
            .and_then(|shift| pow10(shift).ok());
        let to_wad = |mantissa: u128, rounding: Rounding| -> MathResult<Wad> {
            match scale {
                Some(scale) if mantissa >> 64 == 0 => Ok(Wad(crate::wide::mul_64(mantissa as u64, scale as u64))),
                _ => scaled_to_wad(mantissa, self.exponent, rounding),
            }
        };
        let spot = to_wad(self.price as u128, Rounding::Down)?;
        if self.ema_price <= 0 {
            return Err(MathError::PriceNotPositive);
        }
        let (price, ema_price) = (self.price as u64, self.ema_price as u64);
        // `conf * 10_000 > max_confidence_bps * price`, both products of two u64.
        let (mul_64, bps) = (crate::wide::mul_64, BPS_DENOMINATOR as u64);
        if mul_64(self.conf, bps) > mul_64(limits.max_confidence_bps as u64, price) {
            return Err(MathError::PriceConfidenceTooWide);
        }
        let wide_sum = |a: u64, b: u64| -> u128 {
            let (sum, carry) = a.overflowing_add(b);
            ((carry as u128) << 64) | sum as u128
        };
        let low = price.saturating_sub(self.conf).min(ema_price.saturating_sub(self.ema_conf));
        let high = wide_sum(price, self.conf).max(wide_sum(ema_price, self.ema_conf));
        Ok(ValidatedPrice {
            spot,
            low: to_wad(low as u128, Rounding::Down)?,
            high: to_wad(high, Rounding::Up)?,
            ema: to_wad(ema_price as u128, Rounding::Down)?,
            publish_time: self.publish_time,
            confidence_bps: bps_of_up(self.conf, price).min(u64::MAX as u128) as u64,
            ema_deviation_bps: bps_of_up(price.abs_diff(ema_price), ema_price).min(u64::MAX as u128) as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: PriceLimits = PriceLimits { max_age_secs: 60, max_confidence_bps: 200 };

    fn sol() -> OraclePrice {
        // $150.00 +- $0.15, EMA $149.00 +- $0.20, exponent -8
        OraclePrice {
            price: 15_000_000_000,
            conf: 15_000_000,
            ema_price: 14_900_000_000,
            ema_conf: 20_000_000,
            exponent: -8,
            publish_time: 1_000,
        }
    }

    #[test]
    fn conservative_prices_take_the_worse_of_spot_and_ema() {
        let v = sol().validate(1_010, &LIMITS).unwrap();
        assert_eq!(v.spot, Wad(150 * crate::WAD));
        assert_eq!(v.low, Wad(148_800_000_000_000_000_000)); // ema - ema_conf
        assert_eq!(v.high, Wad(150_150_000_000_000_000_000)); // spot + conf
        assert_eq!(v.confidence_bps, 10); // 0.15 / 150
        assert_eq!(v.ema_deviation_bps, 68); // 1 / 149 = 0.671%, rounded up
    }

    #[test]
    fn rejects_stale_non_positive_and_wide() {
        assert_eq!(sol().validate(1_061, &LIMITS), Err(MathError::PriceStale));
        assert!(sol().validate(1_060, &LIMITS).is_ok());
        assert_eq!(OraclePrice { price: 0, ..sol() }.validate(1_000, &LIMITS), Err(MathError::PriceNotPositive));
        assert_eq!(OraclePrice { price: -5, ..sol() }.spot(1_000, &LIMITS), Err(MathError::PriceNotPositive));
        assert_eq!(OraclePrice { ema_price: 0, ..sol() }.validate(1_000, &LIMITS), Err(MathError::PriceNotPositive));
        // 2% is allowed, 2% + 1 unit is not.
        assert!(OraclePrice { conf: 300_000_000, ..sol() }.validate(1_000, &LIMITS).is_ok());
        assert_eq!(
            OraclePrice { conf: 300_000_001, ..sol() }.validate(1_000, &LIMITS),
            Err(MathError::PriceConfidenceTooWide)
        );
    }

    #[test]
    fn spot_ignores_confidence_and_ema() {
        let wide = OraclePrice { conf: 14_000_000_000, ema_price: -1, ..sol() };
        assert_eq!(wide.spot(1_000, &LIMITS), Ok(Wad(150 * crate::WAD)));
    }

    /// `validate` with every price converted by `scaled_to_wad` (as it was before the shared
    /// scale): the same prices and errors for any exponent and mantissa.
    #[test]
    fn validate_equals_plain_conversions() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let limits = PriceLimits { max_age_secs: 60, max_confidence_bps: 10_000 };
        let mut compared = 0;
        for round in 0..20_000u64 {
            let exponent = match round % 500 {
                0 => i32::MAX, // far outside the supported range: an error, never an overflow
                1 => i32::MIN,
                _ => (next() % 64) as i32 - 40,
            };
            let shift = next() % 64;
            let price = (next() >> shift) as i64;
            let p = OraclePrice {
                price,
                conf: (next() >> (next() % 64)) % (price.max(1) as u64),
                ema_price: (next() >> (1 + next() % 63)) as i64,
                ema_conf: next() >> (next() % 64),
                exponent,
                publish_time: 1_000 - (round % 3) as i64,
            };
            let plain = (|| -> MathResult<(Wad, Wad, Wad, Wad)> {
                let spot = p.spot(1_000, &limits)?;
                let (price, ema) = (p.price as u128, p.ema_price as u128);
                let low = price.saturating_sub(p.conf as u128).min(ema.saturating_sub(p.ema_conf as u128));
                let high = (price + p.conf as u128).max(ema + p.ema_conf as u128);
                Ok((
                    spot,
                    scaled_to_wad(ema, exponent, Rounding::Down)?,
                    scaled_to_wad(low, exponent, Rounding::Down)?,
                    scaled_to_wad(high, exponent, Rounding::Up)?,
                ))
            })();
            match (p.validate(1_000, &limits), plain) {
                (Ok(v), Ok((spot, ema, low, high))) => {
                    assert_eq!((v.spot, v.ema, v.low, v.high), (spot, ema, low, high));
                    compared += 1;
                }
                (Err(e), Ok(_)) => assert!(p.ema_price <= 0 || e == MathError::PriceConfidenceTooWide, "{p:?}: {e:?}"),
                (Ok(v), Err(e)) => panic!("{p:?}: validate gave {v:?}, plain conversion {e:?}"),
                (Err(a), Err(b)) => assert!(
                    a == b || p.ema_price <= 0 || a == MathError::PriceConfidenceTooWide,
                    "{p:?}: {a:?} vs {b:?}"
                ),
            }
        }
        assert!(compared > 10_000, "only {compared} valid prices compared");
    }

    #[test]
    fn exponents_scale_both_ways() {
        assert_eq!(scaled_to_wad(1, -8, Rounding::Down), Ok(Wad(10_000_000_000)));
        assert_eq!(scaled_to_wad(15, -19, Rounding::Down), Ok(Wad(1)));
        assert_eq!(scaled_to_wad(15, -19, Rounding::Up), Ok(Wad(2)));
        assert_eq!(scaled_to_wad(1, 3, Rounding::Down), Ok(Wad(1_000 * crate::WAD)));
        assert_eq!(scaled_to_wad(1, 21, Rounding::Down), Err(MathError::PriceExponentOutOfRange));
    }
}
