//! Cascade containment on the runtime: the Dutch-auction bonus (a permissionless mark starts its
//! clock, the bonus grows with it, health stops it) and liquidation pacing (a collateral over its
//! depth budget is liquidated at the paced close factor; supply shares are never paced).

use ballast::errors::BallastError;
use ballast::events::{LiquidatableMarkEvent, LiquidateEvent};
use ballast::MarketConfigParams;
use ballast_client::instructions as ix;
use ballast_tests::{AssetSpec, Fixture, OracleFormat, User};
use solana_signer::Signer;

use crate::*;

/// SOL/USDC under `params`: a lender's 10,000 USDC, a borrower's 10 SOL and 700 USDC of debt
/// (HF 1.14 at $100), and a liquidator holding 1,000 USDC.
async fn borrowed(params: MarketConfigParams) -> (Fixture, User, User) {
    let sol = AssetSpec::new("SOL", 9, 100.0);
    let usdc = AssetSpec { oracle: OracleFormat::Legacy, ..AssetSpec::new("USDC", 6, 1.0) };
    let mut f = Fixture::with_market(params, &[sol, usdc]).await;
    let lender = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    let borrower = f.new_user(&[10 * ONE_SOL, 0]).await;
    f.deposit(&lender, USDC, 10_000 * ONE_USDC).await.unwrap();
    f.deposit(&borrower, SOL, 10 * ONE_SOL).await.unwrap();
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    let liquidator = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    (f, borrower, liquidator)
}

async fn mark(f: &mut Fixture, owner: &User) -> Result<LiquidatableMarkEvent, ballast_tests::TxFailure> {
    let health = f.health_pairs(&[SOL, USDC]);
    let payer = f.env.payer();
    let (_, logs) = f.env.send_logged(&[ix::mark_liquidatable(f.market, owner.obligation, &health)], &[&payer]).await?;
    let [event]: [LiquidatableMarkEvent; 1] = ballast_tests::events(&logs).try_into().expect("one mark event");
    Ok(event)
}

async fn liquidation(f: &mut Fixture, liquidator: &User, owner: &User, repay: u64) -> LiquidateEvent {
    let ix = f.liquidate_ix(liquidator, owner, USDC, SOL, repay, 0).await;
    let (_, logs) = f.env.send_logged(&[ix], &[&liquidator.keypair]).await.expect("liquidation lands");
    let [event]: [LiquidateEvent; 1] = ballast_tests::events(&logs).try_into().expect("one liquidate event");
    event
}

/// A market with a ten-minute Dutch auction: a mark on a healthy obligation is refused and
/// changes nothing; once SOL falls to $85 (HF 0.97, not deep) a mark starts the clock, a second
/// keeps it, the bonus grows from the minimum (2.4% after 30 s, where the shortfall ramp would
/// pay 4.28% at once) to half way after five minutes; back above water, a mark stops the clock.
#[tokio::test]
async fn the_dutch_auction_bonus_grows_from_a_mark_and_stops_when_health_returns() {
    let params = MarketConfigParams { auction_secs: 600, ..ballast_tests::default_market_params() };
    let (mut f, borrower, liquidator) = borrowed(params).await;
    let payer = f.env.payer();
    let healthy_mark = ix::mark_liquidatable(f.market, borrower.obligation, &f.health_pairs(&[SOL, USDC]));
    let watched = [borrower.obligation];
    f.env.assert_ballast_error(&[healthy_mark], &[&payer], BallastError::ObligationHealthy, &watched).await;

    f.set_price(SOL, 85.0).await;
    let no_health = ix::mark_liquidatable(f.market, borrower.obligation, &[]);
    f.env.assert_ballast_error(&[no_health], &[&payer], BallastError::HealthAccountCountMismatch, &watched).await;
    let started = f.env.now().await;
    assert_eq!(mark(&mut f, &borrower).await.unwrap().liquidatable_since_ts, started);
    f.env.advance_time(30).await;
    f.refresh_prices().await;
    assert_eq!(mark(&mut f, &borrower).await.unwrap().liquidatable_since_ts, started, "a second mark keeps the clock");
    assert_eq!(f.env.obligation(&borrower.obligation).await.liquidatable_since_ts, started);

    let at_start = f.policy_liquidation(&borrower).await.expect("liquidatable");
    assert_eq!(at_start.plan.bonus_bps, 240, "30 s of 600: 2% + 5% of the 8% span");
    f.env.advance_time(270).await;
    f.refresh_prices().await;
    let event = liquidation(&mut f, &liquidator, &borrower, 50 * ONE_USDC).await;
    assert_eq!(event.bonus_bps, 600, "half way through the auction: half way from 2% to 10%");
    assert_eq!(f.env.obligation(&borrower.obligation).await.liquidatable_since_ts, started, "still liquidatable");

    f.set_price(SOL, 100.0).await;
    assert_eq!(mark(&mut f, &borrower).await.unwrap().liquidatable_since_ts, 0, "healthy: the clock stops");
    assert_eq!(f.env.obligation(&borrower.obligation).await.liquidatable_since_ts, 0);
}

