//! Exact wide integer arithmetic for `mul_div`, written for sBPF.
//!
//! sBPF has 64-bit `mul`, `div` and `mod` but no 128-bit instructions: every `u128` `/` or `%`
//! becomes a compiler-builtins libcall (`__udivti3`, `__umodti3`), and a 256-bit division via the
//! `uint` crate runs a generic Knuth division built on those libcalls. The routines here reach
//! the same exact results with native 64-bit divisions only:
//!
//! - [`div_128_by_64`]: a 128-by-64 division whose quotient fits in 64 bits (Hacker's Delight
//!   `divlu`: two 64-bit divisions by the divisor's normalised top half, each corrected at most
//!   twice);
//! - [`div_rem_u128`]: `u128 / u128` (64-bit divisor: two chained `div_128_by_64`; wider divisor:
//!   Hacker's Delight `divlu64`, one estimate then one correction);
//! - [`div_256_by_128`]: a 256-by-128 division whose quotient fits in 128 bits (`divlu` with
//!   128-bit words, half-words of 64 bits);
//! - [`widening_mul`]: the full 256-bit product of two `u128`, from 64-bit halves.
//!
//! Every routine returns the exact floor quotient and remainder; `fixed.rs`'s tests compare
//! them with the `uint` crate's `U256` over random and edge-case inputs.

const LO64: u128 = u64::MAX as u128;

/// Full product of two `u64`, as `u128`, from 32-bit halves (no 128-bit multiply libcall).
#[inline(always)]
pub const fn mul_64(a: u64, b: u64) -> u128 {
    const LO32: u64 = u32::MAX as u64;
    // The narrower operand in b: bps, share counts and small amounts fit in 32 bits.
    let (a, b) = if a < b { (b, a) } else { (a, b) };
    if b >> 32 == 0 {
        // Two partial products, each < 2^64 (a's halves times a 32-bit b).
        let lo = (a & LO32).wrapping_mul(b);
        let hi = (a >> 32).wrapping_mul(b);
        return ((hi as u128) << 32) + lo as u128;
    }
    let (a1, a0) = (a >> 32, a & LO32);
    let (b1, b0) = (b >> 32, b & LO32);
    // Plain wrapping operations: every partial product of 32-bit halves is < 2^64 and every
    // sum below is bounded (comments), and a checked 64-bit multiply would itself need a
    // 128-bit multiply on sBPF.
    let p00 = a0.wrapping_mul(b0);
    let p01 = a0.wrapping_mul(b1);
    let p10 = a1.wrapping_mul(b0);
    let p11 = a1.wrapping_mul(b1);
    // Middle column: three terms < 2^32 each.
    let mid = (p00 >> 32).wrapping_add(p01 & LO32).wrapping_add(p10 & LO32);
    let lo = (mid << 32) | (p00 & LO32);
    // The true high word, < 2^64.
    let hi = p11.wrapping_add(p01 >> 32).wrapping_add(p10 >> 32).wrapping_add(mid >> 32);
    ((hi as u128) << 64) | lo as u128
}

/// Full 256-bit product of two `u128`, as `(high, low)` halves.
#[inline]
pub fn widening_mul(a: u128, b: u128) -> (u128, u128) {
    // The narrower operand in b: most products have one factor below 2^64 (bps, shares, an
    // index or a price near 1.0).
    let (a, b) = if a < b { (b, a) } else { (a, b) };
    let (a1, a0) = ((a >> 64) as u64, a as u64);
    let (b1, b0) = ((b >> 64) as u64, b as u64);
    if b1 == 0 {
        if a1 == 0 {
            return (0, mul_64(a0, b0));
        }
        // a * b0 = p10 * 2^64 + p00: two partial products.
        let p00 = mul_64(a0, b0);
        let p10 = mul_64(a1, b0);
        let (lo, carry) = p00.overflowing_add(p10 << 64);
        return ((p10 >> 64) + carry as u128, lo);
    }
    let p00 = mul_64(a0, b0);
    let p01 = mul_64(a0, b1);
    let p10 = mul_64(a1, b0);
    let p11 = mul_64(a1, b1);
    // Column at 2^64: high half of p00 plus the low halves of p01 and p10 (< 3 * 2^64).
    let mid = (p00 >> 64).wrapping_add(p01 & LO64).wrapping_add(p10 & LO64);
    let lo = (mid << 64) | (p00 & LO64);
    // The true high half of a 256-bit product: < 2^128, so the additions cannot wrap.
    let hi = p11.wrapping_add(p01 >> 64).wrapping_add(p10 >> 64).wrapping_add(mid >> 64);
    (hi, lo)
}

