//! The operations' order of checks and state changes, on owned state (the simulator's and the
//! dApp's kind), with reserves and prices looked up by key.

use ballast_engine::operations::{self, LiquidationReserves};
use ballast_engine::{
    Error, KeyedRetriever, MarketState, OwnedReserve, Position, PositionSlots, Positions, ReserveStatus,
};
use ballast_math::liquidation::LiquidationConfig;
use ballast_math::{OraclePrice, Wad};

mod common;

use common::book::*;

#[test]
fn deposit_checks_amount_then_pause_then_status() {
    let mut book = Book::new(100);
    let mut obligation = PositionSlots::<u8>::default();
    let paused = MarketState { paused_until: NOW + 1, ..market() };
    let sol = &mut book.reserves[0];
    sol.status = ReserveStatus::ReduceOnly;
    let deposit = |market: &MarketState, sol: &mut OwnedReserve, o: &mut PositionSlots<u8>, amount| {
        operations::deposit(market, &SOL, sol, o, amount, NOW)
    };
    assert_eq!(deposit(&paused, sol, &mut obligation, 0), Err(Error::ZeroAmount));
    assert_eq!(deposit(&paused, sol, &mut obligation, 1), Err(Error::MarketPaused));
    assert_eq!(deposit(&market(), sol, &mut obligation, 1), Err(Error::ReserveNotActive));
    assert_eq!(obligation.position_count(), 0);
}

#[test]
fn borrow_past_borrow_power_is_rejected_and_within_it_recorded() {
    let mut book = Book::new(100);
    let mut obligation = borrower(&mut book, 0);
    // $1,000 of SOL at 75% LTV: $750 of borrow power.
    let mut usdc = book.reserves[1];
    let rejected =
        operations::borrow(&market(), &USDC, &mut usdc, &mut obligation, &book.retriever(), 750_000_001, NOW);
    assert_eq!(rejected.unwrap_err(), Error::InitialHealthNegative);

    let (mut usdc, mut obligation) = (book.reserves[1], borrower(&mut Book::new(100), 0));
    let outcome =
        operations::borrow(&market(), &USDC, &mut usdc, &mut obligation, &book.retriever(), 750_000_000, NOW).unwrap();
    assert!(outcome.health_after.is_healthy());
    assert_eq!(obligation.position(&USDC).unwrap().debt_shares, outcome.debt_shares_added);
    assert_eq!(usdc.accounting.available_liquidity, book.reserves[1].accounting.available_liquidity - 750_000_000);
}

#[test]
fn withdraw_without_debt_reads_no_price() {
    let mut book = Book::new(100);
    let mut obligation = borrower(&mut book, 0);
    fn nothing(_: &u8) -> Option<(&'static OwnedReserve, &'static OraclePrice)> {
        None
    }
    let no_prices = KeyedRetriever(nothing);
    let mut sol = book.reserves[0];
    let outcome = operations::withdraw(&market(), &SOL, &mut sol, &mut obligation, &no_prices, u64::MAX, NOW).unwrap();
    assert_eq!(outcome.amount, 10_000_000_000);
    assert_eq!(obligation.position_count(), 0, "the emptied position closes");
}

#[test]
fn repay_all_closes_the_position_and_socialize_waits_for_no_collateral() {
    let mut book = Book::new(100);
    let mut obligation = borrower(&mut book, 500);
    let mut usdc = book.reserves[1];
    assert_eq!(
        operations::socialize_loss(&market(), &USDC, &mut usdc, &mut obligation.clone(), &book.retriever(), NOW)
            .unwrap_err(),
        Error::ObligationHasCollateral
    );
    assert_eq!(
        operations::repay(&market(), &SOL, &mut usdc, &mut obligation.clone(), 1, NOW).unwrap_err(),
        Error::NoDebtToRepay
    );
    let repayment = operations::repay(&market(), &USDC, &mut usdc, &mut obligation, u64::MAX, NOW).unwrap();
    assert_eq!(repayment.amount, 500_000_000);
    assert_eq!(
        obligation.active_positions(),
        &[Position { reserve: SOL, supply_shares: 10_000_000_000, debt_shares: Wad::ZERO }]
    );
}

