//! The simulation loop: prices -> interest -> borrows -> liquidation rounds (liquidate, sell,
//! re-price, again) -> socialization, per step, over a book of obligations.
//!
//! Every number the protocol computes goes through `ballast_math` (see `liquidate.rs`). The
//! loop only decides *whom* to evaluate: an obligation whose last exact health factor, scaled by
//! the worst move since then of its collateral (price x supply share value) and debt (price x
//! borrow index), is still above 1 + 1e-6 cannot have become unhealthy, so it is skipped; every
//! other one is evaluated exactly with `HealthAccumulator`.

use ballast_math::{OraclePrice, Rounding, Wad, WAD};
use serde::Serialize;

use crate::config::Market;
use crate::liquidate::{
    apply_liquidation, borrow, borrow_room, plan_for, setup_liquidation, socialize_all, Error, ObligationState,
    RepayRequest, SimLiquidationError, SimReserve, MAX_SIM_POSITIONS,
};
use crate::paths::{PricePath, Rng};
use ballast_engine::operations::SocializeLossOutcome;
use ballast_engine::{MarketState, Positions as _};

mod auction;
mod margin;
mod open;
mod run;
pub use open::market_state;

/// Run parameters (defaults from the market file's `[simulation]` section).
#[derive(Clone, Debug, Serialize)]
pub struct SimParams {
    pub step_secs: u64,
    pub start_unix: i64,
    /// USD of debt liquidators repay per step; negative = unlimited.
    pub capacity_usd_per_step: f64,
    pub latency_steps: u32,
    pub min_bonus_bps: u16,
    pub relever_prob_per_step: f64,
    pub impact_half_life_steps: f64,
    pub max_rounds_per_step: u32,
    pub seed: u64,
    /// Clamp the book's borrows to initial health (`max_borrow`) when opening them.
    pub clamp_borrows: bool,
    /// Open each book borrow at the obligation's target share of its own borrow power (under its
    /// margin) instead of the book's amount.
    pub borrow_to_target: bool,
    /// Evaluate every obligation exactly every round (no skipping); for checking that the
    /// skip bounds never change an outcome.
    #[serde(skip)]
    pub exhaustive: bool,
    #[serde(skip)]
    pub progress: bool,
}

impl SimParams {
    pub fn from_market(market: &Market) -> SimParams {
        let s = &market.simulation;
        SimParams {
            step_secs: s.step_secs,
            start_unix: 1_700_000_000,
            capacity_usd_per_step: s.liquidators.capacity_usd_per_step,
            latency_steps: s.liquidators.latency_steps,
            min_bonus_bps: s.liquidators.min_bonus_bps,
            relever_prob_per_step: s.borrowers.relever_prob_per_step,
            impact_half_life_steps: s.impact_half_life_steps,
            max_rounds_per_step: s.max_rounds_per_step.max(1),
            seed: s.seed,
            clamp_borrows: true,
            borrow_to_target: false,
            exhaustive: false,
            progress: false,
        }
    }
}

