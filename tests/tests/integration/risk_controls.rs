//! Risk controls (issue 4). Each test names the check it proves; removing that check makes the
//! test fail.

use anchor_lang::prelude::Pubkey;
use ballast::errors::BallastError;
use ballast::ReserveConfigParams;
use ballast_client::instructions as ix;
use ballast_engine::ReserveState as _;
use ballast_math::Wad;
use ballast_tests::{AssetSpec, Fixture, MintExtension, PythPriceExt, TestPrice, User};
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_signer::Signer;

use crate::*;

fn watched(f: &Fixture, user: &User) -> Vec<Pubkey> {
    let mut keys = vec![
        user.obligation,
        f.market,
        f.keys(SOL).reserve,
        f.keys(SOL).vault,
        f.keys(USDC).reserve,
        f.keys(USDC).vault,
    ];
    keys.extend(user.token_accounts.iter().copied());
    keys
}

async fn configure(f: &mut Fixture, asset: usize, edit: impl FnOnce(&mut ReserveConfigParams)) {
    let mut params = f.assets[asset].params.clone();
    edit(&mut params);
    let authority = f.authority.insecure_clone();
    let keys = f.keys(asset);
    f.env.send_ok(&[ix::update_reserve_config(authority.pubkey(), &keys, params.clone())], &[&authority]).await;
    f.assets[asset].params = params;
}

/// Proves `RiskControls::check_breaker` in initial health.
#[tokio::test]
async fn circuit_breaker_stops_borrow_and_withdraw_and_resets_by_itself() {
    let (mut f, lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 100 * ONE_USDC).await.unwrap();
    // SOL spot $100 against an EMA of $89: a 12.4% gap, over the 10% breaker.
    let now = f.env.now().await;
    let mut price = TestPrice::usd(100.0, now);
    price.ema_price = 8_900_000_000;
    f.set_oracle(SOL, price, VerificationLevel::Full).await;
    let w = watched(&f, &borrower);
    let borrow = ix::borrow(
        borrower.key(),
        &f.keys(USDC),
        borrower.token_accounts[USDC],
        ONE_USDC,
        &f.health_pairs(&[SOL, USDC]),
    );
    f.env
        .assert_ballast_error(
            std::slice::from_ref(&borrow),
            &[&borrower.keypair],
            BallastError::CircuitBreakerTripped,
            &w,
        )
        .await;
    let withdraw = ix::withdraw(
        borrower.key(),
        &f.keys(SOL),
        borrower.token_accounts[SOL],
        ONE_SOL,
        &f.health_pairs(&[SOL, USDC]),
    );
    f.env.assert_ballast_error(&[withdraw], &[&borrower.keypair], BallastError::CircuitBreakerTripped, &w).await;
    // Deposits, repays and liquidations continue.
    f.env.mint_to(&f.keys(SOL).mint, &borrower.token_accounts[SOL], ONE_SOL).await;
    f.deposit(&borrower, SOL, ONE_SOL).await.unwrap();
    f.repay(&borrower, &borrower.obligation, USDC, 10 * ONE_USDC).await.unwrap();
    let _ = lender;
    // The EMA catches up to within 10%: borrowing works again with no admin action.
    price.ema_price = 9_100_000_000;
    f.set_oracle(SOL, price, VerificationLevel::Full).await;
    f.env.send_ok(&[borrow], &[&borrower.keypair]).await;
}

/// Proves `RiskControls::haircut_ltv_bps` in initial health.
#[tokio::test]
async fn volatility_haircut_shrinks_borrow_power_linearly() {
    let (mut f, _lender, borrower) = funded().await;
    configure(&mut f, SOL, |p| {
        p.haircut_start_bps = 50;
        p.haircut_end_bps = 500;
        p.max_haircut_bps = 5_000;
    })
    .await;
    // Spot $102.75 against an EMA of $100: 2.75% uncertainty, half way from 0.5% to 5%, so a
    // quarter of the 75% LTV goes: 56.25%. Collateral counts at min(102.65, 99.9) = $99.9:
    // 10 x 99.9 x 0.5625 = $561.9375 -> at most floor(561.9375 / 1.001e-6) = 561,376,123.
    let now = f.env.now().await;
    let mut price = TestPrice::usd(100.0, now);
    price.price = 10_275_000_000;
    price.conf = 10_275_000;
    f.set_oracle(SOL, price, VerificationLevel::Full).await;
    let w = watched(&f, &borrower);
    let borrow = ix::borrow(
        borrower.key(),
        &f.keys(USDC),
        borrower.token_accounts[USDC],
        561_376_124,
        &f.health_pairs(&[SOL, USDC]),
    );
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::InitialHealthNegative, &w).await;
    f.borrow(&borrower, USDC, 561_376_123).await.unwrap();
}

