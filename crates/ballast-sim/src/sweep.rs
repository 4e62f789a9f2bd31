//! Parameter sweeps: a grid over LTV, liquidation threshold, max bonus, close factor and the
//! circuit-breaker threshold, each combination validated with `RiskConfig::validate` /
//! `LiquidationConfig::validate` and run on its own generated book (same seed, so only the
//! parameters differ), in parallel on a fixed number of worker threads.

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{BookSection, Market};
use crate::engine::SimParams;
use crate::{book, simulate, Scenario};

#[derive(Clone, Debug, Serialize)]
pub struct Grid {
    pub ltv_bps: Vec<u16>,
    pub liquidation_threshold_bps: Vec<u16>,
    pub max_bonus_bps: Vec<u16>,
    pub close_factor_bps: Vec<u16>,
    pub circuit_breaker_bps: Vec<u16>,
    /// Reserves whose risk parameters the grid sets (indices).
    pub assets: Vec<usize>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SweepRow {
    pub ltv_bps: u16,
    pub liquidation_threshold_bps: u16,
    pub max_bonus_bps: u16,
    pub close_factor_bps: u16,
    pub circuit_breaker_bps: u16,
    /// `None` when valid; otherwise the validation error.
    pub invalid: Option<String>,
    pub total_bad_debt_usd: f64,
    pub bad_debt_usd: f64,
    pub unrealized_shortfall_usd: f64,
    pub debt_usd_start: f64,
    pub liquidations: usize,
    pub max_cascade_depth: u32,
    pub borrows_blocked_by_breaker: usize,
    pub passes: bool,
}

impl Grid {
    pub fn combinations(&self) -> Vec<(u16, u16, u16, u16, u16)> {
        let mut out = Vec::new();
        for &ltv in &self.ltv_bps {
            for &lt in &self.liquidation_threshold_bps {
                for &bonus in &self.max_bonus_bps {
                    for &cf in &self.close_factor_bps {
                        for &cb in &self.circuit_breaker_bps {
                            out.push((ltv, lt, bonus, cf, cb));
                        }
                    }
                }
            }
        }
        out
    }
}

/// The market with one combination applied, or why it is invalid.
pub fn apply(market: &Market, grid: &Grid, combo: (u16, u16, u16, u16, u16)) -> Result<Market, String> {
    let (ltv, lt, bonus, cf, cb) = combo;
    let mut m = market.clone();
    for &a in &grid.assets {
        let r = &mut m.reserves[a];
        r.risk.ltv_bps = ltv;
        r.risk.liquidation_threshold_bps = lt;
        r.risk.max_liquidation_bonus_bps = bonus;
        r.risk.min_liquidation_bonus_bps = r.risk.min_liquidation_bonus_bps.min(bonus);
        // 0 = off: the breaker at 100% (RiskControls' default), since 0 is not a valid setting.
        r.controls.max_ema_deviation_bps = if cb == 0 { ballast_math::BPS_DENOMINATOR as u16 } else { cb };
        r.risk.validate().map_err(|e| format!("{}: {e:?}", r.symbol))?;
        r.controls.validate().map_err(|e| format!("{}: {e:?}", r.symbol))?;
    }
    m.liquidation.close_factor_bps = cf;
    m.liquidation.validate().map_err(|e| format!("market: {e:?}"))?;
    Ok(m)
}

/// Runs every combination on `threads` workers; rows come back in grid order.
#[allow(clippy::too_many_arguments)]
pub fn run(
    market: &Market,
    book_spec: &BookSection,
    scenario: &Scenario,
    params: &SimParams,
    grid: &Grid,
    threads: usize,
    max_bad_debt_usd: f64,
    progress: bool,
) -> Result<Vec<SweepRow>, String> {
    let combos = grid.combinations();
    let bar =
        if progress { indicatif::ProgressBar::new(combos.len() as u64) } else { indicatif::ProgressBar::hidden() };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build().map_err(|e| e.to_string())?;
    let rows: Vec<Result<SweepRow, String>> = pool.install(|| {
        combos
            .par_iter()
            .map(|&combo| {
                let (ltv, lt, bonus, cf, cb) = combo;
                let mut row = SweepRow {
                    ltv_bps: ltv,
                    liquidation_threshold_bps: lt,
                    max_bonus_bps: bonus,
                    close_factor_bps: cf,
                    circuit_breaker_bps: cb,
                    invalid: None,
                    total_bad_debt_usd: 0.0,
                    bad_debt_usd: 0.0,
                    unrealized_shortfall_usd: 0.0,
                    debt_usd_start: 0.0,
                    liquidations: 0,
                    max_cascade_depth: 0,
                    borrows_blocked_by_breaker: 0,
                    passes: false,
                };
                let result = match apply(market, grid, combo) {
                    Err(e) => {
                        row.invalid = Some(e);
                        Ok(row)
                    }
                    Ok(m) => (|| {
                        let b = book::generate(&m, book_spec, params.seed)?;
                        let mut p = params.clone();
                        p.progress = false;
                        let report = simulate(&m, &b, scenario, p)?;
                        let s = &report.summary;
                        row.total_bad_debt_usd = s.total_bad_debt_usd;
                        row.bad_debt_usd = s.bad_debt_usd;
                        row.unrealized_shortfall_usd = s.unrealized_shortfall_usd;
                        row.debt_usd_start = s.debt_usd_start;
                        row.liquidations = s.liquidations;
                        row.max_cascade_depth = s.max_cascade_depth;
                        row.borrows_blocked_by_breaker = s.borrows_blocked_by_breaker;
                        row.passes = s.total_bad_debt_usd <= max_bad_debt_usd;
                        Ok(row)
                    })(),
                };
                bar.inc(1);
                result
            })
            .collect()
    });
    bar.finish_and_clear();
    rows.into_iter().collect()
}

/// The sweep as a table, passing rows marked.
pub fn table(rows: &[SweepRow], max_bad_debt_usd: f64) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>6} {:>6} {:>6} {:>6} {:>7} {:>14} {:>14} {:>8} {:>7} {:>8}  result",
        "ltv", "lt", "bonus", "close", "breaker", "total bad debt", "socialized", "liquid.", "cascade", "blocked"
    );
    for r in rows {
        let result = match &r.invalid {
            Some(e) => format!("invalid ({e})"),
            None if r.passes => format!("PASS (<= ${max_bad_debt_usd:.0})"),
            None => "fail".into(),
        };
        let _ = writeln!(
            out,
            "{:>6} {:>6} {:>6} {:>6} {:>7} {:>14.2} {:>14.2} {:>8} {:>7} {:>8}  {}",
            r.ltv_bps,
            r.liquidation_threshold_bps,
            r.max_bonus_bps,
            r.close_factor_bps,
            r.circuit_breaker_bps,
            r.total_bad_debt_usd,
            r.bad_debt_usd,
            r.liquidations,
            r.max_cascade_depth,
            r.borrows_blocked_by_breaker,
            result
        );
    }
    let valid = rows.iter().filter(|r| r.invalid.is_none()).count();
    let passing = rows.iter().filter(|r| r.passes).count();
    let _ = writeln!(
        out,
        "{passing} of {valid} valid combinations keep total bad debt <= ${max_bad_debt_usd:.0} ({} invalid)",
        rows.len() - valid
    );
    out
}
