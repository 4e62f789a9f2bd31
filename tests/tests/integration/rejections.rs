//! Every rejected input: the named error, and no account changed.

use anchor_lang::prelude::AccountMeta;
use ballast::errors::BallastError;
use ballast_client::instructions as ix;
use ballast_client::pda;
use ballast_tests::AssetSpec;
use solana_instruction::error::InstructionError;
use solana_signer::Signer;
use solana_transaction_error::TransactionError;

use crate::*;

#[tokio::test]
async fn over_borrow_by_one_unit_is_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let health = f.health_pairs(&[SOL, USDC]);
    let too_much = ix::borrow(
        borrower.key(),
        &f.keys(USDC),
        borrower.token_accounts[USDC],
        MAX_BORROW_AGAINST_10_SOL + 1,
        &health,
    );
    let w = watched(&f, &borrower);
    f.env.assert_ballast_error(&[too_much], &[&borrower.keypair], BallastError::InitialHealthNegative, &w).await;
    f.borrow(&borrower, USDC, MAX_BORROW_AGAINST_10_SOL).await.unwrap();
    // At the limit, one more unit is rejected too.
    let one_more = ix::borrow(borrower.key(), &f.keys(USDC), borrower.token_accounts[USDC], 1, &health);
    let w = watched(&f, &borrower);
    f.env.assert_ballast_error(&[one_more], &[&borrower.keypair], BallastError::InitialHealthNegative, &w).await;
}

#[tokio::test]
async fn withdraw_that_would_break_health_is_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    // Debt 374.625 USDC counts as $374.999625; each SOL unit left counts 99.9e-9 * 0.75 USD, so
    // 5,005,000,000 units must stay and at most 4,995,000,000 can leave.
    f.borrow(&borrower, USDC, 374_625_000).await.unwrap();
    let health = f.health_pairs(&[SOL, USDC]);
    let too_much = ix::withdraw(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], 4_995_000_001, &health);
    let w = watched(&f, &borrower);
    f.env.assert_ballast_error(&[too_much], &[&borrower.keypair], BallastError::InitialHealthNegative, &w).await;
    let all =
        ix::withdraw(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], u64::MAX, &f.health_pairs(&[USDC]));
    f.env.assert_ballast_error(&[all], &[&borrower.keypair], BallastError::InitialHealthNegative, &w).await;
    f.withdraw(&borrower, SOL, 4_995_000_000, false).await.unwrap();
    assert_eq!(f.env.token_balance(&borrower.token_accounts[SOL]).await, 4_995_000_000);
}

#[tokio::test]
async fn borrow_without_collateral_is_rejected() {
    let (mut f, _lender, _borrower) = funded().await;
    let poor = f.new_user(&[0, 0]).await;
    let borrow = ix::borrow(poor.key(), &f.keys(USDC), poor.token_accounts[USDC], 1, &f.health_pairs(&[USDC]));
    let w = watched(&f, &poor);
    f.env.assert_ballast_error(&[borrow], &[&poor.keypair], BallastError::InitialHealthNegative, &w).await;
}

#[tokio::test]
async fn borrow_beyond_available_liquidity_is_rejected() {
    let mut f = sol_usdc().await;
    let whale = f.new_user(&[1_000_000 * ONE_SOL, 0]).await;
    f.deposit(&whale, SOL, 1_000_000 * ONE_SOL).await.unwrap();
    // Only the 1,000-unit seed deposit is in the USDC reserve.
    let borrow =
        ix::borrow(whale.key(), &f.keys(USDC), whale.token_accounts[USDC], 1_001, &f.health_pairs(&[SOL, USDC]));
    let w = watched(&f, &whale);
    f.env.assert_ballast_error(&[borrow], &[&whale.keypair], BallastError::InsufficientLiquidity, &w).await;
}

#[tokio::test]
async fn supply_and_borrow_caps_are_enforced() {
    let (mut f, lender, borrower) = funded().await;
    let authority = f.authority.insecure_clone();
    let usdc = f.keys(USDC);
    let mut params = f.assets[USDC].params.clone();
    params.supply_cap = 10_001 * ONE_USDC;
    params.borrow_cap = 100 * ONE_USDC;
    f.env.send_ok(&[ix::update_reserve_config(authority.pubkey(), &usdc, params)], &[&authority]).await;

    f.env.mint_to(&usdc.mint, &lender.token_accounts[USDC], 2 * ONE_USDC).await;
    let deposit = ix::deposit(lender.key(), &usdc, lender.token_accounts[USDC], 2 * ONE_USDC);
    let w = watched(&f, &lender);
    f.env.assert_ballast_error(&[deposit], &[&lender.keypair], BallastError::SupplyCapExceeded, &w).await;
    f.deposit(&lender, USDC, ONE_USDC - SEED_DEPOSIT_USDC).await.unwrap();

    let borrow = ix::borrow(
        borrower.key(),
        &usdc,
        borrower.token_accounts[USDC],
        100 * ONE_USDC + 1,
        &f.health_pairs(&[SOL, USDC]),
    );
    let w = watched(&f, &borrower);
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::BorrowCapExceeded, &w).await;
    f.borrow(&borrower, USDC, 100 * ONE_USDC).await.unwrap();
}

