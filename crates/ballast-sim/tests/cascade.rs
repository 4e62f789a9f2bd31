//! Cascade containment in the simulator: the Dutch auction's clock on a simulated obligation
//! (started by a liquidator's mark, the bonus growing with it as the engine computes it),
//! liquidation pacing on a simulated collateral over its depth budget, and small runs of the
//! `ballast-sim cascade` comparisons.

use ballast_engine::operations::{liquidation_setup, LiquidationTerms};
use ballast_engine::{KeyedRetriever, Loaded, Positions as _};
use ballast_math::liquidation::bonus_bps;
use ballast_math::{Rounding, Wad};
use ballast_sim::book::{Amount, Book, BookEntry, BookMargin};
use ballast_sim::cascade::{self, CascadeSettings};
use ballast_sim::compare::Row;
use ballast_sim::config::MarketFile;
use ballast_sim::engine::market_state;
use ballast_sim::liquidate::{apply_liquidation, mark_liquidatable, plan_for, setup_liquidation, RepayRequest};
use ballast_sim::paths::PricePath;
use ballast_sim::{Market, ObligationState, Sim, SimParams, SimReserve};

const MARKET: &str = include_str!("../markets/sol-lst-usdc.toml");
const SOL: usize = 0;
const USDC: usize = 2;

fn market() -> Market {
    MarketFile::from_toml(MARKET).unwrap().validate().unwrap()
}

/// SOL collateral against USDC debt at `usage_bps` of its borrow power.
fn sol_usdc(tokens: u64, usage_bps: u16) -> BookEntry {
    BookEntry {
        deposits: vec![Amount { symbol: "SOL".into(), amount: tokens * 1_000_000_000 }],
        borrows: vec![Amount { symbol: "USDC".into(), amount: 1 }],
        target_usage_bps: usage_bps,
        margin: BookMargin::Classic,
    }
}

/// The book opened at the file's prices, then SOL's oracle moved by `factor` (published now).
fn opened(market: &Market, book: &Book, factor: f64) -> (Vec<SimReserve>, Vec<ObligationState>, i64) {
    let mut params = SimParams::from_market(market);
    params.borrow_to_target = true;
    let initial: Vec<f64> = market.reserves.iter().map(|r| r.initial_price).collect();
    let path = PricePath { rows: vec![initial.clone(), initial] };
    let sim = Sim::new(market, book, &path, params.clone()).unwrap();
    let mut reserves = sim.reserves.clone();
    reserves[SOL].oracle.price = (reserves[SOL].oracle.price as f64 * factor) as i64;
    reserves[SOL].oracle.ema_price = reserves[SOL].oracle.price;
    (reserves, sim.obligations.clone(), params.start_unix)
}

/// The same prices, published at `now` (the oracle's max age is a minute).
fn published(reserves: &[SimReserve], now: i64) -> Vec<SimReserve> {
    let mut reserves = reserves.to_vec();
    reserves.iter_mut().for_each(|r| r.oracle.publish_time = now);
    reserves
}

