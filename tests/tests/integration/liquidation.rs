//! Liquidation on the real runtime: eligibility, sizing (close factor, dust, target), bonus
//! bounds, min-out, every rejection, guards that must not block it, and bad debt.

use anchor_lang::prelude::Pubkey;
use ballast::errors::BallastError;
use ballast_engine::{Positions as _, ReserveState as _};
use ballast_math::Wad;
use ballast_tests::{PythPriceExt, TestPrice, User};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;

use crate::*;

/// 10 SOL of collateral ($100, LT 80%) against 700 USDC of debt: maintenance health factor
/// 800 / 700 = 1.143. The liquidator holds 10,000 USDC.
async fn setup() -> (Fixture, User, User) {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    let liquidator = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    (f, borrower, liquidator)
}

/// Accounts a liquidation touches.
fn watched(f: &Fixture, borrower: &User, liquidator: &User) -> Vec<Pubkey> {
    let mut keys =
        vec![borrower.obligation, f.keys(SOL).reserve, f.keys(SOL).vault, f.keys(USDC).reserve, f.keys(USDC).vault];
    keys.extend(liquidator.token_accounts.iter().copied());
    keys
}

fn wad_f64(w: Wad) -> f64 {
    w.0 as f64 / 1e18
}

/// SOL seized by the last liquidation: what the liquidator received plus what became protocol
/// fees, in lamports.
async fn seized_lamports(f: &mut Fixture, liquidator: &User, fees_before: Wad) -> (u64, f64) {
    let received = f.env.token_balance(&liquidator.token_accounts[SOL]).await;
    let fees = f.env.reserve(&f.keys(SOL).reserve).await.accounting().protocol_fees;
    (received, wad_f64(fees.checked_sub(fees_before).unwrap()))
}

#[tokio::test]
async fn price_drop_makes_the_position_liquidatable_and_the_bonus_is_paid() {
    let (mut f, borrower, liquidator) = setup().await;
    let report = f.program_health(&borrower, false).await;
    assert!(!report.liquidatable);
    let w = watched(&f, &borrower, &liquidator);
    let ix = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0).await;
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::ObligationHealthy, &w).await;

    // SOL falls to $85: 680 / 700 = 0.9714. Bonus = 2% + 8% x (0.0286 / 0.10) = 4.28%.
    f.set_price(SOL, 85.0).await;
    let report = f.program_health(&borrower, false).await;
    assert!(report.liquidatable);
    assert_eq!(report.weighted_collateral, 680 * ballast_math::WAD);
    let before = f.client_health(&borrower, ballast::health::HealthKind::Maintenance).await;
    assert_eq!(report.weighted_debt, before.weighted_debt.0, "program and client agree");

    let fees_before = f.env.reserve(&f.keys(SOL).reserve).await.accounting().protocol_fees;
    let sol_vault_before = f.env.token_balance(&f.keys(SOL).vault).await;
    let usdc_vault_before = f.env.token_balance(&f.keys(USDC).vault).await;
    // 100 USDC buys 100 x 1.0428 / 85 = 1.226823529 SOL; the protocol keeps 10% of the bonus part.
    let seized = 100.0 * 1.0428 / 85.0;
    let protocol = 100.0 * 0.0428 / 85.0 * 0.10;
    let expected_out = ((seized - protocol) * 1e9) as u64;
    f.liquidate(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, expected_out - 2).await.unwrap();

    let (received, protocol_lamports) = seized_lamports(&mut f, &liquidator, fees_before).await;
    assert!(received.abs_diff(expected_out) <= 2, "received {received}, expected {expected_out}");
    assert!((protocol_lamports - protocol * 1e9).abs() <= 2.0, "protocol {protocol_lamports}");
    assert_eq!(f.env.token_balance(&liquidator.token_accounts[USDC]).await, 9_900 * ONE_USDC);
    assert_eq!(f.env.token_balance(&f.keys(SOL).vault).await, sol_vault_before - received);
    assert_eq!(f.env.token_balance(&f.keys(USDC).vault).await, usdc_vault_before + 100 * ONE_USDC);
    // Tracked liquidity still equals the vaults.
    assert_eq!(f.env.reserve(&f.keys(SOL).reserve).await.accounting().available_liquidity, sol_vault_before - received);
    assert_eq!(
        f.env.reserve(&f.keys(USDC).reserve).await.accounting().available_liquidity,
        usdc_vault_before + 100 * ONE_USDC
    );

    let after = f.client_health(&borrower, ballast::health::HealthKind::Maintenance).await;
    assert!(after.margin() > before.margin(), "health improved");
    assert_eq!(after.weighted_debt, Wad::from_u64(600), "600 USDC of debt left");
}

