//! The steps of `ballast-migrate`, generic over [`LocalNode`] so the same sequence of
//! instructions runs on a local JSON-RPC node and on solana-program-test (the integration test).
//!
//! `bootstrap`: airdrop to the authority; per reserve, an SPL Token mint (the authority is mint
//! authority) and a Pyth price account written at a fresh address (`ballast_client::pyth_fixture`,
//! the layouts the tests use); `init_market` (or `update_market_config` when the market exists
//! with other knobs); per reserve `init_reserve` with a creation deposit minted to a token
//! account of the authority (or `update_reserve_config` when it exists with another config).
//! Re-running against the same node reuses the market, mints, oracles and reserves it finds
//! (from the previous deployment file) and changes only what differs from the file.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::token::spl_token;
use anyhow::{anyhow, bail, Context, Result};
use ballast_client::chain::{describe_error, Chain, TxOutcome};
use ballast_client::instructions::{self as ix, ReserveKeys};
use ballast_client::pda;
use ballast_client::pyth_fixture::{
    legacy_price_bytes, pull_price_data, PythPrice, PythPriceExt, VerificationLevel, LEGACY_STATUS_TRADING,
    PYTH_LEGACY_PROGRAM_ID, PYTH_RECEIVER_PROGRAM_ID,
};
use ballast_market_config::{MarketFile, ReserveSection};
use solana_account::Account;
use solana_keypair::Keypair;
use solana_program_pack::Pack;
use solana_signature::Signature;
use solana_signer::Signer;
use solana_transaction::Transaction;

use crate::deployment::{DeployedReserve, Deployment};
use crate::node::LocalNode;
use crate::params::{
    file_feed_id, market_config_params, market_matches, oracle_kind, quote_currency, reserve_config_params,
    reserve_matches, ORACLE_KIND_LEGACY,
};

/// The creation deposit `init_reserve` requires (base units), minted to the authority: its
/// shares are locked forever (the first-depositor inflation defence).
pub const CREATION_DEPOSIT: u64 = 1_000;

/// Compute units requested for Ballast instructions (init_reserve on sBPF is well below this).
pub const COMPUTE_UNIT_LIMIT: u32 = 400_000;

/// How the bootstrap runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Written to the deployment file.
    pub cluster: String,
    pub rpc_url: String,
    /// Airdrop to the authority when its balance is below `min_authority_lamports`.
    pub airdrop_lamports: u64,
    pub min_authority_lamports: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            cluster: "localnet".into(),
            rpc_url: "http://127.0.0.1:8899".into(),
            airdrop_lamports: 100_000_000_000,
            min_authority_lamports: 10_000_000_000,
        }
    }
}

/// Signs `instructions` (payer first), simulates them (so a failure reports the program's
/// logs), sends and confirms. On failure the error names the program's error (`BallastError`
/// name, via `ballast_client::chain::describe_error`) and carries the last log lines.
pub async fn submit<N: Chain>(
    node: &mut N,
    what: &str,
    instructions: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
) -> Result<Signature> {
    let blockhash = node.latest_blockhash().await.context("getLatestBlockhash")?;
    let mut all: Vec<&Keypair> = vec![payer];
    all.extend(signers.iter().copied().filter(|k| k.pubkey() != payer.pubkey()));
    let tx = Transaction::new_signed_with_payer(instructions, Some(&payer.pubkey()), &all, blockhash);
    let failed = |error: &solana_transaction_error::TransactionError, logs: &[String]| {
        let tail: Vec<&str> = logs.iter().rev().take(12).rev().map(String::as_str).collect();
        let logs = if tail.is_empty() { String::new() } else { format!("\n  logs:\n    {}", tail.join("\n    ")) };
        anyhow!("{what} failed: {}{logs}", describe_error(error))
    };
    if let TxOutcome::Failed { error, logs, .. } =
        node.simulate(&tx).await.with_context(|| format!("{what}: simulate"))?
    {
        return Err(failed(&error, &logs));
    }
    match node.send(&tx).await.with_context(|| format!("{what}: send"))? {
        TxOutcome::Succeeded { signature, .. } => {
            println!("  {what}: ok ({signature})");
            Ok(signature)
        }
        TxOutcome::Failed { error, logs, .. } => Err(failed(&error, &logs)),
    }
}

