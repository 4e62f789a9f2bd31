//! Flash loans on the runtime: a loan repaid later in the same transaction pays its fee to the
//! protocol and insurance and leaves depositors' share value alone; every other shape of
//! transaction is refused by name with nothing changed; a flash loan funds a same-reserve
//! liquidation by a liquidator holding none of the asset.

use ballast::errors::BallastError;
use ballast::events::{FlashBorrowEvent, FlashRepayEvent};
use ballast::ReserveConfigParams;
use ballast_client::instructions as ix;
use ballast_engine::ReserveState;
use ballast_math::Wad;
use solana_signer::Signer;

use crate::*;

/// 5,000 USDC lent and repaid in one transaction: the user pays the 9 bps fee (4.5 USDC), split
/// 2:1 between protocol fees and insurance as the take rates (10% and 5%) are, the vault keeps
/// it, and a supply share is worth exactly what it was.
#[tokio::test]
async fn a_flash_loan_repaid_in_its_transaction_pays_the_fee_and_keeps_share_value() {
    let (mut f, _lender, _borrower) = funded().await;
    let user = f.new_user(&[0, 10 * ONE_USDC]).await;
    let keys = f.keys(USDC);
    let before = f.env.reserve(&keys.reserve).await;
    let vault_before = f.env.token_balance(&keys.vault).await;
    let (amount, fee) = (5_000 * ONE_USDC, 4_500_000);
    let token = user.token_accounts[USDC];
    let loan = [ix::flash_borrow(user.key(), &keys, token, amount), ix::flash_repay(user.key(), &keys, token, amount)];
    let (_, logs) = f.env.send_logged(&loan, &[&user.keypair]).await.expect("the flash loan lands");

    assert_eq!(f.env.token_balance(&token).await, 10 * ONE_USDC - fee);
    assert_eq!(f.env.token_balance(&keys.vault).await, vault_before + fee);
    let after = f.env.reserve(&keys.reserve).await;
    let (a, b) = (after.accounting(), before.accounting());
    assert_eq!(a.available_liquidity, b.available_liquidity + fee);
    assert_eq!(a.protocol_fees.checked_sub(b.protocol_fees), Ok(Wad::from_u64(3_000_000)));
    assert_eq!(a.insurance_fees.checked_sub(b.insurance_fees), Ok(Wad::from_u64(1_500_000)));
    assert_eq!(a.supply_share_value(), b.supply_share_value(), "depositors' value does not move");
    assert_eq!(after.flash_loan_amount, 0, "no loan stays open");
    let borrowed: Vec<FlashBorrowEvent> = ballast_tests::events(&logs);
    let repaid: Vec<FlashRepayEvent> = ballast_tests::events(&logs);
    assert_eq!(borrowed, [FlashBorrowEvent { reserve: keys.reserve, amount }]);
    assert_eq!(repaid, [FlashRepayEvent { reserve: keys.reserve, amount, fee }]);
}

