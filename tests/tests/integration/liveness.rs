//! Liquidation liveness: positions the protocol must always be able to clear. A looped position
//! (collateral and debt in one reserve) is liquidated in its own reserve; a collateral vault whose
//! liquidity is all borrowed pays the liquidator in supply shares.

use anchor_lang::prelude::Pubkey;
use ballast::errors::BallastError;
use ballast_engine::{Positions as _, ReserveState as _};
use ballast_tests::{Fixture, User};

use crate::*;

async fn configure(f: &mut Fixture, asset: usize, edit: impl FnOnce(&mut ballast::ReserveConfigParams)) {
    let mut params = f.assets[asset].params.clone();
    edit(&mut params);
    let authority = f.authority.insecure_clone();
    let keys = f.keys(asset);
    let update = ballast_client::instructions::update_reserve_config(
        solana_signer::Signer::pubkey(&authority),
        &keys,
        params.clone(),
    );
    f.env.send_ok(&[update], &[&authority]).await;
    f.assets[asset].params = params;
}

/// Deposit 10 SOL and borrow 7 SOL from the same reserve; the risk authority then lowers SOL's
/// liquidation threshold to 60%, which takes effect over the market's risk ramp (a day): then
/// maintenance health 6 - 7 < 0 at any price. A liquidator repays SOL into the reserve and takes
/// SOL out of it, with the bonus.
#[tokio::test]
async fn a_looped_position_is_liquidated_in_its_own_reserve() {
    let (mut f, lender, borrower) = funded().await;
    let sol_lender = f.new_user(&[100 * ONE_SOL, 0]).await;
    f.deposit(&sol_lender, SOL, 100 * ONE_SOL).await.unwrap();
    f.borrow(&borrower, SOL, 7 * ONE_SOL).await.unwrap();
    configure(&mut f, SOL, |p| {
        p.ltv_bps = 5_500;
        p.liquidation_threshold_bps = 6_000;
    })
    .await;
    // Not at once: the threshold ramps down from 80% over the market's risk_ramp_secs.
    assert!(!f.program_health(&borrower, false).await.liquidatable, "no config change liquidates at once");
    f.env.advance_time(43_200).await;
    f.refresh_prices().await;
    let half_way = f.program_health(&borrower, false).await;
    // Weighted collateral is rounded down: the ratio, rounded up, is the threshold in force.
    assert_eq!((half_way.weighted_collateral * 10_000).div_ceil(half_way.collateral_value), 7_000, "lt 70% half way");
    f.env.advance_time(43_200).await;
    f.refresh_prices().await;
    let report = f.program_health(&borrower, false).await;
    assert!(report.liquidatable, "looped SOL: {report:?}");

    let liquidator = f.new_user(&[10 * ONE_SOL, 0]).await;
    let before = f.env.obligation(&borrower.obligation).await;
    let ix = f.liquidate_ix(&liquidator, &borrower, SOL, SOL, u64::MAX, 0).await;
    let (_, logs) = f.env.send_logged(&[ix], &[&liquidator.keypair]).await.unwrap();
    let [event]: [ballast::events::LiquidateEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert_eq!((event.repay_reserve, event.collateral_reserve), (f.keys(SOL).reserve, f.keys(SOL).reserve));
    // Deep in the red: the whole debt (7 SOL and a day of interest).
    assert!(event.repay_amount > 7 * ONE_SOL && event.repay_amount < 7 * ONE_SOL + ONE_SOL / 1_000);
    assert_eq!(event.bonus_bps, 1_000, "the maximum bonus");
    let after = f.env.obligation(&borrower.obligation).await;
    assert!(!after.has_debt(), "the loop is cleared");
    let sol = f.keys(SOL).reserve;
    assert!(after.position(&sol).unwrap().supply_shares < before.position(&sol).unwrap().supply_shares);
    // The liquidator paid the debt and received it x 1.1 less the protocol's share of the bonus.
    let balance = f.env.token_balance(&liquidator.token_accounts[SOL]).await;
    assert_eq!(balance, 10 * ONE_SOL - event.repay_amount + event.collateral_to_liquidator);
    assert!(event.collateral_to_liquidator > event.repay_amount);
    let _ = lender;
}

/// A run on the SOL vault: another user borrows every SOL token. Paying the seizure in tokens
/// fails (`InsufficientLiquidity`, nothing changes); paying it as SOL supply shares into the
/// liquidator's obligation lands, moves no SOL, and leaves the depositors' share value whole.
#[tokio::test]
async fn a_drained_collateral_vault_pays_the_liquidator_in_supply_shares() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    // A whale with USDC collateral borrows all the SOL there is (the borrower's 10 SOL and the
    // reserve's creation deposit).
    let whale = f.new_user(&[0, 1_000_000 * ONE_USDC]).await;
    f.deposit(&whale, USDC, 1_000_000 * ONE_USDC).await.unwrap();
    let sol = f.keys(SOL);
    let available = f.env.reserve(&sol.reserve).await.accounting().available_liquidity;
    f.borrow(&whale, SOL, available).await.unwrap();
    assert_eq!(f.env.reserve(&sol.reserve).await.accounting().available_liquidity, 0);

    f.set_price(SOL, 85.0).await;
    let liquidator = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    let plan = f.best_liquidation(&borrower, USDC, SOL).await.expect("liquidatable");
    let w = vec![borrower.obligation, sol.reserve, sol.vault, f.keys(USDC).reserve, liquidator.obligation];
    let tokens = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, plan.repay_amount, 0).await;
    f.env.assert_ballast_error(&[tokens], &[&liquidator.keypair], BallastError::InsufficientLiquidity, &w).await;
    // Into someone else's obligation: refused by name.
    let mut foreign = f.liquidate_ix_paid(&liquidator, &borrower, USDC, SOL, plan.repay_amount, 0, true).await;
    let receiver = foreign.accounts.iter().position(|m| m.pubkey == liquidator.obligation).unwrap();
    foreign.accounts[receiver].pubkey = whale.obligation;
    f.env.assert_ballast_error(&[foreign], &[&liquidator.keypair], BallastError::ObligationOwnerMismatch, &w).await;

    let reserve_before = f.env.reserve(&sol.reserve).await;
    let vault_before = f.env.token_balance(&sol.vault).await;
    let shares = f.liquidate_ix_paid(&liquidator, &borrower, USDC, SOL, plan.repay_amount, 0, true).await;
    let (_, logs) = f.env.send_logged(&[shares], &[&liquidator.keypair]).await.unwrap();
    let [event]: [ballast::events::LiquidateEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert_eq!(event.repay_amount, plan.repay_amount);
    assert_eq!(event.collateral_to_liquidator, plan.liquidator_amount);
    assert!(event.collateral_shares_to_liquidator > 0);
    assert_eq!(f.env.token_balance(&sol.vault).await, vault_before, "no SOL left the vault");
    assert_eq!(f.env.token_balance(&liquidator.token_accounts[SOL]).await, 0);
    let mine = f.env.obligation(&liquidator.obligation).await;
    assert_eq!(mine.position(&sol.reserve).unwrap().supply_shares, event.collateral_shares_to_liquidator);
    // The shares are worth what the plan paid, to within a base unit (they are rounded down, and
    // the protocol's burned shares, rounded up, lift every share a little).
    let reserve_after = f.env.reserve(&sol.reserve).await;
    let accounting = reserve_after.accounting();
    let worth = accounting.liquidity_for_shares(event.collateral_shares_to_liquidator).unwrap();
    let paid = ballast_math::Wad::from_u64(plan.liquidator_amount);
    let one = ballast_math::Wad::from_u64(1);
    assert!(worth.saturating_sub(paid) <= one && paid.saturating_sub(worth) <= one, "{worth:?} vs {plan:?}");
    let (value_before, value_after) =
        (reserve_before.accounting().supply_share_value().unwrap(), accounting.supply_share_value().unwrap());
    assert!(value_after >= value_before, "share value {value_before:?} -> {value_after:?}");
    let borrower_after = f.program_health(&borrower, false).await;
    assert!(borrower_after.weighted_debt < 700 * ballast_math::WAD * 1_001 / 1_000);
}

