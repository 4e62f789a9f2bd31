//! The Dutch-auction bonus and liquidation pacing (issue 16, cascade containment): the bonus
//! grows with the time an obligation has been liquidatable, never below the shortfall ramp deep
//! in the red; a collateral over its depth budget is liquidated at the paced close factor, except
//! deep in the red or when the rest would be dust.

use ballast_math::liquidation::{
    bonus_bps, plan_liquidation, size_liquidation, BonusConfig, Leg, LiquidationConfig, SeizurePacing, MAX_AUCTION_SECS,
};
use ballast_math::window::DecayingTotal;
use ballast_math::{Health, HealthAccumulator, Wad};
use proptest::prelude::*;

fn ramp_only() -> LiquidationConfig {
    LiquidationConfig {
        close_factor_bps: 5_000,
        full_liquidation_health_factor_bps: 9_000,
        dust_value: Wad::from_u64(2),
        target_health_factor_bps: 11_000,
        bonus_ramp_bps: 2_000,
        ..Default::default()
    }
}

fn auction(secs: u64) -> LiquidationConfig {
    LiquidationConfig { auction_secs: secs, ..ramp_only() }
}

fn bonus_after(secs: u64) -> BonusConfig {
    BonusConfig { min_bonus_bps: 200, max_bonus_bps: 1_000, protocol_fee_bps: 0, liquidatable_secs: secs }
}

/// The bonus at health factor `hf_bps` with room to spare (no collateral cap, lt 80%, bf 100%).
fn bonus_at(hf_bps: u64, bonus: &BonusConfig, config: &LiquidationConfig) -> u16 {
    let (big, small) = (Wad::from_u64(1_000_000), Wad::from_u64(1));
    bonus_bps(Wad::from_bps(hf_bps), big, small, bonus, config, 8_000, 10_000).unwrap()
}

#[test]
fn the_auction_bonus_grows_with_time_from_the_minimum_to_the_maximum() {
    let config = auction(600);
    // HF 0.95 is not deep (full liquidation below 0.90): the auction alone, from the minimum,
    // where the shortfall ramp (5% of a 20% ramp) would pay 400 at once.
    assert_eq!(bonus_at(9_500, &bonus_after(0), &ramp_only()), 400);
    assert_eq!(bonus_at(9_500, &bonus_after(0), &config), 200);
    assert_eq!(bonus_at(9_500, &bonus_after(150), &config), 400);
    assert_eq!(bonus_at(9_500, &bonus_after(300), &config), 600);
    assert_eq!(bonus_at(9_500, &bonus_after(600), &config), 1_000);
    assert_eq!(bonus_at(9_500, &bonus_after(86_400), &config), 1_000);
}

#[test]
fn deep_in_the_red_the_auction_never_pays_less_than_the_shortfall_ramp() {
    let config = auction(600);
    // HF 0.85: shortfall 15% of a 20% ramp, 200 + 0.75 x 800 = 800 at once.
    assert_eq!(bonus_at(8_500, &bonus_after(0), &ramp_only()), 800);
    assert_eq!(bonus_at(8_500, &bonus_after(0), &config), 800);
    // Once the auction passes the ramp, the auction.
    assert_eq!(bonus_at(8_500, &bonus_after(540), &config), 920);
}

#[test]
fn the_auction_bonus_keeps_the_caps() {
    let config = auction(600);
    // Collateral worth 1.05x the debt: capped at 5% even at the auction's end.
    let capped = bonus_bps(
        Wad::from_bps(9_500),
        Wad::from_u64(105),
        Wad::from_u64(100),
        &bonus_after(600),
        &config,
        8_000,
        10_000,
    );
    assert_eq!(capped, Ok(500));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    /// The auction's bonus never falls with time, stays within [min, max], never pays more at
    /// its start than the ramp would outside the deep zone, and deep in the red never pays less.
    #[test]
    fn auction_bonus_properties(
        hf_bps in 1u64..10_000,
        elapsed in 0u64..2_000,
        later in 0u64..2_000,
        secs in 1u64..=MAX_AUCTION_SECS,
        min in 0u16..=1_000,
        span in 0u16..=1_000,
    ) {
        let config = auction(secs);
        let bonus = |secs| BonusConfig { min_bonus_bps: min, max_bonus_bps: min + span, protocol_fee_bps: 0, liquidatable_secs: secs };
        let now = bonus_at(hf_bps, &bonus(elapsed), &config);
        prop_assert!(bonus_at(hf_bps, &bonus(elapsed + later), &config) >= now);
        prop_assert!(now >= min && now <= min + span);
        let ramp = bonus_at(hf_bps, &bonus(elapsed), &ramp_only());
        if hf_bps < 9_000 {
            prop_assert!(now >= ramp);
        } else {
            prop_assert!(bonus_at(hf_bps, &bonus(0), &config) <= ramp);
        }
    }
}