/// A nonzero 64-bit divisor and its normalising shift (the count of leading zeros), computed
/// once: a divisor of 2^32 or more needs it for every 128-by-64 division, and sBPF has no
/// count-leading-zeros instruction (`leading_zeros` is a sequence of about 26 instructions).
/// `mul_div` prepares its divisor once for both of its chained divisions, and constant divisors
/// (WAD, 10^4, the powers of five behind every token valuation) are prepared at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Divisor64 {
    d: u64,
    shift: u32,
}

impl Divisor64 {
    /// Panics for zero (at compile time for constants); callers check it first.
    pub const fn new(d: u64) -> Divisor64 {
        assert!(d != 0, "division by zero");
        Divisor64 { d, shift: d.leading_zeros() }
    }

    pub const fn get(self) -> u64 {
        self.d
    }

    /// `(hi * 2^64 + lo) / d` and its remainder, for `hi < d` (so the quotient fits in 64
    /// bits). Hacker's Delight `divlu` with 64-bit words: only native 64-bit divisions.
    #[inline(always)]
    pub fn div_128(self, hi: u64, lo: u64) -> (u64, u64) {
        debug_assert!(hi < self.d);
        const B: u64 = 1 << 32;
        const LO32: u64 = u32::MAX as u64;
        let d = self.d;
        if hi == 0 {
            return (lo / d, lo % d); // one native division
        }
        if d >> 32 == 0 {
            // Small divisor (bps, small powers of ten): hi < d < 2^32, so both 32-bit steps are
            // native 64-bit divisions whose quotients fit in 32 bits.
            let n1 = (hi << 32) | (lo >> 32);
            let (q1, r1) = (n1 / d, n1 % d);
            let n0 = (r1 << 32) | (lo & LO32);
            let (q0, r0) = (n0 / d, n0 % d);
            return ((q1 << 32) | q0, r0);
        }
        let s = self.shift;
        let d = d << s; // normalised: top bit set
        let (dn1, dn0) = (d >> 32, d & LO32);
        let un32 = if s == 0 { hi } else { (hi << s) | (lo >> (64 - s)) };
        let un10 = lo << s;
        let (un1, un0) = (un10 >> 32, un10 & LO32);

        let mut q1 = un32 / dn1;
        let mut rhat = un32 % dn1;
        // q1 < B is checked first, so q1 * dn0 < 2^64; rhat < B so B * rhat + un1 < 2^64; rhat
        // stays below 2^33 (wrapping ops cannot wrap).
        while q1 >= B || q1.wrapping_mul(dn0) > (rhat << 32).wrapping_add(un1) {
            q1 -= 1;
            rhat = rhat.wrapping_add(dn1);
            if rhat >= B {
                break;
            }
        }
        let un21 = (un32 << 32).wrapping_add(un1).wrapping_sub(q1.wrapping_mul(d));

        let mut q0 = un21 / dn1;
        rhat = un21 % dn1;
        while q0 >= B || q0.wrapping_mul(dn0) > (rhat << 32).wrapping_add(un0) {
            q0 -= 1;
            rhat = rhat.wrapping_add(dn1);
            if rhat >= B {
                break;
            }
        }
        let r = (un21 << 32).wrapping_add(un0).wrapping_sub(q0.wrapping_mul(d)) >> s;
        ((q1 << 32) | q0, r)
    }

