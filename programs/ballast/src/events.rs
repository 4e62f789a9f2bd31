//! Events for indexers, bots and auditors. Amounts are base units; values are USD Wads.

use anchor_lang::prelude::*;

#[event]
pub struct DepositEvent {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    pub amount: u64,
    pub supply_shares_minted: u64,
}

#[event]
pub struct WithdrawEvent {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    pub amount: u64,
    pub supply_shares_burned: u64,
    /// Initial health after the withdraw (both 0 when the obligation has no debt).
    pub weighted_collateral: u128,
    pub weighted_debt: u128,
}

#[event]
pub struct BorrowEvent {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    pub amount: u64,
    pub debt_shares_added: u128,
    pub weighted_collateral: u128,
    pub weighted_debt: u128,
}

#[event]
pub struct RepayEvent {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    pub payer: Pubkey,
    pub amount: u64,
    pub debt_shares_burned: u128,
}
