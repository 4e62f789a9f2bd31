//! Happy paths with balances and reserve accounting checked after each step.

use ballast_engine::ReserveState as _;
use ballast_math::{Rounding, Wad};
use ballast_tests::SEED_DEPOSIT;

use crate::*;

#[tokio::test]
async fn deposit_borrow_repay_withdraw_round_trip() {
    let (mut f, _lender, borrower) = funded().await;
    let (sol, usdc) = (f.keys(SOL), f.keys(USDC));

    // Deposit: vault and tracked liquidity move together; shares 1:1 after the seed deposit.
    assert_eq!(f.env.token_balance(&sol.vault).await, SEED_DEPOSIT + 10 * ONE_SOL);
    let reserve = f.env.reserve(&sol.reserve).await;
    assert_eq!(reserve.accounting().available_liquidity, SEED_DEPOSIT + 10 * ONE_SOL);
    assert_eq!(reserve.accounting().total_supply_shares, SEED_DEPOSIT + 10 * ONE_SOL);
    assert_eq!(reserve.locked_supply_shares, SEED_DEPOSIT);
    let obligation = f.env.obligation(&borrower.obligation).await;
    assert_eq!(obligation.position_count, 1);
    assert_eq!(obligation.positions[0].supply_shares, 10 * ONE_SOL);

    // Borrow to the limit exactly.
    f.borrow(&borrower, USDC, MAX_BORROW_AGAINST_10_SOL).await.unwrap();
    assert_eq!(f.env.token_balance(&borrower.token_accounts[USDC]).await, MAX_BORROW_AGAINST_10_SOL);
    let reserve = f.env.reserve(&usdc.reserve).await;
    let accounting = reserve.accounting();
    assert_eq!(accounting.available_liquidity, SEED_DEPOSIT + 10_000 * ONE_USDC - MAX_BORROW_AGAINST_10_SOL);
    assert_eq!(accounting.total_debt(Rounding::Up).unwrap(), Wad::from_u64(MAX_BORROW_AGAINST_10_SOL));
    assert_eq!(f.env.token_balance(&usdc.vault).await, accounting.available_liquidity);
    let obligation = f.env.obligation(&borrower.obligation).await;
    assert_eq!(obligation.position_count, 2);
    assert_eq!(obligation.positions[1].reserve, usdc.reserve);

    // A month of interest, then repay everything with u64::MAX.
    f.env.advance_time(30 * 86_400).await;
    f.refresh_prices().await;
    let owed = {
        let now = f.env.now().await;
        let reserve = f.env.reserve(&usdc.reserve).await;
        let obligation = f.env.obligation(&borrower.obligation).await;
        reserve.accrued(now).unwrap().repay_amount_to_clear(obligation.positions[1].debt_shares()).unwrap()
    };
    assert!(owed > MAX_BORROW_AGAINST_10_SOL, "interest accrued: owed {owed}");
    let interest = owed - MAX_BORROW_AGAINST_10_SOL;
    f.env.mint_to(&usdc.mint, &borrower.token_accounts[USDC], interest).await;
    f.repay(&borrower, &borrower.obligation, USDC, u64::MAX).await.unwrap();
    assert_eq!(f.env.token_balance(&borrower.token_accounts[USDC]).await, 0, "repaid exactly what was owed");
    let obligation = f.env.obligation(&borrower.obligation).await;
    assert_eq!(obligation.position_count, 1, "the empty debt position closed");
    let reserve = f.env.reserve(&usdc.reserve).await;
    assert_eq!(reserve.accounting().total_debt_shares, Wad::ZERO);
    assert_eq!(f.env.token_balance(&usdc.vault).await, reserve.accounting().available_liquidity);
    assert!(reserve.accounting().supply_share_value().unwrap() > Wad::ONE, "lenders earned interest");
    assert!(reserve.accounting().protocol_fees > Wad::ZERO && reserve.accounting().insurance_fees > Wad::ZERO);

    // With no debt, everything can be withdrawn with u64::MAX and the position closes.
    f.withdraw(&borrower, SOL, u64::MAX, true).await.unwrap();
    assert_eq!(f.env.token_balance(&borrower.token_accounts[SOL]).await, 10 * ONE_SOL);
    let obligation = f.env.obligation(&borrower.obligation).await;
    assert_eq!(obligation.position_count, 0);
    let reserve = f.env.reserve(&sol.reserve).await;
    assert_eq!(reserve.accounting().total_supply_shares, SEED_DEPOSIT, "only the locked seed shares remain");
    assert_eq!(f.env.token_balance(&sol.vault).await, SEED_DEPOSIT);
}