#[test]
fn a_skipped_obligations_auction_clock_starts_and_its_bonus_grows_as_the_engine_computes_it() {
    let mut market = market();
    market.liquidation.auction_secs = 600;
    let state = market_state(&market);
    // At 100% of its borrow power (health factor ~1.067), an 8% fall leaves ~0.98: liquidatable,
    // not deep in the red.
    let (reserves, mut obligations, start) = opened(&market, &Book { obligations: vec![sol_usdc(100, 10_000)] }, 0.92);
    let ob = &mut obligations[0];
    assert_eq!(ob.liquidatable_since_ts, 0);

    // Not marked: a liquidation now would start the clock and pay the minimum bonus.
    let at = |ob: &ObligationState, now| {
        let setup = setup_liquidation(&state, &published(&reserves, now), ob, USDC, SOL, now).unwrap();
        (setup, plan_for(&setup, RepayRequest::Max).unwrap())
    };
    let min_bonus = market.reserves[SOL].risk.min_liquidation_bonus_bps;
    assert_eq!(at(ob, start).1.bonus_bps, min_bonus);

    // A liquidator whose cost is above the minimum skips it and marks it: the clock starts.
    assert_eq!(mark_liquidatable(&state, &reserves, ob, start), Ok(start));
    assert_eq!(ob.liquidatable_since_ts, start);
    // Marking again keeps the clock.
    assert_eq!(mark_liquidatable(&state, &reserves, ob, start + 60), Ok(start));

    let mut last = 0;
    for minutes in [0, 1, 2, 5, 10, 20] {
        let now = start + minutes * 60;
        let (setup, plan) = at(ob, now);
        let reserves = published(&reserves, now);
        let retriever = KeyedRetriever(|k: &u8| reserves.get(*k as usize).map(|r| (&r.reserve, &r.oracle)));
        // The engine's own setup on the same state, and its bonus rule on that setup.
        let loaded = [
            Loaded { key: USDC as u8, reserve: &reserves[USDC].reserve },
            Loaded { key: SOL as u8, reserve: &reserves[SOL].reserve },
        ];
        let terms = LiquidationTerms::of(&state, &*ob, now);
        let engine = liquidation_setup(ob.held(), &retriever, &loaded, &terms, now).unwrap();
        assert_eq!(engine.bonus, setup.bonus);
        assert_eq!(engine.bonus.liquidatable_secs, minutes as u64 * 60);
        let h = &engine.reading.health;
        let hf = h.weighted_collateral.div(h.weighted_debt, Rounding::Down).unwrap();
        let expected = bonus_bps(
            hf,
            h.collateral_value,
            h.debt_value,
            &engine.bonus,
            &engine.config,
            engine.collateral.weight_bps,
            engine.debt.weight_bps,
        )
        .unwrap();
        assert_eq!(plan.bonus_bps, expected, "{minutes} min");
        assert!(plan.bonus_bps > last || minutes > 10, "the bonus grows while the auction runs ({minutes} min)");
        last = plan.bonus_bps;
    }
    assert_eq!(last, market.reserves[SOL].risk.max_liquidation_bonus_bps, "the maximum after auction_secs");

    // A liquidation that leaves it healthy stops the clock (the engine's mark_auction).
    let mut reserves = published(&reserves, start + 300);
    let (_, plan) = at(ob, start + 300);
    let outcome =
        apply_liquidation(&state, &mut reserves, ob, USDC, SOL, plan.repay_amount, false, start + 300).unwrap();
    assert!(outcome.after.is_healthy());
    assert_eq!(ob.liquidatable_since_ts, 0);
}

#[test]
fn pacing_caps_a_simulated_liquidation_of_a_collateral_over_its_budget() {
    let mut market = market();
    market.liquidation.paced_close_factor_bps = 1_000;
    market.liquidation.pacing_window_secs = 3_600;
    market.reserves[SOL].liquidation_depth_budget_usd = 1_000;
    let state = market_state(&market);
    let book = Book { obligations: vec![sol_usdc(100, 10_000); 4] };
    let (mut reserves, mut obligations, now) = opened(&market, &book, 0.92);
    assert_eq!(reserves[SOL].pacing.depth_budget_usd, 1_000, "the file's budget reaches the reserve");
    let debt = |ob: &ObligationState| ob.active_positions().iter().map(|p| p.debt_shares.0).sum::<u128>();

    // Nothing seized yet: the market's close factor (50%).
    let setup = setup_liquidation(&state, &reserves, &obligations[0], USDC, SOL, now).unwrap();
    assert_eq!(setup.config.close_factor_bps, 5_000);
    let plan = plan_for(&setup, RepayRequest::Max).unwrap();
    // A payout in supply shares sells nothing: not counted.
    apply_liquidation(&state, &mut reserves, &mut obligations[0], USDC, SOL, plan.repay_amount, true, now).unwrap();
    assert_eq!(reserves[SOL].pacing.window.amount, Wad::ZERO);
    // A payout in tokens is counted, at its seized value.
    let setup = setup_liquidation(&state, &reserves, &obligations[1], USDC, SOL, now).unwrap();
    assert_eq!(setup.config.close_factor_bps, 5_000);
    let plan = plan_for(&setup, RepayRequest::Max).unwrap();
    let outcome =
        apply_liquidation(&state, &mut reserves, &mut obligations[1], USDC, SOL, plan.repay_amount, false, now)
            .unwrap();
    assert_eq!(reserves[SOL].pacing.window.amount, outcome.plan.seized_value);
    assert!(outcome.plan.seized_value > Wad::from_u64(1_000));

    // Over the budget: the setup the liquidators plan on is paced, and so is the liquidation.
    let setup = setup_liquidation(&state, &reserves, &obligations[2], USDC, SOL, now).unwrap();
    assert_eq!(setup.config.close_factor_bps, 1_000);
    let paced = plan_for(&setup, RepayRequest::Max).unwrap();
    let before = debt(&obligations[2]);
    let asked = plan.repay_amount; // what the unpaced market accepted for the same position
    assert!(paced.repay_amount < asked / 3, "paced {} against {asked}", paced.repay_amount);
    let outcome = apply_liquidation(&state, &mut reserves, &mut obligations[2], USDC, SOL, asked, false, now).unwrap();
    assert_eq!(outcome.plan.repay_amount, paced.repay_amount, "the engine caps the request at the paced factor");
    let repaid_share = (before - debt(&obligations[2])) as f64 / before as f64;
    assert!(repaid_share <= 0.1001, "{repaid_share}");
    // After the window the close factor is the market's again (on a fresh obligation).
    let later = setup_liquidation(&state, &published(&reserves, now + 3_600), &obligations[3], USDC, SOL, now + 3_600);
    assert_eq!(later.map(|s| s.config.close_factor_bps), Ok(5_000));
}

