//! Runs the sBPF build of `programs/ballast` (sbf/target/deploy/ballast.so) in mollusk-svm with
//! the real SPL Token program and Pyth accounts written byte for byte, and prints the compute
//! units of every instruction.
//!
//! Instructions are built here from Anchor discriminators (`sha256("global:<name>")[..8]`) and
//! borsh arguments, in the account order of `crates/ballast-client/src/instructions.rs`: this
//! workspace uses the agave 4.x line and cannot depend on the program crate (agave 3.x).
//!
//! Scenario (one market, 16 assets at $1, 6 decimals, Pyth pull oracles):
//! - init_market, 16 x init_reserve (10,000 tokens creation deposit each);
//! - for N in 1, 2, 4, 8, 16: a user deposits 100 tokens in assets 0..N, borrows 72 x N tokens
//!   of asset 0 (health over N positions), get_health (initial and maintenance, N positions),
//!   withdraws 1 token of asset N-1 (health over N positions), repays 1 token of asset 0;
//! - asset 0's price rises to $1.40: every user with N >= 2 becomes liquidatable and is
//!   liquidated (repay 20 tokens of asset 0, seize asset 1), reading N health positions;
//! - a market where every reserve has debt (a background borrower, a day of interest booked):
//!   borrow, health and withdraw with 1 and 16 positions, then 16 reserves accruing an hour;
//! - a legacy-format (Pyth v2 price account) market with 2 assets checks the other oracle path.

#[cfg(feature = "profile")]
mod profile;

mod budget;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mollusk_svm::program::loader_keys::LOADER_V3;
use mollusk_svm::result::{InstructionResult, ProgramResult};
use mollusk_svm::{Mollusk, MolluskContext};
use mollusk_svm_programs_token::token;
use sha2::{Digest, Sha256};
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_program_option::COption;
use solana_program_pack::Pack;
use solana_pubkey::{pubkey, Pubkey};
use solana_svm_log_collector::LogCollector;
use spl_token_interface::state::{Account as TokenAccount, AccountState, Mint};

const PROGRAM_ID: Pubkey = pubkey!("AxKxQ7pR8RKQDTo5BycZbrhA4qz2eDT5Y4gpNLBbW9A");
const PYTH_RECEIVER_ID: Pubkey = pubkey!("rec5EKMGg6MxZYaMdyBfgwp4d5rB9T1VQH5pJv5LtFJ");
const PYTH_LEGACY_ID: Pubkey = pubkey!("FsJ3A3u2vn5cTVofAjvy6y5kwABJAqYWpe4975bi2uFH");
const SYSTEM_PROGRAM_ID: Pubkey = pubkey!("11111111111111111111111111111111");
const TOKEN_PROGRAM_ID: Pubkey = token::ID;

const NOW: i64 = 1_750_000_000;
const DECIMALS: u8 = 6;
const UNIT: u64 = 1_000_000; // one token in base units
const WAD: u128 = 1_000_000_000_000_000_000;
const ASSETS: usize = 16;

// ---------------------------------------------------------------------------------------------
// Instruction data: Anchor discriminator + borsh.

fn discriminator(namespace: &str, name: &str) -> [u8; 8] {
    let hash = Sha256::digest(format!("{namespace}:{name}").as_bytes());
    hash[..8].try_into().unwrap()
}

struct Borsh(Vec<u8>);

impl Borsh {
    fn ix(name: &str) -> Borsh {
        Borsh(discriminator("global", name).to_vec())
    }
    fn u8(mut self, v: u8) -> Self {
        self.0.push(v);
        self
    }
    fn u16(mut self, v: u16) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u32(mut self, v: u32) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(mut self, v: u64) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u128(mut self, v: u128) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn bytes(mut self, v: &[u8]) -> Self {
        self.0.extend_from_slice(v);
        self
    }
}

/// `MarketConfigParams` as in tests/src/market.rs `default_market_params` (borsh, field order).
fn market_params(b: Borsh) -> Borsh {
    b.u16(5_000) // close_factor_bps
        .u16(9_500) // full_liquidation_health_factor_bps
        .u16(11_000) // target_health_factor_bps
        .u16(1_000) // bonus_ramp_bps
        .u128(2 * WAD) // dust_value_usd
        .u64(86_400) // max_pause_secs
}

