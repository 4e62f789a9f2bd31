//! A book of positions: one entry per obligation, with deposits and borrows in token base units.
//! Generated from a described distribution with a seed, or loaded from JSON or CSV.
//!
//! JSON: `{"obligations": [{"deposits": [{"symbol": "SOL", "amount": 10000000000}],
//!         "borrows": [{"symbol": "USDC", "amount": 900000000}], "target_usage_bps": 8000,
//!         "margin": "scenarios"}]}` (`margin`: `classic`, the default, or `scenarios`)
//! CSV:  header `obligation,symbol,deposit,borrow` (one row per asset of an obligation; rows
//!       with the same `obligation` id belong together; amounts in base units), optional
//!       `target_usage_bps` and `margin` columns.

use ballast_engine::MarginMode;
use serde::{Deserialize, Serialize};

use crate::config::{BookSection, Market};
use crate::paths::Rng;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    pub symbol: String,
    pub amount: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookEntry {
    #[serde(default)]
    pub deposits: Vec<Amount>,
    #[serde(default)]
    pub borrows: Vec<Amount>,
    /// Share of borrow power (bps) the owner tops back up to when prices rise; 0 = never borrows
    /// again during the run.
    #[serde(default)]
    pub target_usage_bps: u16,
    /// How the obligation is margined (the program's `set_margin_mode`).
    #[serde(default, skip_serializing_if = "BookMargin::is_classic")]
    pub margin: BookMargin,
}

/// An obligation's margin mode in a book file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookMargin {
    /// Per-asset weights (LTV, liquidation threshold, borrow factor).
    #[default]
    Classic,
    /// The worst of the market's stress scenarios.
    Scenarios,
}

impl BookMargin {
    pub fn is_classic(&self) -> bool {
        *self == BookMargin::Classic
    }

    fn parse(cell: &str) -> Result<BookMargin, String> {
        match cell.to_ascii_lowercase().as_str() {
            "" | "0" | "classic" => Ok(BookMargin::Classic),
            "1" | "scenarios" => Ok(BookMargin::Scenarios),
            other => Err(format!("margin {other:?}: classic or scenarios")),
        }
    }
}

impl From<BookMargin> for MarginMode {
    fn from(margin: BookMargin) -> MarginMode {
        match margin {
            BookMargin::Classic => MarginMode::Classic,
            BookMargin::Scenarios => MarginMode::Scenarios,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Book {
    pub obligations: Vec<BookEntry>,
}

impl Book {
    pub fn from_json(text: &str) -> Result<Book, String> {
        serde_json::from_str(text).map_err(|e| format!("book JSON: {e}"))
    }

    pub fn from_csv(text: &str) -> Result<Book, String> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
        let header: Vec<String> =
            lines.next().ok_or("empty book CSV")?.split(',').map(|s| s.trim().to_ascii_lowercase()).collect();
        let col = |name: &str| header.iter().position(|h| h == name).ok_or(format!("book CSV needs a {name:?} column"));
        let (c_id, c_sym, c_dep, c_bor) = (col("obligation")?, col("symbol")?, col("deposit")?, col("borrow")?);
        let c_target = header.iter().position(|h| h == "target_usage_bps");
        let c_margin = header.iter().position(|h| h == "margin");
        let mut book = Book::default();
        let mut last_id: Option<String> = None;
        for (n, line) in lines.enumerate() {
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            let cell = |c: usize| cells.get(c).copied().ok_or(format!("book CSV row {}: too few columns", n + 2));
            let num = |c: usize| -> Result<u64, String> {
                let s = cell(c)?;
                if s.is_empty() {
                    return Ok(0);
                }
                s.parse().map_err(|e| format!("book CSV row {}: {s:?}: {e}", n + 2))
            };
            let id = cell(c_id)?.to_string();
            if last_id.as_ref() != Some(&id) {
                book.obligations.push(BookEntry::default());
                last_id = Some(id);
            }
            let entry = book.obligations.last_mut().unwrap();
            let symbol = cell(c_sym)?.to_string();
            let (dep, bor) = (num(c_dep)?, num(c_bor)?);
            if dep > 0 {
                entry.deposits.push(Amount { symbol: symbol.clone(), amount: dep });
            }
            if bor > 0 {
                entry.borrows.push(Amount { symbol, amount: bor });
            }
            if let Some(c) = c_target {
                entry.target_usage_bps = num(c)?.min(10_000) as u16;
            }
            if let Some(c) = c_margin {
                entry.margin = BookMargin::parse(cell(c)?).map_err(|e| format!("book CSV row {}: {e}", n + 2))?;
            }
        }
        Ok(book)
    }

    /// `.csv` as CSV, anything else as JSON.
    pub fn load(path: &std::path::Path) -> Result<Book, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            Book::from_csv(&text)
        } else {
            Book::from_json(&text)
        }
    }