    /// `(hi * 2^128 + lo) / d` and its remainder, for `hi < d` (so the quotient fits in 128
    /// bits): two chained `div_128`, the first skipped when the top 64 bits of `lo` are already
    /// below `d`.
    #[inline(always)]
    pub fn div_256(self, hi: u64, lo: u128) -> (u128, u64) {
        let (lo_hi, lo_lo) = ((lo >> 64) as u64, lo as u64);
        let (q1, r1) = if hi == 0 && lo_hi < self.d { (0, lo_hi) } else { self.div_128(hi, lo_hi) };
        let (q0, r) = self.div_128(r1, lo_lo);
        (((q1 as u128) << 64) | q0 as u128, r)
    }
}

/// `(hi * 2^64 + lo) / d` and its remainder, for `hi < d` (so the quotient fits in 64 bits).
#[inline]
pub fn div_128_by_64(hi: u64, lo: u64, d: u64) -> (u64, u64) {
    Divisor64::new(d).div_128(hi, lo)
}

/// `n / d` and `n % d` for a 64-bit divisor `d != 0`.
#[inline]
pub fn div_rem_u128_by_u64(n: u128, d: u64) -> (u128, u64) {
    let (hi, lo) = ((n >> 64) as u64, n as u64);
    if hi == 0 {
        return ((lo / d) as u128, lo % d);
    }
    let d = Divisor64::new(d);
    if hi < d.get() {
        let (q, r) = d.div_128(hi, lo);
        return (q as u128, r);
    }
    let (q_hi, r_hi) = (hi / d.get(), hi % d.get());
    let (q_lo, r) = d.div_128(r_hi, lo);
    (((q_hi as u128) << 64) | q_lo as u128, r)
}

/// `n / d` and `n % d` for any `d != 0`.
#[inline]
pub fn div_rem_u128(n: u128, d: u128) -> (u128, u128) {
    let d_hi = (d >> 64) as u64;
    if d_hi == 0 {
        let (q, r) = div_rem_u128_by_u64(n, d as u64);
        return (q, r as u128);
    }
    if n < d {
        return (0, n);
    }
    // d >= 2^64, so the quotient fits in 64 bits. Hacker's Delight divlu64: estimate with the
    // normalised top 64 bits of d and half of n (so the estimate's division cannot overflow),
    // which is the true quotient or one more than it after the decrement; one check fixes it.
    let s = d_hi.leading_zeros();
    let v1 = ((d << s) >> 64) as u64;
    let u1 = n >> 1;
    let (q1, _) = div_128_by_64((u1 >> 64) as u64, u1 as u64, v1);
    let mut q0 = ((q1 as u128) << s) >> 63;
    q0 = q0.saturating_sub(1);
    // q0 <= the true quotient, so q0 * d <= n: no overflow.
    let mut r = n.wrapping_sub(mul_u128_by_u64(d, q0 as u64));
    if r >= d {
        q0 += 1;
        r -= d;
    }
    (q0, r)
}

/// `a * b` for a product known to fit in 128 bits (wrapping otherwise).
#[inline(always)]
fn mul_u128_by_u64(a: u128, b: u64) -> u128 {
    let lo = mul_64(a as u64, b);
    let hi = ((a >> 64) as u64).wrapping_mul(b);
    lo.wrapping_add((hi as u128) << 64)
}

