//! Simulator tests: bad debt against an independent computation, a calm path, the single
//! liquidation API against `ballast_math` directly, config validation, determinism, sweeps.

use ballast_engine::Positions as _;
use ballast_math::error::ConfigError as MathConfigError;
use ballast_math::liquidation::{max_acceptable_repay, plan_liquidation, BonusConfig, Leg};
use ballast_math::{HealthAccumulator, MathError, OraclePrice, ReserveAccounting, Rounding, Wad};
use ballast_sim::book::{Amount, Book, BookEntry};
use ballast_sim::config::{ConfigError, MarketFile, EXAMPLE_MARKET_TOML};
use ballast_sim::liquidate::{liquidate, ObligationState, Position, RepayRequest, SimReserve};
use ballast_sim::{book, simulate, sweep, Market, Scenario, SimParams};

/// Two assets, no price impact, no insurance, no passive-lender surprises.
const TINY: &str = r#"
[market]
close_factor_bps = 5000
full_liquidation_health_factor_bps = 9500
target_health_factor_bps = 11000
bonus_ramp_bps = 1000
dust_value_usd = "2"

[[reserves]]
symbol = "SOL"
decimals = 9
initial_price = 100.0
curve = [[0, 0], [8000, 800], [10000, 10000]]
[reserves.risk]
ltv_bps = 7500
liquidation_threshold_bps = 8000
borrow_factor_bps = 10000
min_liquidation_bonus_bps = 200
max_liquidation_bonus_bps = 1000
protocol_liquidation_fee_bps = 1000
protocol_take_rate_bps = 1000
insurance_take_rate_bps = 500
[reserves.oracle]
max_price_age_secs = 60
max_confidence_bps = 200
[reserves.sim]
target_utilization_bps = 5000

[[reserves]]
symbol = "USDC"
decimals = 6
initial_price = 1.0
curve = [[0, 0], [8000, 800], [10000, 10000]]
[reserves.risk]
ltv_bps = 8500
liquidation_threshold_bps = 9000
borrow_factor_bps = 10000
min_liquidation_bonus_bps = 100
max_liquidation_bonus_bps = 500
protocol_liquidation_fee_bps = 1000
protocol_take_rate_bps = 1000
insurance_take_rate_bps = 500
[reserves.oracle]
max_price_age_secs = 60
max_confidence_bps = 100
[reserves.sim]
stable = true
target_utilization_bps = 5000

[simulation.borrowers]
relever_prob_per_step = 0.0
"#;

fn tiny() -> Market {
    MarketFile::from_toml(TINY).unwrap().validate().unwrap()
}

fn entry(sol: u64, usdc_debt: u64) -> BookEntry {
    BookEntry {
        deposits: vec![Amount { symbol: "SOL".into(), amount: sol * 1_000_000_000 }],
        borrows: vec![Amount { symbol: "USDC".into(), amount: usdc_debt * 1_000_000 }],
        target_usage_bps: 0,
        ..Default::default()
    }
}

fn crash(market: &Market, drop: f64, steps: usize) -> Scenario {
    Scenario::Crash {
        assets: vec![market.index_of("SOL").unwrap()],
        drop,
        pump: 0.0,
        start_step: 2,
        crash_steps: 10,
        steps,
    }
}

#[test]
fn crash_without_liquidators_leaves_the_expected_bad_debt() {
    let market = tiny();
    // (SOL collateral, USDC debt); all pass initial health at $100 (LTV 75%).
    let positions = [(10u64, 700u64), (10, 500), (5, 360), (20, 1_400), (1, 10)];
    let book = Book { obligations: positions.iter().map(|&(s, d)| entry(s, d)).collect() };
    let mut params = SimParams::from_market(&market);
    params.capacity_usd_per_step = 0.0; // nobody liquidates
    let report = simulate(&market, &book, &crash(&market, 0.40, 20), params).unwrap();

    // Independent: after -40% SOL is $60; bad debt = sum of max(0, debt - collateral).
    let expected: f64 = positions.iter().map(|&(s, d)| (d as f64 - s as f64 * 60.0).max(0.0)).sum();
    assert_eq!(expected, 100.0 + 60.0 + 200.0);
    let s = &report.summary;
    assert_eq!(s.liquidations, 0);
    assert_eq!(s.bad_debt_usd, 0.0, "nothing is socialized while collateral remains");
    // Interest over 20 minutes adds well under a cent.
    assert!((s.unrealized_shortfall_usd - expected).abs() < 0.05, "{} vs {expected}", s.unrealized_shortfall_usd);
    assert!((s.total_bad_debt_usd - expected).abs() < 0.05);
    assert_eq!(s.insolvent_obligations_end, 3);
    let usdc = &report.reserves[1];
    assert!((usdc.unrealized_shortfall_usd - expected).abs() < 0.05);
    assert!((report.reserves[0].min_price - 60.0).abs() < 1e-9);
    // Every one of the 5 was liquidatable at some point except (1 SOL, $10).
    assert_eq!(s.unhealthy_at_worst_step, 4);
}

