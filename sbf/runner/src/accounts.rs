//! What the runner builds: instructions through `ballast-interface` (the program's own layouts,
//! discriminators and account lists, checked against the program by the client's tests), SPL
//! Token mints and token accounts packed by spl-token-interface, and Pyth accounts written by
//! the interface's writers.

use ballast_interface::ids::{self, PYTH_LEGACY_PROGRAM_ID, PYTH_RECEIVER_PROGRAM_ID};
use ballast_interface::math::OraclePrice;
use ballast_interface::{ix, pyth, raw};
use mollusk_svm_programs_token::token;
use solana_account::Account;
use solana_instruction::{AccountMeta, Instruction};
use solana_program_option::COption;
use solana_program_pack::Pack;
use solana_pubkey::Pubkey;
use spl_token_interface::state::{Account as TokenAccount, AccountState, Mint};

pub const PROGRAM_ID: Pubkey = Pubkey::new_from_array(ids::PROGRAM_ID);
pub const TOKEN_PROGRAM_ID: Pubkey = token::ID;

pub const NOW: i64 = 1_750_000_000;
pub const DECIMALS: u8 = 6;
/// One token in base units.
pub const UNIT: u64 = 1_000_000;
pub const WAD: u128 = ballast_interface::math::WAD;

/// An interface-built instruction as the runtime's.
pub fn instruction(built: ix::Instruction<Pubkey>) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts: built
            .accounts
            .into_iter()
            .map(|m| AccountMeta { pubkey: m.pubkey, is_signer: m.is_signer, is_writable: m.is_writable })
            .collect(),
        data: built.data,
    }
}

pub fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &PROGRAM_ID).0
}

/// The Pyth push feed for `feed_id` on the shard reserves pin.
pub fn push_feed(feed_id: &[u8; 32]) -> Pubkey {
    let shard = ids::PUSH_FEED_SHARD_ID.to_le_bytes();
    Pubkey::find_program_address(
        &ids::push_feed_seeds(&shard, feed_id),
        &Pubkey::new_from_array(ids::PYTH_PUSH_ORACLE_ID),
    )
    .0
}

pub fn obligation_key(market: &Pubkey, owner: &Pubkey) -> Pubkey {
    pda(&ids::obligation_seeds(market.as_array(), owner.as_array()))
}

/// A reserve of a runner market: its keys, its Pyth feed and oracle format.
#[derive(Clone, Copy)]
pub struct Reserve {
    pub keys: ix::ReserveKeys<Pubkey>,
    pub feed_id: [u8; 32],
    pub legacy: bool,
}

impl Reserve {
    pub fn new(market: Pubkey, legacy: bool) -> Reserve {
        let mint = Pubkey::new_unique();
        let reserve = pda(&ids::reserve_seeds(market.as_array(), mint.as_array()));
        // Keys are drawn in the same order for both formats; a pull reserve pins its push feed.
        let legacy_oracle = Pubkey::new_unique();
        let feed_id = Pubkey::new_unique().to_bytes();
        let oracle = if legacy { legacy_oracle } else { push_feed(&feed_id) };
        Reserve {
            keys: ix::ReserveKeys {
                market,
                reserve,
                mint,
                vault: pda(&ids::vault_seeds(reserve.as_array())),
                vault_authority: pda(&ids::vault_authority_seeds(reserve.as_array())),
                oracle,
                token_program: TOKEN_PROGRAM_ID,
            },
            feed_id,
            legacy,
        }
    }
}

/// Health accounts of positions in these reserves, in order.
pub fn health(reserves: &[Reserve]) -> Vec<(Pubkey, Pubkey)> {
    reserves.iter().map(|r| (r.keys.reserve, r.keys.oracle)).collect()
}

/// The reserve configuration of the test markets, for this reserve's oracle.
pub fn reserve_params(reserve: &Reserve) -> raw::ReserveConfigParams {
    raw::ReserveConfigParams {
        oracle_kind: if reserve.legacy { 2 } else { 1 },
        feed_id: reserve.feed_id,
        ..raw::test_market::reserve_params()
    }
}

pub fn mint_account(authority: Pubkey) -> Account {
    token::create_account_for_mint(Mint {
        mint_authority: COption::Some(authority),
        supply: 1_000_000_000 * UNIT,
        decimals: DECIMALS,
        is_initialized: true,
        freeze_authority: COption::None,
    })
}

pub fn token_account(mint: Pubkey, owner: Pubkey, amount: u64) -> Account {
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

pub fn token_balance(account: &Account) -> u64 {
    TokenAccount::unpack(&account.data).expect("token account").amount
}

pub fn system_account(lamports: u64) -> Account {
    Account { lamports, data: vec![], owner: Pubkey::default(), executable: false, rent_epoch: 0 }
}

/// A price of `usd` at `publish_time`: exponent -8, confidence 0.1%, EMA equal to spot
/// (tests/src/pyth.rs `TestPrice::usd`), in the reserve's Pyth format.
pub fn price_account(reserve: &Reserve, usd: f64, publish_time: i64) -> Account {
    let mantissa = (usd * 1e8).round() as i64;
    let conf = (mantissa / 1_000) as u64;
    let price = OraclePrice { price: mantissa, conf, ema_price: mantissa, ema_conf: conf, exponent: -8, publish_time };
    let (data, owner) = if reserve.legacy {
        (pyth::legacy_price_data(&price, pyth::legacy_layout::STATUS_TRADING), PYTH_LEGACY_PROGRAM_ID)
    } else {
        // Draws one key as the runner's writer did for the update's write authority, so every
        // later key, and with it each PDA's bump search, matches the committed CU table.
        let _ = Pubkey::new_unique();
        (pyth::pull_price_data(reserve.keys.oracle.to_bytes(), reserve.feed_id, &price, None), PYTH_RECEIVER_PROGRAM_ID)
    };
    Account { lamports: 10_000_000, data, owner: Pubkey::new_from_array(owner), executable: false, rent_epoch: 0 }
}

/// The health factor and liquidatable flag of `get_health`'s return data (`HealthReport`).
pub fn decode_health(data: &[u8]) -> Option<(f64, bool)> {
    let report: raw::HealthReport = borsh::from_slice(data).ok()?;
    let hf = report.health_factor;
    let hf = if hf == u128::MAX { f64::INFINITY } else { hf as f64 / WAD as f64 };
    Some((hf, report.liquidatable))
}
