//! Ballast client: PDAs, instruction builders with the exact account lists the program expects
//! (health accounts included), account decoding, health computed from fetched accounts with
//! the program's own valuation code, and Pyth price accounts written as the Pyth programs write
//! them (`pyth_fixture`, for test banks and local nodes), and the program's events out of a
//! transaction's log lines (`events`, only the lines the program logged itself).
//!
//! Features: `chain` (the [`chain::Chain`] transport trait, market fetching, error decoding),
//! `rpc` (its JSON-RPC implementation), `banks` (its solana-program-test implementation).

pub mod accounts;
pub mod events;
pub mod health;
pub mod instructions;
pub mod pda;
pub mod pyth_fixture;

#[cfg(feature = "banks")]
pub mod banks;
#[cfg(feature = "chain")]
pub mod chain;
#[cfg(feature = "rpc")]
pub mod rpc;

pub use ballast::ID as PROGRAM_ID;
