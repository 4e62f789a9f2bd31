//! The liquidator bot under faults, over JSON-RPC through a fault-injecting proxy in front of the
//! local node (`ballast_tests::fault_proxy`): errors and slow answers on its reads, a lost answer
//! to a liquidation that reaches the node late, a stale (out-of-order) answer, the node unreachable for a while
//! (a restart, as the bot sees one), stale prices, and a competing liquidator. After each the bot
//! keeps running, never sends a liquidation again once one landed, recovers within a bounded
//! time, and its metrics count the fault. `bash scripts/test-sbf` runs it (ignored without a
//! node).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use ballast_liquidator::rpc::RpcChain;
use ballast_liquidator::{AttemptOutcome, Config, Liquidator, Metrics};
use ballast_tests::fault_proxy::{Fault, FaultProxy};
use ballast_tests::node::NODE_ENV;
use ballast_tests::{AssetSpec, Fixture, OracleFormat, User};
use solana_commitment_config::CommitmentConfig;

const SOL: usize = 0;
const USDC: usize = 1;
const ONE_SOL: u64 = 1_000_000_000;
const ONE_USDC: u64 = 1_000_000;

/// A borrower of `debt_usdc` against 10 SOL.
async fn borrower(f: &mut Fixture, debt_usdc: u64) -> User {
    let user = f.new_user(&[10 * ONE_SOL, 0]).await;
    f.deposit(&user, SOL, 10 * ONE_SOL).await.unwrap();
    f.borrow(&user, USDC, debt_usdc * ONE_USDC).await.unwrap();
    user
}

fn landed(report: &ballast_liquidator::PassReport) -> Vec<Pubkey> {
    report.liquidated()
}

