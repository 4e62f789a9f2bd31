//! The local node under load: concurrent clients send real Ballast deposits over JSON-RPC for a
//! fixed time (loopback only; the run stops by itself). Every signature sent must be known to
//! the node afterwards (none lost), every confirmed deposit applied exactly once (the vault and
//! each client's token account move by exactly the sum of its confirmed deposits), and the run's
//! throughput and latency percentiles are printed. Standard JSON-RPC only (`sendTransaction`,
//! `getSignatureStatuses`, `getLatestBlockhash`), so any node can be measured.
//!
//! `bash scripts/test-sbf` runs it (ignored without a node). Size: `BALLAST_LOAD_CLIENTS`
//! (default 8) for `BALLAST_LOAD_SECS` (default 10).

use std::time::{Duration, Instant};

use ballast_tests::node::{NodeClient, NODE_ENV};
use ballast_tests::{AssetSpec, Fixture};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::json;
use solana_transaction::Transaction;

const ONE_USDC: u64 = 1_000_000;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// What one client sent: each signature with its amount and send-to-confirmed latency.
struct Sent {
    signature: String,
    amount: u64,
    latency: Duration,
    confirmed: bool,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::test]
#[ignore = "needs the local node (BALLAST_TEST_NODE); bash scripts/test-sbf runs it"]
async fn concurrent_clients_have_every_transaction_applied_exactly_once() {
    let url = std::env::var(NODE_ENV).expect("BALLAST_TEST_NODE names the node's URL");
    let host = url.trim_start_matches("http://").split(':').next().unwrap_or("");
    assert!(host == "127.0.0.1" || host == "localhost", "the load test runs on loopback only: {url}");
    let (clients, secs) = (env_or("BALLAST_LOAD_CLIENTS", 8) as usize, env_or("BALLAST_LOAD_SECS", 10));

    let mut f = Fixture::new(&[AssetSpec::new("USDC", 6, 1.0)]).await;
    let mut users = Vec::with_capacity(clients);
    for _ in 0..clients {
        users.push(f.new_user(&[1_000_000 * ONE_USDC]).await);
    }
    let keys = f.keys(0);
    let vault_before = f.env.token_balance(&keys.vault).await;

    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let sent: Vec<Vec<Sent>> = std::thread::scope(|scope| {
        let handles: Vec<_> = users
            .iter()
            .enumerate()
            .map(|(client, user)| {
                scope.spawn(move || {
                    let node = NodeClient::from_env().expect("node");
                    let mut sent = Vec::new();
                    let mut blockhash = node.latest_blockhash();
                    while Instant::now() < deadline {
                        if sent.len() % 50 == 0 {
                            blockhash = node.latest_blockhash();
                        }
                        // Distinct amounts keep every transaction distinct under one blockhash.
                        let amount = (client as u64 + 1) * 1_000_000 + sent.len() as u64 + 1;
                        let ix =
                            ballast_client::instructions::deposit(user.key(), &keys, user.token_accounts[0], amount);
                        let tx =
                            Transaction::new_signed_with_payer(&[ix], Some(&user.key()), &[&user.keypair], blockhash);
                        let wire = B64.encode(bincode::serialize(&tx).expect("serialize"));
                        let t0 = Instant::now();
                        let signature = node.call("sendTransaction", json!([wire, {"encoding": "base64"}]));
                        let signature = signature.as_str().expect("a signature").to_string();
                        let confirmed = loop {
                            let status = node.call("getSignatureStatuses", json!([[signature]]));
                            let status = &status["value"][0];
                            if !status.is_null() {
                                break status["err"].is_null();
                            }
                            assert!(t0.elapsed() < Duration::from_secs(30), "{signature} not confirmed in 30 s");
                            std::thread::sleep(Duration::from_millis(2));
                        };
                        sent.push(Sent { signature, amount, latency: t0.elapsed(), confirmed });
                    }
                    sent
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("client thread")).collect()
    });
    let elapsed = started.elapsed();

    // None lost: the node still knows every signature, with the result the client saw.
    let node = NodeClient::from_env().expect("node");
    for client in &sent {
        for chunk in client.chunks(200) {
            let signatures: Vec<&str> = chunk.iter().map(|s| s.signature.as_str()).collect();
            let statuses = node.call("getSignatureStatuses", json!([signatures, {"searchTransactionHistory": true}]));
            for (s, status) in chunk.iter().zip(statuses["value"].as_array().expect("statuses")) {
                assert!(!status.is_null(), "{} was lost", s.signature);
                assert_eq!(status["err"].is_null(), s.confirmed, "{} changed its result", s.signature);
            }
        }
    }
    // Each applied exactly once: balances moved by exactly the confirmed sums.
    let mut total = 0;
    for (user, client) in users.iter().zip(&sent) {
        let deposited: u64 = client.iter().filter(|s| s.confirmed).map(|s| s.amount).sum();
        let balance = f.env.token_balance(&user.token_accounts[0]).await;
        assert_eq!(1_000_000 * ONE_USDC - balance, deposited, "client's deposits applied once each");
        total += deposited;
    }
    assert_eq!(f.env.token_balance(&keys.vault).await - vault_before, total, "the vault took each deposit once");

    let mut latencies: Vec<Duration> = sent.iter().flatten().map(|s| s.latency).collect();
    latencies.sort();
    let count = latencies.len();
    let failed = sent.iter().flatten().filter(|s| !s.confirmed).count();
    assert!(count > 0 && failed == 0, "{failed} of {count} deposits failed");
    println!(
        "node load: {clients} clients x {secs} s: {count} deposits, {:.0} tx/s; latency send->confirmed p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        count as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.9).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies[count - 1].as_secs_f64() * 1e3,
    );
}
