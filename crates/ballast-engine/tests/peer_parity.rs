//! Minimum debt, outflow limits, flash loans and treasury withdrawals on owned state: each rule's
//! accepted and refused cases, and that a refused operation leaves the state as it was.

use ballast_engine::operations::{self, LiquidationReserves, Payout, TreasuryBalance};
use ballast_engine::{Error, MarketState, Positions, ReserveState};
use ballast_math::treasury::TreasuryConfig;
use ballast_math::window::{DecayingTotal, OutflowLimit};
use ballast_math::Wad;

mod common;

use common::book::*;

fn min_debt_market(usd: u64) -> MarketState {
    MarketState { min_debt_usd: usd, ..market() }
}

#[test]
fn a_borrow_or_partial_repay_keeps_the_minimum_debt() {
    let mut book = Book::new(100);
    let mut obligation = borrower(&mut book, 0);
    let m = min_debt_market(50);
    let snapshot = Book { reserves: book.reserves, prices: book.prices };
    let mut usdc = book.reserves[1];
    let small =
        operations::borrow(&m, &USDC, &mut usdc, &mut obligation.clone(), &snapshot.retriever(), 49_000_000, NOW);
    assert_eq!(small.unwrap_err(), Error::DebtBelowMinimum);
    let mut usdc = book.reserves[1];
    operations::borrow(&m, &USDC, &mut usdc, &mut obligation, &snapshot.retriever(), 100_000_000, NOW).unwrap();
    assert_eq!(usdc.last_spot_price(), Wad::ONE, "the borrow records the price it used");

    // A repay leaving $49 is refused; one leaving $50, or nothing, is not.
    let refused = operations::repay(&m, &USDC, &mut usdc.clone(), &mut obligation.clone(), 51_000_000, NOW);
    assert_eq!(refused, Err(Error::DebtBelowMinimum));
    operations::repay(&m, &USDC, &mut usdc, &mut obligation, 50_000_000, NOW).unwrap();
    operations::repay(&m, &USDC, &mut usdc, &mut obligation, u64::MAX, NOW).unwrap();
    assert!(obligation.position(&USDC).is_none(), "repaying all of it always works");
}

#[test]
fn borrows_and_withdrawals_are_limited_net_of_inflows_and_liquidation_never() {
    let mut book = Book::new(100);
    let limit = OutflowLimit { cap: 300_000_000, window_secs: 3_600 };
    book.reserves[1].outflow.limit = limit;
    let mut obligation = borrower(&mut book, 0);
    let m = market();
    let snapshot = Book { reserves: book.reserves, prices: book.prices };
    let mut usdc = book.reserves[1];
    let r = snapshot.retriever();
    operations::borrow(&m, &USDC, &mut usdc, &mut obligation, &r, 250_000_000, NOW).unwrap();
    let refused = operations::borrow(&m, &USDC, &mut usdc.clone(), &mut obligation.clone(), &r, 60_000_000, NOW);
    assert_eq!(refused.unwrap_err(), Error::OutflowLimitExceeded);
    // A repay (an inflow) makes room; so does a deposit; a withdrawal counts; so does time.
    operations::repay(&m, &USDC, &mut usdc, &mut obligation, 100_000_000, NOW).unwrap();
    operations::borrow(&m, &USDC, &mut usdc, &mut obligation, &r, 140_000_000, NOW).unwrap();
    operations::deposit(&m, &USDC, &mut usdc, &mut obligation, 30_000_000, NOW).unwrap();
    operations::withdraw(&m, &USDC, &mut usdc, &mut obligation, &r, 30_000_000, NOW).unwrap();
    let refused = operations::borrow(&m, &USDC, &mut usdc.clone(), &mut obligation.clone(), &r, 11_000_000, NOW);
    assert_eq!(refused.unwrap_err(), Error::OutflowLimitExceeded);
    assert_eq!(usdc.outflow.window.recent(NOW, 3_600), Ok(Wad::from_u64(290_000_000)));
    let later = NOW + 1_800;
    let mut fresh = Book { reserves: snapshot.reserves, prices: snapshot.prices };
    fresh.prices.iter_mut().for_each(|p| p.publish_time = later);
    operations::borrow(&m, &USDC, &mut usdc, &mut obligation, &fresh.retriever(), 100_000_000, later).unwrap();

    // A liquidation of a reserve at its limit neither waits nor counts.
    let mut book = Book::new(100);
    let mut victim = borrower(&mut book, 700);
    book.reserves[0].outflow = ballast_engine::reserve::ReserveOutflow {
        limit,
        window: DecayingTotal { amount: Wad::from_u64(limit.cap), updated_ts: NOW },
    };
    book.reserves[1].outflow = book.reserves[0].outflow;
    book.prices[0] = common::book::price(80);
    let snapshot = Book { reserves: book.reserves, prices: book.prices };
    let [mut sol, mut usdc] = book.reserves;
    let reserves =
        LiquidationReserves::Pair { repay_key: USDC, repay: &mut usdc, collateral_key: SOL, collateral: &mut sol };
    operations::liquidate(
        &m,
        false,
        &mut victim,
        reserves,
        Payout::<ballast_engine::PositionSlots<u8>>::Tokens,
        &snapshot.retriever(),
        100_000_000,
        0,
        NOW,
    )
    .unwrap();
    assert_eq!(sol.outflow.window, snapshot.reserves[0].outflow.window, "the seizure is not counted");
    assert_eq!(usdc.outflow.window, snapshot.reserves[1].outflow.window, "the repay leg is not counted");
}

