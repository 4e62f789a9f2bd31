//! The fuzzer's keeper operations and the wind-down: the Dutch auction's mark, liquidation
//! (invariant 6) and, at the end, every debt repaid and every deposit withdrawn (invariant 7).

use ballast::health::HealthKind;
use ballast_client::instructions as ix;
use ballast_engine::{Positions as _, ReserveState as _};
use ballast_math::Rounding;
use ballast_rng::Rng;

use super::{World, USERS};

impl World {
    /// The Dutch auction's mark: it lands on a liquidatable obligation (starting the clock, or
    /// keeping one that runs) and on a healthy one whose clock runs (stopping it); otherwise it
    /// is refused and changes nothing.
    pub(super) async fn mark(&mut self, user: usize, context: &str) {
        let health = self.health(user, HealthKind::Maintenance).await;
        let obligation = self.users[user].obligation;
        let since_before = self.f.env.obligation(&obligation).await.liquidatable_since_ts;
        let pairs = self.f.health_after(&self.users[user], None, None).await;
        let i = ix::mark_liquidatable(self.f.market, obligation, &pairs);
        let w = self.watched();
        match self.f.env.send(std::slice::from_ref(&i), &[]).await {
            Ok(_) => {
                self.stats.succeeded += 1;
                self.stats.auction_marks += 1;
                let since = self.f.env.obligation(&obligation).await.liquidatable_since_ts;
                if health.is_healthy() {
                    assert_eq!(since, 0, "{context}: a mark on a healthy obligation stops the clock");
                } else {
                    let now = self.f.env.now().await;
                    let expected = if since_before == 0 { now } else { since_before };
                    assert_eq!(since, expected, "{context}: a mark starts the clock once and keeps it");
                }
            }
            Err(_) => {
                assert!(
                    health.is_healthy() && since_before == 0,
                    "{context}: a mark was refused on a liquidatable obligation or a running clock"
                );
                self.rejected_unchanged(i, &[], w, context).await;
            }
        }
    }

    /// Invariant 6 around a liquidation attempt.
    pub(super) async fn liquidate(
        &mut self,
        user: usize,
        debt: usize,
        collateral: usize,
        rng: &mut Rng,
        context: &str,
    ) {
        let before = self.health(user, HealthKind::Maintenance).await;
        let plan = self.f.best_liquidation(&self.users[user], debt, collateral).await;
        let amount = match plan {
            Some(p) if rng.chance(70) => p.repay_amount,
            _ => self.amount(rng, debt),
        };
        let liquidator = self.liquidator.keypair.insecure_clone();
        // Shares when the collateral vault is short, and now and then regardless.
        let vault = self.f.env.reserve(&self.f.keys(collateral).reserve).await.accounting().available_liquidity;
        let into_shares = rng.chance(30) || plan.is_some_and(|p| p.liquidator_amount > vault);
        let i = self
            .f
            .liquidate_ix_paid(&self.liquidator, &self.users[user], debt, collateral, amount, 0, into_shares)
            .await;
        let w = self.watched();
        let snapshot = self.f.env.snapshot(&w).await;
        match self.f.env.send_logged(&[i], &[&liquidator]).await {
            Ok((_, logs)) => {
                self.stats.succeeded += 1;
                self.stats.liquidations += 1;
                self.stats.share_payouts += into_shares as u64;
                self.stats.looped_liquidations += (debt == collateral) as u64;
                let write_offs = ballast_tests::events::<ballast::events::SocializeLossEvent>(&logs).len();
                self.stats.liquidation_write_offs += write_offs as u64;
                assert!(!before.is_healthy(), "{context}: invariant 6 (a healthy obligation was liquidated)");
                let after = self.health(user, HealthKind::Maintenance).await;
                assert!(after.margin() > before.margin(), "{context}: invariant 6 (health did not improve)");
                let obligation = self.f.env.obligation(&self.users[user].obligation).await;
                let debt_left = obligation
                    .active_positions()
                    .iter()
                    .any(|p| p.reserve == self.f.keys(debt).reserve && !p.debt_shares().is_zero());
                // The target binds where the close factor does: not deep in the red, not with
                // only dust debt left, and not on a one-unit repay (the smallest there is).
                let [event]: [ballast::events::LiquidateEvent; 1] =
                    ballast_tests::events(&logs).try_into().expect("one liquidate event");
                let config = self.liquidation_config().await;
                let hf_before = before.weighted_collateral.div(before.weighted_debt, Rounding::Down).unwrap();
                let deep = hf_before < ballast_math::Wad::from_bps(config.full_liquidation_health_factor_bps as u64);
                let dust = after.debt_value < config.dust_value;
                let smallest = event.repay_amount == 1;
                if debt_left && !after.weighted_debt.is_zero() && !deep && !dust && !smallest {
                    let hf = after.weighted_collateral.div(after.weighted_debt, Rounding::Down).unwrap();
                    let target = ballast_math::Wad::from_bps(config.target_health_factor_bps as u64);
                    // The program checks the target on the same numbers; allow one Wad unit.
                    assert!(hf.0 <= target.0 + 1, "{context}: invariant 6 (over-liquidated to HF {hf:?})");
                }
                // The auction's clock: stopped once the program found the obligation healthy after
                // the liquidation (its event's health, judged before any write-off in the same
                // instruction) or without debt; running otherwise.
                let healthy_after = event.weighted_collateral_after >= event.weighted_debt_after;
                let since = obligation.liquidatable_since_ts;
                if !obligation.has_debt() || healthy_after {
                    assert_eq!(since, 0, "{context}: the auction's clock runs on a cleared obligation");
                } else {
                    assert_ne!(since, 0, "{context}: no auction clock on a liquidatable obligation");
                }
            }
            Err(_) => {
                self.stats.rejected += 1;
                assert_eq!(
                    snapshot,
                    self.f.env.snapshot(&w).await,
                    "{context}: invariant 8 (failed liquidation changed state)"
                );
            }
        }
    }

