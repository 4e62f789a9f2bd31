//! `ballast-migrate bootstrap` on the runtime: the migrations' own step sequence
//! (`ballast_migrations::bootstrap`, generic over `LocalNode`) bootstraps
//! `migrations/local-market.toml` on solana-program-test, and every reserve's on-chain config
//! equals the file's (risk parameters, risk controls, curve, oracle limits, decimals, price). A
//! re-run changes nothing, an edited file is applied with `update_reserve_config`, and the
//! bootstrapped market works: `fund`, `set-price`, deposit and borrow.

use anchor_lang::prelude::Pubkey;
use ballast_client::banks::BanksChain;
use ballast_client::chain::{AccountFilter, Chain, TransportError, TxOutcome};
use ballast_client::instructions as ix;
use ballast_client::rpc::RpcChain;
use ballast_engine::ReserveState as _;
use ballast_migrations::bootstrap::{submit, ui_amount};
use ballast_migrations::{bootstrap, fund, set_price, Deployment, LocalNode, Options};
use ballast_sim::config::MarketFile;
use ballast_tests::TestEnv;
use solana_account::Account;
use solana_keypair::Keypair;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;

const LOCAL_MARKET: &str = include_str!("../../../migrations/local-market.toml");

/// The suite's environment as a `LocalNode`: on solana-program-test the bank through
/// `BanksChain`; with `BALLAST_TEST_NODE` the local node through `RpcChain` (the transport
/// `ballast-migrate` itself uses). Airdrops are transfers from the test payer; `set_account` is
/// the environment's (the bank, or the validator's `surfnet_setAccount`).
struct TestNode {
    env: TestEnv,
    transport: Transport,
}

enum Transport {
    Banks(BanksChain),
    Rpc(RpcChain),
}

impl TestNode {
    async fn start() -> TestNode {
        let env = TestEnv::start().await;
        let transport = match (env.banks_client(), env.node_url()) {
            (Some(client), _) => Transport::Banks(BanksChain::new(client)),
            (None, Some(url)) => Transport::Rpc(RpcChain::new(
                &url,
                solana_commitment_config::CommitmentConfig::confirmed(),
                std::time::Duration::from_secs(30),
            )),
            (None, None) => unreachable!("the environment is a bank or a node"),
        };
        TestNode { env, transport }
    }
}

macro_rules! delegate {
    ($self:ident, $chain:ident => $call:expr) => {
        match &mut $self.transport {
            Transport::Banks($chain) => $call.await,
            Transport::Rpc($chain) => $call.await,
        }
    };
}

impl Chain for TestNode {
    async fn program_accounts(&mut self, filters: &[AccountFilter]) -> Result<Vec<(Pubkey, Account)>, TransportError> {
        delegate!(self, c => c.program_accounts(filters))
    }
    async fn accounts(&mut self, keys: &[Pubkey]) -> Result<Vec<Option<Account>>, TransportError> {
        delegate!(self, c => c.accounts(keys))
    }
    async fn latest_blockhash(&mut self) -> Result<solana_hash::Hash, TransportError> {
        delegate!(self, c => c.latest_blockhash())
    }
    async fn blockhash_valid(&mut self, blockhash: &solana_hash::Hash) -> Result<bool, TransportError> {
        delegate!(self, c => c.blockhash_valid(blockhash))
    }
    async fn simulate(&mut self, tx: &Transaction) -> Result<TxOutcome, TransportError> {
        delegate!(self, c => c.simulate(tx))
    }
    async fn send(&mut self, tx: &Transaction) -> Result<TxOutcome, TransportError> {
        delegate!(self, c => c.send(tx))
    }
    async fn status(&mut self, signature: &Signature) -> Result<Option<Result<(), TransactionError>>, TransportError> {
        delegate!(self, c => c.status(signature))
    }
    async fn now(&mut self) -> Result<i64, TransportError> {
        delegate!(self, c => c.now())
    }
}

