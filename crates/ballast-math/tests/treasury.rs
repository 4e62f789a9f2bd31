//! Fee and insurance withdrawals and flash-loan fees never touch depositors' value (issue 17):
//! for any reserve state, the supply share value after each is exactly the value before.

use ballast_math::treasury::{TreasuryConfig, FLASH_LOANS_DISABLED, MAX_FLASH_LOAN_FEE_BPS};
use ballast_math::{MathError, ReserveAccounting, Wad};
use proptest::prelude::*;

fn reserve(available: u64, debt: u64, supply_shares: u64, protocol: u64, insurance: u64) -> ReserveAccounting {
    ReserveAccounting {
        available_liquidity: available,
        total_debt_shares: Wad::from_u64(debt),
        borrow_index: Wad::ONE,
        total_supply_shares: supply_shares,
        protocol_fees: Wad::from_u64(protocol),
        insurance_fees: Wad::from_u64(insurance),
        last_update_ts: 0,
    }
}

prop_compose! {
    /// A solvent reserve whose fees are covered by its liquidity.
    fn any_reserve()(available in 1u64..1u64 << 50, debt in 0u64..1u64 << 50, shares in 1u64..1u64 << 50,
                     protocol_share in 0u64..1_000, insurance_share in 0u64..1_000, fraction in 1u64..1_000_000)
                     -> ReserveAccounting {
        let pot = available.min(debt.saturating_add(available)) / 4;
        let protocol = pot / 1_000 * protocol_share + fraction % 7;
        let insurance = pot / 1_000 * insurance_share;
        let mut r = reserve(available, debt, shares, protocol, insurance);
        r.protocol_fees = Wad(r.protocol_fees.0 + fraction as u128); // fees carry fractions of a unit
        r
    }
}

proptest! {
    #[test]
    fn withdrawing_fees_or_insurance_keeps_the_share_value(r in any_reserve(), ask in 0u64..1u64 << 50,
                                                           floor in 0u64..1u64 << 40) {
        let value = r.supply_share_value().unwrap();
        let liquidity = r.total_liquidity().unwrap();
        for all in [false, true] {
            let amount = if all { u64::MAX } else { ask };
            let mut fees = r;
            if let Ok(paid) = fees.withdraw_protocol_fees(amount) {
                prop_assert_eq!(fees.total_liquidity().unwrap(), liquidity);
                prop_assert_eq!(fees.supply_share_value().unwrap(), value);
                prop_assert_eq!(fees.available_liquidity, r.available_liquidity - paid);
                prop_assert!(fees.protocol_fees < Wad::ONE || !all, "all leaves less than one unit");
            }
            let mut insurance = r;
            if let Ok(paid) = insurance.withdraw_insurance(amount, floor) {
                prop_assert_eq!(insurance.total_liquidity().unwrap(), liquidity);
                prop_assert_eq!(insurance.supply_share_value().unwrap(), value);
                prop_assert!(insurance.insurance_fees >= Wad::from_u64(floor));
                prop_assert_eq!(insurance.available_liquidity, r.available_liquidity - paid);
            }
        }
    }

    #[test]
    fn a_flash_loan_fee_goes_to_the_protocol_and_insurance_only(r in any_reserve(), fee in 0u64..1u64 << 40,
                                                                 p in 0u16..5_000, i in 0u16..5_000) {
        let mut after = r;
        after.credit_flash_loan_fee(fee, p, i).unwrap();
        prop_assert_eq!(after.total_liquidity().unwrap(), r.total_liquidity().unwrap());
        prop_assert_eq!(after.supply_share_value().unwrap(), r.supply_share_value().unwrap());
        let credited = after.protocol_fees.checked_sub(r.protocol_fees).unwrap()
            .checked_add(after.insurance_fees.checked_sub(r.insurance_fees).unwrap()).unwrap();
        prop_assert_eq!(credited, Wad::from_u64(fee));
        prop_assert_eq!(after.available_liquidity, r.available_liquidity + fee);
    }
}

#[test]
fn withdrawals_are_bounded_by_what_accrued_and_the_floor() {
    let r = reserve(1_000, 0, 1_000, 300, 500);
    assert_eq!(r.clone().withdraw_protocol_fees(301), Err(MathError::FeesExceedAccrued));
    assert_eq!(r.clone().withdraw_protocol_fees(0), Err(MathError::ZeroAmount));
    assert_eq!(r.clone().withdraw_protocol_fees(u64::MAX), Ok(300));
    assert_eq!(r.clone().withdraw_insurance(201, 300), Err(MathError::InsuranceBelowFloor));
    assert_eq!(r.clone().withdraw_insurance(u64::MAX, 300), Ok(200));
    assert_eq!(r.clone().withdraw_insurance(u64::MAX, 500), Err(MathError::ZeroAmount));
    // Fees the vault does not hold (lent out) wait for repayments.
    let lent = reserve(100, 900, 1_000, 300, 0);
    assert_eq!(lent.clone().withdraw_protocol_fees(300), Err(MathError::InsufficientLiquidity));
}

#[test]
fn the_flash_loan_fee_rounds_up_and_splits_by_take_rates() {
    let config = TreasuryConfig { insurance_floor: 0, flash_loan_fee_bps: 9 };
    assert_eq!(config.flash_loan_fee(1_000_000), Ok(900));
    assert_eq!(config.flash_loan_fee(1), Ok(1), "never free for a tiny loan");
    assert_eq!(TreasuryConfig { flash_loan_fee_bps: 0, ..config }.flash_loan_fee(1_000), Ok(0));
    let mut r = reserve(1_000, 0, 1_000, 0, 0);
    r.credit_flash_loan_fee(90, 1_000, 500).unwrap();
    assert_eq!((r.protocol_fees, r.insurance_fees), (Wad::from_u64(60), Wad::from_u64(30)));
    let mut none = reserve(1_000, 0, 1_000, 0, 0);
    none.credit_flash_loan_fee(90, 0, 0).unwrap();
    assert_eq!(none.protocol_fees, Wad::from_u64(90));
    assert!(TreasuryConfig { flash_loan_fee_bps: MAX_FLASH_LOAN_FEE_BPS + 1, ..config }.validate().is_err());
    assert!(TreasuryConfig { flash_loan_fee_bps: FLASH_LOANS_DISABLED, ..config }.validate().is_ok());
    assert!(!TreasuryConfig { flash_loan_fee_bps: FLASH_LOANS_DISABLED, ..config }.flash_loans_enabled());
}