/// Proves `RiskControls::capped_collateral` in initial health.
#[tokio::test]
async fn usd_cap_scales_a_reserves_collateral_pro_rata() {
    let (mut f, _lender, borrower) = funded().await;
    // The SOL reserve holds $999.0001 at $99.9 (10 SOL + the seed); only $500 may count.
    configure(&mut f, SOL, |p| p.collateral_value_cap_usd = 500).await;
    let w = watched(&f, &borrower);
    // Without the cap 748 USDC would fit; with it about 500 x 0.75 / 1.001 = 374.6.
    let borrow = ix::borrow(
        borrower.key(),
        &f.keys(USDC),
        borrower.token_accounts[USDC],
        375 * ONE_USDC,
        &f.health_pairs(&[SOL, USDC]),
    );
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::InitialHealthNegative, &w).await;
    f.borrow(&borrower, USDC, 374 * ONE_USDC).await.unwrap();
}

/// Proves `RiskControls::check_utilization` in borrow.
#[tokio::test]
async fn utilization_ceiling_rejects_borrows_above_it() {
    let (mut f, _lender, _) = funded().await;
    configure(&mut f, USDC, |p| p.utilization_ceiling_bps = 5_000).await;
    let whale = f.new_user(&[1_000 * ONE_SOL, 0]).await;
    f.deposit(&whale, SOL, 1_000 * ONE_SOL).await.unwrap();
    // 10,000.001 USDC supplied: 5,000.0006 borrowed would be just over 50%.
    let w = watched(&f, &whale);
    let borrow = ix::borrow(
        whale.key(),
        &f.keys(USDC),
        whale.token_accounts[USDC],
        5_000_000_600,
        &f.health_pairs(&[SOL, USDC]),
    );
    f.env.assert_ballast_error(&[borrow], &[&whale.keypair], BallastError::UtilizationCeilingExceeded, &w).await;
    f.borrow(&whale, USDC, 5_000 * ONE_USDC).await.unwrap();
}

/// Proves that caps never block repay or liquidation, and that the supply cap holds for every
/// deposit, an indebted obligation's included (one base unit of debt bypassed it before).
#[tokio::test]
async fn caps_never_block_repay_or_liquidation_and_bind_every_deposit() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    // Both caps far below what is already there.
    configure(&mut f, USDC, |p| p.borrow_cap = ONE_USDC).await;
    configure(&mut f, SOL, |p| p.supply_cap = ONE_SOL).await;
    f.repay(&borrower, &borrower.obligation, USDC, 10 * ONE_USDC).await.unwrap();
    // A depositor with no debt is held to the supply cap...
    let other = f.new_user(&[ONE_SOL, 0]).await;
    let w = watched(&f, &other);
    let deposit = ix::deposit(other.key(), &f.keys(SOL), other.token_accounts[SOL], ONE_SOL);
    f.env.assert_ballast_error(&[deposit], &[&other.keypair], BallastError::SupplyCapExceeded, &w).await;
    // ...and so is an obligation with debt: a trivial debt does not lift the cap.
    f.env.mint_to(&f.keys(SOL).mint, &borrower.token_accounts[SOL], ONE_SOL).await;
    let w = watched(&f, &borrower);
    let deposit = ix::deposit(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], ONE_SOL);
    f.env.assert_ballast_error(&[deposit], &[&borrower.keypair], BallastError::SupplyCapExceeded, &w).await;
    // And a liquidation goes through.
    f.set_price(SOL, 75.0).await;
    let liquidator = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    f.liquidate(&liquidator, &borrower, USDC, SOL, 50 * ONE_USDC, 0).await.unwrap();
}

