//! `ballast-migrate risk` and `seed-book`: the reference the dApp's Risk page is checked against,
//! and a book of obligations to look at.
//!
//! - [`market_risk`]: the market's collateral ratios (`ballast_engine::monitor`) from accounts
//!   fetched with `getProgramAccounts` and decoded with the program's own types
//!   (`ballast_client`), the same shape the wasm answers (`ballast_wasm::risk::risk_overview`).
//!   The e2e compares the numbers the page shows with it.
//! - [`seed_obligation`]: a fresh owner (funded by the mint authority) deposits and borrows, so a
//!   local market holds obligations at chosen distances from liquidation.

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Context, Result};
use ballast_client::accounts::{decode_market, decode_obligation, decode_reserve};
use ballast_client::chain::{fetch_market, Chain, MarketAccounts};
use ballast_client::health::{oracle_price, retriever, PricedReserve};
use ballast_client::instructions as ix;
use ballast_client::pda;
use ballast_engine::monitor::{self, LiquidationMap};
use ballast_engine::ReserveState as _;
use serde_json::Value;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::bootstrap::{fund, submit, ui_amount};
use crate::deployment::Deployment;
use crate::node::LocalNode;

/// The market's risk overview at the chain's clock, as JSON (`ballast_wasm::risk::risk_overview`).
pub async fn market_risk<C: Chain>(chain: &mut C, market: &Pubkey) -> Result<Value> {
    risk_of_accounts(&fetch_market(chain, market).await.context("fetching the market")?)
}

/// The risk overview of a market's accounts as fetched (`ballast_client::chain::fetch_market`).
pub fn risk_of_accounts(accounts: &MarketAccounts) -> Result<Value> {
    let market = &accounts.market;
    let market_account = accounts.market_account.as_ref().ok_or_else(|| anyhow!("market {market} not found"))?;
    let state = decode_market(&market_account.data).map_err(|e| anyhow!("market account: {e:?}"))?.state();
    let mut reserves: Vec<(Pubkey, PricedReserve)> = Vec::new();
    for (key, account) in &accounts.reserves {
        let reserve = decode_reserve(&account.data).map_err(|e| anyhow!("reserve {key}: {e:?}"))?;
        // A reserve whose price cannot be read is left out: its obligations count as errors, as
        // in the wasm.
        let pinned = reserve.oracle.oracle_account;
        let oracle = accounts.oracles.iter().find(|(k, _)| *k == pinned);
        if let Some(Ok(price)) = oracle.map(|(k, a)| oracle_price(&reserve, k, &a.owner, &a.data)) {
            reserves.push((*key, PricedReserve { reserve, price }));
        }
    }
    let obligations = accounts
        .obligations
        .iter()
        .map(|(key, a)| decode_obligation(&a.data).map_err(|e| anyhow!("obligation {key}: {e:?}")))
        .collect::<Result<Vec<_>>>()?;
    let lookup = |key: &Pubkey| reserves.iter().find(|(k, _)| k == key).map(|(_, p)| p);
    let maps: Vec<LiquidationMap<Pubkey>> = accounts.reserves.iter().map(|(k, _)| LiquidationMap::new(*k)).collect();
    let risk = monitor::market_risk(&obligations, &retriever(lookup), &state, maps, accounts.now);
    let shocks: Vec<(Pubkey, [i16; 8])> =
        reserves.iter().map(|(k, p)| (*k, p.reserve.scenario_shocks().shocks_bps)).collect();
    let overview = ballast_wasm::risk::risk_overview(&risk, |k| k.to_string(), &shocks, accounts.now);
    Ok(serde_json::to_value(overview)?)
}

/// One obligation to seed: `"SOL:10,ETH:2/USDC:4000"` deposits 10 SOL and 2 ETH, then borrows
/// 4,000 USDC (whole tokens, decimals allowed; the part after `/` may be empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedSpec {
    pub deposits: Vec<(String, String)>,
    pub borrows: Vec<(String, String)>,
}

impl std::str::FromStr for SeedSpec {
    type Err = anyhow::Error;
    fn from_str(text: &str) -> Result<SeedSpec> {
        let list = |part: &str| -> Result<Vec<(String, String)>> {
            part.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|item| {
                    let (symbol, amount) = item.split_once(':').ok_or_else(|| anyhow!("{item:?}: SYMBOL:AMOUNT"))?;
                    Ok((symbol.trim().to_string(), amount.trim().to_string()))
                })
                .collect()
        };
        let (deposits, borrows) = text.split_once('/').unwrap_or((text, ""));
        let spec = SeedSpec { deposits: list(deposits)?, borrows: list(borrows)? };
        if spec.deposits.is_empty() {
            bail!("{text:?}: at least one deposit");
        }
        Ok(spec)
    }
}

