//! `Sim::run`: the step loop, one function per phase (market move, liquidation rounds, the
//! sale of seized collateral, the step's record), and the report at the end.

use ballast_engine::{HealthKind, Positions as _};
use ballast_math::Wad;

use super::{wad_f, Sim, Status, StepRecord, WorstStep, HEALTHY};
use crate::config::LiquiditySection;
use crate::engine::{Report, ReserveReport, Summary};
use crate::liquidate::health;
use crate::pool;

/// What a run carries from step to step.
struct RunState {
    /// Per reserve: the EMA's weight on a new price, from its half-life in steps.
    ema_alpha: Vec<f64>,
    /// Per step, how much of the price impact of liquidation sales remains.
    impact_decay: f64,
    initial_prices: Vec<f64>,
    min_prices: Vec<f64>,
    worst: Option<WorstStep>,
    cumulative_bad_debt_usd: f64,
    exact_evaluations: usize,
    /// Liquidatable obligations ready to be liquidated (latency passed), with their debt value.
    candidates: Vec<(usize, f64)>,
    /// Collateral seized this round, per reserve, in whole tokens.
    sales: Vec<f64>,
}

/// One liquidation round's scan.
struct Scan {
    unhealthy: usize,
    /// Unhealthy obligations whose debt may be written off (`write_off_allowed`): socialised.
    to_socialize: Vec<usize>,
}

fn progress_bar(show: bool, steps: usize) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(steps as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} step {pos}/{len} [{bar:30}] {elapsed_precise} eta {eta} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

fn half_life_factor(half_life_steps: f64) -> f64 {
    if half_life_steps > 0.0 {
        0.5f64.powf(1.0 / half_life_steps)
    } else {
        0.0
    }
}

impl<'a> Sim<'a> {
    /// Runs the whole path; returns the report.
    pub fn run(mut self, scenario: &str) -> Report {
        let started = std::time::Instant::now();
        let steps = self.path.steps();
        let n = self.reserves.len();
        let bar = progress_bar(self.params.progress, steps);
        let mut state = RunState {
            ema_alpha: self.market.reserves.iter().map(|r| 1.0 - half_life_factor(r.sim.ema_half_life_steps)).collect(),
            impact_decay: if self.params.impact_half_life_steps > 0.0 {
                half_life_factor(self.params.impact_half_life_steps)
            } else {
                1.0
            },
            initial_prices: self.path.rows[0].clone(),
            min_prices: self.path.rows[0].clone(),
            worst: None,
            cumulative_bad_debt_usd: 0.0,
            exact_evaluations: 0,
            candidates: Vec::new(),
            sales: vec![0.0; n],
        };
        let start_totals = self.book_totals();
        let mut records = Vec::with_capacity(steps);
        for t in 1..=steps {
            self.now = self.params.start_unix + (t as u64 * self.params.step_secs) as i64;
            let mut record = StepRecord { step: t, collateral_sold: vec![0.0; n], ..Default::default() };
            self.move_market(t, &state);
            record.breakers_tripped = self.tripped.iter().filter(|x| **x).count();
            self.relever(&mut record);
            self.liquidation_rounds(t, &mut state, &mut record);
            self.close_step(&mut state, &mut record);
            records.push(record);
            bar.inc(1);
        }
        bar.finish_and_clear();
        self.report(scenario, state, start_totals, records, started.elapsed().as_secs_f64())
    }

    /// Collateral and debt value of the book at the first prices, and how many obligations owe.
    fn book_totals(&self) -> (f64, f64, usize) {
        let (mut collateral, mut debt, mut with_debt) = (0.0, 0.0, 0);
        for ob in &self.obligations {
            let mut has_debt = false;
            for k in 0..ob.position_count() {
                let (c, d) = self.position_value(ob, k);
                collateral += c;
                debt += d;
                has_debt |= d > 0.0;
            }
            with_debt += has_debt as usize;
        }
        (collateral, debt, with_debt)
    }

    /// Interest on every reserve, the decay of past sales' price impact, the path's prices, the
    /// EMA and the circuit breakers.
    fn move_market(&mut self, t: usize, state: &RunState) {
        for r in 0..self.reserves.len() {
            self.reserves[r].accrue(self.now).expect("accrual overflow");
            self.impact[r] = 1.0 - (1.0 - self.impact[r]) * state.impact_decay;
            let usd = self.path.rows[t][r] * self.impact[r];
            self.ema[r] += state.ema_alpha[r] * (usd - self.ema[r]);
            // The program's breaker (`RiskControls::check_breaker`): tripped while
            // |spot - EMA| / EMA exceeds `max_ema_deviation_bps`.
            let breaker = self.market.reserves[r].controls.max_ema_deviation_bps;
            self.tripped[r] = (usd - self.ema[r]).abs() / self.ema[r] > breaker as f64 / 1e4;
        }
        self.set_prices(t);
        self.update_levels();
    }