/// The liquidator's own obligation may not be the one it liquidates (it would be its owner).
#[tokio::test]
async fn shares_go_only_to_the_liquidators_own_obligation() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    f.set_price(SOL, 85.0).await;
    let liquidator: User = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    let w: Vec<Pubkey> = vec![borrower.obligation, f.keys(SOL).reserve, liquidator.obligation];
    let mut ix = f.liquidate_ix_paid(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0, true).await;
    let receiver = ix.accounts.iter().position(|m| m.pubkey == liquidator.obligation).unwrap();
    ix.accounts[receiver].pubkey = borrower.obligation;
    f.env.assert_ballast_error(&[ix], &[&liquidator.keypair], BallastError::ObligationOwnerMismatch, &w).await;
    // The honest request lands and credits SOL shares.
    let honest = f.liquidate_ix_paid(&liquidator, &borrower, USDC, SOL, 100 * ONE_USDC, 0, true).await;
    f.env.send_ok(&[honest], &[&liquidator.keypair]).await;
    let mine = f.env.obligation(&liquidator.obligation).await;
    assert!(mine.position(&f.keys(SOL).reserve).unwrap().supply_shares > 0);
}

/// One permissionless keeper pass over `users`: every liquidatable obligation is liquidated by
/// the policy's choice (in supply shares when the vault cannot pay) until healthy, and debt left
/// with no collateral is written off. Returns the write-offs' events.
async fn keeper_pass(
    f: &mut Fixture,
    keeper: &User,
    users: &[User],
    stats: &mut CrashStats,
) -> Vec<ballast::events::SocializeLossEvent> {
    let mut written_off = Vec::new();
    for user in users {
        for _ in 0..20 {
            if !f.program_health(user, false).await.liquidatable {
                break;
            }
            let Some(candidate) = f.policy_liquidation(user).await else { break };
            let asset = |reserve: Pubkey| (0..f.assets.len()).find(|&a| f.keys(a).reserve == reserve).unwrap();
            let (debt, collateral) = (asset(candidate.repay_reserve), asset(candidate.collateral_reserve));
            let ix = f
                .liquidate_ix_paid(
                    keeper,
                    user,
                    debt,
                    collateral,
                    candidate.plan.repay_amount,
                    0,
                    candidate.receive_shares,
                )
                .await;
            let (_, logs) = f.env.send_logged(&[ix], &[&keeper.keypair]).await.unwrap_or_else(|e| {
                panic!("the policy's liquidation must land: {candidate:?}: {:?}\n{}", e.error, e.logs.join("\n"))
            });
            stats.liquidations += 1;
            stats.in_shares += candidate.receive_shares as usize;
            stats.looped += (debt == collateral) as usize;
            written_off.extend(ballast_tests::events::<ballast::events::SocializeLossEvent>(&logs));
        }
        let obligation = f.env.obligation(&user.obligation).await;
        if obligation.has_debt() && !obligation.has_collateral() {
            for position in obligation.active_positions().iter().filter(|p| !p.debt_shares().is_zero()) {
                let ix = ballast_client::instructions::socialize_loss(f.market, user.obligation, position.reserve, &[]);
                let (_, logs) = f.env.send_logged(&[ix], &[]).await.unwrap();
                written_off.extend(ballast_tests::events::<ballast::events::SocializeLossEvent>(&logs));
            }
        }
    }
    written_off
}

