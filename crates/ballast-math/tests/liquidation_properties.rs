//! Property tests for liquidation sizing (DESIGN.md, Liquidation; invariant 6): the seized value
//! never exceeds the repaid value times (1 + max bonus), health strictly improves, no
//! over-liquidation, and the close factor holds unless the position is deep or dust.

use ballast_math::liquidation::{
    max_acceptable_repay, plan_liquidation, BonusConfig, Leg, LiquidationConfig, LiquidationError,
};
use ballast_math::{HealthAccumulator, Rounding, Wad};
use proptest::prelude::*;

fn config() -> LiquidationConfig {
    LiquidationConfig {
        close_factor_bps: 2_000,
        full_liquidation_health_factor_bps: 9_000,
        dust_value: Wad::from_u64(2),
        target_health_factor_bps: 10_500,
        bonus_ramp_bps: 1_000,
        ..Default::default()
    }
}

prop_compose! {
    /// An unhealthy two-asset obligation: collateral at `lt`, debt at `bf`, prices moved.
    fn scenario()(
        collateral_units in 1_000u64..=1_000_000_000_000,
        collateral_decimals in 0u8..=18,
        collateral_price_e8 in 1u64..=100_000_000_000_000,
        lt_bps in 1_000u16..=9_500,
        max_bonus_fraction in 0u32..=1_000,
        min_bonus_fraction in 0u32..=1_000,
        bf_bps in 10_000u16..=20_000,
        debt_decimals in 0u8..=12,
        debt_price_e8 in 1u64..=100_000_000_000_000,
        debt_ratio_bps in 10_001u64..=15_000,
        requested_bps in 1u64..=10_500,
        fee_bps in 0u16..=10_000,
    ) -> Option<(ballast_math::Health, Leg, Leg, BonusConfig, u64)> {
        let collateral_price = Wad(collateral_price_e8 as u128 * 10_000_000_000);
        let debt_price = Wad(debt_price_e8 as u128 * 10_000_000_000);
        // max bonus within lt * (1 + max) <= 1
        let max_allowed = (100_000_000u64 / lt_bps as u64).saturating_sub(10_000);
        let max_bonus = (max_allowed * max_bonus_fraction as u64 / 1_000).min(u16::MAX as u64) as u16;
        let min_bonus = (max_bonus as u64 * min_bonus_fraction as u64 / 1_000) as u16;
        let collateral = Leg { amount: Wad::from_u64(collateral_units), price: collateral_price, decimals: collateral_decimals, weight_bps: lt_bps };
        let weighted_collateral = ballast_math::health::token_value(collateral.amount, collateral_decimals, collateral_price, Rounding::Down).ok()?
            .mul_bps(lt_bps as u64, Rounding::Down).ok()?;
        // Debt sized so that weighted debt = weighted collateral * debt_ratio (unhealthy).
        let target_debt_value = weighted_collateral.mul_bps(debt_ratio_bps, Rounding::Up).ok()?.mul_ratio(10_000, bf_bps as u128, Rounding::Up).ok()?;
        // Base units (as a Wad) worth that value: value * 10^decimals / price.
        let scale = 10u128.pow(debt_decimals as u32) * ballast_math::WAD;
        let debt_amount = Wad(ballast_math::mul_div(target_debt_value.0, scale, debt_price.0, Rounding::Up).ok()?);
        if debt_amount.to_u64(Rounding::Up).is_err() || debt_amount.is_zero() { return None; }
        let debt = Leg { amount: debt_amount, price: debt_price, decimals: debt_decimals, weight_bps: bf_bps };
        let mut acc = HealthAccumulator::new();
        acc.add_collateral(collateral.amount, collateral_decimals, collateral_price, lt_bps).ok()?;
        acc.add_debt(debt.amount, debt_decimals, debt_price, bf_bps).ok()?;
        let health = acc.finish();
        if health.is_healthy() { return None; }
        // The liquidator asks for a share of the debt (above 100%: more than owed).
        let owed = debt.amount.to_u64(Rounding::Up).ok()?;
        let requested = ((owed as u128 * requested_bps as u128 / 10_000) as u64).max(1);
        Some((health, debt, collateral, BonusConfig { min_bonus_bps: min_bonus, max_bonus_bps: max_bonus, protocol_fee_bps: fee_bps, liquidatable_secs: 0 }, requested))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3_000, ..ProptestConfig::default() })]

    #[test]
    fn accepted_liquidations_obey_every_rule(s in scenario()) {
        prop_assume!(s.is_some(), "scenario overflowed or was healthy");
        let (health, debt, collateral, bonus, requested) = s.unwrap();
        let cfg = config();
        match plan_liquidation(&health, &debt, &collateral, &bonus, &cfg, requested) {
            Ok(plan) => {
                // Seized value <= repaid value x (1 + max bonus).
                let cap = plan.repay_value.mul_ratio(10_000 + bonus.max_bonus_bps as u128, 10_000, Rounding::Up)?;
                prop_assert!(plan.seized_value <= cap, "seized {:?} > cap {:?}", plan.seized_value, cap);
                prop_assert!(plan.bonus_bps <= bonus.max_bonus_bps);
                // At least the minimum bonus, unless (1 + bonus) x lt < bf binds below it.
                let improving = (debt.weight_bps as u128 * 10_000).div_ceil(collateral.weight_bps.max(1) as u128).saturating_sub(10_001);
                prop_assert!(plan.bonus_bps as u128 >= (bonus.min_bonus_bps as u128).min(improving), "bonus {} below the minimum {}", plan.bonus_bps, bonus.min_bonus_bps);
                // The seized amount is worth the seized value (to rounding), and the liquidator
                // is paid at least the repaid value (the bonus is never negative).
                let seized_worth = ballast_math::health::token_value(plan.seized_amount, collateral.decimals, collateral.price, Rounding::Down)?;
                let one_unit = ballast_math::health::token_value(Wad::ONE, collateral.decimals, collateral.price, Rounding::Up)?;
                prop_assert!(seized_worth <= plan.seized_value && plan.seized_value.saturating_sub(seized_worth) <= one_unit.checked_add(Wad(2))?,
                    "seized {:?} worth {:?} for value {:?}", plan.seized_amount, seized_worth, plan.seized_value);
                if plan.seized_amount < collateral.amount {
                    prop_assert!(plan.seized_value >= plan.repay_value);
                }
                // Never more collateral than the position holds; split adds up.
                prop_assert!(plan.seized_amount <= collateral.amount);
                prop_assert_eq!(Wad::from_u64(plan.liquidator_amount).checked_add(plan.protocol_amount)?, plan.seized_amount);
                // Never more than requested or owed.
                prop_assert!(plan.repay_amount <= requested);
                prop_assert!(plan.repay_amount <= debt.amount.to_u64(Rounding::Up)?);
                // Health strictly improves and no over-liquidation.
                let after = ballast_math::liquidation::health_after(&health, &debt, &collateral, &plan)?;
                prop_assert!(after.margin() > health.margin());
                // Close factor and target, unless deep or dust, or the repay is one base unit.
                let hf_before = health.weighted_collateral.div(health.weighted_debt, Rounding::Down)?;
                let deep = hf_before < Wad::from_bps(cfg.full_liquidation_health_factor_bps as u64);
                let smallest = plan.repay_amount == 1;
                if !plan.repays_all && !smallest && !after.weighted_debt.is_zero() && !deep && after.debt_value >= cfg.dust_value {
                    let hf = after.weighted_collateral.div(after.weighted_debt, Rounding::Down)?;
                    prop_assert!(hf <= Wad::from_bps(cfg.target_health_factor_bps as u64));
                }
                let close = debt.amount.mul_bps(cfg.close_factor_bps as u64, Rounding::Down)?.to_u64(Rounding::Down)?.max(1);
                if !deep && plan.repay_amount > close {
                    let rest = ballast_math::health::token_value(debt.amount.saturating_sub(debt.amount.mul_bps(cfg.close_factor_bps as u64, Rounding::Down)?), debt.decimals, debt.price, Rounding::Up)?;
                    prop_assert!(rest < cfg.dust_value, "repaid {} above close factor {close} without dust", plan.repay_amount);
                }
            }
            Err(LiquidationError::Healthy) => prop_assert!(false, "scenario is unhealthy"),
            Err(LiquidationError::Math(e)) => prop_assert!(matches!(e, ballast_math::MathError::Overflow), "{e:?}"),
            Err(_) => {}
        }
    }

    /// The bot's search finds a plan the program accepts, and one unit more is not better.
    #[test]
    fn max_acceptable_repay_is_accepted(s in scenario()) {
        prop_assume!(s.is_some(), "scenario overflowed or was healthy");
        let (health, debt, collateral, bonus, _) = s.unwrap();
        let cfg = config();
        let best = max_acceptable_repay(&health, &debt, &collateral, &bonus, &cfg);
        if let Some(plan) = best {
            let again = plan_liquidation(&health, &debt, &collateral, &bonus, &cfg, plan.repay_amount);
            prop_assert_eq!(again, Ok(plan));
        }
        // Nothing larger is accepted: in particular, when a full repay is accepted (deep in the
        // red, exempt from the target bound) the search returns it.
        let owed = debt.amount.to_u64(Rounding::Up).unwrap();
        if let Ok(full) = plan_liquidation(&health, &debt, &collateral, &bonus, &cfg, owed) {
            prop_assert!(best.is_some_and(|b| b.repay_amount >= full.repay_amount), "{best:?} vs {full:?}");
        }

    }
}