/// `(hi * 2^128 + lo) / d` and its remainder, for `hi < d` (so the quotient fits in 128 bits).
pub fn div_256_by_128(hi: u128, lo: u128, d: u128) -> (u128, u128) {
    debug_assert!(hi < d);
    if (d >> 64) == 0 {
        // hi < d < 2^64: three 64-bit limbs after hi, chained 128-by-64 divisions.
        let (q, r) = Divisor64::new(d as u64).div_256(hi as u64, lo);
        return (q, r as u128);
    }
    // Hacker's Delight divlu with 128-bit words and 64-bit half-words.
    let s = d.leading_zeros();
    let d = d << s;
    let (dn1, dn0) = ((d >> 64) as u64, d & LO64);
    let un32 = if s == 0 { hi } else { (hi << s) | (lo >> (128 - s)) };
    let un10 = lo << s;
    let (un1, un0) = (un10 >> 64, un10 & LO64);

    // The high quotient digit is zero exactly when the top 192 bits are below d: a quotient below
    // 2^64, as every ratio of at most 1.0 (utilisation) is. Then the first step is skipped.
    let (q1, un21) = if un32 >> 64 == 0 && ((un32 << 64) | un1) < d {
        (0, (un32 << 64) | un1)
    } else {
        let (q1, r) = div_rem_u128_by_u64(un32, dn1);
        let q1 = corrected_digit(q1, r as u128, dn1, dn0, un1);
        (q1, (un32 << 64).wrapping_add(un1).wrapping_sub(mul_u128_by_u64(d, q1 as u64)))
    };
    let (q0, r) = div_rem_u128_by_u64(un21, dn1);
    let q0 = corrected_digit(q0, r as u128, dn1, dn0, un0);
    let r = (un21 << 64).wrapping_add(un0).wrapping_sub(mul_u128_by_u64(d, q0 as u64)) >> s;
    ((q1 << 64) | q0, r)
}

/// One quotient digit of `div_256_by_128` (Hacker's Delight `divlu`, 64-bit half-words): the
/// estimate `q` from the divisor's top half `dn1` (remainder `rhat`) lowered while it is too
/// large for the full divisor (`dn0` its low half, `next` the dividend's next half-word).
#[inline(always)]
fn corrected_digit(mut q: u128, mut rhat: u128, dn1: u64, dn0: u128, next: u128) -> u128 {
    const B: u128 = 1 << 64;
    // q < B is checked first, so q * dn0 < 2^128; rhat < B so rhat * B + next < 2^128.
    while q >= B || mul_64(q as u64, dn0 as u64) > (rhat << 64).wrapping_add(next) {
        q -= 1;
        rhat = rhat.wrapping_add(dn1 as u128);
        if rhat >= B {
            break;
        }
    }
    q
}

#[cfg(test)]
mod tests {
    //! Every routine against the straightforward implementation (`u128` operators, `uint`'s
    //! U256, `fixed::mul_div_reference`) over edge cases and random inputs.
    extern crate std;
    use super::*;
    use crate::fixed::{mul_div, mul_div_reference, U256};
    use crate::{Rounding, Wad, WAD};
    use proptest::prelude::*;
    use std::vec::Vec;

    /// Edge values: 0, 1, 2, around 2^32, 2^63, 2^64, 2^127, u64::MAX, u128::MAX, WAD and
    /// powers of ten.
    fn edges() -> Vec<u128> {
        let mut v = std::vec![0, 1, 2, 3, 7, 10, 10_000, WAD, WAD + 1, WAD - 1, WAD * 1_000_000];
        for shift in [31u32, 32, 33, 62, 63, 64, 65, 95, 96, 126, 127] {
            let p = 1u128 << shift;
            v.extend([p - 1, p, p + 1]);
        }
        v.extend([u64::MAX as u128, u64::MAX as u128 - 1, u128::MAX, u128::MAX - 1, u128::MAX / 2, u128::MAX / 3]);
        for e in [6u32, 8, 9, 12, 18, 20, 24, 30, 36, 38] {
            v.push(10u128.pow(e));
            v.push(10u128.pow(e) - 1);
        }
        v
    }

    fn wide_ref(hi: u128, lo: u128) -> U256 {
        (U256::from(hi) << 128) + U256::from(lo)
    }

    fn check_mul_div(a: u128, b: u128, c: u128) {
        for rounding in [Rounding::Down, Rounding::Up] {
            assert_eq!(
                mul_div(a, b, c, rounding),
                mul_div_reference(a, b, c, rounding),
                "mul_div({a}, {b}, {c}, {rounding:?})"
            );
        }
    }

