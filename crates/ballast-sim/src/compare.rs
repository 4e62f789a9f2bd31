//! Evidence runs: one book and one set of price paths, run once per named variant of the market
//! or the book, one row per (path, variant). `ballast-sim margin` compares classic weights with
//! scenario margin, `ballast-sim cascade` (`crate::cascade`) the fixed bonus ramp with the Dutch
//! auction and liquidation pacing off with on; a variant is a function that adjusts the market,
//! the book and the run's parameters before the run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ballast_engine::Positions as _;
use ballast_math::{Rounding, WAD};
use serde::Serialize;

use crate::book::{self, Book, BookMargin};
use crate::config::Market;
use crate::engine::{Report, Sim, SimParams};
use crate::paths::{self, PricePath};

/// How a variant changes the market, the book and the run's parameters.
pub type Apply = Arc<dyn Fn(&mut Market, &mut Book, &mut SimParams) + Send + Sync>;

/// A named change to the market, the book or the run's parameters.
#[derive(Clone)]
pub struct Variant {
    pub name: String,
    pub about: String,
    pub apply: Apply,
}

impl Variant {
    pub fn new(
        name: impl Into<String>,
        about: impl Into<String>,
        apply: impl Fn(&mut Market, &mut Book, &mut SimParams) + Send + Sync + 'static,
    ) -> Variant {
        Variant { name: name.into(), about: about.into(), apply: Arc::new(apply) }
    }
}

fn margin_everywhere(book: &mut Book, margin: BookMargin) {
    book.obligations.iter_mut().for_each(|o| o.margin = margin);
}

/// Classic weights against scenario margin: every obligation in one mode, each borrowing its
/// target share of its own borrow power under that mode.
pub fn margin_variants() -> Vec<Variant> {
    vec![
        Variant::new(
            "classic",
            "every obligation on classic weights (LTV, liquidation threshold, borrow factor)",
            |_, book, _| margin_everywhere(book, BookMargin::Classic),
        ),
        Variant::new(
            "scenario",
            "every obligation on scenario margin (the worst of the market's stress scenarios)",
            |_, book, _| margin_everywhere(book, BookMargin::Scenarios),
        ),
    ]
}

/// One price path of an evidence run, with its step length.
#[derive(Clone, Debug)]
pub struct EvidencePath {
    pub name: String,
    pub step_secs: u64,
    pub prices: PricePath,
}

/// The shapes of the margin comparison's paths.
#[derive(Clone, Debug, Serialize)]
pub struct MarginPaths {
    /// The liquid staking token (its depeg); every other non-stable reserve is "SOL".
    pub lst: String,
    /// The LST's fall against everything else, and over how many hours.
    pub depeg: f64,
    pub depeg_hours: usize,
    /// The market-wide crash: every non-stable asset falls by `crash`, the LST by `crash_lst`.
    pub crash: f64,
    pub crash_lst: f64,
    pub crash_hours: usize,
    /// Hours the depeg and the crash run in all (flat after the fall).
    pub hours: usize,
    /// The GBM year: days, and hours per step.
    pub gbm_days: usize,
    pub gbm_step_hours: u64,
}

impl Default for MarginPaths {
    fn default() -> Self {
        MarginPaths {
            lst: "JITOSOL".into(),
            depeg: 0.12,
            depeg_hours: 12,
            crash: 0.40,
            crash_lst: 0.42,
            crash_hours: 6,
            hours: 48,
            gbm_days: 365,
            gbm_step_hours: 1,
        }
    }
}

/// A fall of each asset by `drops[asset]`, linear over `fall` steps from step 2, then flat to
/// `steps`.
pub(crate) fn fall(market: &Market, drops: &[f64], fall: usize, steps: usize) -> PricePath {
    let rows = (0..=steps)
        .map(|t| {
            let progress = (t.saturating_sub(2) as f64 / fall.max(1) as f64).min(1.0);
            market.reserves.iter().zip(drops).map(|(r, d)| r.initial_price * (1.0 - d * progress)).collect()
        })
        .collect();
    PricePath { rows }
}

