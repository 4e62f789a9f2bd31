//! Decision code: scan a market, pick the most profitable liquidation of every unhealthy
//! obligation, simulate, send, classify the outcome. Transport-agnostic (runs on [`Chain`]).

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use ballast::errors::BallastError;
use ballast::health::HealthKind;
use ballast::state::Obligation;
use ballast_client::health::{obligation_health, oracle_price, retriever, PricedReserve};
use ballast_client::instructions::{self as ix, ReserveKeys};
use ballast_engine::operations::LiquidationTerms;
use ballast_engine::policy::{self, RepayLimits};
use ballast_engine::{MarketState, Positions as _, ReserveState as _};
use ballast_math::liquidation::LiquidationPlan;
use ballast_math::{Health, Wad};
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use tokio::sync::Notify;
use tracing::{debug, info, warn};

use crate::chain::{Chain, TransportError, TxOutcome};
use crate::config::Config;
use crate::metrics::Metrics;
use prometheus_client::metrics::counter::Counter;

pub use ballast_client::pda::{associated_token_address, ASSOCIATED_TOKEN_PROGRAM};
/// SPL Token account layout: mint (0..32), owner (32..64), amount (64..72); Token-2022 accounts
/// share these first 165 bytes.
const TOKEN_ACCOUNT_LEN: usize = 165;

/// One liquidation the bot intends to make.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub obligation: Pubkey,
    pub owner: Pubkey,
    /// Maintenance health factor before (weighted collateral / weighted debt).
    pub health_factor: f64,
    pub repay_reserve: Pubkey,
    pub collateral_reserve: Pubkey,
    pub plan: LiquidationPlan,
    /// Collateral to the liquidator x collateral spot - repay x debt spot, USD.
    pub profit_usd: f64,
    pub min_collateral_out: u64,
    /// The collateral vault cannot pay the seizure in tokens: it is taken as supply shares into
    /// the bot's own obligation (`receive_shares`).
    pub receive_shares: bool,
    /// `init_obligation` for the bot's own obligation, when the share payout needs it first.
    pub setup: Option<Instruction>,
    /// The `liquidate` instruction (health accounts included).
    pub instruction: Instruction,
    /// `flash_borrow` and `flash_repay` around it: the bot lacks the repay token and the
    /// collateral is the same reserve, so the seized tokens repay the loan and its fee.
    pub flash_loan: Option<[Instruction; 2]>,
    /// The obligation's data when it was evaluated: if it differs at failure time, someone else
    /// acted on it first.
    pub obligation_data: Vec<u8>,
}

/// Bad debt the bot writes off: a liquidatable obligation whose collateral is gone or worth less
/// than the market's dust value. `socialize_loss` is permissionless and pays nothing; it stops
/// the debt accruing as depositors' value, and no liquidator's indifference to dust holds it up.
#[derive(Clone, Debug)]
pub struct WriteOff {
    pub obligation: Pubkey,
    pub reserve: Pubkey,
    pub instruction: Instruction,
    pub obligation_data: Vec<u8>,
}

/// A transaction the bot sends about one obligation: what `execute` needs to send it and tell a
/// lost race from a failure.
trait Attempt {
    fn obligation(&self) -> Pubkey;
    fn obligation_data(&self) -> &[u8];
    fn instructions(&self) -> Vec<Instruction>;
}

impl Attempt for Candidate {
    fn obligation(&self) -> Pubkey {
        self.obligation
    }
    fn obligation_data(&self) -> &[u8] {
        &self.obligation_data
    }
    fn instructions(&self) -> Vec<Instruction> {
        let (borrow, repay) = match &self.flash_loan {
            Some([borrow, repay]) => (Some(borrow), Some(repay)),
            None => (None, None),
        };
        self.setup.iter().chain(borrow).chain([&self.instruction]).chain(repay).cloned().collect()
    }
}

/// `mark_liquidatable`: starts the Dutch auction's clock on a liquidatable obligation that no
/// liquidation can yet clear at a profit (the bonus then grows until one can), while the market
/// runs an auction and the clock has not started; or stops a clock left running on an obligation
/// that recovered, so its next auction starts from the minimum. Permissionless and paid nothing.
#[derive(Clone, Debug)]
pub struct AuctionMark {
    pub obligation: Pubkey,
    pub instruction: Instruction,
    pub obligation_data: Vec<u8>,
}

