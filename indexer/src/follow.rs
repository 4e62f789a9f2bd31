//! Following the program: a websocket `logsSubscribe` (transactions mentioning the program id)
//! plus a backfill over `getSignaturesForAddress`, paging back (`before`) to the last stored
//! signature, each transaction then read with `getTransaction`.
//!
//! A session subscribes first and backfills second, so a transaction landing in between is in the
//! subscription's queue; live notices for signatures already stored are skipped. When the
//! websocket closes (a node restart, a network cut) the session ends and the next one starts with
//! a new backfill, which closes the gap. Writes are idempotent (see `store`), so stopping anywhere
//! and starting again from the same database neither loses nor duplicates an event.

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Context, Result};
use futures_util::StreamExt;
use solana_commitment_config::CommitmentConfig;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client::rpc_client::GetConfirmedSignaturesForAddress2Config;
use solana_rpc_client_api::config::{RpcTransactionConfig, RpcTransactionLogsConfig, RpcTransactionLogsFilter};
use solana_signature::Signature;
use solana_transaction_status_client_types::UiTransactionEncoding;
use tokio::sync::watch;
use tracing::{info, warn};

use crate::decode::decode_logs;
use crate::store::{Store, TxRecord};

/// Signatures per `getSignaturesForAddress` page (the RPC's maximum).
const PAGE: usize = 1000;
/// How many of the newest signatures a poll also re-reads, whatever the resume point: a live
/// notice the websocket lost (while a later one arrived) is stored there, late but not lost.
const POLL_WINDOW: usize = 100;
/// How long a live notice's transaction may take to be readable with `getTransaction`.
const FETCH_ATTEMPTS: u32 = 50;
const FETCH_PAUSE: Duration = Duration::from_millis(100);
/// How often a live session also polls `getSignaturesForAddress` (a safety net for a missed or
/// late notice: a node whose clock is paused sends confirmed notices only when its slot moves).
const POLL: Duration = Duration::from_secs(2);
/// Pause before reconnecting after a closed websocket or a failed session.
const RECONNECT_PAUSE: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct FollowConfig {
    pub rpc_url: String,
    pub ws_url: String,
    pub program_id: Pubkey,
}

impl FollowConfig {
    /// Follows `program_id` at `rpc_url`, with the websocket at `ws_url` or, when `None`, at
    /// [`default_ws_url`].
    pub fn new(rpc_url: &str, ws_url: Option<&str>, program_id: Pubkey) -> Result<FollowConfig> {
        let ws_url = match ws_url {
            Some(url) => url.to_string(),
            None => default_ws_url(rpc_url)?,
        };
        Ok(FollowConfig { rpc_url: rpc_url.to_string(), ws_url, program_id })
    }
}

/// A cluster's websocket URL for its JSON-RPC URL: `ws`/`wss` for `http`/`https`, the port plus
/// one (`http://127.0.0.1:8899` -> `ws://127.0.0.1:8900`); a URL without a port keeps none.
pub fn default_ws_url(rpc_url: &str) -> Result<String> {
    let (scheme, rest) = rpc_url.split_once("://").ok_or_else(|| anyhow!("{rpc_url}: no scheme"))?;
    let scheme = if scheme == "https" { "wss" } else { "ws" };
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    let authority = match authority.rsplit_once(':') {
        Some((host, port)) if !authority.ends_with(']') => {
            let port: u16 = port.parse().with_context(|| format!("{rpc_url}: port"))?;
            format!("{host}:{}", port.checked_add(1).ok_or_else(|| anyhow!("{rpc_url}: port"))?)
        }
        _ => authority.to_string(),
    };
    Ok(if path.is_empty() { format!("{scheme}://{authority}") } else { format!("{scheme}://{authority}/{path}") })
}

fn commitment() -> CommitmentConfig {
    CommitmentConfig::confirmed()
}

