//! Minimum debt, outflow limits and the authority's withdrawal of protocol fees and insurance on
//! the runtime: each rule's accepted case, each refusal by name with nothing changed.

use ballast::errors::BallastError;
use ballast::events::TreasuryWithdrawEvent;
use ballast::{MarketConfigParams, ReserveConfigParams};
use ballast_client::instructions as ix;
use ballast_engine::ReserveState;
use solana_signer::Signer;

use crate::*;

/// A $50 minimum debt: a $49 borrow is refused, a $100 one lands; a repay that would leave $49
/// is refused, one leaving $50 lands, and repaying everything always does. A minimum above a
/// million dollars is refused.
#[tokio::test]
async fn a_borrow_or_partial_repay_may_not_leave_less_than_the_minimum_debt() {
    let (mut f, _lender, borrower) = funded().await;
    let authority = f.authority.insecure_clone();
    let params = MarketConfigParams { min_debt_usd: 50, ..ballast_tests::default_market_params() };
    f.env.send_ok(&[ix::update_market_config(authority.pubkey(), f.market, params.clone())], &[&authority]).await;
    let health = f.health_pairs(&[SOL, USDC]);
    let token = borrower.token_accounts[USDC];
    let small = ix::borrow(borrower.key(), &f.keys(USDC), token, 49 * ONE_USDC, &health);
    let w = watched(&f, &borrower);
    f.env.assert_ballast_error(&[small], &[&borrower.keypair], BallastError::DebtBelowMinimum, &w).await;
    f.borrow(&borrower, USDC, 100 * ONE_USDC).await.unwrap();

    let leaves_49 = ix::repay(borrower.key(), &f.keys(USDC), borrower.obligation, token, 51 * ONE_USDC);
    let w = watched(&f, &borrower);
    f.env.assert_ballast_error(&[leaves_49], &[&borrower.keypair], BallastError::DebtBelowMinimum, &w).await;
    f.repay(&borrower, &borrower.obligation, USDC, 50 * ONE_USDC).await.unwrap();
    let mint = f.keys(USDC).mint;
    f.env.mint_to(&mint, &token, ONE_USDC).await;
    f.repay(&borrower, &borrower.obligation, USDC, u64::MAX).await.expect("repaying all of it always works");

    let too_high = MarketConfigParams { min_debt_usd: 1_000_001, ..params };
    let update = ix::update_market_config(authority.pubkey(), f.market, too_high);
    let market = f.market;
    f.env.assert_ballast_error(&[update], &[&authority], BallastError::InvalidMinDebt, &[market]).await;
}

/// USDC capped at 300 USDC of net outflow per hour: a borrow of 250 then one of 60 is refused; a
/// repay of 100 makes room for a borrow of 140; a withdrawal counts too; half an hour later half
/// the window has decayed. A liquidation at the limit is not held up. A cap without a window is
/// refused.
#[tokio::test]
async fn net_borrows_and_withdrawals_are_capped_per_window_and_liquidation_never() {
    let (mut f, lender, borrower) = funded().await;
    let authority = f.authority.insecure_clone();
    let keys = f.keys(USDC);
    let capped = ReserveConfigParams {
        outflow_cap: 300 * ONE_USDC,
        outflow_window_secs: 3_600,
        ..f.assets[USDC].params.clone()
    };
    f.env.send_ok(&[ix::update_reserve_config(authority.pubkey(), &keys, capped.clone())], &[&authority]).await;
    f.assets[USDC].params = capped.clone();

    f.borrow(&borrower, USDC, 250 * ONE_USDC).await.unwrap();
    let health = f.health_pairs(&[SOL, USDC]);
    let token = borrower.token_accounts[USDC];
    let over = ix::borrow(borrower.key(), &keys, token, 60 * ONE_USDC, &health);
    let w = watched(&f, &borrower);
    f.env.assert_ballast_error(&[over], &[&borrower.keypair], BallastError::OutflowLimitExceeded, &w).await;
    f.repay(&borrower, &borrower.obligation, USDC, 100 * ONE_USDC).await.unwrap();
    f.borrow(&borrower, USDC, 140 * ONE_USDC).await.unwrap();
    let lender_withdraw =
        ix::withdraw(lender.key(), &keys, lender.token_accounts[USDC], 11 * ONE_USDC, &f.health_pairs(&[USDC]));
    let w = watched(&f, &lender);
    f.env.assert_ballast_error(&[lender_withdraw], &[&lender.keypair], BallastError::OutflowLimitExceeded, &w).await;
    f.withdraw(&lender, USDC, 10 * ONE_USDC, false).await.unwrap();

    f.env.advance_time(1_800).await;
    f.refresh_prices().await;
    f.borrow(&borrower, USDC, 140 * ONE_USDC).await.expect("half the window has decayed");

    // SOL at $40 makes the borrower liquidatable; the liquidation's repay and seizure are not
    // limited although USDC's window is full.
    f.set_price(SOL, 40.0).await;
    let liquidator = f.new_user(&[0, 500 * ONE_USDC]).await;
    let window_before = f.env.reserve(&keys.reserve).await.outflow().window;
    f.liquidate(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0).await.expect("liquidation is never limited");
    assert_eq!(f.env.reserve(&keys.reserve).await.outflow().window, window_before, "nor counted");

    let no_window = ReserveConfigParams { outflow_window_secs: 0, ..capped };
    let update = ix::update_reserve_config(authority.pubkey(), &keys, no_window);
    f.env.assert_ballast_error(&[update], &[&authority], BallastError::InvalidOutflowLimit, &[keys.reserve]).await;
}

