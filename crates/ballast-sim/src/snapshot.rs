//! A running market as the simulator's state: its Reserve, Obligation and oracle accounts
//! (decoded with `ballast-client`: `accounts::decode_*` and `health::oracle_price`, the program's
//! own parsers) become [`SimReserve`]s — config, accounting accrued to the snapshot's clock,
//! oracle price — and [`ObligationState`]s with the exact on-chain shares, plus a [`Book`] in the
//! simulator's units (base units per symbol) for the `--book` file format.
//!
//! [`snapshot`] is a pure function over `(Pubkey, Account)` lists, so it runs the same on
//! accounts fetched over JSON-RPC (`ballast_client::chain::fetch_market`, what
//! `ballast-sim snapshot` does) and on accounts read from a test bank. Health computed by
//! `liquidate::maintenance_health` / `initial_health` on the result equals the program's
//! (`tests/tests/integration/sim_snapshot.rs` checks it on the runtime).

use std::collections::HashMap;

use anchor_lang::prelude::Pubkey;
use ballast_client::accounts::{decode_market, decode_obligation, decode_reserve};
use ballast_client::health::oracle_price;
use ballast_engine::{MarketState, OwnedReserve, PositionSlot as _, Positions as _, ReserveState as _};
use ballast_math::{OraclePrice, PriceLimits, Rounding, Wad, WAD};
use serde::Serialize;
use solana_account::Account;

use crate::book::{Amount, Book, BookEntry, BookMargin};
use crate::config::{Market, ReserveSpec};
use crate::liquidate::{ObligationState, Position, SimReserve, MAX_SIM_POSITIONS};

/// One reserve of the snapshot.
#[derive(Clone, Debug)]
pub struct SnapshotReserve {
    pub key: Pubkey,
    pub mint: Pubkey,
    pub oracle: Pubkey,
    pub symbol: String,
    /// Config, accounting (accrued to the snapshot's clock) and the oracle's content.
    pub state: SimReserve,
    /// The oracle's spot price (`OraclePrice::spot`, no age limit) and as USD.
    pub spot: Wad,
    pub price_usd: f64,
    /// The price is older than the reserve's `max_price_age_secs` (the program would refuse it).
    pub stale: bool,
    /// `ReserveStatus` as stored: 0 active, 1 reduce-only, 2 paused (the simulator ignores it).
    pub status: u8,
}

impl SnapshotReserve {
    /// Total deposits (liquidity, base units, rounded down) and total borrows (rounded up).
    pub fn totals(&self) -> (u64, u64) {
        let a = &self.state.accounting;
        let clamp = |v: u128| v.min(u64::MAX as u128) as u64;
        let deposits = a.total_liquidity().map(|w| w.0 / WAD).unwrap_or(0);
        let borrows = a.total_debt(Rounding::Up).map(|w| w.0.div_ceil(WAD)).unwrap_or(0);
        (clamp(deposits), clamp(borrows))
    }
}

/// One obligation of the snapshot, indices into [`Snapshot::reserves`].
#[derive(Clone, Debug)]
pub struct SnapshotObligation {
    pub key: Pubkey,
    pub owner: Pubkey,
    pub state: ObligationState,
}

#[derive(Clone, Debug)]
pub struct Snapshot {
    pub market: Pubkey,
    /// The cluster clock the accounts were read at; reserves are accrued to it.
    pub now: i64,
    /// The market's knobs as the engine reads them: liquidation, stress scenarios (and their
    /// ramp), pause.
    pub market_state: MarketState,
    pub reserves: Vec<SnapshotReserve>,
    pub obligations: Vec<SnapshotObligation>,
    /// Obligations the simulator cannot hold, and why (more than `MAX_SIM_POSITIONS` positions,
    /// or a position in a reserve not in the snapshot).
    pub skipped: Vec<(Pubkey, String)>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SnapshotError {
    /// The market account is not a Ballast market.
    Market,
    /// A reserve account does not decode, belongs to another market, or its oracle is missing
    /// or unreadable (the program's error name).
    Reserve {
        key: Pubkey,
        reason: String,
    },
    TooManyReserves(usize),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::Market => write!(f, "the market account is not a Ballast market"),
            SnapshotError::Reserve { key, reason } => write!(f, "reserve {key}: {reason}"),
            SnapshotError::TooManyReserves(n) => write!(f, "{n} reserves; the simulator holds at most 255"),
        }
    }
}

impl std::error::Error for SnapshotError {}

