//! Ballast stress simulator: price paths over a book of positions, cascading liquidations and
//! bad debt — computed with `ballast_math`, exactly as the program computes them.
//!
//! - [`config`]: the market config file (TOML/JSON), validated with `ballast_math`.
//! - [`book`]: a book of obligations, generated or loaded (JSON/CSV).
//! - [`paths`]: GBM with jumps (correlated), scripted crashes, CSV prices.
//! - [`liquidate`]: one obligation and one liquidation, wired as `programs/ballast` wires the
//!   math (the API the differential tests call).
//! - [`engine`]: the step loop and the report; [`pool`]: sale price impact.
//! - [`report`], [`plot`], [`sweep`]: outputs and parameter grids.
//! - [`compare`]: one book and one set of paths under named variants (classic weights vs
//!   scenario margin), `ballast-sim margin`; [`cascade`]: the fixed bonus ramp vs the Dutch
//!   auction and liquidation pacing off vs on, `ballast-sim cascade`.
//! - [`snapshot`]: a running market's accounts (via `ballast-client`) as the simulator's state.

pub mod book;
pub mod cascade;
pub mod compare;
/// The market file (its own crate, shared with `ballast-migrate`).
pub use ballast_market_config as config;
pub mod engine;
pub mod liquidate;
pub mod paths;
pub mod plot;
pub mod pool;
pub mod report;
pub mod snapshot;
pub mod sweep;

pub use book::{Book, BookEntry};
pub use config::{Market, MarketFile};
pub use engine::{Report, Sim, SimParams};
pub use liquidate::{liquidate, LiquidationOutcome, ObligationState, Position, RepayRequest, SimReserve};
pub use paths::PricePath;

/// Which price path to run.
#[derive(Clone, Debug)]
pub enum Scenario {
    /// `assets` (reserve indices) fall by `drop` over `crash_steps` after `start_step`, then stay
    /// flat; with `pump > 0` they first rise by `pump` over `crash_steps`, hold, then fall by
    /// `drop` from the top.
    Crash { assets: Vec<usize>, drop: f64, pump: f64, start_step: usize, crash_steps: usize, steps: usize },
    /// Correlated GBM with jumps from the market's `sim` tables.
    Gbm { steps: usize },
    /// Prices from CSV text.
    Csv { text: String },
}

impl Scenario {
    /// The default crash: every non-stable asset -40% over 10 steps (10 minutes at 60 s), from
    /// step 5, then flat to step 120.
    pub fn default_crash(market: &Market) -> Scenario {
        Scenario::Crash {
            assets: (0..market.reserves.len()).filter(|&i| !market.reserves[i].sim.stable).collect(),
            drop: 0.40,
            pump: 0.0,
            start_step: 5,
            crash_steps: 10,
            steps: 120,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Scenario::Crash { drop, pump, crash_steps, .. } if *pump > 0.0 => {
                format!("pump +{:.0}% then crash -{:.0}% over {crash_steps} steps", pump * 100.0, drop * 100.0)
            }
            Scenario::Crash { drop, crash_steps, .. } => {
                format!("crash -{:.0}% over {crash_steps} steps, then flat", drop * 100.0)
            }
            Scenario::Gbm { steps } => format!("gbm with jumps, {steps} steps"),
            Scenario::Csv { .. } => "historical prices (csv)".into(),
        }
    }

    pub fn path(&self, market: &Market, step_secs: u64, seed: u64) -> Result<PricePath, String> {
        match self {
            Scenario::Crash { assets, drop, pump, start_step, crash_steps, steps } => {
                if !(0.0..1.0).contains(drop) {
                    return Err("crash drop must be in [0, 1)".into());
                }
                if *pump <= 0.0 {
                    return Ok(paths::crash(market, assets, *drop, *start_step, *crash_steps, *steps));
                }
                let up = paths::crash(market, assets, -pump, *start_step, *crash_steps, *steps);
                let hold = start_step + crash_steps + 30;
                let rows = up
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(t, row)| {
                        let progress =
                            if t <= hold { 0.0 } else { ((t - hold) as f64 / (*crash_steps).max(1) as f64).min(1.0) };
                        row.iter()
                            .enumerate()
                            .map(|(i, p)| if assets.contains(&i) { p * (1.0 - drop * progress) } else { *p })
                            .collect()
                    })
                    .collect();
                Ok(PricePath { rows })
            }
            Scenario::Gbm { steps } => paths::gbm(market, *steps, step_secs, seed),
            Scenario::Csv { text } => paths::from_csv(market, text),
        }
    }
}

/// Builds the path, opens the book and runs it.
pub fn simulate(market: &Market, book: &Book, scenario: &Scenario, params: SimParams) -> Result<Report, String> {
    let path = scenario.path(market, params.step_secs, params.seed)?;
    let sim = Sim::new(market, book, &path, params)?;
    Ok(sim.run(&scenario.name()))
}

/// Builds the path and runs it from a running market's state (`market` = `snapshot.market(..)`).
pub fn simulate_snapshot(
    market: &Market,
    snapshot: &snapshot::Snapshot,
    scenario: &Scenario,
    params: SimParams,
) -> Result<Report, String> {
    let path = scenario.path(market, params.step_secs, params.seed)?;
    let sim = Sim::from_snapshot(market, snapshot, &path, params)?;
    Ok(sim.run(&scenario.name()))
}