fn with_budget(instructions: Vec<Instruction>) -> Vec<Instruction> {
    let mut all = vec![compute_unit_limit(COMPUTE_UNIT_LIMIT)];
    all.extend(instructions);
    all
}

/// `ComputeBudgetInstruction::SetComputeUnitLimit` (discriminant 2, little-endian u32).
fn compute_unit_limit(units: u32) -> Instruction {
    let mut data = vec![2u8];
    data.extend_from_slice(&units.to_le_bytes());
    Instruction {
        program_id: Pubkey::from_str_const("ComputeBudget111111111111111111111111111111"),
        accounts: vec![],
        data,
    }
}

/// One account, `None` if absent.
async fn account<N: Chain>(node: &mut N, key: &Pubkey) -> Result<Option<Account>> {
    Ok(node.accounts(&[*key]).await.with_context(|| format!("getAccountInfo {key}"))?.into_iter().next().flatten())
}

/// A Pyth price account of `kind` (pull/legacy byte) for `feed_id`, as the Pyth programs write
/// it.
pub fn price_account(kind: u8, feed_id: [u8; 32], price: &PythPrice, lamports: u64) -> Account {
    let (data, owner) = if kind == ORACLE_KIND_LEGACY {
        (legacy_price_bytes(price, LEGACY_STATUS_TRADING), PYTH_LEGACY_PROGRAM_ID)
    } else {
        (pull_price_data(feed_id, price, VerificationLevel::Full), PYTH_RECEIVER_PROGRAM_ID)
    };
    Account { lamports: lamports.max(1), data, owner, executable: false, rent_epoch: 0 }
}

/// Writes `price` to `oracle` (local nodes only).
pub async fn write_price<N: LocalNode>(
    node: &mut N,
    oracle: &Pubkey,
    kind: u8,
    feed_id: [u8; 32],
    price: &PythPrice,
) -> Result<()> {
    let len = if kind == ORACLE_KIND_LEGACY {
        ballast::oracle::legacy_layout::ACCOUNT_SIZE
    } else {
        ballast_client::pyth_fixture::PULL_ACCOUNT_LEN
    };
    let lamports = node.minimum_balance(len).await.context("getMinimumBalanceForRentExemption")?;
    node.set_account(oracle, price_account(kind, feed_id, price, lamports))
        .await
        .with_context(|| format!("surfnet_setAccount {oracle} (a local validator's cheat method)"))
}

/// A feed id for a reserve whose file names none: stable per symbol, so re-runs agree.
pub fn local_feed_id(symbol: &str) -> [u8; 32] {
    Pubkey::find_program_address(&[b"ballast-local-feed", symbol.as_bytes()], &ballast::ID).0.to_bytes()
}

async fn ensure_lamports<N: LocalNode>(node: &mut N, who: &Pubkey, min: u64, amount: u64) -> Result<()> {
    let balance = account(node, who).await?.map(|a| a.lamports).unwrap_or(0);
    if balance >= min {
        println!("  {who} holds {:.3} SOL", balance as f64 / 1e9);
        return Ok(());
    }
    node.airdrop(who, amount).await.with_context(|| format!("requestAirdrop to {who}"))?;
    println!("  airdropped {:.3} SOL to {who}", amount as f64 / 1e9);
    Ok(())
}

/// An SPL Token mint with `authority` as mint authority.
async fn create_mint<N: LocalNode>(node: &mut N, authority: &Keypair, decimals: u8, symbol: &str) -> Result<Pubkey> {
    let mint = Keypair::new();
    let len = spl_token::state::Mint::LEN;
    let rent = node.minimum_balance(len).await?;
    let ixs = [
        solana_system_interface::instruction::create_account(
            &authority.pubkey(),
            &mint.pubkey(),
            rent,
            len as u64,
            &spl_token::ID,
        ),
        spl_token::instruction::initialize_mint2(&spl_token::ID, &mint.pubkey(), &authority.pubkey(), None, decimals)?,
    ];
    submit(node, &format!("{symbol}: create mint {} ({decimals} decimals)", mint.pubkey()), &ixs, authority, &[&mint])
        .await?;
    Ok(mint.pubkey())
}