/// Collateral worth less than the dust value does not hold a write-off up once the obligation is
/// liquidatable; while the collateral is worth more, or the obligation is healthy, nothing is
/// written off.
#[test]
fn socialize_takes_debt_off_dust_collateral_only_when_liquidatable() {
    let socialize = |book: &Book, obligation: &mut PositionSlots<u8>| {
        let mut usdc = book.reserves[1];
        operations::socialize_loss(&market(), &USDC, &mut usdc, obligation, &book.retriever(), NOW)
    };
    let dime = OraclePrice { price: 10_000_000, ema_price: 10_000_000, ..price(1) };
    // $1 of SOL (the dust value is $2) against $0.50 of USDC: healthy, nothing is written off.
    let mut book = Book::new(100);
    let mut small = PositionSlots::<u8>::default();
    let [sol, usdc] = &mut book.reserves;
    operations::deposit(&market(), &SOL, sol, &mut small, 10_000_000_000, NOW).unwrap();
    small.position_or_open(&USDC).unwrap().debt_shares = usdc.accounting.borrow(500_000, u64::MAX).unwrap();
    book.prices[0] = dime;
    assert_eq!(socialize(&book, &mut small.clone()).unwrap_err(), Error::ObligationHasCollateral);

    // $1,000 of SOL against $500: not dust. At $0.10 the $1 left is dust against $500 of debt.
    let mut book = Book::new(100);
    let mut obligation = borrower(&mut book, 500);
    assert_eq!(socialize(&book, &mut obligation.clone()).unwrap_err(), Error::ObligationHasCollateral);
    book.prices[0] = dime;
    let outcome = socialize(&book, &mut obligation).unwrap();
    assert_eq!(outcome.debt_written_off, Wad::from_u64(500_000_000));
    assert!(!obligation.has_debt());
    assert_eq!(obligation.position(&SOL).unwrap().supply_shares, 10_000_000_000, "the dust stays the owner's");
}

#[test]
fn liquidation_needs_negative_maintenance_health_and_improves_it() {
    let mut book = Book::new(100);
    let mut obligation = borrower(&mut book, 700);
    let liquidate = |book: &Book, obligation: &mut PositionSlots<u8>| {
        let [mut sol, mut usdc] = book.reserves;
        let reserves =
            LiquidationReserves::Pair { repay_key: USDC, repay: &mut usdc, collateral_key: SOL, collateral: &mut sol };
        let payout = operations::Payout::Tokens;
        operations::liquidate(&market(), false, obligation, reserves, payout, &book.retriever(), 100_000_000, 0, NOW)
    };
    // $1,000 x 80% = $800 >= $700: healthy.
    assert_eq!(liquidate(&book, &mut obligation.clone()).unwrap_err(), Error::ObligationHealthy);
    // SOL at $85: $680 < $700.
    book.prices[0] = price(85);
    let outcome = liquidate(&book, &mut obligation).unwrap();
    assert_eq!(outcome.plan.repay_amount, 100_000_000);
    assert!(outcome.after.margin() > outcome.before.margin());
    // No time has passed, so the borrow index is 1 and a unit of debt is a share.
    assert_eq!(obligation.position(&USDC).unwrap().debt_shares, Wad::from_u64(600_000_000));
}

