//! Reserve creation and configuration: validation rules, authority, creation deposit.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token::spl_token;
use ballast::errors::BallastError;
use ballast::ReserveConfigParams;
use ballast_client::instructions::{self as ix, ReserveKeys};
use ballast_tests::{default_params, pull_price_account, pull_price_account_written_by, PythPriceExt, TestPrice};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_signer::Signer;

use crate::*;

/// A fresh mint with a pull oracle and a funded seed account, ready for `init_reserve`.
async fn candidate(f: &mut Fixture) -> (ReserveKeys, Pubkey, [u8; 32]) {
    let mint = f.env.create_mint(6).await;
    let feed_id = [9; 32];
    let oracle = ballast_client::pda::push_feed(&feed_id);
    let now = f.env.now().await;
    f.env.set_account(&oracle, pull_price_account(feed_id, &TestPrice::usd(1.0, now), VerificationLevel::Full));
    let seed = f.env.create_token_account(&mint, &f.authority.pubkey()).await;
    f.env.mint_to(&mint, &seed, 1_000_000).await;
    (ReserveKeys::new(f.market, mint, oracle, spl_token::ID), seed, feed_id)
}

/// An edit that breaks one config rule, and the error it must give.
type ConfigCase = (fn(&mut ReserveConfigParams), BallastError);

#[tokio::test]
async fn every_config_rule_rejects_its_violation() {
    let mut f = sol_usdc().await;
    let (keys, seed, feed_id) = candidate(&mut f).await;
    let good = ReserveConfigParams { feed_id, ..default_params() };
    let cases: Vec<ConfigCase> = vec![
        (|p| p.ltv_bps = p.liquidation_threshold_bps, BallastError::LtvNotBelowThreshold),
        (
            |p| {
                p.liquidation_threshold_bps = 10_001;
                p.max_liquidation_bonus_bps = 0;
                p.min_liquidation_bonus_bps = 0
            },
            BallastError::LiquidationThresholdAbove100,
        ),
        (|p| p.borrow_factor_bps = 9_999, BallastError::BorrowFactorBelow100),
        (|p| p.min_liquidation_bonus_bps = p.max_liquidation_bonus_bps + 1, BallastError::BonusRange),
        (|p| p.max_liquidation_bonus_bps = 2_501, BallastError::BonusCreatesBadDebt), // 0.8 * 1.2501 > 1
        (|p| p.max_liquidation_bonus_bps = 2_500, BallastError::BonusCreatesBadDebt), // 0.8 * 1.25 = bf: not below
        (|p| p.curve = vec![(0, 0), (10_000, 30_001)], BallastError::BorrowRateTooHigh), // above 300% APR
        (|p| p.protocol_take_rate_bps = 9_600, BallastError::FeeAbove100),
        (|p| p.curve = vec![(0, 0), (9_000, 10)], BallastError::InvalidInterestCurve),
        (|p| p.curve = vec![(0, 50), (10_000, 10)], BallastError::InvalidInterestCurve),
        (|p| p.max_confidence_bps = 0, BallastError::InvalidMaxConfidence),
        (|p| p.max_confidence_bps = 10_000, BallastError::InvalidMaxConfidence),
        (|p| p.max_price_age_secs = 0, BallastError::InvalidMaxAge),
        (|p| p.max_price_age_secs = 9, BallastError::InvalidMaxAge), // a staleness trap
        (|p| p.oracle_kind = 3, BallastError::OracleKindUnsupported),
        (|p| p.feed_id = [1; 32], BallastError::OracleWrongFeed),
    ];
    let authority = f.authority.insecure_clone();
    let watched = vec![keys.reserve, keys.vault, seed, f.market];
    for (edit, error) in cases {
        let mut params = good.clone();
        edit(&mut params);
        let init = ix::init_reserve(authority.pubkey(), &keys, seed, params, 1_000);
        f.env.assert_ballast_error(&[init], &[&authority], error, &watched).await;
    }
    // Pull reserves pin only the push feed of their feed id: not a wallet's own posted update
    // there, nor a self-written update at another address.
    let now = f.env.now().await;
    let price = TestPrice::usd(1.0, now);
    let wallet = Pubkey::new_unique();
    f.env.set_account(&keys.oracle, pull_price_account_written_by(&wallet, feed_id, &price));
    let init = ix::init_reserve(authority.pubkey(), &keys, seed, good.clone(), 1_000);
    f.env.assert_ballast_error(&[init], &[&authority], BallastError::OracleNotPushFeed, &watched).await;
    f.env.set_account(&keys.oracle, pull_price_account(feed_id, &price, VerificationLevel::Full));
    let elsewhere = Pubkey::new_unique();
    f.env.set_account(&elsewhere, pull_price_account_written_by(&elsewhere, feed_id, &price));
    let keys_elsewhere = ReserveKeys::new(f.market, keys.mint, elsewhere, spl_token::ID);
    let init = ix::init_reserve(authority.pubkey(), &keys_elsewhere, seed, good.clone(), 1_000);
    f.env.assert_ballast_error(&[init], &[&authority], BallastError::OracleNotPushFeed, &watched).await;
    // Zero creation deposit.
    let init = ix::init_reserve(authority.pubkey(), &keys, seed, good.clone(), 0);
    f.env.assert_ballast_error(&[init], &[&authority], BallastError::InitialDepositRequired, &watched).await;
    // The good config works, and the creation deposit's shares are locked.
    f.env.send_ok(&[ix::init_reserve(authority.pubkey(), &keys, seed, good, 5_000)], &[&authority]).await;
    let reserve = f.env.reserve(&keys.reserve).await;
    assert_eq!(reserve.locked_supply_shares, 5_000);
    assert_eq!(f.env.token_balance(&keys.vault).await, 5_000);
}

