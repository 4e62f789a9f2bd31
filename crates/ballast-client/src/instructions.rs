//! Instruction builders with the account lists the program expects.

use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use ballast::{MarketConfigParams, ReserveConfigParams};

use crate::pda;

/// The accounts that identify a reserve in a market.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReserveKeys {
    pub market: Pubkey,
    pub reserve: Pubkey,
    pub mint: Pubkey,
    pub vault: Pubkey,
    pub oracle: Pubkey,
    pub token_program: Pubkey,
}

impl ReserveKeys {
    pub fn new(market: Pubkey, mint: Pubkey, oracle: Pubkey, token_program: Pubkey) -> Self {
        let reserve = pda::reserve(&market, &mint);
        ReserveKeys { market, reserve, mint, vault: pda::vault(&reserve), oracle, token_program }
    }
}

/// Health accounts: one read-only `(reserve, oracle)` pair per position, in position order.
pub fn health_account_metas(pairs: &[(Pubkey, Pubkey)]) -> Vec<AccountMeta> {
    pairs
        .iter()
        .flat_map(|(reserve, oracle)| {
            [AccountMeta::new_readonly(*reserve, false), AccountMeta::new_readonly(*oracle, false)]
        })
        .collect()
}

fn instruction(accounts: impl ToAccountMetas, data: impl InstructionData, health: &[(Pubkey, Pubkey)]) -> Instruction {
    let mut metas = accounts.to_account_metas(None);
    metas.extend(health_account_metas(health));
    Instruction { program_id: ballast::ID, accounts: metas, data: data.data() }
}

pub fn init_market(
    authority: Pubkey,
    market: Pubkey,
    quote_currency: [u8; 8],
    params: MarketConfigParams,
) -> Instruction {
    instruction(
        ballast::accounts::InitMarket { authority, market, system_program: system_program::ID },
        ballast::instruction::InitMarket { quote_currency, params },
        &[],
    )
}

pub fn update_market_config(authority: Pubkey, market: Pubkey, params: MarketConfigParams) -> Instruction {
    instruction(
        ballast::accounts::UpdateMarketConfig { authority, market },
        ballast::instruction::UpdateMarketConfig { params },
        &[],
    )
}

pub fn init_reserve(
    authority: Pubkey,
    keys: &ReserveKeys,
    seed_source: Pubkey,
    params: ReserveConfigParams,
    initial_deposit: u64,
) -> Instruction {
    instruction(
        ballast::accounts::InitReserve {
            authority,
            market: keys.market,
            reserve: keys.reserve,
            mint: keys.mint,
            vault_authority: pda::vault_authority(&keys.reserve),
            vault: keys.vault,
            oracle: keys.oracle,
            seed_source,
            token_program: keys.token_program,
            system_program: system_program::ID,
        },
        ballast::instruction::InitReserve { params, initial_deposit },
        &[],
    )
}

pub fn update_reserve_config(authority: Pubkey, keys: &ReserveKeys, params: ReserveConfigParams) -> Instruction {
    instruction(
        ballast::accounts::UpdateReserveConfig {
            authority,
            market: keys.market,
            reserve: keys.reserve,
            oracle: keys.oracle,
        },
        ballast::instruction::UpdateReserveConfig { params },
        &[],
    )
}

pub fn init_obligation(owner: Pubkey, market: Pubkey) -> Instruction {
    instruction(
        ballast::accounts::InitObligation {
            owner,
            market,
            obligation: pda::obligation(&market, &owner),
            system_program: system_program::ID,
        },
        ballast::instruction::InitObligation {},
        &[],
    )
}

pub fn close_obligation(owner: Pubkey, market: Pubkey) -> Instruction {
    instruction(
        ballast::accounts::CloseObligation { owner, obligation: pda::obligation(&market, &owner) },
        ballast::instruction::CloseObligation {},
        &[],
    )
}

pub fn deposit(owner: Pubkey, keys: &ReserveKeys, source: Pubkey, amount: u64) -> Instruction {
    instruction(
        ballast::accounts::Deposit {
            owner,
            market: keys.market,
            reserve: keys.reserve,
            obligation: pda::obligation(&keys.market, &owner),
            mint: keys.mint,
            vault: keys.vault,
            source,
            token_program: keys.token_program,
        },
        ballast::instruction::Deposit { amount },
        &[],
    )
}

/// `health` lists the obligation's positions after the withdraw.
pub fn withdraw(
    owner: Pubkey,
    keys: &ReserveKeys,
    destination: Pubkey,
    amount: u64,
    health: &[(Pubkey, Pubkey)],
) -> Instruction {
    instruction(
        ballast::accounts::Withdraw {
            owner,
            market: keys.market,
            reserve: keys.reserve,
            obligation: pda::obligation(&keys.market, &owner),
            mint: keys.mint,
            vault: keys.vault,
            vault_authority: pda::vault_authority(&keys.reserve),
            destination,
            token_program: keys.token_program,
        },
        ballast::instruction::Withdraw { amount },
        health,
    )
}