/// Whether `mint` exists as an SPL Token mint with these decimals and `authority` as mint
/// authority (so it can be reused).
fn usable_mint(account: &Account, decimals: u8, authority: &Pubkey) -> bool {
    account.owner == spl_token::ID
        && spl_token::state::Mint::unpack(&account.data)
            .is_ok_and(|m| m.is_initialized && m.decimals == decimals && m.mint_authority == Some(*authority).into())
}

/// A new token account of `owner` for `mint` holding `amount` (minted by `authority`).
async fn funded_token_account<N: LocalNode>(
    node: &mut N,
    authority: &Keypair,
    mint: &Pubkey,
    amount: u64,
    what: &str,
) -> Result<Pubkey> {
    let account = Keypair::new();
    let len = spl_token::state::Account::LEN;
    let rent = node.minimum_balance(len).await?;
    let ixs = [
        solana_system_interface::instruction::create_account(
            &authority.pubkey(),
            &account.pubkey(),
            rent,
            len as u64,
            &spl_token::ID,
        ),
        spl_token::instruction::initialize_account3(&spl_token::ID, &account.pubkey(), mint, &authority.pubkey())?,
        spl_token::instruction::mint_to(&spl_token::ID, mint, &account.pubkey(), &authority.pubkey(), &[], amount)?,
    ];
    submit(node, what, &ixs, authority, &[&account]).await?;
    Ok(account.pubkey())
}

