//! Oracle checks: both Pyth formats, every rejection, and the actions prices never block.

use anchor_lang::prelude::Pubkey;
use ballast::errors::BallastError;
use ballast_client::instructions as ix;
use ballast_tests::{
    legacy_price_account, legacy_price_bytes, pull_price_account, PythPriceExt, TestPrice, LEGACY_STATUS_HALTED,
    LEGACY_STATUS_TRADING,
};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;

use crate::*;

fn watched(f: &Fixture, user: &ballast_tests::User) -> Vec<Pubkey> {
    let mut keys = vec![user.obligation, f.keys(SOL).reserve, f.keys(USDC).reserve, f.keys(USDC).vault];
    keys.extend(user.token_accounts.iter().copied());
    keys
}

/// Funded market; the borrower has borrowed 100 USDC. Returns the borrow instruction for one
/// more USDC, which succeeds with good prices.
async fn setup() -> (Fixture, ballast_tests::User, anchor_lang::solana_program::instruction::Instruction) {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 100 * ONE_USDC).await.unwrap();
    let one_more = ix::borrow(
        borrower.key(),
        &f.keys(USDC),
        borrower.token_accounts[USDC],
        ONE_USDC,
        &f.health_pairs(&[SOL, USDC]),
    );
    (f, borrower, one_more)
}

async fn expect(
    f: &mut Fixture,
    borrower: &ballast_tests::User,
    ix: &anchor_lang::solana_program::instruction::Instruction,
    error: BallastError,
) {
    let w = watched(f, borrower);
    f.env.assert_ballast_error(std::slice::from_ref(ix), &[&borrower.keypair], error, &w).await;
}

#[tokio::test]
async fn stale_price_blocks_borrow_and_withdraw_but_not_deposit_or_repay() {
    let (mut f, borrower, one_more) = setup().await;
    f.env.advance_time(61).await; // max age is 60 s
    expect(&mut f, &borrower, &one_more, BallastError::PriceStale).await;
    let withdraw =
        ix::withdraw(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], 1, &f.health_pairs(&[SOL, USDC]));
    expect(&mut f, &borrower, &withdraw, BallastError::PriceStale).await;
    // Deposit and repay never read a price.
    f.env.mint_to(&f.keys(SOL).mint, &borrower.token_accounts[SOL], ONE_SOL).await;
    f.deposit(&borrower, SOL, ONE_SOL).await.unwrap();
    f.repay(&borrower, &borrower.obligation, USDC, 10 * ONE_USDC).await.unwrap();
    // 60 s old is still fresh.
    f.env.advance_time(-1).await;
    f.env.send_ok(&[one_more], &[&borrower.keypair]).await;
}

#[tokio::test]
async fn withdraw_without_debt_ignores_the_oracle() {
    let (mut f, _lender, borrower) = funded().await;
    f.env.advance_time(3_600).await;
    let mut broken = TestPrice::usd(100.0, 0);
    broken.price = -1;
    f.set_oracle(SOL, broken, VerificationLevel::Partial { num_signatures: 1 }).await;
    f.withdraw(&borrower, SOL, u64::MAX, true).await.unwrap();
    assert_eq!(f.env.token_balance(&borrower.token_accounts[SOL]).await, 10 * ONE_SOL);
}

#[tokio::test]
async fn partially_verified_update_is_rejected() {
    let (mut f, borrower, one_more) = setup().await;
    let now = f.env.now().await;
    f.set_oracle(SOL, TestPrice::usd(100.0, now), VerificationLevel::Partial { num_signatures: 12 }).await;
    expect(&mut f, &borrower, &one_more, BallastError::OracleNotFullyVerified).await;
}

#[tokio::test]
async fn wrong_feed_is_rejected() {
    let (mut f, borrower, one_more) = setup().await;
    let now = f.env.now().await;
    let account = pull_price_account([7; 32], &TestPrice::usd(100.0, now), VerificationLevel::Full);
    f.env.set_account(&f.keys(SOL).oracle, account);
    expect(&mut f, &borrower, &one_more, BallastError::OracleWrongFeed).await;
}

