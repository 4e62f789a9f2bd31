//! `ballast-indexer`: follows the Ballast program on a node and serves its event history.

use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use anyhow::{Context, Result};
use ballast_indexer::FollowConfig;
use clap::Parser;

#[derive(Parser, Debug)]
#[command(name = "ballast-indexer", about = "Follows the Ballast program and stores every event")]
struct Args {
    /// The node's JSON-RPC URL.
    #[arg(long, env = "BALLAST_RPC_URL", default_value = "http://127.0.0.1:8899")]
    rpc_url: String,
    /// The node's websocket URL (default: the RPC URL's port plus one, ws://).
    #[arg(long, env = "BALLAST_WS_URL")]
    ws_url: Option<String>,
    /// A SQLite file (path or sqlite:// URL, created when missing) or a postgres:// URL.
    #[arg(long, env = "BALLAST_INDEX_DATABASE", default_value = "sqlite://ballast-index.db")]
    database: String,
    /// Where the HTTP API listens.
    #[arg(long, default_value = "127.0.0.1:8950")]
    listen: String,
    /// The program to follow.
    #[arg(long, default_value_t = ballast::ID.to_string())]
    program_id: String,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let args = Args::parse();
    let program_id = Pubkey::from_str(&args.program_id).context("--program-id")?;
    let follow = FollowConfig::new(&args.rpc_url, args.ws_url.as_deref(), program_id)?;
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::info!("stopping");
            let _ = stop.send(true);
        }
    });
    ballast_indexer::run(follow, &args.database, Some(&args.listen), shutdown, |_| {}).await
}
