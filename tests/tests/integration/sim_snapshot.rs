//! The simulator's snapshot of a running market (`ballast_sim::snapshot`, the pure function
//! behind `ballast-sim snapshot --url ...`) on the runtime: from the market's Reserve,
//! Obligation and oracle accounts as a node would return them, the simulator's health of every
//! obligation equals the program's (`get_health`) and the client's, maintenance and initial
//! (with risk controls: haircut and USD cap), and the book's amounts add up to the reserves'.

use anchor_lang::prelude::Pubkey;
use ballast::health::HealthKind;
use ballast_math::{Rounding, WAD};
use ballast_sim::liquidate::{initial_health, maintenance_health};
use ballast_sim::snapshot::snapshot;
use ballast_sim::{Scenario, Sim, SimParams};
use ballast_tests::{AssetSpec, Fixture, OracleFormat, User};
use solana_account::Account;

use crate::*;

const ETH: usize = 2;
const ONE_ETH: u64 = 100_000_000;

/// SOL (pull), USDC (legacy), ETH (pull, 8 decimals); SOL with a volatility haircut that the
/// 0.1% confidence already triggers and a $2,000 cap on its collateral value, so initial health
/// exercises the risk controls.
async fn market() -> Fixture {
    let mut sol = AssetSpec::new("SOL", 9, 100.0);
    sol.params.haircut_start_bps = 5;
    sol.params.haircut_end_bps = 50;
    sol.params.max_haircut_bps = 2_000;
    sol.params.collateral_value_cap_usd = 2_000;
    let usdc = AssetSpec { oracle: OracleFormat::Legacy, ..AssetSpec::new("USDC", 6, 1.0) };
    let eth = AssetSpec::new("ETH", 8, 3_000.0);
    Fixture::new(&[sol, usdc, eth]).await
}

async fn accounts(f: &mut Fixture, keys: &[Pubkey]) -> Vec<(Pubkey, Account)> {
    let mut out = Vec::new();
    for key in keys {
        out.push((*key, f.env.account(key).await.expect("account exists")));
    }
    out
}