/// Reads one transaction (JSON encoding, v0 supported, confirmed) and decodes its events.
pub async fn fetch_transaction(rpc: &RpcClient, signature: &str, program_id: &Pubkey) -> Result<TxRecord> {
    let parsed = Signature::from_str(signature).with_context(|| format!("signature {signature}"))?;
    let config = RpcTransactionConfig {
        encoding: Some(UiTransactionEncoding::Json),
        commitment: Some(commitment()),
        max_supported_transaction_version: Some(0),
    };
    let landed = rpc.get_transaction_with_config(&parsed, config).await?;
    let meta = landed.transaction.meta.ok_or_else(|| anyhow!("{signature}: no status meta"))?;
    let failed = meta.err.is_some();
    let logs: Vec<String> = Option::from(meta.log_messages).unwrap_or_default();
    let events = if failed { Vec::new() } else { decode_logs(&logs, program_id) };
    Ok(TxRecord { signature: signature.to_string(), slot: landed.slot, block_time: landed.block_time, failed, events })
}

/// Stores one transaction, logging what it held; `true` when it was new.
async fn store_logged(store: &Store, record: &TxRecord) -> Result<bool> {
    let new = store.record(record).await?;
    if new && !record.events.is_empty() {
        let names: Vec<&str> = record.events.iter().map(|e| e.name).collect();
        info!(signature = %record.signature, slot = record.slot, "stored {} events: {}", names.len(), names.join(", "));
    }
    Ok(new)
}

/// Pages `getSignaturesForAddress(program)` back from the newest to the resume point and stores
/// every transaction not stored yet, oldest first (so a stop part-way resumes correctly); with
/// `window`, reads only that many of the newest signatures instead, whatever the resume point.
/// Returns how many transactions it stored, or `None` when told to stop.
pub async fn backfill(
    rpc: &RpcClient,
    store: &Store,
    program_id: &Pubkey,
    shutdown: &watch::Receiver<bool>,
    window: Option<usize>,
) -> Result<Option<usize>> {
    let resume = if window.is_some() { None } else { store.resume_point().await? };
    let until = resume.as_deref().map(Signature::from_str).transpose().context("stored resume signature")?;
    let mut pending = Vec::new();
    let mut seen = HashSet::new();
    let mut before = None;
    'pages: loop {
        let config = GetConfirmedSignaturesForAddress2Config {
            before,
            until,
            limit: Some(window.unwrap_or(PAGE)),
            commitment: Some(commitment()),
        };
        let page = rpc.get_signatures_for_address_with_config(program_id, config).await?;
        let Some(last) = page.last() else { break };
        before = Some(Signature::from_str(&last.signature)?);
        let mut fresh = false;
        for status in page {
            // A node that ignores `until` still stops here.
            if Some(&status.signature) == resume.as_ref() {
                break 'pages;
            }
            if seen.insert(status.signature.clone()) {
                fresh = true;
                pending.push(status);
            }
        }
        // A node that ignores `before` repeats its page: nothing older to read.
        if !fresh || window.is_some() {
            break;
        }
    }
    // Oldest first: the node lists newest first; by slot in case a node does not.
    pending.reverse();
    pending.sort_by_key(|status| status.slot);
    let mut stored = 0;
    for status in pending {
        if *shutdown.borrow() {
            return Ok(None);
        }
        if store.has_transaction(&status.signature).await? {
            continue;
        }
        let record = if status.err.is_some() {
            TxRecord {
                signature: status.signature,
                slot: status.slot,
                block_time: status.block_time,
                failed: true,
                events: Vec::new(),
            }
        } else {
            fetch_transaction(rpc, &status.signature, program_id).await?
        };
        if store_logged(store, &record).await? {
            stored += 1;
        }
    }
    Ok(Some(stored))
}