const SEED_DEPOSIT_USDC: u64 = ballast_tests::SEED_DEPOSIT;

#[tokio::test]
async fn zero_amounts_are_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let w = watched(&f, &borrower);
    let keys = f.keys(SOL);
    let deposit = ix::deposit(borrower.key(), &keys, borrower.token_accounts[SOL], 0);
    f.env.assert_ballast_error(&[deposit], &[&borrower.keypair], BallastError::ZeroAmount, &w).await;
    let withdraw = ix::withdraw(borrower.key(), &keys, borrower.token_accounts[SOL], 0, &[]);
    f.env.assert_ballast_error(&[withdraw], &[&borrower.keypair], BallastError::ZeroAmount, &w).await;
    let borrow =
        ix::borrow(borrower.key(), &f.keys(USDC), borrower.token_accounts[USDC], 0, &f.health_pairs(&[SOL, USDC]));
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::ZeroAmount, &w).await;
}

#[tokio::test]
async fn withdraw_more_than_deposited_and_repay_without_debt_are_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let w = watched(&f, &borrower);
    // The reserve holds more than the borrower deposited (the seed), but the position does not.
    let withdraw = ix::withdraw(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], 10 * ONE_SOL + 1, &[]);
    f.env.assert_ballast_error(&[withdraw], &[&borrower.keypair], BallastError::InsufficientCollateral, &w).await;
    let withdraw = ix::withdraw(borrower.key(), &f.keys(USDC), borrower.token_accounts[USDC], 1, &[]);
    f.env.assert_ballast_error(&[withdraw], &[&borrower.keypair], BallastError::PositionNotFound, &w).await;
    let repay = ix::repay(borrower.key(), &f.keys(USDC), borrower.obligation, borrower.token_accounts[USDC], 1);
    f.env.assert_ballast_error(&[repay], &[&borrower.keypair], BallastError::PositionNotFound, &w).await;
    let repay = ix::repay(borrower.key(), &f.keys(SOL), borrower.obligation, borrower.token_accounts[SOL], 1);
    f.env.assert_ballast_error(&[repay], &[&borrower.keypair], BallastError::NoDebtToRepay, &w).await;
}

#[tokio::test]
async fn obligation_of_another_owner_is_rejected() {
    let (mut f, lender, borrower) = funded().await;
    // The lender signs, but names the borrower's obligation.
    let mut borrow =
        ix::borrow(lender.key(), &f.keys(USDC), lender.token_accounts[USDC], 1, &f.health_pairs(&[SOL, USDC]));
    borrow.accounts[3].pubkey = borrower.obligation;
    let mut w = watched(&f, &borrower);
    w.extend(lender.token_accounts.iter().copied());
    f.env.assert_ballast_error(&[borrow], &[&lender.keypair], BallastError::ObligationOwnerMismatch, &w).await;
    let mut withdraw = ix::withdraw(lender.key(), &f.keys(SOL), lender.token_accounts[SOL], 1, &[]);
    withdraw.accounts[3].pubkey = borrower.obligation;
    f.env.assert_ballast_error(&[withdraw], &[&lender.keypair], BallastError::ObligationOwnerMismatch, &w).await;
}

#[tokio::test]
async fn missing_signer_is_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let mut withdraw = ix::withdraw(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], 1, &[]);
    withdraw.accounts[0] = AccountMeta::new_readonly(borrower.key(), false);
    let w = watched(&f, &borrower);
    let account_not_signer = anchor_lang::error::ErrorCode::AccountNotSigner as u32;
    f.env.assert_rejected(&[withdraw], &[], account_not_signer, &w).await;
}