/// Proves the reserve-status checks in deposit, borrow and withdraw.
#[tokio::test]
async fn reduce_only_and_paused_reserves_never_block_repay_or_liquidation() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    let authority = f.authority.insecure_clone();
    let (sol, usdc) = (f.keys(SOL), f.keys(USDC));
    let w = watched(&f, &borrower);

    // Only the authority sets a status, and only a known one.
    let intruder = f.env.new_funded_keypair().await;
    f.env
        .assert_ballast_error(
            &[ix::set_reserve_status(intruder.pubkey(), &sol, 1)],
            &[&intruder],
            BallastError::Unauthorized,
            &w,
        )
        .await;
    f.env
        .assert_ballast_error(
            &[ix::set_reserve_status(authority.pubkey(), &sol, 3)],
            &[&authority],
            BallastError::InvalidReserveStatus,
            &w,
        )
        .await;

    // Reduce-only: no deposit, no borrow; withdraw, repay and liquidation work.
    f.env
        .send_ok(
            &[
                ix::set_reserve_status(authority.pubkey(), &sol, 1),
                ix::set_reserve_status(authority.pubkey(), &usdc, 1),
            ],
            &[&authority],
        )
        .await;
    f.env.mint_to(&sol.mint, &borrower.token_accounts[SOL], ONE_SOL).await;
    let w = watched(&f, &borrower);
    let deposit = ix::deposit(borrower.key(), &sol, borrower.token_accounts[SOL], ONE_SOL);
    f.env
        .assert_ballast_error(std::slice::from_ref(&deposit), &[&borrower.keypair], BallastError::ReserveNotActive, &w)
        .await;
    let borrow =
        ix::borrow(borrower.key(), &usdc, borrower.token_accounts[USDC], ONE_USDC, &f.health_pairs(&[SOL, USDC]));
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::ReserveNotActive, &w).await;
    f.repay(&borrower, &borrower.obligation, USDC, 100 * ONE_USDC).await.unwrap();
    f.withdraw(&borrower, SOL, ONE_SOL / 10, false).await.unwrap();

    // Paused: withdraw stops too; repay and liquidation still work.
    f.env
        .send_ok(
            &[
                ix::set_reserve_status(authority.pubkey(), &sol, 2),
                ix::set_reserve_status(authority.pubkey(), &usdc, 2),
            ],
            &[&authority],
        )
        .await;
    let w = watched(&f, &borrower);
    let withdraw = ix::withdraw(borrower.key(), &sol, borrower.token_accounts[SOL], 1, &f.health_pairs(&[SOL, USDC]));
    f.env.assert_ballast_error(&[withdraw], &[&borrower.keypair], BallastError::ReservePaused, &w).await;
    // A depositor without debt is never trapped: it withdraws from the paused reserve.
    let saver = f.new_user(&[0, 100 * ONE_USDC]).await;
    f.env.send_ok(&[ix::set_reserve_status(authority.pubkey(), &usdc, 0)], &[&authority]).await;
    f.deposit(&saver, USDC, 100 * ONE_USDC).await.unwrap();
    f.env.send_ok(&[ix::set_reserve_status(authority.pubkey(), &usdc, 2)], &[&authority]).await;
    f.withdraw(&saver, USDC, u64::MAX, false).await.unwrap();
    assert_eq!(f.env.token_balance(&saver.token_accounts[USDC]).await, 100 * ONE_USDC);
    f.repay(&borrower, &borrower.obligation, USDC, 10 * ONE_USDC).await.unwrap();
    f.set_price(SOL, 70.0).await;
    let liquidator = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    f.liquidate(&liquidator, &borrower, USDC, SOL, 50 * ONE_USDC, 0).await.unwrap();

    // Active again: deposits work.
    f.env.send_ok(&[ix::set_reserve_status(authority.pubkey(), &sol, 0)], &[&authority]).await;
    f.env.send_ok(&[deposit], &[&borrower.keypair]).await;
}