#[test]
fn crash_with_liquidators_socializes_insurance_first() {
    let mut file = MarketFile::from_toml(TINY).unwrap();
    file.reserves[1].sim.insurance_fund_usd = 50.0;
    let market = file.validate().unwrap();
    let positions = [(10u64, 700u64), (10, 500), (5, 360), (20, 1_400)];
    let book = Book { obligations: positions.iter().map(|&(s, d)| entry(s, d)).collect() };
    let mut params = SimParams::from_market(&market);
    params.capacity_usd_per_step = -1.0;
    params.latency_steps = 12; // liquidators arrive after the crash (steps 2..12): collateral < debt by then
    let report = simulate(&market, &book, &crash(&market, 0.40, 30), params).unwrap();
    let s = &report.summary;
    assert!(s.liquidations > 0);
    assert!(s.bad_debt_usd > 0.0);
    let usdc = &report.reserves[1];
    // The fund ($50, plus the insurance share of 30 minutes of interest) is used up first.
    assert!(
        usdc.insurance_used_usd >= 50.0 && usdc.insurance_used_usd < 50.01,
        "insurance pays first: {}",
        usdc.insurance_used_usd
    );
    assert!((usdc.depositor_loss_usd - (usdc.bad_debt_usd - usdc.insurance_used_usd)).abs() < 1e-6);
    assert!(usdc.share_value_change_pct < 0.0);
    // An insolvent obligation still pays the minimum bonus (SOL's 2%): all its collateral goes
    // for collateral / 1.02 of debt, and the write-off is the rest.
    let expected: f64 = positions.iter().map(|&(s, d)| (d as f64 - s as f64 * 60.0 / 1.02).max(0.0)).sum();
    assert!((s.total_bad_debt_usd - expected).abs() < 1.0, "{} vs {expected}", s.total_bad_debt_usd);
}

#[test]
fn calm_path_produces_no_liquidations_and_no_bad_debt() {
    let market = Market::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ballast-market-config/market.toml"
    )))
    .unwrap();
    let mut spec = market.simulation.book.clone();
    spec.count = 2_000;
    let book = book::generate(&market, &spec, 11).unwrap();
    let params = SimParams::from_market(&market);
    // Flat prices for two hours: a crash of 0%.
    let calm =
        Scenario::Crash { assets: vec![0, 1, 2], drop: 0.0, pump: 0.0, start_step: 0, crash_steps: 1, steps: 120 };
    let report = simulate(&market, &book, &calm, params).unwrap();
    assert_eq!(report.summary.liquidations, 0);
    assert_eq!(report.summary.total_bad_debt_usd, 0.0);
    assert_eq!(report.summary.unhealthy_at_worst_step, 0);
    assert!(report.summary.borrows_blocked_by_breaker == 0);
}