/// Builds the simulator's state from a market's accounts.
///
/// - `reserves`: the market's Reserve accounts (any order; the snapshot keeps it). Each must
///   decode and name `market`; its oracle must be among `oracles` and decode with the program's
///   parser (`health::oracle_price`: owner, format, feed id).
/// - `obligations`: Obligation accounts; those of other markets are ignored, empty ones dropped.
/// - `now`: the cluster clock; every reserve is accrued to it (as the program does first).
/// - `symbol_of`: a symbol per mint (e.g. from a deployment file); unnamed mints get the first 6
///   characters of their address.
pub fn snapshot(
    market: &Pubkey,
    market_account: &Account,
    reserves: &[(Pubkey, Account)],
    obligations: &[(Pubkey, Account)],
    oracles: &[(Pubkey, Account)],
    now: i64,
    symbol_of: &dyn Fn(&Pubkey) -> Option<String>,
) -> Result<Snapshot, SnapshotError> {
    if market_account.owner != ballast::ID {
        return Err(SnapshotError::Market);
    }
    let market_state = decode_market(&market_account.data).map_err(|_| SnapshotError::Market)?;
    if reserves.len() > 255 {
        return Err(SnapshotError::TooManyReserves(reserves.len()));
    }
    let oracle_accounts: HashMap<Pubkey, &Account> = oracles.iter().map(|(k, a)| (*k, a)).collect();
    let mut out = Vec::with_capacity(reserves.len());
    for (key, account) in reserves {
        let bad = |reason: String| SnapshotError::Reserve { key: *key, reason };
        if account.owner != ballast::ID {
            return Err(bad("not owned by the Ballast program".into()));
        }
        let reserve = decode_reserve(&account.data).map_err(|_| bad("not a Reserve account".into()))?;
        if reserve.market != *market {
            return Err(bad(format!("belongs to market {}", reserve.market)));
        }
        let oracle_key = reserve.oracle.oracle_account;
        let oracle_account =
            oracle_accounts.get(&oracle_key).ok_or_else(|| bad(format!("oracle {oracle_key} not fetched")))?;
        let price = oracle_price(&reserve, &oracle_key, &oracle_account.owner, &oracle_account.data)
            .map_err(|e| bad(format!("oracle {oracle_key}: {}", e.name())))?;
        let accounting = reserve.accrued(now).map_err(|e| bad(format!("accrual: {e:?}")))?;
        let limits = reserve.oracle.limits();
        let stale = price.spot(now, &limits).is_err();
        let spot = price
            .spot(now, &PriceLimits { max_age_secs: u64::MAX, ..limits })
            .map_err(|e| bad(format!("oracle price: {e:?}")))?;
        let symbol = symbol_of(&reserve.mint).unwrap_or_else(|| reserve.mint.to_string()[..6].to_string());
        out.push(SnapshotReserve {
            key: *key,
            mint: reserve.mint,
            oracle: oracle_key,
            symbol,
            state: SimReserve {
                reserve: OwnedReserve { limits, accounting, ..OwnedReserve::copy_of(&reserve) },
                oracle: price,
            },
            spot,
            price_usd: spot.0 as f64 / WAD as f64,
            stale,
            status: reserve.status,
        });
    }
    let index: HashMap<Pubkey, usize> = out.iter().enumerate().map(|(i, r)| (r.key, i)).collect();

    let mut book_obligations = Vec::new();
    let mut skipped = Vec::new();
    for (key, account) in obligations {
        if account.owner != ballast::ID {
            continue;
        }
        let Ok(obligation) = decode_obligation(&account.data) else { continue };
        if obligation.market != *market {
            continue;
        }
        let positions = obligation.active_positions();
        if positions.iter().all(|p| p.is_empty()) {
            continue;
        }
        if positions.len() > MAX_SIM_POSITIONS {
            skipped.push((*key, format!("{} positions (the simulator holds {MAX_SIM_POSITIONS})", positions.len())));
            continue;
        }
        let slots: Result<Vec<Position>, Pubkey> = positions
            .iter()
            .map(|p| {
                let reserve = *index.get(&p.reserve).ok_or(p.reserve)?;
                Ok(Position { reserve: reserve as u8, supply_shares: p.supply_shares, debt_shares: p.debt_shares() })
            })
            .collect();
        let slots = match slots {
            Ok(slots) => slots,
            Err(reserve) => {
                skipped.push((*key, format!("position in reserve {reserve}, which is not in the snapshot")));
                continue;
            }
        };
        // The auction's clock comes along: a running auction goes on paying its grown bonus.
        let state = ObligationState::from_positions(slots)
            .with_margin(obligation.margin_mode())
            .with_auction_start(obligation.liquidatable_since_ts)
            .with_non_collateral(obligation.non_collateral_mask());
        book_obligations.push(SnapshotObligation { key: *key, owner: obligation.owner, state });
    }
    Ok(Snapshot {
        market: *market,
        now,
        market_state: market_state.state(),
        reserves: out,
        obligations: book_obligations,
        skipped,
    })
}