/// Proves the market pause (`MarketState::is_paused`) in deposit, withdraw and borrow, that a
/// deposit curing an indebted obligation passes it, and the pause's own expiry.
#[tokio::test]
async fn market_pause_expires_by_itself_and_never_blocks_repay_or_liquidation() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    let authority = f.authority.insecure_clone();
    let w = watched(&f, &borrower);
    f.env
        .assert_ballast_error(
            &[ix::pause_market(authority.pubkey(), f.market, 86_401)],
            &[&authority],
            BallastError::PauseTooLong,
            &w,
        )
        .await;
    let intruder = f.env.new_funded_keypair().await;
    f.env
        .assert_ballast_error(
            &[ix::pause_market(intruder.pubkey(), f.market, 60)],
            &[&intruder],
            BallastError::Unauthorized,
            &w,
        )
        .await;
    f.env.send_ok(&[ix::pause_market(authority.pubkey(), f.market, 3_600)], &[&authority]).await;

    // A debt-free depositor is held off...
    let newcomer = f.new_user(&[ONE_SOL, 0]).await;
    let w = watched(&f, &newcomer);
    let fresh = ix::deposit(newcomer.key(), &f.keys(SOL), newcomer.token_accounts[SOL], ONE_SOL);
    f.env
        .assert_ballast_error(std::slice::from_ref(&fresh), &[&newcomer.keypair], BallastError::MarketPaused, &w)
        .await;
    // ...but an obligation with debt may add collateral to cure itself.
    let w = watched(&f, &borrower);
    f.env.mint_to(&f.keys(SOL).mint, &borrower.token_accounts[SOL], ONE_SOL).await;
    let deposit = ix::deposit(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], ONE_SOL);
    f.env.send_ok(std::slice::from_ref(&deposit), &[&borrower.keypair]).await;
    let borrow = ix::borrow(
        borrower.key(),
        &f.keys(USDC),
        borrower.token_accounts[USDC],
        ONE_USDC,
        &f.health_pairs(&[SOL, USDC]),
    );
    f.env.assert_ballast_error(&[borrow], &[&borrower.keypair], BallastError::MarketPaused, &w).await;
    let withdraw =
        ix::withdraw(borrower.key(), &f.keys(SOL), borrower.token_accounts[SOL], 1, &f.health_pairs(&[SOL, USDC]));
    f.env.assert_ballast_error(&[withdraw], &[&borrower.keypair], BallastError::MarketPaused, &w).await;
    f.repay(&borrower, &borrower.obligation, USDC, 10 * ONE_USDC).await.unwrap();
    f.set_price(SOL, 75.0).await;
    let liquidator = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    f.liquidate(&liquidator, &borrower, USDC, SOL, 50 * ONE_USDC, 0).await.unwrap();

    // An hour later the pause is over by itself.
    f.env.advance_time(3_600).await;
    f.refresh_prices().await;
    f.env.send_ok(&[fresh], &[&newcomer.keypair]).await;
}

/// Proves the pause budget (`PauseLedger`): renewing a pause cannot keep a market frozen past its
/// `max_pause_secs` (a day here) within 30 days; ending a pause is always allowed.
#[tokio::test]
async fn a_pause_cannot_be_renewed_past_its_budget_within_the_window() {
    let (mut f, _lender, borrower) = funded().await;
    let authority = f.authority.insecure_clone();
    let market = f.market;
    let pause = |secs| ix::pause_market(authority.pubkey(), market, secs);
    f.env.send_ok(&[pause(3_600)], &[&authority]).await;
    // Extended to a full day: the rest of the budget.
    f.env.send_ok(&[pause(86_400)], &[&authority]).await;
    f.env.advance_time(86_400).await;
    let w = vec![f.market];
    f.env.assert_ballast_error(&[pause(60)], &[&authority], BallastError::PauseBudgetExhausted, &w).await;
    f.env.send_ok(&[pause(0)], &[&authority]).await;
    // The market is open again, and 30 days on a new window has a new budget.
    f.refresh_prices().await;
    f.borrow(&borrower, USDC, ONE_USDC).await.unwrap();
    f.env.advance_time(29 * 86_400).await;
    f.env.send_ok(&[pause(3_600)], &[&authority]).await;
}

