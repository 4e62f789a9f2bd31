//! `ballast-sim`: crash / gbm / replay runs, parameter sweeps, a throughput bench, book
//! generation, and snapshots of a running market over JSON-RPC. Run from the repository root:
//! `cargo run --release -p ballast-sim -- crash`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use ballast_sim::config::{MarketFile, EXAMPLE_MARKET_TOML};
use ballast_sim::snapshot::Snapshot;
use ballast_sim::{book, plot, report, sweep, Book, Market, Scenario, SimParams};
use clap::{Args, Parser, Subcommand};

const DEFAULT_MARKET: &str = "crates/ballast-market-config/market.toml";

#[derive(Parser)]
#[command(
    name = "ballast-sim",
    version,
    about = "Ballast stress simulator: price paths over a book of positions, cascading liquidations and bad debt, computed with ballast-math"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scripted crash (default: every non-stable asset -40% over 10 minutes, then flat).
    Crash {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        crash: CrashArgs,
        #[arg(long, default_value = "target/sim-report")]
        out: PathBuf,
    },
    /// Correlated GBM with jumps from the market's `sim` tables.
    Gbm {
        #[command(flatten)]
        common: Common,
        /// Steps (at step_secs each; 1440 = one day of minutes).
        #[arg(long, default_value_t = 1440)]
        steps: usize,
        #[arg(long, default_value = "target/sim-report")]
        out: PathBuf,
    },
    /// Historical prices from a CSV (header: optional step/time column, then reserve symbols).
    Replay {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        prices: PathBuf,
        #[arg(long, default_value = "target/sim-report")]
        out: PathBuf,
    },
    /// Grid over LTV, liquidation threshold, max bonus, close factor and circuit breaker.
    Sweep {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        crash: CrashArgs,
        /// "crash" (uses the crash flags) or "gbm".
        #[arg(long, default_value = "crash")]
        scenario: String,
        /// Steps for --scenario gbm.
        #[arg(long, default_value_t = 1440)]
        gbm_steps: usize,
        #[arg(long, value_delimiter = ',', default_value = "6500,7000,7500")]
        ltv: Vec<u16>,
        #[arg(long, value_delimiter = ',', default_value = "7500,8000,8500")]
        lt: Vec<u16>,
        #[arg(long, value_delimiter = ',', default_value = "500,1000")]
        max_bonus: Vec<u16>,
        #[arg(long, value_delimiter = ',', default_value = "2000,5000")]
        close_factor: Vec<u16>,
        /// Circuit-breaker thresholds, bps of |spot - EMA| / EMA (0 = off).
        #[arg(long, value_delimiter = ',', default_value = "0,1000")]
        breaker: Vec<u16>,
        /// Reserves the grid applies to (default: every non-stable reserve).
        #[arg(long, value_delimiter = ',')]
        grid_assets: Vec<String>,
        /// A combination passes if its total bad debt (socialized + unrealized) is at most this.
        #[arg(long, default_value_t = 1000.0)]
        max_bad_debt_usd: f64,
        /// Worker threads.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Also write the rows as JSON here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Throughput: position-steps per second on one core (build with --release).
    Bench {
        #[arg(long, default_value = DEFAULT_MARKET)]
        market: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        #[arg(long, default_value_t = 1_000)]
        steps: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Snapshot a running market over JSON-RPC (getProgramAccounts for its reserves and
    /// obligations, getMultipleAccounts for the market and oracles) and write its book.
    Snapshot {
        /// JSON-RPC endpoint (HTTP).
        #[arg(long, default_value = "http://127.0.0.1:8899")]
        url: String,
        /// The market's address (base58).
        #[arg(long)]
        market: String,
        /// Deployment JSON (`ballast-migrate bootstrap --out`) naming each mint's symbol;
        /// without it a reserve is named by the first 6 characters of its mint.
        #[arg(long)]
        deployment: Option<PathBuf>,
        /// The book (.json or .csv), loadable with `--book`.
        #[arg(long, default_value = "target/sim-report/book.json")]
        out: PathBuf,
        /// Also write every reserve's and obligation's numbers (shares, indices, prices,
        /// health factors) as JSON here.
        #[arg(long)]
        state_out: Option<PathBuf>,
    },
    /// Classic weights vs scenario margin: the same book and price paths (an LST depeg, a
    /// market-wide crash, a GBM year), every obligation in one mode, then in the other.
    Margin {
        #[arg(long, default_value = "crates/ballast-sim/markets/sol-lst-usdc.toml")]
        market: PathBuf,
        #[arg(long)]
        count: Option<usize>,
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, default_value = "target/sim-report/margin")]
        out: PathBuf,
    },
    /// Cascade containment: the fixed bonus ramp vs the Dutch auction (a calm decline, a crash,
    /// a GBM path), then liquidation pacing off vs on (a sweep) through a crash into pools of
    /// limited depth; same book, same paths, minute steps.
    Cascade(ballast_sim::cascade::CascadeArgs),
    /// Generate a book and write it (.json or .csv).
    GenBook {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value = "target/sim-report/book.json")]
        out: PathBuf,
    },
}