impl Snapshot {
    /// The reserve states, in snapshot order (what `ObligationState` positions index).
    pub fn reserve_states(&self) -> Vec<SimReserve> {
        self.reserves.iter().map(|r| r.state.clone()).collect()
    }

    /// The book in the simulator's file format: per obligation, each deposit as the liquidity
    /// its supply shares are worth (rounded down) and each borrow as its debt (rounded up), in
    /// base units, named by symbol. Loading it with `--book` opens fresh reserves with these
    /// amounts; [`crate::Sim::from_snapshot`] keeps the exact shares instead.
    pub fn book(&self) -> Book {
        let obligations = self
            .obligations
            .iter()
            .map(|o| {
                let margin = if o.state.margin == ballast_engine::MarginMode::Scenarios {
                    BookMargin::Scenarios
                } else {
                    BookMargin::Classic
                };
                let mut entry = BookEntry { margin, ..Default::default() };
                for p in o.state.active_positions() {
                    let r = &self.reserves[p.reserve as usize];
                    let a = &r.state.accounting;
                    if p.supply_shares > 0 {
                        let amount = a.liquidity_for_shares(p.supply_shares).map(|w| w.0 / WAD).unwrap_or(0);
                        entry
                            .deposits
                            .push(Amount { symbol: r.symbol.clone(), amount: amount.min(u64::MAX as u128) as u64 });
                    }
                    if !p.debt_shares.is_zero() {
                        let debt = a.debt_amount(p.debt_shares, Rounding::Up).map(|w| w.0.div_ceil(WAD)).unwrap_or(0);
                        entry
                            .borrows
                            .push(Amount { symbol: r.symbol.clone(), amount: debt.min(u64::MAX as u128) as u64 });
                    }
                }
                entry
            })
            .collect();
        Book { obligations }
    }

    /// A simulator market for this snapshot: on-chain config, the oracle prices as initial
    /// prices and confidence, and the `sim` tables (and `[simulation]`) of `overlay`'s reserve
    /// with the same symbol, where there is one (defaults otherwise).
    pub fn market(&self, overlay: Option<&Market>) -> Market {
        let reserves = self
            .reserves
            .iter()
            .map(|r| {
                let s = &r.state;
                let conf_bps = if s.oracle.price > 0 {
                    (s.oracle.conf as u128 * 10_000 / s.oracle.price as u128).min(9_999) as u16
                } else {
                    0
                };
                let sim =
                    overlay.and_then(|m| m.index_of(&r.symbol).map(|i| m.reserves[i].sim.clone())).unwrap_or_default();
                ReserveSpec {
                    symbol: r.symbol.clone(),
                    decimals: s.decimals,
                    initial_price: r.price_usd,
                    risk: s.risk,
                    controls: s.controls,
                    curve: s.curve,
                    limits: s.limits,
                    exponent: s.oracle.exponent,
                    confidence_bps: conf_bps,
                    scenario_shocks_bps: s.scenario_shocks.shocks_bps,
                    liquidation_depth_budget_usd: s.pacing.depth_budget_usd,
                    sim,
                }
            })
            .collect();
        let mut simulation = overlay.map(|m| m.simulation.clone()).unwrap_or_default();
        // The overlay's correlation matrix is in its own reserve order; keep it only if the
        // symbols line up one to one.
        if let Some(m) = overlay {
            let same = m.reserves.len() == self.reserves.len()
                && m.reserves.iter().zip(&self.reserves).all(|(a, b)| a.symbol.eq_ignore_ascii_case(&b.symbol));
            if !same {
                simulation.correlation = Vec::new();
            }
        }
        Market {
            name: overlay.map(|m| m.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| self.market.to_string()),
            liquidation: self.market_state.liquidation,
            scenarios: self.market_state.scenarios,
            scenario_names: overlay.map(|m| m.scenario_names.clone()).unwrap_or_default(),
            reserves,
            simulation,
        }
    }