#[tokio::test]
#[ignore = "needs the local node (BALLAST_TEST_NODE); bash scripts/test-sbf runs it"]
async fn the_bot_rides_out_rpc_faults_without_double_sending() {
    let url = std::env::var(NODE_ENV).expect("BALLAST_TEST_NODE names the node's URL");
    let usdc = AssetSpec { oracle: OracleFormat::Legacy, ..AssetSpec::new("USDC", 6, 1.0) };
    let mut f = Fixture::new(&[AssetSpec::new("SOL", 9, 100.0), usdc]).await;
    let lender = f.new_user(&[0, 100_000 * ONE_USDC]).await;
    f.deposit(&lender, USDC, 100_000 * ONE_USDC).await.unwrap();
    // Deep in the red (health factor below 0.95, so liquidated in full and never again) at SOL
    // $90, $80, $70 and $60 in turn, each healthy until its price (10 SOL x 80% against the
    // debt); borrowed while SOL is at $120.
    f.set_price(SOL, 120.0).await;
    let first = borrower(&mut f, 760).await;
    let second = borrower(&mut f, 675).await;
    let third = borrower(&mut f, 590).await;
    let fourth = borrower(&mut f, 510).await;
    f.set_price(SOL, 100.0).await;
    let liquidator = f.new_user(&[0, 50_000 * ONE_USDC]).await;
    let token_accounts: BTreeMap<Pubkey, Pubkey> =
        (0..2).map(|a| (f.keys(a).mint, liquidator.token_accounts[a])).collect();
    let config = Config {
        market: f.market,
        min_profit_usd: 0.01,
        token_accounts: token_accounts.clone(),
        max_attempts: 4,
        retry_base_delay_ms: 20,
        ..Config::default()
    };
    let proxy = FaultProxy::start(&url);
    let metrics = Metrics::new();
    let bot = Liquidator::new(config.clone(), liquidator.keypair.insecure_clone(), metrics.clone());
    let mut chain = RpcChain::new(&proxy.url, CommitmentConfig::confirmed(), Duration::from_secs(5));
    let healthy = bot.run_once(&mut chain).await.expect("a healthy pass");
    assert_eq!((healthy.obligations, healthy.unhealthy), (6, 0));

    // 1. Errors and slow answers on the reads: retried, the pass completes and liquidates.
    proxy.plan("getProgramAccounts", &[Fault::HttpError, Fault::HttpError]);
    proxy.plan("getMultipleAccounts", &[Fault::Slow(Duration::from_millis(300)); 2]);
    f.set_price(SOL, 90.0).await;
    let retries = metrics.transport_retries.get();
    let report = bot.run_once(&mut chain).await.expect("errors are retried");
    assert_eq!(landed(&report), [first.obligation], "{report:#?}");
    assert!(metrics.transport_retries.get() >= retries + 2, "each error is counted");

    // 2. The answer to a liquidation is lost and the transaction reaches the node late: the bot
    // waits for its status (its blockhash still valid) instead of planning again, and finds it
    // landed; the liquidation reached the node once.
    proxy.plan("sendTransaction", &[Fault::LateArrival(Duration::from_millis(400))]);
    f.set_price(SOL, 80.0).await;
    let sends = proxy.forwarded("sendTransaction");
    let report = bot.run_once(&mut chain).await.expect("a lost answer is not a failed pass");
    assert_eq!(landed(&report), [second.obligation], "{report:#?}");
    assert!(matches!(report.outcomes[0].1, AttemptOutcome::Landed { .. }), "{report:#?}");
    assert_eq!(proxy.forwarded("sendTransaction") - sends, 1, "never sent again once it landed");
    assert_eq!(metrics.sends_unconfirmed.get(), 1, "the lost confirmation is counted");

    // 3. A stale, out-of-order answer to the scan (the book before the two liquidations): the
    // bot plans both again from it, their simulations refuse, and nothing is sent.
    proxy.plan("getProgramAccounts", &[Fault::Stale]);
    let sends = proxy.forwarded("sendTransaction");
    let report = bot.run_once(&mut chain).await.expect("a stale scan is not a failed pass");
    assert!(landed(&report).is_empty() && report.sent == 0, "{report:#?}");
    assert_eq!(report.lost_race, 2, "the stale plans are lost races: {report:#?}");
    assert_eq!(proxy.forwarded("sendTransaction"), sends);

    // 4. The node unreachable (what a restart looks like from the bot): the pass fails after its
    // retries and is counted; once the node answers again, the next pass liquidates.
    proxy.plan("*", &[Fault::Unreachable; 16]);
    f.set_price(SOL, 70.0).await;
    let retries = metrics.transport_retries.get();
    assert!(bot.run_once(&mut chain).await.is_err(), "a pass fails while the node is unreachable");
    assert_eq!(metrics.transport_retries.get(), retries + 3, "each failed request is counted, then the pass gives up");
    proxy.clear();
    let back = Instant::now();
    let report = bot.run_once(&mut chain).await.expect("back");
    assert_eq!(landed(&report), [third.obligation], "{report:#?}");
    assert!(back.elapsed() < Duration::from_secs(10), "recovered in {:?}", back.elapsed());

    // 5. Stale prices: every unhealthy obligation's health is unknown, nothing is sent; fresh
    // prices, and it is liquidated.
    f.set_price(SOL, 60.0).await;
    f.env.advance_time(120).await;
    let errors = metrics.evaluation_errors.get();
    let report = bot.run_once(&mut chain).await.expect("a pass over stale prices");
    assert_eq!(report.sent, 0, "{report:#?}");
    assert!(metrics.evaluation_errors.get() > errors, "stale prices are counted");
    f.refresh_prices().await;

    // 6. A competing liquidator takes the obligation between the bot's scan and its send.
    let scan = bot.scan(&mut chain).await.expect("scan");
    assert_eq!(scan.candidates.iter().map(|c| c.obligation).collect::<Vec<_>>(), [fourth.obligation]);
    let rival = f.new_user(&[0, 50_000 * ONE_USDC]).await;
    let rival_accounts = (0..2).map(|a| (f.keys(a).mint, rival.token_accounts[a])).collect();
    let rival_config = Config { token_accounts: rival_accounts, ..config };
    let rival_bot = Liquidator::new(rival_config, rival.keypair.insecure_clone(), Metrics::new());
    let mut direct = RpcChain::new(&url, CommitmentConfig::confirmed(), Duration::from_secs(5));
    assert_eq!(landed(&rival_bot.run_once(&mut direct).await.expect("rival")), [fourth.obligation]);
    let sends = proxy.forwarded("sendTransaction");
    let report = bot.execute(&mut chain, scan).await;
    assert_eq!((report.landed, report.lost_race, report.sent), (0, 1, 0), "{report:#?}");
    assert_eq!(proxy.forwarded("sendTransaction"), sends);
    assert_eq!(metrics.liquidations_lost_race.get(), 2 + 1, "every lost race is counted");
    let text = metrics.render();
    for line in ["ballast_liquidator_sends_unconfirmed_total 1", "ballast_liquidator_liquidations_landed_total 3"] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}
