//! Unmodified Rust clients against the local validator (surfpool, `sbf/validator`) with the sBPF
//! build deployed: `solana-rpc-client` sends and confirms a Ballast deposit and reads it back in
//! every encoding a wallet or indexer asks for, and `solana-pubsub-client` sees it through the
//! websocket (logs, account and signature subscriptions). `bash scripts/test-sbf` runs this (it
//! is ignored without a validator).

use std::time::Duration;

use ballast_client::instructions as ix;
use ballast_engine::Positions as _;
use ballast_tests::node::NODE_ENV;
use ballast_tests::{AssetSpec, Fixture};
use futures_util::StreamExt;
use solana_account_decoder_client_types::UiAccountData;
use solana_commitment_config::CommitmentConfig;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcSignatureSubscribeConfig, RpcTransactionConfig, RpcTransactionLogsConfig,
    RpcTransactionLogsFilter,
};
use solana_rpc_client_api::request::TokenAccountsFilter;
use solana_rpc_client_api::response::RpcSignatureResult;
use solana_transaction::Transaction;
use solana_transaction_status_client_types::{EncodedTransaction, UiTransactionEncoding};

const SOL: usize = 0;
const ONE_SOL: u64 = 1_000_000_000;
/// How long a subscription may take to deliver.
const NOTIFY_TIMEOUT: Duration = Duration::from_secs(20);

/// The validator's websocket URL: the JSON-RPC port plus one, as a cluster's.
fn websocket_url(rpc_url: &str) -> String {
    let (host, port) = rpc_url.trim_start_matches("http://").trim_end_matches('/').rsplit_once(':').expect("host:port");
    format!("ws://{host}:{}", port.parse::<u16>().expect("port") + 1)
}

#[tokio::test]
#[ignore = "needs the local validator (BALLAST_TEST_NODE); bash scripts/test-sbf runs it"]
async fn standard_rust_clients_send_confirm_read_and_subscribe() {
    let url = std::env::var(NODE_ENV).expect("BALLAST_TEST_NODE names the validator's URL");
    let mut f = Fixture::new(&[AssetSpec::new("SOL", 9, 100.0), AssetSpec::new("USDC", 6, 1.0)]).await;
    let user = f.new_user(&[10 * ONE_SOL, 0]).await;
    let rpc = RpcClient::new_with_commitment(url.clone(), CommitmentConfig::confirmed());
    let pubsub = PubsubClient::new(websocket_url(&url)).await.expect("websocket connects");
    assert_eq!(rpc.get_health().await.map_err(|e| e.to_string()), Ok(()));
    assert!(rpc.get_version().await.expect("getVersion").solana_core.starts_with('4'), "an agave 4.x runtime");

    let (mut logs, unsubscribe_logs) = pubsub
        .logs_subscribe(
            RpcTransactionLogsFilter::Mentions(vec![ballast::ID.to_string()]),
            RpcTransactionLogsConfig { commitment: Some(CommitmentConfig::confirmed()) },
        )
        .await
        .expect("logsSubscribe");
    let account_config = RpcAccountInfoConfig {
        encoding: Some(solana_account_decoder_client_types::UiAccountEncoding::Base64),
        commitment: Some(CommitmentConfig::confirmed()),
        ..RpcAccountInfoConfig::default()
    };
    let (mut obligation_changes, unsubscribe_account) =
        pubsub.account_subscribe(&user.obligation, Some(account_config)).await.expect("accountSubscribe");

    // A deposit, signed here, announced to signatureSubscribe before it is sent.
    let deposit = ix::deposit(user.key(), &f.keys(SOL), user.token_accounts[SOL], 2 * ONE_SOL);
    let blockhash = rpc.get_latest_blockhash().await.expect("getLatestBlockhash");
    let tx = Transaction::new_signed_with_payer(&[deposit], Some(&user.key()), &[&user.keypair], blockhash);
    let signature = tx.signatures[0];
    let signature_config = RpcSignatureSubscribeConfig {
        commitment: Some(CommitmentConfig::confirmed()),
        enable_received_notification: Some(false),
    };
    let (mut signature_done, unsubscribe_signature) =
        pubsub.signature_subscribe(&signature, Some(signature_config)).await.expect("signatureSubscribe");
    let sent = rpc.send_and_confirm_transaction(&tx).await.expect("sendTransaction, confirmed");
    assert_eq!(sent, signature);

    let notified =
        tokio::time::timeout(NOTIFY_TIMEOUT, signature_done.next()).await.expect("signature notice").unwrap();
    assert!(
        matches!(notified.value, RpcSignatureResult::ProcessedSignature(ref r) if r.err.is_none()),
        "{:?}",
        notified.value
    );
    let logged = loop {
        let notice = tokio::time::timeout(NOTIFY_TIMEOUT, logs.next()).await.expect("logs notice").unwrap();
        if notice.value.signature == signature.to_string() {
            break notice.value;
        }
    };
    assert!(logged.err.is_none());
    let events: Vec<ballast::events::DepositEvent> = ballast_tests::events(&logged.logs);
    assert_eq!(events.len(), 1, "{:?}", logged.logs);
    assert_eq!((events[0].obligation, events[0].amount), (user.obligation, 2 * ONE_SOL));
    let changed =
        tokio::time::timeout(NOTIFY_TIMEOUT, obligation_changes.next()).await.expect("account notice").unwrap();
    let UiAccountData::Binary(data, _) = changed.value.data else { panic!("base64 account data") };
    let data = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data).expect("base64");
    let obligation = ballast_client::accounts::decode_obligation(&data).expect("an obligation");
    assert_eq!(obligation.active_positions().len(), 1, "the deposit opened a position");

    // getTransaction in the default encoding (JSON) and jsonParsed: the same logs and event.
    for encoding in [UiTransactionEncoding::Json, UiTransactionEncoding::JsonParsed] {
        let config = RpcTransactionConfig {
            encoding: Some(encoding),
            commitment: Some(CommitmentConfig::confirmed()),
            max_supported_transaction_version: Some(0),
        };
        let landed = rpc.get_transaction_with_config(&signature, config).await.expect("getTransaction");
        let meta = landed.transaction.meta.expect("meta");
        let log_lines: Vec<String> = Option::from(meta.log_messages).expect("log messages");
        assert_eq!(ballast_tests::events::<ballast::events::DepositEvent>(&log_lines), events, "{encoding:?}");
        assert!(matches!(landed.transaction.transaction, EncodedTransaction::Json(_)), "{encoding:?}");
    }
    let history = rpc.get_signatures_for_address(&user.obligation).await.expect("getSignaturesForAddress");
    assert!(history.iter().any(|s| s.signature == signature.to_string()), "the deposit is in the obligation's history");

    // getTokenAccountsByOwner, jsonParsed: the wallet's SOL-token balance after the deposit.
    let accounts = rpc
        .get_token_accounts_by_owner(&user.key(), TokenAccountsFilter::Mint(f.keys(SOL).mint))
        .await
        .expect("getTokenAccountsByOwner");
    assert_eq!(accounts.len(), 1);
    let UiAccountData::Json(parsed) = &accounts[0].account.data else { panic!("jsonParsed token account") };
    assert_eq!(parsed.parsed["info"]["tokenAmount"]["amount"], (8 * ONE_SOL).to_string());

    unsubscribe_logs().await;
    unsubscribe_account().await;
    unsubscribe_signature().await;
}
