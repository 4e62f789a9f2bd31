//! `Wad`: unsigned fixed point with 18 decimals, and the one `mul_div` every conversion uses.

use crate::wide::Divisor64;
use crate::{wide, MathError, MathResult};

/// 1.0 as a [`Wad`].
pub const WAD: u128 = 1_000_000_000_000_000_000;
/// 100% in basis points.
pub const BPS_DENOMINATOR: u128 = 10_000;

// The macro's own code divides by hand (clippy's `manual_div_ceil`); it is not ours to change.
#[allow(clippy::manual_div_ceil)]
mod u256 {
    uint::construct_uint! {
        /// 256-bit intermediate for products of two `u128`.
        pub(crate) struct U256(4);
    }
}
pub(crate) use u256::U256;

/// Which way a conversion rounds. The protocol's rounding table (DESIGN.md) decides it per call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Down,
    Up,
}

/// `a * b / c` with the product taken in 256 bits, rounded as asked.
///
/// Exact, with the same results and errors as [`mul_div_reference`] (the straightforward `u128` /
/// `U256` version, kept for the tests), but built from native 64-bit divisions (see `wide.rs`):
/// `DivideByZero` for `c == 0`, `Overflow` when the rounded quotient does not fit in `u128`.
pub fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> MathResult<u128> {
    if c == 0 {
        return Err(MathError::DivideByZero);
    }
    if a == 0 || b == 0 {
        return Ok(0); // a reserve without debt or fees: nothing to multiply or divide
    }
    if c >> 64 == 0 {
        return mul_shift_div(a, b, 0, Divisor64::new(c as u64), rounding);
    }
    // A divisor wider than 64 bits whose odd part is narrower (every WAD * 10^decimals: 10^24 =
    // 2^24 * 5^24): shift its power of two out of the product first, then divide by the narrow
    // rest, which takes native 64-bit divisions only.
    let k = c.trailing_zeros(); // c < 2^128, so a narrow odd part means 1 <= k <= 127
    if (c >> k) >> 64 == 0 {
        return mul_shift_div(a, b, k, Divisor64::new((c >> k) as u64), rounding);
    }
    let (high, low) = wide::widening_mul(a, b);
    let (quotient, remainder) = if high == 0 {
        wide::div_rem_u128(low, c)
    } else {
        // The quotient is at least 2^128 exactly when the high half is at least c.
        if high >= c {
            return Err(MathError::Overflow);
        }
        wide::div_256_by_128(high, low, c)
    };
    let round_up = rounding == Rounding::Up && remainder != 0;
    quotient.checked_add(round_up as u128).ok_or(MathError::Overflow)
}

/// `a * b / (2^shift * divisor)` for `shift < 128`: `mul_div` once its divisor is split into a
/// power of two and a 64-bit rest, exact and rounded as asked, with `mul_div`'s errors. Callers
/// with a constant divisor (WAD, 10^4, `WAD * 10^decimals`) pass it prepared at compile time.
///
/// Exact: floor(floor(p / 2^k) / m) = floor(p / (2^k m)), and p is a multiple of 2^k m exactly
/// when the shifted-out bits are zero and the rest divides.
#[inline(always)]
pub(crate) fn mul_shift_div(a: u128, b: u128, shift: u32, divisor: Divisor64, rounding: Rounding) -> MathResult<u128> {
    if a == 0 || b == 0 {
        return Ok(0);
    }
    let (mut high, mut low) = wide::widening_mul(a, b);
    let mut dropped_bits_zero = true;
    if shift > 0 {
        dropped_bits_zero = low & ((1u128 << shift) - 1) == 0;
        low = (low >> shift) | (high << (128 - shift));
        high >>= shift;
    }
    // The quotient is at least 2^128 exactly when the high half is at least the divisor.
    if high >= divisor.get() as u128 {
        return Err(MathError::Overflow);
    }
    let (quotient, remainder) = divisor.div_256(high as u64, low);
    let round_up = rounding == Rounding::Up && !(remainder == 0 && dropped_bits_zero);
    quotient.checked_add(round_up as u128).ok_or(MathError::Overflow)
}

/// WAD and 10^4 as prepared divisors (`Wad::mul`, `to_u128`, `mul_bps`).
const WAD_DIVISOR: Divisor64 = Divisor64::new(WAD as u64);
const BPS_DIVISOR: Divisor64 = Divisor64::new(BPS_DENOMINATOR as u64);

