//! The indexer against the local validator (surfpool, `sbf/validator`) with the sBPF build
//! deployed: a market runs through the test fixture while the indexer follows it in-process; the
//! indexer is stopped mid-stream, more transactions land, and a restart from the same database
//! must hold every event of every transaction exactly once (checked by signature against the
//! node's own history). On SQLite always, on Postgres when `BALLAST_TEST_POSTGRES_URL` is set.
//! Ignored without a validator (`BALLAST_TEST_NODE`); `bash scripts/test-indexer` runs both.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use ballast_indexer::follow::fetch_transaction;
use ballast_indexer::store::EventFilter;
use ballast_indexer::{FollowConfig, Store};
use ballast_tests::node::{NodeClient, NODE_ENV};
use ballast_tests::{AssetSpec, Fixture, User};
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;

const SOL: usize = 0;
const USDC: usize = 1;
const ONE_SOL: u64 = 1_000_000_000;
const ONE_USDC: u64 = 1_000_000;
const POSTGRES_ENV: &str = "BALLAST_TEST_POSTGRES_URL";
/// How long the indexer may take to catch up (a backfill reads the node's whole program history).
const CATCH_UP: Duration = Duration::from_secs(180);

/// The indexer on its own thread and runtime (the fixture's node client blocks its thread).
struct Running {
    stop: watch::Sender<bool>,
    thread: std::thread::JoinHandle<()>,
    api: SocketAddr,
}

fn start(config: FollowConfig, database: String) -> Running {
    let (stop, shutdown) = watch::channel(false);
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("ballast_indexer=info").try_init();
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime
            .block_on(ballast_indexer::run(config, &database, Some("127.0.0.1:0"), shutdown, move |addr| {
                addr_tx.send(addr).unwrap()
            }))
            .expect("the indexer runs until stopped");
    });
    let api = addr_rx.recv_timeout(Duration::from_secs(30)).expect("the API listens");
    Running { stop, thread, api }
}

impl Running {
    fn stop(self) {
        self.stop.send(true).unwrap();
        self.thread.join().expect("the indexer stops cleanly");
    }
}