/// A live notice: skipped when stored, else read with `getTransaction` (for its block time) and
/// stored; if the node cannot return it in time, the notice's own logs are stored.
async fn live_notice(
    rpc: &RpcClient,
    store: &Store,
    program_id: &Pubkey,
    slot: u64,
    notice: solana_rpc_client_api::response::RpcLogsResponse,
) -> Result<()> {
    if store.has_transaction(&notice.signature).await? {
        return Ok(());
    }
    let failed = notice.err.is_some();
    let attempts = if failed { 0 } else { FETCH_ATTEMPTS };
    let mut record = None;
    for _ in 0..attempts {
        match fetch_transaction(rpc, &notice.signature, program_id).await {
            Ok(found) => {
                record = Some(found);
                break;
            }
            Err(_) => tokio::time::sleep(FETCH_PAUSE).await,
        }
    }
    let record = record.unwrap_or_else(|| {
        if !failed {
            warn!(signature = %notice.signature, "getTransaction did not answer; storing the notice's logs");
        }
        let events = if failed { Vec::new() } else { decode_logs(&notice.logs, program_id) };
        TxRecord { signature: notice.signature.clone(), slot, block_time: None, failed, events }
    });
    store_logged(store, &record).await?;
    Ok(())
}

/// One session: subscribe, backfill, then live until the websocket closes (`Ok(true)`) or
/// `shutdown` says stop (`Ok(false)`).
async fn session(
    config: &FollowConfig,
    rpc: &RpcClient,
    store: &Store,
    shutdown: &mut watch::Receiver<bool>,
) -> Result<bool> {
    let pubsub =
        PubsubClient::new(config.ws_url.as_str()).await.with_context(|| format!("websocket {}", config.ws_url))?;
    let filter = RpcTransactionLogsFilter::Mentions(vec![config.program_id.to_string()]);
    let (mut notices, _unsubscribe) = pubsub
        .logs_subscribe(filter, RpcTransactionLogsConfig { commitment: Some(commitment()) })
        .await
        .context("logsSubscribe")?;
    let Some(backfilled) = backfill(rpc, store, &config.program_id, shutdown, None).await? else { return Ok(false) };
    let status = store.status().await?;
    info!("backfilled {backfilled} transactions; {} events stored in all; live", status.events);
    let mut poll = tokio::time::interval(POLL);
    poll.reset();
    loop {
        tokio::select! {
            _ = shutdown.changed() => return Ok(false),
            notice = notices.next() => match notice {
                None => {
                    warn!("websocket closed; reconnecting and backfilling the gap");
                    return Ok(true);
                }
                Some(notice) => live_notice(rpc, store, &config.program_id, notice.context.slot, notice.value).await?,
            },
            _ = poll.tick() => {
                let program = &config.program_id;
                let (Some(since), Some(recent)) = (
                    backfill(rpc, store, program, shutdown, None).await?,
                    backfill(rpc, store, program, shutdown, Some(POLL_WINDOW)).await?,
                ) else {
                    return Ok(false);
                };
                if since + recent > 0 {
                    info!("polled: stored {} transactions the websocket had not announced", since + recent);
                }
            }
        }
    }
}

/// Follows the program and stores its events until `shutdown` turns true. Errors (the node
/// down, a dropped websocket) are logged and retried with a new session and a new backfill.
pub async fn run(config: FollowConfig, store: Store, mut shutdown: watch::Receiver<bool>) -> Result<()> {
    let rpc = RpcClient::new_with_commitment(config.rpc_url.clone(), commitment());
    info!(rpc = %config.rpc_url, ws = %config.ws_url, program = %config.program_id, backend = store.backend(), "following");
    while !*shutdown.borrow() {
        match session(&config, &rpc, &store, &mut shutdown).await {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => warn!("{error:#}; retrying"),
        }
        tokio::select! {
            _ = shutdown.changed() => {}
            _ = tokio::time::sleep(RECONNECT_PAUSE) => {}
        }
    }
    info!("stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websocket_url_is_the_next_port() {
        assert_eq!(default_ws_url("http://127.0.0.1:8899").unwrap(), "ws://127.0.0.1:8900");
        assert_eq!(default_ws_url("http://127.0.0.1:8941/").unwrap(), "ws://127.0.0.1:8942");
        assert_eq!(default_ws_url("https://rpc.example.com").unwrap(), "wss://rpc.example.com");
        assert_eq!(default_ws_url("https://rpc.example.com:443/key").unwrap(), "wss://rpc.example.com:444/key");
        assert_eq!(default_ws_url("http://[::1]:8899").unwrap(), "ws://[::1]:8900");
        assert!(default_ws_url("127.0.0.1:8899").is_err());
    }
}