/// A permissionless keeping instruction the bot sends after its liquidations: one transaction,
/// one instruction, its own metrics.
trait Upkeep: Attempt {
    /// What it is, for logs.
    const WHAT: &'static str;
    /// (sent, landed, failed) counters.
    fn counters(metrics: &Metrics) -> [&Counter; 3];
    /// The obligation, the instruction and the obligation's data when it was evaluated.
    fn parts(&self) -> (Pubkey, &Instruction, &[u8]);
}

impl<U: Upkeep> Attempt for U {
    fn obligation(&self) -> Pubkey {
        self.parts().0
    }
    fn obligation_data(&self) -> &[u8] {
        self.parts().2
    }
    fn instructions(&self) -> Vec<Instruction> {
        vec![self.parts().1.clone()]
    }
}

impl Upkeep for WriteOff {
    const WHAT: &'static str = "bad-debt write-off";
    fn counters(m: &Metrics) -> [&Counter; 3] {
        [&m.write_offs_sent, &m.write_offs_landed, &m.write_offs_failed]
    }
    fn parts(&self) -> (Pubkey, &Instruction, &[u8]) {
        (self.obligation, &self.instruction, &self.obligation_data)
    }
}

impl Upkeep for AuctionMark {
    const WHAT: &'static str = "auction mark";
    fn counters(m: &Metrics) -> [&Counter; 3] {
        [&m.auction_marks_sent, &m.auction_marks_landed, &m.auction_marks_failed]
    }
    fn parts(&self) -> (Pubkey, &Instruction, &[u8]) {
        (self.obligation, &self.instruction, &self.obligation_data)
    }
}

/// What one scan found.
#[derive(Debug, Default)]
pub struct Scan {
    pub now: i64,
    pub obligations: usize,
    pub unhealthy: usize,
    pub evaluation_errors: usize,
    pub unprofitable: usize,
    pub no_funds: usize,
    /// Most profitable first; each fits the wallet's balances (allocated in that order).
    pub candidates: Vec<Candidate>,
    /// One per debt position of each liquidatable obligation whose collateral is gone or dust.
    pub write_offs: Vec<WriteOff>,
    /// Liquidatable obligations no liquidation clears yet whose auction clock has not started,
    /// and healthy ones whose clock still runs.
    pub auction_marks: Vec<AuctionMark>,
    pub latency: Duration,
}

/// What happened to one candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttemptOutcome {
    Landed {
        signature: Signature,
        units: Option<u64>,
    },
    /// Someone else liquidated (or changed) the obligation first: a normal outcome.
    LostRace {
        reason: String,
    },
    Failed {
        reason: String,
    },
    /// Dry run: planned, not sent.
    DryRun,
    /// Not attempted (shutdown requested).
    NotAttempted,
}

/// One pass: the scan's counts and each candidate's outcome.
#[derive(Debug, Default)]
pub struct PassReport {
    pub obligations: usize,
    pub unhealthy: usize,
    pub evaluation_errors: usize,
    pub unprofitable: usize,
    pub no_funds: usize,
    pub planned: usize,
    pub sent: usize,
    pub landed: usize,
    pub lost_race: usize,
    pub failed: usize,
    pub dry_run: usize,
    pub outcomes: Vec<(Candidate, AttemptOutcome)>,
    pub write_offs: Vec<(WriteOff, AttemptOutcome)>,
    pub auction_marks: Vec<(AuctionMark, AttemptOutcome)>,
    pub scan_latency: Duration,
}

impl PassReport {
    /// The pass's one summary log line.
    pub fn log(&self) {
        info!(
            obligations = self.obligations,
            unhealthy = self.unhealthy,
            planned = self.planned,
            landed = self.landed,
            lost_race = self.lost_race,
            failed = self.failed,
            dry_run = self.dry_run,
            write_offs = self.write_offs.len(),
            auction_marks = self.auction_marks.len(),
            scan_ms = self.scan_latency.as_millis() as u64,
            "pass done"
        );
    }

    /// Obligations liquidated by this pass.
    pub fn liquidated(&self) -> Vec<Pubkey> {
        self.outcomes
            .iter()
            .filter(|(_, o)| matches!(o, AttemptOutcome::Landed { .. }))
            .map(|(c, _)| c.obligation)
            .collect()
    }
}

