//! The market risk overview (`ballast_engine::monitor`) on a small constructed market: SOL at
//! $100 (threshold 80%) and USDC at $1 (threshold 90%), five obligations, two stress scenarios.
//! Every expected number is worked out by hand in the comments.

use ballast_engine::monitor::{
    hf_bucket, market_risk, shocked_health, shocked_price, LiquidationMap, PriceShock, DROP_STEPS,
};
use ballast_engine::{
    obligation_health, HealthKind, KeyedRetriever, Margin, MarginMode, MarketState, OwnedReserve, Position,
    PositionSlots, Positions,
};
use ballast_math::scenario::ScenarioMargin;
use ballast_math::{OraclePrice, Wad, WAD};

mod common;

const NOW: i64 = 1_000_000;
const SOL: u8 = 0;
const USDC: u8 = 1;

fn usd(tenths: u128) -> Wad {
    Wad(tenths * WAD / 10)
}

struct Book {
    reserves: [OwnedReserve; 2],
    prices: [OraclePrice; 2],
}

impl Book {
    fn new() -> Book {
        let mut sol = common::reserve(9, (7_500, 8_000), 1_000_000, NOW);
        let mut usdc = common::reserve(6, (8_500, 9_000), 1_000_000_000, NOW);
        // "SOL -35%" (USDC -1%) and "SOL -20%".
        sol.scenario_shocks.shocks_bps = [-3_500, -2_000, 0, 0, 0, 0, 0, 0];
        usdc.scenario_shocks.shocks_bps = [-100, 0, 0, 0, 0, 0, 0, 0];
        let price =
            |e8: i64| OraclePrice { price: e8, conf: 0, ema_price: e8, ema_conf: 0, exponent: -8, publish_time: NOW };
        Book { reserves: [sol, usdc], prices: [price(100_00000000), price(1_00000000)] }
    }
    fn retriever<'a>(&'a self) -> KeyedRetriever<impl Fn(&u8) -> Option<(&'a OwnedReserve, &'a OraclePrice)> + 'a> {
        KeyedRetriever(move |key: &u8| {
            let i = *key as usize;
            (i < 2).then(|| (&self.reserves[i], &self.prices[i]))
        })
    }
}

fn market() -> MarketState {
    let scenarios = ScenarioMargin {
        count: 2,
        initial_buffer_bps: 10_200,
        maintenance_buffer_bps: 10_100,
        maintenance_fraction_bps: 6_000,
        ..Default::default()
    };
    MarketState { scenarios: scenarios.configured(), ..Default::default() }
}

/// Fresh reserves: one share per base unit, a borrow index of 1.
fn obligation(sol_collateral: u64, usdc_collateral: u64, usdc_debt: u128, sol_debt: u128) -> PositionSlots<u8> {
    let mut positions = Vec::new();
    if sol_collateral > 0 || sol_debt > 0 {
        let debt_shares = Wad(sol_debt * 1_000_000_000 * WAD);
        positions.push(Position { reserve: SOL, supply_shares: sol_collateral * 1_000_000_000, debt_shares });
    }
    if usdc_collateral > 0 || usdc_debt > 0 {
        let debt_shares = Wad(usdc_debt * 1_000_000 * WAD);
        positions.push(Position { reserve: USDC, supply_shares: usdc_collateral * 1_000_000, debt_shares });
    }
    PositionSlots::from_positions(positions)
}

/// A: 10 SOL / 780 USDC (HF 1.026); B: 10 SOL / 500 USDC (HF 1.6); C: 1,000 USDC / 1 SOL (HF 9);
/// D: 5 SOL, no debt; E: 10 SOL / 850 USDC (HF 0.94, liquidatable now).
fn book_of_obligations() -> Vec<PositionSlots<u8>> {
    vec![
        obligation(10, 0, 780, 0),
        obligation(10, 0, 500, 0),
        obligation(0, 1_000, 0, 1),
        obligation(5, 0, 0, 0),
        obligation(10, 0, 850, 0),
    ]
}

