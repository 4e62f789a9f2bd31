//! Ballast on the real Solana runtime: every instruction's happy path and every rejection, each
//! rejection checked for its named error and for unchanged state.

mod attacks;
mod cascade;
mod collateral_toggle;
mod config;
mod events;
mod flash_loans;
mod fuzz;
mod health_accounts;
mod lifecycle;
mod liquidation;
mod liveness;
mod max_positions;
mod migrations;
mod obligations;
mod oracle;
mod peer_parity;
mod rejections;
mod risk_controls;
mod scenario_margin;
mod security_map;
mod sim_differential;
mod sim_snapshot;

use ballast_tests::{AssetSpec, Fixture, OracleFormat};

pub const SOL: usize = 0;
pub const USDC: usize = 1;

/// SOL (9 decimals, $100, pull oracle) and USDC (6 decimals, $1, legacy oracle).
pub async fn sol_usdc() -> Fixture {
    let sol = AssetSpec::new("SOL", 9, 100.0);
    let usdc = AssetSpec { oracle: OracleFormat::Legacy, ..AssetSpec::new("USDC", 6, 1.0) };
    Fixture::new(&[sol, usdc]).await
}

/// Accounts an action of `user` touches (its obligation, every reserve and vault, its token
/// accounts), to prove a rejection changed none of them.
pub fn watched(f: &Fixture, user: &ballast_tests::User) -> Vec<anchor_lang::prelude::Pubkey> {
    let mut keys = vec![user.obligation];
    for asset in &f.assets {
        keys.extend([asset.keys.reserve, asset.keys.vault]);
    }
    keys.extend(user.token_accounts.iter().copied());
    keys
}

pub const ONE_SOL: u64 = 1_000_000_000;
pub const ONE_USDC: u64 = 1_000_000;

/// SOL/USDC market with a lender who supplied 10,000 USDC and a borrower who deposited 10 SOL.
pub async fn funded() -> (Fixture, ballast_tests::User, ballast_tests::User) {
    let mut f = sol_usdc().await;
    let lender = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    let borrower = f.new_user(&[10 * ONE_SOL, 0]).await;
    f.deposit(&lender, USDC, 10_000 * ONE_USDC).await.unwrap();
    f.deposit(&borrower, SOL, 10 * ONE_SOL).await.unwrap();
    (f, lender, borrower)
}

/// With SOL at $100 +- 0.1% and USDC at $1 +- 0.1%, 10 SOL of collateral at LTV 75% gives
/// 10 * 99.9 * 0.75 = $749.25 of borrow power; USDC debt counts at $1.001, so the largest borrow
/// is floor(749.25 / 1.001e-6) = 748,501,498 base units.
pub const MAX_BORROW_AGAINST_10_SOL: u64 = 748_501_498;
