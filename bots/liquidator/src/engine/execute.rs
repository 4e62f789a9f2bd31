//! Executing a scan: simulate, send, confirm and classify each candidate's liquidation.

use super::*;

impl Liquidator {
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
        let (write_offs, auction_marks) = (scan.write_offs, scan.auction_marks);
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
                self.metrics.dry_run_planned.inc();
                AttemptOutcome::DryRun
            } else {
                let (outcome, sent) = self.attempt(chain, c, &self.metrics.liquidations_sent).await;
                report.sent += sent as usize;
                outcome
            };
            match &outcome {
                AttemptOutcome::Landed { signature, units } => {
                    report.landed += 1;
                    self.metrics.liquidations_landed.inc();
                    self.metrics.profit_micro_usd.inc_by((c.profit_usd.max(0.0) * 1e6) as u64);
                    info!(
                        obligation = %c.obligation, %signature, units, health_factor = c.health_factor,
                        repay_reserve = %c.repay_reserve, collateral_reserve = %c.collateral_reserve,
                        repay_amount = c.plan.repay_amount, collateral_out = c.plan.liquidator_amount,
                        bonus_bps = c.plan.bonus_bps, profit_usd = c.profit_usd, "liquidated"
                    );
                }
                AttemptOutcome::LostRace { reason } => {
                    report.lost_race += 1;
                    self.metrics.liquidations_lost_race.inc();
                    info!(obligation = %c.obligation, reason, "lost race");
                }
                AttemptOutcome::Failed { reason } => {
                    report.failed += 1;
                    self.metrics.liquidations_failed.inc();
                    warn!(obligation = %c.obligation, reason, "liquidation failed");
                }
                AttemptOutcome::DryRun => report.dry_run += 1,
                AttemptOutcome::NotAttempted => {}
            }
            report.outcomes.push((candidate, outcome));
        }
        report.write_offs = self.upkeep(chain, write_offs, &mut report.sent).await;
        report.auction_marks = self.upkeep(chain, auction_marks, &mut report.sent).await;
        report
    }

    /// Sends each keeping instruction (after the liquidations), counting and logging outcomes.
    async fn upkeep<C: Chain, U: Upkeep>(
        &self,
        chain: &mut C,
        items: Vec<U>,
        sent: &mut usize,
    ) -> Vec<(U, AttemptOutcome)> {
        let [sent_counter, landed, failed] = U::counters(&self.metrics);
        let mut outcomes = Vec::with_capacity(items.len());
        for item in items {
            let obligation = item.obligation();
            let outcome = if self.stopping() {
                AttemptOutcome::NotAttempted
            } else if self.config.dry_run {
                info!(%obligation, what = U::WHAT, "dry run: would send");
                AttemptOutcome::DryRun
            } else {
                let (outcome, was_sent) = self.attempt(chain, &item, sent_counter).await;
                *sent += was_sent as usize;
                outcome
            };
            match &outcome {
                AttemptOutcome::Landed { signature, .. } => {
                    landed.inc();
                    info!(%obligation, %signature, what = U::WHAT, "landed");
                }
                AttemptOutcome::LostRace { reason } => info!(%obligation, reason, what = U::WHAT, "lost race"),
                AttemptOutcome::Failed { reason } => {
                    failed.inc();
                    warn!(%obligation, reason, what = U::WHAT, "failed");
                }
                AttemptOutcome::DryRun | AttemptOutcome::NotAttempted => {}
            }
            outcomes.push((item, outcome));
        }
        outcomes
    }

    fn transaction(&self, attempt: &impl Attempt, blockhash: Hash) -> Transaction {
        let mut instructions = vec![
            ComputeBudgetInstruction::set_compute_unit_limit(self.config.compute_unit_limit),
            ComputeBudgetInstruction::set_compute_unit_price(self.config.priority_fee_micro_lamports),
        ];
        instructions.extend(attempt.instructions());
        Transaction::new_signed_with_payer(&instructions, Some(&self.wallet()), &[&self.keypair], blockhash)
    }

    /// Simulate, then send (counting each send in `sent_counter`); transport errors are retried
    /// with backoff. A send whose answer was lost is settled before anything new is planned: the
    /// bot waits until its status is known or its blockhash expires (then it can never land), so
    /// its own liquidation is never mistaken for a rival's. Returns the outcome and whether a
    /// transaction was sent.
    async fn attempt<C: Chain>(
        &self,
        chain: &mut C,
        candidate: &impl Attempt,
        sent_counter: &Counter,
    ) -> (AttemptOutcome, bool) {
        let mut sent = false;
        let mut previous: Option<(Signature, Hash)> = None;
        let mut last_error = String::new();
        for attempt in 1..=self.config.max_attempts {
            if attempt > 1 {
                let delay = self.backoff(attempt - 1);
                self.metrics.transport_retries.inc();
                warn!(obligation = %candidate.obligation(), attempt, ?delay, error = last_error, "transport error, retrying");
                tokio::time::sleep(delay).await;
            }
            if let Some((signature, blockhash)) = previous {
                match self.settle(chain, &signature, &blockhash).await {
                    Ok(Some(Ok(()))) => return (AttemptOutcome::Landed { signature, units: None }, sent),
                    Ok(Some(Err(error))) => return (self.classify(chain, candidate, &error).await, sent),
                    Ok(None) => previous = None,
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
                    debug!(obligation = %candidate.obligation(), logs = logs.join("\n"), "simulation failed");
                    return (self.classify(chain, candidate, &error).await, sent);
                }
                Err(error) => {
                    last_error = error.to_string();
                    continue;
                }
            }
            sent = true;
            sent_counter.inc();
            match chain.send(&tx).await {
                Ok(TxOutcome::Succeeded { signature, units, .. }) => {
                    return (AttemptOutcome::Landed { signature, units }, sent)
                }
                Ok(TxOutcome::Failed { error, .. }) => return (self.classify(chain, candidate, &error).await, sent),
                Err(error) => {
                    self.metrics.sends_unconfirmed.inc();
                    previous = tx.signatures.first().map(|signature| (*signature, blockhash));
                    last_error = error.to_string();
                }
            }
        }
        (AttemptOutcome::Failed { reason: format!("transport: {last_error}") }, sent)
    }

    /// The fate of a sent transaction whose answer was lost: its status once the node knows it,
    /// or `None` once its blockhash has expired without it landing. Polls every
    /// `retry_base_delay_ms`; bounded by the blockhash's lifetime.
    async fn settle<C: Chain>(
        &self,
        chain: &mut C,
        signature: &Signature,
        blockhash: &Hash,
    ) -> Result<Option<Result<(), TransactionError>>, TransportError> {
        loop {
            if let Some(status) = chain.status(signature).await? {
                return Ok(Some(status));
            }
            if !chain.blockhash_valid(blockhash).await? {
                // It may have landed between the two reads.
                return chain.status(signature).await;
            }
            tokio::time::sleep(Duration::from_millis(self.config.retry_base_delay_ms)).await;
        }
    }

    /// A failed attempt is a lost race if the program found the obligation healthy or the
    /// obligation changed since the scan; anything else is a failure.
    async fn classify<C: Chain>(
        &self,
        chain: &mut C,
        candidate: &impl Attempt,
        error: &TransactionError,
    ) -> AttemptOutcome {
        let name = describe(error);
        if matches!(ballast_error(error), Some(BallastError::ObligationHealthy)) {
            return AttemptOutcome::LostRace { reason: name };
        }
        match retry!(self, "accounts", chain.accounts(&[candidate.obligation()])) {
            Ok(accounts) => {
                let current = accounts.into_iter().next().flatten().map(|a| a.data);
                if current.as_deref() != Some(candidate.obligation_data()) {
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