/// A fresh owner deposits and borrows as `spec` says; returns the owner and its obligation.
pub async fn seed_obligation<N: LocalNode>(
    node: &mut N,
    deployment: &Deployment,
    authority: &Keypair,
    spec: &SeedSpec,
) -> Result<(Pubkey, Pubkey)> {
    let owner = Keypair::new();
    let market = deployment.market_key()?;
    let keys = |symbol: &str| deployment.reserve(symbol)?.keys(&market);
    let units = |symbol: &str, amount: &str| ui_amount(amount, deployment.reserve(symbol)?.decimals);
    let mut deposit_ixs = vec![ix::init_obligation(owner.pubkey(), market)];
    // Health accounts in position order: deposits first, then each new debt reserve.
    let mut health: Vec<(Pubkey, Pubkey)> = Vec::new();
    for (i, (symbol, amount)) in spec.deposits.iter().enumerate() {
        let (k, amount) = (keys(symbol)?, units(symbol, amount)?);
        let lamports = if i == 0 { 1_000_000_000 } else { 0 };
        let source = fund(node, deployment, authority, &owner.pubkey(), symbol, amount, lamports).await?;
        deposit_ixs.push(ix::deposit(owner.pubkey(), &k, source, amount));
        health.push((k.reserve, k.oracle));
    }
    submit(node, "init_obligation and deposits", &deposit_ixs, &owner, &[]).await?;
    for (symbol, amount) in &spec.borrows {
        let (k, amount) = (keys(symbol)?, units(symbol, amount)?);
        let destination = pda::associated_token_address(&owner.pubkey(), &k.mint, &k.token_program);
        let create =
            ix::create_associated_token_account_idempotent(owner.pubkey(), owner.pubkey(), k.mint, k.token_program);
        if !health.iter().any(|(r, _)| *r == k.reserve) {
            health.push((k.reserve, k.oracle));
        }
        let borrow = ix::borrow(owner.pubkey(), &k, destination, amount, &health);
        submit(node, &format!("borrow {amount} base units of {symbol}"), &[create, borrow], &owner, &[]).await?;
    }
    Ok((owner.pubkey(), pda::obligation(&market, &owner.pubkey())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use solana_account::Account;
    use std::str::FromStr;

    /// The wasm's fixture (accounts written with the program's types): decoded here with
    /// `ballast_client`, there with `ballast-interface`'s layouts, the same overview.
    #[test]
    fn the_reference_equals_the_wasm_on_the_same_accounts() {
        let text = include_str!("../../crates/ballast-wasm/tests/fixtures/market.json");
        let fixture: Value = serde_json::from_str(text).unwrap();
        let bytes = |v: &Value| base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap()).unwrap();
        let key = |v: &Value| Pubkey::from_str(v.as_str().unwrap()).unwrap();
        let account =
            |data: Vec<u8>, owner: Pubkey| Account { lamports: 1, data, owner, executable: false, rent_epoch: 0 };
        let reserves = fixture["reserves"].as_array().unwrap();
        let accounts = MarketAccounts {
            now: fixture["now"].as_str().unwrap().parse().unwrap(),
            market: key(&fixture["marketKey"]),
            market_account: Some(account(bytes(&fixture["market"]), ballast::ID)),
            reserves: reserves.iter().map(|r| (key(&r["key"]), account(bytes(&r["data"]), ballast::ID))).collect(),
            obligations: (fixture["obligations"].as_array().unwrap().iter())
                .map(|o| (key(&o["key"]), account(bytes(&o["data"]), ballast::ID)))
                .collect(),
            oracles: (reserves.iter())
                .map(|r| (key(&r["oracle"]["key"]), account(bytes(&r["oracle"]["data"]), key(&r["oracle"]["owner"]))))
                .collect(),
        };
        let reference = risk_of_accounts(&accounts).unwrap();
        let request = serde_json::json!({
            "op": "risk", "now": fixture["now"], "market": fixture["market"], "marketKey": fixture["marketKey"],
            "reserves": fixture["reserves"], "obligations": fixture["obligations"],
        });
        let wasm: Value = serde_json::from_str(&ballast_wasm::api::call(&request.to_string())).unwrap();
        assert_eq!(reference["obligations"], fixture["obligations"].as_array().unwrap().len());
        assert_eq!(reference["errors"], 0);
        assert_eq!(reference, wasm);
    }

    #[test]
    fn seed_specs_parse() {
        let spec: SeedSpec = "SOL:10, ETH:2 / USDC:4000".parse().unwrap();
        assert_eq!(spec.deposits, vec![("SOL".into(), "10".into()), ("ETH".into(), "2".into())]);
        assert_eq!(spec.borrows, vec![("USDC".into(), "4000".into())]);
        assert!("USDC:100".parse::<SeedSpec>().unwrap().borrows.is_empty());
        assert!("/USDC:1".parse::<SeedSpec>().is_err());
        assert!("SOL10".parse::<SeedSpec>().is_err());
    }
}