/// `ReserveConfigParams` as in tests/src/market.rs `default_params` (borsh, field order).
fn reserve_params(b: Borsh, oracle_kind: u8, feed_id: [u8; 32]) -> Borsh {
    let curve: [(u16, u32); 3] = [(0, 0), (8_000, 800), (10_000, 10_000)];
    let mut b = b
        .u16(7_500) // ltv
        .u16(8_000) // liquidation threshold
        .u16(10_000) // borrow factor
        .u16(200) // min bonus
        .u16(1_000) // max bonus
        .u16(1_000) // protocol liquidation fee
        .u16(1_000) // protocol take rate
        .u16(500) // insurance take rate
        .u64(u64::MAX) // supply cap
        .u64(u64::MAX) // borrow cap
        .u32(curve.len() as u32);
    for (u, r) in curve {
        b = b.u16(u).u32(r);
    }
    b.u8(oracle_kind)
        .bytes(&feed_id)
        .u64(60) // max_price_age_secs
        .u16(200) // max_confidence_bps
        .u64(u64::MAX) // collateral_value_cap_usd: none
        .u16(10_000) // utilization_ceiling_bps: none
        .u16(0) // haircut_start_bps
        .u16(1) // haircut_end_bps
        .u16(0) // max_haircut_bps: no haircut
        .u16(1_000) // max_ema_deviation_bps: circuit breaker at a 10% spot-EMA gap
}

fn w(key: Pubkey) -> AccountMeta {
    AccountMeta::new(key, false)
}
fn r(key: Pubkey) -> AccountMeta {
    AccountMeta::new_readonly(key, false)
}
fn ws(key: Pubkey) -> AccountMeta {
    AccountMeta::new(key, true)
}
fn rs(key: Pubkey) -> AccountMeta {
    AccountMeta::new_readonly(key, true)
}

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &PROGRAM_ID).0
}

#[derive(Clone, Copy)]
struct Reserve {
    reserve: Pubkey,
    mint: Pubkey,
    vault: Pubkey,
    vault_authority: Pubkey,
    oracle: Pubkey,
    feed_id: [u8; 32],
    legacy: bool,
}

impl Reserve {
    fn new(market: Pubkey, legacy: bool) -> Reserve {
        let mint = Pubkey::new_unique();
        let reserve = pda(&[b"reserve", market.as_ref(), mint.as_ref()]);
        Reserve {
            reserve,
            mint,
            vault: pda(&[b"vault", reserve.as_ref()]),
            vault_authority: pda(&[b"vault-authority", reserve.as_ref()]),
            oracle: Pubkey::new_unique(),
            feed_id: Pubkey::new_unique().to_bytes(),
            legacy,
        }
    }
}

fn obligation_key(market: &Pubkey, owner: &Pubkey) -> Pubkey {
    pda(&[b"obligation", market.as_ref(), owner.as_ref()])
}

fn health_metas(pairs: &[Reserve]) -> Vec<AccountMeta> {
    pairs.iter().flat_map(|p| [r(p.reserve), r(p.oracle)]).collect()
}

fn ix(accounts: Vec<AccountMeta>, data: Borsh, health: &[Reserve]) -> Instruction {
    let mut accounts = accounts;
    accounts.extend(health_metas(health));
    Instruction { program_id: PROGRAM_ID, accounts, data: data.0 }
}

fn init_market_ix(authority: Pubkey, market: Pubkey) -> Instruction {
    ix(
        vec![ws(authority), ws(market), r(SYSTEM_PROGRAM_ID)],
        market_params(Borsh::ix("init_market").bytes(b"USD\0\0\0\0\0")),
        &[],
    )
}

fn init_reserve_ix(authority: Pubkey, market: Pubkey, res: &Reserve, seed_source: Pubkey, initial: u64) -> Instruction {
    ix(
        vec![
            ws(authority),
            w(market),
            w(res.reserve),
            r(res.mint),
            r(res.vault_authority),
            w(res.vault),
            r(res.oracle),
            w(seed_source),
            r(TOKEN_PROGRAM_ID),
            r(SYSTEM_PROGRAM_ID),
        ],
        reserve_params(Borsh::ix("init_reserve"), if res.legacy { 2 } else { 1 }, res.feed_id).u64(initial),
        &[],
    )
}

