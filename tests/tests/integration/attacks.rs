//! Attack classes of DESIGN.md not covered elsewhere, each built as the attacker would send it,
//! asserting the named error and unchanged state. (SECURITY.md maps every class to its test.)

use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::{AccountMeta, Pubkey};
use ballast::errors::BallastError;
use ballast::state::{OBLIGATION_SEED, VAULT_AUTHORITY_SEED};
use ballast_client::instructions as ix;
use ballast_tests::{AssetSpec, Fixture, TestPrice, User};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_signer::Signer;

use crate::*;

fn watched(f: &Fixture, user: &User) -> Vec<Pubkey> {
    let mut keys =
        vec![user.obligation, f.keys(SOL).reserve, f.keys(SOL).vault, f.keys(USDC).reserve, f.keys(USDC).vault];
    keys.extend(user.token_accounts.iter().copied());
    keys
}

/// A PDA address for `seeds` with a bump other than the canonical one.
fn non_canonical(seeds: &[&[u8]]) -> Pubkey {
    let (_, canonical) = Pubkey::find_program_address(seeds, &ballast::ID);
    (0..canonical)
        .rev()
        .find_map(|bump| Pubkey::create_program_address(&[seeds, &[&[bump][..]]].concat(), &ballast::ID).ok())
        .expect("a non-canonical bump exists")
}

#[tokio::test]
async fn non_canonical_bumps_are_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let newcomer = f.env.new_funded_keypair().await;
    let market = f.market;
    let fake = non_canonical(&[OBLIGATION_SEED, market.as_ref(), newcomer.pubkey().as_ref()]);
    let mut init = ix::init_obligation(newcomer.pubkey(), market);
    init.accounts[2].pubkey = fake;
    f.env.assert_rejected(&[init], &[&newcomer], AnchorError::ConstraintSeeds as u32, &[fake]).await;
    // The vault authority with a non-canonical bump cannot sign for the vault.
    let sol = f.keys(SOL);
    let fake_authority = non_canonical(&[VAULT_AUTHORITY_SEED, sol.reserve.as_ref()]);
    let mut withdraw = ix::withdraw(borrower.key(), &sol, borrower.token_accounts[SOL], ONE_SOL, &[]);
    withdraw.accounts[6].pubkey = fake_authority;
    let w = watched(&f, &borrower);
    f.env.assert_rejected(&[withdraw], &[&borrower.keypair], AnchorError::ConstraintSeeds as u32, &w).await;
}

#[tokio::test]
async fn foreign_owned_and_type_confused_accounts_are_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let sol = f.keys(SOL);
    let w = watched(&f, &borrower);
    // The real reserve's bytes at an account owned by another program.
    let mut copy = f.env.account(&sol.reserve).await.unwrap();
    copy.owner = Pubkey::new_unique();
    let fake = Pubkey::new_unique();
    f.env.set_account(&fake, copy);
    let mut deposit = ix::deposit(borrower.key(), &sol, borrower.token_accounts[SOL], ONE_SOL);
    deposit.accounts[2].pubkey = fake;
    f.env.assert_rejected(&[deposit], &[&borrower.keypair], AnchorError::AccountOwnedByWrongProgram as u32, &w).await;
    // The market account (owned by Ballast, another type) where a reserve is expected.
    let mut deposit = ix::deposit(borrower.key(), &sol, borrower.token_accounts[SOL], ONE_SOL);
    deposit.accounts[2].pubkey = f.market;
    f.env.assert_rejected(&[deposit], &[&borrower.keypair], AnchorError::AccountDiscriminatorMismatch as u32, &w).await;
}

#[tokio::test]
async fn fake_token_program_is_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let w = watched(&f, &borrower);
    let mut withdraw = ix::withdraw(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], ONE_SOL, &[]);
    let last = withdraw.accounts.len() - 1;
    withdraw.accounts[last] = AccountMeta::new_readonly(Pubkey::new_unique(), false);
    f.env.assert_rejected(&[withdraw], &[&borrower.keypair], AnchorError::InvalidProgramId as u32, &w).await;
}