impl LocalNode for TestNode {
    async fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), TransportError> {
        let payer = self.env.payer();
        let transfer = solana_system_interface::instruction::transfer(&payer.pubkey(), to, lamports);
        self.env.send(&[transfer], &[]).await.map(|_| ()).map_err(|f| TransportError::Io(format!("{:?}", f.error)))
    }
    async fn set_account(&mut self, key: &Pubkey, account: Account) -> Result<(), TransportError> {
        self.env.set_account(key, account);
        Ok(())
    }
    async fn minimum_balance(&mut self, len: usize) -> Result<u64, TransportError> {
        match &mut self.transport {
            Transport::Banks(_) => {
                let client = self.env.banks_client().expect("bank");
                let rent = client.get_rent().await.map_err(|e| TransportError::Io(e.to_string()))?;
                Ok(rent.minimum_balance(len))
            }
            Transport::Rpc(chain) => chain.minimum_balance(len).await,
        }
    }
}

async fn run(
    node: &mut TestNode,
    file: &MarketFile,
    authority: &Keypair,
    market: &Keypair,
    previous: Option<&Deployment>,
) -> Deployment {
    let mut checkpoints = 0;
    let mut save = |_: &Deployment| {
        checkpoints += 1;
        Ok(())
    };
    let deployment = bootstrap(node, file, authority, market, previous, &Options::default(), &mut save)
        .await
        .unwrap_or_else(|e| panic!("bootstrap failed: {e:#}"));
    assert_eq!(checkpoints, file.reserves.len() + 2, "a checkpoint after the market, each reserve and the end");
    deployment
}

/// Every reserve of `deployment` holds `file`'s config.
async fn assert_matches_file(node: &mut TestNode, file: &MarketFile, deployment: &Deployment) {
    let validated = file.validate().unwrap();
    let market_key = deployment.market_key().unwrap();
    let market = ballast_client::accounts::decode_market(&node.env.account(&market_key).await.unwrap().data).unwrap();
    assert_eq!(market.liquidation_config(), validated.liquidation);
    assert_eq!(market.max_pause_secs, file.market.max_pause_secs);
    assert_eq!(&market.quote_currency[..3], b"USD");
    assert_eq!(market.authority.to_string(), deployment.authority);
    assert_eq!(market.reserve_count as usize, file.reserves.len());
    assert_eq!(deployment.reserves.len(), file.reserves.len());
    let now = node.env.now().await;
    for (spec, entry) in validated.reserves.iter().zip(&deployment.reserves) {
        assert_eq!(entry.symbol, spec.symbol);
        let keys = entry.keys(&market_key).unwrap();
        assert_eq!(keys.reserve, ballast_client::pda::reserve(&market_key, &keys.mint));
        assert_eq!(keys.vault, ballast_client::pda::vault(&keys.reserve));
        let reserve = node.env.reserve(&keys.reserve).await;
        assert_eq!(reserve.risk_config(), spec.risk, "{}: risk", spec.symbol);
        assert_eq!(reserve.risk_controls(), spec.controls, "{}: controls", spec.symbol);
        assert_eq!(reserve.interest_curve(), spec.curve, "{}: curve", spec.symbol);
        assert_eq!(reserve.oracle.limits(), spec.limits, "{}: oracle limits", spec.symbol);
        assert_eq!(reserve.oracle.oracle_account, keys.oracle);
        assert_eq!(reserve.oracle.kind, 1, "pull");
        assert_eq!(reserve.mint_decimals, spec.decimals);
        assert_eq!(entry.decimals, spec.decimals);
        assert_eq!(reserve.market, market_key);
        // The written price account is what the program reads: the file's price, fresh.
        let oracle = node.env.account(&keys.oracle).await.unwrap();
        let price = ballast_client::health::oracle_price(&reserve, &keys.oracle, &oracle.owner, &oracle.data).unwrap();
        let spot = price.validate(now, &reserve.oracle.limits()).expect("fresh and confident").spot;
        assert!((spot.0 as f64 / 1e18 - spec.initial_price).abs() < 1e-9 * spec.initial_price, "{}", spec.symbol);
        assert_eq!(price.exponent, spec.exponent);
        assert_eq!(price.conf as u128, price.price as u128 * spec.confidence_bps as u128 / 10_000);
    }
}

