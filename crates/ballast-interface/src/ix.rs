//! Instruction builders: each instruction's account list (order, signer and writable flags) and
//! its data (Anchor discriminator, then borsh arguments). Generic over the key type, so the
//! client (agave 3.x keys), the sBPF runner (agave 4.x keys) and tests build the same bytes; the
//! client's tests check every builder against the program's own Anchor account structs.
//!
//! Keys the program derives (obligation, vault authority) are passed in; derive them from
//! [`crate::ids`]' seeds.

use alloc::vec::Vec;
use borsh::BorshSerialize;

use crate::ids::{instruction_discriminator as d, PROGRAM_ID, SYSTEM_PROGRAM_ID};

/// What a key type must offer: built from and read as 32 bytes.
pub trait Key: Copy + From<[u8; 32]> + AsRef<[u8]> {}
impl<K: Copy + From<[u8; 32]> + AsRef<[u8]>> Key for K {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountMeta<K> {
    pub pubkey: K,
    pub is_signer: bool,
    pub is_writable: bool,
}

/// A Ballast instruction (the program id is [`crate::ids::PROGRAM_ID`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction<K> {
    pub accounts: Vec<AccountMeta<K>>,
    pub data: Vec<u8>,
}

/// The accounts that identify a reserve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReserveKeys<K> {
    pub market: K,
    pub reserve: K,
    pub mint: K,
    pub vault: K,
    pub vault_authority: K,
    pub oracle: K,
    pub token_program: K,
}

fn writable<K>(pubkey: K) -> AccountMeta<K> {
    AccountMeta { pubkey, is_signer: false, is_writable: true }
}
fn readonly<K>(pubkey: K) -> AccountMeta<K> {
    AccountMeta { pubkey, is_signer: false, is_writable: false }
}
fn writable_signer<K>(pubkey: K) -> AccountMeta<K> {
    AccountMeta { pubkey, is_signer: true, is_writable: true }
}
fn readonly_signer<K>(pubkey: K) -> AccountMeta<K> {
    AccountMeta { pubkey, is_signer: true, is_writable: false }
}

/// Instruction data: the discriminator, then each argument's borsh bytes.
struct Data(Vec<u8>);

impl Data {
    fn new(discriminator: [u8; 8]) -> Data {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&discriminator);
        Data(bytes)
    }

    fn arg<T: BorshSerialize + ?Sized>(mut self, value: &T) -> Data {
        value.serialize(&mut self.0).expect("borsh into a Vec cannot fail");
        self
    }
}

/// Health accounts: one read-only `(reserve, oracle)` pair per position, in position order.
pub fn health_account_metas<K: Key>(pairs: &[(K, K)]) -> Vec<AccountMeta<K>> {
    pairs.iter().flat_map(|&(reserve, oracle)| [readonly(reserve), readonly(oracle)]).collect()
}

fn instruction<K: Key>(mut accounts: Vec<AccountMeta<K>>, data: Data, health: &[(K, K)]) -> Instruction<K> {
    accounts.extend(health_account_metas(health));
    Instruction { accounts, data: data.0 }
}

/// `params`: the program's `MarketConfigParams` or [`crate::raw::MarketConfigParams`] (the same
/// borsh bytes).
pub fn init_market<K: Key>(
    authority: K,
    market: K,
    quote_currency: [u8; 8],
    params: &impl BorshSerialize,
) -> Instruction<K> {
    instruction(
        [writable_signer(authority), writable_signer(market), readonly(K::from(SYSTEM_PROGRAM_ID))].into(),
        Data::new(d::INIT_MARKET).arg(&quote_currency).arg(params),
        &[],
    )
}

pub fn update_market_config<K: Key>(authority: K, market: K, params: &impl BorshSerialize) -> Instruction<K> {
    instruction(
        [readonly_signer(authority), writable(market)].into(),
        Data::new(d::UPDATE_MARKET_CONFIG).arg(params),
        &[],
    )
}