/// One step's outcome.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StepRecord {
    pub step: usize,
    /// Oracle spot per reserve (after liquidation-sale impact), USD.
    pub prices: Vec<f64>,
    /// Price impact of liquidation sales in force at the end of the step, % per reserve.
    pub impact_pct: Vec<f64>,
    /// Obligations with maintenance health < 0 before this step's liquidations.
    pub unhealthy: usize,
    pub liquidations: usize,
    pub repaid_usd: f64,
    /// Borrowers' loss to liquidation bonuses: collateral seized less debt repaid, USD at spot.
    pub bonus_usd: f64,
    /// Collateral sold by liquidators, whole tokens per reserve, and the USD received.
    pub collateral_sold: Vec<f64>,
    pub sale_proceeds_usd: f64,
    /// What selling the seized collateral lost against the oracle price before each sale, USD.
    pub slippage_usd: f64,
    /// Liquidators' gain: sale proceeds plus supply shares received (at spot) less debt repaid.
    pub liquidator_profit_usd: f64,
    /// Dutch-auction clocks started by liquidators (`mark_liquidatable`) on obligations they
    /// skipped because the bonus was below their cost.
    pub auction_marks: usize,
    /// Debt written off this step (socialized), USD.
    pub bad_debt_usd: f64,
    pub cumulative_bad_debt_usd: f64,
    pub insurance_used_usd: f64,
    /// Liquidation rounds with at least one liquidation in this step (1 = no cascade).
    pub cascade_depth: u32,
    pub borrows: usize,
    pub borrows_blocked_by_breaker: usize,
    /// Reserves whose circuit breaker is tripped.
    pub breakers_tripped: usize,
    pub exact_health_evaluations: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ReserveReport {
    pub symbol: String,
    pub initial_price: f64,
    pub min_price: f64,
    pub final_price: f64,
    pub max_impact_pct: f64,
    pub collateral_sold_tokens: f64,
    pub collateral_sold_usd: f64,
    /// Debt written off by `ReserveAccounting::socialize`, tokens and USD at the time.
    pub bad_debt_tokens: f64,
    pub bad_debt_usd: f64,
    pub insurance_used_usd: f64,
    pub depositor_loss_usd: f64,
    pub insurance_fund_start_usd: f64,
    /// Supply share value (base units per share) at the start and end; interest raises it,
    /// socialized losses lower it.
    pub share_value_start: f64,
    pub share_value_end: f64,
    pub share_value_change_pct: f64,
    /// Depositors' loss as % of the reserve's liquidity at the start.
    pub share_value_loss_pct: f64,
    /// Debt still owed by insolvent obligations at the end (debt value above collateral value),
    /// attributed to reserves pro rata to debt value, USD.
    pub unrealized_shortfall_usd: f64,
    pub utilization_start_pct: f64,
    pub utilization_end_pct: f64,
    pub borrows_blocked_by_breaker: usize,
    /// Liquidations whose vault could not pay tokens...
    pub liquidations_failed_liquidity: usize,
    /// ...and that were then paid in supply shares (`receive_shares`).
    pub liquidations_paid_in_shares: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub obligations: usize,
    pub obligations_with_debt: usize,
    pub steps: usize,
    pub collateral_usd_start: f64,
    pub debt_usd_start: f64,
    pub liquidations: usize,
    pub repaid_usd: f64,
    /// Borrowers' loss to liquidation bonuses (collateral seized less debt repaid), USD.
    pub bonus_usd: f64,
    /// USD lost selling seized collateral below the oracle price (price impact).
    pub slippage_usd: f64,
    /// Liquidators' gain: sale proceeds plus shares received at spot less debt repaid, USD.
    pub liquidator_profit_usd: f64,
    pub auction_marks: usize,
    pub max_cascade_depth: u32,
    pub worst_step: usize,
    pub unhealthy_at_worst_step: usize,
    /// Socialized (realized) bad debt, USD.
    pub bad_debt_usd: f64,
    pub insurance_used_usd: f64,
    pub depositor_loss_usd: f64,
    /// Insolvent obligations' shortfall left at the end (not yet socialized), USD.
    pub unrealized_shortfall_usd: f64,
    /// bad_debt_usd + unrealized_shortfall_usd.
    pub total_bad_debt_usd: f64,
    pub insolvent_obligations_end: usize,
    pub borrows: usize,
    pub borrows_blocked_by_breaker: usize,
    pub socialize_failures: usize,
    pub exact_health_evaluations: usize,
    pub position_steps: u64,
    pub seconds: f64,
}

/// Everything a run produces.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub market: String,
    pub scenario: String,
    pub params: Option<SimParams>,
    pub summary: Summary,
    pub reserves: Vec<ReserveReport>,
    /// Maintenance health factors (obligations with debt) at the worst step, before its
    /// liquidations; capped at 100.
    pub health_factors_at_worst_step: Vec<f64>,
    pub steps: Vec<StepRecord>,
}

#[derive(Clone, Copy, Debug)]
struct Cache {
    /// Health factor at the last exact evaluation (infinite without debt).
    hf0: f64,
    /// Collateral and debt levels of each position's reserve at that evaluation.
    lc: [f64; MAX_SIM_POSITIONS],
    ld: [f64; MAX_SIM_POSITIONS],
    dirty: bool,
    unhealthy_since: u32,
}

const HEALTHY: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Healthy,
    Unhealthy,
    Unknown,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            hf0: f64::INFINITY,
            lc: [0.0; MAX_SIM_POSITIONS],
            ld: [0.0; MAX_SIM_POSITIONS],
            dirty: true,
            unhealthy_since: HEALTHY,
        }
    }
}

/// The worst step seen: its score, step, and the obligations and reserves then, at that time.
type WorstStep = ((usize, i64), usize, Vec<ObligationState>, Vec<SimReserve>, i64);

fn wad_f(w: Wad) -> f64 {
    w.0 as f64 / WAD as f64
}