#[derive(Args, Clone)]
struct Common {
    /// Market config (TOML, or JSON with a .json extension). If the default path does not
    /// exist (not at the repo root), the example compiled into the binary is used.
    #[arg(long, default_value = DEFAULT_MARKET)]
    market: PathBuf,
    /// Load the book from JSON or CSV instead of generating it.
    #[arg(long)]
    book: Option<PathBuf>,
    /// Start from a running market's exact state (reserves' accounting, obligations' shares,
    /// on-chain risk config, oracle prices), fetched over JSON-RPC from this URL; `--market`
    /// then only supplies the `sim` tables (matched by symbol) and `[simulation]`.
    #[arg(long, conflicts_with = "book", requires = "market_address")]
    from_rpc: Option<String>,
    /// With --from-rpc: the market's address (base58).
    #[arg(long)]
    market_address: Option<String>,
    /// With --from-rpc: deployment JSON naming each mint's symbol (see `snapshot`).
    #[arg(long)]
    deployment: Option<PathBuf>,
    /// Obligations to generate (default: [simulation.book] count).
    #[arg(long)]
    count: Option<usize>,
    #[arg(long)]
    seed: Option<u64>,
    #[arg(long)]
    step_secs: Option<u64>,
    /// Liquidator capacity, USD of debt repaid per step (negative = unlimited).
    #[arg(long, allow_negative_numbers = true)]
    capacity_usd: Option<f64>,
    /// Steps an obligation is liquidatable before liquidators act.
    #[arg(long)]
    latency: Option<u32>,
    #[arg(long)]
    min_bonus_bps: Option<u16>,
    /// Probability per step that a borrower tops leverage back up.
    #[arg(long)]
    relever_prob: Option<f64>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

#[derive(Args, Clone)]
struct CrashArgs {
    /// Fall, as a fraction (0.4 = -40%).
    #[arg(long, default_value_t = 0.40)]
    drop: f64,
    /// Optional rise first (0.3 = +30%), held 30 steps, then the drop.
    #[arg(long, default_value_t = 0.0)]
    pump: f64,
    /// Duration of the fall, minutes.
    #[arg(long, default_value_t = 10.0)]
    crash_minutes: f64,
    #[arg(long, default_value_t = 5)]
    start_step: usize,
    #[arg(long, default_value_t = 120)]
    steps: usize,
    /// Assets that crash (default: every non-stable reserve).
    #[arg(long, value_delimiter = ',')]
    assets: Vec<String>,
}

fn load_market(path: &Path) -> Result<Market, String> {
    if path.exists() {
        Market::load(path).map_err(|e| e.to_string())
    } else if path == Path::new(DEFAULT_MARKET) {
        eprintln!("note: {DEFAULT_MARKET} not found here; using the example market compiled into the binary");
        MarketFile::from_toml(EXAMPLE_MARKET_TOML).and_then(|f| f.validate()).map_err(|e| e.to_string())
    } else {
        Err(format!("{}: no such file", path.display()))
    }
}

fn indices(market: &Market, symbols: &[String]) -> Result<Vec<usize>, String> {
    if symbols.is_empty() {
        return Ok((0..market.reserves.len()).filter(|&i| !market.reserves[i].sim.stable).collect());
    }
    symbols.iter().map(|s| market.index_of(s).ok_or(format!("unknown asset {s}"))).collect()
}

/// What a run starts from.
enum Start {
    /// A book opened into fresh reserves.
    Book(Book),
    /// A running market's state.
    Snapshot(Snapshot),
}

/// Symbols per mint from a deployment JSON (`{"reserves":[{"symbol":..,"mint":..}]}`).
fn deployment_symbols(path: Option<&Path>) -> Result<HashMap<Pubkey, String>, String> {
    let Some(path) = path else { return Ok(HashMap::new()) };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = HashMap::new();
    for r in json["reserves"].as_array().ok_or(format!("{}: no \"reserves\" array", path.display()))? {
        let (Some(symbol), Some(mint)) = (r["symbol"].as_str(), r["mint"].as_str()) else {
            return Err(format!("{}: every reserve needs \"symbol\" and \"mint\"", path.display()));
        };
        out.insert(Pubkey::from_str(mint).map_err(|e| format!("mint {mint}: {e}"))?, symbol.to_string());
    }
    Ok(out)
}

/// Fetches a market over JSON-RPC (`ballast_client::chain::fetch_market`) and snapshots it.
fn fetch_snapshot(url: &str, market: &str, deployment: Option<&Path>) -> Result<Snapshot, String> {
    use ballast_client::chain::fetch_market;
    use ballast_client::rpc::RpcChain;
    let market = Pubkey::from_str(market).map_err(|e| format!("market address {market:?}: {e}"))?;
    let symbols = deployment_symbols(deployment)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let accounts = runtime
        .block_on(async {
            let mut chain = RpcChain::new(
                url,
                solana_commitment_config::CommitmentConfig::confirmed(),
                std::time::Duration::from_secs(30),
            );
            fetch_market(&mut chain, &market).await
        })
        .map_err(|e| format!("{url}: {e}"))?;
    let market_account = accounts.market_account.as_ref().ok_or(format!("market {market} not found at {url}"))?;
    ballast_sim::snapshot::snapshot(
        &market,
        market_account,
        &accounts.reserves,
        &accounts.obligations,
        &accounts.oracles,
        accounts.now,
        &|mint| symbols.get(mint).cloned(),
    )
    .map_err(|e| e.to_string())
}

fn prepare(common: &Common) -> Result<(Market, Start, SimParams), String> {
    let mut market = load_market(&common.market)?;
    let mut snapshot = None;
    if let Some(url) = &common.from_rpc {
        let address = common.market_address.as_deref().ok_or("--from-rpc needs --market-address")?;
        let s = fetch_snapshot(url, address, common.deployment.as_deref())?;
        eprint!("{}", s.table());
        market = s.market(Some(&market));
        snapshot = Some(s);
    }
    let mut params = SimParams::from_market(&market);
    if let Some(s) = common.seed {
        params.seed = s;
    }
    if let Some(s) = common.step_secs {
        params.step_secs = s.max(1);
    }
    if let Some(c) = common.capacity_usd {
        params.capacity_usd_per_step = c;
    }
    if let Some(l) = common.latency {
        params.latency_steps = l;
    }
    if let Some(b) = common.min_bonus_bps {
        params.min_bonus_bps = b;
    }
    if let Some(p) = common.relever_prob {
        params.relever_prob_per_step = p;
    }
    params.progress = !common.quiet;
    let start = match (&common.book, snapshot) {
        (_, Some(snapshot)) => {
            params.start_unix = snapshot.now;
            params.clamp_borrows = false;
            Start::Snapshot(snapshot)
        }
        (Some(path), None) => {
            params.clamp_borrows = false;
            Start::Book(Book::load(path)?)
        }
        (None, None) => {
            let mut spec = market.simulation.book.clone();
            if let Some(c) = common.count {
                spec.count = c;
            }
            Start::Book(book::generate(&market, &spec, params.seed)?)
        }
    };
    Ok((market, start, params))
}

fn crash_scenario(market: &Market, args: &CrashArgs, step_secs: u64) -> Result<Scenario, String> {
    Ok(Scenario::Crash {
        assets: indices(market, &args.assets)?,
        drop: args.drop,
        pump: args.pump,
        start_step: args.start_step,
        crash_steps: ((args.crash_minutes * 60.0 / step_secs as f64).round() as usize).max(1),
        steps: args.steps,
    })
}

fn run_and_write(
    market: &Market,
    start: &Start,
    scenario: &Scenario,
    params: SimParams,
    out: &Path,
) -> Result<(), String> {
    let report = match start {
        Start::Book(book) => ballast_sim::simulate(market, book, scenario, params)?,
        Start::Snapshot(snapshot) => ballast_sim::simulate_snapshot(market, snapshot, scenario, params)?,
    };
    print!("{}", report::summary_table(&report));
    let json = report::write_json(&report, out).map_err(|e| e.to_string())?;
    let plots = plot::write_plots(&report, out)?;
    println!("wrote {}", json.display());
    for p in plots {
        println!("wrote {}", p.display());
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = (|| -> Result<(), String> {
        match cli.command {
            Command::Crash { common, crash, out } => {
                let (market, start, params) = prepare(&common)?;
                let scenario = crash_scenario(&market, &crash, params.step_secs)?;
                run_and_write(&market, &start, &scenario, params, &out)
            }
            Command::Gbm { common, steps, out } => {
                let (market, start, params) = prepare(&common)?;
                run_and_write(&market, &start, &Scenario::Gbm { steps }, params, &out)
            }
            Command::Replay { common, prices, out } => {
                let (market, start, params) = prepare(&common)?;
                let text = std::fs::read_to_string(&prices).map_err(|e| format!("{}: {e}", prices.display()))?;
                run_and_write(&market, &start, &Scenario::Csv { text }, params, &out)
            }
            Command::Sweep {
                common,
                crash,
                scenario,
                gbm_steps,
                ltv,
                lt,
                max_bonus,
                close_factor,
                breaker,
                grid_assets,
                max_bad_debt_usd,
                threads,
                out,
            } => {
                let market = load_market(&common.market)?;
                if common.book.is_some() || common.from_rpc.is_some() {
                    return Err("sweep generates its book (LTV shapes it); --book/--from-rpc are not supported".into());
                }
                let (_, _, params) = prepare(&Common { count: Some(0), ..common.clone() })?;
                let mut spec = market.simulation.book.clone();
                spec.count = common.count.unwrap_or(2_000);
                let scenario = match scenario.as_str() {
                    "crash" => crash_scenario(&market, &crash, params.step_secs)?,
                    "gbm" => Scenario::Gbm { steps: gbm_steps },
                    other => return Err(format!("unknown scenario {other:?} (crash or gbm)")),
                };
                let grid = sweep::Grid {
                    ltv_bps: ltv,
                    liquidation_threshold_bps: lt,
                    max_bonus_bps: max_bonus,
                    close_factor_bps: close_factor,
                    circuit_breaker_bps: breaker,
                    assets: indices(&market, &grid_assets)?,
                };
                let symbols: Vec<&str> = grid.assets.iter().map(|&i| market.reserves[i].symbol.as_str()).collect();
                println!(
                    "sweep: {} combinations on {} ({} obligations, scenario: {}), {} threads",
                    grid.combinations().len(),
                    symbols.join(","),
                    spec.count,
                    scenario.name(),
                    threads
                );
                let started = std::time::Instant::now();
                let rows =
                    sweep::run(&market, &spec, &scenario, &params, &grid, threads, max_bad_debt_usd, !common.quiet)?;
                print!("{}", sweep::table(&rows, max_bad_debt_usd));
                println!("sweep took {:.1} s", started.elapsed().as_secs_f64());
                if let Some(out) = out {
                    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                    }
                    std::fs::write(&out, serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?)
                        .map_err(|e| e.to_string())?;
                    println!("wrote {}", out.display());
                }
                Ok(())
            }
            Command::Bench { market, count, steps, seed } => {
                let market = load_market(&market)?;
                let mut spec = market.simulation.book.clone();
                spec.count = count;
                let book = book::generate(&market, &spec, seed)?;
                let crash = Scenario::default_crash(&market);
                for (scenario, steps) in [(Scenario::Gbm { steps }, steps), (crash, 120)] {
                    let mut params = SimParams::from_market(&market);
                    params.seed = seed;
                    let path = scenario.path(&market, params.step_secs, seed)?;
                    let setup = std::time::Instant::now();
                    let sim = ballast_sim::Sim::new(&market, &book, &path, params)?;
                    let setup_secs = setup.elapsed().as_secs_f64();
                    let report = sim.run(&scenario.name());
                    let s = &report.summary;
                    let rate = s.position_steps as f64 / s.seconds;
                    println!(
                        "bench: {count} obligations x {steps} steps, {} (one thread): {:.3} s run (+{setup_secs:.3} s setup)",
                        scenario.name(),
                        s.seconds
                    );
                    println!("  {:.1} million position-steps per second", rate / 1e6);
                    println!(
                        "  exact ballast_math health evaluations: {} ({:.2}% of position-steps); liquidations {}, new borrows {}",
                        s.exact_health_evaluations,
                        s.exact_health_evaluations as f64 / s.position_steps as f64 * 100.0,
                        s.liquidations,
                        s.borrows
                    );
                }
                if cfg!(debug_assertions) {
                    println!("  (debug build: use `cargo run --release -p ballast-sim -- bench` for the real figure)");
                }
                Ok(())
            }
            Command::Snapshot { url, market, deployment, out, state_out } => {
                let snapshot = fetch_snapshot(&url, &market, deployment.as_deref())?;
                print!("{}", snapshot.table());
                snapshot.book().write(&out)?;
                if let Some(path) = state_out {
                    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                    }
                    let json = serde_json::to_string_pretty(&snapshot.summary()).map_err(|e| e.to_string())?;
                    std::fs::write(&path, json).map_err(|e| e.to_string())?;
                    println!("wrote {}", path.display());
                }
                Ok(())
            }
            Command::Margin { market, count, seed, out } => {
                ballast_sim::compare::margin_command(&load_market(&market)?, count, seed, &out)
            }
            Command::Cascade(args) => {
                ballast_sim::cascade::cascade_command(&load_market(&args.market)?, &args.settings(), &args.out)
            }
            Command::GenBook { common, out } => {
                let (_, start, _) = prepare(&common)?;
                let book = match start {
                    Start::Book(book) => book,
                    Start::Snapshot(snapshot) => snapshot.book(),
                };
                book.write(&out)
            }
        }
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
