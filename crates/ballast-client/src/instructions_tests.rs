//! Every builder against the program's own Anchor account structs (`ballast::accounts`) and
//! instruction data (`ballast::instruction`): the interface's account order, flags and encoding
//! are the program's.

use super::*;
use anchor_lang::{InstructionData, ToAccountMetas};

fn anchor(accounts: impl ToAccountMetas, data: impl InstructionData, health: &[(Pubkey, Pubkey)]) -> Instruction {
    let mut metas = accounts.to_account_metas(None);
    metas.extend(
        health.iter().flat_map(|(r, o)| [AccountMeta::new_readonly(*r, false), AccountMeta::new_readonly(*o, false)]),
    );
    Instruction { program_id: ballast::ID, accounts: metas, data: data.data() }
}

fn keys() -> (ReserveKeys, ReserveKeys) {
    let market = Pubkey::new_unique();
    let token = Pubkey::new_unique();
    (
        ReserveKeys::new(market, Pubkey::new_unique(), Pubkey::new_unique(), token),
        ReserveKeys::new(market, Pubkey::new_unique(), Pubkey::new_unique(), token),
    )
}

fn reserve_params() -> ReserveConfigParams {
    ReserveConfigParams {
        ltv_bps: 7_500,
        supply_cap: 9,
        curve: vec![(0, 0), (8_000, 800), (10_000, 10_000)],
        oracle_kind: 1,
        feed_id: [4; 32],
        ..Default::default()
    }
}

#[test]
fn market_and_reserve_administration() {
    let (k, _) = keys();
    let (authority, seed) = (Pubkey::new_unique(), Pubkey::new_unique());
    let market_params =
        MarketConfigParams { close_factor_bps: 5_000, dust_value_usd: 7, max_pause_secs: 3, ..Default::default() };
    assert_eq!(
        init_market(authority, k.market, *b"USD\0\0\0\0\0", market_params.clone()),
        anchor(
            ballast::accounts::InitMarket { authority, market: k.market, system_program: system_program::ID },
            ballast::instruction::InitMarket { quote_currency: *b"USD\0\0\0\0\0", params: market_params.clone() },
            &[]
        )
    );
    assert_eq!(
        update_market_config(authority, k.market, market_params.clone()),
        anchor(
            ballast::accounts::UpdateMarketConfig { authority, market: k.market },
            ballast::instruction::UpdateMarketConfig { params: market_params },
            &[]
        )
    );
    assert_eq!(
        init_reserve(authority, &k, seed, reserve_params(), 11),
        anchor(
            ballast::accounts::InitReserve {
                authority,
                market: k.market,
                reserve: k.reserve,
                mint: k.mint,
                vault_authority: pda::vault_authority(&k.reserve),
                vault: k.vault,
                oracle: k.oracle,
                seed_source: seed,
                token_program: k.token_program,
                system_program: system_program::ID,
            },
            ballast::instruction::InitReserve { params: reserve_params(), initial_deposit: 11 },
            &[]
        )
    );
    assert_eq!(
        update_reserve_config(authority, &k, reserve_params()),
        anchor(
            ballast::accounts::UpdateReserveConfig {
                authority,
                market: k.market,
                reserve: k.reserve,
                oracle: k.oracle
            },
            ballast::instruction::UpdateReserveConfig { params: reserve_params() },
            &[]
        )
    );
    assert_eq!(
        set_reserve_status(authority, &k, 2),
        anchor(
            ballast::accounts::SetReserveStatus { authority, market: k.market, reserve: k.reserve },
            ballast::instruction::SetReserveStatus { status: 2 },
            &[]
        )
    );
    assert_eq!(
        pause_market(authority, k.market, 60),
        anchor(
            ballast::accounts::MarketAuthority { authority, market: k.market },
            ballast::instruction::PauseMarket { duration_secs: 60 },
            &[]
        )
    );
    let next = Pubkey::new_unique();
    assert_eq!(
        propose_authority(authority, k.market, next),
        anchor(
            ballast::accounts::MarketAuthority { authority, market: k.market },
            ballast::instruction::ProposeAuthority { new_authority: next },
            &[]
        )
    );
    assert_eq!(
        accept_authority(next, k.market),
        anchor(
            ballast::accounts::AcceptAuthority { new_authority: next, market: k.market },
            ballast::instruction::AcceptAuthority {},
            &[]
        )
    );
}