#[test]
fn healthy_obligations_cannot_be_liquidated() {
    let mut acc = HealthAccumulator::new();
    acc.add_collateral(Wad::from_u64(1_000), 0, Wad::ONE, 8_000).unwrap();
    acc.add_debt(Wad::from_u64(800), 0, Wad::ONE, 10_000).unwrap();
    let health = acc.finish();
    let leg = Leg { amount: Wad::from_u64(800), price: Wad::ONE, decimals: 0, weight_bps: 10_000 };
    let coll = Leg { amount: Wad::from_u64(1_000), price: Wad::ONE, decimals: 0, weight_bps: 8_000 };
    let bonus = BonusConfig { min_bonus_bps: 200, max_bonus_bps: 1_000, protocol_fee_bps: 0, liquidatable_secs: 0 };
    assert_eq!(plan_liquidation(&health, &leg, &coll, &bonus, &config(), 100), Err(LiquidationError::Healthy));
}

#[test]
fn bonus_grows_with_shortfall_and_is_capped() {
    use ballast_math::liquidation::bonus_bps;
    let bonus = BonusConfig { min_bonus_bps: 200, max_bonus_bps: 1_000, protocol_fee_bps: 0, liquidatable_secs: 0 };
    let big = Wad::from_u64(1_000_000);
    let small = Wad::from_u64(1);
    // At HF 1.0: the minimum; at HF 0.95 (half the 10% ramp): halfway; at 0.9 and below: max.
    assert_eq!(bonus_bps(Wad::ONE, big, small, &bonus, &config(), 8_000, 10_000), Ok(200));
    assert_eq!(bonus_bps(Wad::from_bps(9_500), big, small, &bonus, &config(), 8_000, 10_000), Ok(600));
    assert_eq!(bonus_bps(Wad::from_bps(9_000), big, small, &bonus, &config(), 8_000, 10_000), Ok(1_000));
    assert_eq!(bonus_bps(Wad::from_bps(5_000), big, small, &bonus, &config(), 8_000, 10_000), Ok(1_000));
    // Collateral worth 1.05x the debt: the bonus is capped at 5%.
    assert_eq!(
        bonus_bps(Wad::from_bps(5_000), Wad::from_u64(105), Wad::from_u64(100), &bonus, &config(), 8_000, 10_000),
        Ok(500)
    );
    // Collateral worth less than the debt, or less than (1 + min) x the debt: still the minimum,
    // so an insolvent obligation is worth clearing.
    assert_eq!(
        bonus_bps(Wad::from_bps(5_000), Wad::from_u64(99), Wad::from_u64(100), &bonus, &config(), 8_000, 10_000),
        Ok(200)
    );
    assert_eq!(
        bonus_bps(Wad::from_bps(5_000), Wad::from_u64(101), Wad::from_u64(100), &bonus, &config(), 8_000, 10_000),
        Ok(200)
    );
    // lt 80%, bf 100%: (1 + b) * 0.8 < 1 keeps b below 25% even if configured at 25%.
    let edge = BonusConfig { min_bonus_bps: 2_500, max_bonus_bps: 2_500, protocol_fee_bps: 0, liquidatable_secs: 0 };
    assert_eq!(bonus_bps(Wad::from_bps(5_000), big, small, &edge, &config(), 8_000, 10_000), Ok(2_499));
}

