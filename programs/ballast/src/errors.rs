//! Every way an instruction can fail, by name. A failed instruction changes no state.

use anchor_lang::prelude::*;
use ballast_math::{error::ConfigError, MathError};

#[error_code]
pub enum BallastError {
    // --- authority and account relationships ---
    #[msg("Signer is not the market authority")]
    Unauthorized,
    #[msg("Account belongs to another market")]
    MarketMismatch,
    #[msg("Signer does not own this obligation")]
    ObligationOwnerMismatch,
    #[msg("Vault is not this reserve's vault")]
    VaultMismatch,
    #[msg("Mint is not this reserve's mint")]
    MintMismatch,
    #[msg("Token program is not the one this reserve's mint uses")]
    TokenProgramMismatch,
    #[msg("Vault balance did not move by exactly the accounted amount")]
    VaultBalanceMismatch,

    // --- amounts and liquidity ---
    #[msg("Amount must be greater than zero (or it converts to zero shares)")]
    ZeroAmount,
    #[msg("Reserve does not hold enough available liquidity")]
    InsufficientLiquidity,
    #[msg("Deposit would exceed the reserve's supply cap")]
    SupplyCapExceeded,
    #[msg("Borrow would exceed the reserve's borrow cap")]
    BorrowCapExceeded,
    #[msg("Withdraw exceeds the obligation's collateral in this reserve")]
    InsufficientCollateral,
    #[msg("Obligation has no debt in this reserve")]
    NoDebtToRepay,
    #[msg("Obligation has no position in this reserve")]
    PositionNotFound,
    #[msg("Obligation already holds the maximum number of positions")]
    ObligationFull,
    #[msg("Reserve creation requires a non-zero initial deposit")]
    InitialDepositRequired,

    // --- health ---
    #[msg("Action would leave the obligation with negative initial health (borrow power)")]
    InitialHealthNegative,
    #[msg("Health accounts must be exactly one (reserve, oracle) pair per position")]
    HealthAccountCountMismatch,
    #[msg("Health account does not match the obligation's position at that index")]
    HealthReserveMismatch,
    #[msg("Oracle account is not the one pinned by the reserve")]
    OracleAccountMismatch,

    // --- oracle ---
    #[msg("Oracle account is not owned by the Pyth program for its format")]
    OracleWrongOwner,
    #[msg("Oracle account data is not a valid price account")]
    OracleInvalidData,
    #[msg("Oracle price is for a different feed")]
    OracleWrongFeed,
    #[msg("Pyth price update is only partially verified")]
    OracleNotFullyVerified,
    #[msg("Legacy Pyth price is not in Trading status")]
    OracleNotTrading,
    #[msg("Unknown oracle kind")]
    OracleKindUnsupported,
    #[msg("Oracle price is zero or negative")]
    PriceNotPositive,
    #[msg("Oracle price is older than the reserve's maximum age")]
    PriceStale,
    #[msg("Oracle confidence interval is wider than the reserve allows")]
    PriceConfidenceTooWide,
    #[msg("Oracle exponent is out of the supported range")]
    PriceExponentOutOfRange,

    // --- configuration ---
    #[msg("Invalid config: ltv must be below the liquidation threshold")]
    LtvNotBelowThreshold,
    #[msg("Invalid config: liquidation threshold above 100%")]
    LiquidationThresholdAbove100,
    #[msg("Invalid config: borrow factor below 100%")]
    BorrowFactorBelow100,
    #[msg("Invalid config: min liquidation bonus above max")]
    BonusRange,
    #[msg("Invalid config: liquidation threshold x (1 + max bonus) above 100%")]
    BonusCreatesBadDebt,
    #[msg("Invalid config: a fee share above 100%")]
    FeeAbove100,
    #[msg("Invalid config: interest curve must run from 0% to 100% utilisation, increasing")]
    InvalidInterestCurve,
    #[msg("Invalid config: max confidence must be in (0, 100%)")]
    InvalidMaxConfidence,
    #[msg("Invalid config: max price age must be positive")]
    InvalidMaxAge,
    #[msg("Invalid config: mint decimals above 18")]
    UnsupportedDecimals,

    // --- arithmetic ---
    #[msg("Arithmetic overflow")]
    MathOverflow,
    #[msg("Arithmetic underflow")]
    MathUnderflow,
    #[msg("Division by zero")]
    DivideByZero,
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
            },
        }
    }
}