impl MarginPaths {
    /// The LST depeg, the market-wide crash (hourly steps) and the GBM year.
    pub fn paths(&self, market: &Market, seed: u64) -> Result<Vec<EvidencePath>, String> {
        let lst = market.index_of(&self.lst).ok_or(format!("no reserve {:?} (the LST)", self.lst))?;
        let drops = |lst_drop: f64, other: f64| -> Vec<f64> {
            (0..market.reserves.len())
                .map(|r| {
                    if r == lst {
                        lst_drop
                    } else if market.reserves[r].sim.stable {
                        0.0
                    } else {
                        other
                    }
                })
                .collect()
        };
        let hour = 3_600;
        let gbm_step_secs = self.gbm_step_hours.max(1) * hour;
        let gbm_steps = (self.gbm_days as u64 * 86_400 / gbm_step_secs) as usize;
        Ok(vec![
            EvidencePath {
                name: format!("{} depeg -{:.0}% over {} h", self.lst, self.depeg * 100.0, self.depeg_hours),
                step_secs: hour,
                prices: fall(market, &drops(self.depeg, 0.0), self.depeg_hours, self.hours),
            },
            EvidencePath {
                name: format!(
                    "crash -{:.0}% ({} -{:.0}%) over {} h",
                    self.crash * 100.0,
                    self.lst,
                    self.crash_lst * 100.0,
                    self.crash_hours
                ),
                step_secs: hour,
                prices: fall(market, &drops(self.crash_lst, self.crash), self.crash_hours, self.hours),
            },
            EvidencePath {
                name: format!("gbm {} days, {} h steps", self.gbm_days, self.gbm_step_hours),
                step_secs: gbm_step_secs,
                prices: paths::gbm(market, gbm_steps, gbm_step_secs, seed)?,
            },
        ])
    }
}

/// One run's numbers.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub path: String,
    pub variant: String,
    pub obligations: usize,
    /// Borrow power used: debt opened at the start, USD, in all and per debt asset.
    pub debt_opened_usd: f64,
    pub debt_opened_by_asset_usd: Vec<(String, f64)>,
    pub liquidations: usize,
    pub repaid_usd: f64,
    /// Borrowers' loss to liquidation bonuses (collateral seized less debt repaid), USD.
    pub bonus_usd: f64,
    /// Socialized bad debt plus the shortfall of obligations still insolvent at the end, USD.
    pub bad_debt_usd: f64,
    pub insurance_used_usd: f64,
    /// USD lost selling seized collateral below the oracle price.
    pub slippage_usd: f64,
    /// Liquidators' gain: sale proceeds plus shares at spot less debt repaid, USD.
    pub liquidator_profit_usd: f64,
    /// Auction clocks started by liquidators' marks.
    pub auction_marks: usize,
    /// Obligations still liquidatable at the last step (before its liquidations): what nobody
    /// cleared, e.g. because its bonus stayed below the liquidators' cost.
    pub liquidatable_at_end: usize,
    /// The lowest oracle price of any reserve over the run (sale impact included), % of its
    /// initial price.
    pub trough_pct: f64,
    pub seconds: f64,
}

/// Everything a comparison writes to report.json.
#[derive(Serialize)]
pub struct Comparison {
    pub market: String,
    pub obligations: usize,
    pub variants: Vec<(String, String)>,
    pub rows: Vec<Row>,
    /// The full report of each run, in row order.
    pub reports: Vec<Report>,
}

/// Debt per reserve at the start, USD at the initial prices.
fn debt_opened(sim: &Sim, market: &Market) -> Vec<f64> {
    let mut out = vec![0.0; market.reserves.len()];
    for ob in &sim.obligations {
        for p in ob.active_positions().iter().filter(|p| !p.debt_shares.is_zero()) {
            let r = p.reserve as usize;
            let debt = sim.reserves[r].accounting.debt_amount(p.debt_shares, Rounding::Up).map_or(0, |w| w.0);
            out[r] += debt as f64 / WAD as f64 / 10f64.powi(market.reserves[r].decimals as i32)
                * market.reserves[r].initial_price;
        }
    }
    out
}