#[test]
fn a_flash_loan_opens_once_closes_with_its_fee_and_leaves_share_value_alone() {
    let mut usdc = Book::new(100).reserves[1];
    usdc.treasury = TreasuryConfig { insurance_floor: 0, flash_loan_fee_bps: 9 };
    let value = usdc.accounting.supply_share_value().unwrap();
    assert_eq!(operations::flash_repay(&mut usdc, 1, NOW), Err(Error::FlashLoanNotActive));
    assert_eq!(operations::flash_borrow(&mut usdc, 0, NOW), Err(Error::ZeroAmount));
    let available = usdc.accounting.available_liquidity;
    assert_eq!(operations::flash_borrow(&mut usdc, available + 1, NOW), Err(Error::InsufficientLiquidity));
    operations::flash_borrow(&mut usdc, 1_000_000, NOW).unwrap();
    assert_eq!(usdc.accounting.available_liquidity, available, "the loan is not accounted as a withdrawal");
    assert_eq!(operations::flash_borrow(&mut usdc, 1, NOW), Err(Error::FlashLoanActive));
    assert_eq!(operations::flash_repay(&mut usdc, 999_999, NOW), Err(Error::FlashRepayAmountMismatch));
    assert_eq!(operations::flash_repay(&mut usdc, 1_000_000, NOW), Ok(900));
    assert_eq!(usdc.flash_loan_amount(), 0);
    assert_eq!(usdc.accounting.available_liquidity, available + 900);
    assert_eq!(usdc.accounting.supply_share_value().unwrap(), value, "the fee is the protocol's and insurance's");
    usdc.status = ballast_engine::ReserveStatus::Paused;
    assert_eq!(operations::flash_borrow(&mut usdc, 1, NOW), Err(Error::ReservePaused));
    usdc.status = ballast_engine::ReserveStatus::Active;
    usdc.treasury.flash_loan_fee_bps = ballast_math::treasury::FLASH_LOANS_DISABLED;
    assert_eq!(operations::flash_borrow(&mut usdc, 1, NOW), Err(Error::FlashLoansDisabled));
}

#[test]
fn insurance_keeps_its_floor_and_stays_whole_after_a_socialized_loss() {
    let mut usdc = Book::new(100).reserves[1];
    usdc.accounting.protocol_fees = Wad::from_u64(5_000);
    usdc.accounting.insurance_fees = Wad::from_u64(8_000);
    usdc.treasury.insurance_floor = 3_000;
    let value = usdc.accounting.supply_share_value().unwrap();
    let fees = TreasuryBalance::ProtocolFees;
    assert_eq!(operations::withdraw_treasury(&mut usdc, fees, 5_001, NOW), Err(Error::FeesExceedAccrued));
    assert_eq!(operations::withdraw_treasury(&mut usdc, fees, u64::MAX, NOW), Ok(5_000));
    let insurance = TreasuryBalance::Insurance;
    assert_eq!(operations::withdraw_treasury(&mut usdc, insurance, 5_001, NOW), Err(Error::InsuranceBelowFloor));
    assert_eq!(operations::withdraw_treasury(&mut usdc, insurance, 4_000, NOW), Ok(4_000));
    assert_eq!(usdc.accounting.supply_share_value().unwrap(), value);
    usdc.socialized_loss = Wad::from_u64(1);
    let before = usdc;
    assert_eq!(operations::withdraw_treasury(&mut usdc, insurance, 1, NOW), Err(Error::ReserveHasDeficit));
    assert_eq!(usdc, before);
}

#[test]
fn a_deposit_off_collateral_counts_for_no_health_and_turning_it_off_keeps_initial_health() {
    let mut book = Book::new(100);
    let mut obligation = borrower(&mut book, 700);
    let m = market();
    operations::deposit(&m, &USDC, &mut book.reserves[1], &mut obligation, 1_000_000_000, NOW).unwrap();
    let snapshot = Book { reserves: book.reserves, prices: book.prices };
    let r = snapshot.retriever();
    let health = |o: &ballast_engine::PositionSlots<u8>| {
        let margin = ballast_engine::Margin::Classic;
        ballast_engine::obligation_health(o.held(), &r, &[], ballast_engine::HealthKind::Initial, &margin, NOW)
            .unwrap()
            .health
    };
    let with_usdc = health(&obligation);
    operations::set_collateral(&m, &USDC, &mut obligation, false, &r, NOW).unwrap();
    let without = health(&obligation);
    assert!(with_usdc.collateral_value.checked_sub(without.collateral_value).unwrap() > Wad::from_u64(990));
    assert_eq!(
        operations::set_collateral(&m, &SOL, &mut obligation.clone(), false, &r, NOW),
        Err(Error::InitialHealthNegative)
    );
    assert_eq!(
        operations::set_collateral(&m, &7, &mut obligation.clone(), false, &r, NOW),
        Err(Error::PositionNotFound)
    );
    let paused = MarketState { paused_until: NOW + 1, ..m };
    assert_eq!(
        operations::set_collateral(&paused, &USDC, &mut obligation.clone(), false, &r, NOW),
        Err(Error::MarketPaused)
    );
    operations::set_collateral(&paused, &USDC, &mut obligation.clone(), true, &r, NOW).expect("on in a pause");
}