/// Everything fetched for one scan, reserves already accrued to `now` (so each health
/// computation's accrual is a no-op, with identical results).
struct MarketView {
    now: i64,
    /// The market as the engine's operations read it.
    state: MarketState,
    reserves: HashMap<Pubkey, PricedReserve>,
    keys: HashMap<Pubkey, ReserveKeys>,
    /// Per mint: the wallet's token account and its balance (`None`: missing or not usable).
    wallet: HashMap<Pubkey, (Pubkey, Option<u64>)>,
    /// The bot's own obligation in this market exists (the share payout credits it).
    own_obligation: bool,
}

enum Evaluation {
    Error,
    Unprofitable,
    NoFunds,
    Liquidate(Box<Candidate>),
}

fn usd(wad: Wad) -> f64 {
    wad.0 as f64 / 1e18
}

fn usd_signed(wad: i128) -> f64 {
    wad as f64 / 1e18
}

pub use ballast_client::chain::ballast_error;
use ballast_client::chain::describe_error as describe;

pub struct Liquidator {
    pub config: Config,
    keypair: Keypair,
    pub metrics: Arc<Metrics>,
    stop: Arc<AtomicBool>,
    wake: Arc<Notify>,
}

/// Stops a running [`Liquidator`] after its current transaction.
#[derive(Clone)]
pub struct StopHandle {
    stop: Arc<AtomicBool>,
    wake: Arc<Notify>,
}

impl StopHandle {
    pub fn stop(&self) {
        self.stop.store(true, Relaxed);
        self.wake.notify_waiters();
    }
}

/// One scan-and-liquidate pass (fresh metrics); for the demo and tests.
pub async fn run_once<C: Chain>(
    chain: &mut C,
    config: &Config,
    keypair: &Keypair,
) -> Result<PassReport, TransportError> {
    Liquidator::new(config.clone(), keypair.insecure_clone(), Metrics::new()).run_once(chain).await
}

/// Retries `$call` (an expression producing a future) on transport errors with exponential
/// backoff.
macro_rules! retry {
    ($self:ident, $what:literal, $call:expr) => {{
        let mut attempt = 1u32;
        loop {
            match $call.await {
                Ok(value) => break Ok(value),
                Err(error) if attempt < $self.config.max_attempts => {
                    let delay = $self.backoff(attempt);
                    warn!(request = $what, attempt, ?delay, %error, "transport error, retrying");
                    $self.metrics.transport_retries.inc();
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(error) => break Err(error),
            }
        }
    }};
}

impl Liquidator {
    pub fn new(config: Config, keypair: Keypair, metrics: Arc<Metrics>) -> Liquidator {
        Liquidator { config, keypair, metrics, stop: Arc::new(AtomicBool::new(false)), wake: Arc::new(Notify::new()) }
    }

    pub fn wallet(&self) -> Pubkey {
        self.keypair.pubkey()
    }

    pub fn stop_handle(&self) -> StopHandle {
        StopHandle { stop: self.stop.clone(), wake: self.wake.clone() }
    }

    fn stopping(&self) -> bool {
        self.stop.load(Relaxed)
    }

    fn backoff(&self, attempt: u32) -> Duration {
        Duration::from_millis(self.config.retry_base_delay_ms.saturating_mul(1u64 << (attempt - 1).min(16)))
    }

    /// Scans until stopped, one pass every `scan_interval_secs`.
    pub async fn run<C: Chain>(&self, chain: &mut C) {
        let interval = Duration::from_secs_f64(self.config.scan_interval_secs);
        while !self.stopping() {
            let started = Instant::now();
            match self.run_once(chain).await {
                Ok(report) => report.log(),
                Err(error) => {
                    self.metrics.scan_errors.inc();
                    warn!(%error, "scan failed");
                }
            }
            let wait = interval.saturating_sub(started.elapsed());
            let woken = self.wake.notified();
            if self.stopping() {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = woken => {}
            }
        }
        info!("stopped");
    }

    /// Scan, then liquidate every candidate (or log it, in a dry run).
    pub async fn run_once<C: Chain>(&self, chain: &mut C) -> Result<PassReport, TransportError> {
        let scan = self.scan(chain).await?;
        Ok(self.execute(chain, scan).await)
    }
}

// After `retry!`: macros are in scope only below their definition.
mod execute;
mod scan;