/// A debt above u64::MAX base units is liquidated in parts: the plan repays at most u64::MAX and
/// never claims to repay it all.
#[test]
fn a_debt_above_u64_max_is_liquidated_in_parts() {
    let owed = Wad::from_u64(u64::MAX).checked_add(Wad::from_u64(u64::MAX)).unwrap();
    // 0-decimal tokens at $1e-9 (debt) and $1 (collateral): value well inside a Wad.
    let debt = Leg { amount: owed, price: Wad(1_000_000_000), decimals: 0, weight_bps: 10_000 };
    let coll = Leg { amount: Wad::from_u64(40_000_000_000), price: Wad::ONE, decimals: 0, weight_bps: 8_000 };
    let mut acc = ballast_math::HealthAccumulator::new();
    acc.add_collateral(coll.amount, 0, coll.price, coll.weight_bps).unwrap();
    acc.add_debt(debt.amount, 0, debt.price, debt.weight_bps).unwrap();
    let health = acc.finish();
    assert!(!health.is_healthy());
    let bonus = BonusConfig { min_bonus_bps: 200, max_bonus_bps: 1_000, protocol_fee_bps: 0, liquidatable_secs: 0 };
    let plan = plan_liquidation(&health, &debt, &coll, &bonus, &config(), u64::MAX).unwrap();
    assert_eq!(plan.repay_amount, u64::MAX, "deep in the red: as much as one amount can be");
    assert!(!plan.repays_all);
    let best = max_acceptable_repay(&health, &debt, &coll, &bonus, &config()).expect("the bot can size it");
    assert_eq!(best, plan);
}

