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
use ballast::state::{Market, Obligation};
use ballast_client::health::{obligation_health, oracle_price, retriever, PricedReserve};
use ballast_client::instructions::{self as ix, ReserveKeys};
use ballast_engine::policy::{self, RepayLimits};
use ballast_engine::{Positions as _, ReserveState as _};
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
    /// The `liquidate` instruction (health accounts included).
    pub instruction: Instruction,
    /// The obligation's data when it was evaluated: if it differs at failure time, someone else
    /// acted on it first.
    pub obligation_data: Vec<u8>,
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
    market: Market,
    reserves: HashMap<Pubkey, PricedReserve>,
    keys: HashMap<Pubkey, ReserveKeys>,
    /// Per mint: the wallet's token account and its balance (`None`: missing or not usable).
    wallet: HashMap<Pubkey, (Pubkey, Option<u64>)>,
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
                    $self.metrics.transport_retries.fetch_add(1, Relaxed);
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
                    self.metrics.scan_errors.fetch_add(1, Relaxed);
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

    /// Reads the market and evaluates every obligation; sends nothing.
    pub async fn scan<C: Chain>(&self, chain: &mut C) -> Result<Scan, TransportError> {
        let started = Instant::now();
        self.metrics.scans.fetch_add(1, Relaxed);
        let market_key = self.config.market;
        let filters = ballast_client::chain::obligation_filters(&market_key);
        let fetched = retry!(self, "program_accounts", chain.program_accounts(&filters))?;
        let now = retry!(self, "clock", chain.now())?;
        let mut scan = Scan { now, obligations: fetched.len(), ..Scan::default() };

        let mut obligations = Vec::with_capacity(fetched.len());
        for (key, account) in fetched {
            match ballast_client::accounts::decode_obligation(&account.data) {
                Ok(obligation) if obligation.market == market_key => obligations.push((key, obligation, account.data)),
                _ => scan.evaluation_errors += 1,
            }
        }
        let view = self.fetch_view(chain, now, &obligations).await?;

        // Evaluate with the full balances, then allocate balances most profitable first.
        let full: HashMap<Pubkey, u64> =
            view.wallet.iter().map(|(mint, (_, balance))| (*mint, balance.unwrap_or(0))).collect();
        let mut found = Vec::new();
        for (index, (key, obligation, data)) in obligations.iter().enumerate() {
            let health = match obligation_health(obligation, |k| view.reserves.get(k), HealthKind::Maintenance, now) {
                Ok(health) => health,
                Err(error) => {
                    debug!(obligation = %key, error = error.name(), "health not computable");
                    scan.evaluation_errors += 1;
                    continue;
                }
            };
            if health.is_healthy() {
                continue;
            }
            scan.unhealthy += 1;
            match self.evaluate(&view, key, obligation, data, &health, &full) {
                Evaluation::Liquidate(candidate) => found.push((index, health, *candidate)),
                Evaluation::Unprofitable => scan.unprofitable += 1,
                Evaluation::NoFunds => scan.no_funds += 1,
                Evaluation::Error => scan.evaluation_errors += 1,
            }
        }
        found.sort_by(|a, b| b.2.profit_usd.total_cmp(&a.2.profit_usd));
        let mut budget = full;
        for (index, health, candidate) in found {
            let mint = view.keys[&candidate.repay_reserve].mint;
            let candidate = if budget[&mint] >= candidate.plan.repay_amount {
                candidate
            } else {
                // An earlier candidate used part of this mint's balance: re-plan with what is left.
                let (key, obligation, data) = &obligations[index];
                match self.evaluate(&view, key, obligation, data, &health, &budget) {
                    Evaluation::Liquidate(c) => *c,
                    Evaluation::Unprofitable => {
                        scan.unprofitable += 1;
                        continue;
                    }
                    _ => {
                        scan.no_funds += 1;
                        continue;
                    }
                }
            };
            let mint = view.keys[&candidate.repay_reserve].mint;
            *budget.get_mut(&mint).expect("mint budget") -= candidate.plan.repay_amount;
            scan.candidates.push(candidate);
        }

        scan.latency = started.elapsed();
        let m = &self.metrics;
        m.obligations_scanned.fetch_add(scan.obligations as u64, Relaxed);
        m.unhealthy_found.fetch_add(scan.unhealthy as u64, Relaxed);
        m.evaluation_errors.fetch_add(scan.evaluation_errors as u64, Relaxed);
        m.skipped_unprofitable.fetch_add(scan.unprofitable as u64, Relaxed);
        m.skipped_no_funds.fetch_add(scan.no_funds as u64, Relaxed);
        m.last_scan_obligations.store(scan.obligations as u64, Relaxed);
        m.last_scan_unhealthy.store(scan.unhealthy as u64, Relaxed);
        m.observe_scan_latency(scan.latency);
        info!(
            obligations = scan.obligations,
            unhealthy = scan.unhealthy,
            candidates = scan.candidates.len(),
            unprofitable = scan.unprofitable,
            no_funds = scan.no_funds,
            evaluation_errors = scan.evaluation_errors,
            scan_ms = scan.latency.as_millis() as u64,
            "scan"
        );
        Ok(scan)
    }

    /// Fetches the market, every reserve the obligations name, their pinned oracles and the
    /// wallet's token accounts.
    async fn fetch_view<C: Chain>(
        &self,
        chain: &mut C,
        now: i64,
        obligations: &[(Pubkey, Obligation, Vec<u8>)],
    ) -> Result<MarketView, TransportError> {
        let reserve_keys: Vec<Pubkey> = obligations
            .iter()
            .flat_map(|(_, o, _)| o.active_positions().iter().map(|p| p.reserve))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut keys = vec![self.config.market];
        keys.extend(&reserve_keys);
        let accounts = retry!(self, "accounts", chain.accounts(&keys))?;
        let market = accounts[0]
            .as_ref()
            .filter(|a| a.owner == ballast::ID)
            .and_then(|a| ballast_client::accounts::decode_market(&a.data).ok())
            .ok_or_else(|| {
                TransportError::Io(format!("market {} not found or not a Ballast market", self.config.market))
            })?;

        let mut reserves = Vec::new();
        for (key, account) in reserve_keys.iter().zip(&accounts[1..]) {
            let Some(account) = account.as_ref().filter(|a| a.owner == ballast::ID) else { continue };
            let Ok(mut reserve) = ballast_client::accounts::decode_reserve(&account.data) else { continue };
            if reserve.market != self.config.market {
                continue;
            }
            // Accrue once per scan: health's own accrual to `now` then changes nothing.
            if let Ok(accrued) = reserve.accrued(now) {
                reserve.set_accounting(&accrued);
            }
            reserves.push((*key, reserve));
        }

        // Oracles and the wallet's token accounts, in one batch.
        let wallet = self.wallet();
        let token_accounts: Vec<(Pubkey, Pubkey)> = reserves
            .iter()
            .map(|(_, r)| {
                (
                    r.mint,
                    self.config
                        .token_accounts
                        .get(&r.mint)
                        .copied()
                        .unwrap_or_else(|| associated_token_address(&wallet, &r.mint, &r.token_program)),
                )
            })
            .collect();
        let mut keys: Vec<Pubkey> = reserves.iter().map(|(_, r)| r.oracle.oracle_account).collect();
        keys.extend(token_accounts.iter().map(|(_, account)| *account));
        let accounts = retry!(self, "accounts", chain.accounts(&keys))?;
        let (oracles, tokens) = accounts.split_at(reserves.len());

        let mut view =
            MarketView { now, market, reserves: HashMap::new(), keys: HashMap::new(), wallet: HashMap::new() };
        for (((key, reserve), oracle), ((mint, token_account), token)) in
            reserves.into_iter().zip(oracles).zip(token_accounts.into_iter().zip(tokens))
        {
            let balance = token.as_ref().and_then(|a| {
                let usable = a.owner == reserve.token_program
                    && a.data.len() >= TOKEN_ACCOUNT_LEN
                    && a.data[0..32] == mint.to_bytes()
                    && a.data[32..64] == wallet.to_bytes();
                usable.then(|| u64::from_le_bytes(a.data[64..72].try_into().expect("8 bytes")))
            });
            view.wallet.insert(mint, (token_account, balance));
            let oracle_key = reserve.oracle.oracle_account;
            view.keys.insert(
                key,
                ReserveKeys {
                    market: self.config.market,
                    reserve: key,
                    mint,
                    vault: reserve.vault,
                    oracle: oracle_key,
                    token_program: reserve.token_program,
                },
            );
            let price = oracle
                .as_ref()
                .ok_or(BallastError::OracleAccountMismatch)
                .and_then(|o| oracle_price(&reserve, &oracle_key, &o.owner, &o.data));
            match price {
                Ok(price) => {
                    view.reserves.insert(key, PricedReserve { reserve, price });
                }
                Err(error) => {
                    warn!(reserve = %key, oracle = %oracle_key, error = error.name(), "oracle unreadable; obligations using this reserve are skipped")
                }
            }
        }
        Ok(view)
    }

    /// The most profitable acceptable liquidation of an unhealthy obligation over every
    /// (debt reserve, collateral reserve) pair, within `budget` (per mint, base units).
    fn evaluate(
        &self,
        view: &MarketView,
        key: &Pubkey,
        obligation: &Obligation,
        data: &[u8],
        health: &Health,
        budget: &HashMap<Pubkey, u64>,
    ) -> Evaluation {
        if obligation.owner == self.wallet() {
            return Evaluation::Error; // the program rejects self-liquidation
        }
        let lookup = |k: &Pubkey| view.reserves.get(k);
        let positions = obligation.active_positions();
        // The one liquidation policy (`ballast_engine::policy`): per pair, the liquidator's balance
        // of the debt mint (none without a token account to receive the collateral).
        let limits = |debt: &Pubkey, collateral: &Pubkey| {
            let budget = match (view.keys.get(debt), view.keys.get(collateral)) {
                (Some(d), Some(c)) if view.wallet.get(&c.mint).is_some_and(|(_, b)| b.is_some()) => {
                    budget.get(&d.mint).copied().unwrap_or(0)
                }
                _ => 0,
            };
            RepayLimits { budget, margin_bps: self.config.repay_margin_bps }
        };
        let choice = policy::best_liquidation(
            positions,
            &retriever(lookup),
            &view.market.liquidation_config(),
            limits,
            view.now,
        );
        if let Some(error) = choice.last_error {
            debug!(obligation = %key, error = error.name(), "sizing failed");
        }
        let (lacked_funds, any_plan) = (choice.lacked_funds, choice.any_plan);
        let best = choice.best.map(|c| (usd_signed(c.profit), c.repay_reserve, c.collateral_reserve, c.plan));
        let Some((profit_usd, repay_reserve, collateral_reserve, plan)) = best else {
            return if lacked_funds && !any_plan { Evaluation::NoFunds } else { Evaluation::Unprofitable };
        };
        if profit_usd < self.config.min_profit_usd {
            debug!(obligation = %key, profit_usd, "below min profit");
            return Evaluation::Unprofitable;
        }
        let (repay_keys, collateral_keys) = (view.keys[&repay_reserve], view.keys[&collateral_reserve]);
        let min_collateral_out = plan.liquidator_amount
            - (plan.liquidator_amount as u128 * self.config.slippage_bps as u128 / 10_000) as u64;
        // Health accounts: the obligation's positions in order, each reserve with its pinned oracle.
        let health_accounts: Vec<(Pubkey, Pubkey)> =
            positions.iter().map(|p| (p.reserve, view.keys[&p.reserve].oracle)).collect();
        let instruction = ix::liquidate(
            self.wallet(),
            *key,
            &repay_keys,
            view.wallet[&repay_keys.mint].0,
            &collateral_keys,
            view.wallet[&collateral_keys.mint].0,
            plan.repay_amount,
            min_collateral_out,
            &health_accounts,
        );
        Evaluation::Liquidate(Box::new(Candidate {
            obligation: *key,
            owner: obligation.owner,
            health_factor: health.health_factor().map(usd).unwrap_or(f64::INFINITY),
            repay_reserve,
            collateral_reserve,
            plan,
            profit_usd,
            min_collateral_out,
            instruction,
            obligation_data: data.to_vec(),
        }))
    }

    /// Simulates and sends every candidate (most profitable first); logs them in a dry run.
    pub async fn execute<C: Chain>(&self, chain: &mut C, scan: Scan) -> PassReport {
        let mut report = PassReport {
            obligations: scan.obligations,
            unhealthy: scan.unhealthy,
            evaluation_errors: scan.evaluation_errors,
            unprofitable: scan.unprofitable,
            no_funds: scan.no_funds,
            planned: scan.candidates.len(),
            scan_latency: scan.latency,
            ..PassReport::default()
        };
        for candidate in scan.candidates {
            let c = &candidate;
            let outcome = if self.stopping() {
                AttemptOutcome::NotAttempted
            } else if self.config.dry_run {
                info!(
                    obligation = %c.obligation, owner = %c.owner, health_factor = c.health_factor,
                    repay_reserve = %c.repay_reserve, collateral_reserve = %c.collateral_reserve,
                    repay_amount = c.plan.repay_amount, collateral_out = c.plan.liquidator_amount,
                    profit_usd = c.profit_usd, "dry run: would liquidate"
                );
                self.metrics.dry_run_planned.fetch_add(1, Relaxed);
                AttemptOutcome::DryRun
            } else {
                let (outcome, sent) = self.liquidate(chain, c).await;
                report.sent += sent as usize;
                outcome
            };
            match &outcome {
                AttemptOutcome::Landed { signature, units } => {
                    report.landed += 1;
                    self.metrics.liquidations_landed.fetch_add(1, Relaxed);
                    self.metrics.profit_micro_usd.fetch_add((c.profit_usd.max(0.0) * 1e6) as u64, Relaxed);
                    info!(
                        obligation = %c.obligation, %signature, units, health_factor = c.health_factor,
                        repay_reserve = %c.repay_reserve, collateral_reserve = %c.collateral_reserve,
                        repay_amount = c.plan.repay_amount, collateral_out = c.plan.liquidator_amount,
                        bonus_bps = c.plan.bonus_bps, profit_usd = c.profit_usd, "liquidated"
                    );
                }
                AttemptOutcome::LostRace { reason } => {
                    report.lost_race += 1;
                    self.metrics.liquidations_lost_race.fetch_add(1, Relaxed);
                    info!(obligation = %c.obligation, reason, "lost race");
                }
                AttemptOutcome::Failed { reason } => {
                    report.failed += 1;
                    self.metrics.liquidations_failed.fetch_add(1, Relaxed);
                    warn!(obligation = %c.obligation, reason, "liquidation failed");
                }
                AttemptOutcome::DryRun => report.dry_run += 1,
                AttemptOutcome::NotAttempted => {}
            }
            report.outcomes.push((candidate, outcome));
        }
        report
    }

    fn transaction(&self, candidate: &Candidate, blockhash: Hash) -> Transaction {
        let instructions = [
            ComputeBudgetInstruction::set_compute_unit_limit(self.config.compute_unit_limit),
            ComputeBudgetInstruction::set_compute_unit_price(self.config.priority_fee_micro_lamports),
            candidate.instruction.clone(),
        ];
        Transaction::new_signed_with_payer(&instructions, Some(&self.wallet()), &[&self.keypair], blockhash)
    }

    /// Simulate, then send; transport errors are retried with backoff (after checking that the
    /// previous attempt did not land). Returns the outcome and whether a transaction was sent.
    async fn liquidate<C: Chain>(&self, chain: &mut C, candidate: &Candidate) -> (AttemptOutcome, bool) {
        let mut sent = false;
        let mut previous: Option<Signature> = None;
        let mut last_error = String::new();
        for attempt in 1..=self.config.max_attempts {
            if attempt > 1 {
                let delay = self.backoff(attempt - 1);
                self.metrics.transport_retries.fetch_add(1, Relaxed);
                warn!(obligation = %candidate.obligation, attempt, ?delay, error = last_error, "transport error, retrying");
                tokio::time::sleep(delay).await;
            }
            if let Some(signature) = previous {
                match chain.status(&signature).await {
                    Ok(Some(Ok(()))) => return (AttemptOutcome::Landed { signature, units: None }, sent),
                    Ok(Some(Err(error))) => return (self.classify(chain, candidate, &error).await, sent),
                    Ok(None) => {}
                    Err(error) => {
                        last_error = error.to_string();
                        continue;
                    }
                }
            }
            let blockhash = match chain.latest_blockhash().await {
                Ok(hash) => hash,
                Err(error) => {
                    last_error = error.to_string();
                    continue;
                }
            };
            let tx = self.transaction(candidate, blockhash);
            match chain.simulate(&tx).await {
                Ok(TxOutcome::Succeeded { .. }) => {}
                Ok(TxOutcome::Failed { error, logs, .. }) => {
                    debug!(obligation = %candidate.obligation, logs = logs.join("\n"), "simulation failed");
                    return (self.classify(chain, candidate, &error).await, sent);
                }
                Err(error) => {
                    last_error = error.to_string();
                    continue;
                }
            }
            sent = true;
            self.metrics.liquidations_sent.fetch_add(1, Relaxed);
            match chain.send(&tx).await {
                Ok(TxOutcome::Succeeded { signature, units, .. }) => {
                    return (AttemptOutcome::Landed { signature, units }, sent)
                }
                Ok(TxOutcome::Failed { error, .. }) => return (self.classify(chain, candidate, &error).await, sent),
                Err(error) => {
                    previous = tx.signatures.first().copied();
                    last_error = error.to_string();
                }
            }
        }
        (AttemptOutcome::Failed { reason: format!("transport: {last_error}") }, sent)
    }

    /// A failed liquidation is a lost race if the program found the obligation healthy or the
    /// obligation changed since the scan; anything else is a failure.
    async fn classify<C: Chain>(
        &self,
        chain: &mut C,
        candidate: &Candidate,
        error: &TransactionError,
    ) -> AttemptOutcome {
        let name = describe(error);
        if matches!(ballast_error(error), Some(BallastError::ObligationHealthy)) {
            return AttemptOutcome::LostRace { reason: name };
        }
        match retry!(self, "accounts", chain.accounts(&[candidate.obligation])) {
            Ok(accounts) => {
                let current = accounts.into_iter().next().flatten().map(|a| a.data);
                if current.as_deref() != Some(candidate.obligation_data.as_slice()) {
                    return AttemptOutcome::LostRace { reason: format!("obligation changed since the scan ({name})") };
                }
                AttemptOutcome::Failed { reason: name }
            }
            Err(transport) => {
                AttemptOutcome::Failed { reason: format!("{name}; re-reading the obligation failed: {transport}") }
            }
        }
    }
}
