//! The runtime environment: a bank with Ballast (built natively) and the SPL programs, or, with
//! `BALLAST_TEST_NODE` set, the local JSON-RPC node running the sBPF build (`crate::node`).

use anchor_lang::prelude::{AccountInfo, Clock, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::token::spl_token;
use ballast::errors::BallastError;
use ballast::state::{Obligation, Reserve};
use solana_account::{Account, AccountSharedData};
use solana_keypair::Keypair;
use solana_program_pack::Pack;
use solana_program_test::{processor, ProgramTest, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

use crate::lookup::PACKET_DATA_SIZE;
use crate::node::NodeClient;

/// Anchor's `entry` ties every account to one lifetime; the runtime's builtin signature does not.
/// The accounts outlive the call, so passing them through with the longer lifetime is sound.
fn process_instruction(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    let accounts: &[AccountInfo] = unsafe { std::mem::transmute(accounts) };
    ballast::entry(program_id, accounts, data)
}

/// A test program (native backend only) that calls Ballast by CPI: its first account is
/// Ballast's program, the rest and its instruction data are passed through unchanged.
pub const CPI_FORWARDER_ID: Pubkey = Pubkey::new_from_array([7; 32]);

fn forward_to_ballast(_program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    let metas = accounts[1..]
        .iter()
        .map(|a| anchor_lang::prelude::AccountMeta {
            pubkey: *a.key,
            is_signer: a.is_signer,
            is_writable: a.is_writable,
        })
        .collect();
    let ix = Instruction { program_id: ballast::ID, accounts: metas, data: data.to_vec() };
    anchor_lang::solana_program::program::invoke(&ix, accounts)
}

/// Compute units a transaction may use (the runtime's per-transaction maximum).
pub const TX_COMPUTE_LIMIT: u32 = 1_400_000;
/// Anchor's custom error codes start here.
pub const ANCHOR_ERROR_OFFSET: u32 = 6000;

pub struct TestEnv {
    backend: Backend,
    payer: Keypair,
    /// Makes otherwise identical transactions distinct (the bank rejects exact repeats).
    nonce: u64,
}

enum Backend {
    /// solana-program-test with the program built natively.
    Banks(Box<ProgramTestContext>),
    /// The local node with the sBPF build deployed.
    Node(NodeClient),
}

/// Lamports the node backend gives each environment's payer.
const NODE_PAYER_LAMPORTS: u64 = 1_000_000 * 1_000_000_000;

/// What a failed transaction said.
#[derive(Debug)]
pub struct TxFailure {
    pub error: TransactionError,
    pub logs: Vec<String>,
}

impl TxFailure {
    /// The custom error code of the failing instruction, if any.
    pub fn custom_code(&self) -> Option<u32> {
        match &self.error {
            TransactionError::InstructionError(_, solana_instruction::error::InstructionError::Custom(code)) => {
                Some(*code)
            }
            _ => None,
        }
    }
}

pub fn ballast_code(error: BallastError) -> u32 {
    ANCHOR_ERROR_OFFSET + error as u32
}

impl TestEnv {
    pub async fn start() -> TestEnv {
        let mut env = match NodeClient::from_env() {
            Some(node) => {
                let payer = Keypair::new();
                node.airdrop(&payer.pubkey(), NODE_PAYER_LAMPORTS);
                TestEnv { backend: Backend::Node(node), payer, nonce: 0 }
            }
            None => {
                let mut program_test = ProgramTest::new("ballast", ballast::ID, processor!(process_instruction));
                program_test.prefer_bpf(false);
                program_test.add_program("cpi_forwarder", CPI_FORWARDER_ID, processor!(forward_to_ballast));
                let ctx = program_test.start_with_context().await;
                let payer = ctx.payer.insecure_clone();
                TestEnv { backend: Backend::Banks(Box::new(ctx)), payer, nonce: 0 }
            }
        };
        env.set_unix_time(1_700_000_000).await;
        env
    }

    pub fn payer(&self) -> Keypair {
        self.payer.insecure_clone()
    }

    /// The in-process bank's client (`None` on the node backend).
    pub fn banks_client(&self) -> Option<solana_program_test::BanksClient> {
        match &self.backend {
            Backend::Banks(ctx) => Some(ctx.banks_client.clone()),
            Backend::Node(_) => None,
        }
    }

    /// Wraps a Ballast instruction in a call through [`CPI_FORWARDER_ID`]; `None` on the node
    /// backend, which deploys Ballast alone.
    pub fn through_cpi(&self, ix: &Instruction) -> Option<Instruction> {
        let Backend::Banks(_) = &self.backend else { return None };
        let mut accounts = vec![anchor_lang::prelude::AccountMeta::new_readonly(ballast::ID, false)];
        accounts.extend(ix.accounts.iter().cloned());
        Some(Instruction { program_id: CPI_FORWARDER_ID, accounts, data: ix.data.clone() })
    }

    /// The node's JSON-RPC URL (`None` on the in-process bank).
    pub fn node_url(&self) -> Option<String> {
        match &self.backend {
            Backend::Banks(_) => None,
            Backend::Node(node) => Some(node.url().to_string()),
        }
    }

    /// The bank registers a new blockhash every slot time, so a long run outlives any fixed one.
    /// `fresh` waits for a blockhash no earlier transaction used (the bank rejects exact repeats;
    /// `send` keeps its transactions distinct with a per-transaction priority fee instead, and
    /// must not wait: waiting costs a slot per transaction).
    pub(crate) async fn latest_blockhash(&mut self, fresh: bool) -> solana_hash::Hash {
        match &mut self.backend {
            Backend::Banks(ctx) if fresh => ctx.get_new_latest_blockhash().await.expect("blockhash"),
            Backend::Banks(ctx) => ctx.banks_client.get_latest_blockhash().await.expect("blockhash"),
            Backend::Node(node) => node.latest_blockhash(),
        }
    }

    /// Waits for a blockhash no transaction used yet: time passing between two passes of a bot,
    /// whose transactions may repeat byte for byte (a mark that starts an auction's clock, then
    /// one that stops it).
    pub async fn next_blockhash(&mut self) {
        match &mut self.backend {
            // The bank moves to a new blockhash every slot time (in the background); wait for the
            // one after the latest, whichever client last saw which.
            Backend::Banks(ctx) => {
                let latest = ctx.banks_client.get_latest_blockhash().await.expect("blockhash");
                while ctx.banks_client.get_latest_blockhash().await.expect("blockhash") == latest {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            }
            Backend::Node(_) => {
                self.latest_blockhash(true).await;
            }
        }
    }

    /// Executes a signed transaction; its result, logs, compute units and return data.
    pub(crate) async fn execute(
        &mut self,
        tx: VersionedTransaction,
    ) -> (Result<(), TransactionError>, Vec<String>, u64) {
        match &mut self.backend {
            Backend::Banks(ctx) => {
                let result =
                    ctx.banks_client.process_transaction_with_metadata(tx).await.expect("banks client transport");
                let logs = result.metadata.as_ref().map(|m| m.log_messages.clone()).unwrap_or_default();
                let units = result.metadata.map(|m| m.compute_units_consumed).unwrap_or(0);
                (result.result, logs, units)
            }
            Backend::Node(node) => {
                let landed = node.submit(&bincode::serialize(&tx).expect("serialize"));
                (landed.result, landed.logs, landed.units)
            }
        }
    }

    pub(crate) async fn rent_exempt(&mut self, len: usize) -> u64 {
        match &mut self.backend {
            Backend::Banks(ctx) => ctx.banks_client.get_rent().await.unwrap().minimum_balance(len),
            Backend::Node(node) => node.rent_exempt(len),
        }
    }

    pub(crate) async fn warp_slots(&mut self, slots: u64) {
        match &mut self.backend {
            Backend::Banks(ctx) => {
                let slot = ctx.banks_client.get_sysvar::<Clock>().await.expect("clock").slot;
                ctx.warp_to_slot(slot + slots).expect("warp");
            }
            Backend::Node(node) => node.warp_slots(slots),
        }
    }

    /// Sends `instructions` signed by the payer and `signers`; returns the compute units used.
    pub async fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Result<u64, TxFailure> {
        self.send_logged(instructions, signers).await.map(|(units, _)| units)
    }

    /// As `send`, also returning the transaction's log lines.
    pub async fn send_logged(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<(u64, Vec<String>), TxFailure> {
        self.nonce += 1;
        let mut all = vec![
            solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_limit(TX_COMPUTE_LIMIT),
            // A distinct (tiny) priority fee per transaction keeps repeats distinct.
            solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_price(self.nonce),
        ];
        all.extend_from_slice(instructions);
        let payer = self.payer();
        let mut keypairs: Vec<&Keypair> = vec![&payer];
        keypairs.extend(signers.iter().copied().filter(|k| k.pubkey() != payer.pubkey()));
        let tx = self.signed(&all, &keypairs).await;
        match self.execute(tx).await {
            (Ok(()), logs, units) => Ok((units, logs)),
            (Err(error), logs, _) => Err(TxFailure { error, logs }),
        }
    }

    /// `instructions` signed by `keypairs` (the payer first). As a wallet does, a legacy
    /// transaction over the packet limit (a borrow or health read naming every position of a full
    /// obligation) goes as v0 with its other accounts in a lookup table.
    async fn signed(&mut self, instructions: &[Instruction], keypairs: &[&Keypair]) -> VersionedTransaction {
        let blockhash = self.latest_blockhash(false).await;
        let tx = Transaction::new_signed_with_payer(instructions, Some(&keypairs[0].pubkey()), keypairs, blockhash);
        if bincode::serialized_size(&tx).expect("size") as usize <= PACKET_DATA_SIZE {
            return tx.into();
        }
        let signer_keys: Vec<Pubkey> = keypairs.iter().map(|k| k.pubkey()).collect();
        let mut table_keys: Vec<Pubkey> = Vec::new();
        for key in instructions.iter().flat_map(|ix| ix.accounts.iter().map(|m| m.pubkey).chain([ix.program_id])) {
            if !signer_keys.contains(&key) && !table_keys.contains(&key) {
                table_keys.push(key);
            }
        }
        // Boxed: creating the table sends transactions through `send`, which signs here.
        let table = Box::pin(self.create_lookup_table(&table_keys)).await;
        let blockhash = self.latest_blockhash(true).await;
        self.sign_v0(instructions, keypairs, &table, blockhash)
    }

    /// Sends `instructions` and returns the program's return data.
    pub async fn return_data(&mut self, instructions: &[Instruction]) -> Option<Vec<u8>> {
        self.nonce += 1;
        let payer = self.payer();
        let mut all =
            vec![solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_price(self.nonce)];
        all.extend_from_slice(instructions);
        let tx = self.signed(&all, &[&payer]).await;
        match &mut self.backend {
            Backend::Banks(ctx) => {
                let result =
                    ctx.banks_client.process_transaction_with_metadata(tx).await.expect("banks client transport");
                if let Err(error) = result.result {
                    panic!("read-only transaction failed: {error:?}");
                }
                result.metadata.and_then(|m| m.return_data).map(|r| r.data)
            }
            Backend::Node(node) => node
                .simulate_return_data(&bincode::serialize(&tx).expect("serialize"))
                .unwrap_or_else(|(error, logs)| panic!("read-only transaction failed: {error}\n{}", logs.join("\n"))),
        }
    }

    /// Sends and panics with the logs on failure.
    pub async fn send_ok(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> u64 {
        match self.send(instructions, signers).await {
            Ok(units) => units,
            Err(failure) => panic!("transaction failed: {:?}\n{}", failure.error, failure.logs.join("\n")),
        }
    }

    pub async fn account(&mut self, key: &Pubkey) -> Option<Account> {
        match &mut self.backend {
            Backend::Banks(ctx) => ctx.banks_client.get_account(*key).await.expect("get_account"),
            Backend::Node(node) => node.account(key),
        }
    }

    pub fn set_account(&mut self, key: &Pubkey, account: Account) {
        match &mut self.backend {
            Backend::Banks(ctx) => ctx.set_account(key, &AccountSharedData::from(account)),
            Backend::Node(node) => node.set_account(key, &account),
        }
    }

    pub async fn clock(&mut self) -> Clock {
        match &mut self.backend {
            Backend::Banks(ctx) => ctx.banks_client.get_sysvar::<Clock>().await.expect("clock"),
            Backend::Node(node) => node.clock(),
        }
    }

    pub async fn set_unix_time(&mut self, unix_timestamp: i64) {
        let clock = Clock { unix_timestamp, ..self.clock().await };
        match &mut self.backend {
            Backend::Banks(ctx) => ctx.set_sysvar(&clock),
            Backend::Node(node) => node.warp_time(unix_timestamp - node.clock().unix_timestamp),
        }
    }

    pub async fn advance_time(&mut self, seconds: i64) {
        let now = self.clock().await.unix_timestamp;
        self.set_unix_time(now + seconds).await;
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    pub async fn new_funded_keypair(&mut self) -> Keypair {
        let keypair = Keypair::new();
        let ix =
            solana_system_interface::instruction::transfer(&self.payer().pubkey(), &keypair.pubkey(), 10_000_000_000);
        self.send_ok(&[ix], &[]).await;
        keypair
    }

    /// A new SPL Token mint (the real SPL Token program) with the payer as mint authority.
    pub async fn create_mint(&mut self, decimals: u8) -> Pubkey {
        let mint = Keypair::new();
        let payer = self.payer().pubkey();
        let rent = self.rent_exempt(spl_token::state::Mint::LEN).await;
        let ixs = [
            solana_system_interface::instruction::create_account(
                &payer,
                &mint.pubkey(),
                rent,
                spl_token::state::Mint::LEN as u64,
                &spl_token::ID,
            ),
            spl_token::instruction::initialize_mint2(&spl_token::ID, &mint.pubkey(), &payer, None, decimals).unwrap(),
        ];
        self.send_ok(&ixs, &[&mint]).await;
        mint.pubkey()
    }

    /// A new token account for `owner`, under whichever token program owns `mint`.
    pub async fn create_token_account(&mut self, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
        if self.account(mint).await.expect("mint exists").owner == anchor_spl::token_2022::ID {
            return self.create_token_account_2022(mint, owner).await;
        }
        let account = Keypair::new();
        let payer = self.payer().pubkey();
        let len = spl_token::state::Account::LEN;
        let rent = self.rent_exempt(len).await;
        let ixs = [
            solana_system_interface::instruction::create_account(
                &payer,
                &account.pubkey(),
                rent,
                len as u64,
                &spl_token::ID,
            ),
            spl_token::instruction::initialize_account3(&spl_token::ID, &account.pubkey(), mint, owner).unwrap(),
        ];
        self.send_ok(&ixs, &[&account]).await;
        account.pubkey()
    }

    pub async fn mint_to(&mut self, mint: &Pubkey, account: &Pubkey, amount: u64) {
        if self.account(mint).await.expect("mint exists").owner == anchor_spl::token_2022::ID {
            return self.mint_to_2022(mint, account, amount).await;
        }
        let payer = self.payer().pubkey();
        let ix = spl_token::instruction::mint_to(&spl_token::ID, mint, account, &payer, &[], amount).unwrap();
        self.send_ok(&[ix], &[]).await;
    }

    pub async fn token_balance(&mut self, account: &Pubkey) -> u64 {
        let data = self.account(account).await.expect("token account exists").data;
        // Token-2022 accounts share SPL Token's first 165 bytes; extensions follow them.
        spl_token::state::Account::unpack(&data[..spl_token::state::Account::LEN]).expect("token account").amount
    }

    pub async fn reserve(&mut self, key: &Pubkey) -> Reserve {
        ballast_client::accounts::decode_reserve(&self.account(key).await.expect("reserve exists").data).unwrap()
    }

    /// Overwrites a reserve's stored state (a state no instruction reaches within a test, such
    /// as years of interest).
    pub async fn set_reserve(&mut self, key: &Pubkey, reserve: &Reserve) {
        let mut account = self.account(key).await.expect("reserve exists");
        account.data[8..].copy_from_slice(bytemuck::bytes_of(reserve));
        self.set_account(key, account);
    }

    pub async fn obligation(&mut self, key: &Pubkey) -> Obligation {
        ballast_client::accounts::decode_obligation(&self.account(key).await.expect("obligation exists").data).unwrap()
    }

    /// Raw copies of `keys`, for checking that a failed instruction changed nothing.
    pub async fn snapshot(&mut self, keys: &[Pubkey]) -> Vec<Option<Account>> {
        let mut accounts = Vec::with_capacity(keys.len());
        for key in keys {
            accounts.push(self.account(key).await);
        }
        accounts
    }

    /// Sends `instructions`, asserts it fails, and that none of `watched` changed.
    pub async fn assert_fails(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        watched: &[Pubkey],
    ) -> TxFailure {
        let before = self.snapshot(watched).await;
        let failure = match self.send(instructions, signers).await {
            Ok(_) => panic!("expected the transaction to fail, but it succeeded"),
            Err(failure) => failure,
        };
        let after = self.snapshot(watched).await;
        for ((key, a), b) in watched.iter().zip(before).zip(after) {
            assert_eq!(a, b, "account {key} changed although the transaction failed");
        }
        failure
    }

    /// Sends `instructions`, asserts it fails with custom error `expected`, and that none of
    /// `watched` changed.
    pub async fn assert_rejected(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        expected: u32,
        watched: &[Pubkey],
    ) {
        let failure = self.assert_fails(instructions, signers, watched).await;
        let name = |code: Option<u32>| code.and_then(BallastError::from_code).map(|e| e.name());
        assert_eq!(
            failure.custom_code(),
            Some(expected),
            "wrong error: got {:?} ({:?}), expected {:?}\n{}",
            failure.error,
            name(failure.custom_code()),
            name(Some(expected)),
            failure.logs.join("\n")
        );
    }

    /// As `assert_rejected`, for a named Ballast error.
    pub async fn assert_ballast_error(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
        expected: BallastError,
        watched: &[Pubkey],
    ) {
        self.assert_rejected(instructions, signers, ballast_code(expected), watched).await
    }
}

/// The Ballast events of type `E` in a transaction's logs, in order: the data lines Ballast
/// logged itself, called directly or by CPI (`ballast_client::events`, the indexer's rule too).
/// Panics on an event of type `E` whose body does not decode.
pub fn events<E: anchor_lang::Event + anchor_lang::AnchorDeserialize + anchor_lang::Discriminator>(
    logs: &[String],
) -> Vec<E> {
    ballast_client::events::try_events(logs, &ballast::ID).into_iter().map(|e| e.expect("event decodes")).collect()
}