#[tokio::test]
async fn an_update_the_push_feed_did_not_write_is_rejected() {
    let (mut f, borrower, one_more) = setup().await;
    let now = f.env.now().await;
    // A valid, fully verified update for the right feed at the pinned address, posted by a wallet
    // that could later rewrite it.
    let wallet = Pubkey::new_unique();
    let account =
        ballast_tests::pull_price_account_written_by(&wallet, f.assets[SOL].feed_id, &TestPrice::usd(100.0, now));
    f.env.set_account(&f.keys(SOL).oracle, account);
    expect(&mut f, &borrower, &one_more, BallastError::OracleNotPushFeed).await;
}

#[tokio::test]
async fn wide_confidence_is_rejected() {
    let (mut f, borrower, one_more) = setup().await;
    let now = f.env.now().await;
    let mut price = TestPrice::usd(100.0, now);
    price.conf = price.price as u64 / 50; // exactly 2%: allowed
    f.set_oracle(SOL, price, VerificationLevel::Full).await;
    f.env.send_ok(std::slice::from_ref(&one_more), &[&borrower.keypair]).await;
    price.conf += 1; // above 2%
    f.set_oracle(SOL, price, VerificationLevel::Full).await;
    expect(&mut f, &borrower, &one_more, BallastError::PriceConfidenceTooWide).await;
}

#[tokio::test]
async fn zero_and_negative_prices_are_rejected() {
    let (mut f, borrower, one_more) = setup().await;
    let now = f.env.now().await;
    for bad in [0, -100_000_000] {
        let mut price = TestPrice::usd(100.0, now);
        price.price = bad;
        f.set_oracle(SOL, price, VerificationLevel::Full).await;
        expect(&mut f, &borrower, &one_more, BallastError::PriceNotPositive).await;
    }
    // The legacy format too.
    f.set_price(SOL, 100.0).await;
    let mut price = TestPrice::usd(1.0, now);
    price.price = 0;
    f.env.set_account(&f.keys(USDC).oracle, legacy_price_account(&price, LEGACY_STATUS_TRADING));
    expect(&mut f, &borrower, &one_more, BallastError::PriceNotPositive).await;
}

#[tokio::test]
async fn oracle_of_the_wrong_owner_is_rejected() {
    let (mut f, borrower, one_more) = setup().await;
    let mut account = f.env.account(&f.keys(SOL).oracle).await.unwrap();
    account.owner = Pubkey::new_unique(); // same bytes, written by someone else
    f.env.set_account(&f.keys(SOL).oracle, account);
    expect(&mut f, &borrower, &one_more, BallastError::OracleWrongOwner).await;
    // A pull update placed where a legacy account is expected.
    f.set_price(SOL, 100.0).await;
    let now = f.env.now().await;
    let pull = pull_price_account(f.assets[USDC].feed_id, &TestPrice::usd(1.0, now), VerificationLevel::Full);
    f.env.set_account(&f.keys(USDC).oracle, pull);
    expect(&mut f, &borrower, &one_more, BallastError::OracleWrongOwner).await;
}

#[tokio::test]
async fn substituted_oracle_account_is_rejected() {
    let (mut f, borrower, _) = setup().await;
    // A perfectly valid price account for the same feed, but not the one the reserve pinned.
    let impostor = Pubkey::new_unique();
    let now = f.env.now().await;
    let account = pull_price_account(f.assets[SOL].feed_id, &TestPrice::usd(1_000_000.0, now), VerificationLevel::Full);
    f.env.set_account(&impostor, account);
    let health = vec![(f.keys(SOL).reserve, impostor), (f.keys(USDC).reserve, f.keys(USDC).oracle)];
    let borrow = ix::borrow(borrower.key(), &f.keys(USDC), borrower.token_accounts[USDC], ONE_USDC, &health);
    expect(&mut f, &borrower, &borrow, BallastError::OracleAccountMismatch).await;
}

#[tokio::test]
async fn legacy_price_not_trading_is_rejected() {
    let (mut f, borrower, one_more) = setup().await;
    let now = f.env.now().await;
    f.env.set_account(&f.keys(USDC).oracle, legacy_price_account(&TestPrice::usd(1.0, now), LEGACY_STATUS_HALTED));
    expect(&mut f, &borrower, &one_more, BallastError::OracleNotTrading).await;
}

