//! Evidence for cascade containment (`ballast-sim cascade`): one book and the same price paths
//! under the fixed bonus ramp and the Dutch auction (a calm decline, a market-wide crash, a GBM
//! path, and the crash into shallow pools), then liquidation pacing off and on (a sweep of depth
//! budgets and paced close factors, over several books) through a crash whose liquidators sell
//! into constant-product pools of limited depth, so their sales move the price and cause further
//! liquidations. Every protocol rule is the engine's: the
//! variants only set the market's knobs (`auction_secs`, `paced_close_factor_bps`,
//! `pacing_window_secs`) and the reserves' `liquidation_depth_budget_usd`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::book::{self, Book};
use crate::compare::{self, fall, Comparison, EvidencePath, Row, Variant};
use crate::config::{LiquiditySection, Market};
use crate::engine::SimParams;
use crate::paths;

mod tables;
pub use tables::{auction_table, effects_table, pacing_table};

/// The settings of both comparisons (the command's flags).
#[derive(Clone, Debug, Serialize)]
pub struct CascadeSettings {
    /// Obligations in the generated book and the seed of the book and the GBM path.
    pub count: usize,
    pub seed: u64,
    /// Seconds per step (a minute: the auction moves within minutes).
    pub step_secs: u64,
    /// The liquidators' cost: they take a plan once its bonus reaches it, and mark the
    /// obligation for the auction while it does not. The auction comparison runs each of
    /// `auction_costs_bps`; the pacing comparison `liquidator_cost_bps`.
    pub liquidator_cost_bps: u16,
    pub auction_costs_bps: Vec<u16>,
    /// The Dutch auction's length in the auction variant.
    pub auction_secs: u64,
    /// Steps over which liquidation-sale price impact halves (arbitrage re-centring the pools).
    pub impact_half_life_steps: f64,
    /// The calm decline: every non-stable asset falls by this over `calm_hours`.
    pub calm_drop: f64,
    pub calm_hours: usize,
    /// The crash: every non-stable asset falls by this over `crash_minutes`, then stays flat to
    /// `hours`.
    pub crash_drop: f64,
    pub crash_minutes: usize,
    pub hours: usize,
    pub gbm_hours: usize,
    /// The pacing comparison's pools: every non-stable reserve's constant-product depth, USD.
    pub pool_depth_usd: f64,
    /// The pacing sweep: every (budget, paced close factor) pair, over `pacing_window_secs`.
    pub depth_budgets_usd: Vec<u64>,
    pub paced_close_factors_bps: Vec<u16>,
    pub pacing_window_secs: u64,
    /// Books (seeds `seed`, `seed + 1`, ...) the pacing comparison runs: one book can flatter a
    /// setting that does not help on the next.
    pub pacing_books: usize,
}

impl Default for CascadeSettings {
    fn default() -> Self {
        CascadeSettings {
            count: 2_000,
            seed: 7,
            step_secs: 60,
            liquidator_cost_bps: 100,
            auction_costs_bps: vec![100, 300],
            auction_secs: 600,
            impact_half_life_steps: 30.0,
            calm_drop: 0.15,
            calm_hours: 12,
            crash_drop: 0.40,
            crash_minutes: 30,
            hours: 16,
            gbm_hours: 720,
            pool_depth_usd: 20_000_000.0,
            depth_budgets_usd: vec![1_000_000, 5_000_000],
            paced_close_factors_bps: vec![1_000, 2_500],
            pacing_window_secs: 3_600,
            pacing_books: 4,
        }
    }
}

impl CascadeSettings {
    /// The run parameters both comparisons share: minute steps, the liquidators' cost, the
    /// impact's half-life.
    pub fn params(&self, market: &Market) -> SimParams {
        let mut params = SimParams::from_market(market);
        params.seed = self.seed;
        params.step_secs = self.step_secs;
        params.min_bonus_bps = self.liquidator_cost_bps;
        params.impact_half_life_steps = self.impact_half_life_steps;
        params
    }

    fn steps_per_hour(&self) -> usize {
        (3_600 / self.step_secs.max(1)) as usize
    }

    /// Every non-stable asset down by `drop`, linear over `fall_steps`, flat to `hours`.
    fn decline(&self, market: &Market, name: String, drop: f64, fall_steps: usize) -> EvidencePath {
        let drops: Vec<f64> = market.reserves.iter().map(|r| if r.sim.stable { 0.0 } else { drop }).collect();
        let steps = (self.hours * self.steps_per_hour()).max(fall_steps + 2);
        EvidencePath { name, step_secs: self.step_secs, prices: fall(market, &drops, fall_steps, steps) }
    }