#[tokio::test]
async fn snapshot_health_equals_the_programs_for_every_obligation() {
    let mut f = market().await;
    let lender = f.new_user(&[0, 100_000 * ONE_USDC, 0]).await;
    let a = f.new_user(&[10 * ONE_SOL, 0, 0]).await;
    let b = f.new_user(&[20 * ONE_SOL, 0, 2 * ONE_ETH]).await;
    let c = f.new_user(&[0, 5_000 * ONE_USDC, 0]).await;
    f.deposit(&lender, USDC, 100_000 * ONE_USDC).await.unwrap();
    f.deposit(&a, SOL, 10 * ONE_SOL).await.unwrap();
    f.borrow(&a, USDC, 700 * ONE_USDC).await.unwrap();
    f.deposit(&b, SOL, 20 * ONE_SOL).await.unwrap();
    f.deposit(&b, ETH, 2 * ONE_ETH).await.unwrap();
    f.borrow(&b, USDC, 5_000 * ONE_USDC).await.unwrap();
    f.deposit(&c, USDC, 5_000 * ONE_USDC).await.unwrap();
    f.borrow(&c, ETH, ONE_ETH / 2).await.unwrap();
    // Interest for a week, then SOL falls: `a` becomes liquidatable.
    f.env.advance_time(7 * 86_400).await;
    f.refresh_prices().await;
    f.set_price(SOL, 85.0).await;

    let users: Vec<&User> = vec![&lender, &a, &b, &c];
    let reserve_keys: Vec<Pubkey> = f.assets.iter().map(|x| x.keys.reserve).collect();
    let oracle_keys: Vec<Pubkey> = f.assets.iter().map(|x| x.keys.oracle).collect();
    let obligation_keys: Vec<Pubkey> = users.iter().map(|u| u.obligation).collect();
    let reserves = accounts(&mut f, &reserve_keys).await;
    let obligations = accounts(&mut f, &obligation_keys).await;
    let oracles = accounts(&mut f, &oracle_keys).await;
    let market_account = f.env.account(&f.market).await.unwrap();
    let now = f.env.now().await;
    let symbols: Vec<(Pubkey, String)> = f.assets.iter().map(|x| (x.keys.mint, x.symbol.to_string())).collect();
    let snap = snapshot(&f.market, &market_account, &reserves, &obligations, &oracles, now, &|mint| {
        symbols.iter().find(|(m, _)| m == mint).map(|(_, s)| s.clone())
    })
    .expect("snapshot");

    assert_eq!(snap.reserves.len(), 3);
    assert_eq!(snap.obligations.len(), 4);
    assert!(snap.skipped.is_empty());
    assert_eq!(snap.reserves.iter().map(|r| r.symbol.as_str()).collect::<Vec<_>>(), ["SOL", "USDC", "ETH"]);
    assert!(snap.reserves.iter().all(|r| !r.stale));
    assert!((snap.reserves[SOL].price_usd - 85.0).abs() < 1e-9);

    let states = snap.reserve_states();
    let mut liquidatable = 0;
    for (user, o) in users.iter().zip(&snap.obligations) {
        assert_eq!(o.key, user.obligation);
        assert_eq!(o.owner, user.key());
        let sim = maintenance_health(&states, &o.state, now).unwrap();
        let program = f.program_health(user, false).await;
        let client = f.client_health(user, HealthKind::Maintenance).await;
        assert_eq!(sim, client, "maintenance, obligation {}", o.key);
        assert_eq!(
            (sim.weighted_collateral.0, sim.weighted_debt.0, sim.collateral_value.0, sim.debt_value.0),
            (program.weighted_collateral, program.weighted_debt, program.collateral_value, program.debt_value),
            "maintenance vs get_health, obligation {}",
            o.key
        );
        assert_eq!(!sim.is_healthy(), program.liquidatable);
        liquidatable += program.liquidatable as usize;

        let sim = initial_health(&states, &o.state, now).unwrap();
        let program = f.program_health(user, true).await;
        let client = f.client_health(user, HealthKind::Initial).await;
        assert_eq!(sim, client, "initial, obligation {}", o.key);
        assert_eq!(
            (sim.weighted_collateral.0, sim.weighted_debt.0),
            (program.weighted_collateral, program.weighted_debt),
            "initial vs get_health, obligation {}",
            o.key
        );
    }
    assert_eq!(liquidatable, 1, "the SOL crash makes exactly `a` liquidatable");
    // The controls count: SOL's haircut and cap lower b's borrow power below LTV x value.
    let b_initial = initial_health(&states, &snap.obligations[2].state, now).unwrap();
    let b_maintenance = maintenance_health(&states, &snap.obligations[2].state, now).unwrap();
    assert!(b_initial.weighted_collateral.0 < b_maintenance.weighted_collateral.0 * 75 / 80);

    // The book: each obligation's amounts, in base units; they add up to the reserves' totals
    // (borrows rounded up per obligation; deposits rounded down, plus the locked creation deposit).
    let book = snap.book();
    assert_eq!(book.obligations.len(), 4);
    for (r, reserve) in snap.reserves.iter().enumerate() {
        let acc = &reserve.state.accounting;
        let sym = &reserve.symbol;
        let borrows: u64 =
            book.obligations.iter().flat_map(|e| &e.borrows).filter(|x| &x.symbol == sym).map(|x| x.amount).sum();
        let deposits: u64 =
            book.obligations.iter().flat_map(|e| &e.deposits).filter(|x| &x.symbol == sym).map(|x| x.amount).sum();
        let total_debt = acc.total_debt(Rounding::Up).unwrap().0 as f64 / WAD as f64;
        assert!((borrows as f64 - total_debt).abs() <= 4.0, "{sym}: book borrows {borrows} vs reserve {total_debt}");
        let on_chain = f.env.reserve(&reserve_keys[r]).await;
        let locked = acc.liquidity_for_shares(on_chain.locked_supply_shares).unwrap().0 / WAD;
        let (total_deposits, _) = reserve.totals();
        assert!(
            (deposits as i128 + locked as i128 - total_deposits as i128).abs() <= 5,
            "{sym}: book deposits {deposits} + locked {locked} vs reserve {total_deposits}"
        );
    }
    assert_eq!(book.obligations[1].borrows[0].symbol, "USDC");
    assert!(book.obligations[1].borrows[0].amount > 700 * ONE_USDC, "a week of interest");

    // And the snapshot runs: a flat path liquidates `a` in the first step.
    let sim_market = snap.market(None);
    let mut params = SimParams::from_market(&sim_market);
    params.relever_prob_per_step = 0.0;
    let flat = Scenario::Crash { assets: vec![], drop: 0.0, pump: 0.0, start_step: 0, crash_steps: 1, steps: 3 };
    let path = flat.path(&sim_market, params.step_secs, params.seed).unwrap();
    let report = Sim::from_snapshot(&sim_market, &snap, &path, params).unwrap().run("flat");
    assert_eq!(report.steps[0].unhealthy, 1);
    assert!(report.summary.liquidations >= 1);
    assert_eq!(report.summary.total_bad_debt_usd, 0.0);
}

#[tokio::test]
async fn snapshot_rejects_foreign_reserves_and_skips_foreign_obligations() {
    let mut f = sol_usdc().await;
    let user = f.new_user(&[ONE_SOL, 0]).await;
    f.deposit(&user, SOL, ONE_SOL).await.unwrap();
    let (other_market, other_asset) = f.foreign_market(&AssetSpec::new("ETH", 8, 3_000.0)).await;
    let market_account = f.env.account(&f.market).await.unwrap();
    let now = f.env.now().await;
    let oracle_keys: Vec<Pubkey> = f.assets.iter().map(|x| x.keys.oracle).collect();
    let oracles = accounts(&mut f, &oracle_keys).await;
    let obligations = accounts(&mut f, &[user.obligation]).await;

    // A reserve of another market is an error, not silently mixed in.
    let foreign = accounts(&mut f, &[other_asset.keys.reserve]).await;
    let err = snapshot(&f.market, &market_account, &foreign, &obligations, &oracles, now, &|_| None).unwrap_err();
    assert!(err.to_string().contains(&other_market.to_string()), "{err}");

    // Obligations of another market are ignored; unnamed mints get a short name.
    let reserve_keys: Vec<Pubkey> = f.assets.iter().map(|x| x.keys.reserve).collect();
    let reserves = accounts(&mut f, &reserve_keys).await;
    let snap = snapshot(&f.market, &market_account, &reserves, &obligations, &oracles, now, &|_| None).unwrap();
    assert_eq!(snap.obligations.len(), 1);
    assert_eq!(snap.reserves[SOL].symbol, f.assets[SOL].keys.mint.to_string()[..6]);
    // The market account must be a market.
    let not_market = f.env.account(&f.assets[SOL].keys.reserve).await.unwrap();
    assert!(snapshot(&f.market, &not_market, &reserves, &obligations, &oracles, now, &|_| None).is_err());
}
