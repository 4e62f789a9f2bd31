//! In-process transport over solana-program-test's `BanksClient` (the real runtime, no network),
//! for the integration tests and the demo.
//!
//! `BanksClient` has no `getProgramAccounts`. This transport therefore keeps a list of candidate
//! obligation addresses that its owner registers ([`BanksChain::watch`], or
//! [`BanksChain::watch_owners`] with the owners' wallets, from which the obligation PDAs
//! `["obligation", market, owner]` are derived), and `program_accounts` applies the requested
//! filters (owner = Ballast, dataSize, memcmp) to those accounts only. An obligation nobody
//! registered is invisible to it; the RPC transport has no such limit.

use anchor_lang::prelude::{Clock, Pubkey};
use solana_account::Account;
use solana_banks_client::{BanksClient, BanksClientError};
use solana_hash::Hash;
use solana_signature::Signature;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

use crate::chain::{AccountFilter, Chain, TransportError, TxOutcome};

#[derive(Clone)]
pub struct BanksChain {
    client: BanksClient,
    watched: Vec<Pubkey>,
}

fn transport(error: BanksClientError) -> TransportError {
    TransportError::Io(error.to_string())
}

impl BanksChain {
    pub fn new(client: BanksClient) -> BanksChain {
        BanksChain { client, watched: Vec::new() }
    }

    /// Registers obligation (or any program account) addresses for `program_accounts`.
    pub fn watch(&mut self, keys: impl IntoIterator<Item = Pubkey>) {
        for key in keys {
            if !self.watched.contains(&key) {
                self.watched.push(key);
            }
        }
    }

    /// Registers the obligations of `owners` in `market` (their PDAs).
    pub fn watch_owners(&mut self, market: &Pubkey, owners: impl IntoIterator<Item = Pubkey>) {
        let keys: Vec<Pubkey> = owners.into_iter().map(|owner| crate::pda::obligation(market, &owner)).collect();
        self.watch(keys);
    }

    pub fn watched(&self) -> &[Pubkey] {
        &self.watched
    }
}

impl Chain for BanksChain {
    async fn program_accounts(&mut self, filters: &[AccountFilter]) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        let keys = self.watched.clone();
        let accounts = self.accounts(&keys).await?;
        Ok(keys
            .into_iter()
            .zip(accounts)
            .filter_map(|(key, account)| account.map(|a| (key, a)))
            .filter(|(_, account)| account.owner == ballast::ID && filters.iter().all(|f| f.matches(&account.data)))
            .collect())
    }

    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, TransportError> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            out.push(self.client.get_account(*key).await.map_err(transport)?);
        }
        Ok(out)
    }

    async fn latest_blockhash(&mut self) -> Result<Hash, TransportError> {
        self.client.get_latest_blockhash().await.map_err(transport)
    }

    async fn blockhash_valid(&mut self, blockhash: &Hash) -> Result<bool, TransportError> {
        // The bank prices a message only while its blockhash is in the recent-blockhash queue.
        let probe = solana_transaction::Message::new_with_blockhash(&[], None, blockhash);
        Ok(self.client.get_fee_for_message(probe).await.map_err(transport)?.is_some())
    }

    async fn simulate(&mut self, tx: &Transaction) -> Result<TxOutcome, TransportError> {
        let signature = tx.signatures.first().copied().unwrap_or_default();
        let result = self.client.simulate_transaction(tx.clone()).await.map_err(transport)?;
        let (logs, units) = match result.simulation_details {
            Some(d) => (d.logs, Some(d.units_consumed)),
            None => (Vec::new(), None),
        };
        Ok(match result.result {
            Some(Ok(())) => TxOutcome::Succeeded { signature, units, logs },
            Some(Err(error)) => TxOutcome::Failed { signature, error, logs },
            None => return Err(TransportError::Io("simulation returned no result".into())),
        })
    }

    async fn send(&mut self, tx: &Transaction) -> Result<TxOutcome, TransportError> {
        let signature = tx.signatures.first().copied().unwrap_or_default();
        let result = self.client.process_transaction_with_metadata(tx.clone()).await.map_err(transport)?;
        let (logs, units) = match result.metadata {
            Some(m) => (m.log_messages, Some(m.compute_units_consumed)),
            None => (Vec::new(), None),
        };
        Ok(match result.result {
            Ok(()) => TxOutcome::Succeeded { signature, units, logs },
            Err(error) => TxOutcome::Failed { signature, error, logs },
        })
    }

    async fn status(&mut self, signature: &Signature) -> Result<Option<Result<(), TransactionError>>, TransportError> {
        let status = self.client.get_transaction_status(*signature).await.map_err(transport)?;
        Ok(status.map(|s| match s.err {
            None => Ok(()),
            Some(error) => Err(error),
        }))
    }

    async fn now(&mut self) -> Result<i64, TransportError> {
        Ok(self.client.get_sysvar::<Clock>().await.map_err(transport)?.unix_timestamp)
    }
}