#[tokio::test]
async fn only_the_market_authority_configures() {
    let mut f = sol_usdc().await;
    let intruder = f.env.new_funded_keypair().await;
    let (keys, _, feed_id) = candidate(&mut f).await;
    let intruder_seed = f.env.create_token_account(&keys.mint, &intruder.pubkey()).await;
    f.env.mint_to(&keys.mint, &intruder_seed, 1_000).await;
    let params = ReserveConfigParams { feed_id, ..default_params() };
    let init = ix::init_reserve(intruder.pubkey(), &keys, intruder_seed, params, 1_000);
    let watched = vec![keys.reserve, f.market];
    f.env.assert_ballast_error(&[init], &[&intruder], BallastError::Unauthorized, &watched).await;

    let sol = f.keys(SOL);
    let mut params = f.assets[SOL].params.clone();
    params.ltv_bps = 7_900;
    let update = ix::update_reserve_config(intruder.pubkey(), &sol, params.clone());
    f.env.assert_ballast_error(&[update], &[&intruder], BallastError::Unauthorized, &[sol.reserve]).await;

    // The authority's update is validated like creation, and leaves the reserve unchanged on error.
    let authority = f.authority.insecure_clone();
    let mut invalid = params.clone();
    invalid.ltv_bps = 8_000;
    let update = ix::update_reserve_config(authority.pubkey(), &sol, invalid);
    f.env.assert_ballast_error(&[update], &[&authority], BallastError::LtvNotBelowThreshold, &[sol.reserve]).await;
    f.env.send_ok(&[ix::update_reserve_config(authority.pubkey(), &sol, params)], &[&authority]).await;
    assert_eq!(f.env.reserve(&sol.reserve).await.risk.ltv_bps, 7_900);
}

#[tokio::test]
async fn reserve_cannot_be_created_twice_for_a_mint() {
    let mut f = sol_usdc().await;
    let sol = f.keys(SOL);
    let authority = f.authority.insecure_clone();
    let seed = f.env.create_token_account(&sol.mint, &authority.pubkey()).await;
    f.env.mint_to(&sol.mint, &seed, 1_000).await;
    let init = ix::init_reserve(authority.pubkey(), &sol, seed, f.assets[SOL].params.clone(), 1_000);
    // As with obligations, the existing PDA cannot be created again; nothing changes.
    f.env.assert_fails(&[init], &[&authority], &[sol.reserve, sol.vault, f.market]).await;
}

/// Every market knob rule, each with its named error and no change; a valid update applies.
#[tokio::test]
async fn every_market_config_rule_rejects_its_violation() {
    let mut f = sol_usdc().await;
    let authority = f.authority.insecure_clone();
    let good = ballast_tests::default_market_params();
    type Edit = fn(&mut ballast::MarketConfigParams);
    let cases: Vec<(Edit, BallastError)> = vec![
        (|p| p.risk_ramp_secs = 3_599, BallastError::InvalidRiskRamp), // under an hour
        (|p| p.risk_ramp_secs = 30 * 86_400 + 1, BallastError::InvalidRiskRamp),
        (|p| p.close_factor_bps = 0, BallastError::InvalidLiquidationConfig),
        (|p| p.target_health_factor_bps = 10_000, BallastError::InvalidLiquidationConfig),
        (|p| p.max_pause_secs = 7 * 86_400 + 1, BallastError::PauseTooLong),
    ];
    let watched = vec![f.market];
    for (edit, error) in cases {
        let mut params = good.clone();
        edit(&mut params);
        let update = ballast_client::instructions::update_market_config(authority.pubkey(), f.market, params);
        f.env.assert_ballast_error(&[update], &[&authority], error, &watched).await;
    }
    let params = ballast::MarketConfigParams { risk_ramp_secs: 3_600, ..good };
    let update = ballast_client::instructions::update_market_config(authority.pubkey(), f.market, params);
    f.env.send_ok(&[update], &[&authority]).await;
    let market_data = f.env.account(&f.market).await.unwrap().data;
    assert_eq!(ballast_client::accounts::decode_market(&market_data).unwrap().risk_ramp_secs, 3_600);
}