    /// Writes the book as CSV (`.csv`) or JSON (anything else), creating the directory.
    pub fn write(&self, out: &std::path::Path) -> Result<(), String> {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        let text = if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            self.to_csv()
        } else {
            serde_json::to_string_pretty(self).map_err(|e| e.to_string())?
        };
        std::fs::write(out, text).map_err(|e| e.to_string())?;
        println!("wrote {} obligations to {}", self.obligations.len(), out.display());
        Ok(())
    }

    pub fn to_csv(&self) -> String {
        let mut out = String::from("obligation,symbol,deposit,borrow,target_usage_bps,margin\n");
        for (i, e) in self.obligations.iter().enumerate() {
            let mut symbols: Vec<&str> = e.deposits.iter().chain(&e.borrows).map(|a| a.symbol.as_str()).collect();
            symbols.dedup();
            let mut seen = Vec::new();
            for s in symbols {
                if seen.contains(&s) {
                    continue;
                }
                seen.push(s);
                let d: u64 = e.deposits.iter().filter(|a| a.symbol == s).map(|a| a.amount).sum();
                let b: u64 = e.borrows.iter().filter(|a| a.symbol == s).map(|a| a.amount).sum();
                let margin = if e.margin.is_classic() { "classic" } else { "scenarios" };
                out.push_str(&format!("{i},{s},{d},{b},{},{margin}\n", e.target_usage_bps));
            }
        }
        out
    }
}