    /// Rounds of scan, liquidate (largest debt first, within the step's capacity), sell and
    /// re-price, until a round liquidates nothing or the capacity is spent.
    fn liquidation_rounds(&mut self, t: usize, state: &mut RunState, record: &mut StepRecord) {
        let mut capacity = self.params.capacity_usd_per_step;
        let mut evaluations = 0usize;
        for round in 0..self.params.max_rounds_per_step {
            let scan = self.scan(t, &mut state.candidates, &mut evaluations);
            if round == 0 {
                record.unhealthy = scan.unhealthy;
                self.keep_if_worst(t, scan.unhealthy, state);
            }
            for i in scan.to_socialize {
                self.socialize(i, record);
            }
            if state.candidates.is_empty() {
                break;
            }
            state.candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let before = record.liquidations;
            state.sales.iter_mut().for_each(|s| *s = 0.0);
            for k in 0..state.candidates.len() {
                let i = state.candidates[k].0;
                if capacity == 0.0 || !self.liquidate_obligation(i, &mut capacity, &mut state.sales, record) {
                    break;
                }
                if self.write_off_due_now(i) {
                    self.socialize(i, record);
                }
            }
            if record.liquidations == before {
                break;
            }
            record.cascade_depth += 1;
            self.sell_seized(t, &state.sales, record);
            self.update_levels();
            // With the step's capacity spent no further round can liquidate; the impact is in
            // the prices the next step starts from.
            if capacity == 0.0 {
                break;
            }
        }
        record.exact_health_evaluations = evaluations;
        state.exact_evaluations += evaluations;
    }

    /// Who is liquidatable now: fills `candidates` with those past the latency.
    fn scan(&mut self, t: usize, candidates: &mut Vec<(usize, f64)>, evaluations: &mut usize) -> Scan {
        candidates.clear();
        let mut scan = Scan { unhealthy: 0, to_socialize: Vec::new() };
        for i in 0..self.obligations.len() {
            match self.status(i) {
                Status::Healthy => {
                    // Proven healthy now: its liquidatable streak (latency) is over, as an exact
                    // evaluation would record.
                    self.cache[i].unhealthy_since = HEALTHY;
                    continue;
                }
                Status::Unhealthy => {}
                Status::Unknown => {
                    *evaluations += 1;
                    let health = self.evaluate(i);
                    if health.is_healthy() {
                        self.cache[i].unhealthy_since = HEALTHY;
                        continue;
                    }
                    if self.write_off_due(i, &health) {
                        scan.unhealthy += 1;
                        scan.to_socialize.push(i);
                        continue;
                    }
                }
            }
            scan.unhealthy += 1;
            let c = &mut self.cache[i];
            if c.unhealthy_since == HEALTHY {
                c.unhealthy_since = t as u32;
            }
            if t as u32 - c.unhealthy_since >= self.params.latency_steps {
                candidates.push((i, self.debt_value_now(i)));
            }
        }
        scan
    }

    /// Keeps the state at the most distressed step for the health-factor plot.
    fn keep_if_worst(&self, t: usize, unhealthy: usize, state: &mut RunState) {
        let stress =
            -(self.spot_f.iter().zip(&state.initial_prices).map(|(p, p0)| ((p / p0) * 1e6) as i64).sum::<i64>());
        let score = (unhealthy, stress);
        if state.worst.as_ref().is_none_or(|w| score > w.0) {
            state.worst = Some((score, t, self.obligations.clone(), self.reserves.clone(), self.now));
        }
    }

    /// Liquidators sell what they seized into each reserve's pool; the price moves.
    fn sell_seized(&mut self, t: usize, sales: &[f64], record: &mut StepRecord) {
        for (r, &sold) in sales.iter().enumerate() {
            if sold <= 0.0 {
                continue;
            }
            let sale = pool::sell(&self.market.reserves[r].sim.liquidity, sold, self.spot_f[r]);
            record.collateral_sold[r] += sold;
            record.sale_proceeds_usd += sale.proceeds_usd;
            record.slippage_usd += sold * self.spot_f[r] - sale.proceeds_usd;
            record.liquidator_profit_usd += sale.proceeds_usd;
            self.stats[r].collateral_sold_tokens += sold;
            self.stats[r].collateral_sold_usd += sale.proceeds_usd;
            if sale.price_factor < 1.0 && self.market.reserves[r].sim.liquidity != LiquiditySection::None {
                self.impact[r] *= sale.price_factor;
                let usd = self.path.rows[t][r] * self.impact[r];
                self.set_price(r, usd);
            }
        }
    }

    /// The step's closing numbers: bad debt so far, prices, impact, lowest prices.
    fn close_step(&mut self, state: &mut RunState, record: &mut StepRecord) {
        state.cumulative_bad_debt_usd += record.bad_debt_usd;
        record.cumulative_bad_debt_usd = state.cumulative_bad_debt_usd;
        record.prices = self.spot_f.clone();
        record.impact_pct = self.impact.iter().map(|m| (m - 1.0) * 100.0).collect();
        for r in 0..self.reserves.len() {
            state.min_prices[r] = state.min_prices[r].min(self.spot_f[r]);
            let s = &mut self.stats[r];
            s.max_impact_pct = s.max_impact_pct.min((self.impact[r] - 1.0) * 100.0);
        }
    }

