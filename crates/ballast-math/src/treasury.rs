//! The protocol's own balances in a reserve: withdrawing accrued protocol fees and insurance,
//! and crediting a flash loan's fee.
//!
//! None of these changes what depositors own: each moves the vault's tokens and a fee balance by
//! the same amount, so `total_liquidity`, and with it the supply share value, stays exactly
//! where it was.

use crate::error::ConfigError;
use crate::{MathError, MathResult, ReserveAccounting, Rounding, Wad, BPS_DENOMINATOR};

/// Highest flash-loan fee a reserve may charge: 10%.
pub const MAX_FLASH_LOAN_FEE_BPS: u16 = 1_000;
/// The fee setting that turns a reserve's flash loans off.
pub const FLASH_LOANS_DISABLED: u16 = u16::MAX;

/// A reserve's treasury settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TreasuryConfig {
    /// Base units of insurance that stay in the reserve whatever the authority withdraws.
    pub insurance_floor: u64,
    /// Fee on a flash loan, bps of the amount, rounded up (`FLASH_LOANS_DISABLED`: none lent).
    pub flash_loan_fee_bps: u16,
}

impl TreasuryConfig {
    pub fn validate(&self) -> MathResult<()> {
        if self.flash_loan_fee_bps > MAX_FLASH_LOAN_FEE_BPS && self.flash_loan_fee_bps != FLASH_LOANS_DISABLED {
            return Err(MathError::InvalidConfig(ConfigError::FlashLoanFee));
        }
        Ok(())
    }

    pub fn flash_loans_enabled(&self) -> bool {
        self.flash_loan_fee_bps != FLASH_LOANS_DISABLED
    }

    /// The fee on a flash loan of `amount`, rounded up (the protocol's side).
    pub fn flash_loan_fee(&self, amount: u64) -> MathResult<u64> {
        Wad::from_u64(amount).mul_bps(self.flash_loan_fee_bps as u64, Rounding::Up)?.to_u64(Rounding::Up)
    }
}

impl ReserveAccounting {
    /// Takes `amount` base units of accrued protocol fees out of the reserve (`u64::MAX`: every
    /// whole unit accrued). Returns the amount to transfer.
    pub fn withdraw_protocol_fees(&mut self, amount: u64) -> MathResult<u64> {
        let accrued = self.protocol_fees.to_u64(Rounding::Down)?;
        let amount = if amount == u64::MAX { accrued } else { amount };
        if amount == 0 {
            return Err(MathError::ZeroAmount);
        }
        if amount > accrued {
            return Err(MathError::FeesExceedAccrued);
        }
        self.take_out(amount)?;
        self.protocol_fees = self.protocol_fees.checked_sub(Wad::from_u64(amount))?;
        Ok(amount)
    }

    /// Takes `amount` base units of insurance out of the reserve (`u64::MAX`: every whole unit
    /// above `floor`); at least `floor` stays. Returns the amount to transfer.
    pub fn withdraw_insurance(&mut self, amount: u64, floor: u64) -> MathResult<u64> {
        let above_floor = self.insurance_fees.saturating_sub(Wad::from_u64(floor)).to_u64(Rounding::Down)?;
        let amount = if amount == u64::MAX { above_floor } else { amount };
        if amount == 0 {
            return Err(MathError::ZeroAmount);
        }
        if amount > above_floor {
            return Err(MathError::InsuranceBelowFloor);
        }
        self.take_out(amount)?;
        self.insurance_fees = self.insurance_fees.checked_sub(Wad::from_u64(amount))?;
        Ok(amount)
    }

    /// Credits a flash loan's `fee` (paid into the vault on top of the loan) to the protocol
    /// and the insurance fund in the ratio of their interest take rates (all to the protocol
    /// when both are zero; the insurance share rounded down).
    pub fn credit_flash_loan_fee(
        &mut self,
        fee: u64,
        protocol_take_bps: u16,
        insurance_take_bps: u16,
    ) -> MathResult<()> {
        let takes = protocol_take_bps as u128 + insurance_take_bps as u128;
        let insurance = if takes == 0 {
            Wad::ZERO
        } else {
            Wad::from_u64(fee).mul_ratio(insurance_take_bps as u128, takes, Rounding::Down)?
        };
        let protocol = Wad::from_u64(fee).checked_sub(insurance)?;
        let after = ReserveAccounting {
            available_liquidity: self.available_liquidity.checked_add(fee).ok_or(MathError::Overflow)?,
            protocol_fees: self.protocol_fees.checked_add(protocol)?,
            insurance_fees: self.insurance_fees.checked_add(insurance)?,
            ..*self
        };
        *self = after;
        Ok(())
    }

    /// The vault pays `amount` that is not depositors' money: it must be available.
    fn take_out(&mut self, amount: u64) -> MathResult<()> {
        if amount > self.available_liquidity {
            return Err(MathError::InsufficientLiquidity);
        }
        self.available_liquidity -= amount;
        Ok(())
    }
}

const _: () = assert!(MAX_FLASH_LOAN_FEE_BPS as u128 <= BPS_DENOMINATOR);