/// `health` lists the obligation's positions after the borrow.
pub fn borrow(
    owner: Pubkey,
    keys: &ReserveKeys,
    destination: Pubkey,
    amount: u64,
    health: &[(Pubkey, Pubkey)],
) -> Instruction {
    instruction(
        ballast::accounts::Borrow {
            owner,
            market: keys.market,
            reserve: keys.reserve,
            obligation: pda::obligation(&keys.market, &owner),
            mint: keys.mint,
            vault: keys.vault,
            vault_authority: pda::vault_authority(&keys.reserve),
            destination,
            token_program: keys.token_program,
        },
        ballast::instruction::Borrow { amount },
        health,
    )
}

pub fn repay(payer: Pubkey, keys: &ReserveKeys, obligation: Pubkey, source: Pubkey, amount: u64) -> Instruction {
    instruction(
        ballast::accounts::Repay {
            payer,
            market: keys.market,
            reserve: keys.reserve,
            obligation,
            mint: keys.mint,
            vault: keys.vault,
            source,
            token_program: keys.token_program,
        },
        ballast::instruction::Repay { amount },
        &[],
    )
}

/// `health` lists the obligation's positions before the liquidation.
#[allow(clippy::too_many_arguments)]
pub fn liquidate(
    liquidator: Pubkey,
    obligation: Pubkey,
    repay: &ReserveKeys,
    repay_source: Pubkey,
    collateral: &ReserveKeys,
    collateral_destination: Pubkey,
    repay_amount: u64,
    min_collateral_out: u64,
    health: &[(Pubkey, Pubkey)],
) -> Instruction {
    instruction(
        ballast::accounts::Liquidate {
            liquidator,
            market: repay.market,
            obligation,
            repay_reserve: repay.reserve,
            repay_mint: repay.mint,
            repay_vault: repay.vault,
            repay_source,
            collateral_reserve: collateral.reserve,
            collateral_mint: collateral.mint,
            collateral_vault: collateral.vault,
            collateral_vault_authority: pda::vault_authority(&collateral.reserve),
            collateral_destination,
            repay_token_program: repay.token_program,
            collateral_token_program: collateral.token_program,
        },
        ballast::instruction::Liquidate { repay_amount, min_collateral_out },
        health,
    )
}

pub fn socialize_loss(market: Pubkey, obligation: Pubkey, reserve: Pubkey) -> Instruction {
    instruction(
        ballast::accounts::SocializeLoss { market, obligation, reserve },
        ballast::instruction::SocializeLoss {},
        &[],
    )
}

/// Read-only: simulate it and decode the return data as `ballast::HealthReport`.
pub fn get_health(market: Pubkey, obligation: Pubkey, initial: bool, health: &[(Pubkey, Pubkey)]) -> Instruction {
    instruction(
        ballast::accounts::GetHealth { market, obligation },
        ballast::instruction::GetHealth { initial },
        health,
    )
}

/// Active (0), reduce-only (1) or paused (2).
pub fn set_reserve_status(authority: Pubkey, keys: &ReserveKeys, status: u8) -> Instruction {
    instruction(
        ballast::accounts::SetReserveStatus { authority, market: keys.market, reserve: keys.reserve },
        ballast::instruction::SetReserveStatus { status },
        &[],
    )
}

/// Pauses deposits, withdrawals and borrows for `duration_secs` (0 ends a pause).
pub fn pause_market(authority: Pubkey, market: Pubkey, duration_secs: u64) -> Instruction {
    instruction(
        ballast::accounts::MarketAuthority { authority, market },
        ballast::instruction::PauseMarket { duration_secs },
        &[],
    )
}

pub fn propose_authority(authority: Pubkey, market: Pubkey, new_authority: Pubkey) -> Instruction {
    instruction(
        ballast::accounts::MarketAuthority { authority, market },
        ballast::instruction::ProposeAuthority { new_authority },
        &[],
    )
}

pub fn accept_authority(new_authority: Pubkey, market: Pubkey) -> Instruction {
    instruction(
        ballast::accounts::AcceptAuthority { new_authority, market },
        ballast::instruction::AcceptAuthority {},
        &[],
    )
}

/// The associated token program's `CreateIdempotent`: creates `wallet`'s associated token
/// account for `mint` (paid by `payer`) unless it exists.
pub fn create_associated_token_account_idempotent(
    payer: Pubkey,
    wallet: Pubkey,
    mint: Pubkey,
    token_program: Pubkey,
) -> Instruction {
    Instruction {
        program_id: pda::ASSOCIATED_TOKEN_PROGRAM,
        accounts: vec![
            AccountMeta::new(payer, true),
            AccountMeta::new(pda::associated_token_address(&wallet, &mint, &token_program), false),
            AccountMeta::new_readonly(wallet, false),
            AccountMeta::new_readonly(mint, false),
            AccountMeta::new_readonly(system_program::ID, false),
            AccountMeta::new_readonly(token_program, false),
        ],
        data: vec![1],
    }
}
