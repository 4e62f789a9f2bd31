//! Every way an instruction can fail, by name. A failed instruction changes no state.

use anchor_lang::prelude::*;
use ballast_math::{error::ConfigError, MathError};

/// Declares the error enum and the list of all its variants from one table, so codes can be
/// mapped back to names (`BallastError::from_code`) without a second list to keep in step.
macro_rules! ballast_errors {
    ($($(#[$doc:meta])* $name:ident => $msg:literal,)*) => {
        #[error_code]
        pub enum BallastError {
            $($(#[$doc])* #[msg($msg)] $name,)*
        }

        impl BallastError {
            pub const ALL: &'static [BallastError] = &[$(BallastError::$name,)*];
        }
    };
}

ballast_errors! {
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
    ObligationHasCollateral => "Loss can only be socialized once the obligation has no collateral left",
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
    BonusCreatesBadDebt => "Invalid config: liquidation threshold x (1 + max bonus) above 100%",
    FeeAbove100 => "Invalid config: a fee share above 100%",
    InvalidInterestCurve => "Invalid config: interest curve must run from 0% to 100% utilisation, increasing",
    InvalidMaxConfidence => "Invalid config: max confidence must be in (0, 100%)",
    InvalidMaxAge => "Invalid config: max price age must be positive",
    UnsupportedDecimals => "Invalid config: mint decimals above 18",
    InvalidLiquidationConfig => "Invalid config: liquidation knobs out of range",
    InvalidRiskControls => "Invalid config: risk controls out of range (ceiling, haircut bounds, breaker)",
    // --- arithmetic ---
    MathOverflow => "Arithmetic overflow",
    MathUnderflow => "Arithmetic underflow",
    DivideByZero => "Division by zero",
}

impl BallastError {
    /// Anchor's code for this error (custom program error number).
    pub fn code(self) -> u32 {
        u32::from(self)
    }

    /// The error with Anchor code `code`, if it is one of Ballast's.
    pub fn from_code(code: u32) -> Option<BallastError> {
        BallastError::ALL.iter().copied().find(|e| e.code() == code)
    }
}

impl From<MathError> for BallastError {
    fn from(error: MathError) -> Self {
        match error {
            MathError::Overflow => BallastError::MathOverflow,
            MathError::Underflow => BallastError::MathUnderflow,
            MathError::DivideByZero => BallastError::DivideByZero,
            MathError::PriceNotPositive => BallastError::PriceNotPositive,
            MathError::PriceStale => BallastError::PriceStale,
            MathError::PriceConfidenceTooWide => BallastError::PriceConfidenceTooWide,
            MathError::PriceExponentOutOfRange => BallastError::PriceExponentOutOfRange,
            MathError::ZeroAmount => BallastError::ZeroAmount,
            MathError::InsufficientLiquidity => BallastError::InsufficientLiquidity,
            MathError::SupplyCapExceeded => BallastError::SupplyCapExceeded,
            MathError::BorrowCapExceeded => BallastError::BorrowCapExceeded,
            MathError::CircuitBreakerTripped => BallastError::CircuitBreakerTripped,
            MathError::UtilizationCeilingExceeded => BallastError::UtilizationCeilingExceeded,
            MathError::InvalidConfig(config) => match config {
                ConfigError::LtvNotBelowThreshold => BallastError::LtvNotBelowThreshold,
                ConfigError::LiquidationThresholdAbove100 => BallastError::LiquidationThresholdAbove100,
                ConfigError::BorrowFactorBelow100 => BallastError::BorrowFactorBelow100,
                ConfigError::BonusRange => BallastError::BonusRange,
                ConfigError::BonusCreatesBadDebt => BallastError::BonusCreatesBadDebt,
                ConfigError::FeeAbove100 => BallastError::FeeAbove100,
                ConfigError::Curve => BallastError::InvalidInterestCurve,
                ConfigError::MaxConfidence => BallastError::InvalidMaxConfidence,
                ConfigError::MaxAge => BallastError::InvalidMaxAge,
                ConfigError::Liquidation => BallastError::InvalidLiquidationConfig,
                ConfigError::Controls => BallastError::InvalidRiskControls,
            },
        }
    }
}