/// `params`: the program's `ReserveConfigParams` or [`crate::raw::ReserveConfigParams`].
pub fn init_reserve<K: Key>(
    authority: K,
    keys: &ReserveKeys<K>,
    seed_source: K,
    params: &impl BorshSerialize,
    initial_deposit: u64,
) -> Instruction<K> {
    instruction(
        [
            writable_signer(authority),
            writable(keys.market),
            writable(keys.reserve),
            readonly(keys.mint),
            readonly(keys.vault_authority),
            writable(keys.vault),
            readonly(keys.oracle),
            writable(seed_source),
            readonly(keys.token_program),
            readonly(K::from(SYSTEM_PROGRAM_ID)),
        ]
        .into(),
        Data::new(d::INIT_RESERVE).arg(params).arg(&initial_deposit),
        &[],
    )
}

pub fn update_reserve_config<K: Key>(
    authority: K,
    keys: &ReserveKeys<K>,
    params: &impl BorshSerialize,
) -> Instruction<K> {
    instruction(
        [readonly_signer(authority), readonly(keys.market), writable(keys.reserve), readonly(keys.oracle)].into(),
        Data::new(d::UPDATE_RESERVE_CONFIG).arg(params),
        &[],
    )
}

/// Active (0), reduce-only (1) or paused (2).
pub fn set_reserve_status<K: Key>(authority: K, market: K, reserve: K, status: u8) -> Instruction<K> {
    instruction(
        [readonly_signer(authority), readonly(market), writable(reserve)].into(),
        Data::new(d::SET_RESERVE_STATUS).arg(&status),
        &[],
    )
}

/// Pauses deposits, withdrawals and borrows for `duration_secs` (0 ends a pause).
pub fn pause_market<K: Key>(authority: K, market: K, duration_secs: u64) -> Instruction<K> {
    instruction(
        [readonly_signer(authority), writable(market)].into(),
        Data::new(d::PAUSE_MARKET).arg(&duration_secs),
        &[],
    )
}

pub fn propose_authority<K: Key>(authority: K, market: K, new_authority: K) -> Instruction<K> {
    let new_authority: [u8; 32] = new_authority.as_ref().try_into().expect("a key is 32 bytes");
    instruction(
        [readonly_signer(authority), writable(market)].into(),
        Data::new(d::PROPOSE_AUTHORITY).arg(&new_authority),
        &[],
    )
}

pub fn accept_authority<K: Key>(new_authority: K, market: K) -> Instruction<K> {
    instruction([readonly_signer(new_authority), writable(market)].into(), Data::new(d::ACCEPT_AUTHORITY), &[])
}

/// `obligation`: the PDA of [`crate::ids::obligation_seeds`]`(market, owner)`.
pub fn init_obligation<K: Key>(owner: K, market: K, obligation: K) -> Instruction<K> {
    instruction(
        [writable_signer(owner), readonly(market), writable(obligation), readonly(K::from(SYSTEM_PROGRAM_ID))].into(),
        Data::new(d::INIT_OBLIGATION),
        &[],
    )
}

/// `obligation`: the PDA of [`crate::ids::sub_obligation_seeds`]`(market, owner, [obligation_id])`.
pub fn init_sub_obligation<K: Key>(owner: K, market: K, obligation: K, obligation_id: u8) -> Instruction<K> {
    instruction(
        [writable_signer(owner), readonly(market), writable(obligation), readonly(K::from(SYSTEM_PROGRAM_ID))].into(),
        Data::new(d::INIT_SUB_OBLIGATION).arg(&obligation_id),
        &[],
    )
}

pub fn close_obligation<K: Key>(owner: K, obligation: K) -> Instruction<K> {
    instruction([writable_signer(owner), writable(obligation)].into(), Data::new(d::CLOSE_OBLIGATION), &[])
}

/// Deposit and repay share their account list: `signer` moves tokens from `source` into the
/// vault for `obligation`.
fn inflow<K: Key>(
    discriminator: [u8; 8],
    signer: K,
    keys: &ReserveKeys<K>,
    obligation: K,
    source: K,
    amount: u64,
) -> Instruction<K> {
    instruction(
        [
            readonly_signer(signer),
            readonly(keys.market),
            writable(keys.reserve),
            writable(obligation),
            readonly(keys.mint),
            writable(keys.vault),
            writable(source),
            readonly(keys.token_program),
        ]
        .into(),
        Data::new(discriminator).arg(&amount),
        &[],
    )
}

pub fn deposit<K: Key>(owner: K, keys: &ReserveKeys<K>, obligation: K, source: K, amount: u64) -> Instruction<K> {
    inflow(d::DEPOSIT, owner, keys, obligation, source, amount)
}