#[derive(Debug, Default)]
struct CrashStats {
    liquidations: usize,
    in_shares: usize,
    looped: usize,
}

/// A -60% SOL crash in twelve steps over 50 obligations (40 SOL-backed USDC borrowers, 6 SOL
/// loops, 3 USDC-backed SOL borrowers, one whale), with depositors withdrawing every token they
/// can between steps (and a runner borrowing every SOL token left) and the risk manager lowering
/// SOL's threshold early (in force a day later, by the risk ramp), while congestion keeps liquidations out for six steps. A keeper running the
/// liquidation policy clears everything: at the end every obligation is healthy, empty or written
/// off, and what was written off is exactly the insurance used plus the recorded socialised loss.
#[tokio::test]
async fn a_crash_with_loops_a_whale_and_a_bank_run_ends_with_every_obligation_resolved() {
    let mut f = sol_usdc().await;
    let usdc_lender = f.new_user(&[0, 2_000_000 * ONE_USDC]).await;
    let sol_lender = f.new_user(&[3_000 * ONE_SOL, 0]).await;
    f.deposit(&usdc_lender, USDC, 2_000_000 * ONE_USDC).await.unwrap();
    f.deposit(&sol_lender, SOL, 3_000 * ONE_SOL).await.unwrap();
    let mut users = Vec::new();
    for k in 0..40u64 {
        let user = f.new_user(&[10 * ONE_SOL, 0]).await;
        f.deposit(&user, SOL, 10 * ONE_SOL).await.unwrap();
        f.borrow(&user, USDC, (400 + 340 * k / 39) * ONE_USDC).await.unwrap();
        users.push(user);
    }
    for k in 0..6u64 {
        let user = f.new_user(&[20 * ONE_SOL, 0]).await;
        f.deposit(&user, SOL, 20 * ONE_SOL).await.unwrap();
        f.borrow(&user, SOL, (135 + 2 * k) * ONE_SOL / 10).await.unwrap();
        users.push(user);
    }
    for _ in 0..3 {
        let user = f.new_user(&[0, 5_000 * ONE_USDC]).await;
        f.deposit(&user, USDC, 5_000 * ONE_USDC).await.unwrap();
        f.borrow(&user, SOL, 20 * ONE_SOL).await.unwrap();
        users.push(user);
    }
    let whale = f.new_user(&[500 * ONE_SOL, 0]).await;
    f.deposit(&whale, SOL, 500 * ONE_SOL).await.unwrap();
    f.borrow(&whale, USDC, 36_000 * ONE_USDC).await.unwrap();
    users.push(whale);
    // Who runs on the SOL vault by borrowing: USDC collateral, SOL debt.
    let runner = f.new_user(&[0, 10_000_000 * ONE_USDC]).await;
    f.deposit(&runner, USDC, 10_000_000 * ONE_USDC).await.unwrap();
    assert_eq!(users.len(), 50);

    let keeper = f.new_user(&[100_000 * ONE_SOL, 10_000_000 * ONE_USDC]).await;
    let mut stats = CrashStats::default();
    let mut written_off = Vec::new();
    // Steps three hours apart: the threshold cut (a day's ramp) is in force from step 10.
    for step in 1..=12u32 {
        f.env.advance_time(3 * 3_600).await;
        f.set_price(SOL, 100.0 - 5.0 * step as f64).await;
        f.set_price(USDC, 1.0).await;
        if step == 2 {
            // The risk manager reacts: SOL counts for less, and every SOL loop goes under.
            let authority = f.authority.insecure_clone();
            let mut params = f.assets[SOL].params.clone();
            (params.ltv_bps, params.liquidation_threshold_bps) = (5_500, 6_000);
            let update = ballast_client::instructions::update_reserve_config(
                solana_signer::Signer::pubkey(&authority),
                &f.keys(SOL),
                params.clone(),
            );
            f.env.send_ok(&[update], &[&authority]).await;
            f.assets[SOL].params = params;
        }
        // A run on both vaults: the lenders take out every token they can, and the runner borrows
        // every SOL token left.
        for (lender, asset) in [(&usdc_lender, USDC), (&sol_lender, SOL)] {
            let reserve = f.keys(asset).reserve;
            let accounting = f.env.reserve(&reserve).await.accrued(f.env.now().await).unwrap();
            let Some(position) = f.env.obligation(&lender.obligation).await.position(&reserve).copied() else {
                continue;
            };
            let held = accounting
                .liquidity_for_shares(position.supply_shares)
                .and_then(|w| w.to_u64(ballast_math::Rounding::Down))
                .unwrap();
            let amount = if accounting.available_liquidity >= held { u64::MAX } else { accounting.available_liquidity };
            if amount > 0 {
                f.withdraw(lender, asset, amount, amount == u64::MAX).await.unwrap();
            }
        }
        let sol_left = f.env.reserve(&f.keys(SOL).reserve).await.accounting().available_liquidity;
        if sol_left > 0 {
            f.borrow(&runner, SOL, sol_left).await.unwrap();
        }
        // Congestion: no liquidation lands during steps 2 to 7, so some obligations go insolvent.
        if !(2..=7).contains(&step) {
            written_off.extend(keeper_pass(&mut f, &keeper, &users, &mut stats).await);
        }
    }
    users.push(runner);

    for user in &users {
        let obligation = f.env.obligation(&user.obligation).await;
        let health = f.program_health(user, false).await;
        assert!(!health.liquidatable || !obligation.has_debt(), "unresolved: {health:?}");
    }
    println!("crash: {stats:?}, {} write-offs", written_off.len());
    assert!(stats.liquidations >= 40, "{stats:?}");
    assert!(stats.in_shares > 0, "the drained vaults were liquidated in shares: {stats:?}");
    assert!(stats.looped >= 6, "every loop was liquidated in its own reserve: {stats:?}");
    assert!(!written_off.is_empty(), "insolvent obligations were written off");
    for asset in 0..2 {
        let reserve = f.keys(asset).reserve;
        let events: Vec<_> = written_off.iter().filter(|e| e.reserve == reserve).collect();
        for e in &events {
            assert_eq!(e.debt_written_off, e.covered_by_insurance + e.loss_to_depositors);
        }
        let loss: u128 = events.iter().map(|e| e.loss_to_depositors).sum();
        let socialized = ballast::state::wad_from_bytes(&f.env.reserve(&reserve).await.socialized_loss);
        assert_eq!(socialized.0, loss, "recorded socialised loss = the write-offs' loss, asset {asset}");
    }
}