fn init_obligation_ix(owner: Pubkey, market: Pubkey) -> Instruction {
    ix(
        vec![ws(owner), r(market), w(obligation_key(&market, &owner)), r(SYSTEM_PROGRAM_ID)],
        Borsh::ix("init_obligation"),
        &[],
    )
}

fn deposit_ix(owner: Pubkey, market: Pubkey, res: &Reserve, source: Pubkey, amount: u64) -> Instruction {
    ix(
        vec![
            rs(owner),
            r(market),
            w(res.reserve),
            w(obligation_key(&market, &owner)),
            r(res.mint),
            w(res.vault),
            w(source),
            r(TOKEN_PROGRAM_ID),
        ],
        Borsh::ix("deposit").u64(amount),
        &[],
    )
}

/// withdraw and borrow share their account list.
fn outflow_ix(
    name: &str,
    owner: Pubkey,
    market: Pubkey,
    res: &Reserve,
    dest: Pubkey,
    amount: u64,
    health: &[Reserve],
) -> Instruction {
    ix(
        vec![
            rs(owner),
            r(market),
            w(res.reserve),
            w(obligation_key(&market, &owner)),
            r(res.mint),
            w(res.vault),
            r(res.vault_authority),
            w(dest),
            r(TOKEN_PROGRAM_ID),
        ],
        Borsh::ix(name).u64(amount),
        health,
    )
}

fn repay_ix(
    payer: Pubkey,
    market: Pubkey,
    res: &Reserve,
    obligation: Pubkey,
    source: Pubkey,
    amount: u64,
) -> Instruction {
    ix(
        vec![
            rs(payer),
            r(market),
            w(res.reserve),
            w(obligation),
            r(res.mint),
            w(res.vault),
            w(source),
            r(TOKEN_PROGRAM_ID),
        ],
        Borsh::ix("repay").u64(amount),
        &[],
    )
}

#[allow(clippy::too_many_arguments)]
fn liquidate_ix(
    liquidator: Pubkey,
    market: Pubkey,
    obligation: Pubkey,
    repay: &Reserve,
    repay_source: Pubkey,
    collateral: &Reserve,
    collateral_destination: Pubkey,
    repay_amount: u64,
    health: &[Reserve],
) -> Instruction {
    ix(
        vec![
            rs(liquidator),
            r(market),
            w(obligation),
            w(repay.reserve),
            r(repay.mint),
            w(repay.vault),
            w(repay_source),
            w(collateral.reserve),
            r(collateral.mint),
            w(collateral.vault),
            r(collateral.vault_authority),
            w(collateral_destination),
            r(TOKEN_PROGRAM_ID),
            r(TOKEN_PROGRAM_ID),
        ],
        Borsh::ix("liquidate").u64(repay_amount).u64(0),
        health,
    )
}

fn get_health_ix(market: Pubkey, obligation: Pubkey, initial: bool, health: &[Reserve]) -> Instruction {
    ix(vec![r(market), r(obligation)], Borsh::ix("get_health").u8(initial as u8), health)
}

// ---------------------------------------------------------------------------------------------
// Accounts written directly: SPL Token mints and token accounts (packed by spl-token-interface),
// Pyth accounts in their exact byte layouts.

fn mint_account(authority: Pubkey) -> Account {
    token::create_account_for_mint(Mint {
        mint_authority: COption::Some(authority),
        supply: 1_000_000_000 * UNIT,
        decimals: DECIMALS,
        is_initialized: true,
        freeze_authority: COption::None,
    })
}

fn token_account(mint: Pubkey, owner: Pubkey, amount: u64) -> Account {
    token::create_account_for_token_account(TokenAccount {
        mint,
        owner,
        amount,
        delegate: COption::None,
        state: AccountState::Initialized,
        is_native: COption::None,
        delegated_amount: 0,
        close_authority: COption::None,
    })
}

fn token_balance(account: &Account) -> u64 {
    TokenAccount::unpack(&account.data).expect("token account").amount
}

/// A price of `usd` with exponent -8, confidence 0.1% and EMA equal to spot (tests/src/pyth.rs
/// `TestPrice::usd`).
struct Price {
    price: i64,
    conf: u64,
    exponent: i32,
    publish_time: i64,
}

fn price(usd: f64) -> Price {
    let price = (usd * 1e8).round() as i64;
    Price { price, conf: (price / 1_000) as u64, exponent: -8, publish_time: NOW }
}