/// Withdraw and borrow share their account list; `health` lists the positions after the action.
fn outflow<K: Key>(
    discriminator: [u8; 8],
    owner: K,
    keys: &ReserveKeys<K>,
    obligation: K,
    destination: K,
    amount: u64,
    health: &[(K, K)],
) -> Instruction<K> {
    instruction(
        [
            readonly_signer(owner),
            readonly(keys.market),
            writable(keys.reserve),
            writable(obligation),
            readonly(keys.mint),
            writable(keys.vault),
            readonly(keys.vault_authority),
            writable(destination),
            readonly(keys.token_program),
        ]
        .into(),
        Data::new(discriminator).arg(&amount),
        health,
    )
}

/// `health` lists the obligation's positions after the withdraw.
pub fn withdraw<K: Key>(
    owner: K,
    keys: &ReserveKeys<K>,
    obligation: K,
    destination: K,
    amount: u64,
    health: &[(K, K)],
) -> Instruction<K> {
    outflow(d::WITHDRAW, owner, keys, obligation, destination, amount, health)
}

/// `health` lists the obligation's positions after the borrow.
pub fn borrow<K: Key>(
    owner: K,
    keys: &ReserveKeys<K>,
    obligation: K,
    destination: K,
    amount: u64,
    health: &[(K, K)],
) -> Instruction<K> {
    outflow(d::BORROW, owner, keys, obligation, destination, amount, health)
}

/// Anyone may repay any obligation's debt.
pub fn repay<K: Key>(payer: K, keys: &ReserveKeys<K>, obligation: K, source: K, amount: u64) -> Instruction<K> {
    inflow(d::REPAY, payer, keys, obligation, source, amount)
}

/// The token accounts, amounts and payout of a liquidation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiquidationArgs<K> {
    pub repay_source: K,
    pub collateral_destination: K,
    pub repay_amount: u64,
    pub min_collateral_out: u64,
    /// `Some(the liquidator's obligation)`: take the collateral as supply shares credited to it
    /// (`receive_shares`), whatever the vault holds; `None`: as tokens to the destination.
    pub receive_shares_into: Option<K>,
}

/// `health` lists the obligation's positions before the liquidation.
pub fn liquidate<K: Key>(
    liquidator: K,
    obligation: K,
    repay: &ReserveKeys<K>,
    collateral: &ReserveKeys<K>,
    args: &LiquidationArgs<K>,
    health: &[(K, K)],
) -> Instruction<K> {
    instruction(
        [
            readonly_signer(liquidator),
            readonly(repay.market),
            writable(obligation),
            writable(repay.reserve),
            readonly(repay.mint),
            writable(repay.vault),
            writable(args.repay_source),
            writable(collateral.reserve),
            readonly(collateral.mint),
            writable(collateral.vault),
            readonly(collateral.vault_authority),
            writable(args.collateral_destination),
            readonly(repay.token_program),
            readonly(collateral.token_program),
            // Anchor's optional account: the program id stands for "none".
            match args.receive_shares_into {
                Some(obligation) => writable(obligation),
                None => readonly(K::from(PROGRAM_ID)),
            },
        ]
        .into(),
        Data::new(d::LIQUIDATE)
            .arg(&args.repay_amount)
            .arg(&args.min_collateral_out)
            .arg(&args.receive_shares_into.is_some()),
        health,
    )
}

/// `health`: none once the collateral is gone; every position's pair while dust remains.
pub fn socialize_loss<K: Key>(market: K, obligation: K, reserve: K, health: &[(K, K)]) -> Instruction<K> {
    let accounts = [readonly(market), writable(obligation), writable(reserve)].into();
    instruction(accounts, Data::new(d::SOCIALIZE_LOSS), health)
}

/// The owner's choice of margin (0 classic weights, 1 scenario margin); `health`: every
/// position's pair (checked when the obligation has debt).
pub fn set_margin_mode<K: Key>(
    owner: K,
    market: K,
    obligation: K,
    margin_mode: u8,
    health: &[(K, K)],
) -> Instruction<K> {
    let accounts = [readonly_signer(owner), readonly(market), writable(obligation)].into();
    instruction(accounts, Data::new(d::SET_MARGIN_MODE).arg(&margin_mode), health)
}

