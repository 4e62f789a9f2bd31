//! Events that bots and auditors rely on: one per action, with the amounts, prices and health the
//! program used. (Decoded from the transaction's `Program data:` log lines.)

use ballast::events::*;
use ballast_client::instructions as ix;
use ballast_tests::events;

use crate::*;

#[tokio::test]
async fn every_action_emits_its_event() {
    let (mut f, lender, borrower) = funded().await;
    let (sol, usdc) = (f.keys(SOL), f.keys(USDC));

    f.env.mint_to(&sol.mint, &borrower.token_accounts[SOL], ONE_SOL).await;
    let (_, logs) = f
        .env
        .send_logged(&[ix::deposit(borrower.key(), &sol, borrower.token_accounts[SOL], ONE_SOL)], &[&borrower.keypair])
        .await
        .unwrap();
    let [e]: [DepositEvent; 1] = events(&logs).try_into().unwrap();
    assert_eq!(
        (e.obligation, e.reserve, e.amount, e.supply_shares_minted),
        (borrower.obligation, sol.reserve, ONE_SOL, ONE_SOL)
    );

    let borrow =
        ix::borrow(borrower.key(), &usdc, borrower.token_accounts[USDC], 700 * ONE_USDC, &f.health_pairs(&[SOL, USDC]));
    let (_, logs) = f.env.send_logged(&[borrow], &[&borrower.keypair]).await.unwrap();
    let [e]: [BorrowEvent; 1] = events(&logs).try_into().unwrap();
    assert_eq!((e.amount, e.debt_shares_added), (700 * ONE_USDC, 700 * ONE_USDC as u128 * ballast_math::WAD));
    // 11 SOL x 99.9 x 0.75 and 700 x 1.001.
    assert_eq!(
        (e.weighted_collateral, e.weighted_debt),
        (824_175 * ballast_math::WAD / 1_000, 700_700 * ballast_math::WAD / 1_000)
    );

    f.env.mint_to(&usdc.mint, &lender.token_accounts[USDC], 100 * ONE_USDC).await;
    let (_, logs) = f
        .env
        .send_logged(
            &[ix::repay(lender.key(), &usdc, borrower.obligation, lender.token_accounts[USDC], 100 * ONE_USDC)],
            &[&lender.keypair],
        )
        .await
        .unwrap();
    let [e]: [RepayEvent; 1] = events(&logs).try_into().unwrap();
    assert_eq!((e.payer, e.amount, e.obligation), (lender.key(), 100 * ONE_USDC, borrower.obligation));

    let withdraw =
        ix::withdraw(borrower.key(), &sol, borrower.token_accounts[SOL], ONE_SOL, &f.health_pairs(&[SOL, USDC]));
    let (_, logs) = f.env.send_logged(&[withdraw], &[&borrower.keypair]).await.unwrap();
    let [e]: [WithdrawEvent; 1] = events(&logs).try_into().unwrap();
    assert_eq!((e.amount, e.supply_shares_burned), (ONE_SOL, ONE_SOL));
    assert_eq!(e.weighted_collateral, 749_250 * ballast_math::WAD / 1_000);

    // Liquidation: SOL at $85, 600 USDC owed -> 850 x 0.8 = 680 vs 600: healthy; at $70: 560 < 600.
    f.set_price(SOL, 70.0).await;
    let liquidator = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    let liquidate = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, 50 * ONE_USDC, 0).await;
    let (_, logs) = f.env.send_logged(&[liquidate], &[&liquidator.keypair]).await.unwrap();
    let [e]: [LiquidateEvent; 1] = events(&logs).try_into().unwrap();
    assert_eq!(
        (e.liquidator, e.repay_reserve, e.collateral_reserve, e.repay_amount),
        (liquidator.key(), usdc.reserve, sol.reserve, 50 * ONE_USDC)
    );
    assert_eq!((e.debt_price, e.collateral_price), (ballast_math::WAD, 70 * ballast_math::WAD));
    assert_eq!(
        (e.weighted_collateral_before, e.weighted_debt_before),
        (560 * ballast_math::WAD, 600 * ballast_math::WAD)
    );
    assert_eq!(e.weighted_debt_after, 550 * ballast_math::WAD);
    assert!(e.weighted_collateral_after < e.weighted_collateral_before);
    // HF 0.9333: bonus = 2% + 8% x 0.0667 / 0.1 = 7.33%.
    assert_eq!(e.bonus_bps, 733);
    assert_eq!(f.env.token_balance(&liquidator.token_accounts[SOL]).await, e.collateral_to_liquidator);
}
