//! `ballast-migrate`: bootstrap a Ballast market on a (local) node from a market config file,
//! and the local-node helpers `set-price` and `fund`; `risk` prints the market's collateral ratios
//! as the engine computes them, `seed-book` opens obligations to look at. See migrations/README.md.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Context, Result};
use ballast_client::rpc::RpcChain;
use ballast_market_config::MarketFile;
use ballast_migrations::bootstrap::ui_amount;
use ballast_migrations::{bootstrap, fund, set_price, Deployment, Options};
use clap::{Parser, Subcommand};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_signer::Signer;

#[derive(Parser)]
#[command(
    name = "ballast-migrate",
    version,
    about = "Bootstrap a Ballast market from a market config file over JSON-RPC"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Airdrop to the authority, create a mint and a Pyth price account per reserve, then
    /// init_market and init_reserve for every reserve; writes the deployment JSON.
    Bootstrap {
        #[arg(long, default_value = "http://127.0.0.1:8899")]
        url: String,
        /// Market config (TOML, or JSON with a .json extension): the simulator's format.
        #[arg(long, default_value = "migrations/local-market.toml")]
        config: PathBuf,
        /// The market authority (and mint authority); created if missing.
        #[arg(long, default_value = "target/localnet/authority.json")]
        keypair: PathBuf,
        /// The market account's keypair; created if missing (default: beside --out).
        #[arg(long)]
        market_keypair: Option<PathBuf>,
        /// The deployment JSON to write; an existing one is read first so a re-run reuses its
        /// mints and oracles where they still exist.
        #[arg(long, default_value = "target/localnet/deployment.json")]
        out: PathBuf,
        /// Written as the deployment's "cluster".
        #[arg(long, default_value = "localnet")]
        cluster: String,
        /// Written as the deployment's "rpcUrl" (default: --url).
        #[arg(long)]
        public_rpc_url: Option<String>,
    },
    /// Rewrites a reserve's Pyth price account (local node only), published at the node's clock.
    SetPrice {
        #[arg(long, default_value = "http://127.0.0.1:8899")]
        url: String,
        #[arg(long, default_value = "target/localnet/deployment.json")]
        deployment: PathBuf,
        #[arg(long)]
        symbol: String,
        /// USD per whole token.
        #[arg(long)]
        price: f64,
        /// Confidence, bps of the price.
        #[arg(long, default_value_t = 10)]
        conf_bps: u16,
        /// EMA price, USD (default: --price).
        #[arg(long)]
        ema: Option<f64>,
    },
    /// Mints test tokens into the owner's associated token account (created if missing) and
    /// airdrops SOL to the owner.
    Fund {
        #[arg(long, default_value = "http://127.0.0.1:8899")]
        url: String,
        #[arg(long, default_value = "target/localnet/deployment.json")]
        deployment: PathBuf,
        /// The mint authority (the bootstrap's --keypair).
        #[arg(long, default_value = "target/localnet/authority.json")]
        keypair: PathBuf,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        symbol: String,
        /// Whole tokens, a decimal ("250.5").
        #[arg(long)]
        amount: String,
        /// SOL to airdrop to the owner (0 = none).
        #[arg(long, default_value = "10")]
        sol: String,
    },
    /// Prints the market's risk overview as the engine computes it from the chain's accounts
    /// (health factors weighted by debt, liquidation map per collateral, stress scenarios), as
    /// JSON: the reference the dApp's Risk page is checked against.
    Risk {
        #[arg(long, default_value = "http://127.0.0.1:8899")]
        url: String,
        #[arg(long, default_value = "target/localnet/deployment.json")]
        deployment: PathBuf,
    },
    /// Opens one obligation per --obligation, each for a fresh owner funded by the mint
    /// authority (local node): "SOL:10,ETH:2/USDC:4000" deposits 10 SOL and 2 ETH, then
    /// borrows 4,000 USDC.
    SeedBook {
        #[arg(long, default_value = "http://127.0.0.1:8899")]
        url: String,
        #[arg(long, default_value = "target/localnet/deployment.json")]
        deployment: PathBuf,
        /// The mint authority (the bootstrap's --keypair).
        #[arg(long, default_value = "target/localnet/authority.json")]
        keypair: PathBuf,
        #[arg(long = "obligation", required = true)]
        obligations: Vec<ballast_migrations::risk::SeedSpec>,
    },
}

