//! Scenario margin in the simulator: an obligation's health is the engine's under its margin,
//! borrow power follows the calibration, the max borrow is the borrow operation's boundary, and
//! the classic-vs-scenario comparison behaves as the margin says it should.

use ballast_engine::{HealthKind, KeyedRetriever, Margin, MarginMode, Positions as _};
use ballast_sim::book::{Amount, Book, BookEntry, BookMargin};
use ballast_sim::compare::{self, MarginPaths};
use ballast_sim::config::MarketFile;
use ballast_sim::engine::market_state;
use ballast_sim::liquidate::{borrow, borrow_room, health, Error};
use ballast_sim::paths::PricePath;
use ballast_sim::{book, Market, Sim, SimParams};

const MARKET: &str = include_str!("../markets/sol-lst-usdc.toml");

fn market() -> Market {
    MarketFile::from_toml(MARKET).unwrap().validate().unwrap()
}

fn entry(collateral: &str, tokens: u64, debt: &str, usage_bps: u16, margin: BookMargin) -> BookEntry {
    BookEntry {
        deposits: vec![Amount { symbol: collateral.into(), amount: tokens * 1_000_000_000 }],
        // The amount is replaced: each obligation borrows its target share of its own power.
        borrows: vec![Amount { symbol: debt.into(), amount: 1 }],
        target_usage_bps: usage_bps,
        margin,
    }
}

#[test]
fn the_simulator_margins_a_scenario_obligation_as_the_engine_does() {
    let market = market();
    let (sol, lst, usdc) = (0usize, 1usize, 2usize);
    assert_eq!(market.reserves[lst].symbol, "JITOSOL");
    let (s, c) = (BookMargin::Scenarios, BookMargin::Classic);
    let book = Book {
        obligations: vec![
            entry("JITOSOL", 100, "SOL", 10_000, s),
            entry("SOL", 100, "USDC", 10_000, s),
            entry("JITOSOL", 100, "SOL", 10_000, c),
            entry("SOL", 100, "USDC", 10_000, c),
            entry("JITOSOL", 100, "SOL", 5_000, s),
            entry("JITOSOL", 100, "SOL", 5_000, c),
        ],
    };
    let mut params = SimParams::from_market(&market);
    params.borrow_to_target = true;
    let initial: Vec<f64> = market.reserves.iter().map(|r| r.initial_price).collect();
    let path = PricePath { rows: vec![initial.clone(), initial] };
    let mut sim = Sim::new(&market, &book, &path, params.clone()).unwrap();
    let (state, now) = (market_state(&market), params.start_unix);
    assert!(state.scenarios.enabled());

    // Health is the engine's pass under the margin the obligation chose, and the margins differ.
    let reserves = sim.reserves.clone();
    let lookup = KeyedRetriever(|k: &u8| reserves.get(*k as usize).map(|r| (&r.reserve, &r.oracle)));
    for (i, ob) in sim.obligations.iter().enumerate() {
        let scenarios = book.obligations[i].margin == s;
        assert_eq!(ob.margin, if scenarios { MarginMode::Scenarios } else { MarginMode::Classic });
        for kind in [HealthKind::Initial, HealthKind::Maintenance] {
            let engine = |margin: &Margin| {
                ballast_engine::obligation_health(ob.held(), &lookup, &[], kind, margin, now).unwrap().health
            };
            let (classic, scenario) = (engine(&Margin::Classic), engine(&Margin::Scenarios(state.scenarios)));
            let sim_health = health(&state, &sim.reserves, ob, kind, now).unwrap();
            assert_eq!(sim_health, if scenarios { scenario } else { classic }, "obligation {i}, {kind:?}");
            assert_ne!(classic, scenario, "obligation {i}: the margins weigh it differently");
        }
    }

    // Borrow power at 100% usage: the calibration (LST/SOL about 90% against 75%, SOL/USDC 64%).
    let used = |sim: &Sim, i: usize| {
        let h = health(&state, &sim.reserves, &sim.obligations[i], HealthKind::Maintenance, now).unwrap();
        h.debt_value.0 as f64 / h.collateral_value.0 as f64
    };
    let within = |x: f64, lo: f64, hi: f64| assert!((lo..=hi).contains(&x), "{x} not in [{lo}, {hi}]");
    within(used(&sim, 0), 0.88, 0.91);
    within(used(&sim, 1), 0.63, 0.65);
    within(used(&sim, 2), 0.74, 0.76);
    within(used(&sim, 3), 0.74, 0.76);
    within(used(&sim, 4) / used(&sim, 0), 0.49, 0.51);

    // The engine's max borrow is the borrow operation's boundary, under either margin.
    for i in [4, 5] {
        let room = borrow_room(&state, &sim.reserves, &sim.obligations[i], sol, 10_000, now).unwrap();
        assert!(room > 10_000_000_000, "obligation {i}: half its power is left");
        let over =
            borrow(&state, &mut sim.reserves.clone(), &mut sim.obligations[i].clone(), sol, room + room / 10_000, now);
        assert_eq!(over, Err(Error::InitialHealthNegative), "obligation {i}");
        borrow(&state, &mut sim.reserves, &mut sim.obligations[i], sol, room, now).unwrap();
        within(used(&sim, i) / used(&sim, if i == 4 { 0 } else { 2 }), 0.999, 1.0);
    }
    let _ = usdc;
}