/// The owner's deposit in `reserve` counts as collateral (`true`) or not; `health`: every
/// position's pair (checked when collateral is turned off with debt).
pub fn set_collateral<K: Key>(
    owner: K,
    market: K,
    obligation: K,
    reserve: K,
    collateral: bool,
    health: &[(K, K)],
) -> Instruction<K> {
    let accounts = [readonly_signer(owner), readonly(market), writable(obligation)].into();
    let reserve: [u8; 32] = reserve.as_ref().try_into().expect("a key is 32 bytes");
    let data = Data::new(d::SET_COLLATERAL).arg(&reserve).arg(&collateral);
    instruction(accounts, data, health)
}

/// Permissionless: starts the Dutch auction's clock on a liquidatable obligation, or stops it on a
/// healthy one; `health`: every position's pair.
pub fn mark_liquidatable<K: Key>(market: K, obligation: K, health: &[(K, K)]) -> Instruction<K> {
    instruction([readonly(market), writable(obligation)].into(), Data::new(d::MARK_LIQUIDATABLE), health)
}

/// Read-only: simulate it and decode the return data as `HealthReport`.
pub fn get_health<K: Key>(market: K, obligation: K, initial: bool, health: &[(K, K)]) -> Instruction<K> {
    instruction([readonly(market), readonly(obligation)].into(), Data::new(d::GET_HEALTH).arg(&initial), health)
}

/// A flash loan of `amount` from the reserve's vault to `destination`. The same transaction must
/// end it with [`flash_repay`] of the same reserve and amount, later and at the top level.
pub fn flash_borrow<K: Key>(user: K, keys: &ReserveKeys<K>, destination: K, amount: u64) -> Instruction<K> {
    let accounts = [
        readonly_signer(user),
        readonly(keys.market),
        writable(keys.reserve),
        readonly(keys.mint),
        writable(keys.vault),
        readonly(keys.vault_authority),
        writable(destination),
        readonly(keys.token_program),
        readonly(K::from(crate::ids::INSTRUCTIONS_SYSVAR_ID)),
    ];
    instruction(accounts.into(), Data::new(d::FLASH_BORROW).arg(&amount), &[])
}

/// Ends the open flash loan: `source` pays `amount` (what was lent) plus the reserve's fee.
pub fn flash_repay<K: Key>(user: K, keys: &ReserveKeys<K>, source: K, amount: u64) -> Instruction<K> {
    let accounts = [
        readonly_signer(user),
        readonly(keys.market),
        writable(keys.reserve),
        readonly(keys.mint),
        writable(keys.vault),
        writable(source),
        readonly(keys.token_program),
        readonly(K::from(crate::ids::INSTRUCTIONS_SYSVAR_ID)),
    ];
    instruction(accounts.into(), Data::new(d::FLASH_REPAY).arg(&amount), &[])
}

/// The market authority's withdrawal of accrued protocol fees or insurance to `destination`, a
/// token account of the market's fee receiver.
fn treasury_withdrawal<K: Key>(
    discriminator: [u8; 8],
    authority: K,
    keys: &ReserveKeys<K>,
    destination: K,
    amount: u64,
) -> Instruction<K> {
    let accounts = [
        readonly_signer(authority),
        readonly(keys.market),
        writable(keys.reserve),
        readonly(keys.mint),
        writable(keys.vault),
        readonly(keys.vault_authority),
        writable(destination),
        readonly(keys.token_program),
    ];
    instruction(accounts.into(), Data::new(discriminator).arg(&amount), &[])
}

/// `amount` base units of accrued protocol fees (`u64::MAX`: all).
pub fn withdraw_protocol_fees<K: Key>(
    authority: K,
    keys: &ReserveKeys<K>,
    destination: K,
    amount: u64,
) -> Instruction<K> {
    treasury_withdrawal(d::WITHDRAW_PROTOCOL_FEES, authority, keys, destination, amount)
}

/// `amount` base units of insurance above the reserve's floor (`u64::MAX`: all above it).
pub fn withdraw_insurance<K: Key>(authority: K, keys: &ReserveKeys<K>, destination: K, amount: u64) -> Instruction<K> {
    treasury_withdrawal(d::WITHDRAW_INSURANCE, authority, keys, destination, amount)
}