/// The straightforward `mul_div`: `u128` operators when the product fits, else the `uint` crate's
/// `U256`. The reference the tests hold [`mul_div`] to.
pub fn mul_div_reference(a: u128, b: u128, c: u128, rounding: Rounding) -> MathResult<u128> {
    if c == 0 {
        return Err(MathError::DivideByZero);
    }
    if let Some(product) = a.checked_mul(b) {
        let quotient = product / c;
        let round_up = rounding == Rounding::Up && product % c != 0;
        return quotient.checked_add(round_up as u128).ok_or(MathError::Overflow);
    }
    let product = U256::from(a) * U256::from(b); // two u128 never overflow 256 bits
    let (quotient, remainder) = product.div_mod(U256::from(c));
    let quotient = if rounding == Rounding::Up && !remainder.is_zero() { quotient + U256::one() } else { quotient };
    if quotient.bits() > 128 {
        return Err(MathError::Overflow);
    }
    Ok(quotient.low_u128())
}

/// An unsigned decimal with 18 places: `Wad(1e18)` is 1.0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Wad(pub u128);

impl Wad {
    pub const ZERO: Wad = Wad(0);
    pub const ONE: Wad = Wad(WAD);

    /// A whole number as a Wad (exact: `u64::MAX * 1e18` fits in `u128`).
    pub const fn from_u64(value: u64) -> Wad {
        // `value * WAD` from 64-bit halves: sBPF has no 128-bit multiply (a libcall otherwise).
        Wad(wide::mul_64(value, WAD as u64))
    }

    /// Basis points (1/100 of a percent) as a Wad ratio: 10_000 bps is 1.0.
    pub const fn from_bps(bps: u64) -> Wad {
        Wad(wide::mul_64(bps, (WAD / BPS_DENOMINATOR) as u64))
    }

    /// `numerator / denominator` as a Wad.
    pub fn from_ratio(numerator: u128, denominator: u128, rounding: Rounding) -> MathResult<Wad> {
        mul_div(numerator, WAD, denominator, rounding).map(Wad)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, other: Wad) -> MathResult<Wad> {
        self.0.checked_add(other.0).map(Wad).ok_or(MathError::Overflow)
    }

    pub fn checked_sub(self, other: Wad) -> MathResult<Wad> {
        self.0.checked_sub(other.0).map(Wad).ok_or(MathError::Underflow)
    }

    pub fn saturating_sub(self, other: Wad) -> Wad {
        Wad(self.0.saturating_sub(other.0))
    }

    pub fn mul(self, other: Wad, rounding: Rounding) -> MathResult<Wad> {
        mul_shift_div(self.0, other.0, 0, WAD_DIVISOR, rounding).map(Wad)
    }

    pub fn div(self, other: Wad, rounding: Rounding) -> MathResult<Wad> {
        mul_div(self.0, WAD, other.0, rounding).map(Wad)
    }

    /// `self * bps / 10_000`.
    pub fn mul_bps(self, bps: u64, rounding: Rounding) -> MathResult<Wad> {
        mul_shift_div(self.0, bps as u128, 0, BPS_DIVISOR, rounding).map(Wad)
    }

    /// `self * numerator / denominator` with one rounding.
    pub fn mul_ratio(self, numerator: u128, denominator: u128, rounding: Rounding) -> MathResult<Wad> {
        mul_div(self.0, numerator, denominator, rounding).map(Wad)
    }

    /// Whole units, rounded as asked.
    pub fn to_u128(self, rounding: Rounding) -> u128 {
        let (whole, remainder) = WAD_DIVISOR.div_256(0, self.0);
        if rounding == Rounding::Up && remainder != 0 {
            whole + 1 // cannot overflow: whole <= u128::MAX / 1e18
        } else {
            whole
        }
    }

    /// Whole units as `u64`, rounded as asked; `Overflow` if they do not fit.
    pub fn to_u64(self, rounding: Rounding) -> MathResult<u64> {
        u64::try_from(self.to_u128(rounding)).map_err(|_| MathError::Overflow)
    }