/// A small book and short paths (minute steps), for the comparisons; pools scaled to the book.
fn small() -> (Market, Book, CascadeSettings) {
    let market = market();
    let settings = CascadeSettings {
        count: 300,
        calm_hours: 3,
        crash_minutes: 20,
        hours: 3,
        gbm_hours: 6,
        pool_depth_usd: 3_000_000.0,
        depth_budgets_usd: vec![250_000, 1_000_000_000_000],
        paced_close_factors_bps: vec![1_000],
        pacing_books: 1,
        ..Default::default()
    };
    let book = cascade::book_for(&market, &settings, settings.seed).unwrap();
    (market, book, settings)
}

fn row<'a>(rows: &'a [Row], path: &str, variant: &str) -> &'a Row {
    rows.iter().find(|r| r.path.starts_with(path) && r.variant == variant).unwrap()
}

#[test]
fn the_auction_costs_borrowers_less_when_liquidators_compete_and_leaves_no_more_bad_debt_in_a_crash() {
    let (market, book, settings) = small();
    let paths = settings.auction_paths(&market).unwrap();
    let params = settings.params(&market);
    let variants = cascade::auction_variants(settings.auction_secs, &[100, 300]);
    let comparison = ballast_sim::compare::run(&market, &book, &params, &paths[..2], &variants).unwrap();
    println!("{}", cascade::auction_table(&comparison.rows));
    // Liquidators whose cost is below the minimum bonus take every plan at once: the auction pays
    // the minimum, the ramp the minimum plus the shortfall reached within a step.
    for path in ["calm", "crash"] {
        let (ramp, auction) = (row(&comparison.rows, path, "ramp 100"), row(&comparison.rows, path, "auction 100"));
        assert!(ramp.liquidations > 0 && auction.liquidations > 0, "{path}");
        assert_eq!(auction.auction_marks, 0, "{path}: nothing skipped, nothing marked");
        assert!(auction.bonus_usd <= ramp.bonus_usd, "{path}: {} against {}", auction.bonus_usd, ramp.bonus_usd);
        assert!(auction.bad_debt_usd <= ramp.bad_debt_usd + 1.0, "{path}: bad debt");
    }
    let (ramp, auction) = (row(&comparison.rows, "crash", "ramp 100"), row(&comparison.rows, "crash", "auction 100"));
    assert!(auction.bonus_usd < 0.9 * ramp.bonus_usd, "a crash moves the ramp's bonus within a step");
    // Liquidators whose cost is above the minimum skip and mark; the auction's bonus then grows
    // past their cost, so it clears what the ramp leaves liquidatable.
    let (ramp, auction) = (row(&comparison.rows, "calm", "ramp 300"), row(&comparison.rows, "calm", "auction 300"));
    assert_eq!(ramp.auction_marks, 0);
    assert!(auction.auction_marks > 0, "liquidators mark what they skip");
    assert!(ramp.liquidatable_at_end > auction.liquidatable_at_end);
}

