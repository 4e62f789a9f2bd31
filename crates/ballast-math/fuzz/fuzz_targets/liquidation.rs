//! Liquidation sizing from arbitrary states: no panic; an accepted plan never seizes more than
//! repaid x (1 + max bonus) or than the position holds, and always improves health.
#![no_main]

use arbitrary::Arbitrary;
use ballast_math::liquidation::{health_after, plan_liquidation, BonusConfig, Leg, LiquidationConfig};
use ballast_math::{HealthAccumulator, Rounding, Wad};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    collateral: u64,
    collateral_decimals: u8,
    collateral_price: u64,
    debt: u64,
    debt_decimals: u8,
    debt_price: u64,
    lt_bps: u16,
    bf_bps: u16,
    max_bonus_bps: u16,
    min_bonus_bps: u16,
    fee_bps: u16,
    close_factor_bps: u16,
    requested: u64,
}

fuzz_target!(|i: Input| {
    let lt = 1_000 + i.lt_bps % 9_000;
    let max_allowed = (100_000_000u32 / lt as u32).saturating_sub(10_000) as u16;
    let max_bonus = i.max_bonus_bps % (max_allowed + 1);
    let bonus = BonusConfig { min_bonus_bps: i.min_bonus_bps % (max_bonus + 1), max_bonus_bps: max_bonus, protocol_fee_bps: i.fee_bps % 10_001, liquidatable_secs: 0 };
    let config = LiquidationConfig {
        close_factor_bps: 1 + i.close_factor_bps % 10_000,
        full_liquidation_health_factor_bps: 9_500,
        dust_value: Wad::from_u64(2),
        target_health_factor_bps: 11_000,
        bonus_ramp_bps: 1_000,
        ..Default::default()
    };
    let collateral = Leg {
        amount: Wad::from_u64(i.collateral),
        price: Wad(i.collateral_price as u128 * 10_000_000_000),
        decimals: i.collateral_decimals % 13,
        weight_bps: lt,
    };
    let debt = Leg { amount: Wad::from_u64(i.debt), price: Wad(i.debt_price as u128 * 10_000_000_000), decimals: i.debt_decimals % 13, weight_bps: 10_000 + i.bf_bps % 10_000 };
    let mut acc = HealthAccumulator::new();
    if acc.add_collateral(collateral.amount, collateral.decimals, collateral.price, lt).is_err()
        || acc.add_debt(debt.amount, debt.decimals, debt.price, debt.weight_bps).is_err()
    {
        return;
    }
    let health = acc.finish();
    if let Ok(plan) = plan_liquidation(&health, &debt, &collateral, &bonus, &config, i.requested) {
        // (The cap itself may not fit a Wad for extreme values; the plan, which used a bonus at
        // most the maximum, did.)
        if let Ok(cap) = plan.repay_value.mul_ratio(10_000 + max_bonus as u128, 10_000, Rounding::Up) {
            assert!(plan.seized_value <= cap);
        }
        assert!(plan.seized_amount <= collateral.amount);
        assert!(plan.repay_amount <= i.requested);
        let after = health_after(&health, &debt, &collateral, &plan).unwrap();
        assert!(after.margin() > health.margin());
    }
});
