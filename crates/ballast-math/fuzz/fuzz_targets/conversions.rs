//! Share and debt conversions from arbitrary reserve states and operation sequences: no panic,
//! no value created, rounding always in the protocol's favour.
#![no_main]

use arbitrary::Arbitrary;
use ballast_math::curve::{CurvePoint, InterestCurve};
use ballast_math::{ReserveAccounting, Rounding, Wad};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Deposit(u64),
    Redeem(u64),
    Withdraw(u64),
    Borrow(u64),
    Repay(u64),
    Accrue(u32),
}

#[derive(Arbitrary, Debug)]
struct Input {
    seed: u64,
    rate_bps: u16,
    protocol_take_bps: u16,
    insurance_take_bps: u16,
    ops: Vec<Op>,
}

fuzz_target!(|input: Input| {
    let curve = InterestCurve::from_points(&[
        CurvePoint { utilization_bps: 0, borrow_rate_bps: 0 },
        CurvePoint { utilization_bps: 10_000, borrow_rate_bps: input.rate_bps as u32 },
    ])
    .unwrap();
    let (protocol, insurance) = (input.protocol_take_bps % 5_001, input.insurance_take_bps % 5_000);
    let mut reserve = ReserveAccounting::new(0);
    if reserve.deposit(input.seed.max(1), u64::MAX).is_err() {
        return;
    }
    let mut holder_shares = 0u64;
    let mut debt_shares = Wad::ZERO;
    let mut now = 0i64;
    for op in input.ops.into_iter().take(64) {
        let value_before = reserve.supply_share_value();
        let index_before = reserve.borrow_index;
        match op {
            Op::Deposit(amount) => {
                if let Ok(shares) = reserve.deposit(amount, u64::MAX) {
                    holder_shares += shares;
                    // Minted shares are never worth more than the deposit.
                    let worth = reserve.liquidity_for_shares(shares).unwrap();
                    assert!(worth <= Wad::from_u64(amount));
                }
            }
            Op::Redeem(shares) => {
                let shares = shares.min(holder_shares);
                if let Ok(paid) = reserve.redeem(shares) {
                    holder_shares -= shares;
                    let _ = paid;
                }
            }
            Op::Withdraw(amount) => {
                let worth = reserve.liquidity_for_shares(holder_shares).unwrap_or(Wad::ZERO);
                if Wad::from_u64(amount) <= worth {
                    if let Ok(burned) = reserve.withdraw(amount) {
                        assert!(burned <= holder_shares || holder_shares == 0);
                        holder_shares = holder_shares.saturating_sub(burned);
                    }
                }
            }
            Op::Borrow(amount) => {
                if let Ok(shares) = reserve.borrow(amount, u64::MAX) {
                    debt_shares = debt_shares.checked_add(shares).unwrap();
                    assert!(reserve.repay_amount_to_clear(shares).unwrap() >= amount);
                }
            }
            Op::Repay(amount) => {
                if !debt_shares.is_zero() {
                    if let Ok(r) = reserve.repay(amount, debt_shares) {
                        assert!(reserve.debt_amount(r.debt_shares_burned, Rounding::Down).unwrap() <= Wad::from_u64(r.amount));
                        debt_shares = debt_shares.checked_sub(r.debt_shares_burned).unwrap();
                    }
                }
            }
            Op::Accrue(seconds) => {
                now += seconds as i64;
                let before = reserve;
                if reserve.accrue(now, &curve, protocol, insurance).is_err() {
                    assert_eq!(reserve, before, "failed accrual changed state");
                }
            }
        }
        assert!(reserve.borrow_index >= index_before);
        if let (Ok(before), Ok(after)) = (value_before, reserve.supply_share_value()) {
            assert!(after >= before, "share value fell");
        }
        assert_eq!(reserve.total_debt_shares, debt_shares);
    }
});