#[test]
fn user_actions() {
    let (k, c) = keys();
    let (owner, token) = (Pubkey::new_unique(), Pubkey::new_unique());
    let obligation = pda::obligation(&k.market, &owner);
    let health = [(k.reserve, k.oracle), (c.reserve, c.oracle)];
    assert_eq!(
        init_obligation(owner, k.market),
        anchor(
            ballast::accounts::InitObligation {
                owner,
                market: k.market,
                obligation,
                system_program: system_program::ID
            },
            ballast::instruction::InitObligation {},
            &[]
        )
    );
    assert_eq!(
        close_obligation(owner, k.market),
        anchor(ballast::accounts::CloseObligation { owner, obligation }, ballast::instruction::CloseObligation {}, &[])
    );
    assert_eq!(
        deposit(owner, &k, token, 5),
        anchor(
            ballast::accounts::Deposit {
                owner,
                market: k.market,
                reserve: k.reserve,
                obligation,
                mint: k.mint,
                vault: k.vault,
                source: token,
                token_program: k.token_program,
            },
            ballast::instruction::Deposit { amount: 5 },
            &[]
        )
    );
    let vault_authority = pda::vault_authority(&k.reserve);
    assert_eq!(
        withdraw(owner, &k, token, 6, &health),
        anchor(
            ballast::accounts::Outflow {
                owner,
                market: k.market,
                reserve: k.reserve,
                obligation,
                mint: k.mint,
                vault: k.vault,
                vault_authority,
                destination: token,
                token_program: k.token_program,
            },
            ballast::instruction::Withdraw { amount: 6 },
            &health
        )
    );
    assert_eq!(
        borrow(owner, &k, token, 7, &health),
        anchor(
            ballast::accounts::Outflow {
                owner,
                market: k.market,
                reserve: k.reserve,
                obligation,
                mint: k.mint,
                vault: k.vault,
                vault_authority,
                destination: token,
                token_program: k.token_program,
            },
            ballast::instruction::Borrow { amount: 7 },
            &health
        )
    );
    assert_eq!(
        repay(owner, &k, obligation, token, 8),
        anchor(
            ballast::accounts::Repay {
                payer: owner,
                market: k.market,
                reserve: k.reserve,
                obligation,
                mint: k.mint,
                vault: k.vault,
                source: token,
                token_program: k.token_program,
            },
            ballast::instruction::Repay { amount: 8 },
            &[]
        )
    );
    assert_eq!(
        get_health(k.market, obligation, true, &health),
        anchor(
            ballast::accounts::GetHealth { market: k.market, obligation },
            ballast::instruction::GetHealth { initial: true },
            &health
        )
    );
}

