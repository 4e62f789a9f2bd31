//! Scenario margin on the engine's health pass: borrow power against classic weights for an
//! uncorrelated and a correlated pair, solvency under every scenario at initial health >= 0,
//! maintenance never stricter than initial, and a liquidation that restores the worst scenario.

use ballast_engine::operations::{self, LiquidationReserves};
use ballast_engine::{
    obligation_health, HealthKind, KeyedRetriever, Margin, MarginMode, MarketState, OwnedReserve, Position,
    PositionSlots, Positions,
};
use ballast_math::health::token_value;
use ballast_math::liquidation::LiquidationConfig;
use ballast_math::scenario::ScenarioMargin;
use ballast_math::{OraclePrice, Rounding, Wad};
use proptest::prelude::*;

mod common;

const NOW: i64 = 1_000_000;
const SOL: u8 = 0;
const LST: u8 = 1;
const USDC: u8 = 2;
const DECIMALS: [u8; 3] = [9, 9, 6];
const PRICES_E8: [i64; 3] = [100_00000000, 110_00000000, 1_00000000];

/// Calibrated scenarios: "SOL complex -35%" (SOL -35%, the LST -37%, USDC -1%), "LST depeg" (the
/// LST -8%), "rally" (SOL and the LST +30%).
const SHOCKS: [[i16; 8]; 3] =
    [[-3_500, 0, 3_000, 0, 0, 0, 0, 0], [-3_700, -800, 3_000, 0, 0, 0, 0, 0], [-100, 0, 0, 0, 0, 0, 0, 0]];

fn reserve(asset: usize, shocks: [i16; 8]) -> OwnedReserve {
    let weights = if asset == USDC as usize { (8_500, 9_000) } else { (7_500, 8_000) };
    let mut reserve = common::reserve(DECIMALS[asset], weights, 1_000_000_000, NOW);
    reserve.limits.max_confidence_bps = 500;
    reserve.scenario_shocks.shocks_bps = shocks;
    reserve
}

fn price(e8: i64, conf_bps: u64) -> OraclePrice {
    let conf = (e8 as u64) * conf_bps / 10_000;
    OraclePrice { price: e8, conf, ema_price: e8, ema_conf: conf, exponent: -8, publish_time: NOW }
}

#[derive(Debug)]
struct Book {
    reserves: [OwnedReserve; 3],
    prices: [OraclePrice; 3],
}

impl Book {
    fn new(conf_bps: u64) -> Book {
        Book { reserves: [0, 1, 2].map(|a| reserve(a, SHOCKS[a])), prices: PRICES_E8.map(|p| price(p, conf_bps)) }
    }
    fn retriever<'a>(&'a self) -> KeyedRetriever<impl Fn(&u8) -> Option<(&'a OwnedReserve, &'a OraclePrice)> + 'a> {
        KeyedRetriever(move |key: &u8| Some((&self.reserves[*key as usize], &self.prices[*key as usize])))
    }
    fn health(&self, o: &PositionSlots<u8>, kind: HealthKind, margin: &Margin) -> ballast_math::Health {
        obligation_health(o.held(), &self.retriever(), &[], kind, margin, NOW).unwrap().health
    }
}

fn scenarios() -> ScenarioMargin {
    ScenarioMargin {
        count: 3,
        initial_buffer_bps: 10_200,
        maintenance_buffer_bps: 10_100,
        maintenance_fraction_bps: 6_000,
        ..Default::default()
    }
    .configured()
}

fn market() -> MarketState {
    let liquidation = LiquidationConfig {
        close_factor_bps: 5_000,
        full_liquidation_health_factor_bps: 9_500,
        dust_value: Wad::from_u64(2),
        target_health_factor_bps: 11_000,
        bonus_ramp_bps: 1_000,
        ..Default::default()
    };
    MarketState { paused_until: 0, liquidation, scenarios: scenarios(), ..Default::default() }
}

fn position(reserve: u8, supply_shares: u64, debt_units: u128) -> Position<u8> {
    // Fresh reserves: one share per base unit, a borrow index of 1.
    Position { reserve, supply_shares, debt_shares: Wad(debt_units * ballast_math::WAD) }
}