#[tokio::test]
async fn duplicate_mutable_accounts_are_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let w = watched(&f, &borrower);
    // The vault as the depositor's own source account.
    let sol = f.keys(SOL);
    let deposit = ix::deposit(borrower.key(), &sol, sol.vault, ONE_SOL);
    f.env
        .assert_rejected(&[deposit], &[&borrower.keypair], AnchorError::ConstraintDuplicateMutableAccount as u32, &w)
        .await;
}

#[tokio::test]
async fn closing_an_obligation_with_positions_is_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 10 * ONE_USDC).await.unwrap();
    let w = watched(&f, &borrower);
    let close = ix::close_obligation(borrower.key(), f.market);
    f.env
        .assert_ballast_error(std::slice::from_ref(&close), &[&borrower.keypair], BallastError::ObligationNotEmpty, &w)
        .await;
    f.repay(&borrower, &borrower.obligation, USDC, u64::MAX).await.unwrap();
    // Collateral alone still keeps it open.
    f.env
        .assert_ballast_error(std::slice::from_ref(&close), &[&borrower.keypair], BallastError::ObligationNotEmpty, &w)
        .await;
    f.withdraw(&borrower, SOL, u64::MAX, true).await.unwrap();
    let intruder = f.new_user(&[0, 0]).await;
    let mut stolen = close.clone();
    stolen.accounts[0] = AccountMeta::new(intruder.key(), true);
    f.env
        .assert_ballast_error(
            &[stolen],
            &[&intruder.keypair],
            BallastError::ObligationOwnerMismatch,
            &[borrower.obligation],
        )
        .await;
    f.env.send_ok(&[close], &[&borrower.keypair]).await;
    assert!(f.env.account(&borrower.obligation).await.is_none(), "closed, rent returned");
}

#[tokio::test]
async fn overflow_at_extreme_amounts_is_a_named_error() {
    // A 0-decimal token priced at $1e12: u64::MAX units are worth ~1.8e31 USD, beyond a Wad.
    let whale_spec = AssetSpec::new("WHALE", 0, 1.0);
    let mut f = Fixture::new(&[whale_spec, AssetSpec::new("USDC", 6, 1.0)]).await;
    let now = f.env.now().await;
    let huge = TestPrice {
        price: 1_000_000_000_000,
        conf: 0,
        ema_price: 1_000_000_000_000,
        ema_conf: 0,
        exponent: 0,
        publish_time: now,
    };
    f.set_oracle(0, huge, VerificationLevel::Full).await;
    let whale = f.new_user(&[u64::MAX - ballast_tests::SEED_DEPOSIT, 0]).await;
    f.deposit(&whale, 0, u64::MAX - ballast_tests::SEED_DEPOSIT).await.unwrap();
    let lender = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    f.deposit(&lender, 1, 1_000 * ONE_USDC).await.unwrap();
    let borrow = ix::borrow(whale.key(), &f.keys(1), whale.token_accounts[1], 1, &f.health_pairs(&[0, 1]));
    let w = vec![whale.obligation, f.keys(0).reserve, f.keys(1).reserve, f.keys(1).vault];
    f.env.assert_ballast_error(&[borrow], &[&whale.keypair], BallastError::MathOverflow, &w).await;
}

#[tokio::test]
async fn liquidation_overpay_is_clamped_to_the_close_factor() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    // HF 0.9143 (< 0.95): deep enough for a full repay; ask for far more than the debt.
    f.set_price(SOL, 80.0).await;
    let liquidator = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    f.liquidate(&liquidator, &borrower, USDC, SOL, u64::MAX, 0).await.unwrap();
    assert_eq!(
        f.env.token_balance(&liquidator.token_accounts[USDC]).await,
        9_300 * ONE_USDC,
        "paid exactly the 700 owed"
    );
    // Not deep: a request above the close factor is cut to it (or rejected by the target bound).
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    f.set_price(SOL, 87.0).await; // HF 0.9943
    let liquidator = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    let plan = f.best_liquidation(&borrower, USDC, SOL).await.unwrap();
    assert!(plan.repay_amount <= 350 * ONE_USDC, "at most the 50% close factor: {}", plan.repay_amount);
    f.liquidate(&liquidator, &borrower, USDC, SOL, plan.repay_amount, plan.liquidator_amount).await.unwrap();
    assert_eq!(f.env.token_balance(&liquidator.token_accounts[USDC]).await, 10_000 * ONE_USDC - plan.repay_amount);
}