/// Runs `book` through every path under every variant (each borrowing its target share of its
/// own borrow power); the path is drawn once, from the unchanged market.
pub fn run(
    market: &Market,
    book: &Book,
    params: &SimParams,
    paths: &[EvidencePath],
    variants: &[Variant],
) -> Result<Comparison, String> {
    let (mut rows, mut reports) = (Vec::new(), Vec::new());
    for path in paths {
        for variant in variants {
            let (mut market, mut book, mut params) = (market.clone(), book.clone(), params.clone());
            params.step_secs = path.step_secs;
            params.borrow_to_target = true;
            (variant.apply)(&mut market, &mut book, &mut params);
            let sim = Sim::new(&market, &book, &path.prices, params)?;
            let opened = debt_opened(&sim, &market);
            let report = sim.run(&path.name);
            let s = &report.summary;
            rows.push(Row {
                path: path.name.clone(),
                variant: variant.name.clone(),
                obligations: s.obligations,
                debt_opened_usd: opened.iter().sum(),
                debt_opened_by_asset_usd: market.reserves.iter().map(|r| r.symbol.clone()).zip(opened).collect(),
                liquidations: s.liquidations,
                repaid_usd: s.repaid_usd,
                bonus_usd: s.bonus_usd,
                bad_debt_usd: s.total_bad_debt_usd,
                insurance_used_usd: s.insurance_used_usd,
                slippage_usd: s.slippage_usd,
                liquidator_profit_usd: s.liquidator_profit_usd,
                auction_marks: s.auction_marks,
                liquidatable_at_end: report.steps.last().map_or(0, |step| step.unhealthy),
                trough_pct: report.reserves.iter().map(|r| r.min_price / r.initial_price * 100.0).fold(100.0, f64::min),
                seconds: s.seconds,
            });
            reports.push(report);
        }
    }
    Ok(Comparison {
        market: market.name.clone(),
        obligations: book.obligations.len(),
        variants: variants.iter().map(|v| (v.name.clone(), v.about.clone())).collect(),
        rows,
        reports,
    })
}

/// The table printed after a comparison.
pub fn table(comparison: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "market {:?}, {} obligations", comparison.market, comparison.obligations);
    let _ = writeln!(
        out,
        "{:<38} {:<9} {:>14} {:>28} {:>6} {:>12} {:>11} {:>11}",
        "path", "variant", "debt opened $", "by asset $", "liqs", "repaid $", "bonus $", "bad debt $"
    );
    for r in &comparison.rows {
        let by_asset: Vec<String> = r
            .debt_opened_by_asset_usd
            .iter()
            .filter(|(_, usd)| *usd > 0.0)
            .map(|(symbol, usd)| format!("{symbol} {:.2}M", usd / 1e6))
            .collect();
        let _ = writeln!(
            out,
            "{:<38} {:<9} {:>14.0} {:>28} {:>6} {:>12.0} {:>11.0} {:>11.0}",
            r.path,
            r.variant,
            r.debt_opened_usd,
            by_asset.join(", "),
            r.liquidations,
            r.repaid_usd,
            r.bonus_usd,
            r.bad_debt_usd
        );
    }
    out
}

/// Writes `report.json`, each run's plots (`<path>/<variant>/`: price, health, bad debt) and one
/// chart per path comparing the variants (`compare-<path>.png/svg`) into `dir`.
pub fn write(comparison: &Comparison, dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let json = dir.join("report.json");
    let text = serde_json::to_string_pretty(comparison).map_err(|e| e.to_string())?;
    std::fs::write(&json, text).map_err(|e| e.to_string())?;
    let mut written = vec![json];
    let slug = |s: &str| {
        let s: String =
            s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        s.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-")
    };
    let mut paths: Vec<&str> = comparison.rows.iter().map(|r| r.path.as_str()).collect();
    paths.dedup();
    for (k, path) in paths.iter().enumerate() {
        let runs: Vec<(&Row, &Report)> =
            comparison.rows.iter().zip(&comparison.reports).filter(|(row, _)| row.path == *path).collect();
        for (row, report) in &runs {
            written.extend(crate::plot::write_plots(report, &dir.join(slug(path)).join(slug(&row.variant)))?);
        }
        let named: Vec<(&str, &Report)> = runs.iter().map(|(row, report)| (row.variant.as_str(), *report)).collect();
        written.extend(crate::plot::write_variants(
            &named,
            path,
            crate::plot::VariantPanels::Losses,
            dir,
            &format!("compare-{}", k + 1),
        )?);
    }
    Ok(written)
}

/// `ballast-sim margin`: generates the market's book (`count` obligations), runs it through the
/// depeg, the crash and the GBM year under classic weights and scenario margin, prints the
/// table and writes the report and plots into `out`.
pub fn margin_command(market: &Market, count: Option<usize>, seed: Option<u64>, out: &Path) -> Result<(), String> {
    let mut params = SimParams::from_market(market);
    params.seed = seed.unwrap_or(params.seed);
    let mut spec = market.simulation.book.clone();
    spec.count = count.unwrap_or(spec.count);
    let book = book::generate(market, &spec, params.seed)?;
    let paths = MarginPaths::default().paths(market, params.seed)?;
    let started = std::time::Instant::now();
    let comparison = run(market, &book, &params, &paths, &margin_variants())?;
    print!("{}", table(&comparison));
    println!("{} runs in {:.1} s", comparison.rows.len(), started.elapsed().as_secs_f64());
    let written = write(&comparison, out)?;
    println!("wrote {} files into {} (report.json, plots)", written.len(), out.display());
    Ok(())
}