#[tokio::test]
async fn bootstrap_local_market_on_the_runtime_matches_the_file() {
    let file = MarketFile::from_toml(LOCAL_MARKET).unwrap();
    let mut node = TestNode::start().await;
    let authority = Keypair::new();
    let market = Keypair::new();
    let deployment = run(&mut node, &file, &authority, &market, None).await;
    assert_matches_file(&mut node, &file, &deployment).await;
    assert_eq!(deployment.program_id, ballast::ID.to_string());
    assert_eq!(deployment.cluster, "localnet");
    assert!(deployment.reserves.iter().all(|r| r.oracle_kind == "pull"));

    // A re-run with the deployment reuses everything.
    let again = run(&mut node, &file, &authority, &market, Some(&deployment)).await;
    assert_eq!(again, deployment);

    // An edited file is applied with update_reserve_config and update_market_config.
    let mut edited = file.clone();
    edited.reserves[0].risk.ltv_bps = 7_000;
    edited.reserves[0].controls.max_ema_deviation_bps = 500;
    edited.market.close_factor_bps = 4_000;
    let updated = run(&mut node, &edited, &authority, &market, Some(&deployment)).await;
    assert_eq!(updated, deployment, "same accounts");
    assert_matches_file(&mut node, &edited, &updated).await;

    // The market works: fund two users, set a price, deposit and borrow.
    let (lender, borrower) = (Keypair::new(), Keypair::new());
    let market_key = deployment.market_key().unwrap();
    let sol = deployment.reserve("SOL").unwrap().keys(&market_key).unwrap();
    let usdc = deployment.reserve("usdc").unwrap().keys(&market_key).unwrap();
    let lender_usdc = fund(
        &mut node,
        &deployment,
        &authority,
        &lender.pubkey(),
        "USDC",
        ui_amount("10000", 6).unwrap(),
        1_000_000_000,
    )
    .await
    .unwrap();
    let borrower_sol =
        fund(&mut node, &deployment, &authority, &borrower.pubkey(), "SOL", ui_amount("10", 9).unwrap(), 1_000_000_000)
            .await
            .unwrap();
    assert_eq!(
        lender_usdc,
        ballast_client::pda::associated_token_address(&lender.pubkey(), &usdc.mint, &usdc.token_program)
    );
    assert_eq!(node.env.token_balance(&lender_usdc).await, 10_000_000_000);
    let borrower_usdc = fund(&mut node, &deployment, &authority, &borrower.pubkey(), "USDC", 0, 0).await.unwrap();
    assert_eq!(node.env.token_balance(&borrower_usdc).await, 0);

    let written = set_price(&mut node, &deployment, "SOL", 80.5, 10, None).await.unwrap();
    assert_eq!(written.price, 8_050_000_000);
    assert_eq!(written.publish_time, node.env.now().await);

    let deposit = |owner: &Keypair, keys: &ballast_client::instructions::ReserveKeys, source: Pubkey, amount: u64| {
        [ix::init_obligation(owner.pubkey(), market_key), ix::deposit(owner.pubkey(), keys, source, amount)]
    };
    submit(&mut node, "lender deposit", &deposit(&lender, &usdc, lender_usdc, 10_000_000_000), &lender, &[])
        .await
        .unwrap();
    submit(&mut node, "borrower deposit", &deposit(&borrower, &sol, borrower_sol, 10_000_000_000), &borrower, &[])
        .await
        .unwrap();
    // 10 SOL at $80.5 (LTV 70% after the edit) is ~$563 of borrow power: $500 passes, $600 fails
    // with the program's named error.
    let health = [(sol.reserve, sol.oracle), (usdc.reserve, usdc.oracle)];
    let too_much = ix::borrow(borrower.pubkey(), &usdc, borrower_usdc, 600_000_000, &health);
    let err = submit(&mut node, "borrow $600", &[too_much], &borrower, &[]).await.unwrap_err();
    assert!(err.to_string().contains("borrow $600 failed: InitialHealthNegative"), "{err}");
    let ok = ix::borrow(borrower.pubkey(), &usdc, borrower_usdc, 500_000_000, &health);
    submit(&mut node, "borrow $500", &[ok], &borrower, &[]).await.unwrap();
    assert_eq!(node.env.token_balance(&borrower_usdc).await, 500_000_000);
}
