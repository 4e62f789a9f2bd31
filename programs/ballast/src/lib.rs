//! Ballast: an over-collateralised lending protocol.
//!
//! Every number is computed by `ballast-math`; this crate validates accounts, moves tokens and
//! stores state. See `../../shared/DESIGN.md` and the README for the rules.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

#[cfg(feature = "sbf-entrypoint")]
mod entrypoint;
pub mod errors;
pub mod events;
pub mod flash;
pub mod health;
pub mod instructions;
pub mod oracle;
pub mod params;
pub mod runtime;
pub mod state;
pub mod token;

pub use instructions::*;
pub use params::*;

declare_id!("AxKxQ7pR8RKQDTo5BycZbrhA4qz2eDT5Y4gpNLBbW9A");

#[program]
pub mod ballast {
    use super::*;

    pub fn init_market(ctx: Context<InitMarket>, quote_currency: [u8; 8], params: MarketConfigParams) -> Result<()> {
        instructions::init_market::handler(ctx, quote_currency, params)
    }

    pub fn update_market_config(ctx: Context<UpdateMarketConfig>, params: MarketConfigParams) -> Result<()> {
        instructions::update_market_config::handler(ctx, params)
    }

    pub fn init_reserve(ctx: Context<InitReserve>, params: ReserveConfigParams, initial_deposit: u64) -> Result<()> {
        instructions::init_reserve::handler(ctx, params, initial_deposit)
    }

    pub fn update_reserve_config(ctx: Context<UpdateReserveConfig>, params: ReserveConfigParams) -> Result<()> {
        instructions::update_reserve_config::handler(ctx, params)
    }

    pub fn set_reserve_status(ctx: Context<SetReserveStatus>, status: u8) -> Result<()> {
        instructions::set_reserve_status::handler(ctx, status)
    }

    pub fn pause_market(ctx: Context<MarketAuthority>, duration_secs: u64) -> Result<()> {
        instructions::pause_market::handler(ctx, duration_secs)
    }

    pub fn propose_authority(ctx: Context<MarketAuthority>, new_authority: Pubkey) -> Result<()> {
        instructions::propose_authority::handler(ctx, new_authority)
    }

    pub fn accept_authority(ctx: Context<AcceptAuthority>) -> Result<()> {
        instructions::accept_authority::handler(ctx)
    }

    pub fn init_obligation(ctx: Context<InitObligation>) -> Result<()> {
        instructions::init_obligation::handler(ctx)
    }

    pub fn init_sub_obligation(ctx: Context<InitSubObligation>, obligation_id: u8) -> Result<()> {
        instructions::init_sub_obligation::handler(ctx, obligation_id)
    }

    pub fn close_obligation(ctx: Context<CloseObligation>) -> Result<()> {
        instructions::close_obligation::handler(ctx)
    }

    pub fn deposit(ctx: Context<Deposit>, amount: u64) -> Result<()> {
        instructions::deposit::handler(ctx, amount)
    }

    pub fn withdraw<'info>(ctx: Context<'info, Outflow<'info>>, amount: u64) -> Result<()> {
        instructions::withdraw::handler(ctx, amount)
    }

    pub fn borrow<'info>(ctx: Context<'info, Outflow<'info>>, amount: u64) -> Result<()> {
        instructions::borrow::handler(ctx, amount)
    }

    pub fn repay(ctx: Context<Repay>, amount: u64) -> Result<()> {
        instructions::repay::handler(ctx, amount)
    }

    pub fn liquidate<'info>(
        ctx: Context<'info, Liquidate<'info>>,
        repay_amount: u64,
        min_collateral_out: u64,
        receive_shares: bool,
    ) -> Result<()> {
        instructions::liquidate::handler(ctx, repay_amount, min_collateral_out, receive_shares)
    }

    pub fn socialize_loss<'info>(ctx: Context<'info, SocializeLoss<'info>>) -> Result<()> {
        instructions::socialize_loss::handler(ctx)
    }

    pub fn set_margin_mode<'info>(ctx: Context<'info, SetMarginMode<'info>>, margin_mode: u8) -> Result<()> {
        instructions::set_margin_mode::handler(ctx, margin_mode)
    }

    pub fn set_collateral<'info>(
        ctx: Context<'info, SetCollateral<'info>>,
        reserve: Pubkey,
        collateral: bool,
    ) -> Result<()> {
        instructions::set_collateral::handler(ctx, reserve, collateral)
    }

    pub fn mark_liquidatable<'info>(ctx: Context<'info, MarkLiquidatable<'info>>) -> Result<()> {
        instructions::mark_liquidatable::handler(ctx)
    }

    pub fn flash_borrow(ctx: Context<FlashBorrow>, amount: u64) -> Result<()> {
        instructions::flash_borrow::handler(ctx, amount)
    }

    pub fn flash_repay(ctx: Context<FlashRepay>, amount: u64) -> Result<()> {
        instructions::flash_repay::handler(ctx, amount)
    }

    pub fn withdraw_protocol_fees(ctx: Context<TreasuryWithdrawal>, amount: u64) -> Result<()> {
        instructions::withdraw_protocol_fees::handler(ctx, amount)
    }

    pub fn withdraw_insurance(ctx: Context<TreasuryWithdrawal>, amount: u64) -> Result<()> {
        instructions::withdraw_insurance::handler(ctx, amount)
    }

    pub fn get_health<'info>(ctx: Context<'info, GetHealth<'info>>, initial: bool) -> Result<HealthReport> {
        instructions::get_health::handler(ctx, initial)
    }
}

/// `memcmp`/`bcmp` through Solana's `sol_memcmp_` syscall (as platform-tools' compiler-builtins
/// provide them) instead of compiler-builtins' byte loop: every `Pubkey` comparison is one. Same
/// result sign (the syscall returns the difference of the first differing bytes).
#[cfg(target_os = "solana")]
mod mem_syscalls {
    use core::ffi::c_void;

    extern "C" {
        fn sol_memcmp_(s1: *const u8, s2: *const u8, n: u64, result: *mut i32);
    }

    #[no_mangle]
    pub unsafe extern "C" fn memcmp(s1: *const c_void, s2: *const c_void, n: usize) -> i32 {
        if n == 0 {
            return 0;
        }
        let mut result = 0i32;
        sol_memcmp_(s1.cast(), s2.cast(), n as u64, &mut result);
        result
    }

    #[no_mangle]
    pub unsafe extern "C" fn bcmp(s1: *const c_void, s2: *const c_void, n: usize) -> i32 {
        memcmp(s1, s2, n)
    }
}
