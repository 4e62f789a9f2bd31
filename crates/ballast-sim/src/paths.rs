//! Price paths: a small deterministic RNG, correlated GBM with jumps (Cholesky), a scripted
//! crash, and historical prices from CSV. A path is `steps + 1` rows (row 0 = initial prices)
//! of USD prices per asset, before liquidation-sale impact (the engine applies that).

use crate::config::Market;

pub use ballast_rng::Rng;

/// Lower-triangular `L` with `L L^T = corr`. Errors if `corr` is not symmetric positive definite.
pub fn cholesky(corr: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, String> {
    let n = corr.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            if (corr[i][j] - corr[j][i]).abs() > 1e-12 {
                return Err("correlation matrix is not symmetric".into());
            }
            let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = corr[i][i] - sum;
                if d <= 0.0 {
                    return Err("correlation matrix is not positive definite".into());
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (corr[i][j] - sum) / l[j][j];
            }
        }
    }
    Ok(l)
}

/// Prices per step: `rows[t][asset]`, USD per whole token.
#[derive(Clone, Debug, PartialEq)]
pub struct PricePath {
    pub rows: Vec<Vec<f64>>,
}

impl PricePath {
    pub fn steps(&self) -> usize {
        self.rows.len().saturating_sub(1)
    }
}

/// Correlated geometric Brownian motion with Poisson jumps (Merton), per-asset drift, vol and
/// jump parameters from the market's `sim` tables.
pub fn gbm(market: &Market, steps: usize, step_secs: u64, seed: u64) -> Result<PricePath, String> {
    let n = market.reserves.len();
    let corr = if market.simulation.correlation.is_empty() {
        (0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect()
    } else {
        market.simulation.correlation.clone()
    };
    let l = cholesky(&corr)?;
    let dt = step_secs as f64 / 31_536_000.0;
    let mut rng = Rng::fork(seed, 1);
    let mut prices: Vec<f64> = market.reserves.iter().map(|r| r.initial_price).collect();
    let mut rows = Vec::with_capacity(steps + 1);
    rows.push(prices.clone());
    let mut z = vec![0.0; n];
    for _ in 0..steps {
        for v in z.iter_mut() {
            *v = rng.normal();
        }
        for (i, r) in market.reserves.iter().enumerate() {
            let s = &r.sim;
            let w: f64 = (0..=i).map(|k| l[i][k] * z[k]).sum();
            // Compensated drift so E[S_t] follows drift_annual.
            let kappa = (s.jump_mean + 0.5 * s.jump_std * s.jump_std).exp() - 1.0;
            let mu = s.drift_annual - 0.5 * s.vol_annual * s.vol_annual - s.jump_intensity_per_year * kappa;
            let mut log_ret = mu * dt + s.vol_annual * dt.sqrt() * w;
            let jumps = rng.poisson(s.jump_intensity_per_year * dt);
            for _ in 0..jumps {
                log_ret += s.jump_mean + s.jump_std * rng.normal();
            }
            prices[i] *= log_ret.exp();
        }
        rows.push(prices.clone());
    }
    Ok(PricePath { rows })
}

/// A scripted crash: `assets` fall linearly by `drop` (0.4 = -40%) over `crash_steps` steps,
/// starting after `start_step`, then stay flat; the others stay at their initial price.
pub fn crash(
    market: &Market,
    assets: &[usize],
    drop: f64,
    start_step: usize,
    crash_steps: usize,
    steps: usize,
) -> PricePath {
    let initial: Vec<f64> = market.reserves.iter().map(|r| r.initial_price).collect();
    let rows = (0..=steps)
        .map(|t| {
            let progress =
                if t <= start_step { 0.0 } else { ((t - start_step) as f64 / crash_steps.max(1) as f64).min(1.0) };
            initial
                .iter()
                .enumerate()
                .map(|(i, p)| if assets.contains(&i) { p * (1.0 - drop * progress) } else { *p })
                .collect()
        })
        .collect();
    PricePath { rows }
}

/// Historical prices: a header row naming columns, one of which may be `step`, `time` or
/// `timestamp` (ignored: rows are taken as consecutive steps), the others reserve symbols.
/// Reserves without a column stay at their initial price. If the first data row differs from
/// the configured initial prices the path is used as given (row 0 = start).
pub fn from_csv(market: &Market, text: &str) -> Result<PricePath, String> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    let header: Vec<&str> = lines.next().ok_or("empty price CSV")?.split(',').map(str::trim).collect();
    let mut columns = Vec::new(); // (csv column, reserve)
    for (c, name) in header.iter().enumerate() {
        if ["step", "time", "timestamp", "date"].contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        let reserve =
            market.index_of(name).ok_or_else(|| format!("price CSV column {name:?} is not a reserve symbol"))?;
        columns.push((c, reserve));
    }
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let mut row: Vec<f64> = market.reserves.iter().map(|r| r.initial_price).collect();
        for &(c, reserve) in &columns {
            let cell = cells.get(c).ok_or_else(|| format!("price CSV row {}: missing column {}", n + 2, c + 1))?;
            let value: f64 = cell.parse().map_err(|e| format!("price CSV row {}: {cell:?}: {e}", n + 2))?;
            if !(value.is_finite() && value > 0.0) {
                return Err(format!("price CSV row {}: prices must be positive", n + 2));
            }
            row[reserve] = value;
        }
        rows.push(row);
    }
    if rows.len() < 2 {
        return Err("price CSV needs at least two rows".into());
    }
    Ok(PricePath { rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_reconstructs() {
        let c = vec![vec![1.0, 0.7, 0.2], vec![0.7, 1.0, 0.4], vec![0.2, 0.4, 1.0]];
        let l = cholesky(&c).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| l[i][k] * l[j][k]).sum();
                assert!((v - c[i][j]).abs() < 1e-12);
            }
        }
        assert!(cholesky(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_err());
    }

    #[test]
    fn rng_is_deterministic_and_roughly_normal() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<f64> = (0..20_000).map(|_| a.normal()).collect();
        let ys: Vec<f64> = (0..20_000).map(|_| b.normal()).collect();
        assert_eq!(xs, ys);
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.05, "{mean} {var}");
    }
}