#[test]
fn liquidation_and_loss() {
    let (debt, collateral) = keys();
    let (liquidator, source, destination, obligation) =
        (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
    let health = [(collateral.reserve, collateral.oracle), (debt.reserve, debt.oracle)];
    let accounts = |liquidator_obligation| ballast::accounts::Liquidate {
        liquidator,
        market: debt.market,
        obligation,
        repay_reserve: debt.reserve,
        repay_mint: debt.mint,
        repay_vault: debt.vault,
        repay_source: source,
        collateral_reserve: collateral.reserve,
        collateral_mint: collateral.mint,
        collateral_vault: collateral.vault,
        collateral_vault_authority: pda::vault_authority(&collateral.reserve),
        collateral_destination: destination,
        repay_token_program: debt.token_program,
        collateral_token_program: collateral.token_program,
        liquidator_obligation,
    };
    assert_eq!(
        liquidate(liquidator, obligation, &debt, source, &collateral, destination, 9, 3, &health),
        anchor(
            accounts(None),
            ballast::instruction::Liquidate { repay_amount: 9, min_collateral_out: 3, receive_shares: false },
            &health
        )
    );
    assert_eq!(
        liquidate_into_shares(liquidator, obligation, &debt, source, &collateral, destination, 9, 3, &health),
        anchor(
            accounts(Some(pda::obligation(&debt.market, &liquidator))),
            ballast::instruction::Liquidate { repay_amount: 9, min_collateral_out: 3, receive_shares: true },
            &health
        )
    );
    assert_eq!(
        socialize_loss(debt.market, obligation, debt.reserve, &health),
        anchor(
            ballast::accounts::SocializeLoss { market: debt.market, obligation, reserve: debt.reserve },
            ballast::instruction::SocializeLoss {},
            &health
        )
    );
    let owner = Pubkey::new_unique();
    assert_eq!(
        set_collateral(owner, debt.market, collateral.reserve, false, &health),
        anchor(
            ballast::accounts::SetCollateral {
                owner,
                market: debt.market,
                obligation: pda::obligation(&debt.market, &owner),
            },
            ballast::instruction::SetCollateral { reserve: collateral.reserve, collateral: false },
            &health
        )
    );
    assert_eq!(
        mark_liquidatable(debt.market, obligation, &health),
        anchor(
            ballast::accounts::MarkLiquidatable { market: debt.market, obligation },
            ballast::instruction::MarkLiquidatable {},
            &health
        )
    );
}

/// The interface's ids and discriminators are Anchor's.
#[test]
fn ids_and_discriminators_are_anchors() {
    use anchor_lang::Discriminator;
    use ballast_interface::ids::{self, account_discriminator as a, instruction_discriminator as i};
    assert_eq!(ids::PROGRAM_ID, ballast::ID.to_bytes());
    assert_eq!(Pubkey::new_from_array(ids::PYTH_RECEIVER_PROGRAM_ID), pyth_solana_receiver_sdk::ID);
    assert_eq!(a::MARKET, ballast::state::Market::DISCRIMINATOR);
    assert_eq!(a::RESERVE, ballast::state::Reserve::DISCRIMINATOR);
    assert_eq!(a::OBLIGATION, ballast::state::Obligation::DISCRIMINATOR);
    assert_eq!(a::PRICE_UPDATE_V2, pyth_solana_receiver_sdk::price_update::PriceUpdateV2::DISCRIMINATOR);
    assert_eq!(Pubkey::new_from_array(ids::INSTRUCTIONS_SYSVAR_ID), solana_instructions_sysvar_id());
    let pairs: [(&[u8; 8], &[u8]); 25] = [
        (&i::INIT_MARKET, ballast::instruction::InitMarket::DISCRIMINATOR),
        (&i::UPDATE_MARKET_CONFIG, ballast::instruction::UpdateMarketConfig::DISCRIMINATOR),
        (&i::INIT_RESERVE, ballast::instruction::InitReserve::DISCRIMINATOR),
        (&i::UPDATE_RESERVE_CONFIG, ballast::instruction::UpdateReserveConfig::DISCRIMINATOR),
        (&i::SET_RESERVE_STATUS, ballast::instruction::SetReserveStatus::DISCRIMINATOR),
        (&i::PAUSE_MARKET, ballast::instruction::PauseMarket::DISCRIMINATOR),
        (&i::PROPOSE_AUTHORITY, ballast::instruction::ProposeAuthority::DISCRIMINATOR),
        (&i::ACCEPT_AUTHORITY, ballast::instruction::AcceptAuthority::DISCRIMINATOR),
        (&i::INIT_OBLIGATION, ballast::instruction::InitObligation::DISCRIMINATOR),
        (&i::CLOSE_OBLIGATION, ballast::instruction::CloseObligation::DISCRIMINATOR),
        (&i::DEPOSIT, ballast::instruction::Deposit::DISCRIMINATOR),
        (&i::WITHDRAW, ballast::instruction::Withdraw::DISCRIMINATOR),
        (&i::BORROW, ballast::instruction::Borrow::DISCRIMINATOR),
        (&i::REPAY, ballast::instruction::Repay::DISCRIMINATOR),
        (&i::LIQUIDATE, ballast::instruction::Liquidate::DISCRIMINATOR),
        (&i::SOCIALIZE_LOSS, ballast::instruction::SocializeLoss::DISCRIMINATOR),
        (&i::GET_HEALTH, ballast::instruction::GetHealth::DISCRIMINATOR),
        (&i::SET_MARGIN_MODE, ballast::instruction::SetMarginMode::DISCRIMINATOR),
        (&i::MARK_LIQUIDATABLE, ballast::instruction::MarkLiquidatable::DISCRIMINATOR),
        (&i::FLASH_BORROW, ballast::instruction::FlashBorrow::DISCRIMINATOR),
        (&i::FLASH_REPAY, ballast::instruction::FlashRepay::DISCRIMINATOR),
        (&i::WITHDRAW_PROTOCOL_FEES, ballast::instruction::WithdrawProtocolFees::DISCRIMINATOR),
        (&i::WITHDRAW_INSURANCE, ballast::instruction::WithdrawInsurance::DISCRIMINATOR),
        (&i::SET_COLLATERAL, ballast::instruction::SetCollateral::DISCRIMINATOR),
        (&i::INIT_SUB_OBLIGATION, ballast::instruction::InitSubObligation::DISCRIMINATOR),
    ];
    for (interface, anchor) in pairs {
        assert_eq!(&interface[..], anchor);
    }
}

fn solana_instructions_sysvar_id() -> Pubkey {
    "Sysvar1nstructions1111111111111111111111111".parse().unwrap()
}

#[test]
fn flash_loans_and_treasury() {
    let (k, _) = keys();
    let (user, token) = (Pubkey::new_unique(), Pubkey::new_unique());
    let vault_authority = pda::vault_authority(&k.reserve);
    let instructions = solana_instructions_sysvar_id();
    assert_eq!(
        flash_borrow(user, &k, token, 5),
        anchor(
            ballast::accounts::FlashBorrow {
                user,
                market: k.market,
                reserve: k.reserve,
                mint: k.mint,
                vault: k.vault,
                vault_authority,
                destination: token,
                token_program: k.token_program,
                instructions,
            },
            ballast::instruction::FlashBorrow { amount: 5 },
            &[]
        )
    );
    assert_eq!(
        flash_repay(user, &k, token, 5),
        anchor(
            ballast::accounts::FlashRepay {
                user,
                market: k.market,
                reserve: k.reserve,
                mint: k.mint,
                vault: k.vault,
                source: token,
                token_program: k.token_program,
                instructions,
            },
            ballast::instruction::FlashRepay { amount: 5 },
            &[]
        )
    );
    let treasury = || ballast::accounts::TreasuryWithdrawal {
        authority: user,
        market: k.market,
        reserve: k.reserve,
        mint: k.mint,
        vault: k.vault,
        vault_authority,
        destination: token,
        token_program: k.token_program,
    };
    assert_eq!(
        withdraw_protocol_fees(user, &k, token, 6),
        anchor(treasury(), ballast::instruction::WithdrawProtocolFees { amount: 6 }, &[])
    );
    assert_eq!(
        withdraw_insurance(user, &k, token, 7),
        anchor(treasury(), ballast::instruction::WithdrawInsurance { amount: 7 }, &[])
    );
}

#[test]
fn further_obligations() {
    let (market, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
    let obligation = pda::obligation_with_id(&market, &owner, 3);
    assert_ne!(obligation, pda::obligation(&market, &owner));
    assert_eq!(pda::obligation_with_id(&market, &owner, 0), pda::obligation(&market, &owner));
    assert_eq!(
        init_sub_obligation(owner, market, 3),
        anchor(
            ballast::accounts::InitSubObligation {
                owner,
                market,
                obligation,
                system_program: anchor_lang::system_program::ID,
            },
            ballast::instruction::InitSubObligation { obligation_id: 3 },
            &[]
        )
    );
}