/// A year of interest on 5,000 USDC of debt accrues protocol fees and insurance. Only the market
/// authority withdraws them, only to the fee receiver's token account, never more than accrued,
/// never insurance below the floor or after a socialized loss; a supply share is worth exactly
/// the same after each withdrawal.
#[tokio::test]
async fn the_authority_withdraws_fees_and_insurance_without_touching_depositors_value() {
    let (mut f, _lender, _borrower) = funded().await;
    let whale = f.new_user(&[1_000 * ONE_SOL, 0]).await;
    f.deposit(&whale, SOL, 1_000 * ONE_SOL).await.unwrap();
    f.borrow(&whale, USDC, 9_000 * ONE_USDC).await.unwrap();
    let authority = f.authority.insecure_clone();
    let keys = f.keys(USDC);
    let floored = ReserveConfigParams { insurance_floor: 20 * ONE_USDC, ..f.assets[USDC].params.clone() };
    f.env.send_ok(&[ix::update_reserve_config(authority.pubkey(), &keys, floored)], &[&authority]).await;
    f.env.advance_time(365 * 86_400).await;
    f.refresh_prices().await;
    let receiver = f.env.create_token_account(&keys.mint, &authority.pubkey()).await;
    let stranger = f.new_user(&[0, 0]).await;
    let share_value = |r: &ballast::state::Reserve, now| r.accrued(now).unwrap().supply_share_value().unwrap();

    let w = [keys.reserve, keys.vault, receiver];
    let by_stranger = ix::withdraw_protocol_fees(stranger.key(), &keys, receiver, 1);
    f.env.assert_ballast_error(&[by_stranger], &[&stranger.keypair], BallastError::Unauthorized, &w).await;
    let wrong_receiver = ix::withdraw_protocol_fees(authority.pubkey(), &keys, stranger.token_accounts[USDC], 1);
    let ws = [keys.reserve, keys.vault, stranger.token_accounts[USDC]];
    f.env.assert_ballast_error(&[wrong_receiver], &[&authority], BallastError::FeeReceiverMismatch, &ws).await;
    let now = f.env.now().await;
    let reserve = f.env.reserve(&keys.reserve).await;
    let accrued = reserve.accrued(now).unwrap();
    let fees = accrued.protocol_fees.to_u64(ballast_math::Rounding::Down).unwrap();
    assert!(fees > 50 * ONE_USDC, "a year of interest accrued fees: {fees}");
    let too_much = ix::withdraw_protocol_fees(authority.pubkey(), &keys, receiver, fees + 1);
    f.env.assert_ballast_error(&[too_much], &[&authority], BallastError::FeesExceedAccrued, &w).await;

    let value_before = share_value(&reserve, now);
    let (_, logs) = f
        .env
        .send_logged(&[ix::withdraw_protocol_fees(authority.pubkey(), &keys, receiver, u64::MAX)], &[&authority])
        .await
        .expect("the authority withdraws the fees");
    assert_eq!(f.env.token_balance(&receiver).await, fees);
    assert_eq!(share_value(&f.env.reserve(&keys.reserve).await, now), value_before);
    let [event]: [TreasuryWithdrawEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert_eq!(
        event,
        TreasuryWithdrawEvent { reserve: keys.reserve, destination: receiver, insurance: false, amount: fees }
    );

    let insurance = accrued.insurance_fees.to_u64(ballast_math::Rounding::Down).unwrap();
    let above_floor = insurance - 20 * ONE_USDC;
    let below_floor = ix::withdraw_insurance(authority.pubkey(), &keys, receiver, above_floor + 1);
    f.env.assert_ballast_error(&[below_floor], &[&authority], BallastError::InsuranceBelowFloor, &w).await;
    f.env.send_ok(&[ix::withdraw_insurance(authority.pubkey(), &keys, receiver, 10 * ONE_USDC)], &[&authority]).await;
    assert_eq!(f.env.token_balance(&receiver).await, fees + 10 * ONE_USDC);
    assert_eq!(share_value(&f.env.reserve(&keys.reserve).await, now), value_before);

    // Once the reserve has socialized a loss, its insurance stays.
    let mut reserve = f.env.reserve(&keys.reserve).await;
    reserve.set_socialized_loss(ballast_math::Wad::from_u64(1));
    f.env.set_reserve(&keys.reserve, &reserve).await;
    let after_loss = ix::withdraw_insurance(authority.pubkey(), &keys, receiver, ONE_USDC);
    f.env.assert_ballast_error(&[after_loss], &[&authority], BallastError::ReserveHasDeficit, &w).await;

    // A configured receiver replaces the authority.
    let params = MarketConfigParams { fee_receiver: stranger.key(), ..ballast_tests::default_market_params() };
    f.env.send_ok(&[ix::update_market_config(authority.pubkey(), f.market, params)], &[&authority]).await;
    let to_authority = ix::withdraw_protocol_fees(authority.pubkey(), &keys, receiver, 1);
    f.env.assert_ballast_error(&[to_authority], &[&authority], BallastError::FeeReceiverMismatch, &w).await;
}