/// `PriceUpdateV2` as the receiver SDK serializes it: Anchor account discriminator, then borsh
/// `{ write_authority, verification_level: Full, price_message: PriceFeedMessage, posted_slot }`,
/// `PriceUpdateV2::LEN` (134) bytes, owned by the Pyth receiver program.
fn pull_price_account(feed_id: [u8; 32], p: &Price) -> Account {
    let data = Borsh(discriminator("account", "PriceUpdateV2").to_vec())
        .bytes(Pubkey::new_unique().as_ref()) // write_authority
        .u8(1) // VerificationLevel::Full
        .bytes(&feed_id)
        .u64(p.price as u64)
        .u64(p.conf)
        .u32(p.exponent as u32)
        .u64(p.publish_time as u64)
        .u64((p.publish_time - 1) as u64) // prev_publish_time
        .u64(p.price as u64) // ema_price
        .u64(p.conf) // ema_conf
        .u64(1) // posted_slot
        .0;
    let mut data = data;
    assert_eq!(data.len(), 133);
    data.resize(134, 0); // PriceUpdateV2::LEN counts 2 bytes for the verification level
    Account { lamports: 10_000_000, data, owner: PYTH_RECEIVER_ID, executable: false, rent_epoch: 0 }
}

/// Pyth v2 legacy `PriceAccount` (3,312 bytes), the same fields as tests/src/pyth.rs
/// `legacy_price_bytes`, written at their `#[repr(C)]` offsets.
fn legacy_price_account(p: &Price) -> Account {
    let mut d = vec![0u8; 3312];
    let mut put = |offset: usize, bytes: &[u8]| d[offset..offset + bytes.len()].copy_from_slice(bytes);
    put(0, &0xa1b2c3d4u32.to_le_bytes()); // magic
    put(4, &2u32.to_le_bytes()); // ver
    put(8, &3u32.to_le_bytes()); // atype: price
    put(12, &3312u32.to_le_bytes()); // size
    put(16, &1u32.to_le_bytes()); // ptype: price
    put(20, &p.exponent.to_le_bytes()); // expo
    put(24, &1u32.to_le_bytes()); // num
    put(28, &1u32.to_le_bytes()); // num_qt
    put(32, &10u64.to_le_bytes()); // last_slot
    put(40, &10u64.to_le_bytes()); // valid_slot
    for (offset, v) in [(48, p.price), (56, p.price), (64, 1), (72, p.conf as i64), (80, p.conf as i64), (88, 1)] {
        put(offset, &v.to_le_bytes()); // ema_price, ema_conf: Rational { val, numer, denom }
    }
    put(96, &p.publish_time.to_le_bytes()); // timestamp
    put(104, &[1]); // min_pub
    put(176, &9u64.to_le_bytes()); // prev_slot
    put(184, &p.price.to_le_bytes()); // prev_price
    put(192, &p.conf.to_le_bytes()); // prev_conf
    put(200, &(p.publish_time - 1).to_le_bytes()); // prev_timestamp
    put(208, &p.price.to_le_bytes()); // agg.price
    put(216, &p.conf.to_le_bytes()); // agg.conf
    put(224, &1u32.to_le_bytes()); // agg.status: trading
    put(232, &10u64.to_le_bytes()); // agg.pub_slot
    Account { lamports: 10_000_000, data: d, owner: PYTH_LEGACY_ID, executable: false, rent_epoch: 0 }
}

fn system_account(lamports: u64) -> Account {
    Account { lamports, data: vec![], owner: SYSTEM_PROGRAM_ID, executable: false, rent_epoch: 0 }
}

// ---------------------------------------------------------------------------------------------
// The harness.

struct Harness {
    ctx: MolluskContext<HashMap<Pubkey, Account>>,
    rows: Vec<(String, u64, u64)>,
    failures: usize,
    /// With `--features profile`: the label to profile and its samples (see profile.rs).
    #[cfg(feature = "profile")]
    profile: Option<(String, Rc<RefCell<profile::Samples>>)>,
}