#[tokio::test]
async fn over_liquidation_is_rejected_and_the_clients_best_repay_is_accepted() {
    let (mut f, borrower, liquidator) = setup().await;
    f.set_price(SOL, 85.0).await;
    // The close factor allows 350 USDC, but that would lift the health factor above 1.10.
    let w = watched(&f, &borrower, &liquidator);
    let ix = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, 350 * ONE_USDC, 0).await;
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::OverLiquidation, &w).await;
    // Target: (680 - 0.83424 x) / (700 - x) = 1.10  =>  x = 338.65 USDC.
    let plan = f.best_liquidation(&borrower, USDC, SOL).await.expect("a liquidation is possible");
    assert!(plan.repay_amount > 338_600_000 && plan.repay_amount < 338_700_000, "{}", plan.repay_amount);
    f.liquidate(&liquidator, &borrower, USDC, SOL, plan.repay_amount, plan.liquidator_amount).await.unwrap();
    assert_eq!(
        f.env.token_balance(&liquidator.token_accounts[SOL]).await,
        plan.liquidator_amount,
        "client predicted the payout exactly"
    );
    let report = f.program_health(&borrower, false).await;
    let hf = report.health_factor as f64 / 1e18;
    assert!(hf <= 1.10 && hf > 1.0999, "health factor after {hf}");
}

#[tokio::test]
async fn partial_then_full_liquidation_when_deep_in_the_red() {
    let (mut f, borrower, liquidator) = setup().await;
    f.set_price(SOL, 85.0).await;
    f.liquidate(&liquidator, &borrower, USDC, SOL, 50 * ONE_USDC, 0).await.unwrap();
    // SOL falls further to $72: health factor below 0.95 lifts the close factor to 100%.
    f.set_price(SOL, 72.0).await;
    let report = f.program_health(&borrower, false).await;
    assert!(report.health_factor < 950_000_000_000_000_000);
    f.liquidate(&liquidator, &borrower, USDC, SOL, u64::MAX, 0).await.unwrap();
    let obligation = f.env.obligation(&borrower.obligation).await;
    assert!(!obligation.has_debt(), "all debt repaid");
    assert_eq!(obligation.position_count, 1, "the debt position closed; some collateral remains");
    assert_eq!(f.env.token_balance(&liquidator.token_accounts[USDC]).await, 10_000 * ONE_USDC - 700 * ONE_USDC);
}

#[tokio::test]
async fn dust_remainder_allows_full_liquidation() {
    let (mut f, _lender, _) = funded().await;
    let small = f.new_user(&[ONE_SOL / 20, 0]).await;
    f.deposit(&small, SOL, ONE_SOL / 20).await.unwrap();
    f.borrow(&small, USDC, 3_500_000).await.unwrap();
    let liquidator = f.new_user(&[0, 100 * ONE_USDC]).await;
    // $85: 3.40 / 3.50 = 0.971 (not deep), but half the debt would leave $1.75 < $2 of dust.
    f.set_price(SOL, 85.0).await;
    f.liquidate(&liquidator, &small, USDC, SOL, u64::MAX, 0).await.unwrap();
    assert!(!f.env.obligation(&small.obligation).await.has_debt());
    assert_eq!(f.env.token_balance(&liquidator.token_accounts[USDC]).await, 100 * ONE_USDC - 3_500_000);
}

