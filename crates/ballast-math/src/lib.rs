//! Ballast's fixed-point and risk math.
//!
//! This crate is the single implementation of every number the protocol computes: share
//! conversions, interest accrual, oracle price normalisation, and health. The on-chain program,
//! the client crate, the liquidator bot, the simulator and the dApp (via wasm) all call it, so
//! they can never disagree.
//!
//! Number format: [`Wad`], an unsigned `u128` with 18 decimals. Every product is taken in a
//! 256-bit intermediate before its division, and every conversion names its [`Rounding`].
//! Arithmetic is checked: overflow returns [`MathError::Overflow`], never wraps or panics.
#![no_std]

pub mod config;
pub mod controls;
pub mod curve;
pub mod error;
pub mod fixed;
pub mod health;
pub mod liquidation;
pub mod position;
pub mod price;
pub mod reserve;
pub mod scenario;
pub mod treasury;
mod wide;
pub mod window;

pub use config::{RiskConfig, RiskRamp};
pub use controls::RiskControls;
pub use curve::{CurvePoint, InterestCurve, MAX_CURVE_POINTS};
pub use error::MathError;
pub use fixed::{mul_div, Rounding, Wad, BPS_DENOMINATOR, WAD};
pub use health::{liquidation_price, max_borrow, max_withdraw, Health, HealthAccumulator};
pub use price::{OraclePrice, PriceLimits, ValidatedPrice};
pub use reserve::ReserveAccounting;

pub type MathResult<T> = core::result::Result<T, MathError>;