#[tokio::test]
async fn lender_earns_interest_on_withdraw() {
    let (mut f, lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 500 * ONE_USDC).await.unwrap();
    f.env.advance_time(365 * 86_400).await;
    f.refresh_prices().await;
    f.env.mint_to(&f.keys(USDC).mint, &borrower.token_accounts[USDC], 100 * ONE_USDC).await;
    f.repay(&borrower, &borrower.obligation, USDC, u64::MAX).await.unwrap();
    f.withdraw(&lender, USDC, u64::MAX, true).await.unwrap();
    let received = f.env.token_balance(&lender.token_accounts[USDC]).await;
    // 5% utilisation -> 0.5% APR, less 15% fees: ~0.425% of the borrowed 500 accrues to supply.
    assert!(received > 10_000 * ONE_USDC, "lender got {received}");
    assert!(received < 10_000 * ONE_USDC + 5 * ONE_USDC, "lender got {received}");
}

#[tokio::test]
async fn anyone_may_repay_and_partial_repay_burns_proportionally() {
    let (mut f, lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 100 * ONE_USDC).await.unwrap();
    let usdc_mint = f.keys(USDC).mint;
    f.env.mint_to(&usdc_mint, &lender.token_accounts[USDC], 1_000 * ONE_USDC).await;
    // The lender repays 40 USDC of the borrower's debt.
    f.repay(&lender, &borrower.obligation, USDC, 40 * ONE_USDC).await.unwrap();
    let obligation = f.env.obligation(&borrower.obligation).await;
    let reserve = f.env.reserve(&f.keys(USDC).reserve).await;
    let debt = reserve.accounting().debt_amount(obligation.positions[1].debt_shares(), Rounding::Up).unwrap();
    assert_eq!(debt, Wad::from_u64(60 * ONE_USDC));
    // Repaying more than the debt is clamped to it.
    f.repay(&lender, &borrower.obligation, USDC, 1_000 * ONE_USDC).await.unwrap();
    assert_eq!(f.env.token_balance(&lender.token_accounts[USDC]).await, 900 * ONE_USDC);
    let obligation = f.env.obligation(&borrower.obligation).await;
    assert_eq!(obligation.position_count, 1);
}

#[tokio::test]
async fn update_reserve_config_applies_new_parameters() {
    let (mut f, _lender, borrower) = funded().await;
    let mut params = f.assets[SOL].params.clone();
    params.ltv_bps = 5_000;
    let authority = f.authority.insecure_clone();
    let sol = f.keys(SOL);
    f.env
        .send_ok(
            &[ballast_client::instructions::update_reserve_config(authority_key(&authority), &sol, params)],
            &[&authority],
        )
        .await;
    assert_eq!(f.env.reserve(&sol.reserve).await.risk.ltv_bps, 5_000);
    // Borrow power is now 10 * 99.9 * 0.5 = $499.50 -> at most 499,000,999 base units.
    assert!(f.borrow(&borrower, USDC, 499_001_000).await.is_err());
    f.borrow(&borrower, USDC, 499_000_999).await.unwrap();
}

fn authority_key(k: &solana_keypair::Keypair) -> anchor_lang::prelude::Pubkey {
    solana_signer::Signer::pubkey(k)
}

#[tokio::test]
async fn client_health_and_max_borrow_match_the_chain() {
    let (mut f, _lender, borrower) = funded().await;
    // The client's borrow power equals the hand-computed limit the chain enforces
    // (see over_borrow_by_one_unit_is_rejected).
    assert_eq!(f.max_borrow(&borrower, USDC).await, MAX_BORROW_AGAINST_10_SOL);
    f.borrow(&borrower, USDC, 300 * ONE_USDC).await.unwrap();
    let health = f.client_health(&borrower, ballast::health::HealthKind::Initial).await;
    assert_eq!(health.weighted_collateral, Wad(749_250_000_000_000_000_000));
    assert_eq!(health.weighted_debt, Wad(300_300_000_000_000_000_000));
    let maintenance = f.client_health(&borrower, ballast::health::HealthKind::Maintenance).await;
    assert_eq!(maintenance.weighted_collateral, Wad(800 * 1_000_000_000_000_000_000));
    assert_eq!(maintenance.health_factor(), Some(Wad(2_666_666_666_666_666_666)));
}