    fn check_divisions(n: u128, d: u128) {
        if d == 0 {
            return;
        }
        assert_eq!(div_rem_u128(n, d), (n / d, n % d), "div_rem_u128({n}, {d})");
        if d <= u64::MAX as u128 {
            let (q, r) = div_rem_u128_by_u64(n, d as u64);
            assert_eq!((q, r as u128), (n / d, n % d), "div_rem_u128_by_u64({n}, {d})");
        }
    }

    fn check_256(hi: u128, lo: u128, d: u128) {
        if d == 0 || hi >= d {
            return;
        }
        let (q, r) = div_256_by_128(hi, lo, d);
        let (q_ref, r_ref) = wide_ref(hi, lo).div_mod(U256::from(d));
        assert_eq!((U256::from(q), U256::from(r)), (q_ref, r_ref), "div_256_by_128({hi}, {lo}, {d})");
    }

    #[test]
    fn edge_cases_match_the_reference() {
        let e = edges();
        for &a in &e {
            for &b in &e {
                let (hi, lo) = widening_mul(a, b);
                assert_eq!(wide_ref(hi, lo), U256::from(a) * U256::from(b), "widening_mul({a}, {b})");
                if a <= u64::MAX as u128 && b <= u64::MAX as u128 {
                    assert_eq!(mul_64(a as u64, b as u64), a * b);
                }
                check_divisions(a, b);
                for &c in &e {
                    check_mul_div(a, b, c);
                    check_256(a, b, c);
                }
            }
        }
        // Divisor 1 and 2^64, quotients at the u128 boundary.
        check_mul_div(u128::MAX, 1, 1);
        check_mul_div(u128::MAX, 1u128 << 64, 1u128 << 64);
        check_mul_div(u128::MAX, u128::MAX, u128::MAX);
        check_mul_div(u128::MAX, 2, 2);
        check_mul_div(u128::MAX, 3, 3);
        check_mul_div(u128::MAX, 2, 3);
    }

    #[test]
    fn to_u128_and_pow10_match_the_straightforward_versions() {
        for v in edges() {
            let whole = v / WAD;
            assert_eq!(Wad(v).to_u128(Rounding::Down), whole);
            assert_eq!(Wad(v).to_u128(Rounding::Up), whole + (v % WAD != 0) as u128);
        }
        for e in 0..=60u32 {
            assert_eq!(crate::fixed::pow10(e), 10u128.checked_pow(e).ok_or(crate::MathError::Overflow));
        }
        for d in 0..=20u8 {
            assert_eq!(crate::health::wad_times_pow10(d), Ok(WAD * 10u128.pow(d as u32)));
        }
    }

    /// `Wad::pow` as it was, on the reference `mul_div`.
    fn pow_reference(base: Wad, mut exponent: u64, rounding: Rounding) -> crate::MathResult<Wad> {
        let mul = |x: Wad, y: Wad| mul_div_reference(x.0, y.0, WAD, rounding).map(Wad);
        let (mut base, mut result) = (base, Wad::ONE);
        while exponent > 0 {
            if exponent & 1 == 1 {
                result = mul(result, base)?;
            }
            exponent >>= 1;
            if exponent > 0 {
                base = mul(base, base)?;
            }
        }
        Ok(result)
    }