impl Harness {
    fn new(elf: &[u8]) -> Harness {
        #[cfg(feature = "profile")]
        let profile = std::env::var("BALLAST_SBF_PROFILE").ok().map(|label| {
            // Mollusk turns register tracing on for programs it loads while SBF_TRACE_DIR is set.
            std::env::set_var("SBF_TRACE_DIR", "target/sbf-trace");
            (label, Rc::new(RefCell::new(profile::Samples::default())))
        });
        let mut mollusk = Mollusk::default();
        #[cfg(feature = "profile")]
        if let Some((_, samples)) = &profile {
            let profiler = profile::Profiler { program_id: PROGRAM_ID, samples: Rc::clone(samples) };
            mollusk.invocation_inspect_callback = Box::new(profiler);
        }
        mollusk.add_program_with_loader_and_elf(&PROGRAM_ID, &LOADER_V3, elf);
        token::add_program(&mut mollusk);
        mollusk.sysvars.clock.unix_timestamp = NOW;
        mollusk.sysvars.clock.slot = 100;
        Harness {
            ctx: mollusk.with_context(HashMap::new()),
            rows: Vec::new(),
            failures: 0,
            #[cfg(feature = "profile")]
            profile,
        }
    }

    fn set(&mut self, key: Pubkey, account: Account) {
        self.ctx.account_store.borrow_mut().insert(key, account);
    }

    fn get(&self, key: &Pubkey) -> Account {
        self.ctx.account_store.borrow().get(key).cloned().expect("account exists")
    }

    fn funded(&mut self) -> Pubkey {
        let key = Pubkey::new_unique();
        self.set(key, system_account(100_000_000_000));
        key
    }

    fn token_account(&mut self, mint: Pubkey, owner: Pubkey, amount: u64) -> Pubkey {
        let key = Pubkey::new_unique();
        self.set(key, token_account(mint, owner, amount));
        key
    }

    /// Publishes `usd` for `res` at the current clock.
    fn set_price(&mut self, res: &Reserve, usd: f64) {
        let price = Price { publish_time: self.ctx.mollusk.sysvars.clock.unix_timestamp, ..price(usd) };
        let account = if res.legacy { legacy_price_account(&price) } else { pull_price_account(res.feed_id, &price) };
        self.set(res.oracle, account);
    }

    /// Moves the clock forward.
    fn warp(&mut self, secs: i64) {
        self.ctx.mollusk.sysvars.clock.unix_timestamp += secs;
        self.ctx.mollusk.sysvars.clock.slot += (secs as u64) * 5 / 2;
    }

    /// Runs one instruction; records its CU (total, and without the CPIs it made) under `label`.
    fn run(&mut self, label: impl Into<String>, instruction: &Instruction) -> InstructionResult {
        let label = label.into();
        let logger = LogCollector::new_ref();
        self.ctx.mollusk.logger = Some(Rc::clone(&logger));
        #[cfg(feature = "profile")]
        let profiled = match &self.profile {
            Some((wanted, samples)) if *wanted == label => {
                samples.borrow_mut().recording = true;
                Some(Rc::clone(samples))
            }
            _ => None,
        };
        let result = self.ctx.process_instruction(instruction);
        #[cfg(feature = "profile")]
        if let Some(samples) = profiled {
            samples.borrow_mut().recording = false;
            let debug_elf =
                std::env::var("BALLAST_SBF_PROFILE_ELF").expect("BALLAST_SBF_PROFILE_ELF (the .so with debug info)");
            profile::report(&label, &samples.borrow(), &debug_elf, result.compute_units_consumed);
        }
        let cpi: u64 =
            result.cpi_compute_units.iter().filter(|c| c.stack_height == 2).map(|c| c.compute_units_consumed).sum();
        match &result.program_result {
            ProgramResult::Success => {
                self.rows.push((label.clone(), result.compute_units_consumed, result.compute_units_consumed - cpi));
            }
            other => {
                self.failures += 1;
                println!("FAILED {label}: {other:?} ({} CU)", result.compute_units_consumed);
                for line in logger.borrow().get_recorded_content() {
                    println!("    {line}");
                }
            }
        }
        if std::env::var_os("BALLAST_SBF_LOGS").is_some() {
            println!("--- {label}");
            for line in logger.borrow().get_recorded_content() {
                println!("    {line}");
            }
        }
        result
    }

    fn cu(&self, label: &str) -> Option<u64> {
        self.rows.iter().find(|(l, _, _)| l == label).map(|(_, cu, _)| *cu)
    }
}