#[test]
fn pacing_splits_liquidations_only_over_its_budget() {
    let (market, _, settings) = small();
    let cascade = cascade::run(&market, &settings).unwrap();
    println!("{}", cascade::pacing_table(&cascade.pacing.rows));
    println!("{}", cascade::effects_table(&cascade.pacing_effects));
    let rows = &cascade.pacing.rows;
    let off = row(rows, "crash", "off");
    assert!(off.slippage_usd > 0.0 && off.trough_pct < 60.0 - 1.0, "liquidators' sales deepen the crash");
    // A budget nothing reaches changes nothing.
    let inert = row(rows, "crash", &cascade.pacing_effects[1].variant);
    assert_eq!(
        (inert.liquidations, inert.bad_debt_usd, inert.slippage_usd),
        (off.liquidations, off.bad_debt_usd, off.slippage_usd)
    );
    // A binding budget: the collateral's liquidations come in smaller pieces, so more of them.
    let paced = row(rows, "crash", &cascade.pacing_effects[0].variant);
    assert!(paced.liquidations > off.liquidations, "{} against {}", paced.liquidations, off.liquidations);
    assert_eq!(cascade.pacing_effects[0].books, 1);
}

/// One obligation at 100% of its borrow power while SOL falls 10% over two hours (minute steps),
/// with liquidators costing 300 bps: the report's steps.
fn slow_fall(auction_secs: u64) -> Vec<ballast_sim::engine::StepRecord> {
    let mut market = market();
    market.liquidation.auction_secs = auction_secs;
    let book = Book { obligations: vec![sol_usdc(100, 10_000)] };
    let mut params = SimParams::from_market(&market);
    (params.step_secs, params.min_bonus_bps, params.relever_prob_per_step) = (60, 300, 0.0);
    params.borrow_to_target = true;
    let initial: Vec<f64> = market.reserves.iter().map(|r| r.initial_price).collect();
    let rows = (0..=120)
        .map(|t| {
            initial
                .iter()
                .enumerate()
                .map(|(r, p)| if r == SOL { p * (1.0 - 0.1 * t as f64 / 120.0) } else { *p })
                .collect()
        })
        .collect();
    let path = PricePath { rows };
    Sim::new(&market, &book, &path, params).unwrap().run("slow fall").steps
}

#[test]
fn the_simulation_loop_marks_a_skipped_obligation_and_liquidates_it_once_the_auction_pays_the_cost() {
    let steps = slow_fall(600);
    let marked: Vec<usize> = steps.iter().filter(|s| s.auction_marks > 0).map(|s| s.step).collect();
    let liquidated: Vec<usize> = steps.iter().filter(|s| s.liquidations > 0).map(|s| s.step).collect();
    assert_eq!(marked.len(), 1, "marked once: {marked:?}");
    // The engine's bonus a minute after the mark is 280 bps, two minutes after 360: the first
    // liquidation comes two steps after the mark and pays 360 bps.
    assert_eq!(liquidated.first(), Some(&(marked[0] + 2)), "liquidated {liquidated:?}");
    let first = &steps[marked[0] + 2 - 1];
    assert!((first.bonus_usd / first.repaid_usd - 0.036).abs() < 1e-4, "{}", first.bonus_usd / first.repaid_usd);
    // Without the auction nobody marks, and the ramp reaches the cost only deeper in the red.
    let ramp = slow_fall(0);
    assert!(ramp.iter().all(|s| s.auction_marks == 0));
    let first_ramp = ramp.iter().find(|s| s.liquidations > 0).map(|s| s.step).unwrap();
    assert!(first_ramp > marked[0] + 2, "ramp at step {first_ramp}");
}