    fn crash(&self, market: &Market) -> EvidencePath {
        let name = format!("crash -{:.0}% over {} min", self.crash_drop * 100.0, self.crash_minutes);
        let fall_steps = (self.crash_minutes as u64 * 60 / self.step_secs.max(1)) as usize;
        self.decline(market, name, self.crash_drop, fall_steps)
    }

    /// The auction comparison's paths: the calm decline, the crash and the GBM path.
    pub fn auction_paths(&self, market: &Market) -> Result<Vec<EvidencePath>, String> {
        let calm = format!("calm -{:.0}% over {} h", self.calm_drop * 100.0, self.calm_hours);
        let gbm_steps = self.gbm_hours * self.steps_per_hour();
        Ok(vec![
            self.decline(market, calm, self.calm_drop, self.calm_hours * self.steps_per_hour()),
            self.crash(market),
            EvidencePath {
                name: format!("gbm {} h", self.gbm_hours),
                step_secs: self.step_secs,
                prices: paths::gbm(market, gbm_steps, self.step_secs, self.seed)?,
            },
        ])
    }

    /// The pacing comparison's path: the crash (its pools are set by `with_pools`).
    pub fn pacing_paths(&self, market: &Market) -> Vec<EvidencePath> {
        vec![self.crash(market)]
    }

    /// The market with every non-stable reserve selling into a constant-product pool of
    /// `pool_depth_usd`.
    pub fn with_pools(&self, market: &Market) -> Market {
        let mut market = market.clone();
        for r in market.reserves.iter_mut().filter(|r| !r.sim.stable) {
            r.sim.liquidity = LiquiditySection::ConstantProduct { depth_usd: self.pool_depth_usd };
        }
        market
    }

    /// Pacing off, then on for every (budget, paced close factor) pair.
    pub fn pacing_variants(&self) -> Vec<Variant> {
        let mut variants = vec![pacing_variant(0, 0, self.pacing_window_secs)];
        for &budget in &self.depth_budgets_usd {
            for &close_factor in &self.paced_close_factors_bps {
                variants.push(pacing_variant(budget, close_factor, self.pacing_window_secs));
            }
        }
        variants
    }
}

/// For each liquidators' cost, the fixed bonus ramp (the auction off) against the Dutch auction
/// over `auction_secs`.
pub fn auction_variants(auction_secs: u64, costs_bps: &[u16]) -> Vec<Variant> {
    let mut variants = Vec::new();
    for &cost in costs_bps {
        variants.push(Variant::new(
            format!("ramp {cost}"),
            format!("fixed bonus ramp (auction_secs = 0); liquidators' cost {cost} bps"),
            move |market, _, params| {
                market.liquidation.auction_secs = 0;
                params.min_bonus_bps = cost;
            },
        ));
        variants.push(Variant::new(
            format!("auction {cost}"),
            format!("Dutch auction over {auction_secs} s; liquidators' cost {cost} bps"),
            move |market, _, params| {
                market.liquidation.auction_secs = auction_secs;
                params.min_bonus_bps = cost;
            },
        ));
    }
    variants
}

/// Pacing with a depth budget of `budget_usd` on every non-stable reserve and a paced close
/// factor of `close_factor_bps` over `window_secs` (budget 0: off).
pub fn pacing_variant(budget_usd: u64, close_factor_bps: u16, window_secs: u64) -> Variant {
    if budget_usd == 0 || close_factor_bps == 0 {
        return Variant::new("off", "no pacing (the default: depth budget 0, paced close factor 0)", |market, _, _| {
            market.liquidation.paced_close_factor_bps = 0;
            market.reserves.iter_mut().for_each(|r| r.liquidation_depth_budget_usd = 0);
        });
    }
    Variant::new(
        format!("${}M/{}%", budget_usd as f64 / 1e6, close_factor_bps / 100),
        format!("pacing: above ${budget_usd} seized per {window_secs} s window, close factor {close_factor_bps} bps"),
        move |market, _, _| {
            market.liquidation.paced_close_factor_bps = close_factor_bps.min(market.liquidation.close_factor_bps);
            market.liquidation.pacing_window_secs = window_secs;
            for r in market.reserves.iter_mut().filter(|r| !r.sim.stable) {
                r.liquidation_depth_budget_usd = budget_usd;
            }
        },
    )
}