/// `HealthReport` (5 x u128 + bool) from get_health's return data.
fn decode_health(data: &[u8]) -> Option<(f64, bool)> {
    if data.len() != 81 {
        return None;
    }
    let hf = u128::from_le_bytes(data[64..80].try_into().unwrap());
    let hf = if hf == u128::MAX { f64::INFINITY } else { hf as f64 / WAD as f64 };
    Some((hf, data[80] != 0))
}

struct Market {
    key: Pubkey,
    authority: Pubkey,
    reserves: Vec<Reserve>,
}

fn create_market(h: &mut Harness, assets: usize, legacy: bool, initial: u64, label: &str) -> Market {
    let authority = h.funded();
    let key = Pubkey::new_unique();
    h.run(format!("init_market{label}"), &init_market_ix(authority, key));
    let mut reserves = Vec::new();
    for i in 0..assets {
        let res = Reserve::new(key, legacy);
        h.set(res.mint, mint_account(authority));
        h.set_price(&res, 1.0);
        let seed = h.token_account(res.mint, authority, initial);
        let tag = if i == 0 { format!("init_reserve{label}") } else { format!("init_reserve{label} #{}", i + 1) };
        h.run(tag, &init_reserve_ix(authority, key, &res, seed, initial));
        reserves.push(res);
    }
    Market { key, authority, reserves }
}

struct User {
    n: usize,
    owner: Pubkey,
    obligation: Pubkey,
    accounts: Vec<Pubkey>,
}

