//! The protocol's own money in a reserve: flash loans, and the authority's withdrawal of accrued
//! protocol fees and insurance. None of them changes what a supply share is worth.

use super::require;
use crate::{EngineResult, Error, ReserveState};

/// Opens a flash loan of `amount`: the reserve's accounting does not change (the loan is not
/// debt, and depositors' value must not move while it is out); the reserve records the open
/// amount, so a second flash loan of the reserve before the repay fails (`FlashLoanActive`).
/// Lent from available liquidity only, and not by a paused reserve. The program checks the
/// transaction's instructions (a matching `flash_repay` follows at the top level).
pub fn flash_borrow<R: ReserveState>(reserve: &mut R, amount: u64, now_unix: i64) -> EngineResult<()> {
    require(amount > 0, Error::ZeroAmount)?;
    require(reserve.status() != crate::ReserveStatus::Paused, Error::ReservePaused)?;
    require(reserve.treasury().flash_loans_enabled(), Error::FlashLoansDisabled)?;
    require(reserve.flash_loan_amount() == 0, Error::FlashLoanActive)?;
    let accounting = reserve.accrued(now_unix)?;
    require(amount <= accounting.available_liquidity, Error::InsufficientLiquidity)?;
    reserve.set_flash_loan_amount(amount);
    Ok(())
}

/// Closes the open flash loan: `amount` must be what was lent; returns the fee the payer adds
/// (rounded up), credited to the protocol and insurance by their take rates.
pub fn flash_repay<R: ReserveState>(reserve: &mut R, amount: u64, now_unix: i64) -> EngineResult<u64> {
    let open = reserve.flash_loan_amount();
    require(open != 0, Error::FlashLoanNotActive)?;
    require(amount == open, Error::FlashRepayAmountMismatch)?;
    let fee = reserve.treasury().flash_loan_fee(amount)?;
    let mut accounting = reserve.accrued(now_unix)?;
    let risk = reserve.risk_config();
    accounting.credit_flash_loan_fee(fee, risk.protocol_take_rate_bps, risk.insurance_take_rate_bps)?;
    reserve.set_accounting(&accounting);
    reserve.set_flash_loan_amount(0);
    Ok(fee)
}

/// A transaction may not end with a flash loan of the reserve open (`FlashRepayMissing`): the
/// program enforces it when lending (its `flash_repay` must follow); a preview of a whole
/// sequence checks it at the sequence's end.
pub fn require_flash_loan_closed<R: ReserveState>(reserve: &R) -> EngineResult<()> {
    require(reserve.flash_loan_amount() == 0, Error::FlashRepayMissing)
}

/// Which of the protocol's balances a withdrawal takes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TreasuryBalance {
    ProtocolFees,
    Insurance,
}

/// Takes `amount` (`u64::MAX`: all that may go) of accrued protocol fees or insurance out of the
/// reserve, interest accrued first; returns the amount to transfer. Insurance keeps the
/// reserve's floor and stays whole once the reserve has socialized a loss (`ReserveHasDeficit`):
/// depositors took that loss, so the fund that exists to cover them is not paid out.
pub fn withdraw_treasury<R: ReserveState>(
    reserve: &mut R,
    balance: TreasuryBalance,
    amount: u64,
    now_unix: i64,
) -> EngineResult<u64> {
    let mut accounting = reserve.accrued(now_unix)?;
    let paid = match balance {
        TreasuryBalance::ProtocolFees => accounting.withdraw_protocol_fees(amount)?,
        TreasuryBalance::Insurance => {
            require(reserve.socialized_loss().is_zero(), Error::ReserveHasDeficit)?;
            accounting.withdraw_insurance(amount, reserve.treasury().insurance_floor)?
        }
    };
    reserve.set_accounting(&accounting);
    Ok(paid)
}
