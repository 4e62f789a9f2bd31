//! Instruction builders with the account lists the program expects: `ballast_interface::ix`
//! with the client's key and instruction types. The tests check each one against the program's
//! own Anchor account structs and instruction data.

use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use ballast::{MarketConfigParams, ReserveConfigParams};
use ballast_interface::ix;

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

    /// With the vault authority PDA, as the interface's builders take them.
    pub fn interface(&self) -> ix::ReserveKeys<Pubkey> {
        ix::ReserveKeys {
            market: self.market,
            reserve: self.reserve,
            mint: self.mint,
            vault: self.vault,
            vault_authority: pda::vault_authority(&self.reserve),
            oracle: self.oracle,
            token_program: self.token_program,
        }
    }
}

/// Health accounts: one read-only `(reserve, oracle)` pair per position, in position order.
pub fn health_account_metas(pairs: &[(Pubkey, Pubkey)]) -> Vec<AccountMeta> {
    ix::health_account_metas(pairs).into_iter().map(meta).collect()
}

fn meta(m: ix::AccountMeta<Pubkey>) -> AccountMeta {
    AccountMeta { pubkey: m.pubkey, is_signer: m.is_signer, is_writable: m.is_writable }
}

fn instruction(built: ix::Instruction<Pubkey>) -> Instruction {
    Instruction { program_id: ballast::ID, accounts: built.accounts.into_iter().map(meta).collect(), data: built.data }
}

pub fn init_market(
    authority: Pubkey,
    market: Pubkey,
    quote_currency: [u8; 8],
    params: MarketConfigParams,
) -> Instruction {
    instruction(ix::init_market(authority, market, quote_currency, &params))
}

pub fn update_market_config(authority: Pubkey, market: Pubkey, params: MarketConfigParams) -> Instruction {
    instruction(ix::update_market_config(authority, market, &params))
}

pub fn init_reserve(
    authority: Pubkey,
    keys: &ReserveKeys,
    seed_source: Pubkey,
    params: ReserveConfigParams,
    initial_deposit: u64,
) -> Instruction {
    instruction(ix::init_reserve(authority, &keys.interface(), seed_source, &params, initial_deposit))
}

pub fn update_reserve_config(authority: Pubkey, keys: &ReserveKeys, params: ReserveConfigParams) -> Instruction {
    instruction(ix::update_reserve_config(authority, &keys.interface(), &params))
}

pub fn init_obligation(owner: Pubkey, market: Pubkey) -> Instruction {
    instruction(ix::init_obligation(owner, market, pda::obligation(&market, &owner)))
}

pub fn close_obligation(owner: Pubkey, market: Pubkey) -> Instruction {
    close_obligation_at(owner, pda::obligation(&market, &owner))
}

pub fn deposit(owner: Pubkey, keys: &ReserveKeys, source: Pubkey, amount: u64) -> Instruction {
    deposit_to(owner, keys, pda::obligation(&keys.market, &owner), source, amount)
}

/// `health` lists the obligation's positions after the withdraw.
pub fn withdraw(
    owner: Pubkey,
    keys: &ReserveKeys,
    destination: Pubkey,
    amount: u64,
    health: &[(Pubkey, Pubkey)],
) -> Instruction {
    withdraw_from(owner, keys, pda::obligation(&keys.market, &owner), destination, amount, health)
}

/// The owner's actions on one of their obligations named by key (`pda::obligation_with_id`):
/// the functions above act on obligation number 0.
pub fn close_obligation_at(owner: Pubkey, obligation: Pubkey) -> Instruction {
    instruction(ix::close_obligation(owner, obligation))
}

pub fn deposit_to(owner: Pubkey, keys: &ReserveKeys, obligation: Pubkey, source: Pubkey, amount: u64) -> Instruction {
    instruction(ix::deposit(owner, &keys.interface(), obligation, source, amount))
}

pub fn withdraw_from(
    owner: Pubkey,
    keys: &ReserveKeys,
    obligation: Pubkey,
    destination: Pubkey,
    amount: u64,
    health: &[(Pubkey, Pubkey)],
) -> Instruction {
    instruction(ix::withdraw(owner, &keys.interface(), obligation, destination, amount, health))
}

pub fn borrow_from(
    owner: Pubkey,
    keys: &ReserveKeys,
    obligation: Pubkey,
    destination: Pubkey,
    amount: u64,
    health: &[(Pubkey, Pubkey)],
) -> Instruction {
    instruction(ix::borrow(owner, &keys.interface(), obligation, destination, amount, health))
}

/// `owner`'s further obligation number `obligation_id` (1 to 255) in `market`.
pub fn init_sub_obligation(owner: Pubkey, market: Pubkey, obligation_id: u8) -> Instruction {
    let obligation = pda::obligation_with_id(&market, &owner, obligation_id);
    instruction(ix::init_sub_obligation(owner, market, obligation, obligation_id))
}

/// `health` lists the obligation's positions after the borrow.
pub fn borrow(
    owner: Pubkey,
    keys: &ReserveKeys,
    destination: Pubkey,
    amount: u64,
    health: &[(Pubkey, Pubkey)],
) -> Instruction {
    borrow_from(owner, keys, pda::obligation(&keys.market, &owner), destination, amount, health)
}

pub fn repay(payer: Pubkey, keys: &ReserveKeys, obligation: Pubkey, source: Pubkey, amount: u64) -> Instruction {
    instruction(ix::repay(payer, &keys.interface(), obligation, source, amount))
}