/// Generates `spec.count` obligations: a lognormal collateral size in one asset (sometimes two)
/// drawn from `collateral_mix`, and one debt asset from `debt_mix` (never one it holds as
/// collateral) sized to use a uniform share of its borrow power (collateral x LTV / borrow
/// factor at the initial prices). The engine clamps each borrow with `ballast_math::max_borrow`
/// so every generated obligation passes initial health.
pub fn generate(market: &Market, spec: &BookSection, seed: u64) -> Result<Book, String> {
    let n = market.reserves.len();
    let weights = |mix: &[(String, f64)], default: &dyn Fn(usize) -> f64| -> Result<Vec<f64>, String> {
        if mix.is_empty() {
            return Ok((0..n).map(default).collect());
        }
        let mut w = vec![0.0; n];
        for (symbol, weight) in mix {
            let i = market.index_of(symbol).ok_or(format!("book mix names unknown symbol {symbol:?}"))?;
            if !(weight.is_finite() && *weight >= 0.0) {
                return Err(format!("book mix weight for {symbol} must be >= 0"));
            }
            w[i] += weight;
        }
        Ok(w)
    };
    let stable = |i: usize| market.reserves[i].sim.stable;
    let coll_w = weights(&spec.collateral_mix, &|i| if stable(i) { 0.2 } else { 1.0 })?;
    let debt_w = weights(&spec.debt_mix, &|i| if stable(i) { 1.0 } else { 0.1 })?;
    if coll_w.iter().sum::<f64>() <= 0.0 {
        return Err("collateral mix has no weight".into());
    }
    let (lo, hi) = (spec.borrow_power_used_min, spec.borrow_power_used_max);
    if !(0.0..=1.0).contains(&lo) || !(lo..=1.0).contains(&hi) {
        return Err("borrow_power_used_min/max must satisfy 0 <= min <= max <= 1".into());
    }
    let pairs = spec
        .pair_mix
        .iter()
        .map(|(c, d, w)| {
            let index = |s: &str| market.index_of(s).ok_or(format!("book pair_mix names unknown symbol {s:?}"));
            let ok = w.is_finite() && *w >= 0.0 && !c.eq_ignore_ascii_case(d);
            ok.then_some(()).ok_or(format!("book pair {c}/{d}: two assets and a weight >= 0"))?;
            Ok((index(c)?, index(d)?, *w))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let pair_w: Vec<f64> = pairs.iter().map(|p| p.2).collect();
    if !(0.0..=1.0).contains(&spec.scenario_margin_share) {
        return Err("scenario_margin_share must be in [0, 1]".into());
    }
    let mut rng = Rng::fork(seed, 2);
    let mut obligations = Vec::with_capacity(spec.count);
    for _ in 0..spec.count {
        let size_usd = (spec.collateral_usd_median * (spec.collateral_usd_sigma * rng.normal()).exp()).clamp(10.0, 1e8);
        let pair = (!pairs.is_empty()).then(|| pairs[rng.weighted(&pair_w)]);
        let first = pair.map_or_else(|| rng.weighted(&coll_w), |p| p.0);
        let mut collateral = vec![(first, size_usd)];
        if pair.is_none() && rng.uniform() < spec.second_collateral_prob && n > 1 {
            let mut w2 = coll_w.clone();
            w2[first] = 0.0;
            if w2.iter().sum::<f64>() > 0.0 {
                let second = rng.weighted(&w2);
                collateral = vec![(first, size_usd * 0.7), (second, size_usd * 0.3)];
            }
        }
        let mut dw = debt_w.clone();
        for (c, _) in &collateral {
            dw[*c] = 0.0;
        }
        if let Some((_, d, _)) = pair {
            dw = (0..n).map(|r| if r == d { 1.0 } else { 0.0 }).collect();
        }
        let usage = lo + (hi - lo) * rng.uniform();
        let deposits: Vec<Amount> = collateral
            .iter()
            .map(|&(i, usd)| Amount {
                symbol: market.reserves[i].symbol.clone(),
                amount: to_base_units(usd, &market.reserves[i]),
            })
            .filter(|a| a.amount > 0)
            .collect();
        let mut borrows = Vec::new();
        if dw.iter().sum::<f64>() > 0.0 {
            let d = rng.weighted(&dw);
            let power: f64 =
                collateral.iter().map(|&(i, usd)| usd * market.reserves[i].risk.ltv_bps as f64 / 1e4).sum();
            let debt_usd = usage * power / (market.reserves[d].risk.borrow_factor_bps as f64 / 1e4);
            let amount = to_base_units(debt_usd, &market.reserves[d]);
            if amount > 0 {
                borrows.push(Amount { symbol: market.reserves[d].symbol.clone(), amount });
            }
        }
        let scenarios = spec.scenario_margin_share > 0.0 && rng.uniform() < spec.scenario_margin_share;
        let margin = if scenarios { BookMargin::Scenarios } else { BookMargin::Classic };
        obligations.push(BookEntry { deposits, borrows, target_usage_bps: (usage * 1e4) as u16, margin });
    }
    Ok(Book { obligations })
}

fn to_base_units(usd: f64, r: &crate::config::ReserveSpec) -> u64 {
    let units = usd / r.initial_price * 10f64.powi(r.decimals as i32);
    if units.is_finite() && units > 0.0 {
        units.min(u64::MAX as f64 / 2.0) as u64
    } else {
        0
    }
}