/// Without a mark, the first liquidation starts the clock at the minimum bonus.
#[tokio::test]
async fn the_first_liquidation_starts_the_auction_at_the_minimum() {
    let params = MarketConfigParams { auction_secs: 600, ..ballast_tests::default_market_params() };
    let (mut f, borrower, liquidator) = borrowed(params).await;
    f.set_price(SOL, 85.0).await;
    let now = f.env.now().await;
    let event = liquidation(&mut f, &liquidator, &borrower, 20 * ONE_USDC).await;
    assert_eq!(event.bonus_bps, 200);
    assert_eq!(f.env.obligation(&borrower.obligation).await.liquidatable_since_ts, now);
}

/// Pacing: SOL may have $10 seized for tokens per ten-minute window before its close factor
/// steps down from 50% to 10%. At $85 (HF 0.97, not deep) the first liquidation takes the 20 USDC
/// asked; the next, asking 100, is held to 10% of the 680 USDC left; one paid in supply shares
/// is not paced; ten minutes on, the window is empty again.
#[tokio::test]
async fn a_collateral_over_its_depth_budget_is_liquidated_at_the_paced_close_factor() {
    let params = MarketConfigParams {
        paced_close_factor_bps: 1_000,
        pacing_window_secs: 600,
        ..ballast_tests::default_market_params()
    };
    let (mut f, borrower, liquidator) = borrowed(params).await;
    let budget = ballast::ReserveConfigParams { liquidation_depth_budget_usd: 10, ..f.assets[SOL].params.clone() };
    let authority = f.authority.insecure_clone();
    let keys = f.keys(SOL);
    f.env.send_ok(&[ix::update_reserve_config(authority.pubkey(), &keys, budget.clone())], &[&authority]).await;
    f.assets[SOL].params = budget;
    f.set_price(SOL, 85.0).await;

    let first = liquidation(&mut f, &liquidator, &borrower, 20 * ONE_USDC).await;
    assert_eq!(first.repay_amount, 20 * ONE_USDC);
    let pacing = |reserve: &ballast::state::Reserve| ballast_engine::ReserveState::seizure_pacing(reserve);
    let window = pacing(&f.env.reserve(&keys.reserve).await).window;
    assert!(window.amount > ballast_math::Wad::from_u64(20), "the seizure is recorded: {window:?}");
    let paced = liquidation(&mut f, &liquidator, &borrower, 100 * ONE_USDC).await;
    let ten_percent = 68 * ONE_USDC;
    assert!((ten_percent..ten_percent + 1_000).contains(&paced.repay_amount), "paced: {}", paced.repay_amount);

    let before_shares = pacing(&f.env.reserve(&keys.reserve).await).window;
    assert!(before_shares.amount > window.amount, "the paced token payout was recorded");
    let shares = f.liquidate_ix_paid(&liquidator, &borrower, USDC, SOL, 70 * ONE_USDC, 0, true).await;
    let (_, logs) = f.env.send_logged(&[shares], &[&liquidator.keypair]).await.expect("share payout lands");
    let [unpaced]: [LiquidateEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert_eq!(unpaced.repay_amount, 70 * ONE_USDC, "supply shares are not paced");
    let after_shares = pacing(&f.env.reserve(&keys.reserve).await).window;
    assert_eq!(after_shares, before_shares, "a payout in shares sells nothing and is not recorded");

    f.env.advance_time(600).await;
    let now = f.env.now().await;
    assert_eq!(after_shares.recent(now, 600), Ok(ballast_math::Wad::ZERO), "the window has passed");
}

/// Each new knob is validated: a paced close factor above the close factor, pacing without a
/// window, an auction longer than a day.
#[tokio::test]
async fn cascade_knobs_out_of_range_are_rejected() {
    let (mut f, _, _) = borrowed(ballast_tests::default_market_params()).await;
    let authority = f.authority.insecure_clone();
    let good = ballast_tests::default_market_params();
    for bad in [
        MarketConfigParams { paced_close_factor_bps: 6_000, pacing_window_secs: 600, ..good.clone() },
        MarketConfigParams { paced_close_factor_bps: 1_000, pacing_window_secs: 0, ..good.clone() },
        MarketConfigParams { auction_secs: 86_401, ..good.clone() },
    ] {
        let update = ix::update_market_config(authority.pubkey(), f.market, bad);
        let market = f.market;
        f.env.assert_ballast_error(&[update], &[&authority], BallastError::InvalidLiquidationConfig, &[market]).await;
    }
}