/// Proves that reserves track liquidity themselves: a donation changes no share value or health.
#[tokio::test]
async fn donations_change_neither_share_value_nor_health() {
    let (mut f, lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 300 * ONE_USDC).await.unwrap();
    let usdc = f.keys(USDC);
    let value_before = f.env.reserve(&usdc.reserve).await.accounting().supply_share_value().unwrap();
    let health_before = f.client_health(&borrower, ballast::health::HealthKind::Initial).await;
    // 5,000 USDC sent straight to the vault, and 100 SOL to the SOL vault.
    f.env.mint_to(&usdc.mint, &usdc.vault, 5_000 * ONE_USDC).await;
    f.env.mint_to(&f.keys(SOL).mint, &f.keys(SOL).vault, 100 * ONE_SOL).await;
    let reserve = f.env.reserve(&usdc.reserve).await;
    assert_eq!(reserve.accounting().supply_share_value().unwrap(), value_before);
    assert_eq!(f.client_health(&borrower, ballast::health::HealthKind::Initial).await, health_before);
    assert_eq!(f.program_health(&borrower, true).await.weighted_collateral, health_before.weighted_collateral.0);
    assert!(
        f.env.token_balance(&usdc.vault).await > reserve.accounting().available_liquidity,
        "vault holds more than tracked"
    );
    // The lender's withdrawal pays exactly its share of tracked liquidity.
    f.repay(&borrower, &borrower.obligation, USDC, u64::MAX).await.unwrap();
    f.withdraw(&lender, USDC, u64::MAX, true).await.unwrap();
    assert_eq!(f.env.token_balance(&lender.token_accounts[USDC]).await, 10_000 * ONE_USDC);
}

/// Proves the creation deposit: an attacker cannot inflate the share price for the next depositor.
#[tokio::test]
async fn first_depositor_inflation_fails() {
    let mut f = sol_usdc().await;
    let attacker = f.new_user(&[0, 1_000_001 * ONE_USDC]).await;
    let victim = f.new_user(&[0, 1_000 * ONE_USDC]).await;
    // The classic attack: deposit one unit, donate a fortune, hope the victim's deposit rounds
    // to nothing.
    f.deposit(&attacker, USDC, 1).await.unwrap();
    let usdc = f.keys(USDC);
    let donation = ix_transfer(&attacker, &usdc, 1_000_000 * ONE_USDC);
    f.env.send_ok(&[donation], &[&attacker.keypair]).await;
    f.deposit(&victim, USDC, 1_000 * ONE_USDC).await.unwrap();
    f.withdraw(&victim, USDC, u64::MAX, true).await.unwrap();
    assert_eq!(f.env.token_balance(&victim.token_accounts[USDC]).await, 1_000 * ONE_USDC, "the victim lost nothing");
    let shares = f.env.reserve(&usdc.reserve).await.accounting().total_supply_shares;
    assert_eq!(shares, ballast_tests::SEED_DEPOSIT + 1, "seed shares and the attacker's one share remain");
}

fn ix_transfer(
    from: &User,
    keys: &ballast_client::instructions::ReserveKeys,
    amount: u64,
) -> anchor_lang::solana_program::instruction::Instruction {
    anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::spl_token::ID,
        &from.token_accounts[USDC],
        &keys.vault,
        &from.key(),
        &[],
        amount,
    )
    .unwrap()
}

