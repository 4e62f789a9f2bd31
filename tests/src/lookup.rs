//! Transactions over the packet limit: address lookup tables (the real lookup-table program)
//! and v0 transactions, as wallets send an obligation's largest instructions.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;

use crate::env::{TestEnv, TxFailure, TX_COMPUTE_LIMIT};

/// The most bytes a transaction may take on the wire (an IPv6 packet minus headers).
pub const PACKET_DATA_SIZE: usize = 1232;

/// The SlotHashes sysvar (bincode: a u64 count, then (slot, hash) pairs, newest first).
const SLOT_HASHES_SYSVAR: Pubkey = Pubkey::from_str_const("SysvarS1otHashes111111111111111111111111111");

impl TestEnv {
    /// Creates an address lookup table holding `addresses` (the real lookup-table program) and
    /// warps past its activation slot.
    pub async fn create_lookup_table(&mut self, addresses: &[Pubkey]) -> solana_message::AddressLookupTableAccount {
        use solana_address_lookup_table_interface::instruction as alt;
        let payer = self.payer();
        self.warp_slots(2).await;
        // The table's derivation slot must be one the SlotHashes sysvar lists: take its newest.
        let slot_hashes = self.account(&SLOT_HASHES_SYSVAR).await.expect("SlotHashes sysvar").data;
        let recent_slot = u64::from_le_bytes(slot_hashes[8..16].try_into().expect("a SlotHashes entry"));
        let (create, table) = alt::create_lookup_table(payer.pubkey(), payer.pubkey(), recent_slot);
        self.send_ok(&[create], &[]).await;
        for chunk in addresses.chunks(20) {
            self.send_ok(&[alt::extend_lookup_table(table, payer.pubkey(), Some(payer.pubkey()), chunk.to_vec())], &[])
                .await;
        }
        self.warp_slots(2).await;
        solana_message::AddressLookupTableAccount { key: table, addresses: addresses.to_vec() }
    }

    /// Sends `instructions` as one v0 transaction using `table`, asserting it fits in a packet;
    /// returns its size in bytes.
    pub async fn send_v0(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        table: &solana_message::AddressLookupTableAccount,
    ) -> Result<usize, TxFailure> {
        let payer = self.payer();
        let mut all =
            vec![solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_limit(TX_COMPUTE_LIMIT)];
        all.extend_from_slice(instructions);
        let blockhash = self.latest_blockhash(true).await;
        let mut keypairs: Vec<&Keypair> = vec![&payer];
        keypairs.extend(signers.iter().copied().filter(|k| k.pubkey() != payer.pubkey()));
        let tx = self.sign_v0(&all, &keypairs, table, blockhash);
        let size = bincode::serialize(&tx).expect("serialize").len();
        match self.execute(tx).await {
            (Ok(()), _, _) => Ok(size),
            (Err(error), logs, _) => Err(TxFailure { error, logs }),
        }
    }

    /// A v0 transaction of `instructions` with `table`, signed by `keypairs` (the payer first),
    /// checked to fit in a packet.
    pub(crate) fn sign_v0(
        &self,
        instructions: &[Instruction],
        keypairs: &[&Keypair],
        table: &solana_message::AddressLookupTableAccount,
        blockhash: solana_hash::Hash,
    ) -> VersionedTransaction {
        let message = solana_message::v0::Message::try_compile(
            &keypairs[0].pubkey(),
            instructions,
            std::slice::from_ref(table),
            blockhash,
        )
        .expect("compile v0");
        let tx = VersionedTransaction::try_new(solana_message::VersionedMessage::V0(message), keypairs).expect("sign");
        let size = bincode::serialize(&tx).expect("serialize").len();
        assert!(size <= PACKET_DATA_SIZE, "transaction is {size} bytes, over the {PACKET_DATA_SIZE}-byte packet limit");
        tx
    }
}