/// Interest can take a debt past `u64::MAX` base units: it is still repaid in parts and
/// liquidated, the rest written off once the collateral is gone.
#[test]
fn a_debt_above_u64_max_is_repaid_and_liquidated_in_parts() {
    let mut book = Book::new(100);
    let mut obligation = borrower(&mut book, 700);
    // USDC's borrow index at 3e10: the $700 borrow is now 2.1e19 base units.
    book.reserves[1].accounting.borrow_index = Wad::from_u64(30_000_000_000);
    book.reserves[1].accounting.available_liquidity = 0; // lent out
    let owed = |book: &Book, o: &PositionSlots<u8>| {
        let shares = o.position(&USDC).unwrap().debt_shares;
        book.reserves[1].accounting.debt_amount(shares, ballast_math::Rounding::Up).unwrap()
    };
    let before = owed(&book, &obligation);
    assert!(before > Wad::from_u64(u64::MAX));
    let part = 1_000_000_000_000;
    let repaid = operations::repay(&market(), &USDC, &mut book.reserves[1], &mut obligation, part, NOW).unwrap();
    assert_eq!(repaid.amount, part, "a part is repaid");
    assert!(owed(&book, &obligation) < before);

    // Deep in the red: the liquidation takes all the SOL for what it covers (at most u64::MAX
    // base units), and the rest is written off in the same call.
    let [mut sol, mut usdc] = book.reserves;
    let reserves =
        LiquidationReserves::Pair { repay_key: USDC, repay: &mut usdc, collateral_key: SOL, collateral: &mut sol };
    let snapshot = Book { reserves: book.reserves, prices: book.prices };
    let outcome = operations::liquidate(
        &market(),
        false,
        &mut obligation,
        reserves,
        operations::Payout::Tokens,
        &snapshot.retriever(),
        u64::MAX,
        0,
        NOW,
    )
    .unwrap();
    assert!(!outcome.plan.repays_all);
    assert!(outcome.deficit.is_some_and(|d| d.debt_written_off > Wad::from_u64(u64::MAX)));
    assert_eq!(obligation.position_count(), 0, "collateral seized, debt written off");
}

/// Liquidates `repay` USDC against SOL at `now_unix` on copies of the book's reserves; returns the
/// outcome and the SOL reserve after it.
fn liquidate_at(
    market: &MarketState,
    book: &Book,
    obligation: &mut PositionSlots<u8>,
    repay: u64,
    payout: operations::Payout<PositionSlots<u8>>,
    now_unix: i64,
) -> Result<(operations::LiquidateOutcome, OwnedReserve), Error> {
    let [mut sol, mut usdc] = book.reserves;
    let reserves =
        LiquidationReserves::Pair { repay_key: USDC, repay: &mut usdc, collateral_key: SOL, collateral: &mut sol };
    let outcome =
        operations::liquidate(market, false, obligation, reserves, payout, &book.retriever(), repay, 0, now_unix)?;
    Ok((outcome, sol))
}