#[tokio::test]
async fn reserve_of_another_market_is_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let (_foreign_market, foreign) = f.foreign_market(&AssetSpec::new("SOL", 9, 100.0)).await;
    let token_account = f.env.create_token_account(&foreign.keys.mint, &borrower.key()).await;
    // The foreign reserve, with our market account: the reserve's market does not match.
    let mut keys = foreign.keys;
    keys.market = f.market;
    let deposit = ix::deposit(borrower.key(), &keys, token_account, 1);
    let mut w = watched(&f, &borrower);
    w.push(foreign.keys.reserve);
    f.env.assert_ballast_error(&[deposit], &[&borrower.keypair], BallastError::MarketMismatch, &w).await;
    // The foreign market account with our obligation: the obligation's market does not match.
    let mut withdraw = ix::withdraw(borrower.key(), &foreign.keys, token_account, 1, &[]);
    withdraw.accounts[3].pubkey = borrower.obligation;
    f.env.assert_ballast_error(&[withdraw], &[&borrower.keypair], BallastError::MarketMismatch, &w).await;
}

#[tokio::test]
async fn vault_substitution_is_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let mut keys = f.keys(USDC);
    keys.vault = f.keys(SOL).vault;
    let borrow = ix::borrow(borrower.key(), &keys, borrower.token_accounts[SOL], 1, &f.health_pairs(&[SOL, USDC]));
    let w = watched(&f, &borrower);
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::VaultMismatch, &w).await;
    // A token account of the right mint that is not the vault.
    let mut keys = f.keys(SOL);
    keys.vault = f.env.create_token_account(&keys.mint, &pda::vault_authority(&keys.reserve)).await;
    let withdraw = ix::withdraw(borrower.key(), &keys, borrower.token_accounts[SOL], 1, &[]);
    f.env.assert_ballast_error(&[withdraw], &[&borrower.keypair], BallastError::VaultMismatch, &w).await;
}

#[tokio::test]
async fn mint_and_token_program_substitution_are_rejected() {
    let (mut f, _lender, borrower) = funded().await;
    let w = watched(&f, &borrower);
    let mut keys = f.keys(SOL);
    keys.mint = f.keys(USDC).mint;
    let deposit = ix::deposit(borrower.key(), &keys, borrower.token_accounts[USDC], 1);
    f.env.assert_ballast_error(&[deposit], &[&borrower.keypair], BallastError::MintMismatch, &w).await;
    let mut keys = f.keys(SOL);
    keys.token_program = anchor_spl::token_2022::ID;
    let deposit = ix::deposit(borrower.key(), &keys, borrower.token_accounts[SOL], 1);
    f.env.assert_ballast_error(&[deposit], &[&borrower.keypair], BallastError::TokenProgramMismatch, &w).await;
}

#[tokio::test]
async fn obligation_cannot_be_initialised_twice() {
    let (mut f, _lender, borrower) = funded().await;
    let w = watched(&f, &borrower);
    let again = ix::init_obligation(borrower.key(), f.market);
    // Anchor's `init` sees lamports on the account and asks the system program to create it
    // anyway (CreateAccountAllowPrefund). Agave 3.1 (solana-program-test) does not know that
    // instruction; agave 4.3 (the sBPF node) answers AccountAlreadyInUse (system error 0).
    // Either way the obligation is untouched.
    let failure = f.env.assert_fails(&[again], &[&borrower.keypair], &w).await;
    let expected =
        if f.env.node_url().is_some() { InstructionError::Custom(0) } else { InstructionError::InvalidInstructionData };
    assert_eq!(failure.error, TransactionError::InstructionError(2, expected), "{:?}", failure.logs);
}

#[tokio::test]
async fn seventeenth_position_is_rejected_and_sixteen_fit_one_transaction() {
    let specs: Vec<AssetSpec> = (0..17).map(|i| AssetSpec::new("TOKEN", 6, 1.0 + i as f64)).collect();
    let mut f = Fixture::new(&specs).await;
    let user = f.new_user(&[1_000 * ONE_USDC; 17]).await;
    for asset in 0..16 {
        f.deposit(&user, asset, 100 * ONE_USDC).await.unwrap();
    }
    let w = watched(&f, &user);
    let deposit = ix::deposit(user.key(), &f.keys(16), user.token_accounts[16], ONE_USDC);
    f.env.assert_ballast_error(&[deposit], &[&user.keypair], BallastError::ObligationFull, &w).await;
    // A borrow whose health reads all 16 positions.
    let all: Vec<usize> = (0..16).collect();
    let borrow = ix::borrow(user.key(), &f.keys(0), user.token_accounts[0], ONE_USDC, &f.health_pairs(&all));
    // (Compute units are not metered for the native build; the sBPF build measures them.)
    f.env.send_ok(&[borrow], &[&user.keypair]).await;
    assert_eq!(f.env.token_balance(&user.token_accounts[0]).await, 900 * ONE_USDC + ONE_USDC);
}
