//! Scenario margin on the runtime: the risk authority sets stress scenarios (market) and each
//! reserve's shocks; an obligation opts in and borrows against a correlated pair past classic
//! weights; every rejected input names its error and changes nothing; a depeg makes the position
//! liquidatable and a liquidation restores it; a tighter shock binds borrow power at once and
//! liquidation only over the ramp.

use anchor_lang::prelude::Pubkey;
use ballast::errors::BallastError;
use ballast::{MarketConfigParams, ReserveConfigParams};
use ballast_client::instructions as ix;
use ballast_engine::ReserveState as _;
use ballast_tests::{AssetSpec, Fixture, User};
use solana_signer::Signer;

use crate::SOL;

const LST: usize = 1;
const ONE: u64 = 1_000_000_000;

/// "SOL complex -35%" (SOL -35%, the LST -37%) and "LST depeg" (the LST -8%).
const SOL_SHOCKS: [i16; 8] = [-3_500, 0, 0, 0, 0, 0, 0, 0];
const LST_SHOCKS: [i16; 8] = [-3_700, -800, 0, 0, 0, 0, 0, 0];

fn scenario_market_params() -> MarketConfigParams {
    MarketConfigParams {
        scenario_count: 2,
        scenario_initial_buffer_bps: 10_200,
        scenario_maintenance_buffer_bps: 10_100,
        scenario_maintenance_fraction_bps: 6_000,
        ..ballast_tests::default_market_params()
    }
}

async fn set_market(f: &mut Fixture, params: MarketConfigParams) {
    let authority = f.authority.insecure_clone();
    f.env.send_ok(&[ix::update_market_config(authority.pubkey(), f.market, params)], &[&authority]).await;
}

async fn set_shocks(f: &mut Fixture, asset: usize, shocks: [i16; 8]) {
    let params = ReserveConfigParams { scenario_shocks_bps: shocks, ..f.assets[asset].params.clone() };
    let authority = f.authority.insecure_clone();
    let keys = f.keys(asset);
    f.env.send_ok(&[ix::update_reserve_config(authority.pubkey(), &keys, params.clone())], &[&authority]).await;
    f.assets[asset].params = params;
}

fn margin_ix(
    f: &Fixture,
    user: &User,
    mode: u8,
    assets: &[usize],
) -> anchor_lang::solana_program::instruction::Instruction {
    ix::set_margin_mode(user.key(), f.market, mode, &f.health_pairs(assets))
}

/// SOL ($100) and an LST ($110), both pull oracles; a lender supplies 1,000 SOL, a borrower 10 of
/// the LST. With `scenarios`, the market holds the two scenarios above, fully in force.
async fn lst_sol(scenarios: bool) -> (Fixture, User) {
    let mut f = Fixture::new(&[AssetSpec::new("SOL", 9, 100.0), AssetSpec::new("LST", 9, 110.0)]).await;
    let lender = f.new_user(&[1_000 * ONE, 0]).await;
    f.deposit(&lender, SOL, 1_000 * ONE).await.unwrap();
    let borrower = f.new_user(&[0, 10 * ONE]).await;
    f.deposit(&borrower, LST, 10 * ONE).await.unwrap();
    if scenarios {
        set_market(&mut f, scenario_market_params()).await;
        set_shocks(&mut f, SOL, SOL_SHOCKS).await;
        set_shocks(&mut f, LST, LST_SHOCKS).await;
        f.env.advance_time(86_400).await; // the market's risk ramp: shocks and scenarios in force
        f.refresh_prices().await;
    }
    (f, borrower)
}

fn watched(f: &Fixture, user: &User) -> Vec<Pubkey> {
    vec![
        user.obligation,
        f.market,
        f.keys(SOL).reserve,
        f.keys(LST).reserve,
        f.keys(SOL).vault,
        user.token_accounts[SOL],
    ]
}