/// Bootstraps the market `file` describes (see the module docs). `market` is the market
/// account's keypair (a fresh one for a new market; the same one to re-run); `previous` the
/// deployment of an earlier run, whose mints and oracles are reused where they still exist.
/// `checkpoint` receives the deployment so far after the market and after every reserve (the CLI
/// saves it, so an interrupted run resumes where it stopped).
pub async fn bootstrap<N: LocalNode>(
    node: &mut N,
    file: &MarketFile,
    authority: &Keypair,
    market: &Keypair,
    previous: Option<&Deployment>,
    options: &Options,
    checkpoint: &mut dyn FnMut(&Deployment) -> Result<()>,
) -> Result<Deployment> {
    // The same validation init_market and init_reserve apply, before anything is sent.
    let validated = file.validate().map_err(|e| anyhow!("{e}"))?;
    let market_key = market.pubkey();
    let previous = previous.filter(|p| p.market == market_key.to_string());
    println!("bootstrap: market {market_key}, {} reserves, authority {}", file.reserves.len(), authority.pubkey());

    match account(node, &ballast::ID).await? {
        Some(program) if program.executable => {}
        _ => println!("  warning: no executable program at {} on this node", ballast::ID),
    }
    ensure_lamports(node, &authority.pubkey(), options.min_authority_lamports, options.airdrop_lamports).await?;

    // The market.
    let market_params = market_config_params(&file.market)?;
    match account(node, &market_key).await? {
        Some(existing) => {
            let state = ballast_client::accounts::decode_market(&existing.data)
                .map_err(|_| anyhow!("{market_key} exists and is not a Ballast market"))?;
            if state.authority != authority.pubkey() {
                bail!("market {market_key} exists with authority {}, not {}", state.authority, authority.pubkey());
            }
            if market_matches(&state, &market_params) {
                println!("  market exists with the file's config");
            } else {
                let ixs = [ix::update_market_config(authority.pubkey(), market_key, market_params.clone())];
                submit(node, "update_market_config", &ixs, authority, &[]).await?;
            }
        }
        None => {
            let ixs = with_budget(vec![ix::init_market(
                authority.pubkey(),
                market_key,
                quote_currency(&file.market)?,
                market_params.clone(),
            )]);
            submit(node, "init_market", &ixs, authority, &[market]).await?;
        }
    }

    let mut deployment = Deployment {
        cluster: options.cluster.clone(),
        rpc_url: options.rpc_url.clone(),
        program_id: ballast::ID.to_string(),
        market: market_key.to_string(),
        authority: authority.pubkey().to_string(),
        quote_currency: file.market.quote_currency.clone(),
        reserves: Vec::with_capacity(file.reserves.len()),
    };
    // Keep the earlier run's entries for reserves not yet done, so a resumed run finds them.
    let so_far = |done: &[DeployedReserve], checkpoint: &mut dyn FnMut(&Deployment) -> Result<()>| {
        let mut d = deployment.clone();
        d.reserves = done.to_vec();
        if let Some(p) = previous {
            d.reserves.extend(p.reserves.iter().filter(|r| !done.iter().any(|x| x.symbol == r.symbol)).cloned());
        }
        checkpoint(&d)
    };
    so_far(&[], checkpoint)?;

    let now = node.now().await.context("reading the node's clock")?;
    let mut reserves = Vec::with_capacity(file.reserves.len());
    for (section, spec) in file.reserves.iter().zip(&validated.reserves) {
        println!("reserve {}:", section.symbol);
        let earlier = previous.and_then(|p| p.reserve(&section.symbol).ok());
        let entry = bootstrap_reserve(node, section, spec.exponent, authority, &market_key, earlier, now).await?;
        reserves.push(entry);
        so_far(&reserves, checkpoint)?;
    }

    // Read every reserve back: its config is the file's.
    for (section, entry) in file.reserves.iter().zip(&reserves) {
        let keys = entry.keys(&market_key)?;
        let data = account(node, &keys.reserve).await?.ok_or_else(|| anyhow!("{} missing", keys.reserve))?.data;
        let reserve =
            ballast_client::accounts::decode_reserve(&data).map_err(|_| anyhow!("{} undecodable", keys.reserve))?;
        let params = reserve_config_params(section, reserve.oracle.feed_id)?;
        if !reserve_matches(&reserve, &params) || reserve.oracle.oracle_account != keys.oracle {
            bail!("{}: the reserve's on-chain config differs from the file after bootstrap", section.symbol);
        }
    }
    println!("verified: {} reserves hold the file's config", reserves.len());
    deployment.reserves = reserves;
    checkpoint(&deployment)?;
    Ok(deployment)
}

