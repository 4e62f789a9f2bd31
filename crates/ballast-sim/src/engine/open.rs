//! `Sim::new`: fresh reserves from the market file (config, scenario shocks), passive lenders and
//! the insurance fund, then the book: deposits, each obligation's margin mode (the program's
//! `set_margin_mode`) and its borrows.

use ballast_engine::{MarginMode, MarketState, OwnedReserve, Positions as _, ReserveStatus};
use ballast_math::liquidation::SeizurePacing;
use ballast_math::scenario::ScenarioShocks;
use ballast_math::{OraclePrice, ReserveAccounting, Wad};

use super::{wad_f, Sim, SimParams};
use crate::book::{Book, BookEntry};
use crate::config::{Market, ReserveSpec};
use crate::liquidate::{borrow_room, deposit, set_margin_mode, ObligationState, SimReserve, MAX_SIM_POSITIONS};
use crate::paths::PricePath;

/// The market as the simulated operations read it: never paused, the file's liquidation knobs
/// and stress scenarios (fully in force from the start).
pub fn market_state(market: &Market) -> MarketState {
    MarketState {
        paused_until: i64::MIN,
        liquidation: market.liquidation,
        scenarios: market.scenarios,
        ..Default::default()
    }
}

/// A reserve as `init_reserve` creates it from the file (scenario shocks and pacing budget
/// included), at `start_unix`.
fn fresh_reserve(spec: &ReserveSpec, start_unix: i64) -> SimReserve {
    SimReserve {
        reserve: OwnedReserve {
            decimals: spec.decimals,
            risk: spec.risk,
            curve: spec.curve,
            limits: spec.limits,
            accounting: ReserveAccounting::new(start_unix),
            controls: spec.controls,
            status: ReserveStatus::Active,
            socialized_loss: Wad::ZERO,
            ramp: Default::default(),
            last_price_publish_time: i64::MIN,
            scenario_shocks: ScenarioShocks { shocks_bps: spec.scenario_shocks_bps, ..Default::default() },
            pacing: SeizurePacing { depth_budget_usd: spec.liquidation_depth_budget_usd, ..Default::default() },
            outflow: Default::default(),
            treasury: Default::default(),
            flash_loan_amount: 0,
            last_spot_price: Default::default(),
        },
        oracle: OraclePrice::default(),
    }
}

/// One book entry as reserve indices: deposits, borrows, usage target and margin mode.
struct Entry {
    deposits: Vec<(usize, u64)>,
    borrows: Vec<(usize, u64)>,
    target_usage_bps: u16,
    margin: MarginMode,
}