    /// A keeper's sweep, as a bot would run one after a crash: every liquidatable obligation is
    /// liquidated by the policy's plan until it is healthy or its collateral is dust (at most
    /// four rounds each), then debt held against dust or nothing is written off reserve by
    /// reserve. Every liquidation and write-off is checked as the single operations are.
    pub(super) async fn sweep(&mut self, rng: &mut Rng, context: &str) {
        for user in 0..USERS {
            for _ in 0..4 {
                let Some(plan) = self.f.policy_liquidation(&self.users[user]).await else { break };
                let asset_of = |key| self.f.assets.iter().position(|a| a.keys.reserve == key).unwrap();
                let (debt, collateral) = (asset_of(plan.repay_reserve), asset_of(plan.collateral_reserve));
                self.liquidate(user, debt, collateral, rng, context).await;
            }
            let health = self.health(user, HealthKind::Maintenance).await;
            let dust = self.dust_value().await;
            if health.is_healthy() || health.collateral_value >= dust {
                continue;
            }
            let obligation = self.f.env.obligation(&self.users[user].obligation).await;
            let debts: Vec<_> = obligation
                .active_positions()
                .iter()
                .filter(|p| !p.debt_shares().is_zero())
                .map(|p| p.reserve)
                .collect();
            for reserve in debts {
                let pairs = self.f.health_after(&self.users[user], None, None).await;
                let i = ix::socialize_loss(self.f.market, self.users[user].obligation, reserve, &pairs);
                let w = self.watched();
                match self.f.env.send(std::slice::from_ref(&i), &[]).await {
                    Ok(_) => {
                        self.stats.succeeded += 1;
                        self.stats.socializations += 1;
                    }
                    Err(_) => self.rejected_unchanged(i, &[], w, context).await,
                }
            }
        }
    }

    /// Invariant 7 at the end: every debt can be repaid in full, then every deposit withdrawn.
    pub(super) async fn wind_down(&mut self, context: &str) {
        self.release_guards().await;
        for user in 0..USERS {
            for asset in 0..self.f.assets.len() {
                let o = self.f.env.obligation(&self.users[user].obligation).await;
                if o.active_positions()
                    .iter()
                    .any(|p| p.reserve == self.f.keys(asset).reserve && !p.debt_shares().is_zero())
                {
                    let keys = self.f.keys(asset);
                    let payer = &self.liquidator;
                    self.f
                        .env
                        .mint_to(
                            &keys.mint,
                            &payer.token_accounts[asset],
                            self.unit[asset].saturating_mul(1_000_000).min(u64::MAX / 16),
                        )
                        .await;
                    let i = ix::repay(
                        payer.key(),
                        &keys,
                        self.users[user].obligation,
                        payer.token_accounts[asset],
                        u64::MAX,
                    );
                    let signer = payer.keypair.insecure_clone();
                    self.f
                        .env
                        .send(&[i], &[&signer])
                        .await
                        .unwrap_or_else(|e| panic!("{context}: invariant 7 (full repay failed: {:?})", e.error));
                }
            }
        }
        for user in 0..USERS {
            loop {
                let o = self.f.env.obligation(&self.users[user].obligation).await;
                let Some(p) = o.active_positions().first().copied() else { break };
                let asset = self.f.assets.iter().position(|a| a.keys.reserve == p.reserve).unwrap();
                let result = self.f.withdraw(&self.users[user], asset, u64::MAX, true).await;
                result.unwrap_or_else(|e| {
                    panic!("{context}: invariant 7 (a debt-free user could not withdraw: {:?})", e.error)
                });
            }
        }
        self.check_reserves(context).await;
    }
}