async fn bootstrap_reserve<N: LocalNode>(
    node: &mut N,
    section: &ReserveSection,
    exponent: i32,
    authority: &Keypair,
    market: &Pubkey,
    earlier: Option<&DeployedReserve>,
    now: i64,
) -> Result<DeployedReserve> {
    let symbol = section.symbol.as_str();
    let kind = oracle_kind(section)?;

    // The mint: the earlier run's if it is still there, else a new one.
    let mut mint = None;
    if let Some(e) = earlier {
        let key: Pubkey = e.mint.parse().map_err(|_| anyhow!("bad mint in the deployment"))?;
        if account(node, &key).await?.is_some_and(|a| usable_mint(&a, section.decimals, &authority.pubkey())) {
            println!("  mint {key} exists");
            mint = Some(key);
        }
    }
    let mint = match mint {
        Some(mint) => mint,
        None => create_mint(node, authority, section.decimals, symbol).await?,
    };

    let reserve_key = pda::reserve(market, &mint);
    let existing = match account(node, &reserve_key).await? {
        Some(a) => Some(
            ballast_client::accounts::decode_reserve(&a.data)
                .map_err(|_| anyhow!("{reserve_key} exists and is not a Reserve"))?,
        ),
        None => None,
    };
    if let Some(r) = &existing {
        if r.mint_decimals != section.decimals {
            bail!("{symbol}: the reserve's mint has {} decimals, the file says {}", r.mint_decimals, section.decimals);
        }
    }
    let feed_id = match file_feed_id(section)? {
        Some(feed) => feed,
        None => existing.as_ref().map(|r| r.oracle.feed_id).unwrap_or_else(|| local_feed_id(symbol)),
    };
    // The oracle: the reserve pins its account; a new pull reserve pins its feed's push feed, a
    // new legacy one a fresh address.
    let oracle = match &existing {
        Some(r) => r.oracle.oracle_account,
        None if kind == ORACLE_KIND_LEGACY => Keypair::new().pubkey(),
        None => pda::push_feed(&feed_id),
    };
    // An existing reserve's price account is kept while it still reads as a price for this feed
    // (a re-run does not undo `set-price`); otherwise the file's initial price is written.
    let current = match (&existing, account(node, &oracle).await?) {
        (Some(r), Some(a)) if r.oracle.feed_id == feed_id && r.oracle.kind == kind => {
            ballast_client::health::oracle_price(r, &oracle, &a.owner, &a.data).ok()
        }
        _ => None,
    };
    if let Some(p) = current {
        println!(
            "  oracle {oracle} exists (price {} x 10^{}, published at {}); kept",
            p.price, p.exponent, p.publish_time
        );
    } else {
        let price = PythPrice::try_from_usd(section.initial_price, exponent, section.oracle.confidence_bps, None, now)
            .ok_or_else(|| {
                anyhow!("{symbol}: initial_price {} does not fit exponent {exponent}", section.initial_price)
            })?;
        write_price(node, &oracle, kind, feed_id, &price).await?;
        println!(
            "  oracle {oracle}: {} ${} (exponent {exponent}, conf {} bps) published at {now}",
            if kind == ORACLE_KIND_LEGACY { "legacy price account" } else { "PriceUpdateV2" },
            section.initial_price,
            section.oracle.confidence_bps
        );
    }

    let params = reserve_config_params(section, feed_id)?;
    let keys = ReserveKeys::new(*market, mint, oracle, spl_token::ID);
    match &existing {
        Some(r) if reserve_matches(r, &params) => println!("  reserve {reserve_key} exists with the file's config"),
        Some(_) => {
            let ixs = with_budget(vec![ix::update_reserve_config(authority.pubkey(), &keys, params)]);
            submit(node, &format!("{symbol}: update_reserve_config"), &ixs, authority, &[]).await?;
        }
        None => {
            let seed_source = funded_token_account(
                node,
                authority,
                &mint,
                CREATION_DEPOSIT,
                &format!("{symbol}: creation deposit of {CREATION_DEPOSIT} base units"),
            )
            .await?;
            let ixs =
                with_budget(vec![ix::init_reserve(authority.pubkey(), &keys, seed_source, params, CREATION_DEPOSIT)]);
            submit(node, &format!("{symbol}: init_reserve {reserve_key}"), &ixs, authority, &[]).await?;
        }
    }
    Ok(DeployedReserve {
        symbol: symbol.to_string(),
        mint: mint.to_string(),
        decimals: section.decimals,
        reserve: reserve_key.to_string(),
        vault: keys.vault.to_string(),
        oracle: oracle.to_string(),
        oracle_kind: section.oracle.kind.clone(),
        token_program: spl_token::ID.to_string(),
    })
}

/// `set-price`: rewrites the reserve's price account with `usd` (EMA `ema_usd`, default `usd`;
/// confidence `conf_bps`), published at the node's clock. The exponent stays the account's.
pub async fn set_price<N: LocalNode>(
    node: &mut N,
    deployment: &Deployment,
    symbol: &str,
    usd: f64,
    conf_bps: u16,
    ema_usd: Option<f64>,
) -> Result<PythPrice> {
    let market = deployment.market_key()?;
    let keys = deployment.reserve(symbol)?.keys(&market)?;
    let data = account(node, &keys.reserve).await?.ok_or_else(|| anyhow!("reserve {} not found", keys.reserve))?.data;
    let reserve =
        ballast_client::accounts::decode_reserve(&data).map_err(|_| anyhow!("{} is not a Reserve", keys.reserve))?;
    let oracle = reserve.oracle.oracle_account;
    let exponent = match account(node, &oracle).await? {
        Some(a) => {
            ballast_client::health::oracle_price(&reserve, &oracle, &a.owner, &a.data).map(|p| p.exponent).unwrap_or(-8)
        }
        None => -8,
    };
    let now = node.now().await.context("reading the node's clock")?;
    let price = PythPrice::try_from_usd(usd, exponent, conf_bps, ema_usd, now)
        .ok_or_else(|| anyhow!("price {usd} does not fit exponent {exponent}"))?;
    write_price(node, &oracle, reserve.oracle.kind, reserve.oracle.feed_id, &price).await?;
    Ok(price)
}