/// The largest debt, as a share of the collateral's spot value, that keeps initial health >= 0:
/// 10 whole tokens of `collateral` against `debt`.
fn borrow_power(book: &Book, collateral: u8, debt: u8, margin: &Margin) -> f64 {
    let units = 10 * 10u64.pow(DECIMALS[collateral as usize] as u32);
    let (mut low, mut high) = (0u128, 10_000 * 10u128.pow(DECIMALS[debt as usize] as u32));
    while low < high {
        let mid = (low + high).div_ceil(2);
        let o = PositionSlots::<u8>::from_positions([position(collateral, units, 0), position(debt, 0, mid)]);
        if book.health(&o, HealthKind::Initial, margin).is_healthy() {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    let value = |asset: u8, amount: f64| {
        amount / 10f64.powi(DECIMALS[asset as usize] as i32) * PRICES_E8[asset as usize] as f64 / 1e8
    };
    value(debt, low as f64) / value(collateral, units as f64)
}

#[test]
fn calibrated_scenarios_lend_more_on_a_correlated_pair_and_no_more_on_an_uncorrelated_one() {
    let book = Book::new(0);
    let margin = Margin::Scenarios(scenarios());
    let classic = |c, d| borrow_power(&book, c, d, &Margin::Classic);
    let scenario = |c, d| borrow_power(&book, c, d, &margin);
    // An LST against SOL: classic weights lend 75%; the scenarios 0.92 / 1.02 = 90.2% (the
    // depeg binds: both fall together in the crash).
    assert!((classic(LST, SOL) - 0.75).abs() < 1e-6, "{}", classic(LST, SOL));
    assert!((scenario(LST, SOL) - 0.92 / 1.02).abs() < 1e-4, "{}", scenario(LST, SOL));
    // SOL against USDC: the crash binds, 0.65 / (0.99 x 1.02) = 64.4%, below the classic 75%.
    assert!(scenario(SOL, USDC) <= classic(SOL, USDC));
    assert!((scenario(SOL, USDC) - 0.65 / (0.99 * 1.02)).abs() < 1e-4, "{}", scenario(SOL, USDC));
    // Short SOL (USDC collateral, SOL debt): the rally binds, 0.99... and never beyond today.
    assert!(scenario(USDC, SOL) < 1.0 / 1.3 / 1.02 + 1e-4);
}

#[test]
fn without_scenarios_the_mode_falls_back_to_classic_weights() {
    let market = MarketState { scenarios: ScenarioMargin::default(), ..market() };
    assert_eq!(Margin::of(&market, MarginMode::Scenarios, NOW), Margin::Classic);
    let mut o = PositionSlots::<u8>::default();
    let book = Book::new(0);
    assert_eq!(
        operations::set_margin_mode(&market, &mut o, MarginMode::Scenarios, &book.retriever(), NOW).unwrap_err(),
        ballast_engine::Error::ScenarioMarginDisabled
    );
}

#[test]
fn switching_margin_checks_initial_health_under_the_new_mode() {
    let book = Book::new(0);
    let units = 10_000_000_000;
    // 85% of the LST's value borrowed in SOL: fine under scenarios, not under classic weights.
    let debt = (10u128 * 110 * 85 / 100) * 1_000_000_000 / 100;
    let mut o = PositionSlots::<u8>::from_positions([position(LST, units, 0), position(SOL, 0, debt)]);
    assert!(operations::set_margin_mode(&market(), &mut o, MarginMode::Scenarios, &book.retriever(), NOW).is_ok());
    assert_eq!(o.margin_mode(), MarginMode::Scenarios);
    let back = operations::set_margin_mode(&market(), &mut o.clone(), MarginMode::Classic, &book.retriever(), NOW);
    assert_eq!(back.unwrap_err(), ballast_engine::Error::InitialHealthNegative);
}

/// The LST depegs 12% at spot: the 90%-borrowed obligation is liquidatable under its worst
/// maintenance scenario; the liquidation (sized on that scenario's weights) improves it and
/// leaves the worst scenario's health factor at most the target.
#[test]
fn a_liquidation_restores_the_worst_scenario() {
    let mut book = Book::new(0);
    let units = 10_000_000_000;
    let debt = (10u64 * 110 * 90 / 100) * 1_000_000_000 / 100;
    // The debt is borrowed from the SOL reserve (its accounting records the shares).
    let debt_shares = book.reserves[SOL as usize].accounting.borrow(debt, u64::MAX).unwrap();
    let mut o = PositionSlots::<u8>::from_positions([
        position(LST, units, 0),
        Position { reserve: SOL, supply_shares: 0, debt_shares },
    ])
    .with_margin(MarginMode::Scenarios);
    let margin = Margin::for_obligation(&market(), &o, NOW);
    assert!(book.health(&o, HealthKind::Initial, &margin).is_healthy());
    book.prices[LST as usize] = price(PRICES_E8[1] * 88 / 100, 0);
    let before = book.health(&o, HealthKind::Maintenance, &margin);
    assert!(!before.is_healthy());
    let [mut sol, mut lst, _] = book.reserves;
    let snapshot = Book { reserves: book.reserves, prices: book.prices };
    let reserves =
        LiquidationReserves::Pair { repay_key: SOL, repay: &mut sol, collateral_key: LST, collateral: &mut lst };
    let outcome = operations::liquidate(
        &market(),
        false,
        &mut o,
        reserves,
        operations::Payout::Tokens,
        &snapshot.retriever(),
        u64::MAX,
        0,
        NOW,
    )
    .unwrap();
    assert_eq!(outcome.before, before);
    assert!(outcome.after.margin() > before.margin());
    let hf = outcome.after.health_factor().unwrap();
    assert!(outcome.plan.repays_all || hf <= Wad::from_bps(11_000), "{hf:?}");
    // The legs were weighted as the worst scenario weighs them, not by the classic threshold.
    assert_ne!(outcome.collateral.weight_bps, 8_000);
}

prop_compose! {
    fn obligation()(
        collateral in proptest::collection::vec(0u64..=1_000_000, 3),
        debt in proptest::collection::vec(0u64..=1_000_000, 3),
        shocks in proptest::collection::vec(proptest::collection::vec(-9_000i16..=9_000, 3), 1..=8),
        initial_buffer_bps in 10_000u16..=12_000,
        maintenance_cut_bps in 0u16..=2_000,
        fraction_bps in 1u16..=10_000,
        conf_bps in 0u64..=100,
    ) -> (Book, PositionSlots<u8>, ScenarioMargin) {
        let count = shocks.len();
        let mut book = Book::new(conf_bps);
        for (asset, reserve) in book.reserves.iter_mut().enumerate() {
            let mut per_asset = [0i16; 8];
            for (s, shock) in shocks.iter().enumerate() {
                per_asset[s] = shock[asset];
            }
            reserve.scenario_shocks.shocks_bps = per_asset;
        }
        let positions = (0..3).filter(|&a| collateral[a] > 0 || debt[a] > 0).map(|a| {
            let scale = 10u64.pow(DECIMALS[a] as u32 - 3);
            position(a as u8, collateral[a] * scale, debt[a] as u128 * scale as u128)
        });
        let margin = ScenarioMargin {
            count: count as u8,
            initial_buffer_bps,
            maintenance_buffer_bps: initial_buffer_bps.saturating_sub(maintenance_cut_bps).max(10_000),
            maintenance_fraction_bps: fraction_bps,
            ..Default::default()
        }
        .configured();
        (book, PositionSlots::<u8>::from_positions(positions), margin)
    }
}

proptest! {
    /// At initial health >= 0 under scenario margin, the obligation stays solvent at spot prices
    /// in every configured scenario (and with nothing moving): its shocked collateral covers its
    /// shocked debt.
    #[test]
    fn initial_health_means_solvent_in_every_scenario((book, o, m) in obligation()) {
        let margin = Margin::Scenarios(m);
        prop_assume!(book.health(&o, HealthKind::Initial, &margin).is_healthy());
        for slot in 0..=m.count as usize {
            let (mut assets, mut liabilities) = (0u128, 0u128);
            for p in o.active_positions() {
                let a = p.reserve as usize;
                let spot = book.prices[a].spot(NOW, &book.reserves[a].limits).unwrap();
                let shock = if slot == 0 { 0 } else { book.reserves[a].scenario_shocks.shocks_bps[slot - 1] } as i128;
                let factor = (10_000 + shock) as u128;
                let collateral = token_value(Wad::from_u64(p.supply_shares), DECIMALS[a], spot, Rounding::Down).unwrap();
                let debt = token_value(p.debt_shares, DECIMALS[a], spot, Rounding::Up).unwrap();
                assets += collateral.0 * factor;
                liabilities += debt.0 * factor;
            }
            prop_assert!(assets >= liabilities, "slot {slot}: {assets} < {liabilities}");
        }
    }

    /// Maintenance is never stricter than initial: its margin is at least initial's, up to the
    /// rounding of the scaled shocks (one basis point of each position's value per side).
    #[test]
    fn maintenance_is_never_stricter_than_initial((book, o, m) in obligation()) {
        let margin = Margin::Scenarios(m);
        let initial = book.health(&o, HealthKind::Initial, &margin);
        let maintenance = book.health(&o, HealthKind::Maintenance, &margin);
        let rounding = ((maintenance.collateral_value.0 + maintenance.debt_value.0) * 3 / 10_000) as i128 + 2;
        prop_assert!(maintenance.margin() + rounding >= initial.margin(), "{maintenance:?} < {initial:?}");
    }
}