/// Interest can carry a debt past `u64::MAX` base units (here USDC's borrow index is set to 3e10
/// in the reserve account, the state decades of a high rate would reach): it is still repaid in
/// parts, and liquidated in a part of at most `u64::MAX` with the rest written off at once.
#[tokio::test]
async fn a_debt_above_u64_max_base_units_is_repaid_in_parts_and_liquidated() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    let usdc = f.keys(USDC);
    let mut reserve = f.env.reserve(&usdc.reserve).await;
    let mut accounting = reserve.accounting();
    accounting.borrow_index = ballast_math::Wad::from_u64(30_000_000_000);
    reserve.set_accounting(&accounting);
    f.env.set_reserve(&usdc.reserve, &reserve).await;
    let owed = |o: &ballast::state::Obligation, r: &ballast::state::Reserve| {
        let shares = o.position(&usdc.reserve).unwrap().debt_shares();
        r.accounting().debt_amount(shares, ballast_math::Rounding::Up).unwrap()
    };
    let before = owed(&f.env.obligation(&borrower.obligation).await, &reserve);
    assert!(before > ballast_math::Wad::from_u64(u64::MAX), "{before:?}");

    f.repay(&borrower, &borrower.obligation, USDC, 500 * ONE_USDC).await.unwrap();
    let after_repay = owed(&f.env.obligation(&borrower.obligation).await, &f.env.reserve(&usdc.reserve).await);
    assert!(after_repay < before, "a part is repaid");

    let liquidator = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    let ix = f.liquidate_ix(&liquidator, &borrower, USDC, SOL, u64::MAX, 0).await;
    let (_, logs) = f.env.send_logged(&[ix], &[&liquidator.keypair]).await.unwrap();
    let [liquidation]: [ballast::events::LiquidateEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert!(liquidation.repay_amount < 10_000 * ONE_USDC, "the part the SOL covers");
    let [deficit]: [ballast::events::SocializeLossEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert!(deficit.debt_written_off > u64::MAX as u128 * 1_000_000_000_000_000_000, "{deficit:?}");
    let obligation = f.env.obligation(&borrower.obligation).await;
    assert!(!obligation.has_debt() && !obligation.has_collateral(), "cleared in one instruction");
}

/// Dust cannot hold a write-off up: once an obligation is liquidatable and its collateral is
/// worth less than the market's dust value ($2 here), `socialize_loss` with the health accounts
/// writes its debt off (the dust stays the owner's). Before that it is refused, as it is without
/// the health accounts that value the dust, and nothing changes.
#[tokio::test]
async fn socialize_loss_writes_off_debt_held_against_dust() {
    let (mut f, _lender, borrower) = funded().await;
    f.borrow(&borrower, USDC, 700 * ONE_USDC).await.unwrap();
    let usdc = f.keys(USDC);
    let health = f.health_after(&borrower, None, None).await;
    let socialize = ballast_client::instructions::socialize_loss(f.market, borrower.obligation, usdc.reserve, &health);
    let unpriced = ballast_client::instructions::socialize_loss(f.market, borrower.obligation, usdc.reserve, &[]);
    let watched = vec![borrower.obligation, usdc.reserve];
    let refused = BallastError::ObligationHasCollateral;
    f.env.assert_ballast_error(std::slice::from_ref(&socialize), &[], refused, &watched).await;
    // SOL at $0.15: $1.50 of collateral against $700 of debt.
    f.set_price(SOL, 0.15).await;
    f.refresh_prices().await;
    let count = BallastError::HealthAccountCountMismatch;
    f.env.assert_ballast_error(std::slice::from_ref(&unpriced), &[], count, &watched).await;
    let (_, logs) = f.env.send_logged(&[socialize], &[]).await.unwrap();
    let [event]: [ballast::events::SocializeLossEvent; 1] = ballast_tests::events(&logs).try_into().unwrap();
    assert!(event.debt_written_off >= 700 * ONE_USDC as u128 * ballast_math::WAD, "{event:?}");
    let obligation = f.env.obligation(&borrower.obligation).await;
    assert!(!obligation.has_debt());
    assert_eq!(obligation.position(&f.keys(SOL).reserve).unwrap().supply_shares, 10 * ONE_SOL);
}
