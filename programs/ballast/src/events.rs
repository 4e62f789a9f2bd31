//! Events for indexers, bots and auditors. Amounts are base units; values are USD Wads.

use anchor_lang::prelude::*;

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositEvent {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    pub amount: u64,
    pub supply_shares_minted: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BorrowEvent {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    pub amount: u64,
    pub debt_shares_added: u128,
    pub weighted_collateral: u128,
    pub weighted_debt: u128,
}

/// The Dutch auction's clock started (or kept running) on a liquidatable obligation, or stopped
/// (`liquidatable_since_ts` 0) on a healthy one.
#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiquidatableMarkEvent {
    pub obligation: Pubkey,
    pub liquidatable_since_ts: i64,
    /// Maintenance health found.
    pub weighted_collateral: u128,
    pub weighted_debt: u128,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarginModeEvent {
    pub obligation: Pubkey,
    /// 0 classic weights, 1 scenario margin.
    pub margin_mode: u8,
    /// Initial health under the new mode (both 0 when the obligation has no debt).
    pub weighted_collateral: u128,
    pub weighted_debt: u128,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepayEvent {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    pub payer: Pubkey,
    pub amount: u64,
    pub debt_shares_burned: u128,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiquidateEvent {
    pub obligation: Pubkey,
    pub liquidator: Pubkey,
    pub repay_reserve: Pubkey,
    pub collateral_reserve: Pubkey,
    /// Debt base units repaid by the liquidator.
    pub repay_amount: u64,
    /// Collateral base units paid to the liquidator (their worth, when paid as shares).
    pub collateral_to_liquidator: u64,
    /// Supply shares credited to the liquidator's obligation (`receive_shares`); 0 for tokens.
    pub collateral_shares_to_liquidator: u64,
    /// Collateral (base units, Wad) kept as protocol fees.
    pub collateral_to_protocol: u128,
    pub bonus_bps: u16,
    /// Spot prices used (USD per whole token, Wad).
    pub debt_price: u128,
    pub collateral_price: u128,
    /// Maintenance health before and after (USD Wads).
    pub weighted_collateral_before: u128,
    pub weighted_debt_before: u128,
    pub weighted_collateral_after: u128,
    pub weighted_debt_after: u128,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocializeLossEvent {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    /// Base units as Wads.
    pub debt_written_off: u128,
    pub covered_by_insurance: u128,
    pub loss_to_depositors: u128,
    /// Supply share value before and after (Wad).
    pub share_value_before: u128,
    pub share_value_after: u128,
}

impl SocializeLossEvent {
    /// The event of a write-off, by `socialize_loss` or by a liquidation that left no collateral.
    pub fn new(
        obligation: Pubkey,
        reserve: Pubkey,
        outcome: &ballast_engine::operations::SocializeLossOutcome,
    ) -> Self {
        SocializeLossEvent {
            obligation,
            reserve,
            debt_written_off: outcome.debt_written_off.0,
            covered_by_insurance: outcome.covered_by_insurance.0,
            loss_to_depositors: outcome.loss_to_depositors.0,
            share_value_before: outcome.share_value_before.0,
            share_value_after: outcome.share_value_after.0,
        }
    }
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlashBorrowEvent {
    pub reserve: Pubkey,
    pub amount: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlashRepayEvent {
    pub reserve: Pubkey,
    pub amount: u64,
    /// Paid on top of `amount`, to the protocol and the insurance fund.
    pub fee: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreasuryWithdrawEvent {
    pub reserve: Pubkey,
    pub destination: Pubkey,
    /// Insurance (true) or protocol fees (false).
    pub insurance: bool,
    pub amount: u64,
}

#[event]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollateralToggleEvent {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    /// Whether the deposit now counts as collateral.
    pub collateral: bool,
    /// Initial health after turning collateral off with debt (both 0 otherwise).
    pub weighted_collateral: u128,
    pub weighted_debt: u128,
}
