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

impl OraclePrice {
    fn age_ok(&self, now_unix: i64, limits: &PriceLimits) -> MathResult<()> {
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
        if self.price <= 0 {
            return Err(MathError::PriceNotPositive);
        }
        self.age_ok(now_unix, limits)?;
        scaled_to_wad(self.price as u128, self.exponent, Rounding::Down)
    }

    /// Every check, and the conservative low/high prices for borrow and withdraw.
    pub fn validate(&self, now_unix: i64, limits: &PriceLimits) -> MathResult<ValidatedPrice> {
        let spot = self.spot(now_unix, limits)?;
        if self.ema_price <= 0 {
            return Err(MathError::PriceNotPositive);
        }
        let price = self.price as u128;
        // `conf * 10_000 > max_confidence_bps * price`, both products of two u64 (price > 0).
        let (mul_64, bps) = (crate::wide::mul_64, BPS_DENOMINATOR as u64);
        if mul_64(self.conf, bps) > mul_64(limits.max_confidence_bps as u64, self.price as u64) {
            return Err(MathError::PriceConfidenceTooWide);
        }
        let ema = scaled_to_wad(self.ema_price as u128, self.exponent, Rounding::Down)?;
        let spot_low = price.saturating_sub(self.conf as u128);
        let ema_low = (self.ema_price as u128).saturating_sub(self.ema_conf as u128);
        let spot_high = price + self.conf as u128;
        let ema_high = self.ema_price as u128 + self.ema_conf as u128;
        let ema_price = self.ema_price as u128;
        let confidence_bps = crate::mul_div(self.conf as u128, BPS_DENOMINATOR, price, Rounding::Up)?;
        let ema_deviation_bps = crate::mul_div(price.abs_diff(ema_price), BPS_DENOMINATOR, ema_price, Rounding::Up)?;
        Ok(ValidatedPrice {
            spot,
            low: scaled_to_wad(spot_low.min(ema_low), self.exponent, Rounding::Down)?,
            high: scaled_to_wad(spot_high.max(ema_high), self.exponent, Rounding::Up)?,
            ema,
            publish_time: self.publish_time,
            confidence_bps: confidence_bps.min(u64::MAX as u128) as u64,
            ema_deviation_bps: ema_deviation_bps.min(u64::MAX as u128) as u64,
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

    #[test]
    fn exponents_scale_both_ways() {
        assert_eq!(scaled_to_wad(1, -8, Rounding::Down), Ok(Wad(10_000_000_000)));
        assert_eq!(scaled_to_wad(15, -19, Rounding::Down), Ok(Wad(1)));
        assert_eq!(scaled_to_wad(15, -19, Rounding::Up), Ok(Wad(2)));
        assert_eq!(scaled_to_wad(1, 3, Rounding::Down), Ok(Wad(1_000 * crate::WAD)));
        assert_eq!(scaled_to_wad(1, 21, Rounding::Down), Err(MathError::PriceExponentOutOfRange));
    }
}