/// `health` lists the obligation's positions before the liquidation. The collateral arrives as
/// tokens in `collateral_destination`.
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
    let args = ix::LiquidationArgs {
        repay_source,
        collateral_destination,
        repay_amount,
        min_collateral_out,
        receive_shares_into: None,
    };
    liquidate_with(liquidator, obligation, repay, collateral, args, health)
}

/// As [`liquidate`], but the collateral is credited as supply shares to the liquidator's own
/// obligation in the market (`receive_shares`): no token leaves the collateral vault, so it works
/// when the vault's liquidity is all borrowed. `collateral_destination` is not used then.
#[allow(clippy::too_many_arguments)]
pub fn liquidate_into_shares(
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
    let args = ix::LiquidationArgs {
        repay_source,
        collateral_destination,
        repay_amount,
        min_collateral_out,
        receive_shares_into: Some(pda::obligation(&repay.market, &liquidator)),
    };
    liquidate_with(liquidator, obligation, repay, collateral, args, health)
}

fn liquidate_with(
    liquidator: Pubkey,
    obligation: Pubkey,
    repay: &ReserveKeys,
    collateral: &ReserveKeys,
    args: ix::LiquidationArgs<Pubkey>,
    health: &[(Pubkey, Pubkey)],
) -> Instruction {
    instruction(ix::liquidate(liquidator, obligation, &repay.interface(), &collateral.interface(), &args, health))
}

/// `health`: none once the collateral is gone; every position's (reserve, oracle) while dust
/// remains.
pub fn socialize_loss(market: Pubkey, obligation: Pubkey, reserve: Pubkey, health: &[(Pubkey, Pubkey)]) -> Instruction {
    instruction(ix::socialize_loss(market, obligation, reserve, health))
}

/// `owner`'s obligation in `market` margined by classic weights (0) or scenarios (1); `health`:
/// every position's (reserve, oracle).
pub fn set_margin_mode(owner: Pubkey, market: Pubkey, margin_mode: u8, health: &[(Pubkey, Pubkey)]) -> Instruction {
    instruction(ix::set_margin_mode(owner, market, pda::obligation(&market, &owner), margin_mode, health))
}

/// `owner`'s deposit in `reserve` counts as collateral or not; `health`: every position's
/// (reserve, oracle).
pub fn set_collateral(
    owner: Pubkey,
    market: Pubkey,
    reserve: Pubkey,
    collateral: bool,
    health: &[(Pubkey, Pubkey)],
) -> Instruction {
    instruction(ix::set_collateral(owner, market, pda::obligation(&market, &owner), reserve, collateral, health))
}

/// Permissionless: starts (or stops, once healthy) the Dutch auction's clock on `obligation`;
/// `health`: every position's (reserve, oracle).
pub fn mark_liquidatable(market: Pubkey, obligation: Pubkey, health: &[(Pubkey, Pubkey)]) -> Instruction {
    instruction(ix::mark_liquidatable(market, obligation, health))
}

/// Read-only: simulate it and decode the return data as `ballast::HealthReport`.
pub fn get_health(market: Pubkey, obligation: Pubkey, initial: bool, health: &[(Pubkey, Pubkey)]) -> Instruction {
    instruction(ix::get_health(market, obligation, initial, health))
}

/// Active (0), reduce-only (1) or paused (2).
pub fn set_reserve_status(authority: Pubkey, keys: &ReserveKeys, status: u8) -> Instruction {
    instruction(ix::set_reserve_status(authority, keys.market, keys.reserve, status))
}

/// Pauses deposits, withdrawals and borrows for `duration_secs` (0 ends a pause).
pub fn pause_market(authority: Pubkey, market: Pubkey, duration_secs: u64) -> Instruction {
    instruction(ix::pause_market(authority, market, duration_secs))
}

pub fn propose_authority(authority: Pubkey, market: Pubkey, new_authority: Pubkey) -> Instruction {
    instruction(ix::propose_authority(authority, market, new_authority))
}

pub fn accept_authority(new_authority: Pubkey, market: Pubkey) -> Instruction {
    instruction(ix::accept_authority(new_authority, market))
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

#[cfg(test)]
#[path = "instructions_tests.rs"]
mod tests;

/// A flash loan of `amount` to `destination`; the transaction must end it with [`flash_repay`]
/// of the same reserve and amount, later and at the top level.
pub fn flash_borrow(user: Pubkey, keys: &ReserveKeys, destination: Pubkey, amount: u64) -> Instruction {
    instruction(ix::flash_borrow(user, &keys.interface(), destination, amount))
}

/// Ends the open flash loan: `source` pays `amount` plus the reserve's fee
/// ([`ballast_math::treasury::TreasuryConfig::flash_loan_fee`]).
pub fn flash_repay(user: Pubkey, keys: &ReserveKeys, source: Pubkey, amount: u64) -> Instruction {
    instruction(ix::flash_repay(user, &keys.interface(), source, amount))
}

/// Market authority: `amount` (`u64::MAX`: all) of accrued protocol fees to `destination`, a
/// token account of the market's fee receiver.
pub fn withdraw_protocol_fees(authority: Pubkey, keys: &ReserveKeys, destination: Pubkey, amount: u64) -> Instruction {
    instruction(ix::withdraw_protocol_fees(authority, &keys.interface(), destination, amount))
}

/// Market authority: `amount` (`u64::MAX`: all above the floor) of insurance to `destination`.
pub fn withdraw_insurance(authority: Pubkey, keys: &ReserveKeys, destination: Pubkey, amount: u64) -> Instruction {
    instruction(ix::withdraw_insurance(authority, &keys.interface(), destination, amount))
}
