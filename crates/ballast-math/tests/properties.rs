//! Property tests for DESIGN.md's rounding table and monotonicity rules, over decimals 0..=18,
//! amounts up to u64::MAX and prices from 1e-8 to 1e12. Every operation either succeeds within
//! the rule or returns an error: nothing panics.

use ballast_math::curve::{CurvePoint, InterestCurve};
use ballast_math::health::token_value;
use ballast_math::price::scaled_to_wad;
use ballast_math::{HealthAccumulator, MathError, ReserveAccounting, Rounding, Wad, WAD};
use proptest::prelude::*;

fn curve() -> InterestCurve {
    InterestCurve::from_points(&[
        CurvePoint { utilization_bps: 0, borrow_rate_bps: 100 },
        CurvePoint { utilization_bps: 8_000, borrow_rate_bps: 1_500 },
        CurvePoint { utilization_bps: 10_000, borrow_rate_bps: 30_000 },
    ])
    .unwrap()
}

/// A reserve in a random but reachable state: a seed deposit, a borrow and some accrued time.
fn reserve_strategy() -> impl Strategy<Value = ReserveAccounting> {
    (1u64..=1_000_000_000_000_000_000, 0u64..=9_000, 0i64..=5 * 31_536_000).prop_map(|(seed, borrow_bps, elapsed)| {
        let mut reserve = ReserveAccounting::new(0);
        reserve.deposit(seed, u64::MAX).unwrap();
        let borrow = (seed as u128 * borrow_bps as u128 / 10_000) as u64;
        if borrow > 0 {
            reserve.borrow(borrow, u64::MAX).unwrap();
        }
        // Extreme states may overflow; those are errors, never panics, and are skipped here.
        let _ = reserve.accrue(elapsed, &curve(), 1_000, 500);
        reserve
    })
}

