//! Every way an instruction can fail, by name: the one list. The program declares its Anchor
//! error enum from [`ballast_error_table!`] (same names, same order, so the same codes), and
//! this crate's [`Error`] is declared from it too; the wasm and the clients name errors with it.

use ballast_math::error::ConfigError;
use ballast_math::liquidation::LiquidationError;
use ballast_math::MathError;

/// Anchor numbers custom errors from 6000 in declaration order.
pub const ERROR_CODE_OFFSET: u32 = 6000;

/// Calls `$callback! { $(#[doc] Name => "message",)* }` with the error table.
#[macro_export]
macro_rules! ballast_error_table {
    ($callback:ident) => {
        $callback! {
            // --- authority and account relationships ---
            Unauthorized => "Signer is not the market authority",
            MarketMismatch => "Account belongs to another market",
            ObligationOwnerMismatch => "Signer does not own this obligation",
            VaultMismatch => "Vault is not this reserve's vault",
            MintMismatch => "Mint is not this reserve's mint",
            TokenProgramMismatch => "Token program is not the one this reserve's mint uses",
            VaultBalanceMismatch => "Vault balance did not move by exactly the accounted amount",
            // --- amounts and liquidity ---
            ZeroAmount => "Amount must be greater than zero (or it converts to zero shares)",
            InsufficientLiquidity => "Reserve does not hold enough available liquidity",
            SupplyCapExceeded => "Deposit would exceed the reserve's supply cap",
            BorrowCapExceeded => "Borrow would exceed the reserve's borrow cap",
            InsufficientCollateral => "Withdraw exceeds the obligation's collateral in this reserve",
            NoDebtToRepay => "Obligation has no debt in this reserve",
            PositionNotFound => "Obligation has no position in this reserve",
            ObligationFull => "Obligation already holds the maximum number of positions",
            ObligationNotEmpty => "Only an obligation with no collateral and no debt can be closed",
            InitialDepositRequired => "Reserve creation requires a non-zero initial deposit",
            // --- guards ---
            MarketPaused => "The market is paused: deposits, withdrawals and borrows wait (repay and liquidation work)",
            ReserveNotActive => "The reserve is reduce-only or paused: no new deposits or borrows",
            ReservePaused => "The reserve is paused: only repay and liquidation work",
            CircuitBreakerTripped => "Price deviates from its EMA beyond the reserve's circuit breaker: borrow and withdraw wait",
            UtilizationCeilingExceeded => "Borrow would take utilisation above the reserve's ceiling",
            PauseTooLong => "Pause longer than the market's maximum",
            InvalidReserveStatus => "Unknown reserve status",
            NotPendingAuthority => "Signer is not the proposed market authority",
            MintExtensionNotAllowed => "Token-2022 mint has an extension that breaks accounting (transfer fee, hook, permanent delegate, ...)",
            // --- liquidation and bad debt ---
            ObligationHealthy => "Obligation is healthy (maintenance health >= 0) and cannot be liquidated",
            SelfLiquidation => "An obligation's owner cannot liquidate it",
            CollateralOutBelowMinimum => "Collateral out is below the liquidator's min_collateral_out",
            OverLiquidation => "Liquidation would lift the health factor above the market's target; repay less",
            LiquidationWorsensHealth => "Liquidation would not improve maintenance health",
            ObligationHasCollateral => "Loss can only be socialized once the obligation's collateral is gone, or is worth less than the dust value while it is liquidatable",
            // --- health ---
            InitialHealthNegative => "Action would leave the obligation with negative initial health (borrow power)",
            HealthAccountCountMismatch => "Health accounts must be exactly one (reserve, oracle) pair per position",
            HealthReserveMismatch => "Health account does not match the obligation's position at that index",
            OracleAccountMismatch => "Oracle account is not the one pinned by the reserve",
            // --- oracle ---
            OracleWrongOwner => "Oracle account is not owned by the Pyth program for its format",
            OracleInvalidData => "Oracle account data is not a valid price account",
            OracleWrongFeed => "Oracle price is for a different feed",
            OracleNotFullyVerified => "Pyth price update is only partially verified",
            OracleNotTrading => "Legacy Pyth price is not in Trading status",
            OracleKindUnsupported => "Unknown oracle kind",
            PriceNotPositive => "Oracle price is zero or negative",
            PriceStale => "Oracle price is older than the reserve's maximum age",
            PriceConfidenceTooWide => "Oracle confidence interval is wider than the reserve allows",
            PriceExponentOutOfRange => "Oracle exponent is out of the supported range",
            // --- configuration ---
            LtvNotBelowThreshold => "Invalid config: ltv must be below the liquidation threshold",
            LiquidationThresholdAbove100 => "Invalid config: liquidation threshold above 100%",
            BorrowFactorBelow100 => "Invalid config: borrow factor below 100%",
            BonusRange => "Invalid config: min liquidation bonus above max",
            BonusCreatesBadDebt => "Invalid config: liquidation threshold x (1 + max bonus) must be at most 100% and below the borrow factor",
            FeeAbove100 => "Invalid config: a fee share above 100%",
            InvalidInterestCurve => "Invalid config: interest curve must run from 0% to 100% utilisation, increasing",
            InvalidMaxConfidence => "Invalid config: max confidence must be in (0, 100%)",
            InvalidMaxAge => "Invalid config: max price age must be at least 10 s",
            UnsupportedDecimals => "Invalid config: mint decimals above 18",
            InvalidLiquidationConfig => "Invalid config: liquidation knobs out of range",
            InvalidRiskControls => "Invalid config: risk controls out of range (ceiling, haircut bounds, breaker)",
            // --- arithmetic ---
            MathOverflow => "Arithmetic overflow",
            MathUnderflow => "Arithmetic underflow",
            DivideByZero => "Division by zero",
            // --- liquidation payouts ---
            LiquidatorObligationRequired => "receive_shares needs the liquidator's own obligation in this market",
            // --- configuration, bounded admin powers ---
            BorrowRateTooHigh => "Invalid config: a borrow rate above 300% APR",
            InvalidRiskRamp => "Invalid config: risk_ramp_secs must be between one hour and 30 days",
            PauseBudgetExhausted => "The market was paused for its maximum within the last 30 days",
            PriceOlderThanLastUsed => "Oracle price is older than one this reserve already used",
            OracleNotPushFeed => "Pyth price account is not the push feed of its feed id (shard 0), its own write authority",
            InvalidScenarioConfig => "Invalid config: at most 8 scenarios, 100% <= maintenance buffer <= initial buffer <= 200%, maintenance fraction in (0, 100%], shocks in [-100%, +100%] and zero past the market's scenario count",
            ScenarioMarginDisabled => "The market holds no stress scenarios: scenario margin is unavailable",
            InvalidMarginMode => "Unknown margin mode (0 classic weights, 1 scenario margin)",
            // --- peer parity: minimum debt, outflow limits, treasury, flash loans ---
            DebtBelowMinimum => "A borrow or partial repay may not leave this position's debt worth less than the market's minimum debt (repay all of it instead)",
            InvalidMinDebt => "Invalid config: minimum debt above $1,000,000",
            OutflowLimitExceeded => "Borrows and withdrawals from this reserve within its window would exceed its outflow limit; try again later or a smaller amount",
            InvalidOutflowLimit => "Invalid config: an outflow cap needs a window of (0, 7 days]",
            FeesExceedAccrued => "Amount exceeds the protocol fees accrued in this reserve",
            InsuranceBelowFloor => "Withdrawal would take the reserve's insurance below its floor",
            ReserveHasDeficit => "The reserve has socialized a loss: its insurance cannot be withdrawn",
            FeeReceiverMismatch => "Destination is not a token account of the market's fee receiver",
            InvalidFlashLoanFee => "Invalid config: flash-loan fee above 10% (65535 turns flash loans off)",
            FlashLoansDisabled => "This reserve does not lend flash loans",
            FlashLoanCpi => "flash_borrow and flash_repay must be top-level instructions of the transaction, not CPI",
            FlashRepayMissing => "No flash_repay of this reserve follows later in this transaction",
            FlashRepayAmountMismatch => "flash_repay must repay exactly the amount flash_borrow lent (the fee is added to it)",
            FlashLoanActive => "This reserve already has an open flash loan in this transaction",
            FlashLoanNotActive => "flash_repay without an open flash loan of this reserve",
            DepositNotCollateral => "This deposit is not used as collateral: it counts for no health and cannot be seized",
            InvalidObligationId => "A further obligation is numbered 1 to 255 (number 0 is init_obligation's)",
        }
    };
}