#[test]
fn a_collateral_is_paced_only_over_its_budget_with_pacing_configured() {
    let config = LiquidationConfig { paced_close_factor_bps: 1_000, pacing_window_secs: 600, ..ramp_only() };
    let window = DecayingTotal { amount: Wad::from_u64(10_000), updated_ts: 0 };
    let pacing = SeizurePacing { depth_budget_usd: 10_000, window };
    assert_eq!(pacing.over_budget(&config, 0), Ok(true));
    assert_eq!(pacing.over_budget(&config, 1), Ok(false), "decayed below the budget");
    assert_eq!(SeizurePacing { depth_budget_usd: 0, window }.over_budget(&config, 0), Ok(false));
    assert_eq!(pacing.over_budget(&ramp_only(), 0), Ok(false), "no paced close factor: no pacing");
    assert_eq!(config.paced().close_factor_bps, 1_000);
    assert_eq!(ramp_only().paced(), ramp_only());
}

#[test]
fn config_validation_names_each_new_knob() {
    assert!(auction(MAX_AUCTION_SECS).validate().is_ok());
    assert!(auction(MAX_AUCTION_SECS + 1).validate().is_err());
    let paced = LiquidationConfig { paced_close_factor_bps: 1_000, pacing_window_secs: 600, ..ramp_only() };
    assert!(paced.validate().is_ok());
    assert!(LiquidationConfig { pacing_window_secs: 0, ..paced }.validate().is_err());
    assert!(LiquidationConfig { pacing_window_secs: 86_401, ..paced }.validate().is_err());
    assert!(LiquidationConfig { paced_close_factor_bps: 5_001, ..paced }.validate().is_err());
}

/// 1,000 units of collateral at $1 (lt 80%) against `debt` units of $1 debt.
fn obligation(debt: u64) -> (Health, Leg, Leg) {
    let mut acc = HealthAccumulator::new();
    acc.add_collateral(Wad::from_u64(1_000), 0, Wad::ONE, 8_000).unwrap();
    acc.add_debt(Wad::from_u64(debt), 0, Wad::ONE, 10_000).unwrap();
    let debt_leg = Leg { amount: Wad::from_u64(debt), price: Wad::ONE, decimals: 0, weight_bps: 10_000 };
    let collateral = Leg { amount: Wad::from_u64(1_000), price: Wad::ONE, decimals: 0, weight_bps: 8_000 };
    (acc.finish(), debt_leg, collateral)
}

#[test]
fn the_paced_close_factor_caps_a_repay_but_not_deep_in_the_red() {
    let config = LiquidationConfig { paced_close_factor_bps: 1_000, pacing_window_secs: 600, ..ramp_only() };
    let bonus = bonus_after(0);
    // HF 800/850 = 0.94: not deep. The paced close factor allows 10% of the debt, not 50%.
    let (health, debt, collateral) = obligation(850);
    assert_eq!(size_liquidation(&health, &debt, &collateral, &bonus, &config, u64::MAX).unwrap().repay_amount, 425);
    let paced = config.paced();
    let plan = plan_liquidation(&health, &debt, &collateral, &bonus, &paced, u64::MAX).unwrap();
    assert_eq!(plan.repay_amount, 85);
    // HF 800/950 = 0.84: deep, the whole debt whatever the pacing.
    let (health, debt, collateral) = obligation(950);
    assert_eq!(size_liquidation(&health, &debt, &collateral, &bonus, &paced, u64::MAX).unwrap().repay_amount, 950);
}