/// Waits until the store holds at least `count` events of `obligation`.
async fn wait_for(store: &Store, obligation: &Pubkey, count: usize) {
    let filter = EventFilter { obligation: Some(obligation.to_string()), reserve: None };
    let start = Instant::now();
    loop {
        let found = store.events(&filter, 1000, None).await.unwrap().len();
        if found >= count {
            return;
        }
        assert!(start.elapsed() < CATCH_UP, "{found} of {count} events of {obligation} indexed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The names of the obligation's stored events, oldest first.
async fn names(store: &Store, obligation: &Pubkey) -> Vec<String> {
    store.obligation_history(&obligation.to_string()).await.unwrap().into_iter().map(|e| e.name).collect()
}

async fn http_get(addr: SocketAddr, path: &str) -> serde_json::Value {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: indexer\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    serde_json::from_str(response.split_once("\r\n\r\n").unwrap().1).unwrap()
}

/// Every successful transaction naming `user`'s obligation, by the node's history: the store
/// holds exactly its events (same count, names and fields), each once.
async fn assert_exactly_once(rpc: &RpcClient, store: &Store, user: &User) -> usize {
    let history = rpc.get_signatures_for_address(&user.obligation).await.expect("getSignaturesForAddress");
    let mut checked = 0;
    let mut seen = BTreeSet::new();
    for status in history.iter().filter(|s| s.err.is_none()) {
        assert!(seen.insert(status.signature.clone()), "the node lists {} once", status.signature);
        let expected = fetch_transaction(rpc, &status.signature, &ballast::ID).await.unwrap().events;
        let stored = store.events_of(&status.signature).await.unwrap();
        assert_eq!(stored.len(), expected.len(), "events of {}", status.signature);
        for (index, (stored, expected)) in stored.iter().zip(&expected).enumerate() {
            assert_eq!(stored.event_index, index as i64);
            assert_eq!((stored.name.as_str(), &stored.data), (expected.name, &expected.data));
        }
        assert!(store.has_transaction(&status.signature).await.unwrap());
        checked += expected.len();
    }
    checked
}

async fn follow_stop_restart(database: &str) {
    let url = std::env::var(NODE_ENV).expect("BALLAST_TEST_NODE names the validator's URL");
    let config = FollowConfig::new(&url, None, ballast::ID).unwrap();
    let rpc = RpcClient::new_with_commitment(url.clone(), CommitmentConfig::confirmed());
    let store = Store::connect(database).await.unwrap();
    store.reset().await.unwrap();

    // One slot per transaction (the validator's clock is paused): the node's order within a slot
    // is not the transactions' order, and confirmed notices go out as the slot moves.
    let node = NodeClient::from_env().expect("the validator");
    let next_slot = || node.warp_slots(1);
    let mut f = Fixture::new(&[AssetSpec::new("SOL", 9, 100.0), AssetSpec::new("USDC", 6, 1.0)]).await;
    assert_eq!(f.env.node_url().as_deref(), Some(url.as_str()), "the fixture runs on the validator");
    let lender = f.new_user(&[0, 10_000 * ONE_USDC]).await;
    f.deposit(&lender, USDC, 10_000 * ONE_USDC).await.unwrap();
    next_slot();

    // First run: backfills the market so far, then follows live.
    let running = start(config.clone(), database.to_string());
    let user = f.new_user(&[10 * ONE_SOL, 500 * ONE_USDC]).await;
    f.deposit(&user, SOL, 10 * ONE_SOL).await.unwrap();
    next_slot();
    f.borrow(&user, USDC, 300 * ONE_USDC).await.unwrap();
    next_slot();
    wait_for(&store, &user.obligation, 2).await;
    wait_for(&store, &lender.obligation, 1).await;
    running.stop();
    let before_restart = store.status().await.unwrap();

    // Stopped: these land while nothing follows.
    f.repay(&user, &user.obligation, USDC, 100 * ONE_USDC).await.unwrap();
    next_slot();
    f.withdraw(&user, SOL, ONE_SOL, false).await.unwrap();
    next_slot();
    let late = f.new_user(&[5 * ONE_SOL, 0]).await;
    f.deposit(&late, SOL, 5 * ONE_SOL).await.unwrap();
    next_slot();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(store.status().await.unwrap().events, before_restart.events, "nothing indexed while stopped");

    // Restart from the same database: the backfill closes the gap, then live again.
    let running = start(config.clone(), database.to_string());
    wait_for(&store, &user.obligation, 4).await;
    wait_for(&store, &late.obligation, 1).await;
    f.borrow(&user, USDC, 50 * ONE_USDC).await.unwrap();
    next_slot();
    wait_for(&store, &user.obligation, 5).await;

    let main: Vec<String> = names(&store, &user.obligation)
        .await
        .into_iter()
        .filter(|n| ["DepositEvent", "BorrowEvent", "RepayEvent", "WithdrawEvent"].contains(&n.as_str()))
        .collect();
    assert_eq!(main, ["DepositEvent", "BorrowEvent", "RepayEvent", "WithdrawEvent", "BorrowEvent"]);
    let mut total = 0;
    for who in [&lender, &user, &late] {
        total += assert_exactly_once(&rpc, &store, who).await;
    }
    assert!(total >= 7, "{total} events checked");

    // The dApp's API on the running indexer: the position's history with health.
    let history = http_get(running.api, &format!("/obligations/{}/history", user.obligation)).await;
    let entries = history["events"].as_array().unwrap();
    let borrow = entries.iter().find(|e| e["name"] == "BorrowEvent").expect("a borrow in the history");
    assert_eq!(borrow["amounts"]["amount"], (300 * ONE_USDC).to_string(), "u64 amounts are decimal strings");
    assert!(borrow["health_after"]["health_factor"].as_f64().unwrap() > 1.0, "{borrow}");
    let status = http_get(running.api, "/status").await;
    assert!(status["events"].as_i64().unwrap() >= total as i64, "{status}");

    // A third start with nothing new changes nothing.
    running.stop();
    let settled = store.status().await.unwrap();
    let running = start(config, database.to_string());
    tokio::time::sleep(Duration::from_secs(2)).await;
    running.stop();
    assert_eq!(store.status().await.unwrap(), settled, "a restart with nothing new stores nothing");
    for who in [&lender, &user, &late] {
        assert_exactly_once(&rpc, &store, who).await;
    }
}

#[tokio::test]
#[ignore = "needs the local validator (BALLAST_TEST_NODE); bash scripts/test-indexer runs it"]
async fn follows_stops_and_resumes_exactly_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ballast-index.db");
    follow_stop_restart(path.to_str().unwrap()).await;
}

#[tokio::test]
#[ignore = "needs the local validator (BALLAST_TEST_NODE) and Postgres (BALLAST_TEST_POSTGRES_URL)"]
async fn follows_stops_and_resumes_exactly_once_on_postgres() {
    let Ok(url) = std::env::var(POSTGRES_ENV) else {
        eprintln!("{POSTGRES_ENV} is not set: the Postgres run is skipped");
        return;
    };
    follow_stop_restart(&url).await;
}