/// Prices from 1e-8 to 1e12 USD as (mantissa, exponent) with exponent -8.
fn price_strategy() -> impl Strategy<Value = Wad> {
    (1u64..=100_000_000_000_000_000_000u128.min(i64::MAX as u128) as u64)
        .prop_map(|mantissa| scaled_to_wad(mantissa as u128, -8, Rounding::Down).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// redeem(deposit(x)) <= x: a round trip never pays out more than went in.
    #[test]
    fn deposit_then_redeem_never_gains(mut reserve in reserve_strategy(), amount in 1u64..=1_000_000_000_000_000_000) {
        let before = reserve.supply_share_value();
        match reserve.deposit(amount, u64::MAX) {
            Ok(shares) => {
                let paid = reserve.redeem(shares);
                if let Ok(paid) = paid {
                    prop_assert!(paid <= amount, "paid {paid} > deposited {amount}");
                }
                prop_assert!(reserve.supply_share_value()? >= before?, "share value fell");
            }
            Err(e) => prop_assert!(matches!(e, MathError::ZeroAmount | MathError::Overflow | MathError::SupplyCapExceeded), "{e:?}"),
        }
    }

    /// Withdrawing an amount burns at least the shares that amount is worth.
    #[test]
    fn withdraw_burns_enough_shares(mut reserve in reserve_strategy(), fraction_bps in 1u64..=10_000) {
        let amount = (reserve.available_liquidity as u128 * fraction_bps as u128 / 10_000) as u64;
        prop_assume!(amount > 0);
        let Ok(value_before) = reserve.supply_share_value() else { return Ok(()) };
        if let Ok(burned) = reserve.withdraw(amount) {
            let burned_value = Wad::from_u64(burned).mul(value_before, Rounding::Up)?;
            prop_assert!(burned_value >= Wad::from_u64(amount).saturating_sub(Wad(burned as u128)), "burned too few shares");
            prop_assert!(reserve.supply_share_value()? >= value_before, "share value fell");
        }
    }

    /// repay_needed(borrow(x)) >= x: debt is recorded rounded up.
    #[test]
    fn borrow_then_repay_needs_at_least_the_borrow(mut reserve in reserve_strategy(), amount in 1u64..=u64::MAX) {
        let amount = amount.min(reserve.available_liquidity.max(1));
        if let Ok(debt_shares) = reserve.borrow(amount, u64::MAX) {
            let needed = reserve.repay_amount_to_clear(debt_shares)?;
            prop_assert!(needed >= amount, "needed {needed} < borrowed {amount}");
            let repaid = reserve.repay(u64::MAX, debt_shares)?;
            prop_assert_eq!(repaid.amount, needed);
            prop_assert_eq!(repaid.debt_shares_burned, debt_shares);
        }
    }

    /// A partial repay never burns more debt than it pays for.
    #[test]
    fn partial_repay_burns_no_more_than_paid(mut reserve in reserve_strategy(), amount in 2u64..=u64::MAX / 8, part_bps in 1u64..10_000) {
        let amount = amount.min(reserve.available_liquidity);
        prop_assume!(amount > 1);
        let debt_shares = match reserve.borrow(amount, u64::MAX) { Ok(s) => s, Err(_) => return Ok(()) };
        let pay = ((amount as u128 * part_bps as u128) / 10_000).max(1) as u64;
        let repaid = reserve.repay(pay, debt_shares)?;
        let burned_debt = reserve.debt_amount(repaid.debt_shares_burned, Rounding::Down)?;
        prop_assert!(burned_debt <= Wad::from_u64(repaid.amount), "burned {burned_debt:?} for {}", repaid.amount);
    }

    /// Accrual never lowers the borrow index or the supply share value (invariant 3), and fees
    /// never exceed the interest.
    #[test]
    fn accrual_is_monotonic(mut reserve in reserve_strategy(), elapsed in 0i64..=10 * 31_536_000) {
        let index = reserve.borrow_index;
        let (Ok(value), Ok(debt)) = (reserve.supply_share_value(), reserve.total_debt(Rounding::Down)) else { return Ok(()) };
        let fees = reserve.protocol_fees.checked_add(reserve.insurance_fees)?;
        let now = reserve.last_update_ts + elapsed;
        let before = reserve;
        if reserve.accrue(now, &curve(), 1_000, 500).is_err() {
            prop_assert_eq!(reserve, before, "a failed accrual changed state");
        } else {
            prop_assert!(reserve.borrow_index >= index);
            prop_assert!(reserve.supply_share_value()? >= value);
            prop_assert_eq!(reserve.last_update_ts, now);
            let interest = reserve.total_debt(Rounding::Down)?.saturating_sub(debt);
            let new_fees = reserve.protocol_fees.checked_add(reserve.insurance_fees)?.saturating_sub(fees);
            prop_assert!(new_fees <= interest);
        }
    }

    /// Collateral value rounds down and debt value rounds up, for every decimals and price.
    #[test]
    fn valuation_rounds_against_the_borrower(amount in 0u64..=u64::MAX, decimals in 0u8..=18, price in price_strategy()) {
        let amount = Wad::from_u64(amount);
        let down = token_value(amount, decimals, price, Rounding::Down);
        let up = token_value(amount, decimals, price, Rounding::Up);
        match (down, up) {
            (Ok(down), Ok(up)) => prop_assert!(up.0 - down.0 <= 1 && up >= down),
            (Err(a), Err(b)) => prop_assert!(a == MathError::Overflow && b == MathError::Overflow),
            _ => prop_assert!(false, "rounding directions disagree on overflow"),
        }
    }

    /// Same collateral against the same debt: with ltv < 100% and borrow factor >= 100%,
    /// an obligation can never have positive initial health.
    #[test]
    fn same_asset_loop_is_never_healthy_at_full_weight(amount in 1u64..=u64::MAX, decimals in 0u8..=18, price in price_strategy(), ltv in 0u16..10_000) {
        let mut acc = HealthAccumulator::new();
        let amount = Wad::from_u64(amount);
        if acc.add_collateral(amount, decimals, price, ltv).is_ok() && acc.add_debt(amount, decimals, price, 10_000).is_ok() {
            let health = acc.finish();
            let debt_is_zero = health.weighted_debt.is_zero();
            prop_assert!(!health.is_healthy() || debt_is_zero || health.weighted_collateral == health.weighted_debt);
        }
    }

    /// No operation sequence creates value: after random deposits, borrows, repays, withdrawals
    /// and time, liquidity = available + debt - fees, and every holder's redeemable value summed
    /// never exceeds it.
    #[test]
    fn no_sequence_creates_value(ops in proptest::collection::vec((0u8..5, 1u64..=1_000_000_000_000u64), 1..40)) {
        let mut reserve = ReserveAccounting::new(0);
        reserve.deposit(1_000_000, u64::MAX)?; // locked seed
        let mut holder_shares: u64 = 0;
        let mut debt_shares = Wad::ZERO;
        let mut now = 0i64;
        let mut paid_in: u128 = 1_000_000;
        let mut paid_out: u128 = 0;
        for (op, amount) in ops {
            match op {
                0 => if let Ok(s) = reserve.deposit(amount, u64::MAX) { holder_shares += s; paid_in += amount as u128; },
                1 => if holder_shares > 0 { if let Ok(out) = reserve.redeem(holder_shares.min(amount)) { holder_shares -= holder_shares.min(amount); paid_out += out as u128; } },
                2 => {
                    let borrow = amount.min(reserve.available_liquidity / 2).max(1);
                    if let Ok(s) = reserve.borrow(borrow, u64::MAX) { debt_shares = debt_shares.checked_add(s)?; paid_out += borrow as u128; }
                }
                3 => if !debt_shares.is_zero() { if let Ok(r) = reserve.repay(amount, debt_shares) { debt_shares = debt_shares.checked_sub(r.debt_shares_burned)?; paid_in += r.amount as u128; } },
                _ => { now += (amount % 3_000_000) as i64; reserve.accrue(now, &curve(), 1_000, 500)?; },
            }
            prop_assert_eq!(reserve.total_debt_shares, debt_shares);
            // Tokens held by the reserve are exactly what was tracked.
            prop_assert_eq!(reserve.available_liquidity as u128, paid_in - paid_out);
            let holder_value = reserve.liquidity_for_shares(holder_shares)?;
            prop_assert!(holder_value <= reserve.total_liquidity()?);
        }
    }
}

#[test]
fn extreme_amounts_return_errors_not_panics() {
    let mut reserve = ReserveAccounting::new(0);
    reserve.deposit(u64::MAX, u64::MAX).unwrap();
    assert_eq!(reserve.deposit(1, u64::MAX), Err(MathError::Overflow));

    // A Wad holds up to ~3.4e20 USD. u64::MAX whole tokens (0 decimals) at $1e12 is ~1.8e31 USD:
    // an Overflow error, not a wrapped value.
    let top_price = scaled_to_wad(1_000_000_000_000, 0, Rounding::Down).unwrap();
    let mut acc = HealthAccumulator::new();
    assert_eq!(acc.add_collateral(Wad::from_u64(u64::MAX), 0, top_price, 10_000), Err(MathError::Overflow));
    assert_eq!(acc.add_debt(Wad::from_u64(u64::MAX), 0, top_price, 10_000), Err(MathError::Overflow));
    // The same amount with 18 decimals (18.4 whole tokens) at $1e12 values fine.
    assert!(acc.add_collateral(Wad::from_u64(u64::MAX), 18, top_price, 10_000).is_ok());
    assert_eq!(acc.finish().collateral_value.to_u128(Rounding::Down), 18_446_744_073_709);
    assert!(WAD.checked_mul(u64::MAX as u128).is_some());
}