/// $1,100 of the LST: classic weights lend 75% ($825, 8.25 SOL less the confidence); scenario
/// margin lends 0.92 / 1.02 of it (the depeg binds) = $992. 9.5 SOL fails classically and lands
/// once the owner opts in; going back to classic weights with that debt is refused.
#[tokio::test]
async fn scenario_margin_lends_an_lst_against_sol_past_classic_weights() {
    let (mut f, borrower) = lst_sol(true).await;
    let w = watched(&f, &borrower);
    let health = f.health_after(&borrower, Some(SOL), None).await;
    let borrow = ix::borrow(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], 95 * ONE / 10, &health);
    let refused = BallastError::InitialHealthNegative;
    f.env.assert_ballast_error(std::slice::from_ref(&borrow), &[&borrower.keypair], refused, &w).await;

    let opt_in = margin_ix(&f, &borrower, 1, &[LST]);
    let (_, logs) = f.env.send_logged(&[opt_in], &[&borrower.keypair]).await.unwrap();
    let [event]: [ballast::events::MarginModeEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert_eq!((event.margin_mode, event.weighted_debt), (1, 0), "no debt: no health to check");
    assert_eq!(f.env.obligation(&borrower.obligation).await.margin_mode, 1);
    f.borrow(&borrower, SOL, 95 * ONE / 10).await.unwrap();
    // Past 0.92 / 1.02 of $1,100 (less the 0.1% confidence on both sides): refused.
    let health = f.health_after(&borrower, Some(SOL), None).await;
    let more = ix::borrow(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], ONE / 2, &health);
    f.env.assert_ballast_error(std::slice::from_ref(&more), &[&borrower.keypair], refused, &w).await;
    // The program's own health is the worst scenario's: debt x 1.02 (initial buffer) against the
    // depegged collateral, 10 x 110 x 0.92 x 0.999.
    let initial = f.program_health(&borrower, true).await;
    let collateral = 10.0 * 110.0 * 0.92 * 0.999;
    assert!((initial.weighted_collateral as f64 / 1e18 - collateral).abs() < 0.01, "{initial:?}");
    assert!(!f.program_health(&borrower, false).await.liquidatable);

    let back = margin_ix(&f, &borrower, 0, &[LST, SOL]);
    f.env.assert_ballast_error(std::slice::from_ref(&back), &[&borrower.keypair], refused, &w).await;
}

#[tokio::test]
async fn rejected_scenario_inputs_name_their_error_and_change_nothing() {
    let (mut f, borrower) = lst_sol(false).await;
    let w = watched(&f, &borrower);
    let signers = [&borrower.keypair];
    // No scenarios in the market: nothing to opt into. An unknown mode.
    let opt_in = margin_ix(&f, &borrower, 1, &[LST]);
    f.env.assert_ballast_error(std::slice::from_ref(&opt_in), &signers, BallastError::ScenarioMarginDisabled, &w).await;
    let unknown = margin_ix(&f, &borrower, 2, &[LST]);
    f.env.assert_ballast_error(std::slice::from_ref(&unknown), &signers, BallastError::InvalidMarginMode, &w).await;
    // Someone else's obligation.
    let intruder = f.new_user(&[0, 0]).await;
    let pairs = f.health_pairs(&[LST]);
    let mut foreign = ix::set_margin_mode(intruder.key(), f.market, 0, &pairs);
    foreign.accounts[2].pubkey = borrower.obligation;
    let mismatch = BallastError::ObligationOwnerMismatch;
    f.env.assert_ballast_error(std::slice::from_ref(&foreign), &[&intruder.keypair], mismatch, &w).await;

    // Market: a maintenance buffer above the initial one, or nine scenarios.
    let authority = f.authority.insecure_clone();
    let invalid = BallastError::InvalidScenarioConfig;
    for params in [
        MarketConfigParams { scenario_maintenance_buffer_bps: 10_300, ..scenario_market_params() },
        MarketConfigParams { scenario_count: 9, ..scenario_market_params() },
        MarketConfigParams { scenario_maintenance_fraction_bps: 0, ..scenario_market_params() },
    ] {
        let update = ix::update_market_config(authority.pubkey(), f.market, params);
        f.env.assert_ballast_error(&[update], &[&authority], invalid, &[f.market]).await;
    }
    // Reserve: a shock for a scenario the market does not hold, or below -100%.
    set_market(&mut f, scenario_market_params()).await;
    let sol = f.keys(SOL);
    for shocks in [[0, 0, -100, 0, 0, 0, 0, 0], [-10_001, 0, 0, 0, 0, 0, 0, 0]] {
        let params = ReserveConfigParams { scenario_shocks_bps: shocks, ..f.assets[SOL].params.clone() };
        let update = ix::update_reserve_config(authority.pubkey(), &sol, params);
        f.env.assert_ballast_error(&[update], &[&authority], invalid, &[sol.reserve]).await;
    }
}

