//! Ballast's risk engine: every protocol rule wired once.
//!
//! `ballast-math` holds the formulas; this crate holds what the program's handlers did around
//! them: which valuation an action uses, when interest accrues, the order of each action's
//! checks, position slots, liquidation setup, and the error list. The on-chain program, the
//! client, the liquidator bot, the simulator and the dApp's wasm all call these operations, each
//! over its own storage through the traits below:
//!
//! - [`ReserveState`]: a reserve's stored accounting, configuration and status;
//! - [`Positions`] / [`PositionSlot`]: an obligation's position slots ([`PositionSlots`] is the
//!   owned implementation, generic over key and capacity);
//! - [`AccountRetriever`]: how health reads a position's reserve and price (the program over
//!   its verified health accounts, clients over fetched accounts).
//!
//! Operations change the state they are given and return an outcome or an [`Error`]. On an
//! error the state may be partly changed: the program's transaction reverts it, previews and
//! simulations run on copies.
#![no_std]

pub mod borrow_power;
pub mod error;
pub mod health;
pub mod market;
pub mod monitor;
pub mod operations;
pub mod policy;
pub mod reserve;
pub mod slots;

pub use error::Error;
pub use health::{
    add_position, obligation_health, AccountRetriever, HealthKind, HealthReading, HealthSums, KeyedRetriever, Loaded,
    Margin,
};
pub use market::{MarginMode, MarketState};
pub use reserve::{OwnedReserve, ReserveState, ReserveStatus};
pub use slots::{Held, Position, PositionSlot, PositionSlots, Positions, MAX_POSITIONS};

pub type EngineResult<T> = core::result::Result<T, Error>;
