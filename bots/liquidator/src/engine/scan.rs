//! A scan: read the market, value every obligation, choose each unhealthy one's liquidation.

use super::*;

impl Liquidator {
    /// Reads the market and evaluates every obligation; sends nothing.
    pub async fn scan<C: Chain>(&self, chain: &mut C) -> Result<Scan, TransportError> {
        let started = Instant::now();
        self.metrics.scans.inc();
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
            let health = match obligation_health(
                obligation,
                &view.state,
                |k| view.reserves.get(k),
                HealthKind::Maintenance,
                now,
            ) {
                Ok(health) => health,
                Err(error) => {
                    debug!(obligation = %key, error = error.name(), "health not computable");
                    scan.evaluation_errors += 1;
                    continue;
                }
            };
            if health.is_healthy() {
                // A clock left running on an obligation that recovered would start its next
                // auction part way: stop it.
                if obligation.liquidatable_since_ts != 0 {
                    scan.auction_marks.push(auction_mark(&view, &market_key, key, obligation, data));
                }
                continue;
            }
            scan.unhealthy += 1;
            if ballast_engine::operations::write_off_allowed(&health, &view.state.liquidation) {
                scan.write_offs.extend(write_offs(&view, &market_key, key, obligation, data));
                continue;
            }
            let evaluation = self.evaluate(&view, key, obligation, data, &health, &full);
            let auction_waits = view.state.liquidation.auction_secs > 0 && obligation.liquidatable_since_ts == 0;
            if auction_waits && !matches!(evaluation, Evaluation::Liquidate(_)) {
                scan.auction_marks.push(auction_mark(&view, &market_key, key, obligation, data));
            }
            match evaluation {
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
            let candidate = if candidate.flash_loan.is_some() || budget[&mint] >= candidate.plan.repay_amount {
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
            if candidate.flash_loan.is_none() {
                *budget.get_mut(&mint).expect("mint budget") -= candidate.plan.repay_amount;
            }
            scan.candidates.push(candidate);
        }

        scan.latency = started.elapsed();
        let m = &self.metrics;
        m.obligations_scanned.inc_by(scan.obligations as u64);
        m.unhealthy_found.inc_by(scan.unhealthy as u64);
        m.evaluation_errors.inc_by(scan.evaluation_errors as u64);
        m.skipped_unprofitable.inc_by(scan.unprofitable as u64);
        m.skipped_no_funds.inc_by(scan.no_funds as u64);
        m.last_scan_obligations.set(scan.obligations as i64);
        m.last_scan_unhealthy.set(scan.unhealthy as i64);
        m.observe_scan_latency(scan.latency);
        info!(
            obligations = scan.obligations,
            unhealthy = scan.unhealthy,
            candidates = scan.candidates.len(),
            write_offs = scan.write_offs.len(),
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
        keys.push(ballast_client::pda::obligation(&self.config.market, &wallet));
        let accounts = retry!(self, "accounts", chain.accounts(&keys))?;
        let (oracles, rest) = accounts.split_at(reserves.len());
        let (tokens, own) = rest.split_at(token_accounts.len());
        let own_obligation = own[0].as_ref().is_some_and(|a| a.owner == ballast::ID);

        let mut view = MarketView {
            now,
            state: market.state(),
            reserves: HashMap::new(),
            keys: HashMap::new(),
            wallet: HashMap::new(),
            own_obligation,
        };
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
        // The one liquidation policy (`ballast_engine::policy`): per pair, the liquidator's balance
        // of the debt mint (none without a token account to receive the collateral), or, for a
        // pair within one reserve that lends flash loans, what the reserve can lend.
        let limits = |debt: &Pubkey, collateral: &Pubkey| {
            let budget = match (view.keys.get(debt), view.keys.get(collateral)) {
                (Some(d), Some(c)) if view.wallet.get(&c.mint).is_some_and(|(_, b)| b.is_some()) => {
                    let held = budget.get(&d.mint).copied().unwrap_or(0);
                    held.max(flash_capacity(view, debt, collateral))
                }
                _ => 0,
            };
            RepayLimits { budget, margin_bps: self.config.repay_margin_bps }
        };
        let terms = LiquidationTerms::of(&view.state, obligation, view.now);
        let choice = policy::best_liquidation(obligation.held(), &retriever(lookup), &terms, limits, view.now);
        if let Some(error) = choice.last_error {
            debug!(obligation = %key, error = error.name(), "sizing failed");
        }
        let (lacked_funds, any_plan) = (choice.lacked_funds, choice.any_plan);
        let best = choice
            .best
            .map(|c| (usd_signed(c.profit), c.repay_reserve, c.collateral_reserve, c.plan, c.receive_shares));
        let Some((profit_usd, repay_reserve, collateral_reserve, plan, receive_shares)) = best else {
            return if lacked_funds && !any_plan { Evaluation::NoFunds } else { Evaluation::Unprofitable };
        };
        let (repay_keys, collateral_keys) = (view.keys[&repay_reserve], view.keys[&collateral_reserve]);
        let mut min_collateral_out = plan.liquidator_amount
            - (plan.liquidator_amount as u128 * self.config.slippage_bps as u128 / 10_000) as u64;
        // Short of the repay token: only a flash loan within the one reserve can fund it.
        let held = budget.get(&repay_keys.mint).copied().unwrap_or(0);
        let flash_fee = match held < plan.repay_amount {
            false => None,
            true if flash_capacity(view, &repay_reserve, &collateral_reserve) >= plan.repay_amount
                && !receive_shares =>
            {
                let treasury = view.reserves[&repay_reserve].reserve.treasury();
                let Ok(fee) = treasury.flash_loan_fee(plan.repay_amount) else { return Evaluation::Error };
                Some(fee)
            }
            true => return Evaluation::NoFunds,
        };
        let profit_usd = match flash_fee {
            // The loan and its fee come back out of the seized tokens of the same mint.
            Some(fee) => {
                min_collateral_out = min_collateral_out.max(plan.repay_amount + fee);
                if min_collateral_out > plan.liquidator_amount {
                    return Evaluation::Unprofitable;
                }
                profit_usd - profit_usd * fee as f64 / (plan.liquidator_amount - plan.repay_amount).max(1) as f64
            }
            None => profit_usd,
        };
        if profit_usd < self.config.min_profit_usd {
            debug!(obligation = %key, profit_usd, "below min profit");
            return Evaluation::Unprofitable;
        }
        let health_accounts = health_accounts(view, obligation);
        // The policy says when the collateral vault cannot pay tokens: then take supply shares.
        let build = if receive_shares { ix::liquidate_into_shares } else { ix::liquidate };
        let setup =
            (receive_shares && !view.own_obligation).then(|| ix::init_obligation(self.wallet(), self.config.market));
        let instruction = build(
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
            receive_shares,
            setup,
            flash_loan: flash_fee.map(|_| {
                let token = view.wallet[&repay_keys.mint].0;
                [
                    ix::flash_borrow(self.wallet(), &repay_keys, token, plan.repay_amount),
                    ix::flash_repay(self.wallet(), &repay_keys, token, plan.repay_amount),
                ]
            }),
            instruction,
            obligation_data: data.to_vec(),
        }))
    }
}