/// A coarse debt token (0 decimals, $36.70 a unit) owed as 1.0002 units, deep in the red, against
/// one collateral position worth $38: repaying the 2 units the debt rounds up to needs more
/// collateral than there is, and repaying 1 unit leaves only dust debt. That plan must be
/// accepted (no target deep in the red or with dust left), or no liquidation could ever clear it.
#[test]
fn a_coarse_debt_deep_in_the_red_can_be_liquidated_down_to_dust() {
    let debt = Leg {
        amount: Wad(1_000_200_000_000_000_000),
        price: Wad::from_u64(3_670).mul_ratio(1, 100, Rounding::Down).unwrap(),
        decimals: 0,
        weight_bps: 10_000,
    };
    let collateral = Leg { amount: Wad::from_u64(38_000_000), price: Wad::ONE, decimals: 6, weight_bps: 8_000 };
    let mut acc = HealthAccumulator::new();
    acc.add_collateral(collateral.amount, collateral.decimals, collateral.price, collateral.weight_bps).unwrap();
    acc.add_debt(debt.amount, debt.decimals, debt.price, debt.weight_bps).unwrap();
    let health = acc.finish();
    assert!(!health.is_healthy());
    let bonus = BonusConfig { min_bonus_bps: 200, max_bonus_bps: 1_000, protocol_fee_bps: 0, liquidatable_secs: 0 };
    let plan = plan_liquidation(&health, &debt, &collateral, &bonus, &config(), 1).expect("one unit is accepted");
    assert_eq!((plan.repay_amount, plan.repays_all), (1, false));
    assert!(max_acceptable_repay(&health, &debt, &collateral, &bonus, &config()).is_some());
}