/// `ballast-sim cascade`'s flags (the rest of `CascadeSettings` keeps its default).
#[derive(clap::Args, Clone, Debug)]
pub struct CascadeArgs {
    #[arg(long, default_value = "crates/ballast-sim/markets/sol-lst-usdc.toml")]
    pub market: PathBuf,
    #[arg(long, default_value_t = 2_000)]
    pub count: usize,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Liquidators' costs the auction comparison runs (the least bonus they take; below it they
    /// mark the obligation), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "100,300")]
    pub auction_costs_bps: Vec<u16>,
    /// Liquidators' cost in the pacing runs.
    #[arg(long, default_value_t = 100)]
    pub liquidator_cost_bps: u16,
    #[arg(long, default_value_t = 600)]
    pub auction_secs: u64,
    /// Constant-product depth of every non-stable reserve's pool in the pacing runs, USD.
    #[arg(long, default_value_t = 20_000_000.0)]
    pub pool_depth_usd: f64,
    /// Depth budgets swept, USD per pacing window, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000000,5000000")]
    pub budgets_usd: Vec<u64>,
    /// Paced close factors swept, bps, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1000,2500")]
    pub paced_close_factors_bps: Vec<u16>,
    #[arg(long, default_value_t = 3_600)]
    pub pacing_window_secs: u64,
    /// Books (seeds from --seed) the pacing comparison runs.
    #[arg(long, default_value_t = 4)]
    pub pacing_books: usize,
    /// Seconds per step (the auction's bonus moves once a step).
    #[arg(long, default_value_t = 60)]
    pub step_secs: u64,
    /// Length of the GBM path, hours.
    #[arg(long, default_value_t = 720)]
    pub gbm_hours: usize,
    #[arg(long, default_value = "target/sim-report/cascade")]
    pub out: PathBuf,
}

impl CascadeArgs {
    pub fn settings(&self) -> CascadeSettings {
        CascadeSettings {
            count: self.count,
            seed: self.seed,
            liquidator_cost_bps: self.liquidator_cost_bps,
            auction_costs_bps: self.auction_costs_bps.clone(),
            auction_secs: self.auction_secs,
            pool_depth_usd: self.pool_depth_usd,
            depth_budgets_usd: self.budgets_usd.clone(),
            paced_close_factors_bps: self.paced_close_factors_bps.clone(),
            pacing_window_secs: self.pacing_window_secs,
            pacing_books: self.pacing_books,
            step_secs: self.step_secs.max(1),
            gbm_hours: self.gbm_hours,
            ..Default::default()
        }
    }
}

/// Both comparisons of one book.
#[derive(Serialize)]
pub struct Cascade {
    pub settings: CascadeSettings,
    pub auction: Comparison,
    pub pacing: Comparison,
    pub pacing_effects: Vec<PacingEffect>,
}

/// The market's book generated with `seed` (`count` obligations).
pub fn book_for(market: &Market, settings: &CascadeSettings, seed: u64) -> Result<Book, String> {
    let mut spec = market.simulation.book.clone();
    spec.count = settings.count;
    book::generate(market, &spec, seed)
}

/// Runs the book of `seed` through the auction comparison, and the books of `seed`,
/// `seed + 1`, ... (`pacing_books` of them) through the pacing comparison (one path per book).
pub fn run(market: &Market, settings: &CascadeSettings) -> Result<Cascade, String> {
    let params = settings.params(market);
    let book = book_for(market, settings, settings.seed)?;
    let variants = auction_variants(settings.auction_secs, &settings.auction_costs_bps);
    let mut auction = compare::run(market, &book, &params, &settings.auction_paths(market)?, &variants)?;
    // The crash again with liquidators selling into shallow pools: a cascade that leaves bad
    // debt, where the auction must not leave more.
    let pools = settings.with_pools(market);
    let mut shallow = settings.pacing_paths(&pools);
    shallow.iter_mut().for_each(|p| p.name = format!("{}, ${:.0}M pools", p.name, settings.pool_depth_usd / 1e6));
    let cascade = compare::run(&pools, &book, &params, &shallow, &variants)?;
    auction.rows.extend(cascade.rows);
    auction.reports.extend(cascade.reports);
    let mut pacing: Option<Comparison> = None;
    for seed in (settings.seed..).take(settings.pacing_books.max(1)) {
        let book = book_for(market, settings, seed)?;
        let mut paths = settings.pacing_paths(&pools);
        paths.iter_mut().for_each(|p| p.name = format!("{} book {seed}", p.name));
        let runs = compare::run(&pools, &book, &params, &paths, &settings.pacing_variants())?;
        match &mut pacing {
            None => pacing = Some(runs),
            Some(all) => {
                all.rows.extend(runs.rows);
                all.reports.extend(runs.reports);
            }
        }
    }
    let pacing = pacing.ok_or("no pacing run")?;
    let effects = pacing_effects(&pacing.rows);
    Ok(Cascade { settings: settings.clone(), auction, pacing, pacing_effects: effects })
}