fn reserve(decimals: u8, ltv: u16, lt: u16, price: i64, exponent: i32) -> SimReserve {
    let market = tiny();
    let mut risk = market.reserves[0].risk;
    risk.ltv_bps = ltv;
    risk.liquidation_threshold_bps = lt;
    SimReserve {
        reserve: ballast_engine::OwnedReserve {
            decimals,
            risk,
            curve: market.reserves[0].curve,
            limits: market.reserves[0].limits,
            accounting: ReserveAccounting::new(0),
            controls: ballast_math::RiskControls::default(),
            status: ballast_engine::ReserveStatus::Active,
            socialized_loss: Wad::ZERO,
            ramp: Default::default(),
            last_price_publish_time: i64::MIN,
            scenario_shocks: Default::default(),
            pacing: Default::default(),
            outflow: Default::default(),
            treasury: Default::default(),
            flash_loan_amount: 0,
            last_spot_price: Default::default(),
        },
        oracle: OraclePrice { price, conf: 0, ema_price: price, ema_conf: 0, exponent, publish_time: 0 },
    }
}

/// SOL collateral / USDC debt obligation made unhealthy by a price move.
fn unhealthy_state() -> (Vec<SimReserve>, ObligationState) {
    let mut sol = reserve(9, 7500, 8000, 100_00000000, -8);
    let mut usdc = reserve(6, 8500, 9000, 1_00000000, -8);
    usdc.risk.max_liquidation_bonus_bps = 500;
    sol.accounting.deposit(1_000_000_000_000, u64::MAX).unwrap();
    usdc.accounting.deposit(1_000_000_000_000, u64::MAX).unwrap();
    let supply_shares = sol.accounting.deposit(10_000_000_000, u64::MAX).unwrap(); // 10 SOL
    let debt_shares = usdc.accounting.borrow(740_000_000, u64::MAX).unwrap(); // $740
    sol.oracle.price = 88_00000000; // $880 x 80% = $704 < $740
    sol.oracle.ema_price = sol.oracle.price;
    let ob = ObligationState::from_positions([
        Position { reserve: 0, supply_shares, debt_shares: Wad::ZERO },
        Position { reserve: 1, supply_shares: 0, debt_shares },
    ]);
    (vec![sol, usdc], ob)
}

#[test]
fn single_liquidation_equals_plan_liquidation() {
    let market = tiny();
    let (reserves, ob) = unhealthy_state();
    let now = 30;
    // Independently: accrue, value, size with ballast_math alone.
    let mut accounting: Vec<ReserveAccounting> = reserves.iter().map(|r| r.accounting).collect();
    for (a, r) in accounting.iter_mut().zip(&reserves) {
        a.accrue(now, &r.curve, r.risk.protocol_take_rate_bps, r.risk.insurance_take_rate_bps).unwrap();
    }
    let spot: Vec<Wad> = reserves.iter().map(|r| r.oracle.spot(now, &r.limits).unwrap()).collect();
    let coll_amount = accounting[0].liquidity_for_shares(ob.slots()[0].supply_shares).unwrap();
    let debt_amount = accounting[1].debt_amount(ob.slots()[1].debt_shares, Rounding::Up).unwrap();
    let mut acc = HealthAccumulator::new();
    acc.add_collateral(coll_amount, 9, spot[0], 8000).unwrap();
    acc.add_debt(debt_amount, 6, spot[1], 10_000).unwrap();
    let health = acc.finish();
    assert!(!health.is_healthy());
    let debt = Leg { amount: debt_amount, price: spot[1], decimals: 6, weight_bps: 10_000 };
    let collateral = Leg { amount: coll_amount, price: spot[0], decimals: 9, weight_bps: 8000 };
    let bonus = BonusConfig {
        min_bonus_bps: reserves[0].risk.min_liquidation_bonus_bps,
        max_bonus_bps: reserves[0].risk.max_liquidation_bonus_bps,
        protocol_fee_bps: reserves[0].risk.protocol_liquidation_fee_bps,
        ..Default::default()
    };

    for requested in [1u64, 50_000_000, 123_456_789, 300_000_000] {
        let expected = plan_liquidation(&health, &debt, &collateral, &bonus, &market.liquidation, requested);
        let (mut rs, mut o) = (reserves.clone(), ob);
        let got = liquidate(&mut rs, &mut o, &market.liquidation, 1, 0, RepayRequest::Amount(requested), now);
        match (expected, got) {
            (Ok(plan), Ok(outcome)) => {
                assert_eq!(outcome.plan, plan, "requested {requested}");
                assert_eq!(outcome.before, health);
                // The accounting moved exactly as repay/seize say.
                let mut a1 = accounting[1];
                let repayment = a1.repay(plan.repay_amount, ob.slots()[1].debt_shares).unwrap();
                assert_eq!(rs[1].accounting, a1);
                assert_eq!(o.slots()[1].debt_shares, Wad(ob.slots()[1].debt_shares.0 - repayment.debt_shares_burned.0));
                let mut a0 = accounting[0];
                let burned =
                    a0.seize(ob.slots()[0].supply_shares, plan.liquidator_amount, plan.protocol_amount).unwrap();
                assert_eq!(rs[0].accounting, a0);
                assert_eq!(o.slots()[0].supply_shares, ob.slots()[0].supply_shares - burned);
                assert!(outcome.after.margin() > outcome.before.margin());
            }
            (Err(e), Err(g)) => {
                assert_eq!(g, ballast_sim::liquidate::SimLiquidationError::Engine(e.into()));
                let (rs0, o0) = (reserves.clone(), ob);
                assert_eq!(o, o0, "a failed liquidation changes nothing");
                assert_eq!(rs[0].accounting.total_supply_shares, rs0[0].accounting.total_supply_shares);
            }
            (e, g) => panic!("requested {requested}: math {e:?} vs sim {g:?}"),
        }
    }

    // Max = max_acceptable_repay.
    let best = max_acceptable_repay(&health, &debt, &collateral, &bonus, &market.liquidation).unwrap();
    let (mut rs, mut o) = (reserves.clone(), ob);
    let got = liquidate(&mut rs, &mut o, &market.liquidation, 1, 0, RepayRequest::Max, now).unwrap();
    assert_eq!(got.plan, best);
    assert!(got.plan.repay_amount > 0 && got.plan.liquidator_amount > 0);

    // A healthy obligation is refused, as on-chain.
    let (mut rs, mut o) = (reserves.clone(), ob);
    rs[0].oracle.price = 100_00000000;
    let refused = liquidate(&mut rs, &mut o, &market.liquidation, 1, 0, RepayRequest::Max, now);
    assert_eq!(
        refused.unwrap_err(),
        ballast_sim::liquidate::SimLiquidationError::Engine(
            ballast_math::liquidation::LiquidationError::Healthy.into()
        )
    );
}

