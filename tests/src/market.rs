//! A market fixture: a market with several assets, each a real SPL mint, a reserve and a Pyth
//! oracle account; users with funded token accounts and an obligation.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token::spl_token;
use ballast::{MarketConfigParams, ReserveConfigParams};
use ballast_client::instructions::{self as ix, ReserveKeys};
use ballast_client::pda;
use ballast_engine::Positions as _;
use ballast_interface::raw;
use pyth_solana_receiver_sdk::price_update::VerificationLevel;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::{
    legacy_price_account, pull_price_account, PythPriceExt, TestEnv, TestPrice, TxFailure, LEGACY_STATUS_TRADING,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OracleFormat {
    Pull,
    Legacy,
}

#[derive(Clone, Debug)]
pub struct AssetSpec {
    pub symbol: &'static str,
    pub decimals: u8,
    pub price_usd: f64,
    pub oracle: OracleFormat,
    pub params: ReserveConfigParams,
    /// A Token-2022 mint (with these extensions) instead of an SPL Token mint.
    pub token_2022: Option<Vec<crate::MintExtension>>,
}

impl AssetSpec {
    pub fn new(symbol: &'static str, decimals: u8, price_usd: f64) -> AssetSpec {
        AssetSpec {
            symbol,
            decimals,
            price_usd,
            oracle: OracleFormat::Pull,
            params: default_params(),
            token_2022: None,
        }
    }
}

/// The test markets' reserve configuration (`ballast_interface::raw::test_market`, which the
/// compute-unit runner uses too).
pub fn default_params() -> ReserveConfigParams {
    raw::same_encoding(&raw::test_market::reserve_params())
}

/// The test markets' knobs (`ballast_interface::raw::test_market`).
pub fn default_market_params() -> MarketConfigParams {
    raw::same_encoding(&raw::test_market::market_params())
}

pub struct Asset {
    pub symbol: &'static str,
    pub decimals: u8,
    pub keys: ReserveKeys,
    pub feed_id: [u8; 32],
    pub format: OracleFormat,
    pub params: ReserveConfigParams,
}

pub struct User {
    pub keypair: Keypair,
    /// One token account per asset, in asset order.
    pub token_accounts: Vec<Pubkey>,
    pub obligation: Pubkey,
}

impl User {
    pub fn key(&self) -> Pubkey {
        self.keypair.pubkey()
    }
}

pub struct Fixture {
    pub env: TestEnv,
    pub authority: Keypair,
    pub market: Pubkey,
    pub assets: Vec<Asset>,
}

/// The creation deposit every reserve starts with (base units).
pub const SEED_DEPOSIT: u64 = 1_000;

impl Fixture {
    pub async fn new(specs: &[AssetSpec]) -> Fixture {
        Fixture::with_market(default_market_params(), specs).await
    }

    pub async fn with_market(params: MarketConfigParams, specs: &[AssetSpec]) -> Fixture {
        let mut env = TestEnv::start().await;
        let authority = env.payer();
        let market = Keypair::new();
        env.send_ok(&[ix::init_market(authority.pubkey(), market.pubkey(), *b"USD\0\0\0\0\0", params)], &[&market])
            .await;
        let mut fixture = Fixture { env, authority, market: market.pubkey(), assets: Vec::new() };
        for spec in specs {
            fixture.add_asset(spec).await;
        }
        fixture
    }

    pub async fn add_asset(&mut self, spec: &AssetSpec) -> usize {
        let (mint, token_program) = match &spec.token_2022 {
            None => (self.env.create_mint(spec.decimals).await, spl_token::ID),
            Some(extensions) => {
                (self.env.create_mint_2022(spec.decimals, extensions).await, anchor_spl::token_2022::ID)
            }
        };
        let feed_id = Pubkey::new_unique().to_bytes();
        let oracle = match spec.oracle {
            OracleFormat::Pull => ballast_client::pda::push_feed(&feed_id),
            OracleFormat::Legacy => Pubkey::new_unique(),
        };
        let mut params = spec.params.clone();
        params.oracle_kind = match spec.oracle {
            OracleFormat::Pull => 1,
            OracleFormat::Legacy => 2,
        };
        params.feed_id = feed_id;
        let keys = ReserveKeys::new(self.market, mint, oracle, token_program);
        let index = self.assets.len();
        self.assets.push(Asset {
            symbol: spec.symbol,
            decimals: spec.decimals,
            keys,
            feed_id,
            format: spec.oracle,
            params: params.clone(),
        });
        self.set_price(index, spec.price_usd).await;

        let seed_source = self.env.create_token_account(&mint, &self.authority.pubkey()).await;
        self.env.mint_to(&mint, &seed_source, SEED_DEPOSIT).await;
        let authority = self.authority.insecure_clone();
        self.env
            .send_ok(&[ix::init_reserve(authority.pubkey(), &keys, seed_source, params, SEED_DEPOSIT)], &[&authority])
            .await;
        index
    }

    /// Writes `usd` (0.1% confidence, EMA = spot) to the asset's oracle, published now.
    pub async fn set_price(&mut self, asset: usize, usd: f64) {
        let now = self.env.now().await;
        self.set_oracle(asset, TestPrice::usd(usd, now), VerificationLevel::Full).await;
    }

    /// Writes an exact price to the asset's oracle, in the asset's format.
    pub async fn set_oracle(&mut self, asset: usize, price: TestPrice, verification: VerificationLevel) {
        let a = &self.assets[asset];
        let account = match a.format {
            OracleFormat::Pull => pull_price_account(a.feed_id, &price, verification),
            OracleFormat::Legacy => legacy_price_account(&price, LEGACY_STATUS_TRADING),
        };
        let oracle = a.keys.oracle;
        self.env.set_account(&oracle, account);
    }

    /// Re-publishes every asset's oracle at the current time with its present price.
    pub async fn refresh_prices(&mut self) {
        let now = self.env.now().await;
        for asset in 0..self.assets.len() {
            let oracle = self.assets[asset].keys.oracle;
            let mut account = self.env.account(&oracle).await.expect("oracle exists");
            match self.assets[asset].format {
                OracleFormat::Pull => {
                    let offset = ballast_client::pyth_fixture::PULL_PUBLISH_TIME_OFFSET;
                    account.data[offset..offset + 8].copy_from_slice(&now.to_le_bytes());
                }
                OracleFormat::Legacy => {
                    let offset = ballast::oracle::legacy_layout::TIMESTAMP_OFFSET;
                    account.data[offset..offset + 8].copy_from_slice(&now.to_le_bytes());
                }
            }
            self.env.set_account(&oracle, account);
        }
    }

    /// A user with a token account per asset holding `balances[i]` base units, and an obligation.
    pub async fn new_user(&mut self, balances: &[u64]) -> User {
        let keypair = self.env.new_funded_keypair().await;
        let mut token_accounts = Vec::new();
        for (i, asset) in self.assets.iter().map(|a| a.keys.mint).collect::<Vec<_>>().into_iter().enumerate() {
            let account = self.env.create_token_account(&asset, &keypair.pubkey()).await;
            let amount = balances.get(i).copied().unwrap_or(0);
            if amount > 0 {
                self.env.mint_to(&asset, &account, amount).await;
            }
            token_accounts.push(account);
        }
        self.env.send_ok(&[ix::init_obligation(keypair.pubkey(), self.market)], &[&keypair]).await;
        let obligation = pda::obligation(&self.market, &keypair.pubkey());
        User { keypair, token_accounts, obligation }
    }

    pub fn keys(&self, asset: usize) -> ReserveKeys {
        self.assets[asset].keys
    }

    /// `(reserve, oracle)` pairs for the given assets, in that order.
    pub fn health_pairs(&self, assets: &[usize]) -> Vec<(Pubkey, Pubkey)> {
        assets.iter().map(|&a| (self.assets[a].keys.reserve, self.assets[a].keys.oracle)).collect()
    }

    fn asset_of_reserve(&self, reserve: &Pubkey) -> usize {
        self.assets.iter().position(|a| a.keys.reserve == *reserve).expect("reserve of this fixture")
    }

    /// The health pairs of `user`'s positions after an action that may open a position in
    /// `opening` (appended if new) and close the one in `closing`.
    pub async fn health_after(
        &mut self,
        user: &User,
        opening: Option<usize>,
        closing: Option<usize>,
    ) -> Vec<(Pubkey, Pubkey)> {
        let obligation = self.env.obligation(&user.obligation).await;
        let mut assets: Vec<usize> =
            obligation.active_positions().iter().map(|p| self.asset_of_reserve(&p.reserve)).collect();
        if let Some(a) = opening {
            if !assets.contains(&a) {
                assets.push(a);
            }
        }
        if let Some(a) = closing {
            assets.retain(|&x| x != a);
        }
        self.health_pairs(&assets)
    }

    pub async fn deposit(&mut self, user: &User, asset: usize, amount: u64) -> Result<u64, TxFailure> {
        let ix = ix::deposit(user.key(), &self.keys(asset), user.token_accounts[asset], amount);
        self.env.send(&[ix], &[&user.keypair]).await
    }

    pub async fn borrow(&mut self, user: &User, asset: usize, amount: u64) -> Result<u64, TxFailure> {
        let health = self.health_after(user, Some(asset), None).await;
        let ix = ix::borrow(user.key(), &self.keys(asset), user.token_accounts[asset], amount, &health);
        self.env.send(&[ix], &[&user.keypair]).await
    }

    /// Withdraw; `closes` says whether the position is expected to close (all of it withdrawn and
    /// no debt in the reserve).
    pub async fn withdraw(&mut self, user: &User, asset: usize, amount: u64, closes: bool) -> Result<u64, TxFailure> {
        let health = self.health_after(user, None, closes.then_some(asset)).await;
        let ix = ix::withdraw(user.key(), &self.keys(asset), user.token_accounts[asset], amount, &health);
        self.env.send(&[ix], &[&user.keypair]).await
    }

    pub async fn repay(
        &mut self,
        payer: &User,
        obligation: &Pubkey,
        asset: usize,
        amount: u64,
    ) -> Result<u64, TxFailure> {
        let ix = ix::repay(payer.key(), &self.keys(asset), *obligation, payer.token_accounts[asset], amount);
        self.env.send(&[ix], &[&payer.keypair]).await
    }
}

impl Fixture {
    /// A second market in the same bank with one asset, for cross-market attacks.
    pub async fn foreign_market(&mut self, spec: &AssetSpec) -> (Pubkey, Asset) {
        let market = Keypair::new();
        let authority = self.authority.insecure_clone();
        self.env
            .send_ok(
                &[ix::init_market(authority.pubkey(), market.pubkey(), *b"USD\0\0\0\0\0", default_market_params())],
                &[&market],
            )
            .await;
        let saved_market = std::mem::replace(&mut self.market, market.pubkey());
        let index = self.add_asset(spec).await;
        self.market = saved_market;
        let asset = self.assets.remove(index);
        (market.pubkey(), asset)
    }
}

impl Fixture {
    /// The market as the engine's operations read it.
    pub async fn market_state(&mut self) -> ballast_engine::MarketState {
        let data = self.env.account(&self.market).await.expect("market").data;
        ballast_client::accounts::decode_market(&data).expect("market decodes").state()
    }

    /// Health of `user` as the client crate computes it from fetched accounts.
    pub async fn client_health(&mut self, user: &User, kind: ballast::health::HealthKind) -> ballast_math::Health {
        let now = self.env.now().await;
        let obligation = self.env.obligation(&user.obligation).await;
        let priced = self.priced_reserves().await;
        let market = self.market_state().await;
        ballast_client::health::obligation_health(
            &obligation,
            &market,
            |key| priced.iter().find(|(k, _)| k == key).map(|(_, p)| p),
            kind,
            now,
        )
        .expect("health computes")
    }

    /// The most `user` can borrow of `asset` now, from the client-side health.
    pub async fn max_borrow(&mut self, user: &User, asset: usize) -> u64 {
        let health = self.client_health(user, ballast::health::HealthKind::Initial).await;
        let now = self.env.now().await;
        let keys = self.keys(asset);
        let reserve = self.env.reserve(&keys.reserve).await;
        let oracle = self.env.account(&keys.oracle).await.expect("oracle exists");
        let price = ballast_client::health::oracle_price(&reserve, &keys.oracle, &oracle.owner, &oracle.data)
            .expect("oracle decodes");
        let high = price.validate(now, &reserve.oracle.limits()).expect("price valid").high;
        ballast_math::max_borrow(&health, reserve.mint_decimals, high, reserve.risk.borrow_factor_bps)
            .expect("max borrow")
    }
}

impl TxFailure {
    /// The Ballast error name for the failure's custom code, if it is one of Ballast's.
    pub fn error_name(&self) -> Option<String> {
        ballast::errors::BallastError::from_code(self.custom_code()?).map(|e| e.name())
    }
}

/// Borsh size of `ballast::HealthReport`: five u128 and a bool.
pub const HEALTH_REPORT_LEN: usize = 5 * 16 + 1;

impl Fixture {
    /// Liquidates `obligation` (owned by `owner`) as `liquidator`: repays `repay_asset`, seizes
    /// `collateral_asset`, with the obligation's current positions as health accounts.
    #[allow(clippy::too_many_arguments)]
    pub async fn liquidate(
        &mut self,
        liquidator: &User,
        owner: &User,
        repay_asset: usize,
        collateral_asset: usize,
        repay_amount: u64,
        min_collateral_out: u64,
    ) -> Result<u64, TxFailure> {
        let ix =
            self.liquidate_ix(liquidator, owner, repay_asset, collateral_asset, repay_amount, min_collateral_out).await;
        self.env.send(&[ix], &[&liquidator.keypair]).await
    }

    pub async fn liquidate_ix(
        &mut self,
        liquidator: &User,
        owner: &User,
        repay_asset: usize,
        collateral_asset: usize,
        repay_amount: u64,
        min_collateral_out: u64,
    ) -> anchor_lang::solana_program::instruction::Instruction {
        self.liquidate_ix_paid(
            liquidator,
            owner,
            repay_asset,
            collateral_asset,
            repay_amount,
            min_collateral_out,
            false,
        )
        .await
    }

    /// `liquidate_ix`, the collateral paid as tokens or (`into_shares`) as supply shares credited
    /// to the liquidator's obligation.
    #[allow(clippy::too_many_arguments)]
    pub async fn liquidate_ix_paid(
        &mut self,
        liquidator: &User,
        owner: &User,
        repay_asset: usize,
        collateral_asset: usize,
        repay_amount: u64,
        min_collateral_out: u64,
        into_shares: bool,
    ) -> anchor_lang::solana_program::instruction::Instruction {
        let health = self.health_after(owner, None, None).await;
        let build = if into_shares { ix::liquidate_into_shares } else { ix::liquidate };
        build(
            liquidator.key(),
            owner.obligation,
            &self.keys(repay_asset),
            liquidator.token_accounts[repay_asset],
            &self.keys(collateral_asset),
            liquidator.token_accounts[collateral_asset],
            repay_amount,
            min_collateral_out,
            &health,
        )
    }

    /// The program's own health report for `user` (the read-only `get_health` instruction).
    pub async fn program_health(&mut self, user: &User, initial: bool) -> ballast::HealthReport {
        let health = self.health_after(user, None, None).await;
        let ix = ix::get_health(self.market, user.obligation, initial, &health);
        // The runtime trims trailing zero bytes from return data; restore them before decoding.
        let mut data = self.env.return_data(&[ix]).await.unwrap_or_default();
        data.resize(HEALTH_REPORT_LEN, 0);
        anchor_lang::AnchorDeserialize::deserialize(&mut &data[..]).expect("HealthReport")
    }

    /// Every priced reserve of the fixture, as the client sees them.
    pub async fn priced_reserves(&mut self) -> Vec<(Pubkey, ballast_client::health::PricedReserve)> {
        let mut priced = Vec::new();
        for asset in 0..self.assets.len() {
            let keys = self.keys(asset);
            let reserve = self.env.reserve(&keys.reserve).await;
            let oracle = self.env.account(&keys.oracle).await.expect("oracle exists");
            let price = ballast_client::health::oracle_price(&reserve, &keys.oracle, &oracle.owner, &oracle.data)
                .expect("oracle decodes");
            priced.push((keys.reserve, ballast_client::health::PricedReserve { reserve, price }));
        }
        priced
    }

    /// The largest liquidation of `owner`'s debt in `repay_asset` against `collateral_asset` the
    /// program accepts, as the client sizes it.
    /// What a liquidator reads: every reserve with its price, the clock, `owner`'s obligation and
    /// the market.
    async fn liquidation_view(
        &mut self,
        owner: &User,
    ) -> (Vec<(Pubkey, ballast_client::health::PricedReserve)>, i64, ballast::state::Obligation, ballast::state::Market)
    {
        let priced = self.priced_reserves().await;
        let now = self.env.now().await;
        let obligation = self.env.obligation(&owner.obligation).await;
        let market_data = self.env.account(&self.market).await.expect("market").data;
        let market = ballast_client::accounts::decode_market(&market_data).expect("market decodes");
        (priced, now, obligation, market)
    }

    /// The liquidation policy's choice for `owner`'s obligation over every pair, for a liquidator
    /// with unlimited funds (`ballast_engine::policy::best_liquidation`, as the bot and the dApp
    /// run it).
    pub async fn policy_liquidation(&mut self, owner: &User) -> Option<ballast_engine::policy::Candidate<Pubkey>> {
        let (priced, now, obligation, market) = self.liquidation_view(owner).await;
        let lookup = |key: &Pubkey| priced.iter().find(|(k, _)| k == key).map(|(_, p)| p);
        let unlimited =
            |_: &Pubkey, _: &Pubkey| ballast_engine::policy::RepayLimits { budget: u64::MAX, margin_bps: 0 };
        let state = market.state();
        let terms = ballast_engine::operations::LiquidationTerms::of(&state, &obligation, now);
        let choice = ballast_engine::policy::best_liquidation(
            obligation.held(),
            &ballast_client::health::retriever(lookup),
            &terms,
            unlimited,
            now,
        );
        choice.best
    }

    pub async fn best_liquidation(
        &mut self,
        owner: &User,
        repay_asset: usize,
        collateral_asset: usize,
    ) -> Option<ballast_math::liquidation::LiquidationPlan> {
        let (priced, now, obligation, market) = self.liquidation_view(owner).await;
        let lookup = |key: &Pubkey| priced.iter().find(|(k, _)| k == key).map(|(_, p)| p);
        ballast_client::health::best_liquidation(
            &obligation,
            lookup,
            &market,
            &self.keys(repay_asset).reserve,
            &self.keys(collateral_asset).reserve,
            now,
        )
        .expect("sizing")
    }
}