    /// A one-screen summary: per reserve price, deposits, borrows, utilisation; obligation
    /// counts.
    pub fn table(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(out, "market {} at unix {}", self.market, self.now);
        let _ = writeln!(
            out,
            "{:<8} {:>14} {:>20} {:>20} {:>7}  reserve",
            "symbol", "price (USD)", "deposits (base)", "borrows (base)", "util %"
        );
        for r in &self.reserves {
            let (deposits, borrows) = r.totals();
            let util = r.state.accounting.utilization().map(|u| u.0 as f64 / WAD as f64 * 100.0).unwrap_or(0.0);
            let _ = writeln!(
                out,
                "{:<8} {:>14.6} {:>20} {:>20} {:>7.2}  {}{}",
                r.symbol,
                r.price_usd,
                deposits,
                borrows,
                util,
                r.key,
                if r.stale { " (price stale)" } else { "" }
            );
        }
        let with_debt = self.obligations.iter().filter(|o| o.state.has_debt()).count();
        let _ = writeln!(
            out,
            "{} obligations ({with_debt} with debt), {} skipped",
            self.obligations.len(),
            self.skipped.len()
        );
        for (key, why) in &self.skipped {
            let _ = writeln!(out, "  skipped {key}: {why}");
        }
        out
    }

    /// Maintenance health factor per obligation (None without debt), with the snapshot's prices,
    /// stale ones included (each valued as if published at the snapshot's clock).
    pub fn health_factors(&self) -> Vec<Option<f64>> {
        let reserves: Vec<SimReserve> = self
            .reserves
            .iter()
            .map(|r| SimReserve {
                oracle: OraclePrice { publish_time: self.now, ..r.state.oracle },
                reserve: r.state.reserve,
            })
            .collect();
        self.obligations
            .iter()
            .map(|o| {
                crate::liquidate::maintenance_health(&reserves, &o.state, self.now)
                    .ok()
                    .and_then(|h| h.health_factor())
                    .map(|w| w.0 as f64 / WAD as f64)
            })
            .collect()
    }
}

/// What `ballast-sim snapshot --state-out` writes: the snapshot's reserves and obligations in
/// plain numbers (base units, shares, prices), for inspection.
#[derive(Clone, Debug, Serialize)]
pub struct SnapshotSummary {
    pub market: String,
    pub now: i64,
    pub reserves: Vec<ReserveSummary>,
    pub obligations: Vec<ObligationSummary>,
    pub skipped: Vec<(String, String)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReserveSummary {
    pub symbol: String,
    pub reserve: String,
    pub mint: String,
    pub oracle: String,
    pub decimals: u8,
    pub price_usd: f64,
    pub stale: bool,
    pub total_deposits: u64,
    pub total_borrows: u64,
    pub available_liquidity: u64,
    pub total_supply_shares: u64,
    /// Wads as decimal strings (exact).
    pub total_debt_shares: String,
    pub borrow_index: String,
    pub supply_share_value: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ObligationSummary {
    pub obligation: String,
    pub owner: String,
    pub health_factor: Option<f64>,
    /// `(symbol, supply_shares, debt_shares as a Wad string)`.
    pub positions: Vec<(String, u64, String)>,
}

impl Snapshot {
    pub fn summary(&self) -> SnapshotSummary {
        let wad = |w: Wad| w.0.to_string();
        let hfs = self.health_factors();
        SnapshotSummary {
            market: self.market.to_string(),
            now: self.now,
            reserves: self
                .reserves
                .iter()
                .map(|r| {
                    let a = &r.state.accounting;
                    let (total_deposits, total_borrows) = r.totals();
                    ReserveSummary {
                        symbol: r.symbol.clone(),
                        reserve: r.key.to_string(),
                        mint: r.mint.to_string(),
                        oracle: r.oracle.to_string(),
                        decimals: r.state.decimals,
                        price_usd: r.price_usd,
                        stale: r.stale,
                        total_deposits,
                        total_borrows,
                        available_liquidity: a.available_liquidity,
                        total_supply_shares: a.total_supply_shares,
                        total_debt_shares: wad(a.total_debt_shares),
                        borrow_index: wad(a.borrow_index),
                        supply_share_value: a.supply_share_value().map(wad).unwrap_or_default(),
                    }
                })
                .collect(),
            obligations: self
                .obligations
                .iter()
                .zip(hfs)
                .map(|(o, health_factor)| ObligationSummary {
                    obligation: o.key.to_string(),
                    owner: o.owner.to_string(),
                    health_factor,
                    positions: o
                        .state
                        .active_positions()
                        .iter()
                        .map(|p| {
                            (self.reserves[p.reserve as usize].symbol.clone(), p.supply_shares, wad(p.debt_shares))
                        })
                        .collect(),
                })
                .collect(),
            skipped: self.skipped.iter().map(|(k, w)| (k.to_string(), w.clone())).collect(),
        }
    }
}