#[test]
fn scenario_margin_lends_more_on_the_correlated_pair_and_is_liquidated_through_the_depeg() {
    let market = market();
    let mut spec = market.simulation.book.clone();
    spec.count = 200;
    let book = book::generate(&market, &spec, 7).unwrap();
    let params = SimParams::from_market(&market);
    let shapes = MarginPaths { gbm_days: 20, gbm_step_hours: 24, ..MarginPaths::default() };
    let paths = shapes.paths(&market, 7).unwrap();
    let comparison = compare::run(&market, &book, &params, &paths, &compare::margin_variants()).unwrap();
    println!("{}", compare::table(&comparison));
    assert_eq!(comparison.rows.len(), 6);
    let row = |path: usize, variant: &str| {
        comparison.rows.iter().filter(|r| r.path == paths[path].name).find(|r| r.variant == variant).unwrap()
    };
    let opened = |path: usize, variant: &str, symbol: &str| {
        row(path, variant).debt_opened_by_asset_usd.iter().find(|(s, _)| s == symbol).unwrap().1
    };
    for path in 0..paths.len() {
        // The same book borrows more SOL against the LST (correlated) and less USDC against SOL.
        assert!(opened(path, "scenario", "SOL") > 1.15 * opened(path, "classic", "SOL"));
        assert!(opened(path, "scenario", "USDC") < 0.9 * opened(path, "classic", "USDC"));
    }
    // Through the LST depeg the scenario-margined LST positions, levered closer to their edge,
    // are liquidated; liquidations keep the bad debt within 0.1% of the debt opened.
    let (depeg_classic, depeg_scenario) = (row(0, "classic"), row(0, "scenario"));
    assert!(depeg_scenario.liquidations > 0);
    assert!(depeg_scenario.repaid_usd > depeg_classic.repaid_usd);
    assert!(depeg_scenario.bonus_usd > 0.0);
    assert!(depeg_scenario.bad_debt_usd <= 0.001 * depeg_scenario.debt_opened_usd, "{depeg_scenario:?}");
    // In the market-wide crash the LST moves with SOL, and SOL/USDC is levered less: fewer
    // liquidations, less lost to bonuses, and no more bad debt.
    let (crash_classic, crash_scenario) = (row(1, "classic"), row(1, "scenario"));
    assert!(crash_scenario.liquidations < crash_classic.liquidations);
    assert!(crash_scenario.bonus_usd < crash_classic.bonus_usd);
    assert!(crash_scenario.bad_debt_usd <= crash_classic.bad_debt_usd, "{crash_scenario:?} {crash_classic:?}");
}

#[test]
fn the_files_pacing_budget_reaches_the_simulated_reserve() {
    let shocks = "scenario_shocks_bps = [-3700, -800]";
    let text = MARKET.replacen(shocks, &format!("{shocks}\nliquidation_depth_budget_usd = 5000000"), 1);
    let market = MarketFile::from_toml(&text).unwrap().validate().unwrap();
    let initial: Vec<f64> = market.reserves.iter().map(|r| r.initial_price).collect();
    let path = PricePath { rows: vec![initial.clone(), initial] };
    let sim = Sim::new(&market, &Book::default(), &path, SimParams::from_market(&market)).unwrap();
    let budgets: Vec<u64> = sim.reserves.iter().map(|r| r.pacing.depth_budget_usd).collect();
    assert_eq!(budgets, [0, 5_000_000, 0]);
}