/// What a flash loan can fund for repaying `debt` against `collateral`: the reserve's available
/// liquidity when both are one reserve that lends flash loans (the seized tokens repay the loan);
/// nothing otherwise.
fn flash_capacity(view: &MarketView, debt: &Pubkey, collateral: &Pubkey) -> u64 {
    match view.reserves.get(debt) {
        Some(r) if debt == collateral && r.reserve.treasury().flash_loans_enabled() => {
            r.reserve.accounting().available_liquidity
        }
        _ => 0,
    }
}

/// Every position's (reserve, oracle), in order: the health accounts.
fn health_accounts(view: &MarketView, obligation: &Obligation) -> Vec<(Pubkey, Pubkey)> {
    obligation.active_positions().iter().map(|p| (p.reserve, view.keys[&p.reserve].oracle)).collect()
}

/// `mark_liquidatable` for a liquidatable obligation whose auction clock has not started, or a
/// healthy one whose clock still runs.
fn auction_mark(view: &MarketView, market: &Pubkey, key: &Pubkey, obligation: &Obligation, data: &[u8]) -> AuctionMark {
    let instruction = ix::mark_liquidatable(*market, *key, &health_accounts(view, obligation));
    AuctionMark { obligation: *key, instruction, obligation_data: data.to_vec() }
}

/// `socialize_loss` for each debt position of a liquidatable obligation whose collateral is gone
/// or dust (health accounts included).
fn write_offs(view: &MarketView, market: &Pubkey, key: &Pubkey, obligation: &Obligation, data: &[u8]) -> Vec<WriteOff> {
    let positions = obligation.active_positions();
    let health_accounts = health_accounts(view, obligation);
    positions
        .iter()
        .filter(|p| p.debt_shares().0 > 0)
        .map(|p| WriteOff {
            obligation: *key,
            reserve: p.reserve,
            instruction: ix::socialize_loss(*market, *key, p.reserve, &health_accounts),
            obligation_data: data.to_vec(),
        })
        .collect()
}