#[tokio::test]
async fn bonus_is_bounded_at_both_edges_and_by_the_collateral() {
    // (SOL price, expected bonus bps): just below HF 1 -> the 2% minimum; 10%+ below -> the 10%
    // maximum; collateral worth only 1.0286x the debt -> capped at 2.86% so no bad debt appears.
    for (price, bonus_bps) in [(87.49, 200.0), (78.0, 1_000.0), (72.0, 285.7)] {
        let (mut f, borrower, liquidator) = setup().await;
        f.set_price(SOL, price).await;
        let fees_before = f.env.reserve(&f.keys(SOL).reserve).await.accounting().protocol_fees;
        f.liquidate(&liquidator, &borrower, USDC, SOL, 10 * ONE_USDC, 0).await.unwrap();
        let (received, protocol) = seized_lamports(&mut f, &liquidator, fees_before).await;
        let seized_usd = (received as f64 + protocol) / 1e9 * price;
        let implied_bonus_bps = (seized_usd / 10.0 - 1.0) * 10_000.0;
        assert!(
            (implied_bonus_bps - bonus_bps).abs() < 1.0,
            "price {price}: bonus {implied_bonus_bps} bps, expected {bonus_bps}"
        );
    }
}

#[tokio::test]
async fn min_collateral_out_is_enforced() {
    let (mut f, borrower, liquidator) = setup().await;
    f.set_price(SOL, 85.0).await;
    let plan = f.best_liquidation(&borrower, USDC, SOL).await.unwrap();
    let w = watched(&f, &borrower, &liquidator);
    let ix = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, plan.repay_amount, plan.liquidator_amount + 1).await;
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::CollateralOutBelowMinimum, &w).await;
}

#[tokio::test]
async fn self_liquidation_missing_positions_and_zero_repay_are_rejected() {
    let (mut f, borrower, liquidator) = setup().await;
    f.set_price(SOL, 85.0).await;
    let w = watched(&f, &borrower, &liquidator);
    // The owner liquidating its own obligation.
    let ix = f.liquidate_ix(&borrower, &borrower, USDC, SOL, 10 * ONE_USDC, 0).await;
    f.env.assert_ballast_error(&[ix], &[&borrower.keypair], BallastError::SelfLiquidation, &w).await;
    // One reserve as debt and collateral is a liquidation of a looped position; this obligation
    // holds no USDC collateral, so it is refused by name.
    let ix = f.liquidate_ix(&liquidator, &borrower, USDC, USDC, 10 * ONE_USDC, 0).await;
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::PositionNotFound, &w).await;
    // Shares requested without the liquidator's obligation.
    let mut ix = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, 10 * ONE_USDC, 0).await;
    let receive_shares = ix.data.len() - 1;
    ix.data[receive_shares] = 1;
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::LiquidatorObligationRequired, &w).await;
    // Zero repay.
    let ix = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, 0, 0).await;
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::ZeroAmount, &w).await;
    // Health accounts follow the same exact-match rules as borrow.
    let mut ix = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, 10 * ONE_USDC, 0).await;
    ix.accounts.truncate(ix.accounts.len() - 2);
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::HealthAccountCountMismatch, &w).await;
}

/// `liquidate` does not deserialise token accounts (for compute): vaults and mints are pinned to
/// their reserves by key, and the liquidator's own accounts are guarded by the token program and
/// the vault balance check, each with a named error.
#[tokio::test]
async fn liquidator_token_accounts_are_checked_by_the_token_program_and_the_vault_guard() {
    let (mut f, borrower, liquidator) = setup().await;
    f.set_price(SOL, 85.0).await;
    let w = watched(&f, &borrower, &liquidator);
    let ix = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0).await;
    let account = |ix: &anchor_lang::solana_program::instruction::Instruction, key: Pubkey| {
        ix.accounts.iter().position(|m| m.pubkey == key).expect("account in the instruction")
    };
    // Seized collateral sent back into the collateral vault: the transfer is a no-op, so the
    // vault did not move by the seized amount.
    let mut into_vault = ix.clone();
    let destination = account(&into_vault, liquidator.token_accounts[SOL]);
    into_vault.accounts[destination].pubkey = f.keys(SOL).vault;
    f.env.assert_ballast_error(&[into_vault], &[&liquidator.keypair], BallastError::VaultBalanceMismatch, &w).await;
    // A destination of another mint: the token program refuses it (spl-token `MintMismatch`).
    let mut wrong_mint = ix.clone();
    let destination = account(&wrong_mint, liquidator.token_accounts[SOL]);
    wrong_mint.accounts[destination].pubkey = liquidator.token_accounts[USDC];
    let token_mint_mismatch = 3;
    f.env.assert_rejected(&[wrong_mint], &[&liquidator.keypair], token_mint_mismatch, &w).await;
    // Vaults and mints are pinned to their reserves by key.
    let mut other_vault = ix.clone();
    let vault = account(&other_vault, f.keys(SOL).vault);
    other_vault.accounts[vault].pubkey = f.keys(USDC).vault;
    f.env.assert_ballast_error(&[other_vault], &[&liquidator.keypair], BallastError::VaultMismatch, &w).await;
    let mut other_mint = ix.clone();
    let mint = account(&other_mint, f.keys(USDC).mint);
    other_mint.accounts[mint].pubkey = f.keys(SOL).mint;
    f.env.assert_ballast_error(&[other_mint], &[&liquidator.keypair], BallastError::MintMismatch, &w).await;
    // Repaying from the repay vault itself: the liquidator cannot sign for it (`OwnerMismatch`).
    let mut from_vault = ix;
    let source = account(&from_vault, liquidator.token_accounts[USDC]);
    from_vault.accounts[source].pubkey = f.keys(USDC).vault;
    let token_owner_mismatch = 4;
    f.env.assert_rejected(&[from_vault], &[&liquidator.keypair], token_owner_mismatch, &w).await;
}