#[test]
fn config_validation_rejects_invalid_risk_params() {
    let edit = |from: &str, to: &str| EXAMPLE_MARKET_TOML.replacen(from, to, 1);
    let reserve_error = |text: String| match MarketFile::from_toml(&text).unwrap().validate() {
        Err(ConfigError::Reserve { error, .. }) => error,
        other => panic!("expected a reserve error, got {other:?}"),
    };
    // ltv >= liquidation threshold
    assert_eq!(
        reserve_error(edit("ltv_bps = 7500", "ltv_bps = 8000")),
        MathError::InvalidConfig(MathConfigError::LtvNotBelowThreshold)
    );
    // lt * (1 + max bonus) > 1
    assert_eq!(
        reserve_error(edit("max_liquidation_bonus_bps = 1000", "max_liquidation_bonus_bps = 2600")),
        MathError::InvalidConfig(MathConfigError::BonusCreatesBadDebt)
    );
    // borrow factor below 100%
    assert_eq!(
        reserve_error(edit("borrow_factor_bps = 10000", "borrow_factor_bps = 9000")),
        MathError::InvalidConfig(MathConfigError::BorrowFactorBelow100)
    );
    // curve not ending at 100%
    assert_eq!(
        reserve_error(edit("curve = [[0, 0], [8000, 800], [10000, 10000]]", "curve = [[0, 0], [8000, 800]]")),
        MathError::InvalidConfig(MathConfigError::Curve)
    );
    // market knobs: close factor 0
    match MarketFile::from_toml(&edit("close_factor_bps = 5000", "close_factor_bps = 0")).unwrap().validate() {
        Err(ConfigError::Liquidation(e)) => assert_eq!(e, MathError::InvalidConfig(MathConfigError::Liquidation)),
        other => panic!("{other:?}"),
    }
    // unknown fields are rejected (typos fail loudly)
    assert!(matches!(MarketFile::from_toml(&edit("ltv_bps = 7500", "ltv_bsp = 7500")), Err(ConfigError::Parse(_))));
    // JSON is the same format
    let file = MarketFile::from_toml(EXAMPLE_MARKET_TOML).unwrap();
    let json = serde_json::to_string(&file).unwrap();
    assert!(MarketFile::from_json(&json).unwrap().validate().is_ok());
}