/// The Dutch auction: a mark (or the first liquidation) starts the clock, the bonus grows with it
/// from the minimum, and any proof of health stops it.
#[test]
fn the_auction_clock_starts_on_a_mark_grows_the_bonus_and_stops_when_health_returns() {
    let auction =
        MarketState { liquidation: LiquidationConfig { auction_secs: 600, ..market().liquidation }, ..market() };
    let mut book = Book::new(100);
    let mut obligation = borrower(&mut book, 700);
    let mark = |book: &Book, o: &mut PositionSlots<u8>, now| {
        operations::mark_liquidatable(&auction, o, &book.retriever(), now)
    };
    let fresh_at = |book: &mut Book, now| book.prices.iter_mut().for_each(|p| p.publish_time = now);
    assert_eq!(
        mark(&book, &mut obligation, NOW).unwrap_err(),
        Error::ObligationHealthy,
        "healthy, no clock: nothing to mark"
    );
    // SOL at $85: HF 0.97 (not deep): the auction's minimum at once, where the ramp gives more.
    book.prices[0] = price(85);
    let (first, _) =
        liquidate_at(&auction, &book, &mut obligation.clone(), 10_000_000, operations::Payout::Tokens, NOW).unwrap();
    let (ramp, _) =
        liquidate_at(&market(), &book, &mut obligation.clone(), 10_000_000, operations::Payout::Tokens, NOW).unwrap();
    assert_eq!(first.plan.bonus_bps, 200);
    assert!(ramp.plan.bonus_bps > 200);
    // A mark starts the clock once; a second keeps it.
    assert_eq!(mark(&book, &mut obligation, NOW).unwrap().liquidatable_since_ts, NOW);
    fresh_at(&mut book, NOW + 100);
    assert_eq!(mark(&book, &mut obligation, NOW + 100).unwrap().liquidatable_since_ts, NOW);
    let half = NOW + 300;
    fresh_at(&mut book, half);
    let (later, _) =
        liquidate_at(&auction, &book, &mut obligation.clone(), 10_000_000, operations::Payout::Tokens, half).unwrap();
    assert_eq!(later.plan.bonus_bps, 600, "halfway through the auction: halfway from 2% to 10%");
    // A liquidation that leaves it liquidatable keeps the clock; a repay that leaves debt does not
    // stop it (anyone may repay: no resetting the auction for a unit of debt).
    let mut partial = obligation;
    liquidate_at(&auction, &book, &mut partial, 10_000_000, operations::Payout::Tokens, half).unwrap();
    assert_eq!(partial.liquidatable_since_ts, NOW);
    operations::repay(&market(), &USDC, &mut book.reserves[1].clone(), &mut partial, 1, half).unwrap();
    assert_eq!(partial.liquidatable_since_ts, NOW);
    // Back above water: a mark stops the clock.
    book.prices[0] = price(100);
    fresh_at(&mut book, half);
    assert_eq!(mark(&book, &mut obligation, half).unwrap().liquidatable_since_ts, 0);
}

/// Pacing: once a collateral's recent seizures for tokens pass its depth budget, liquidations
/// take it at the paced close factor; a payout in shares is not paced and not counted.
#[test]
fn a_collateral_over_its_depth_budget_is_liquidated_at_the_paced_close_factor() {
    let paced_market = MarketState {
        liquidation: LiquidationConfig {
            paced_close_factor_bps: 1_000,
            pacing_window_secs: 600,
            ..market().liquidation
        },
        ..market()
    };
    let mut book = Book::new(85);
    book.reserves[0].pacing.depth_budget_usd = 50;
    let obligation = borrower(&mut book, 700);
    let max = 100_000_000;
    let tokens = || operations::Payout::Tokens;
    // Under budget: the market's 50% close factor allows the $100 asked; the seizure is recorded.
    let (first, sol) = liquidate_at(&paced_market, &book, &mut obligation.clone(), max, tokens(), NOW).unwrap();
    assert_eq!(first.plan.repay_amount, 100_000_000);
    assert_eq!(sol.pacing.window.amount, first.plan.seized_value);
    // Over budget: 10% of the debt.
    book.reserves[0] = sol;
    let (paced, _) = liquidate_at(&paced_market, &book, &mut obligation.clone(), max, tokens(), NOW).unwrap();
    assert_eq!(paced.plan.repay_amount, 70_000_000);
    // As supply shares: not paced, and nothing recorded.
    let mut receiver = PositionSlots::<u8>::default();
    let shares = operations::Payout::SupplyShares(&mut receiver);
    let (unpaced, after) = liquidate_at(&paced_market, &book, &mut obligation.clone(), max, shares, NOW).unwrap();
    assert_eq!(unpaced.plan.repay_amount, 100_000_000);
    assert_eq!(after.pacing.window, book.reserves[0].pacing.window);
    // Once the window has passed, the full close factor again.
    book.prices.iter_mut().for_each(|p| p.publish_time = NOW + 600);
    let (rested, _) = liquidate_at(&paced_market, &book, &mut obligation.clone(), max, tokens(), NOW + 600).unwrap();
    assert_eq!(rested.plan.repay_amount, 100_000_000);
}