#[tokio::test]
async fn ema_deviation_and_wide_confidence_do_not_block_liquidation() {
    let (mut f, borrower, liquidator) = setup().await;
    // Spot $85 with a 10% confidence band and an EMA still at $100: borrow/withdraw would be
    // rejected, liquidation uses spot.
    let now = f.env.now().await;
    let mut price = TestPrice::usd(85.0, now);
    price.conf = price.price as u64 / 10;
    price.ema_price = 10_000_000_000;
    f.set_oracle(SOL, price, VerificationLevel::Full).await;
    let w = watched(&f, &borrower, &liquidator);
    let borrow = ballast_client::instructions::borrow(
        borrower.key(),
        &f.keys(USDC),
        borrower.token_accounts[USDC],
        1,
        &f.health_pairs(&[SOL, USDC]),
    );
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::PriceConfidenceTooWide, &w).await;
    f.liquidate(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0).await.unwrap();
}

#[tokio::test]
async fn stale_price_blocks_liquidation() {
    let (mut f, borrower, liquidator) = setup().await;
    f.set_price(SOL, 85.0).await;
    f.env.advance_time(61).await;
    let w = watched(&f, &borrower, &liquidator);
    let ix = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0).await;
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::PriceStale, &w).await;
}

#[tokio::test]
async fn insolvent_liquidation_pays_the_minimum_bonus_and_writes_the_rest_off() {
    let (mut f, borrower, liquidator) = setup().await;
    // A year of interest funds the USDC insurance fund (5% of interest).
    f.env.advance_time(365 * 86_400).await;
    f.refresh_prices().await;
    // SOL crashes to $50: collateral $500 against ~$705 of debt. The liquidator still earns the
    // minimum bonus (2%): all 10 SOL for $500 / 1.02 of debt.
    f.set_price(SOL, 50.0).await;
    let w = vec![borrower.obligation, f.keys(USDC).reserve];
    let health = f.health_after(&borrower, None, None).await;
    let socialize =
        ballast_client::instructions::socialize_loss(f.market, borrower.obligation, f.keys(USDC).reserve, &health);
    f.env.assert_ballast_error(std::slice::from_ref(&socialize), &[], BallastError::ObligationHasCollateral, &w).await;

    let usdc_reserve = f.keys(USDC).reserve;
    let now = f.env.now().await;
    let mut accounting = f.env.reserve(&usdc_reserve).await.accrued(now).unwrap();
    let debt_shares = f.env.obligation(&borrower.obligation).await.positions[1].debt_shares();
    let value_before = accounting.supply_share_value().unwrap();
    let insurance = accounting.insurance_fees;

    let liquidate = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, u64::MAX, 0).await;
    let (_, logs) = f.env.send_logged(&[liquidate], &[&liquidator.keypair]).await.unwrap();
    let [liquidated]: [ballast::events::LiquidateEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    // All the collateral is seized; the protocol keeps its share (10%) of the bonus.
    assert_eq!(
        Wad::from_u64(liquidated.collateral_to_liquidator).0 + liquidated.collateral_to_protocol,
        Wad::from_u64(10 * ONE_SOL).0
    );
    assert_eq!(f.env.token_balance(&liquidator.token_accounts[SOL]).await, liquidated.collateral_to_liquidator);
    assert_eq!(liquidated.bonus_bps, 200, "the minimum bonus, though collateral < debt");
    // $500 of SOL for $500 / 1.02 of USDC (6 decimals), rounded up.
    assert_eq!(liquidated.repay_amount, (500_000_000u64 * 10_000).div_ceil(10_200));

    // In the same instruction the rest of the debt is a deficit: insurance first, then the
    // depositors; the obligation is empty.
    let repayment = accounting.repay(liquidated.repay_amount, debt_shares).unwrap();
    let (debt_left, covered, loss) =
        accounting.socialize(debt_shares.checked_sub(repayment.debt_shares_burned).unwrap()).unwrap();
    assert!(insurance > Wad::ZERO && insurance < debt_left, "insurance {insurance:?} debt left {debt_left:?}");
    let [event]: [ballast::events::SocializeLossEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert_eq!((event.obligation, event.reserve), (borrower.obligation, usdc_reserve));
    assert_eq!((event.debt_written_off, event.covered_by_insurance), (debt_left.0, insurance.0));
    assert_eq!(covered, insurance);
    assert_eq!(event.loss_to_depositors, loss.0);
    assert!(event.share_value_after < event.share_value_before);
    let after = f.env.reserve(&usdc_reserve).await;
    let accounting_after = after.accounting();
    assert_eq!(accounting_after.insurance_fees, Wad::ZERO, "insurance paid first");
    assert_eq!(ballast::state::wad_from_bytes(&after.socialized_loss), loss);
    assert_eq!(accounting_after.total_debt_shares, accounting.total_debt_shares, "no deficit left accruing");
    assert_eq!(accounting_after.supply_share_value().unwrap(), accounting.supply_share_value().unwrap());
    assert!(accounting_after.supply_share_value().unwrap() < value_before);
    assert_eq!(f.env.obligation(&borrower.obligation).await.position_count, 0, "obligation cleared");
    // Nothing left to socialize.
    f.env.assert_ballast_error(&[socialize], &[], BallastError::PositionNotFound, &w).await;
}

#[tokio::test]
async fn bad_debt_fully_covered_by_insurance_leaves_share_value_intact() {
    let (mut f, lender, _) = funded().await;
    let authority = f.authority.insecure_clone();
    // Half of all interest goes to insurance, and a big borrower pays a lot of it.
    let mut params = f.assets[USDC].params.clone();
    params.insurance_take_rate_bps = 5_000;
    f.env
        .send_ok(
            &[ballast_client::instructions::update_reserve_config(
                solana_signer::Signer::pubkey(&authority),
                &f.keys(USDC),
                params,
            )],
            &[&authority],
        )
        .await;
    let whale = f.new_user(&[1_000 * ONE_SOL, 0]).await;
    f.deposit(&whale, SOL, 1_000 * ONE_SOL).await.unwrap();
    f.borrow(&whale, USDC, 9_000 * ONE_USDC).await.unwrap();
    let small = f.new_user(&[ONE_SOL / 20, 0]).await;
    f.deposit(&small, SOL, ONE_SOL / 20).await.unwrap();
    f.borrow(&small, USDC, 3_500_000).await.unwrap();
    f.env.advance_time(30 * 86_400).await;
    f.refresh_prices().await;
    f.set_price(SOL, 40.0).await;
    let liquidator = f.new_user(&[0, 100 * ONE_USDC]).await;
    let usdc_reserve = f.keys(USDC).reserve;
    let value_before =
        f.env.reserve(&usdc_reserve).await.accrued(f.env.now().await).unwrap().supply_share_value().unwrap();
    // The liquidation takes all the collateral and writes the rest of the debt off at once.
    f.liquidate(&liquidator, &small, USDC, SOL, u64::MAX, 0).await.unwrap();
    assert_eq!(f.env.obligation(&small.obligation).await.position_count, 0, "the deficit is written off");
    let reserve = f.env.reserve(&usdc_reserve).await;
    assert_eq!(ballast::state::wad_from_bytes(&reserve.socialized_loss), Wad::ZERO, "insurance covered it all");
    assert!(reserve.accounting().supply_share_value().unwrap() >= value_before);
    let _ = lender;
}
