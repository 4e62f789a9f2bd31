//! Collateral on/off per deposit (Aave's use-as-collateral) on the runtime: a deposit that is not
//! collateral earns interest but counts for no health and can never be seized; turning it off
//! needs initial health to stay >= 0; every refusal is named and changes nothing.

use ballast::errors::BallastError;
use ballast::events::CollateralToggleEvent;
use ballast_client::instructions as ix;
use ballast_engine::Positions as _;
use ballast_tests::User;
use solana_signer::Signer;

use crate::*;

fn toggle(
    f: &Fixture,
    user: &User,
    asset: usize,
    collateral: bool,
) -> anchor_lang::solana_program::instruction::Instruction {
    ix::set_collateral(user.key(), f.market, f.keys(asset).reserve, collateral, &f.health_pairs(&[SOL, USDC]))
}

/// A borrower with 10 SOL and 1,000 USDC deposited owes 700 USDC. The USDC deposit can stop
/// being collateral (10 SOL alone carry the debt), the SOL deposit then cannot; health, the
/// program's and the client's, counts the USDC deposit no more, while it keeps earning interest.
/// When SOL falls, the liquidator may seize the SOL but never the USDC. Turning collateral off
/// waits out a market pause; turning it on does not.
#[tokio::test]
async fn a_deposit_that_is_not_collateral_counts_for_nothing_and_is_never_seized() {
    let (mut f, _lender, borrower) = funded().await;
    f.env.mint_to(&f.keys(USDC).mint, &borrower.token_accounts[USDC], 1_000 * ONE_USDC).await;
    f.deposit(&borrower, USDC, 1_000 * ONE_USDC).await.unwrap();
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    let with_usdc = f.program_health(&borrower, true).await;

    let signers = [&borrower.keypair];
    let (_, logs) = f.env.send_logged(&[toggle(&f, &borrower, USDC, false)], &signers).await.expect("USDC off");
    let [event]: [CollateralToggleEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert!(!event.collateral && event.weighted_debt > 0, "{event:?}");
    let obligation = f.env.obligation(&borrower.obligation).await;
    assert_eq!(obligation.is_collateral(&f.keys(USDC).reserve), Ok(false));
    let without = f.program_health(&borrower, true).await;
    assert!(with_usdc.collateral_value - without.collateral_value > 990 * 10u128.pow(18), "USDC no longer counts");
    let client = f.client_health(&borrower, ballast::health::HealthKind::Initial).await;
    assert_eq!(client.weighted_collateral.0, without.weighted_collateral, "client and program agree");

    let watched = [borrower.obligation];
    let sol_off = toggle(&f, &borrower, SOL, false);
    f.env.assert_ballast_error(&[sol_off], &signers, BallastError::InitialHealthNegative, &watched).await;
    let elsewhere = anchor_lang::prelude::Pubkey::new_unique();
    let not_a_position = ix::set_collateral(borrower.key(), f.market, elsewhere, false, &[]);
    f.env.assert_ballast_error(&[not_a_position], &signers, BallastError::PositionNotFound, &watched).await;

    // SOL at $75: liquidatable on SOL alone (the USDC deposit would have kept it healthy).
    f.set_price(SOL, 75.0).await;
    assert!(f.program_health(&borrower, false).await.liquidatable);
    let liquidator = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    let seize_usdc = f.liquidate_ix(&liquidator, &borrower, USDC, USDC, 100 * ONE_USDC, 0).await;
    let w = [borrower.obligation, f.keys(USDC).reserve, f.keys(USDC).vault];
    f.env.assert_ballast_error(&[seize_usdc], &[&liquidator.keypair], BallastError::DepositNotCollateral, &w).await;
    let usdc_reserve = f.keys(USDC).reserve;
    let usdc_shares = |o: &ballast::state::Obligation| o.position(&usdc_reserve).unwrap().supply_shares;
    let before = usdc_shares(&f.env.obligation(&borrower.obligation).await);
    let plan = f.policy_liquidation(&borrower).await.expect("a liquidation of the SOL");
    assert_eq!(plan.collateral_reserve, f.keys(SOL).reserve, "the policy never picks the USDC deposit");
    f.liquidate(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0).await.expect("the SOL is seized");
    assert_eq!(usdc_shares(&f.env.obligation(&borrower.obligation).await), before, "the USDC deposit is untouched");

    // A pause: collateral may come back on (it only adds borrow power), not go off.
    let authority = f.authority.insecure_clone();
    f.env.send_ok(&[ix::pause_market(authority.pubkey(), f.market, 3_600)], &[&authority]).await;
    f.env.send_ok(&[toggle(&f, &borrower, USDC, true)], &signers).await;
    assert!(!f.program_health(&borrower, false).await.liquidatable, "the USDC deposit cures it");
    let off_in_pause = toggle(&f, &borrower, USDC, false);
    f.env.assert_ballast_error(&[off_in_pause], &signers, BallastError::MarketPaused, &watched).await;
}