macro_rules! engine_errors {
    ($($(#[$doc:meta])* $name:ident => $msg:literal,)*) => {
        /// A named protocol error; [`Error::code`] is the program's custom error number.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u32)]
        pub enum Error {
            $($(#[$doc])* $name,)*
        }

        impl Error {
            pub const ALL: &'static [Error] = &[$(Error::$name,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Error::$name => stringify!($name),)*
                }
            }

            pub fn message(self) -> &'static str {
                match self {
                    $(Error::$name => $msg,)*
                }
            }
        }
    };
}

ballast_error_table!(engine_errors);

impl Error {
    /// The program's custom error number.
    pub fn code(self) -> u32 {
        ERROR_CODE_OFFSET + self as u32
    }

    /// The error with program code `code`, if it is one of Ballast's.
    pub fn from_code(code: u32) -> Option<Error> {
        Error::ALL.get(code.checked_sub(ERROR_CODE_OFFSET)? as usize).copied()
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl From<MathError> for Error {
    fn from(error: MathError) -> Self {
        match error {
            MathError::Overflow => Error::MathOverflow,
            MathError::Underflow => Error::MathUnderflow,
            MathError::DivideByZero => Error::DivideByZero,
            MathError::PriceNotPositive => Error::PriceNotPositive,
            MathError::PriceStale => Error::PriceStale,
            MathError::PriceConfidenceTooWide => Error::PriceConfidenceTooWide,
            MathError::PriceExponentOutOfRange => Error::PriceExponentOutOfRange,
            MathError::ZeroAmount => Error::ZeroAmount,
            MathError::InsufficientLiquidity => Error::InsufficientLiquidity,
            MathError::SupplyCapExceeded => Error::SupplyCapExceeded,
            MathError::BorrowCapExceeded => Error::BorrowCapExceeded,
            MathError::CircuitBreakerTripped => Error::CircuitBreakerTripped,
            MathError::UtilizationCeilingExceeded => Error::UtilizationCeilingExceeded,
            MathError::OutflowLimitExceeded => Error::OutflowLimitExceeded,
            MathError::FeesExceedAccrued => Error::FeesExceedAccrued,
            MathError::InsuranceBelowFloor => Error::InsuranceBelowFloor,
            MathError::InvalidConfig(config) => match config {
                ConfigError::LtvNotBelowThreshold => Error::LtvNotBelowThreshold,
                ConfigError::LiquidationThresholdAbove100 => Error::LiquidationThresholdAbove100,
                ConfigError::BorrowFactorBelow100 => Error::BorrowFactorBelow100,
                ConfigError::BonusRange => Error::BonusRange,
                ConfigError::BonusCreatesBadDebt => Error::BonusCreatesBadDebt,
                ConfigError::FeeAbove100 => Error::FeeAbove100,
                ConfigError::Curve => Error::InvalidInterestCurve,
                ConfigError::MaxConfidence => Error::InvalidMaxConfidence,
                ConfigError::MaxAge => Error::InvalidMaxAge,
                ConfigError::BorrowRateTooHigh => Error::BorrowRateTooHigh,
                ConfigError::Liquidation => Error::InvalidLiquidationConfig,
                ConfigError::Controls => Error::InvalidRiskControls,
                ConfigError::Scenario => Error::InvalidScenarioConfig,
                ConfigError::OutflowLimit => Error::InvalidOutflowLimit,
                ConfigError::FlashLoanFee => Error::InvalidFlashLoanFee,
            },
        }
    }
}

impl From<LiquidationError> for Error {
    fn from(error: LiquidationError) -> Self {
        match error {
            LiquidationError::Math(e) => e.into(),
            LiquidationError::Healthy => Error::ObligationHealthy,
            LiquidationError::ZeroRepay => Error::ZeroAmount,
            LiquidationError::OverLiquidation => Error::OverLiquidation,
            LiquidationError::HealthNotImproved => Error::LiquidationWorsensHealth,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_in_declaration_order() {
        for (index, error) in Error::ALL.iter().enumerate() {
            assert_eq!(error.code(), ERROR_CODE_OFFSET + index as u32);
            assert_eq!(Error::from_code(error.code()), Some(*error));
        }
        assert_eq!(Error::from_code(ERROR_CODE_OFFSET + Error::ALL.len() as u32), None);
        assert_eq!(Error::from_code(0), None);
    }
}