fn strip_timing(report: &ballast_sim::Report) -> String {
    let mut r = report.clone();
    r.summary.seconds = 0.0;
    serde_json::to_string(&r).unwrap()
}

#[test]
fn fixed_seed_is_deterministic() {
    let market = MarketFile::from_toml(EXAMPLE_MARKET_TOML).unwrap().validate().unwrap();
    let run = |seed: u64| {
        let mut spec = market.simulation.book.clone();
        spec.count = 1_500;
        let book = book::generate(&market, &spec, seed).unwrap();
        let mut params = SimParams::from_market(&market);
        params.seed = seed;
        strip_timing(&simulate(&market, &book, &Scenario::Gbm { steps: 300 }, params).unwrap())
    };
    let a = run(5);
    assert_eq!(a, run(5));
    assert_ne!(a, run(6));
}

#[test]
fn book_csv_and_json_round_trip() {
    let market = tiny();
    let mut spec = market.simulation.book.clone();
    spec.count = 50;
    let book = book::generate(&market, &spec, 3).unwrap();
    let json = serde_json::to_string(&book).unwrap();
    assert_eq!(Book::from_json(&json).unwrap(), book);
    let csv = book.to_csv();
    assert_eq!(Book::from_csv(&csv).unwrap(), book);
}

#[test]
fn sweep_flags_invalid_combinations_and_is_thread_count_independent() {
    let market = MarketFile::from_toml(EXAMPLE_MARKET_TOML).unwrap().validate().unwrap();
    let mut spec = market.simulation.book.clone();
    spec.count = 300;
    let params = SimParams::from_market(&market);
    let scenario = Scenario::default_crash(&market);
    let grid = sweep::Grid {
        ltv_bps: vec![7000, 8000],
        liquidation_threshold_bps: vec![8000],
        max_bonus_bps: vec![500, 3000],
        close_factor_bps: vec![5000],
        circuit_breaker_bps: vec![0],
        assets: vec![0],
    };
    let one = sweep::run(&market, &spec, &scenario, &params, &grid, 1, 1e12, false).unwrap();
    let two = sweep::run(&market, &spec, &scenario, &params, &grid, 2, 1e12, false).unwrap();
    assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&two).unwrap());
    let invalid: Vec<_> = one.iter().map(|r| r.invalid.is_some()).collect();
    // (7000, 500) valid; (7000, 3000) lt x 1.3 > 1; (8000, *) ltv == lt.
    assert_eq!(invalid, vec![false, true, true, true]);
    assert!(one[0].passes);
}

#[test]
fn skipping_obligations_never_changes_the_outcome() {
    let market = MarketFile::from_toml(EXAMPLE_MARKET_TOML).unwrap().validate().unwrap();
    let mut spec = market.simulation.book.clone();
    spec.count = 1_000;
    let book = book::generate(&market, &spec, 9).unwrap();
    // The file's liquidators, and scarce capacity with a longer latency (the liquidation queue's
    // order and the latency streaks then decide outcomes).
    for (capacity, latency) in [(None, None), (Some(100_000.0), Some(3))] {
        for scenario in [Scenario::default_crash(&market), Scenario::Gbm { steps: 200 }] {
            let run = |exhaustive: bool| {
                let mut params = SimParams::from_market(&market);
                params.exhaustive = exhaustive;
                params.capacity_usd_per_step = capacity.unwrap_or(params.capacity_usd_per_step);
                params.latency_steps = latency.unwrap_or(params.latency_steps);
                let mut report = simulate(&market, &book, &scenario, params).unwrap();
                report.summary.exact_health_evaluations = 0;
                report.steps.iter_mut().for_each(|s| s.exact_health_evaluations = 0);
                strip_timing(&report)
            };
            assert_eq!(run(false), run(true), "{}, capacity {capacity:?}, latency {latency:?}", scenario.name());
        }
    }
}