/// A new user of market `m` with `n` positions: deposits 100 tokens in each of the first `n`
/// assets, borrows 72 x N tokens of asset 0, reads its health (initial and maintenance) and
/// withdraws 1 token of asset N-1. Rows are labelled `"<step> (<tag>N=<n>)"`.
fn open_borrow_withdraw(h: &mut Harness, m: &Market, n: usize, tag: &str) -> User {
    let res = &m.reserves;
    let owner = h.funded();
    let accounts: Vec<Pubkey> = res.iter().map(|r| h.token_account(r.mint, owner, 1_000 * UNIT)).collect();
    h.run(format!("init_obligation ({tag}N={n})"), &init_obligation_ix(owner, m.key));
    for (i, reserve) in res.iter().enumerate().take(n) {
        h.run(
            format!("deposit ({tag}N={n}, position {})", i + 1),
            &deposit_ix(owner, m.key, reserve, accounts[i], 100 * UNIT),
        );
    }
    let positions = &res[..n];
    let borrow = 72 * n as u64 * UNIT;
    let before = token_balance(&h.get(&accounts[0]));
    h.run(format!("borrow ({tag}N={n})"), &outflow_ix("borrow", owner, m.key, &res[0], accounts[0], borrow, positions));
    assert_eq!(token_balance(&h.get(&accounts[0])) - before, borrow, "borrowed tokens arrived");
    let obligation = obligation_key(&m.key, &owner);
    for initial in [true, false] {
        let kind = if initial { "initial" } else { "maintenance" };
        let result =
            h.run(format!("get_health {kind} ({tag}N={n})"), &get_health_ix(m.key, obligation, initial, positions));
        if let Some((hf, liquidatable)) = decode_health(&result.return_data) {
            println!("  {tag}N={n:2} {kind:11} health factor {hf:.4} liquidatable {liquidatable}");
        }
    }
    h.run(
        format!("withdraw ({tag}N={n})"),
        &outflow_ix("withdraw", owner, m.key, &res[n - 1], accounts[n - 1], UNIT, positions),
    );
    User { n, owner, obligation, accounts }
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "target/deploy/ballast.so".into());
    let elf = std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e} (run scripts/build-sbf first)"));
    println!("program: {path} ({} bytes)", elf.len());
    if std::env::var_os("RUST_LOG").is_none() {
        // Mollusk logs every program log line at debug level; the table is the output here
        // (BALLAST_SBF_LOGS=1 prints each instruction's logs instead).
        std::env::set_var("RUST_LOG", "error");
    }
    let mut h = Harness::new(&elf);

    // --- market with 16 pull-oracle assets --------------------------------------------------
    let m = create_market(&mut h, ASSETS, false, 10_000 * UNIT, "");
    let _ = m.authority;
    let res = m.reserves.clone();

    let users: Vec<User> = [1usize, 2, 4, 8, 16]
        .into_iter()
        .map(|n| {
            let u = open_borrow_withdraw(&mut h, &m, n, "");
            h.run(format!("repay (N={n})"), &repay_ix(u.owner, m.key, &res[0], u.obligation, u.accounts[0], UNIT));
            u
        })
        .collect();

    // --- asset 0 (the debt) rises to $1.40: liquidations ------------------------------------
    h.set_price(&res[0], 1.40);
    let liquidator = h.funded();
    let repay_source = h.token_account(res[0].mint, liquidator, 10_000 * UNIT);
    let destination = h.token_account(res[1].mint, liquidator, 0);
    for u in users.iter().filter(|u| u.n >= 2) {
        let positions = &res[..u.n];
        let result = h.run(
            format!("get_health maintenance, liquidatable (N={})", u.n),
            &get_health_ix(m.key, u.obligation, false, positions),
        );
        if let Some((hf, liquidatable)) = decode_health(&result.return_data) {
            println!("  N={:2} after the price move: health factor {hf:.4} liquidatable {liquidatable}", u.n);
        }
        let before = token_balance(&h.get(&destination));
        h.run(
            format!("liquidate (N={})", u.n),
            &liquidate_ix(
                liquidator,
                m.key,
                u.obligation,
                &res[0],
                repay_source,
                &res[1],
                destination,
                20 * UNIT,
                positions,
            ),
        );
        println!(
            "  N={:2} liquidator received {} base units of asset 1",
            u.n,
            token_balance(&h.get(&destination)) - before
        );
    }

    // --- an hour later: every instruction accrues interest on the reserves it reads ----------
    // Above, the clock never moves, so no reserve accrues. Here asset 0 (the only one with debt)
    // runs its interest curve and compounding; the others only advance their timestamp.
    h.warp(3_600);
    for (i, reserve) in res.iter().enumerate() {
        h.set_price(reserve, if i == 0 { 1.40 } else { 1.0 });
    }
    for u in users.iter().filter(|u| u.n == 2 || u.n == 16) {
        let positions = &res[..u.n];
        h.run(
            format!("get_health maintenance, 1 h later (N={})", u.n),
            &get_health_ix(m.key, u.obligation, false, positions),
        );
        h.run(
            format!("repay, 1 h later (N={})", u.n),
            &repay_ix(u.owner, m.key, &res[0], u.obligation, u.accounts[0], UNIT),
        );
    }

    // --- a market where every reserve has debt ----------------------------------------------
    // Above, the extra positions are collateral in reserves nobody borrows from, whose total
    // debt is zero. Here a background account borrows from every reserve and a day of interest
    // is booked on each (borrow indices above 1.0), as in a live market; health then values
    // every reserve's total debt.
    let b = create_market(&mut h, ASSETS, false, 10_000 * UNIT, " (borrowed market)");
    let background = h.funded();
    let collateral = h.token_account(b.reserves[0].mint, background, 8_000 * UNIT);
    let background_obligation = obligation_key(&b.key, &background);
    h.run("init_obligation (borrowed market, background)", &init_obligation_ix(background, b.key));
    h.run(
        "deposit (borrowed market, background)",
        &deposit_ix(background, b.key, &b.reserves[0], collateral, 8_000 * UNIT),
    );
    let mut debt_sources = Vec::new();
    for (i, reserve) in b.reserves.iter().enumerate() {
        let account = h.token_account(reserve.mint, background, 0);
        // Positions in obligation order: asset 0 (collateral, then also debt), then 1..=i.
        h.run(
            format!("borrow (borrowed market, background, asset {i})"),
            &outflow_ix("borrow", background, b.key, reserve, account, 100 * UNIT, &b.reserves[..=i]),
        );
        debt_sources.push(account);
    }
    h.warp(86_400);
    for (i, reserve) in b.reserves.iter().enumerate() {
        h.set_price(reserve, 1.0);
        // A repay accrues the reserve and stores its new borrow index.
        h.run(
            format!("repay (borrowed market, background, asset {i}, a day later)"),
            &repay_ix(background, b.key, reserve, background_obligation, debt_sources[i], UNIT),
        );
    }
    for n in [1usize, 16] {
        let u = open_borrow_withdraw(&mut h, &b, n, "borrowed market, ");
        if n == 16 {
            // An hour later every one of the 16 reserves accrues in the health pass.
            h.warp(3_600);
            for reserve in &b.reserves {
                h.set_price(reserve, 1.0);
            }
            h.run(
                "get_health maintenance, 1 h later, 16 reserves accrue (borrowed market, N=16)",
                &get_health_ix(b.key, u.obligation, false, &b.reserves),
            );
        }
    }

    // --- a 2-asset market on legacy Pyth price accounts --------------------------------------
    let l = create_market(&mut h, 2, true, 10_000 * UNIT, " (legacy oracle)");
    let owner = h.funded();
    let accounts: Vec<Pubkey> = l.reserves.iter().map(|r| h.token_account(r.mint, owner, 1_000 * UNIT)).collect();
    h.run("init_obligation (legacy oracle)", &init_obligation_ix(owner, l.key));
    for (i, reserve) in l.reserves.iter().enumerate() {
        h.run(
            format!("deposit (legacy oracle, position {})", i + 1),
            &deposit_ix(owner, l.key, reserve, accounts[i], 100 * UNIT),
        );
    }
    h.run(
        "borrow (legacy oracle, N=2)",
        &outflow_ix("borrow", owner, l.key, &l.reserves[0], accounts[0], 144 * UNIT, &l.reserves),
    );
    h.run(
        "get_health initial (legacy oracle, N=2)",
        &get_health_ix(l.key, obligation_key(&l.key, &owner), true, &l.reserves),
    );
    h.run(
        "withdraw (legacy oracle, N=2)",
        &outflow_ix("withdraw", owner, l.key, &l.reserves[1], accounts[1], UNIT, &l.reserves),
    );

    // --- report -------------------------------------------------------------------------------
    println!();
    println!("| instruction | CU (total) | CU (without token CPIs) |");
    println!("|---|---:|---:|");
    for (label, cu, own) in &h.rows {
        println!("| {label} | {cu} | {own} |");
    }
    println!();
    println!("| positions N | borrow | withdraw | get_health initial | get_health maintenance | liquidate |");
    println!("|---:|---:|---:|---:|---:|---:|");
    let show = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
    for n in [1, 2, 4, 8, 16] {
        println!(
            "| {n} | {} | {} | {} | {} | {} |",
            show(h.cu(&format!("borrow (N={n})"))),
            show(h.cu(&format!("withdraw (N={n})"))),
            show(h.cu(&format!("get_health initial (N={n})"))),
            show(h.cu(&format!("get_health maintenance (N={n})"))),
            show(h.cu(&format!("liquidate (N={n})"))),
        );
    }
    if let (Some(b1), Some(b16)) = (h.cu("borrow (N=1)"), h.cu("borrow (N=16)")) {
        println!("\nborrow: {:.0} CU per extra position (N=1 -> 16)", (b16 as f64 - b1 as f64) / 15.0);
    }
    if let (Some(g1), Some(g16)) = (h.cu("get_health initial (N=1)"), h.cu("get_health initial (N=16)")) {
        println!("get_health initial: {:.0} CU per extra position (N=1 -> 16)", (g16 as f64 - g1 as f64) / 15.0);
    }
    if let (Some(g1), Some(g16)) = (h.cu("get_health maintenance (N=1)"), h.cu("get_health maintenance (N=16)")) {
        println!("get_health maintenance: {:.0} CU per extra position (N=1 -> 16)", (g16 as f64 - g1 as f64) / 15.0);
    }
    if let (Some(l2), Some(l16)) = (h.cu("liquidate (N=2)"), h.cu("liquidate (N=16)")) {
        println!("liquidate: {:.0} CU per extra position (N=2 -> 16)", (l16 as f64 - l2 as f64) / 14.0);
    }
    for step in ["borrow", "withdraw", "get_health initial", "get_health maintenance"] {
        if let (Some(one), Some(sixteen)) =
            (h.cu(&format!("{step} (borrowed market, N=1)")), h.cu(&format!("{step} (borrowed market, N=16)")))
        {
            let per_position = (sixteen as f64 - one as f64) / 15.0;
            println!("{step}, every reserve borrowed: {per_position:.0} CU per extra position (N=1 -> 16)");
        }
    }
    let _ = RefCell::new(());
    let budget_failures = budget::check(&h.rows);
    if h.failures > 0 || budget_failures > 0 {
        eprintln!("{} instruction(s) failed, {budget_failures} compute-unit check(s) failed", h.failures);
        std::process::exit(1);
    }
}
