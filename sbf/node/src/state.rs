//! The node's state: the SVM, its clock, and the record of every transaction it processed.

use std::collections::HashMap;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use litesvm::types::{FailedTransactionMetadata, TransactionMetadata};
use litesvm::LiteSVM;
use solana_account::Account;
use solana_clock::Clock;
use solana_hash::Hash;
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;

pub const BALLAST_PROGRAM_ID: &str = "AxKxQ7pR8RKQDTo5BycZbrhA4qz2eDT5Y4gpNLBbW9A";
pub const TOKEN_PROGRAM_ID: Pubkey = solana_pubkey::pubkey!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
pub const TOKEN_2022_PROGRAM_ID: Pubkey = solana_pubkey::pubkey!("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
pub const ATA_PROGRAM_ID: Pubkey = solana_pubkey::pubkey!("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");

/// Blocks a blockhash stays valid for, as on a real cluster (the node does not enforce it).
pub const BLOCKHASH_VALID_BLOCKS: u64 = 150;

/// What the node remembers of a processed transaction.
pub struct Processed {
    pub slot: u64,
    pub block_time: i64,
    pub transaction: Vec<u8>,
    pub result: Result<(), TransactionError>,
    pub meta: TransactionMetadata,
}

pub struct Node {
    pub svm: LiteSVM,
    started: Instant,
    start_unix: i64,
    slot_ms: u64,
    /// Seconds added to wall time by `ballast_warpTime`.
    time_offset_secs: i64,
    /// With a manual clock, unix time moves only by `ballast_warpTime` (exact test timings).
    manual_clock: bool,
    /// Slots added by `ballast_warpSlot`.
    slot_offset: u64,
    slot: u64,
    slot_hashes: Vec<(u64, Hash)>,
    pub genesis_hash: Hash,
    pub processed: HashMap<Signature, Processed>,
    pub transaction_count: u64,
}

pub fn wall_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

impl Node {
    pub fn new(program_id: Pubkey, program: &[u8], slot_ms: u64, manual_clock: bool) -> Result<Node, String> {
        // Every feature on, as the mollusk runner has it: sBPF v3 deployment and execution
        // are not yet in litesvm's mainnet feature list.
        let svm = LiteSVM::default()
            .with_feature_set(agave_feature_set::FeatureSet::all_enabled())
            .with_builtins()
            .with_lamports(1_000_000_000 * 1_000_000_000)
            .with_sysvars()
            .with_feature_accounts()
            .with_default_programs()
            .with_sigverify(true)
            // Wallets take seconds to sign; the node keeps every blockhash it handed out valid
            // (signatures are still de-duplicated through the transaction history).
            .with_blockhash_check(false)
            .with_transaction_history(1_000_000)
            .with_log_bytes_limit(Some(100_000));
        let mut node = Node {
            genesis_hash: svm.latest_blockhash(),
            svm,
            started: Instant::now(),
            start_unix: wall_unix(),
            slot_ms: slot_ms.max(1),
            time_offset_secs: 0,
            manual_clock,
            slot_offset: 0,
            slot: 0,
            slot_hashes: Vec::new(),
            processed: HashMap::new(),
            transaction_count: 0,
        };
        node.tick();
        node.svm.add_program(program_id, program).map_err(|e| format!("{e:?}"))?;
        Ok(node)
    }

    /// Unix time of the node's clock.
    pub fn now(&self) -> i64 {
        let elapsed = if self.manual_clock { 0 } else { self.started.elapsed().as_secs() as i64 };
        self.start_unix + elapsed + self.time_offset_secs
    }

    pub fn slot(&self) -> u64 {
        self.slot
    }

    /// Moves the clock to wall time (plus the warp offset): a new slot every `slot_ms`, each
    /// with a fresh blockhash so identical instructions sent twice get distinct signatures.
    /// The SlotHashes sysvar follows, so address lookup tables can be created.
    pub fn tick(&mut self) {
        let slot = 1 + self.slot_offset + self.started.elapsed().as_millis() as u64 / self.slot_ms;
        let now = self.now();
        let mut clock: Clock = self.svm.get_sysvar();
        if slot != self.slot || clock.unix_timestamp != now {
            if slot != self.slot {
                self.svm.expire_blockhash();
                // Every slot passed gets an entry (newest first), as a bank's would.
                let first = self.slot.max(slot.saturating_sub(solana_slot_hashes::MAX_ENTRIES as u64));
                for passed in first..slot {
                    self.slot_hashes.insert(0, (passed, self.svm.latest_blockhash()));
                }
                self.slot_hashes.truncate(solana_slot_hashes::MAX_ENTRIES);
                self.svm.set_sysvar(&solana_slot_hashes::SlotHashes::new(&self.slot_hashes));
            }
            self.slot = slot;
            clock.slot = slot;
            clock.unix_timestamp = now;
            self.svm.set_sysvar(&clock);
        }
    }

    pub fn warp_slot(&mut self, slots: u64) {
        self.slot_offset += slots;
        self.tick();
    }

    pub fn warp_time(&mut self, secs: i64) {
        self.time_offset_secs += secs;
        self.tick();
    }

    pub fn account(&self, key: &Pubkey) -> Option<Account> {
        self.svm.get_account(key).filter(|a| a.lamports > 0 || !a.data.is_empty())
    }

    /// Runs `tx` and records it. Failed transactions that paid their fee are recorded too,
    /// so `getSignatureStatuses` reports their error.
    pub fn send(
        &mut self,
        raw: Vec<u8>,
        tx: VersionedTransaction,
    ) -> (Signature, Result<(), FailedTransactionMetadata>) {
        let signature = tx.signatures.first().copied().unwrap_or_default();
        let outcome = self.svm.send_transaction(tx);
        let (result, meta) = match &outcome {
            Ok(meta) => (Ok(()), meta.clone()),
            Err(failed) => (Err(failed.err.clone()), failed.meta.clone()),
        };
        // A duplicate is answered with AlreadyProcessed and must not overwrite the original.
        if !matches!(result, Err(TransactionError::AlreadyProcessed)) {
            self.record(signature, raw, result, meta);
        }
        (signature, outcome.map(|_| ()))
    }

    pub fn record(
        &mut self,
        signature: Signature,
        raw: Vec<u8>,
        result: Result<(), TransactionError>,
        meta: TransactionMetadata,
    ) {
        self.transaction_count += 1;
        let processed = Processed { slot: self.slot, block_time: self.now(), transaction: raw, result, meta };
        self.processed.insert(signature, processed);
    }

    pub fn associated_token_address(owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
        Pubkey::find_program_address(&[owner.as_ref(), token_program.as_ref(), mint.as_ref()], &ATA_PROGRAM_ID).0
    }
}
