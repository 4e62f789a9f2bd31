//! The health accounts must be exactly the obligation's positions, in order, each with its
//! reserve's pinned oracle.

use anchor_lang::prelude::Pubkey;
use ballast::errors::BallastError;
use ballast_client::instructions as ix;
use ballast_tests::AssetSpec;

use crate::*;

async fn check(f: &mut Fixture, borrower: &ballast_tests::User, health: Vec<(Pubkey, Pubkey)>, error: BallastError) {
    let borrow = ix::borrow(borrower.key(), &f.keys(USDC), borrower.token_accounts[USDC], ONE_USDC, &health);
    let w = vec![
        borrower.obligation,
        f.keys(SOL).reserve,
        f.keys(USDC).reserve,
        f.keys(USDC).vault,
        borrower.token_accounts[USDC],
    ];
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], error, &w).await;
}

#[tokio::test]
async fn omitted_extra_reordered_and_substituted_accounts_are_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let (sol, usdc) = (f.keys(SOL), f.keys(USDC));
    // Omitted: the collateral pair left out (which would otherwise hide nothing but still lie).
    check(&mut f, &borrower, vec![(usdc.reserve, usdc.oracle)], BallastError::HealthAccountCountMismatch).await;
    // Omitted: the debt pair left out, which would hide the new debt.
    check(&mut f, &borrower, vec![(sol.reserve, sol.oracle)], BallastError::HealthAccountCountMismatch).await;
    // Extra pair.
    check(
        &mut f,
        &borrower,
        vec![(sol.reserve, sol.oracle), (usdc.reserve, usdc.oracle), (sol.reserve, sol.oracle)],
        BallastError::HealthAccountCountMismatch,
    )
    .await;
    // Odd count (a reserve without its oracle).
    let mut borrow =
        ix::borrow(borrower.key(), &usdc, borrower.token_accounts[USDC], ONE_USDC, &f.health_pairs(&[SOL, USDC]));
    borrow.accounts.pop();
    let w = vec![borrower.obligation, usdc.reserve];
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::HealthAccountCountMismatch, &w).await;
    // Reordered.
    check(
        &mut f,
        &borrower,
        vec![(usdc.reserve, usdc.oracle), (sol.reserve, sol.oracle)],
        BallastError::HealthReserveMismatch,
    )
    .await;
    // Substituted: the USDC reserve twice, in place of SOL.
    check(
        &mut f,
        &borrower,
        vec![(usdc.reserve, usdc.oracle), (usdc.reserve, usdc.oracle)],
        BallastError::HealthReserveMismatch,
    )
    .await;
    // Oracles swapped between the pairs.
    check(
        &mut f,
        &borrower,
        vec![(sol.reserve, usdc.oracle), (usdc.reserve, sol.oracle)],
        BallastError::OracleAccountMismatch,
    )
    .await;
    // The right list works.
    f.borrow(&borrower, USDC, ONE_USDC).await.unwrap();
}

#[tokio::test]
async fn fake_reserve_of_the_right_shape_is_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, ONE_USDC).await.unwrap();
    // A reserve from another market, with the real reserve's key written into a foreign-owned copy.
    let (_, foreign) = f.foreign_market(&AssetSpec::new("SOL", 9, 100.0)).await;
    let (sol, usdc) = (f.keys(SOL), f.keys(USDC));
    // Same bytes as the real SOL reserve, owned by another program, at the SOL reserve key.
    let mut fake = f.env.account(&sol.reserve).await.unwrap();
    fake.owner = Pubkey::new_unique();
    let fake_key = Pubkey::new_unique();
    f.env.set_account(&fake_key, fake);
    check(
        &mut f,
        &borrower,
        vec![(fake_key, sol.oracle), (usdc.reserve, usdc.oracle)],
        BallastError::HealthReserveMismatch,
    )
    .await;
    // The foreign market's reserve in place of SOL.
    check(
        &mut f,
        &borrower,
        vec![(foreign.keys.reserve, foreign.keys.oracle), (usdc.reserve, usdc.oracle)],
        BallastError::HealthReserveMismatch,
    )
    .await;
}