    /// End state: insolvent obligations' shortfall, per reserve pro rata to debt value.
    fn book_shortfall(&mut self) -> usize {
        let mut insolvent = 0usize;
        for i in 0..self.obligations.len() {
            let ob = self.obligations[i];
            if !ob.has_debt() {
                continue;
            }
            let h = health(&self.market_state, &self.reserves, &ob, HealthKind::Maintenance, self.now)
                .expect("health overflow");
            if h.debt_value <= h.collateral_value {
                continue;
            }
            insolvent += 1;
            let shortfall = wad_f(h.debt_value) - wad_f(h.collateral_value);
            let debts: Vec<(usize, f64)> = (0..ob.position_count())
                .map(|k| (ob.slots()[k].reserve as usize, self.position_value(&ob, k).1))
                .collect();
            let total: f64 = debts.iter().map(|d| d.1).sum();
            for (r, d) in debts {
                if total > 0.0 {
                    self.stats[r].unrealized_shortfall_usd += shortfall * d / total;
                }
            }
        }
        insolvent
    }

    fn reserve_reports(&self, state: &RunState) -> Vec<ReserveReport> {
        (0..self.reserves.len())
            .map(|r| {
                let acc = &self.reserves[r].accounting;
                let mut s = self.stats[r].clone();
                s.initial_price = state.initial_prices[r];
                s.min_price = state.min_prices[r];
                s.final_price = self.spot_f[r];
                s.share_value_start = self.share_value_start[r];
                s.share_value_end = wad_f(acc.supply_share_value().unwrap_or(Wad::ZERO));
                s.share_value_change_pct = if s.share_value_start > 0.0 {
                    (s.share_value_end / s.share_value_start - 1.0) * 100.0
                } else {
                    0.0
                };
                s.share_value_loss_pct = if self.liquidity_start_usd[r] > 0.0 {
                    s.depositor_loss_usd / self.liquidity_start_usd[r] * 100.0
                } else {
                    0.0
                };
                s.utilization_end_pct = wad_f(acc.utilization().unwrap_or(Wad::ZERO)) * 100.0;
                s
            })
            .collect()
    }

    fn report(
        mut self,
        scenario: &str,
        state: RunState,
        (collateral_usd_start, debt_usd_start, obligations_with_debt): (f64, f64, usize),
        records: Vec<StepRecord>,
        seconds: f64,
    ) -> Report {
        let insolvent = self.book_shortfall();
        let reserves_out = self.reserve_reports(&state);
        let mut hfs = Vec::new();
        let (worst_step, unhealthy_at_worst) = match &state.worst {
            Some(((u, _), t, obs, res, at)) => {
                for ob in obs.iter().filter(|o| o.has_debt()) {
                    let h = health(&self.market_state, res, ob, HealthKind::Maintenance, *at).expect("health overflow");
                    hfs.push(h.health_factor().map(wad_f).unwrap_or(100.0).min(100.0));
                }
                (*t, *u)
            }
            None => (0, 0),
        };
        let bad: f64 = reserves_out.iter().map(|s| s.bad_debt_usd).sum();
        let unrealized: f64 = reserves_out.iter().map(|s| s.unrealized_shortfall_usd).sum();
        let steps = records.len();
        let summary = Summary {
            obligations: self.obligations.len(),
            obligations_with_debt,
            steps,
            collateral_usd_start,
            debt_usd_start,
            liquidations: records.iter().map(|r| r.liquidations).sum(),
            repaid_usd: records.iter().map(|r| r.repaid_usd).sum(),
            bonus_usd: records.iter().map(|r| r.bonus_usd).sum(),
            slippage_usd: records.iter().map(|r| r.slippage_usd).sum(),
            liquidator_profit_usd: records.iter().map(|r| r.liquidator_profit_usd).sum(),
            auction_marks: records.iter().map(|r| r.auction_marks).sum(),
            max_cascade_depth: records.iter().map(|r| r.cascade_depth).max().unwrap_or(0),
            worst_step,
            unhealthy_at_worst_step: unhealthy_at_worst,
            bad_debt_usd: bad,
            insurance_used_usd: reserves_out.iter().map(|s| s.insurance_used_usd).sum(),
            depositor_loss_usd: reserves_out.iter().map(|s| s.depositor_loss_usd).sum(),
            unrealized_shortfall_usd: unrealized,
            total_bad_debt_usd: bad + unrealized,
            insolvent_obligations_end: insolvent,
            borrows: records.iter().map(|r| r.borrows).sum(),
            borrows_blocked_by_breaker: records.iter().map(|r| r.borrows_blocked_by_breaker).sum(),
            socialize_failures: self.socialize_failures,
            exact_health_evaluations: state.exact_evaluations,
            position_steps: self.obligations.len() as u64 * steps as u64,
            seconds,
        };
        Report {
            market: self.market.name.clone(),
            scenario: scenario.to_string(),
            params: Some(self.params.clone()),
            summary,
            reserves: reserves_out,
            health_factors_at_worst_step: hfs,
            steps: records,
        }
    }
}
