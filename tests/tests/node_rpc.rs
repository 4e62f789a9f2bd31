//! The liquidator bot's JSON-RPC transport (the one operators run) against the local node with
//! the sBPF build deployed: real transactions over HTTP, judged by the program's own health.
//! `bash scripts/test-sbf` starts the node and runs this (it is ignored without a node).

use std::collections::BTreeMap;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use ballast_liquidator::rpc::RpcChain;
use ballast_liquidator::{run_once, Config};
use ballast_tests::node::NODE_ENV;
use ballast_tests::{AssetSpec, Fixture};
use solana_commitment_config::CommitmentConfig;

const SOL: usize = 0;
const USDC: usize = 1;
const ONE_SOL: u64 = 1_000_000_000;
const ONE_USDC: u64 = 1_000_000;

#[tokio::test]
#[ignore = "needs the local node (BALLAST_TEST_NODE); bash scripts/test-sbf runs it"]
async fn bot_liquidates_over_json_rpc_on_the_sbpf_build() {
    let url = std::env::var(NODE_ENV).expect("BALLAST_TEST_NODE names the node's URL");
    let mut f = Fixture::new(&[AssetSpec::new("SOL", 9, 100.0), AssetSpec::new("USDC", 6, 1.0)]).await;
    assert_eq!(f.env.node_url().as_deref(), Some(url.as_str()), "the fixture runs on the node");
    let lender = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    f.deposit(&lender, USDC, 10_000 * ONE_USDC).await.unwrap();
    let healthy = f.new_user(&[10 * ONE_SOL, 0]).await;
    f.deposit(&healthy, SOL, 10 * ONE_SOL).await.unwrap();
    f.borrow(&healthy, USDC, 300 * ONE_USDC).await.unwrap();
    let risky = f.new_user(&[10 * ONE_SOL, 0]).await;
    f.deposit(&risky, SOL, 10 * ONE_SOL).await.unwrap();
    f.borrow(&risky, USDC, 700 * ONE_USDC).await.unwrap();
    let liquidator = f.new_user(&[0, 5_000 * ONE_USDC]).await;
    let token_accounts: BTreeMap<Pubkey, Pubkey> =
        (0..2).map(|a| (f.keys(a).mint, liquidator.token_accounts[a])).collect();
    let config = Config { market: f.market, min_profit_usd: 0.01, token_accounts, ..Config::default() };
    let mut chain = RpcChain::new(&url, CommitmentConfig::confirmed(), Duration::from_secs(20));

    // Healthy book: the bot finds every obligation over getProgramAccounts and sends nothing.
    let report = run_once(&mut chain, &config, &liquidator.keypair).await.expect("bot pass");
    assert_eq!((report.obligations, report.unhealthy, report.sent), (4, 0, 0));

    // SOL falls to $80: 10 SOL are worth 800 USD at an 80% threshold, under the 700 USD debt.
    f.set_price(SOL, 80.0).await;
    assert!(f.program_health(&risky, false).await.liquidatable);
    assert!(!f.program_health(&healthy, false).await.liquidatable);
    let debt_before = f.client_health(&risky, ballast::health::HealthKind::Maintenance).await.debt_value;
    let report = run_once(&mut chain, &config, &liquidator.keypair).await.expect("bot pass");
    assert_eq!(report.liquidated(), vec![risky.obligation], "{report:?}");
    let debt_after = f.client_health(&risky, ballast::health::HealthKind::Maintenance).await.debt_value;
    assert!(debt_after < debt_before, "the liquidation repaid debt: {debt_before:?} -> {debt_after:?}");
    assert!(f.env.token_balance(&liquidator.token_accounts[SOL]).await > 0, "the bot received SOL collateral");
}