/// A market, a book and a price path, ready to run.
pub struct Sim<'a> {
    market: &'a Market,
    pub params: SimParams,
    path: &'a PricePath,
    pub reserves: Vec<SimReserve>,
    pub obligations: Vec<ObligationState>,
    targets: Vec<u16>,
    cache: Vec<Cache>,
    spots: Vec<Wad>,
    spot_f: Vec<f64>,
    ema: Vec<f64>,
    impact: Vec<f64>,
    tripped: Vec<bool>,
    coll_level: Vec<f64>,
    debt_level: Vec<f64>,
    scale: Vec<f64>,
    /// The market as the operations read it (liquidation knobs, stress scenarios).
    market_state: MarketState,
    rng: Rng,
    now: i64,
    // per-reserve running stats
    stats: Vec<ReserveReport>,
    socialize_failures: usize,
    share_value_start: Vec<f64>,
    liquidity_start_usd: Vec<f64>,
    setup_skipped: usize,
}

impl<'a> Sim<'a> {
    /// Starts from an existing state instead of opening a book: reserves with their accounting
    /// (e.g. a running market's, [`crate::snapshot::Snapshot`]) and obligations with their exact
    /// shares. `targets` are the borrowers' usage targets for re-levering (bps per obligation;
    /// empty = nobody borrows again). Prices come from the path (row 0 = the snapshot's prices
    /// when the market is `Snapshot::market`), published at `params.start_unix`.
    pub fn from_state(
        market: &'a Market,
        reserves: Vec<SimReserve>,
        obligations: Vec<ObligationState>,
        targets: Vec<u16>,
        path: &'a PricePath,
        params: SimParams,
    ) -> Result<Sim<'a>, String> {
        if reserves.len() != market.reserves.len() {
            return Err("reserve states and market reserves differ in number".into());
        }
        if obligations.iter().any(|o| o.active_positions().iter().any(|p| p.reserve as usize >= reserves.len())) {
            return Err("an obligation names a reserve index out of range".into());
        }
        let count = obligations.len();
        let mut sim = Sim::assemble(market, path, params, reserves)?;
        sim.obligations = obligations;
        sim.targets = if targets.is_empty() { vec![0; count] } else { targets };
        if sim.targets.len() != count {
            return Err("targets and obligations differ in number".into());
        }
        for r in 0..sim.reserves.len() {
            let fees = sim.reserves[r].accounting.insurance_fees;
            sim.stats[r].insurance_fund_start_usd = wad_f(fees) / sim.scale[r] * market.reserves[r].initial_price;
        }
        sim.finish_setup();
        Ok(sim)
    }

    /// A snapshot of a running market as a ready-to-run simulation: `Sim::from_state` with the
    /// snapshot's reserves and obligations; `market` should be `snapshot.market(..)` (same
    /// reserve order). The run starts at the snapshot's clock.
    pub fn from_snapshot(
        market: &'a Market,
        snapshot: &crate::snapshot::Snapshot,
        path: &'a PricePath,
        mut params: SimParams,
    ) -> Result<Sim<'a>, String> {
        params.start_unix = snapshot.now;
        params.clamp_borrows = false;
        let obligations = snapshot.obligations.iter().map(|o| o.state).collect();
        let mut sim = Sim::from_state(market, snapshot.reserve_states(), obligations, Vec::new(), path, params)?;
        sim.market_state = MarketState { paused_until: i64::MIN, ..snapshot.market_state };
        Ok(sim)
    }

    /// The simulation around `reserves`, prices published from the path's first row.
    fn assemble(
        market: &'a Market,
        path: &'a PricePath,
        params: SimParams,
        reserves: Vec<SimReserve>,
    ) -> Result<Sim<'a>, String> {
        let n = market.reserves.len();
        if path.rows.is_empty() || path.rows.iter().any(|r| r.len() != n) {
            return Err("price path width differs from the reserve count".into());
        }
        let start = params.start_unix;
        let mut sim = Sim {
            market,
            path,
            reserves,
            obligations: Vec::new(),
            targets: Vec::new(),
            cache: Vec::new(),
            spots: vec![Wad::ZERO; n],
            spot_f: path.rows[0].clone(),
            ema: path.rows[0].clone(),
            impact: vec![1.0; n],
            tripped: vec![false; n],
            coll_level: vec![0.0; n],
            debt_level: vec![0.0; n],
            scale: market.reserves.iter().map(|r| 10f64.powi(r.decimals as i32)).collect(),
            market_state: market_state(market),
            rng: Rng::fork(params.seed, 3),
            now: start,
            stats: market
                .reserves
                .iter()
                .map(|r| ReserveReport { symbol: r.symbol.clone(), ..Default::default() })
                .collect(),
            socialize_failures: 0,
            share_value_start: vec![0.0; n],
            liquidity_start_usd: vec![0.0; n],
            setup_skipped: 0,
            params,
        };
        sim.set_prices(0);
        Ok(sim)
    }

    /// Skip caches, levels and the start-of-run statistics, once the book is open.
    fn finish_setup(&mut self) {
        self.cache = vec![Cache::default(); self.obligations.len()];
        self.update_levels();
        for r in 0..self.reserves.len() {
            let acc = &self.reserves[r].accounting;
            self.share_value_start[r] = wad_f(acc.supply_share_value().unwrap_or(Wad::ZERO));
            self.liquidity_start_usd[r] = wad_f(acc.total_liquidity().unwrap_or(Wad::ZERO)) / self.scale[r]
                * self.market.reserves[r].initial_price;
            self.stats[r].utilization_start_pct = wad_f(acc.utilization().unwrap_or(Wad::ZERO)) * 100.0;
        }
    }

    /// Book entries whose deposit or borrow could not be opened (caps, liquidity, position limit).
    pub fn setup_skipped(&self) -> usize {
        self.setup_skipped
    }

    /// Oracle content for every reserve at step `t`: path price x sale impact, as a Pyth-style
    /// mantissa at the reserve's exponent, EMA and confidence; spot Wads via `OraclePrice::spot`
    /// (which normalises with `price::scaled_to_wad`).
    fn set_prices(&mut self, t: usize) {
        for r in 0..self.reserves.len() {
            self.set_price(r, self.path.rows[t][r] * self.impact[r]);
        }
    }

    fn set_price(&mut self, r: usize, usd: f64) {
        let spec = &self.market.reserves[r];
        let unit = 10f64.powi(spec.exponent);
        let mantissa = (usd / unit).round().clamp(1.0, i64::MAX as f64 / 4.0) as i64;
        let ema_mantissa = (self.ema[r] / unit).round().clamp(1.0, i64::MAX as f64 / 4.0) as i64;
        let conf_bps = spec.confidence_bps as u128;
        let reserve = &mut self.reserves[r];
        reserve.oracle = OraclePrice {
            price: mantissa,
            conf: (mantissa as u128 * conf_bps / 10_000) as u64,
            ema_price: ema_mantissa,
            ema_conf: (ema_mantissa as u128 * conf_bps / 10_000) as u64,
            exponent: spec.exponent,
            publish_time: self.now,
        };
        self.spots[r] = reserve.spot(self.now).expect("simulated oracle price is positive and fresh");
        self.spot_f[r] = wad_f(self.spots[r]);
    }

    fn update_levels(&mut self) {
        for r in 0..self.reserves.len() {
            let acc = &self.reserves[r].accounting;
            self.coll_level[r] = self.spot_f[r] * wad_f(acc.supply_share_value().unwrap_or(Wad::ZERO));
            self.debt_level[r] = self.spot_f[r] * wad_f(acc.borrow_index);
        }
    }

    /// What the last exact evaluation and the moves since then prove: `Healthy` when the health
    /// factor, scaled by the worst move of its collateral and debt levels, is still above
    /// 1 + 1e-6; `Unhealthy` when even the best move leaves it below 1 - 1e-6 (a liquidation
    /// re-evaluates it exactly anyway); otherwise `Unknown` and it is evaluated exactly.
    #[inline]
    fn status(&self, i: usize) -> Status {
        let c = &self.cache[i];
        if c.dirty || self.params.exhaustive {
            return Status::Unknown;
        }
        if c.hf0 == f64::INFINITY {
            return Status::Healthy;
        }
        let ob = &self.obligations[i];
        let (mut worst_c, mut best_c) = (f64::INFINITY, 0.0f64);
        let (mut worst_d, mut best_d) = (0.0f64, f64::INFINITY);
        for k in 0..ob.position_count() {
            let p = &ob.slots()[k];
            let r = p.reserve as usize;
            if p.supply_shares > 0 {
                let x = self.coll_level[r] / c.lc[k];
                worst_c = worst_c.min(x);
                best_c = best_c.max(x);
            }
            if p.debt_shares.0 > 0 {
                let x = self.debt_level[r] / c.ld[k];
                worst_d = worst_d.max(x);
                best_d = best_d.min(x);
            }
        }
        if worst_c == f64::INFINITY {
            return Status::Unknown;
        }
        if c.hf0 * worst_c > worst_d * (1.0 + 1e-6) {
            Status::Healthy
        } else if c.hf0 > 0.0 && c.hf0 * best_c < best_d * (1.0 - 1e-6) {
            Status::Unhealthy
        } else {
            Status::Unknown
        }
    }

    /// The obligation's debt value now from the current levels (price x borrow index x shares),
    /// USD: orders the liquidation queue, the same whether or not the obligation was evaluated
    /// exactly this round (so skipping never changes the order).
    fn debt_value_now(&self, i: usize) -> f64 {
        let ob = &self.obligations[i];
        (0..ob.position_count()).map(|k| self.position_value(ob, k).1).sum()
    }

    fn position_value(&self, ob: &ObligationState, k: usize) -> (f64, f64) {
        let p = &ob.slots()[k];
        let r = p.reserve as usize;
        (
            p.supply_shares as f64 * self.coll_level[r] / self.scale[r],
            wad_f(p.debt_shares) * self.debt_level[r] / self.scale[r],
        )
    }

    /// New borrows: a few obligations per step top their leverage back up to their target
    /// share of borrow power (initial health at conf/EMA-adjusted prices, `max_borrow`), unless
    /// a circuit breaker on one of their assets is tripped.
    fn relever(&mut self, record: &mut StepRecord) {
        let p = self.params.relever_prob_per_step;
        if p <= 0.0 || self.obligations.is_empty() {
            return;
        }
        let n = self.obligations.len();
        let log_q = (1.0 - p.min(0.999_999)).ln();
        let mut i = 0usize;
        loop {
            let gap = if p >= 1.0 { 0 } else { ((1.0 - self.rng.uniform()).ln() / log_q).floor() as usize };
            i = i.saturating_add(gap);
            if i >= n {
                break;
            }
            self.try_borrow(i, record);
            i += 1;
        }
    }

    fn try_borrow(&mut self, i: usize, record: &mut StepRecord) {
        let target = self.targets[i];
        let ob = self.obligations[i];
        let Some(debt) = ob.active_positions().iter().find(|p| !p.debt_shares.is_zero()).map(|p| p.reserve as usize)
        else {
            return;
        };
        if target == 0 || !ob.has_collateral() {
            return;
        }
        if ob.active_positions().iter().any(|p| self.tripped[p.reserve as usize]) {
            record.borrows_blocked_by_breaker += 1;
            let blocked =
                ob.active_positions().iter().find(|p| self.tripped[p.reserve as usize]).unwrap().reserve as usize;
            self.stats[blocked].borrows_blocked_by_breaker += 1;
            return;
        }
        let Ok(amount) = borrow_room(&self.market_state, &self.reserves, &ob, debt, target, self.now) else { return };
        // Ignore top-ups under $1 (nobody pays a transaction for them).
        if (amount as f64) / self.scale[debt] * self.spot_f[debt] < 1.0 {
            return;
        }
        // The program's borrow: liquidity, cap, utilisation ceiling, initial health after.
        if borrow(&self.market_state, &mut self.reserves, &mut self.obligations[i], debt, amount, self.now).is_ok() {
            self.cache[i].dirty = true;
            record.borrows += 1;
        }
    }

    /// Writes off an obligation's debt once it has no collateral (`socialize_loss`).
    fn socialize(&mut self, i: usize, record: &mut StepRecord) {
        for (r, result) in socialize_all(&self.market_state, &mut self.reserves, &mut self.obligations[i], self.now) {
            match result {
                Ok(outcome) => self.record_write_off(r, &outcome, record),
                Err(_) => self.socialize_failures += 1,
            }
        }
        self.cache[i].dirty = true;
        self.cache[i].unhealthy_since = HEALTHY;
    }

    /// Books a write-off of reserve `r` (by `socialize_loss` or by a liquidation that left no
    /// collateral) as bad debt, insurance used and depositors' loss.
    fn record_write_off(&mut self, r: usize, outcome: &SocializeLossOutcome, record: &mut StepRecord) {
        let usd = |w: Wad| wad_f(w) / self.scale[r] * self.spot_f[r];
        let (debt, covered, loss) =
            (outcome.debt_written_off, outcome.covered_by_insurance, outcome.loss_to_depositors);
        let s = &mut self.stats[r];
        s.bad_debt_tokens += wad_f(debt) / self.scale[r];
        s.bad_debt_usd += usd(debt);
        s.insurance_used_usd += usd(covered);
        s.depositor_loss_usd += usd(loss);
        record.bad_debt_usd += usd(debt);
        record.insurance_used_usd += usd(covered);
    }

    /// Liquidates obligation `i` (repeatedly, up to 8 times, while unhealthy) within the
    /// remaining capacity; returns false once capacity is exhausted.
    fn liquidate_obligation(
        &mut self,
        i: usize,
        capacity: &mut f64,
        sales: &mut [f64],
        record: &mut StepRecord,
    ) -> bool {
        for _ in 0..8 {
            let ob = self.obligations[i];
            let mut debts: Vec<(usize, f64)> = Vec::new();
            let mut colls: Vec<(usize, f64)> = Vec::new();
            for k in 0..ob.position_count() {
                let (c, d) = self.position_value(&ob, k);
                let r = ob.slots()[k].reserve as usize;
                if ob.slots()[k].supply_shares > 0 {
                    colls.push((r, c));
                }
                if !ob.slots()[k].debt_shares.is_zero() {
                    debts.push((r, d));
                }
            }
            debts.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            colls.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut done = None;
            // A pair skipped only for its bonus: the obligation is worth marking for the auction.
            let mut below_cost = false;
            'pairs: for &(d, _) in &debts {
                for &(c, _) in &colls {
                    let (market, ob) = (&self.market_state, &self.obligations[i]);
                    let Ok(setup) = setup_liquidation(market, &self.reserves, ob, d, c, self.now) else { continue };
                    let Ok(mut plan) = plan_for(&setup, RepayRequest::Max) else { continue };
                    if plan.bonus_bps < self.params.min_bonus_bps {
                        below_cost = true;
                        continue;
                    }
                    let value = wad_f(plan.repay_value);
                    if *capacity >= 0.0 && value > *capacity {
                        let amount = (*capacity / self.spot_f[d] * self.scale[d]).floor();
                        if amount < 1.0 {
                            return false;
                        }
                        match plan_for(&setup, RepayRequest::Amount(amount as u64)) {
                            Ok(p) => plan = p,
                            Err(_) => continue,
                        }
                    }
                    // Tokens when the vault has them; supply shares when it does not.
                    let mut attempt = |receive_shares| {
                        apply_liquidation(
                            &self.market_state,
                            &mut self.reserves,
                            &mut self.obligations[i],
                            d,
                            c,
                            plan.repay_amount,
                            receive_shares,
                            self.now,
                        )
                    };
                    let result = match attempt(false) {
                        Err(SimLiquidationError::Engine(Error::InsufficientLiquidity)) => {
                            self.stats[c].liquidations_failed_liquidity += 1;
                            attempt(true).map(|outcome| (outcome, true))
                        }
                        other => other.map(|outcome| (outcome, false)),
                    };
                    if let Ok((outcome, in_shares)) = result {
                        self.stats[c].liquidations_paid_in_shares += in_shares as usize;
                        done = Some((d, c, outcome, in_shares));
                        break 'pairs;
                    }
                }
            }
            let Some((d, c, outcome, in_shares)) = done else {
                if below_cost {
                    self.mark_skipped(i, record);
                }
                break;
            };
            if let Some(written_off) = &outcome.deficit {
                self.record_write_off(d, written_off, record);
            }
            let repaid = wad_f(outcome.plan.repay_value);
            if *capacity >= 0.0 {
                *capacity = (*capacity - repaid).max(0.0);
            }
            record.liquidations += 1;
            record.repaid_usd += repaid;
            record.bonus_usd += wad_f(outcome.plan.seized_value) - repaid;
            // The profit's other half, the sale's proceeds, is booked when the round sells.
            record.liquidator_profit_usd -= repaid;
            let received = outcome.plan.liquidator_amount as f64 / self.scale[c];
            if in_shares {
                // Shares stay deposited: valued at spot.
                record.liquidator_profit_usd += received * self.spot_f[c];
            } else {
                // Liquidators sell the tokens they seized.
                sales[c] += received;
            }
            self.cache[i].dirty = true;
            if outcome.after.is_healthy() {
                self.cache[i].unhealthy_since = HEALTHY;
                break;
            }
            if *capacity == 0.0 {
                return false;
            }
        }
        true
    }
}

/// Convenience: USD value of `amount` base units at `price`, through `health::token_value`.
pub fn usd_value(amount: u64, decimals: u8, price: Wad) -> f64 {
    wad_f(
        ballast_math::health::token_value(Wad::from_u64(amount), decimals, price, Rounding::Down).unwrap_or(Wad::ZERO),
    )
}
