//! Errors of the math crate. The program maps each to a named on-chain error.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// A result does not fit its type.
    Overflow,
    /// Division by zero.
    DivideByZero,
    /// A subtraction would go below zero.
    Underflow,
    /// Oracle price is zero or negative.
    PriceNotPositive,
    /// Oracle price is older than the reserve's maximum age.
    PriceStale,
    /// Oracle confidence interval is wider than the reserve allows.
    PriceConfidenceTooWide,
    /// Oracle exponent is outside the supported range.
    PriceExponentOutOfRange,
    /// A risk or curve parameter is outside its valid range.
    InvalidConfig(ConfigError),
    /// An amount converts to zero shares (or zero tokens) where that is not allowed.
    ZeroAmount,
    /// More liquidity requested than the reserve holds.
    InsufficientLiquidity,
    /// A deposit would take the reserve's liquidity above its supply cap.
    SupplyCapExceeded,
    /// A borrow would take the reserve's total debt above its borrow cap.
    BorrowCapExceeded,
    /// The spot-EMA gap of a price exceeds the reserve's circuit-breaker threshold.
    CircuitBreakerTripped,
    /// A borrow would take utilisation above the reserve's ceiling.
    UtilizationCeilingExceeded,
    /// Net borrows and withdrawals within the reserve's window would pass its outflow cap.
    OutflowLimitExceeded,
    /// More protocol fees requested than have accrued.
    FeesExceedAccrued,
    /// An insurance withdrawal would leave less than the reserve's floor.
    InsuranceBelowFloor,
}

/// Which configuration rule was broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// `ltv < liquidation_threshold <= 100%` does not hold.
    LtvNotBelowThreshold,
    LiquidationThresholdAbove100,
    BorrowFactorBelow100,
    /// `min_bonus <= max_bonus` does not hold.
    BonusRange,
    /// `liquidation_threshold * (1 + max_bonus) <= 1` does not hold.
    BonusCreatesBadDebt,
    /// A fee share above 100%.
    FeeAbove100,
    /// Interest curve: fewer than two points, does not start at 0% and end at 100% utilisation,
    /// utilisation not strictly increasing, or rate decreasing.
    Curve,
    /// Max confidence must be in (0, 100%).
    MaxConfidence,
    /// Max price age below `MIN_MAX_PRICE_AGE_SECS`.
    MaxAge,
    /// Risk controls: utilisation ceiling in (0, 100%], haircut start < end, max haircut <= 100%,
    /// breaker threshold > 0.
    Controls,
    /// Liquidation knobs: close factor in (0, 100%], full-liquidation threshold <= 100%, target
    /// health factor above 100%, bonus ramp in (0, 100%].
    Liquidation,
    /// A borrow rate above `MAX_BORROW_RATE_BPS` (the borrow index would overflow too soon).
    BorrowRateTooHigh,
    /// Scenario margin: more than 8 scenarios, buffers outside `100% <= maintenance <= initial
    /// <= 200%`, a maintenance fraction outside (0, 100%], or a shock outside [-100%, +100%].
    Scenario,
    /// Outflow limit: a cap needs a window in (0, a week].
    OutflowLimit,
    /// Flash-loan fee above `MAX_FLASH_LOAN_FEE_BPS` (and not `FLASH_LOANS_DISABLED`).
    FlashLoanFee,
}

impl core::fmt::Display for MathError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(self, f)
    }
}

impl core::error::Error for MathError {}