#[test]
fn overview_of_a_small_market() {
    let book = Book::new();
    let obligations = book_of_obligations();
    let maps = [LiquidationMap::new(SOL), LiquidationMap::new(USDC)];
    let risk = market_risk(&obligations, &book.retriever(), &market(), maps, NOW);

    assert_eq!((risk.obligations, risk.errors, risk.scenario_count), (5, 0, 2));
    assert_eq!(risk.debt_usd, usd(22_300)); // 780 + 500 + 100 + 850
    assert_eq!(risk.collateral_usd, usd(45_000)); // 3.5 x $1,000 of SOL + $1,000 of USDC

    // Buckets <1, 1-1.05, 1.05-1.1, 1.1-1.25, 1.25-1.5, 1.5-2, >=2: E, A, -, -, -, B, C.
    let h = &risk.histogram;
    assert_eq!(h.debt_usd, [850, 780, 0, 0, 0, 500, 100].map(|d| usd(d * 10)));
    assert_eq!(h.obligations, [1, 1, 0, 0, 0, 1, 1]);
    assert_eq!(h.no_debt_obligations, 1);

    // SOL alone dropping: E from 0% (its debt does not move), A from 5% (10 x $95 x 80% = $760 <
    // $780), B from 40% (10 x $60 x 80% = $480 < $500; at 35%, $520 is enough). D has no debt.
    let sol = &risk.maps[0];
    let mut expected = [usd(8_500); DROP_STEPS];
    expected[1..8].fill(usd(16_300));
    expected[8..].fill(usd(21_300));
    assert_eq!(sol.liquidatable_debt_usd, expected);
    let mut newly = [Wad::ZERO; DROP_STEPS];
    (newly[0], newly[1], newly[8]) = (usd(8_500), usd(7_800), usd(5_000));
    assert_eq!(sol.newly_liquidatable_debt_usd, newly);
    assert_eq!(sol.liquidatable_obligations, [1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
    // USDC at -60% still covers C's $100 of SOL debt: $400 x 90% = $360.
    assert_eq!(risk.maps[1].liquidatable_debt_usd, [Wad::ZERO; DROP_STEPS]);

    // "SOL -35%, USDC -1%": SOL $65, USDC $0.99. A: $520 against $772.20 (bad debt $122.20);
    // E: $520 against $841.50 (bad debt $191.50); B: $520 against $495, healthy.
    let s = &risk.scenarios[0];
    assert_eq!(s.liquidatable_obligations, 2);
    assert_eq!(s.liquidatable_debt_usd, usd(7_722 + 8_415));
    assert_eq!(s.bad_debt_usd, usd(1_222 + 1_915));
    // "SOL -20%": SOL $80. A ($640 < $780) and E ($640 < $850); only E's $850 exceeds its $800.
    let s = &risk.scenarios[1];
    assert_eq!(s.liquidatable_obligations, 2);
    assert_eq!(s.liquidatable_debt_usd, usd(16_300));
    assert_eq!(s.bad_debt_usd, usd(500));
    assert_eq!(risk.scenarios[2], Default::default());
}

#[test]
fn an_obligation_that_cannot_be_valued_counts_as_an_error_only() {
    let book = Book::new();
    let mut obligations = book_of_obligations();
    // A position in a reserve the retriever does not hold.
    obligations.push(PositionSlots::from_positions([Position { reserve: 7, supply_shares: 1, debt_shares: Wad(WAD) }]));
    let risk = market_risk(&obligations, &book.retriever(), &market(), [LiquidationMap::new(SOL)], NOW);
    assert_eq!((risk.obligations, risk.errors), (5, 1));
    assert_eq!(risk.debt_usd, usd(22_300));
}

#[test]
fn each_obligation_is_valued_under_its_own_margin() {
    let book = Book::new();
    let market = market();
    let classic = obligation(10, 0, 500, 0);
    let scenario = classic.with_margin(MarginMode::Scenarios);
    let own = |o: &PositionSlots<u8>| {
        let margin = Margin::for_obligation(&market, o, NOW);
        obligation_health(o.held(), &book.retriever(), &[], HealthKind::Maintenance, &margin, NOW).unwrap().health
    };
    for o in [&classic, &scenario] {
        assert_eq!(shocked_health(o, &book.retriever(), &market, PriceShock::None, NOW).unwrap(), own(o));
    }
    // Classic: $800 / $500 = 1.6. Scenarios (maintenance: 60% of each shock, debt x 1.01): the
    // worst is "SOL -35%" at -21%: $790 / ($500 x 0.994 x 1.01 = $501.97) = 1.57.
    assert_eq!(hf_bucket(own(&classic).health_factor()), Some(5));
    let hf = own(&scenario).health_factor().unwrap();
    assert!(hf > Wad::from_bps(15_737) && hf < Wad::from_bps(15_739), "{hf:?}");
}

#[test]
fn shocks_scale_every_price_field_and_keep_a_price_positive() {
    let price = OraclePrice {
        price: 15_000_000_001,
        conf: 7,
        ema_price: 14_000_000_000,
        ema_conf: 9,
        exponent: -8,
        publish_time: NOW,
    };
    let dropped = shocked_price(&price, 6_500).unwrap();
    // Each rounded down: 15,000,000,001 x 0.65 = 9,750,000,000.65.
    assert_eq!(
        (dropped.price, dropped.conf, dropped.ema_price, dropped.ema_conf),
        (9_750_000_000, 4, 9_100_000_000, 5)
    );
    assert_eq!((dropped.exponent, dropped.publish_time), (-8, NOW));
    let gone = shocked_price(&price, 0).unwrap();
    assert_eq!((gone.price, gone.ema_price, gone.conf), (1, 1, 0));
    assert_eq!(shocked_price(&price, 10_000).unwrap(), price);
    // Only the named reserve moves under a drop.
    let book = Book::new();
    let o = obligation(0, 1_000, 0, 1); // USDC collateral, SOL debt
    let drop = |reserve| PriceShock::Drop { reserve, drop_bps: 5_000 };
    let health = |shock| shocked_health(&o, &book.retriever(), &market(), shock, NOW).unwrap();
    assert_eq!(health(drop(SOL)).debt_value, usd(500));
    assert_eq!(health(drop(SOL)).collateral_value, usd(10_000));
    assert_eq!(health(drop(USDC)).collateral_value, usd(5_000));
    assert_eq!(health(drop(USDC)).debt_value, usd(1_000));
}
