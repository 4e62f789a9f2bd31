//! The transport: everything the bot needs from a Solana node, behind one small trait.

use anchor_lang::prelude::Pubkey;
use solana_account::Account;
use solana_hash::Hash;
use solana_signature::Signature;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

/// A `getProgramAccounts` filter (over the Ballast program's accounts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountFilter {
    /// Account data is exactly this many bytes.
    DataSize(u64),
    /// Account data holds `bytes` at `offset`.
    Memcmp { offset: usize, bytes: Vec<u8> },
}

impl AccountFilter {
    pub fn matches(&self, data: &[u8]) -> bool {
        match self {
            AccountFilter::DataSize(size) => data.len() as u64 == *size,
            AccountFilter::Memcmp { offset, bytes } => {
                data.get(*offset..offset + bytes.len()) == Some(bytes.as_slice())
            }
        }
    }
}

/// The transport failed (network, node, timeout): the request may be retried. A transaction that
/// executed and failed is not a transport error; it is a [`TxOutcome::Failed`].
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("transport: {0}")]
    Io(String),
    #[error("transaction {0} not confirmed in time")]
    Unconfirmed(Signature),
}

/// What a simulated or sent transaction did.
#[derive(Clone, Debug)]
pub enum TxOutcome {
    Succeeded { signature: Signature, units: Option<u64>, logs: Vec<String> },
    Failed { signature: Signature, error: TransactionError, logs: Vec<String> },
}

/// What the bot needs from a node. Both implementations run the same decision code.
#[allow(async_fn_in_trait)]
pub trait Chain {
    /// `getProgramAccounts` over the Ballast program with every filter applied.
    async fn program_accounts(&mut self, filters: &[AccountFilter]) -> Result<Vec<(Pubkey, Account)>, TransportError>;
    /// The accounts at `keys`, in order (`None` where none exists).
    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, TransportError>;
    async fn latest_blockhash(&mut self) -> Result<Hash, TransportError>;
    /// Executes `tx` without committing it.
    async fn simulate(&mut self, tx: &Transaction) -> Result<TxOutcome, TransportError>;
    /// Submits `tx` and waits until it is confirmed (or failed).
    async fn send(&mut self, tx: &Transaction) -> Result<TxOutcome, TransportError>;
    /// The result of an earlier transaction: `None` if the node does not know it (not landed,
    /// or expired), else whether it succeeded.
    async fn status(&mut self, signature: &Signature) -> Result<Option<Result<(), TransactionError>>, TransportError>;
    /// The cluster's clock (`Clock::unix_timestamp`): health and oracle ages are judged by it.
    async fn now(&mut self) -> Result<i64, TransportError>;
}

/// Unix time from a Clock sysvar account's data (`slot, epoch_start_timestamp, epoch,
/// leader_schedule_epoch, unix_timestamp`, all 8 bytes little-endian).
pub fn clock_unix_timestamp(data: &[u8]) -> Option<i64> {
    data.get(32..40).map(|b| i64::from_le_bytes(b.try_into().expect("8 bytes")))
}

/// The Clock sysvar's address.
pub const CLOCK_SYSVAR: Pubkey = Pubkey::from_str_const("SysvarC1ock11111111111111111111111111111111");
