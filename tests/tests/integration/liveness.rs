//! Liquidation liveness: positions the protocol must always be able to clear. A looped position
//! (collateral and debt in one reserve) is liquidated in its own reserve; a collateral vault whose
//! liquidity is all borrowed pays the liquidator in supply shares.

use anchor_lang::prelude::Pubkey;
use ballast::errors::BallastError;
use ballast_engine::{Positions as _, ReserveState as _};
use ballast_tests::{Fixture, User};

use crate::*;

async fn configure(f: &mut Fixture, asset: usize, edit: impl FnOnce(&mut ballast::ReserveConfigParams)) {
    let mut params = f.assets[asset].params.clone();
    edit(&mut params);
    let authority = f.authority.insecure_clone();
    let keys = f.keys(asset);
    let update = ballast_client::instructions::update_reserve_config(
        solana_signer::Signer::pubkey(&authority),
        &keys,
        params.clone(),
    );
    f.env.send_ok(&[update], &[&authority]).await;
    f.assets[asset].params = params;
}

/// Deposit 10 SOL and borrow 7 SOL from the same reserve; the risk authority then lowers SOL's
/// liquidation threshold to 60%: maintenance health 6 - 7 < 0 at any price. A liquidator
/// repays SOL into the reserve and takes SOL out of it, with the bonus.
#[tokio::test]
async fn a_looped_position_is_liquidated_in_its_own_reserve() {
    let (mut f, lender, borrower) = funded().await;
    let sol_lender = f.new_user(&[100 * ONE_SOL, 0]).await;
    f.deposit(&sol_lender, SOL, 100 * ONE_SOL).await.unwrap();
    f.borrow(&borrower, SOL, 7 * ONE_SOL).await.unwrap();
    configure(&mut f, SOL, |p| {
        p.ltv_bps = 5_500;
        p.liquidation_threshold_bps = 6_000;
    })
    .await;
    let report = f.program_health(&borrower, false).await;
    assert!(report.liquidatable, "looped SOL: {report:?}");

    let liquidator = f.new_user(&[10 * ONE_SOL, 0]).await;
    let before = f.env.obligation(&borrower.obligation).await;
    let ix = f.liquidate_ix(&liquidator, &borrower, SOL, SOL, u64::MAX, 0).await;
    let (_, logs) = f.env.send_logged(&[ix], &[&liquidator.keypair]).await.unwrap();
    let [event]: [ballast::events::LiquidateEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert_eq!((event.repay_reserve, event.collateral_reserve), (f.keys(SOL).reserve, f.keys(SOL).reserve));
    assert_eq!(event.repay_amount, 7 * ONE_SOL, "deep in the red: the whole debt");
    assert_eq!(event.bonus_bps, 1_000, "the maximum bonus");
    let after = f.env.obligation(&borrower.obligation).await;
    assert!(!after.has_debt(), "the loop is cleared");
    let sol = f.keys(SOL).reserve;
    assert!(after.position(&sol).unwrap().supply_shares < before.position(&sol).unwrap().supply_shares);
    // The liquidator paid 7 SOL and received 7 x 1.1 SOL less the protocol's share of the bonus.
    let balance = f.env.token_balance(&liquidator.token_accounts[SOL]).await;
    assert_eq!(balance, 10 * ONE_SOL - 7 * ONE_SOL + event.collateral_to_liquidator);
    assert!(event.collateral_to_liquidator > 7 * ONE_SOL);
    let _ = lender;
}

/// A run on the SOL vault: another user borrows every SOL token. Paying the seizure in tokens
/// fails (`InsufficientLiquidity`, nothing changes); paying it as SOL supply shares into the
/// liquidator's obligation lands, moves no SOL, and leaves the depositors' share value whole.
#[tokio::test]
async fn a_drained_collateral_vault_pays_the_liquidator_in_supply_shares() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    // A whale with USDC collateral borrows all the SOL there is (the borrower's 10 SOL and the
    // reserve's creation deposit).
    let whale = f.new_user(&[0, 1_000_000 * ONE_USDC]).await;
    f.deposit(&whale, USDC, 1_000_000 * ONE_USDC).await.unwrap();
    let sol = f.keys(SOL);
    let available = f.env.reserve(&sol.reserve).await.accounting().available_liquidity;
    f.borrow(&whale, SOL, available).await.unwrap();
    assert_eq!(f.env.reserve(&sol.reserve).await.accounting().available_liquidity, 0);

    f.set_price(SOL, 85.0).await;
    let liquidator = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    let plan = f.best_liquidation(&borrower, USDC, SOL).await.expect("liquidatable");
    let w = vec![borrower.obligation, sol.reserve, sol.vault, f.keys(USDC).reserve, liquidator.obligation];
    let tokens = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, plan.repay_amount, 0).await;
    f.env.assert_ballast_error(&[tokens], &[&liquidator.keypair], BallastError::InsufficientLiquidity, &w).await;
    // Into someone else's obligation: refused by name.
    let mut foreign = f.liquidate_ix_paid(&liquidator, &borrower, USDC, SOL, plan.repay_amount, 0, true).await;
    let receiver = foreign.accounts.iter().position(|m| m.pubkey == liquidator.obligation).unwrap();
    foreign.accounts[receiver].pubkey = whale.obligation;
    f.env.assert_ballast_error(&[foreign], &[&liquidator.keypair], BallastError::ObligationOwnerMismatch, &w).await;

    let reserve_before = f.env.reserve(&sol.reserve).await;
    let vault_before = f.env.token_balance(&sol.vault).await;
    let shares = f.liquidate_ix_paid(&liquidator, &borrower, USDC, SOL, plan.repay_amount, 0, true).await;
    let (_, logs) = f.env.send_logged(&[shares], &[&liquidator.keypair]).await.unwrap();
    let [event]: [ballast::events::LiquidateEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert_eq!(event.repay_amount, plan.repay_amount);
    assert_eq!(event.collateral_to_liquidator, plan.liquidator_amount);
    assert!(event.collateral_shares_to_liquidator > 0);
    assert_eq!(f.env.token_balance(&sol.vault).await, vault_before, "no SOL left the vault");
    assert_eq!(f.env.token_balance(&liquidator.token_accounts[SOL]).await, 0);
    let mine = f.env.obligation(&liquidator.obligation).await;
    assert_eq!(mine.position(&sol.reserve).unwrap().supply_shares, event.collateral_shares_to_liquidator);
    // The shares are worth what the plan paid, to within a base unit (they are rounded down, and
    // the protocol's burned shares, rounded up, lift every share a little).
    let reserve_after = f.env.reserve(&sol.reserve).await;
    let accounting = reserve_after.accounting();
    let worth = accounting.liquidity_for_shares(event.collateral_shares_to_liquidator).unwrap();
    let paid = ballast_math::Wad::from_u64(plan.liquidator_amount);
    let one = ballast_math::Wad::from_u64(1);
    assert!(worth.saturating_sub(paid) <= one && paid.saturating_sub(worth) <= one, "{worth:?} vs {plan:?}");
    let (value_before, value_after) =
        (reserve_before.accounting().supply_share_value().unwrap(), accounting.supply_share_value().unwrap());
    assert!(value_after >= value_before, "share value {value_before:?} -> {value_after:?}");
    let borrower_after = f.program_health(&borrower, false).await;
    assert!(borrower_after.weighted_debt < 700 * ballast_math::WAD * 1_001 / 1_000);
}

/// The liquidator's own obligation may not be the one it liquidates (it would be its owner).
#[tokio::test]
async fn shares_go_only_to_the_liquidators_own_obligation() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    f.set_price(SOL, 85.0).await;
    let liquidator: User = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    let w: Vec<Pubkey> = vec![borrower.obligation, f.keys(SOL).reserve, liquidator.obligation];
    let mut ix = f.liquidate_ix_paid(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0, true).await;
    let receiver = ix.accounts.iter().position(|m| m.pubkey == liquidator.obligation).unwrap();
    ix.accounts[receiver].pubkey = borrower.obligation;
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::ObligationOwnerMismatch, &w).await;
    // The honest request lands and credits SOL shares.
    let honest = f.liquidate_ix_paid(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0, true).await;
    f.env.send_ok(&[honest], &[&liquidator.keypair]).await;
    let mine = f.env.obligation(&liquidator.obligation).await;
    assert!(mine.position(&f.keys(SOL).reserve).unwrap().supply_shares > 0);
}