/// A decimal amount of whole tokens ("12.5") in base units, exactly.
pub fn ui_amount(text: &str, decimals: u8) -> Result<u64> {
    let text = text.trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if (whole.is_empty() && frac.is_empty())
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        bail!("amount {text:?} is not a decimal number");
    }
    if frac.len() > decimals as usize {
        bail!("amount {text:?} has more than {decimals} decimal places");
    }
    let scale = 10u128.pow(decimals as u32);
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse()? };
    let frac_units: u128 =
        if frac.is_empty() { 0 } else { frac.parse::<u128>()? * 10u128.pow((decimals as usize - frac.len()) as u32) };
    let total = whole.checked_mul(scale).and_then(|w| w.checked_add(frac_units)).filter(|t| *t <= u64::MAX as u128);
    total.map(|t| t as u64).ok_or_else(|| anyhow!("amount {text:?} overflows u64 base units"))
}

/// `fund`: mints `amount` base units of `symbol` into `owner`'s associated token account
/// (created if missing; the authority pays and is the mint authority) and airdrops `lamports`
/// to the owner. Returns the token account.
pub async fn fund<N: LocalNode>(
    node: &mut N,
    deployment: &Deployment,
    authority: &Keypair,
    owner: &Pubkey,
    symbol: &str,
    amount: u64,
    lamports: u64,
) -> Result<Pubkey> {
    let market = deployment.market_key()?;
    let keys = deployment.reserve(symbol)?.keys(&market)?;
    let ata = pda::associated_token_address(owner, &keys.mint, &keys.token_program);
    let mut ixs =
        vec![ix::create_associated_token_account_idempotent(authority.pubkey(), *owner, keys.mint, keys.token_program)];
    if amount > 0 {
        ixs.push(spl_token::instruction::mint_to(
            &keys.token_program,
            &keys.mint,
            &ata,
            &authority.pubkey(),
            &[],
            amount,
        )?);
    }
    submit(node, &format!("mint {amount} base units of {symbol} to {ata} (owner {owner})"), &ixs, authority, &[])
        .await?;
    if lamports > 0 {
        node.airdrop(owner, lamports).await.with_context(|| format!("requestAirdrop to {owner}"))?;
        println!("  airdropped {:.3} SOL to {owner}", lamports as f64 / 1e9);
    }
    Ok(ata)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_amounts_are_exact() {
        assert_eq!(ui_amount("12.5", 6).unwrap(), 12_500_000);
        assert_eq!(ui_amount("1", 9).unwrap(), 1_000_000_000);
        assert_eq!(ui_amount(".25", 2).unwrap(), 25);
        assert!(ui_amount("0.1234567", 6).is_err());
        assert!(ui_amount("-1", 6).is_err());
        assert!(ui_amount("99999999999999999999", 6).is_err());
    }

    #[test]
    fn price_accounts_carry_the_feed_and_owner() {
        let price = PythPrice::from_usd(150.0, -8, 10, None, 7);
        let pull = price_account(1, [4; 32], &price, 100);
        assert_eq!(pull.owner, PYTH_RECEIVER_PROGRAM_ID);
        assert_eq!(ballast::oracle::parse_pull_price(&pull.data, &[4; 32]).unwrap().price, 15_000_000_000);
        let legacy = price_account(ORACLE_KIND_LEGACY, [0; 32], &price, 100);
        assert_eq!(legacy.owner, PYTH_LEGACY_PROGRAM_ID);
        assert_ne!(local_feed_id("SOL"), local_feed_id("USDC"));
    }
}