    /// A u128 spread over every magnitude: a random value shifted right by a random amount.
    fn any_magnitude() -> impl Strategy<Value = u128> {
        (any::<u128>(), 0u32..128).prop_map(|(v, s)| v >> s)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn mul_div_matches_reference(a in any_magnitude(), b in any_magnitude(), c in any_magnitude()) {
            check_mul_div(a, b, c);
        }

        #[test]
        fn mul_div_matches_reference_full_range(a in any::<u128>(), b in any::<u128>(), c in any::<u128>()) {
            check_mul_div(a, b, c);
        }

        #[test]
        fn mul_div_matches_reference_u64(a in any::<u64>(), b in any::<u64>(), c in any::<u64>()) {
            check_mul_div(a as u128, b as u128, c as u128);
        }

        #[test]
        fn mul_div_matches_reference_wad_scale(a in 0u128..=u64::MAX as u128 * WAD, b in WAD / 1_000..=WAD * 1_000_000, decimals in 0u32..=20) {
            check_mul_div(a, b, WAD * 10u128.pow(decimals));
            check_mul_div(a, WAD, b);
            check_mul_div(a, b, WAD);
        }

        /// The operations built on prepared constant divisors (`Wad::mul`, `mul_bps`,
        /// `token_value` for every decimals) equal `mul_div_reference` with the plain divisor.
        #[test]
        fn prepared_divisors_match_reference(a in any_magnitude(), b in any_magnitude(), bps in 0u64..=100_000, decimals in 0u8..=22) {
            for rounding in [Rounding::Down, Rounding::Up] {
                prop_assert_eq!(Wad(a).mul(Wad(b), rounding).map(|w| w.0), mul_div_reference(a, b, WAD, rounding));
                prop_assert_eq!(Wad(a).mul_bps(bps, rounding).map(|w| w.0), mul_div_reference(a, bps as u128, 10_000, rounding));
                let denominator = 10u128.checked_pow(decimals as u32).and_then(|p| p.checked_mul(WAD));
                let expected = match denominator {
                    Some(denominator) => mul_div_reference(a, b, denominator, rounding),
                    None => Err(crate::MathError::Overflow),
                };
                prop_assert_eq!(crate::health::token_value(Wad(a), decimals, Wad(b), rounding).map(|w| w.0), expected);
            }
        }

        #[test]
        fn divisions_match_native(n in any_magnitude(), d in any_magnitude()) {
            check_divisions(n, d);
        }

        #[test]
        fn wide_division_matches_u256(hi in any_magnitude(), lo in any::<u128>(), d in any_magnitude()) {
            // Make hi < d where possible by reducing it modulo d.
            if d != 0 {
                check_256(hi % d, lo, d);
            }
            let (p_hi, p_lo) = widening_mul(hi, lo);
            prop_assert_eq!(wide_ref(p_hi, p_lo), U256::from(hi) * U256::from(lo));
        }

        /// Dividends built as `q * d + r` with a quotient below 2^64 (the ratios, such as
        /// utilisation): the path that skips the high quotient digit, and its boundary.
        #[test]
        fn wide_division_with_a_small_quotient(q in any::<u64>(), d in (1u128 << 64)..=u128::MAX, r in any::<u128>(), top in any::<bool>()) {
            let q = if top { u64::MAX } else { q };
            let n = U256::from(q) * U256::from(d) + U256::from(r % d);
            let (hi, lo) = ((n >> 128).low_u128(), n.low_u128());
            check_256(hi, lo, d);
            // One past the boundary: a quotient of 2^64 needs the high digit.
            let n = U256::from(u64::MAX) * U256::from(d) + U256::from(d);
            check_256((n >> 128).low_u128(), n.low_u128(), d);
        }

        #[test]
        fn to_u128_matches(v in any_magnitude()) {
            prop_assert_eq!(Wad(v).to_u128(Rounding::Down), v / WAD);
            prop_assert_eq!(Wad(v).to_u128(Rounding::Up), v / WAD + (v % WAD != 0) as u128);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn pow_matches_reference(rate in 0u128..=WAD * 10, exponent in any::<u64>(), small in 0u64..=100_000_000) {
            let base = Wad(WAD + rate / 31_536_000);
            for rounding in [Rounding::Down, Rounding::Up] {
                prop_assert_eq!(base.pow(small, rounding), pow_reference(base, small, rounding));
                prop_assert_eq!(base.pow(exponent, rounding), pow_reference(base, exponent, rounding));
                prop_assert_eq!(Wad(rate).pow(small % 64, rounding), pow_reference(Wad(rate), small % 64, rounding));
            }
        }
    }
}