/// Borrowed 9.5 SOL against the LST under scenario margin; the LST falls 12% at spot (a depeg):
/// the worst maintenance scenario is below zero, and a liquidation of the SOL debt against the
/// LST lands and improves it, leaving it no healthier than the target.
#[tokio::test]
async fn a_depeg_liquidates_a_scenario_margined_position_and_restores_it() {
    let (mut f, borrower) = lst_sol(true).await;
    f.env.send_ok(&[margin_ix(&f, &borrower, 1, &[LST])], &[&borrower.keypair]).await;
    f.borrow(&borrower, SOL, 95 * ONE / 10).await.unwrap();
    f.set_price(LST, 110.0 * 0.88).await;
    let before = f.program_health(&borrower, false).await;
    assert!(before.liquidatable, "{before:?}");
    // The worst scenario is the depeg (the LST another 4.8% down, SOL unmoved): the debt weighs
    // the maintenance buffer, 1.01.
    assert_eq!(
        before.weighted_debt,
        before.debt_value * 10_100 / 10_000 + (before.debt_value * 10_100 % 10_000 != 0) as u128
    );

    let liquidator = f.new_user(&[20 * ONE, 0]).await;
    let ix = f.liquidate_ix(&liquidator, &borrower, SOL, LST, u64::MAX, 0).await;
    let (_, logs) = f.env.send_logged(&[ix], &[&liquidator.keypair]).await.unwrap();
    let [event]: [ballast::events::LiquidateEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    let after = f.program_health(&borrower, false).await;
    let margin = |c: u128, d: u128| c as i128 - d as i128;
    assert!(
        margin(after.weighted_collateral, after.weighted_debt)
            > margin(before.weighted_collateral, before.weighted_debt)
    );
    assert_eq!(
        (event.weighted_collateral_after, event.weighted_debt_after),
        (after.weighted_collateral, after.weighted_debt)
    );
    assert!(after.health_factor <= 11_000 * 100_000_000_000_000, "no over-liquidation: {after:?}");
}

/// A tighter depeg shock (-30%) binds borrow power at once, as a lower LTV does, but liquidation
/// only over the market's risk ramp: not liquidatable right after the change, liquidatable a day
/// later.
#[tokio::test]
async fn a_tighter_shock_binds_borrow_power_at_once_and_liquidation_over_the_ramp() {
    let (mut f, borrower) = lst_sol(true).await;
    f.env.send_ok(&[margin_ix(&f, &borrower, 1, &[LST])], &[&borrower.keypair]).await;
    f.borrow(&borrower, SOL, 95 * ONE / 10).await.unwrap();
    set_shocks(&mut f, LST, [-3_700, -3_000, 0, 0, 0, 0, 0, 0]).await;
    assert!(!f.program_health(&borrower, false).await.liquidatable, "no shock change liquidates at once");
    let w = watched(&f, &borrower);
    let health = f.health_after(&borrower, Some(SOL), None).await;
    let borrow = ix::borrow(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], 1_000, &health);
    let refused = BallastError::InitialHealthNegative;
    f.env.assert_ballast_error(std::slice::from_ref(&borrow), &[&borrower.keypair], refused, &w).await;
    f.env.advance_time(86_400).await;
    f.refresh_prices().await;
    assert!(f.program_health(&borrower, false).await.liquidatable, "the ramp has run");
    let reserve = f.env.reserve(&f.keys(LST).reserve).await;
    assert_eq!(reserve.scenario_shocks().in_force(f.env.now().await)[1], -3_000);
}
