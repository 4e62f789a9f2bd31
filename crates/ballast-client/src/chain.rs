//! The transport: everything a client (the liquidator bot, the simulator's snapshot, the
//! migrations) needs from a Solana node, behind one small trait, with two implementations:
//! [`crate::rpc::RpcChain`] (JSON-RPC, feature `rpc`) and [`crate::banks::BanksChain`]
//! (solana-program-test's `BanksClient`, feature `banks`). Also: the `getProgramAccounts` filters
//! that find a market's reserves and obligations, fetching a whole market in one call
//! ([`fetch_market`]), and decoding a failed transaction's Ballast error ([`ballast_error`]).

use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use ballast::errors::BallastError;
use ballast::state::{Obligation, Reserve};
use solana_account::Account;
use solana_hash::Hash;
use solana_instruction::error::InstructionError;
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

/// What a client needs from a node. Both implementations run the same decision code.
#[allow(async_fn_in_trait)]
pub trait Chain {
    /// `getProgramAccounts` over the Ballast program with every filter applied.
    async fn program_accounts(&mut self, filters: &[AccountFilter]) -> Result<Vec<(Pubkey, Account)>, TransportError>;
    /// The accounts at `keys`, in order (`None` where none exists).
    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, TransportError>;
    async fn latest_blockhash(&mut self) -> Result<Hash, TransportError>;
    /// Whether a transaction made with `blockhash` can still land (once it cannot, a transaction
    /// whose status is unknown never will).
    async fn blockhash_valid(&mut self, blockhash: &Hash) -> Result<bool, TransportError>;
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

/// The Ballast error of a failed transaction, if it is one.
pub fn ballast_error(error: &TransactionError) -> Option<BallastError> {
    match error {
        TransactionError::InstructionError(_, InstructionError::Custom(code)) => BallastError::from_code(*code),
        _ => None,
    }
}

/// A failed transaction's error by name: the Ballast error (`ObligationHealthy`, ...) when it is
/// one, else the runtime's error.
pub fn describe_error(error: &TransactionError) -> String {
    match ballast_error(error) {
        Some(e) => e.name(),
        None => format!("{error:?}"),
    }
}

/// Filters for a market's obligations: `dataSize` = `Obligation::SPACE`, the discriminator, and
/// the market key at `Obligation::MARKET_OFFSET` (8).
pub fn obligation_filters(market: &Pubkey) -> Vec<AccountFilter> {
    vec![
        AccountFilter::DataSize(Obligation::SPACE as u64),
        AccountFilter::Memcmp { offset: 0, bytes: Obligation::DISCRIMINATOR.to_vec() },
        AccountFilter::Memcmp { offset: Obligation::MARKET_OFFSET, bytes: market.to_bytes().to_vec() },
    ]
}

/// Filters for `owner`'s obligations in a market: [`obligation_filters`] and the owner key at
/// `Obligation::OWNER_OFFSET` (40).
pub fn owner_obligation_filters(market: &Pubkey, owner: &Pubkey) -> Vec<AccountFilter> {
    let mut filters = obligation_filters(market);
    filters.push(AccountFilter::Memcmp { offset: Obligation::OWNER_OFFSET, bytes: owner.to_bytes().to_vec() });
    filters
}

/// `owner`'s obligations in `market`, decoded, in the order of their numbers (the obligation
/// `init_obligation` opened is number 0).
pub async fn owner_obligations<C: Chain>(
    chain: &mut C,
    market: &Pubkey,
    owner: &Pubkey,
) -> Result<Vec<(Pubkey, Obligation)>, TransportError> {
    let accounts = chain.program_accounts(&owner_obligation_filters(market, owner)).await?;
    let mut obligations: Vec<(Pubkey, Obligation)> = accounts
        .into_iter()
        .filter_map(|(key, account)| crate::accounts::decode_obligation(&account.data).ok().map(|o| (key, o)))
        .collect();
    obligations.sort_by_key(|(_, o)| o.obligation_id);
    Ok(obligations)
}

/// Filters for a market's reserves: `dataSize` = `Reserve::SPACE`, the discriminator, and the
/// market key at offset 8 (`Reserve::market` is its first field).
pub fn reserve_filters(market: &Pubkey) -> Vec<AccountFilter> {
    vec![
        AccountFilter::DataSize(Reserve::SPACE as u64),
        AccountFilter::Memcmp { offset: 0, bytes: Reserve::DISCRIMINATOR.to_vec() },
        AccountFilter::Memcmp { offset: 8, bytes: market.to_bytes().to_vec() },
    ]
}

/// Every account of one market as fetched at one moment: the raw material for the simulator's
/// snapshot (`ballast_sim::snapshot`) and anything else that wants the whole book.
#[derive(Clone, Debug, Default)]
pub struct MarketAccounts {
    /// The cluster's clock when fetched.
    pub now: i64,
    pub market: Pubkey,
    /// The Market account (`None` if absent).
    pub market_account: Option<Account>,
    pub reserves: Vec<(Pubkey, Account)>,
    pub obligations: Vec<(Pubkey, Account)>,
    /// The oracle account each reserve pins, where it exists.
    pub oracles: Vec<(Pubkey, Account)>,
}

/// Fetches a market: its reserves and obligations with one `getProgramAccounts` each
/// ([`reserve_filters`], [`obligation_filters`]), then the Market account and every reserve's
/// pinned oracle with `getMultipleAccounts`, and the clock.
pub async fn fetch_market<C: Chain>(chain: &mut C, market: &Pubkey) -> Result<MarketAccounts, TransportError> {
    let mut reserves = chain.program_accounts(&reserve_filters(market)).await?;
    let mut obligations = chain.program_accounts(&obligation_filters(market)).await?;
    // Node order is arbitrary; sort so that a snapshot is deterministic.
    reserves.sort_by_key(|(key, _)| *key);
    obligations.sort_by_key(|(key, _)| *key);
    let mut keys = vec![*market];
    keys.extend(
        reserves
            .iter()
            .filter_map(|(_, a)| crate::accounts::decode_reserve(&a.data).ok())
            .map(|r| r.oracle.oracle_account),
    );
    let mut fetched = chain.accounts(&keys).await?.into_iter();
    let market_account = fetched.next().flatten();
    let oracles = keys[1..].iter().zip(fetched).filter_map(|(key, account)| account.map(|a| (*key, a))).collect();
    let now = chain.now().await?;
    Ok(MarketAccounts { now, market: *market, market_account, reserves, obligations, oracles })
}