#[tokio::test]
async fn conservative_prices_use_the_ema_when_it_is_worse() {
    let (mut f, borrower, _) = setup().await;
    // Spot SOL $100, EMA $95 (within the 10% circuit breaker): collateral counts at
    // 95 - 0.095 = $94.905, so borrow power is 10 x 94.905 x 0.75 = $711.7875. Debt counts at
    // $1.001, so total debt may reach floor(711.7875 / 1.001e-6) = 711,076,423 units:
    // 611,076,423 more than the 100 USDC owed. (With spot alone it would be ~648.5 USDC more.)
    let now = f.env.now().await;
    let mut price = TestPrice::usd(100.0, now);
    price.ema_price = 9_500_000_000;
    price.ema_conf = 9_500_000;
    f.set_oracle(SOL, price, VerificationLevel::Full).await;
    let borrow = ix::borrow(
        borrower.key(),
        &f.keys(USDC),
        borrower.token_accounts[USDC],
        611_076_424,
        &f.health_pairs(&[SOL, USDC]),
    );
    expect(&mut f, &borrower, &borrow, BallastError::InitialHealthNegative).await;
    f.borrow(&borrower, USDC, 611_076_423).await.unwrap();
}

#[test]
fn legacy_parser_reads_the_reference_layout() {
    let price = TestPrice {
        price: 12_345_678_900,
        conf: 4_200_000,
        ema_price: 12_300_000_000,
        ema_conf: 5_100_000,
        exponent: -8,
        publish_time: 1_700_000_123,
    };
    let bytes = legacy_price_bytes(&price, LEGACY_STATUS_TRADING);
    let parsed = ballast::oracle::parse_legacy_price(&bytes).unwrap();
    assert_eq!(
        parsed,
        ballast_math::OraclePrice {
            price: 12_345_678_900,
            conf: 4_200_000,
            ema_price: 12_300_000_000,
            ema_conf: 5_100_000,
            exponent: -8,
            publish_time: 1_700_000_123
        }
    );
    // Each header check rejects its corruption.
    for (offset, value) in [(0usize, 0u32), (4, 1), (8, 2), (16, 0)] {
        let mut corrupt = bytes.clone();
        corrupt[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
        assert!(
            matches!(ballast::oracle::parse_legacy_price(&corrupt), Err(ballast_engine::Error::OracleInvalidData)),
            "offset {offset}"
        );
    }
    assert!(matches!(
        ballast::oracle::parse_legacy_price(&bytes[..3311]),
        Err(ballast_engine::Error::OracleInvalidData)
    ));
}

/// A reserve refuses an oracle update older than one an instruction writing it already used: no
/// choosing a price by posting an older (still fresh) update. A newer update is accepted.
#[tokio::test]
async fn an_update_older_than_one_already_used_is_refused() {
    let (mut f, _lender, borrower) = funded().await;
    f.env.advance_time(20).await;
    f.refresh_prices().await;
    f.borrow(&borrower, USDC, 100 * ONE_USDC).await.unwrap();
    let usdc = f.keys(USDC).reserve;
    let used = f.env.reserve(&usdc).await.last_price_publish_time;
    assert_eq!(used, f.env.now().await, "the borrow recorded the USDC price it used");

    // Ten seconds older than that, and well within the 60 s max age.
    f.set_oracle(USDC, TestPrice::usd(1.0, used - 10), VerificationLevel::Full).await;
    let w = vec![borrower.obligation, usdc, f.keys(SOL).reserve];
    let health = f.health_after(&borrower, Some(USDC), None).await;
    let borrow = ix::borrow(borrower.key(), &f.keys(USDC), borrower.token_accounts[USDC], ONE_USDC, &health);
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::PriceOlderThanLastUsed, &w).await;
    // A newer update is fine.
    f.env.advance_time(5).await;
    f.refresh_prices().await;
    f.borrow(&borrower, USDC, ONE_USDC).await.unwrap();
    assert_eq!(f.env.reserve(&usdc).await.last_price_publish_time, f.env.now().await);
}