/// Every other shape is refused by name and changes nothing: no repay, a short repay, a repay to
/// another reserve, a repay in a later transaction, two borrows and one repay, a nested loan, a
/// borrow through CPI, and a reserve whose flash loans are off.
#[tokio::test]
async fn every_other_flash_loan_shape_is_refused_by_name() {
    let (mut f, _lender, _borrower) = funded().await;
    let user = f.new_user(&[ONE_SOL, 100 * ONE_USDC]).await;
    let (usdc, sol) = (f.keys(USDC), f.keys(SOL));
    let (token, sol_token) = (user.token_accounts[USDC], user.token_accounts[SOL]);
    let amount = 1_000 * ONE_USDC;
    let borrow = |n: u64| ix::flash_borrow(user.key(), &usdc, token, n);
    let repay = |n: u64| ix::flash_repay(user.key(), &usdc, token, n);
    let w = watched(&f, &user);
    let signers = [&user.keypair];
    let cases: Vec<(&str, Vec<_>, BallastError)> = vec![
        ("no repay", vec![borrow(amount)], BallastError::FlashRepayMissing),
        ("short repay", vec![borrow(amount), repay(amount - 1)], BallastError::FlashRepayAmountMismatch),
        (
            "repay to another reserve",
            vec![borrow(amount), ix::flash_repay(user.key(), &sol, sol_token, amount)],
            BallastError::FlashRepayMissing,
        ),
        ("repay in a later transaction", vec![repay(amount)], BallastError::FlashLoanNotActive),
        ("two borrows, one repay", vec![borrow(amount), borrow(amount), repay(amount)], BallastError::FlashLoanActive),
        ("nested", vec![borrow(amount), borrow(10), repay(10), repay(amount)], BallastError::FlashLoanActive),
    ];
    for (shape, instructions, expected) in cases {
        eprintln!("flash loan shape: {shape}");
        f.env.assert_ballast_error(&instructions, &signers, expected, &w).await;
    }
    match f.env.through_cpi(&borrow(amount)) {
        Some(cpi) => f.env.assert_ballast_error(&[cpi, repay(amount)], &signers, BallastError::FlashLoanCpi, &w).await,
        None => eprintln!("flash loan by CPI: the node backend deploys no CPI caller; checked on the native backend"),
    }

    let authority = f.authority.insecure_clone();
    let off = ReserveConfigParams { flash_loan_fee_bps: u16::MAX, ..f.assets[USDC].params.clone() };
    f.env.send_ok(&[ix::update_reserve_config(authority.pubkey(), &usdc, off)], &[&authority]).await;
    f.env.assert_ballast_error(&[borrow(amount), repay(amount)], &signers, BallastError::FlashLoansDisabled, &w).await;
    let too_dear = ReserveConfigParams { flash_loan_fee_bps: 1_001, ..f.assets[USDC].params.clone() };
    let update = ix::update_reserve_config(authority.pubkey(), &usdc, too_dear);
    f.env.assert_ballast_error(&[update], &[&authority], BallastError::InvalidFlashLoanFee, &[usdc.reserve]).await;
}

/// A borrower holds USDC as collateral against USDC debt; the authority lowers USDC's liquidation
/// threshold to 70% and, a day later, the 740 USDC debt against 1,000 USDC is liquidatable. A
/// liquidator holding no USDC borrows it by flash loan, liquidates (repaying USDC, seizing USDC
/// from the same reserve between the loan and its repay) and repays the loan and its fee out of
/// the seized collateral, keeping the bonus.
#[tokio::test]
async fn a_flash_loan_funds_a_same_reserve_liquidation() {
    let (mut f, _lender, _borrower) = funded().await;
    let owner = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    f.deposit(&owner, USDC, 1_000 * ONE_USDC).await.unwrap();
    f.borrow(&owner, USDC, 740 * ONE_USDC).await.unwrap();
    let authority = f.authority.insecure_clone();
    let keys = f.keys(USDC);
    let lower =
        ReserveConfigParams { ltv_bps: 6_000, liquidation_threshold_bps: 7_000, ..f.assets[USDC].params.clone() };
    f.env.send_ok(&[ix::update_reserve_config(authority.pubkey(), &keys, lower.clone())], &[&authority]).await;
    f.assets[USDC].params = lower;
    f.env.advance_time(86_400).await;
    f.refresh_prices().await;
    assert!(f.program_health(&owner, false).await.liquidatable, "liquidatable once the ramp has run");

    let liquidator = f.new_user(&[0, 0]).await;
    let token = liquidator.token_accounts[USDC];
    let repay = 300 * ONE_USDC;
    let fee = 270_000; // 9 bps, rounded up
    let liquidate = f.liquidate_ix(&liquidator, &owner, USDC, USDC, repay, repay + fee).await;
    let flash = [
        ix::flash_borrow(liquidator.key(), &keys, token, repay),
        liquidate,
        ix::flash_repay(liquidator.key(), &keys, token, repay),
    ];
    f.env.send_ok(&flash, &[&liquidator.keypair]).await;
    let profit = f.env.token_balance(&token).await;
    assert!(profit > 0, "the liquidator keeps the bonus less the fee: {profit}");
    assert_eq!(f.env.reserve(&keys.reserve).await.flash_loan_amount, 0);
}