/// A coarse debt token (0 decimals, $450 a unit) owed as 1.8 units, liquidatable but not deep
/// (HF 0.96): the 20% close factor floors to zero units and one unit lifts the health factor to
/// about 1.11, over the 1.05 target. One unit is the smallest repay there is, so it is accepted;
/// refusing it would leave a liquidatable obligation that no liquidation can clear.
#[test]
fn a_coarse_debt_not_deep_can_be_liquidated_one_unit_at_a_time() {
    let debt =
        Leg { amount: Wad(1_800_000_000_000_000_000), price: Wad::from_u64(450), decimals: 0, weight_bps: 10_000 };
    let collateral = Leg { amount: Wad::from_u64(972_000_000), price: Wad::ONE, decimals: 6, weight_bps: 8_000 };
    let mut acc = HealthAccumulator::new();
    acc.add_collateral(collateral.amount, collateral.decimals, collateral.price, collateral.weight_bps).unwrap();
    acc.add_debt(debt.amount, debt.decimals, debt.price, debt.weight_bps).unwrap();
    let health = acc.finish();
    let hf = health.weighted_collateral.div(health.weighted_debt, Rounding::Down).unwrap();
    assert!(!health.is_healthy() && hf >= Wad::from_bps(9_000), "liquidatable, not deep: {hf:?}");
    let bonus = BonusConfig { min_bonus_bps: 200, max_bonus_bps: 1_000, protocol_fee_bps: 0, liquidatable_secs: 0 };
    for requested in [1, 2, u64::MAX] {
        let plan =
            plan_liquidation(&health, &debt, &collateral, &bonus, &config(), requested).expect("one unit is accepted");
        assert_eq!((plan.repay_amount, plan.repays_all), (1, false));
        let after = ballast_math::liquidation::health_after(&health, &debt, &collateral, &plan).unwrap();
        let hf_after = after.weighted_collateral.div(after.weighted_debt, Rounding::Down).unwrap();
        assert!(
            hf_after > Wad::from_bps(config().target_health_factor_bps as u64),
            "the unit overshoots: {hf_after:?}"
        );
    }
    assert_eq!(max_acceptable_repay(&health, &debt, &collateral, &bonus, &config()).map(|p| p.repay_amount), Some(1));
}

/// The one-unit exemption is only for one unit: the same state in a 6-decimal token, under a 50%
/// close factor (whose full repay would lift the health factor to about 1.10), is still bounded
/// by the 1.05 target.
#[test]
fn the_target_still_binds_a_fine_grained_debt() {
    let cfg = LiquidationConfig { close_factor_bps: 5_000, ..config() };
    let debt = Leg { amount: Wad::from_u64(1_800_000), price: Wad::from_u64(450), decimals: 6, weight_bps: 10_000 };
    let collateral = Leg { amount: Wad::from_u64(972_000_000), price: Wad::ONE, decimals: 6, weight_bps: 8_000 };
    let mut acc = HealthAccumulator::new();
    acc.add_collateral(collateral.amount, collateral.decimals, collateral.price, collateral.weight_bps).unwrap();
    acc.add_debt(debt.amount, debt.decimals, debt.price, debt.weight_bps).unwrap();
    let health = acc.finish();
    let bonus = BonusConfig { min_bonus_bps: 200, max_bonus_bps: 1_000, protocol_fee_bps: 0, liquidatable_secs: 0 };
    assert_eq!(
        plan_liquidation(&health, &debt, &collateral, &bonus, &cfg, 900_000).unwrap_err(),
        LiquidationError::OverLiquidation,
        "the close factor's repay overshoots the target and is refused where units are fine"
    );
    let best = max_acceptable_repay(&health, &debt, &collateral, &bonus, &cfg).expect("sized");
    assert!(best.repay_amount > 1 && best.repay_amount < 900_000, "{best:?}");
    let after = ballast_math::liquidation::health_after(&health, &debt, &collateral, &best).unwrap();
    let hf_after = after.weighted_collateral.div(after.weighted_debt, Rounding::Down).unwrap();
    assert!(hf_after <= Wad::from_bps(cfg.target_health_factor_bps as u64), "{hf_after:?}");
}