fn resolve(market: &Market, i: usize, e: &BookEntry) -> Result<Entry, String> {
    let index = |symbol: &str| market.index_of(symbol).ok_or(format!("book obligation {i}: unknown symbol {symbol}"));
    let deposits = e.deposits.iter().map(|a| Ok((index(&a.symbol)?, a.amount))).collect::<Result<Vec<_>, String>>()?;
    let borrows = e.borrows.iter().map(|a| Ok((index(&a.symbol)?, a.amount))).collect::<Result<Vec<_>, String>>()?;
    let mut distinct: Vec<usize> = deposits.iter().chain(&borrows).map(|x| x.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() > MAX_SIM_POSITIONS {
        return Err(format!("book obligation {i}: more than {MAX_SIM_POSITIONS} assets"));
    }
    Ok(Entry { deposits, borrows, target_usage_bps: e.target_usage_bps, margin: e.margin.into() })
}

impl<'a> Sim<'a> {
    /// Opens the reserves and the book at the path's first prices: passive lenders' supply
    /// (sized to each reserve's target utilisation), the insurance fund, every deposit (the
    /// engine's `deposit`), each obligation's margin mode (`set_margin_mode`, which needs the
    /// market's scenarios for scenario margin) and every borrow (`ReserveAccounting::borrow`):
    /// clamped to initial health (`borrow_power::max_borrow`) when `clamp_borrows`, or, with
    /// `borrow_to_target`, the obligation's target share of its own borrow power whatever the
    /// book's amount.
    pub fn new(market: &'a Market, book: &Book, path: &'a PricePath, params: SimParams) -> Result<Sim<'a>, String> {
        let n = market.reserves.len();
        let start = params.start_unix;
        let reserves = market.reserves.iter().map(|r| fresh_reserve(r, start)).collect();
        let mut sim = Sim::assemble(market, path, params, reserves)?;
        let entries =
            book.obligations.iter().enumerate().map(|(i, e)| resolve(market, i, e)).collect::<Result<Vec<_>, _>>()?;
        // Deposits first (they are lendable liquidity), then the margin mode, then borrows; the
        // supply share value is 1 until interest accrues, so the lenders' deposit, sized once the
        // borrows are known, mints at the same rate.
        for (i, e) in entries.iter().enumerate() {
            let mut ob = ObligationState::default();
            for &(r, amount) in &e.deposits {
                if deposit(&mut sim.reserves, &mut ob, r, amount, start).is_err() {
                    sim.setup_skipped += 1;
                }
            }
            if e.margin != MarginMode::Classic {
                set_margin_mode(&sim.market_state, &sim.reserves, &mut ob, e.margin, start)
                    .map_err(|err| format!("book obligation {i}: set_margin_mode: {err:?}"))?;
            }
            sim.obligations.push(ob);
            sim.targets.push(e.target_usage_bps);
        }
        let mut deposits_total = vec![0u128; n];
        let mut borrows_total = vec![0u128; n];
        for e in &entries {
            e.deposits.iter().for_each(|&(r, amount)| deposits_total[r] += amount as u128);
            e.borrows.iter().for_each(|&(r, amount)| borrows_total[r] += amount as u128);
        }
        if sim.params.borrow_to_target {
            // Lenders are sized to what the borrows will open: found by opening them on a copy
            // with ample liquidity (a deposit at the share value 1 changes no valuation).
            let mut reserves = sim.reserves.clone();
            for r in &mut reserves {
                r.accounting.deposit(u64::MAX / 4, u64::MAX).map_err(|e| format!("scratch deposit: {e:?}"))?;
            }
            let mut obligations = sim.obligations.clone();
            borrows_total = vec![0u128; n];
            for (i, e) in entries.iter().enumerate() {
                for &(r, amount) in &e.borrows {
                    let open = sim.open_borrow(&mut reserves, &mut obligations[i], i, r, amount);
                    borrows_total[r] += open.unwrap_or(0) as u128;
                }
            }
        }
        sim.open_lenders(&deposits_total, &borrows_total)?;
        let mut obligations = std::mem::take(&mut sim.obligations);
        let mut reserves = std::mem::take(&mut sim.reserves);
        for (i, e) in entries.iter().enumerate() {
            for &(r, amount) in &e.borrows {
                if sim.open_borrow(&mut reserves, &mut obligations[i], i, r, amount).is_err() {
                    sim.setup_skipped += 1;
                }
            }
        }
        (sim.obligations, sim.reserves) = (obligations, reserves);
        sim.finish_setup();
        Ok(sim)
    }

    /// Passive lenders' supply (each reserve at its target utilisation after `borrows`) and the
    /// insurance fund (its tokens sit in the vault and belong to the fund).
    fn open_lenders(&mut self, deposits: &[u128], borrows: &[u128]) -> Result<(), String> {
        for (r, spec) in self.market.reserves.iter().enumerate() {
            let util = spec.sim.target_utilization_bps as f64 / 1e4;
            let needed = borrows[r] as f64 * 1.001 + 1.0;
            let extra = if util > 0.0 {
                (borrows[r] as f64 / util - deposits[r] as f64).max(needed - deposits[r] as f64)
            } else {
                needed - deposits[r] as f64
            };
            // Always at least a seed deposit (init_reserve requires one).
            let extra = extra.max(self.scale[r]).min(u64::MAX as f64 / 4.0) as u64;
            let acc = &mut self.reserves[r].accounting;
            acc.deposit(extra, spec.risk.supply_cap).map_err(|e| format!("{}: lender deposit: {e:?}", spec.symbol))?;
            let fund = (spec.sim.insurance_fund_usd / spec.initial_price * self.scale[r]).max(0.0) as u64;
            if fund > 0 {
                acc.available_liquidity = acc.available_liquidity.saturating_add(fund);
                acc.insurance_fees =
                    acc.insurance_fees.checked_add(Wad::from_u64(fund)).map_err(|e| format!("{e:?}"))?;
            }
            self.stats[r].insurance_fund_start_usd = wad_f(acc.insurance_fees) / self.scale[r] * spec.initial_price;
        }
        Ok(())
    }

    /// Opens obligation `i`'s book borrow of `amount` in reserve `r` (on `reserves` and
    /// `obligation`): the amount, clamped to initial health when `clamp_borrows`, or its target
    /// share of its borrow power when `borrow_to_target`; without the health check, so a loaded
    /// book may start unhealthy. Returns what it opened (`Err`: it could not).
    fn open_borrow(
        &self,
        reserves: &mut [SimReserve],
        obligation: &mut ObligationState,
        i: usize,
        r: usize,
        amount: u64,
    ) -> Result<u64, ()> {
        let start = self.params.start_unix;
        let room = |usage| borrow_room(&self.market_state, reserves, obligation, r, usage, start).unwrap_or(0);
        let amount = if self.params.borrow_to_target {
            room(self.targets[i])
        } else if self.params.clamp_borrows {
            amount.min(room(10_000))
        } else {
            amount
        };
        if amount == 0 {
            return Ok(0);
        }
        let cap = reserves[r].risk.borrow_cap;
        let shares = reserves[r].accounting.borrow(amount, cap).map_err(|_| ())?;
        let position = obligation.position_or_open(&(r as u8)).map_err(|_| ())?;
        position.debt_shares = Wad(position.debt_shares.0 + shares.0);
        Ok(amount)
    }
}
