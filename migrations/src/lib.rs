//! Ballast migrations: bootstrap a market over JSON-RPC from a market config file — the format
//! the stress simulator reads (`ballast_market_config::MarketFile`, e.g. `local-market.toml`) — and
//! the local-node helpers the web dApp's demo needs (`set-price`, `fund`).
//!
//! - [`params`]: the file's sections as `MarketConfigParams` / `ReserveConfigParams` (the one
//!   mapping).
//! - [`node`]: what the steps need from a node beyond `ballast_client::chain::Chain` (airdrop,
//!   the local node's `surfnet_setAccount`, rent), implemented for the JSON-RPC transport.
//! - [`bootstrap`]: the steps, generic over the node, so the integration suite runs the very same
//!   sequence on solana-program-test.
//! - [`deployment`]: the deployment JSON the dApp reads.
//! - [`risk`]: the market's risk overview from the chain (the dApp's Risk page's reference) and
//!   seeded obligations.

pub mod bootstrap;
pub mod deployment;
pub mod node;
pub mod params;
pub mod risk;

pub use bootstrap::{bootstrap, fund, set_price, Options};
pub use deployment::{DeployedReserve, Deployment};
pub use node::LocalNode;