/// What one pacing setting did against pacing off, over the books.
#[derive(Clone, Debug, Serialize)]
pub struct PacingEffect {
    pub variant: String,
    pub books: usize,
    /// Books where it lowered total bad debt, slippage, and both.
    pub bad_debt_lower: usize,
    pub slippage_lower: usize,
    pub both_lower: usize,
    /// Sums over the books, off and on, USD.
    pub bad_debt_off_usd: f64,
    pub bad_debt_on_usd: f64,
    pub slippage_off_usd: f64,
    pub slippage_on_usd: f64,
}

/// Each pacing setting against "off" on the same path (book).
pub fn pacing_effects(rows: &[Row]) -> Vec<PacingEffect> {
    let mut effects: Vec<PacingEffect> = Vec::new();
    for on in rows.iter().filter(|r| r.variant != "off") {
        let Some(off) = rows.iter().find(|r| r.path == on.path && r.variant == "off") else { continue };
        let k = match effects.iter().position(|e| e.variant == on.variant) {
            Some(k) => k,
            None => {
                effects.push(PacingEffect {
                    variant: on.variant.clone(),
                    books: 0,
                    bad_debt_lower: 0,
                    slippage_lower: 0,
                    both_lower: 0,
                    bad_debt_off_usd: 0.0,
                    bad_debt_on_usd: 0.0,
                    slippage_off_usd: 0.0,
                    slippage_on_usd: 0.0,
                });
                effects.len() - 1
            }
        };
        let e = &mut effects[k];
        let (debt, slip) = (on.bad_debt_usd < off.bad_debt_usd, on.slippage_usd < off.slippage_usd);
        e.books += 1;
        e.bad_debt_lower += debt as usize;
        e.slippage_lower += slip as usize;
        e.both_lower += (debt && slip) as usize;
        e.bad_debt_off_usd += off.bad_debt_usd;
        e.bad_debt_on_usd += on.bad_debt_usd;
        e.slippage_off_usd += off.slippage_usd;
        e.slippage_on_usd += on.slippage_usd;
    }
    effects
}

/// Writes `report.json` (settings and both comparisons' rows) into `dir`, and each comparison's
/// report and plots into `dir/auction` and `dir/pacing`.
pub fn write(cascade: &Cascade, dir: &Path) -> Result<Vec<PathBuf>, String> {
    #[derive(Serialize)]
    struct Rows<'a> {
        settings: &'a CascadeSettings,
        auction: &'a [Row],
        pacing: &'a [Row],
        pacing_effects: &'a [PacingEffect],
    }
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let json = dir.join("report.json");
    let rows = Rows {
        settings: &cascade.settings,
        auction: &cascade.auction.rows,
        pacing: &cascade.pacing.rows,
        pacing_effects: &cascade.pacing_effects,
    };
    std::fs::write(&json, serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let mut written = vec![json];
    written.extend(compare::write(&cascade.auction, &dir.join("auction"))?);
    written.extend(compare::write(&cascade.pacing, &dir.join("pacing"))?);
    // The first book's runs side by side (price, slippage, bad debt).
    let first = cascade.pacing.rows.first().map_or("", |r| r.path.as_str());
    let runs: Vec<(&str, &crate::Report)> = cascade
        .pacing
        .rows
        .iter()
        .zip(&cascade.pacing.reports)
        .filter(|(r, _)| r.path == first)
        .map(|(r, report)| (r.variant.as_str(), report))
        .collect();
    let title = format!("pacing, {first}");
    written.extend(crate::plot::write_variants(&runs, &title, crate::plot::VariantPanels::Cascade, dir, "pacing")?);
    Ok(written)
}

/// `ballast-sim cascade`: generates the market's book, runs both comparisons, prints the tables
/// and writes the report and plots into `out`.
pub fn cascade_command(market: &Market, settings: &CascadeSettings, out: &Path) -> Result<(), String> {
    let started = std::time::Instant::now();
    let cascade = run(market, settings)?;
    println!("market {:?}, books of {} obligations, {} s steps", market.name, settings.count, settings.step_secs);
    println!("\nfixed bonus ramp vs Dutch auction ({} s):", settings.auction_secs);
    print!("{}", auction_table(&cascade.auction.rows));
    println!(
        "\npacing off vs on (pools ${:.0}M deep, window {} s, liquidators' cost {} bps):",
        settings.pool_depth_usd / 1e6,
        settings.pacing_window_secs,
        settings.liquidator_cost_bps
    );
    print!("{}", pacing_table(&cascade.pacing.rows));
    println!("\neach pacing setting against off, over {} books:", settings.pacing_books.max(1));
    print!("{}", effects_table(&cascade.pacing_effects));
    let runs = cascade.auction.rows.len() + cascade.pacing.rows.len();
    println!("{runs} runs in {:.1} s", started.elapsed().as_secs_f64());
    let written = write(&cascade, out)?;
    println!("wrote {} files into {} (report.json, plots)", written.len(), out.display());
    Ok(())
}
