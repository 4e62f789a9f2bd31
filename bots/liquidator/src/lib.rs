//! Ballast reference liquidator.
//!
//! One pass ([`run_once`]) reads every obligation of a market, the reserves its positions name and
//! the oracle account each reserve pins, evaluates maintenance health with
//! `ballast_client::health::obligation_health` (the program's own valuation), sizes the most
//! profitable liquidation of each unhealthy obligation over every (debt reserve, collateral
//! reserve) pair with `ballast_client::health::best_liquidation`, then simulates and sends it.
//!
//! The chain is reached through the [`Chain`] trait (`ballast_client::chain`, shared with the
//! simulator's snapshot and the migrations), with two implementations running the same decision
//! code:
//! - [`rpc::RpcChain`]: JSON-RPC for production (`getProgramAccounts` with a memcmp filter on the
//!   market at offset 8 and `dataSize` = `Obligation::SPACE`, `getMultipleAccounts`,
//!   `simulateTransaction`, `sendTransaction` + signature polling);
//! - [`banks::BanksChain`] (feature `in-process`, on by default): solana-program-test's
//!   `BanksClient`, for the integration tests and the demo. `BanksClient` has no
//!   `getProgramAccounts`, so this transport is told the obligation addresses (it applies the
//!   same filters to them); see its docs.

pub mod bench;
pub mod config;
pub mod engine;
pub mod metrics;

/// The transport trait and its implementations live in `ballast-client` (features `rpc`,
/// `banks`); re-exported here under their old paths.
pub use ballast_client::{chain, rpc};

#[cfg(feature = "in-process")]
pub use ballast_client::banks;

pub use chain::{AccountFilter, Chain, TransportError, TxOutcome};
pub use config::Config;
pub use engine::{run_once, AttemptOutcome, Candidate, Liquidator, PassReport, Scan};
pub use metrics::Metrics;
