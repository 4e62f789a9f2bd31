//! Production transport: Solana JSON-RPC over HTTP (`solana-rpc-client` 3.x, nonblocking).
//!
//! Obligations are found with one `getProgramAccounts` call (memcmp on the market key at
//! `Obligation::MARKET_OFFSET`, `dataSize` = `Obligation::SPACE`); everything else with
//! `getMultipleAccounts` in chunks of 100. No websockets: transactions are confirmed by polling
//! `getSignatureStatuses`, so a node that serves only HTTP JSON-RPC is enough.

use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use solana_account::Account;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_commitment_config::CommitmentConfig;
use solana_hash::Hash;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::Error as ClientError;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSendTransactionConfig, RpcSimulateTransactionConfig,
};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_signature::Signature;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

use crate::chain::{clock_unix_timestamp, AccountFilter, Chain, TransportError, TxOutcome, CLOCK_SYSVAR};

/// `getMultipleAccounts` takes at most this many keys.
const MAX_MULTIPLE_ACCOUNTS: usize = 100;

pub struct RpcChain {
    client: RpcClient,
    commitment: CommitmentConfig,
    /// How long `send` waits for confirmation before giving up (the transaction may still land;
    /// the next scan sees the result).
    confirm_timeout: Duration,
}

fn transport(error: ClientError) -> TransportError {
    TransportError::Io(error.to_string())
}

impl RpcChain {
    pub fn new(url: &str, commitment: CommitmentConfig, confirm_timeout: Duration) -> RpcChain {
        RpcChain { client: RpcClient::new_with_commitment(url.to_string(), commitment), commitment, confirm_timeout }
    }

    /// The underlying client, for requests outside [`Chain`] (airdrops, custom methods).
    pub fn client(&self) -> &RpcClient {
        &self.client
    }

    pub fn commitment(&self) -> CommitmentConfig {
        self.commitment
    }

    /// Polls `getSignatureStatuses` until `signature` reaches the commitment or fails.
    pub async fn confirm(&self, signature: Signature) -> Result<TxOutcome, TransportError> {
        let started = Instant::now();
        while started.elapsed() < self.confirm_timeout {
            let statuses = self.client.get_signature_statuses(&[signature]).await.map_err(transport)?.value;
            if let Some(Some(status)) = statuses.first() {
                if let Some(error) = &status.err {
                    return Ok(TxOutcome::Failed { signature, error: error.clone(), logs: Vec::new() });
                }
                if status.satisfies_commitment(self.commitment) {
                    return Ok(TxOutcome::Succeeded { signature, units: None, logs: Vec::new() });
                }
            }
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        Err(TransportError::Unconfirmed(signature))
    }
}

impl Chain for RpcChain {
    async fn program_accounts(&mut self, filters: &[AccountFilter]) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        let filters = filters
            .iter()
            .map(|f| match f {
                AccountFilter::DataSize(size) => RpcFilterType::DataSize(*size),
                AccountFilter::Memcmp { offset, bytes } => {
                    RpcFilterType::Memcmp(Memcmp::new_base58_encoded(*offset, bytes))
                }
            })
            .collect();
        let config = RpcProgramAccountsConfig {
            filters: Some(filters),
            account_config: RpcAccountInfoConfig {
                encoding: Some(UiAccountEncoding::Base64),
                commitment: Some(self.commitment),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        let accounts =
            self.client.get_program_ui_accounts_with_config(&ballast::ID, config).await.map_err(transport)?;
        accounts
            .into_iter()
            .map(|(key, ui)| {
                ui.decode::<Account>()
                    .map(|a| (key, a))
                    .ok_or_else(|| TransportError::Io(format!("undecodable account {key}")))
            })
            .collect()
    }

    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, TransportError> {
        let mut out = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(MAX_MULTIPLE_ACCOUNTS) {
            let accounts = self
                .client
                .get_multiple_accounts_with_commitment(chunk, self.commitment)
                .await
                .map_err(transport)?
                .value;
            out.extend(accounts);
        }
        Ok(out)
    }

    async fn latest_blockhash(&mut self) -> Result<Hash, TransportError> {
        self.client.get_latest_blockhash().await.map_err(transport)
    }

    async fn blockhash_valid(&mut self, blockhash: &Hash) -> Result<bool, TransportError> {
        self.client.is_blockhash_valid(blockhash, self.commitment).await.map_err(transport)
    }

    async fn simulate(&mut self, tx: &Transaction) -> Result<TxOutcome, TransportError> {
        let config =
            RpcSimulateTransactionConfig { sig_verify: false, commitment: Some(self.commitment), ..Default::default() };
        let result = self.client.simulate_transaction_with_config(tx, config).await.map_err(transport)?.value;
        let signature = tx.signatures.first().copied().unwrap_or_default();
        let logs = result.logs.unwrap_or_default();
        Ok(match result.err {
            None => TxOutcome::Succeeded { signature, units: result.units_consumed, logs },
            Some(error) => TxOutcome::Failed { signature, error: error.into(), logs },
        })
    }

    async fn send(&mut self, tx: &Transaction) -> Result<TxOutcome, TransportError> {
        // Callers simulate first (for the logs): skip the node's preflight (it would simulate again).
        let config = RpcSendTransactionConfig { skip_preflight: true, max_retries: Some(5), ..Default::default() };
        let signature = match self.client.send_transaction_with_config(tx, config).await {
            Ok(signature) => signature,
            Err(error) => {
                let signature = tx.signatures.first().copied().unwrap_or_default();
                return match error.get_transaction_error() {
                    Some(error) => Ok(TxOutcome::Failed { signature, error, logs: Vec::new() }),
                    None => Err(transport(error)),
                };
            }
        };
        self.confirm(signature).await
    }

    async fn status(&mut self, signature: &Signature) -> Result<Option<Result<(), TransactionError>>, TransportError> {
        let statuses = self.client.get_signature_statuses(&[*signature]).await.map_err(transport)?.value;
        Ok(statuses.into_iter().next().flatten().map(|s| match s.err {
            None => Ok(()),
            Some(error) => Err(error),
        }))
    }

    async fn now(&mut self) -> Result<i64, TransportError> {
        let clock = self.client.get_account_with_commitment(&CLOCK_SYSVAR, self.commitment).await.map_err(transport)?;
        clock
            .value
            .and_then(|account| clock_unix_timestamp(&account.data))
            .ok_or_else(|| TransportError::Io("clock sysvar missing".into()))
    }
}
