//! `ballast-indexer`: follows the Ballast program's transactions on a Solana node (websocket
//! `logsSubscribe` plus a `getSignaturesForAddress` backfill), stores every event in SQLite or
//! Postgres, and serves them over HTTP for the dApp.
//!
//! - [`decode`]: events out of log lines.
//! - [`store`]: the database (sqlx, one library for both backends).
//! - [`follow`]: backfill and live following.
//! - [`api`]: the HTTP API.

pub mod api;
pub mod decode;
pub mod follow;
pub mod store;

use std::net::SocketAddr;

use anyhow::{Context, Result};
use tokio::sync::watch;

pub use follow::FollowConfig;
pub use store::Store;

/// Connects the store, serves the API at `listen` (when given) and follows the program until
/// `shutdown` turns true. `on_listen` is told the API's bound address.
pub async fn run(
    follow: FollowConfig,
    database: &str,
    listen: Option<&str>,
    shutdown: watch::Receiver<bool>,
    on_listen: impl FnOnce(SocketAddr),
) -> Result<()> {
    let store = Store::connect(database).await?;
    if let Some(listen) = listen {
        let addr = api::serve(listen, store.clone()).await.with_context(|| format!("listening on {listen}"))?;
        tracing::info!("API at http://{addr}");
        on_listen(addr);
    }
    follow::run(follow, store, shutdown).await
}