    /// `self ^ exponent` by squaring, every step rounded as asked (so `Up` bounds the true
    /// power from above, `Down` from below).
    pub fn pow(self, mut exponent: u64, rounding: Rounding) -> MathResult<Wad> {
        let mut base = self;
        let mut result = Wad::ONE;
        while exponent > 0 {
            if exponent & 1 == 1 {
                result = result.mul(base, rounding)?;
            }
            exponent >>= 1;
            if exponent > 0 {
                base = base.mul(base, rounding)?;
            }
        }
        Ok(result)
    }
}

/// `10^0 ..= 10^38`: every power of ten a `u128` holds.
const POW10: [u128; 39] = {
    let mut table = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// `10^exponent` for `exponent` in `0..=38` (a table lookup; `Overflow` above 38, exactly as
/// `10u128.checked_pow(exponent)`).
pub fn pow10(exponent: u32) -> MathResult<u128> {
    POW10.get(exponent as usize).copied().ok_or(MathError::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The constructors built from 64-bit halves equal the plain `u128` products.
    #[test]
    fn from_u64_and_from_bps_equal_u128_products() {
        let values =
            [0, 1, 2, 9_999, 10_000, 1 << 32, (1 << 32) - 1, u32::MAX as u64 + 7, 1 << 63, u64::MAX - 1, u64::MAX];
        for v in values.into_iter().chain((0..64).map(|s| 0x9E37_79B9_7F4A_7C15u64.rotate_left(s))) {
            assert_eq!(Wad::from_u64(v).0, v as u128 * WAD);
            assert_eq!(Wad::from_bps(v).0, v as u128 * (WAD / BPS_DENOMINATOR));
            assert_eq!(
                crate::price::scaled_to_wad(v as u128, 2, Rounding::Down).map(|w| w.0),
                (v as u128).checked_mul(10u128.pow(20)).ok_or(MathError::Overflow)
            );
            assert_eq!(
                crate::price::scaled_to_wad(v as u128 * v as u128, 20, Rounding::Down).map(|w| w.0),
                (v as u128 * v as u128).checked_mul(10u128.pow(38)).ok_or(MathError::Overflow)
            );
        }
    }

    #[test]
    fn mul_div_rounds_as_asked() {
        assert_eq!(mul_div(10, 1, 3, Rounding::Down), Ok(3));
        assert_eq!(mul_div(10, 1, 3, Rounding::Up), Ok(4));
        assert_eq!(mul_div(9, 1, 3, Rounding::Up), Ok(3));
        assert_eq!(mul_div(1, 1, 0, Rounding::Down), Err(MathError::DivideByZero));
    }

    #[test]
    fn mul_div_uses_a_wide_intermediate() {
        // u128::MAX * u128::MAX / u128::MAX overflows u128 only in the intermediate.
        assert_eq!(mul_div(u128::MAX, u128::MAX, u128::MAX, Rounding::Down), Ok(u128::MAX));
        assert_eq!(mul_div(u128::MAX, 3, 2, Rounding::Down), Err(MathError::Overflow));
        let big = u128::MAX / 3;
        assert_eq!(mul_div(big, 7, 7, Rounding::Up), Ok(big));
        // An inexact wide quotient rounds up by one.
        assert_eq!(mul_div(u128::MAX, 2, 4, Rounding::Up), Ok(u128::MAX / 2 + 1));
    }

    #[test]
    fn wad_conversions() {
        assert_eq!(Wad::from_bps(5_000), Wad(WAD / 2));
        assert_eq!(Wad(WAD + 1).to_u64(Rounding::Down), Ok(1));
        assert_eq!(Wad(WAD + 1).to_u64(Rounding::Up), Ok(2));
        assert_eq!(Wad::from_u64(u64::MAX).to_u64(Rounding::Up), Ok(u64::MAX));
        assert_eq!(Wad(u128::MAX).to_u64(Rounding::Down), Err(MathError::Overflow));
        assert_eq!(Wad::ZERO.checked_sub(Wad(1)), Err(MathError::Underflow));
    }

    #[test]
    fn pow_brackets_the_true_value() {
        let base = Wad(WAD + WAD / 1_000_000_007);
        let up = base.pow(31_536_000, Rounding::Up).unwrap();
        let down = base.pow(31_536_000, Rounding::Down).unwrap();
        assert!(up >= down);
        assert!(up.0 - down.0 < WAD / 1_000_000_000, "rounding error stays tiny");
        assert_eq!(base.pow(0, Rounding::Up), Ok(Wad::ONE));
        assert_eq!(base.pow(1, Rounding::Up), Ok(base));
    }
}
