//! `ballast-liquidator`: the reference liquidator bot (see bots/liquidator/README.md).

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use anyhow::Context;
use ballast_liquidator::rpc::RpcChain;
use ballast_liquidator::{metrics, Config, Liquidator, Metrics};
use clap::{Parser, Subcommand};
use solana_commitment_config::CommitmentConfig;
use solana_signer::Signer;
use tracing::{info, warn};

#[derive(Parser, Debug)]
#[command(name = "ballast-liquidator", version, about = "Reference liquidator bot for Ballast")]
struct Cli {
    /// TOML config file (see liquidator.example.toml); flags override it.
    #[arg(long, short, env = "BALLAST_LIQUIDATOR_CONFIG")]
    config: Option<PathBuf>,
    #[arg(long)]
    rpc_url: Option<String>,
    #[arg(long)]
    keypair: Option<PathBuf>,
    #[arg(long)]
    market: Option<String>,
    #[arg(long)]
    min_profit_usd: Option<f64>,
    /// Micro-lamports per compute unit.
    #[arg(long)]
    priority_fee: Option<u64>,
    #[arg(long)]
    compute_unit_limit: Option<u32>,
    #[arg(long)]
    scan_interval_secs: Option<f64>,
    /// Evaluate and log, send nothing.
    #[arg(long)]
    dry_run: bool,
    /// e.g. 127.0.0.1:9464; "" disables the metrics endpoint.
    #[arg(long)]
    metrics_listen: Option<String>,
    /// text | json
    #[arg(long)]
    log_format: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Scan and liquidate until Ctrl-C / SIGTERM (the default).
    Run,
    /// One scan-and-liquidate pass, then exit.
    Once,
    /// Health evaluations per second on one core over synthetic obligations (build with --release).
    Bench {
        #[arg(long, default_value_t = 100_000)]
        obligations: usize,
        #[arg(long, default_value_t = 10)]
        rounds: usize,
    },
}

fn config(cli: &Cli) -> anyhow::Result<Config> {
    let mut config = match &cli.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    if let Some(v) = &cli.rpc_url {
        config.rpc_url = v.clone();
    }
    if let Some(v) = &cli.keypair {
        config.keypair_path = v.clone();
    }
    if let Some(v) = &cli.market {
        config.market = Pubkey::from_str(v).map_err(|e| anyhow::anyhow!("--market: {e}"))?;
    }
    if let Some(v) = cli.min_profit_usd {
        config.min_profit_usd = v;
    }
    if let Some(v) = cli.priority_fee {
        config.priority_fee_micro_lamports = v;
    }
    if let Some(v) = cli.compute_unit_limit {
        config.compute_unit_limit = v;
    }
    if let Some(v) = cli.scan_interval_secs {
        config.scan_interval_secs = v;
    }
    if cli.dry_run {
        config.dry_run = true;
    }
    if let Some(v) = &cli.metrics_listen {
        config.metrics_listen = v.clone();
    }
    if let Some(v) = &cli.log_format {
        config.log_format = v.clone();
    }
    Ok(config)
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    if format == "json" {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

fn bench(obligations: usize, rounds: usize) {
    if cfg!(debug_assertions) {
        eprintln!("warning: debug build; use `cargo run --release -p ballast-liquidator -- bench` for the figure");
    }
    for (label, stale) in [
        ("reserves accrued to now (the bot's scan path)", 0),
        ("reserves 30 s stale (accrual inside every evaluation)", 30),
    ] {
        let r = ballast_liquidator::bench::run(obligations, rounds, stale);
        println!(
            "{label}: {} obligations ({} positions, {} unhealthy) x {} rounds = {} evaluations in {:.3} s: {:.0} health evaluations/s on one core ({:.0} ns each)",
            r.obligations,
            r.positions,
            r.unhealthy,
            rounds,
            r.evaluations,
            r.elapsed.as_secs_f64(),
            r.per_sec,
            1e9 / r.per_sec
        );
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Bench { obligations, rounds }) = cli.command {
        bench(obligations, rounds);
        return Ok(());
    }
    let config = config(&cli)?;
    config.validate()?;
    init_logs(&config.log_format);

    let keypair_path = config.keypair_path_expanded();
    let keypair = solana_keypair::read_keypair_file(&keypair_path)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("reading keypair {}", keypair_path.display()))?;
    let metrics = Metrics::new();
    if !config.metrics_listen.is_empty() {
        let addr = metrics::serve(&config.metrics_listen, metrics.clone())
            .await
            .with_context(|| format!("metrics listener {}", config.metrics_listen))?;
        if !addr.ip().is_loopback() {
            warn!(%addr, "metrics endpoint is not on a loopback address");
        }
        info!(%addr, "metrics at http://{addr}/metrics");
    }
    let commitment =
        CommitmentConfig::from_str(&config.commitment).map_err(|e| anyhow::anyhow!("commitment: {e:?}"))?;
    let mut chain = RpcChain::new(&config.rpc_url, commitment, Duration::from_secs(config.confirm_timeout_secs));
    info!(
        rpc = %config.rpc_url, market = %config.market, wallet = %keypair.pubkey(), dry_run = config.dry_run,
        min_profit_usd = config.min_profit_usd, "starting"
    );
    let liquidator = Liquidator::new(config, keypair, metrics);

    match cli.command {
        Some(Command::Once) => {
            liquidator.run_once(&mut chain).await?.log();
        }
        _ => {
            let stop = liquidator.stop_handle();
            tokio::spawn(async move {
                shutdown_signal().await;
                info!("shutdown requested; finishing the current transaction");
                stop.stop();
            });
            liquidator.run(&mut chain).await;
        }
    }
    Ok(())
}