/// Proves `require_supported_mint`: Token-2022 mints with accounting-breaking extensions are
/// refused; a plain one and one with only a metadata pointer work end to end.
#[tokio::test]
async fn token_2022_mints_with_dangerous_extensions_are_rejected() {
    let mut f = sol_usdc().await;
    for extension in [
        MintExtension::TransferFee,
        MintExtension::TransferHook,
        MintExtension::PermanentDelegate,
        MintExtension::MintCloseAuthority,
    ] {
        let mint = f.env.create_mint_2022(6, &[extension]).await;
        let now = f.env.now().await;
        let feed_id = [4; 32];
        let oracle = ballast_client::pda::push_feed(&feed_id);
        f.env.set_account(
            &oracle,
            ballast_tests::pull_price_account(feed_id, &TestPrice::usd(1.0, now), VerificationLevel::Full),
        );
        let seed = f.env.create_token_account(&mint, &f.authority.pubkey()).await;
        f.env.mint_to(&mint, &seed, 10_000).await;
        let keys = ballast_client::instructions::ReserveKeys::new(f.market, mint, oracle, anchor_spl::token_2022::ID);
        let params = ReserveConfigParams { feed_id, ..ballast_tests::default_params() };
        let authority = f.authority.insecure_clone();
        let init = ix::init_reserve(authority.pubkey(), &keys, seed, params, 1_000);
        let failure = f.env.assert_fails(&[init], &[&authority], &[keys.reserve, keys.vault, seed, f.market]).await;
        assert_eq!(
            failure.error_name().as_deref(),
            Some("MintExtensionNotAllowed"),
            "{extension:?}: {:?}",
            failure.error
        );
    }
    // Token-2022 without dangerous extensions: a full deposit / borrow / repay / withdraw cycle.
    for extensions in [vec![], vec![MintExtension::MetadataPointer]] {
        let spec = AssetSpec { token_2022: Some(extensions.clone()), ..AssetSpec::new("T22", 6, 1.0) };
        let asset = f.add_asset(&spec).await;
        let user = f.new_user(&[100 * ONE_SOL]).await;
        f.deposit(&user, SOL, 10 * ONE_SOL).await.unwrap();
        let lender = f
            .new_user(&{
                let mut b = vec![0; f.assets.len()];
                b[asset] = 1_000 * ONE_USDC;
                b
            })
            .await;
        f.deposit(&lender, asset, 1_000 * ONE_USDC).await.unwrap();
        f.borrow(&user, asset, 100 * ONE_USDC).await.unwrap();
        assert_eq!(f.env.token_balance(&user.token_accounts[asset]).await, 100 * ONE_USDC);
        f.repay(&user, &user.obligation, asset, u64::MAX).await.unwrap();
        f.withdraw(&lender, asset, u64::MAX, true).await.unwrap();
        assert_eq!(f.env.token_balance(&lender.token_accounts[asset]).await, 1_000 * ONE_USDC, "{extensions:?}");
        let _ = Wad::ZERO;
    }
}

/// Proves the two-step authority transfer.
#[tokio::test]
async fn authority_transfer_takes_two_steps() {
    let mut f = sol_usdc().await;
    let authority = f.authority.insecure_clone();
    let successor = f.env.new_funded_keypair().await;
    let intruder = f.env.new_funded_keypair().await;
    let market = f.market;
    // Nobody can accept before a proposal, and only the proposed key can accept.
    f.env
        .assert_ballast_error(
            &[ix::accept_authority(successor.pubkey(), market)],
            &[&successor],
            BallastError::NotPendingAuthority,
            &[market],
        )
        .await;
    f.env
        .assert_ballast_error(
            &[ix::propose_authority(intruder.pubkey(), market, intruder.pubkey())],
            &[&intruder],
            BallastError::Unauthorized,
            &[market],
        )
        .await;
    f.env.send_ok(&[ix::propose_authority(authority.pubkey(), market, successor.pubkey())], &[&authority]).await;
    f.env
        .assert_ballast_error(
            &[ix::accept_authority(intruder.pubkey(), market)],
            &[&intruder],
            BallastError::NotPendingAuthority,
            &[market],
        )
        .await;
    // Proposing changes nothing yet: the old authority still rules.
    f.env.send_ok(&[ix::pause_market(authority.pubkey(), market, 0)], &[&authority]).await;
    f.env.send_ok(&[ix::accept_authority(successor.pubkey(), market)], &[&successor]).await;
    f.env
        .assert_ballast_error(
            &[ix::pause_market(authority.pubkey(), market, 0)],
            &[&authority],
            BallastError::Unauthorized,
            &[market],
        )
        .await;
    f.env.send_ok(&[ix::pause_market(successor.pubkey(), market, 0)], &[&successor]).await;
}