/// Reads a keypair file, or creates one (and its directory) if it does not exist.
fn keypair_or_new(path: &Path) -> Result<Keypair> {
    if path.exists() {
        return solana_keypair::read_keypair_file(path).map_err(|e| anyhow!("reading keypair {}: {e}", path.display()));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let keypair = Keypair::new();
    solana_keypair::write_keypair_file(&keypair, path)
        .map_err(|e| anyhow!("writing keypair {}: {e}", path.display()))?;
    println!("created keypair {} ({})", path.display(), keypair.pubkey());
    Ok(keypair)
}

fn chain(url: &str) -> RpcChain {
    RpcChain::new(url, CommitmentConfig::confirmed(), Duration::from_secs(60))
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Bootstrap { url, config, keypair, market_keypair, out, cluster, public_rpc_url } => {
            let file = MarketFile::load(&config).map_err(|e| anyhow!("{}: {e}", config.display()))?;
            let authority = keypair_or_new(&keypair)?;
            let market_keypair = market_keypair.unwrap_or_else(|| out.with_extension("market-keypair.json"));
            let market = keypair_or_new(&market_keypair)?;
            let previous = if out.exists() { Some(Deployment::load(&out)?) } else { None };
            let options =
                Options { cluster, rpc_url: public_rpc_url.unwrap_or_else(|| url.clone()), ..Options::default() };
            let mut node = chain(&url);
            let mut save = |d: &Deployment| d.save(&out);
            bootstrap(&mut node, &file, &authority, &market, previous.as_ref(), &options, &mut save).await?;
            println!("wrote {}", out.display());
        }
        Command::SetPrice { url, deployment, symbol, price, conf_bps, ema } => {
            let deployment = Deployment::load(&deployment)?;
            let mut node = chain(&url);
            let written = set_price(&mut node, &deployment, &symbol, price, conf_bps, ema).await?;
            println!(
                "{symbol}: price {} x 10^{} (conf {}, ema {}) published at {}",
                written.price, written.exponent, written.conf, written.ema_price, written.publish_time
            );
        }
        Command::Fund { url, deployment, keypair, owner, symbol, amount, sol } => {
            let deployment = Deployment::load(&deployment)?;
            let authority = solana_keypair::read_keypair_file(&keypair)
                .map_err(|e| anyhow!("reading keypair {}: {e}", keypair.display()))?;
            let owner = Pubkey::from_str(&owner).map_err(|e| anyhow!("--owner {owner:?}: {e}"))?;
            let decimals = deployment.reserve(&symbol)?.decimals;
            let amount = ui_amount(&amount, decimals)?;
            let lamports = ui_amount(&sol, 9).context("--sol")?;
            let mut node = chain(&url);
            let ata = fund(&mut node, &deployment, &authority, &owner, &symbol, amount, lamports).await?;
            println!("{owner}: {amount} base units of {symbol} in {ata}");
        }
        Command::Risk { url, deployment } => {
            let market = Deployment::load(&deployment)?.market_key()?;
            let overview = ballast_migrations::risk::market_risk(&mut chain(&url), &market).await?;
            println!("{overview}");
        }
        Command::SeedBook { url, deployment, keypair, obligations } => {
            let deployment = Deployment::load(&deployment)?;
            let authority = solana_keypair::read_keypair_file(&keypair)
                .map_err(|e| anyhow!("reading keypair {}: {e}", keypair.display()))?;
            let mut node = chain(&url);
            for spec in &obligations {
                let (owner, obligation) =
                    ballast_migrations::risk::seed_obligation(&mut node, &deployment, &authority, spec).await?;
                println!("seeded obligation {obligation} (owner {owner})");
            }
        }
    }
    Ok(())
}
