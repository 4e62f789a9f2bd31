use anchor_lang::prelude::*;
use ballast_engine::operations::TreasuryBalance;

use crate::instructions::withdraw_protocol_fees::{withdraw_balance, TreasuryWithdrawal};

/// Market authority only: pays `amount` (`u64::MAX`: all above the floor) of the reserve's
/// insurance to a token account of the market's fee receiver. The reserve's floor stays, and
/// nothing is paid once the reserve has socialized a loss.
pub fn handler(ctx: Context<TreasuryWithdrawal>, amount: u64) -> Result<()> {
    withdraw_balance(ctx, TreasuryBalance::Insurance, amount)
}
