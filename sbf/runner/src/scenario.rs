//! The runner's scenario building blocks: a market of $1 assets, and a user who deposits,
//! borrows, reads its health and withdraws (each step a CU row).

use ballast_interface::ix;
use solana_pubkey::Pubkey;

use crate::accounts::{
    decode_health, health, instruction, mint_account, obligation_key, reserve_params, token_balance, Reserve, UNIT,
};
use crate::harness::Harness;

/// A runner market: its key, authority and reserves.
pub struct Market {
    pub key: Pubkey,
    pub authority: Pubkey,
    pub reserves: Vec<Reserve>,
}

/// A market of `assets` reserves at $1 (legacy or pull oracles), each created with an `initial`
/// deposit; rows `init_market<label>`, `init_reserve<label> #i`.
pub fn create_market(h: &mut Harness, assets: usize, legacy: bool, initial: u64, label: &str) -> Market {
    let authority = h.funded();
    let key = Pubkey::new_unique();
    h.run(
        format!("init_market{label}"),
        &instruction(ix::init_market(
            authority,
            key,
            *b"USD\0\0\0\0\0",
            &ballast_interface::raw::test_market::market_params(),
        )),
    );
    let mut reserves = Vec::new();
    for i in 0..assets {
        let res = Reserve::new(key, legacy);
        h.set(res.keys.mint, mint_account(authority));
        h.set_price(&res, 1.0);
        let seed = h.token_account(res.keys.mint, authority, initial);
        let tag = if i == 0 { format!("init_reserve{label}") } else { format!("init_reserve{label} #{}", i + 1) };
        h.run(tag, &instruction(ix::init_reserve(authority, &res.keys, seed, &reserve_params(&res), initial)));
        reserves.push(res);
    }
    Market { key, authority, reserves }
}

/// A user of a runner market: its positions, wallet, obligation and token accounts (one per asset).
pub struct User {
    pub n: usize,
    pub owner: Pubkey,
    pub obligation: Pubkey,
    pub accounts: Vec<Pubkey>,
}

/// A new user of market `m` with `n` positions: deposits 100 tokens in each of the first `n`
/// assets, borrows 72 x N tokens of asset 0, reads its health (initial and maintenance) and
/// withdraws 1 token of asset N-1. Rows are labelled `"<step> (<tag>N=<n>)"`.
pub fn open_borrow_withdraw(h: &mut Harness, m: &Market, n: usize, tag: &str) -> User {
    open_borrow_withdraw_margined(h, m, n, tag, None)
}

/// As [`open_borrow_withdraw`], the obligation switched to `margin_mode` after its deposits.
pub fn open_borrow_withdraw_margined(
    h: &mut Harness,
    m: &Market,
    n: usize,
    tag: &str,
    margin_mode: Option<u8>,
) -> User {
    let res = &m.reserves;
    let owner = h.funded();
    let accounts: Vec<Pubkey> = res.iter().map(|r| h.token_account(r.keys.mint, owner, 1_000 * UNIT)).collect();
    h.run(
        format!("init_obligation ({tag}N={n})"),
        &instruction(ix::init_obligation(owner, m.key, obligation_key(&m.key, &owner))),
    );
    for (i, reserve) in res.iter().enumerate().take(n) {
        h.run(
            format!("deposit ({tag}N={n}, position {})", i + 1),
            &instruction(ix::deposit(owner, &reserve.keys, obligation_key(&m.key, &owner), accounts[i], 100 * UNIT)),
        );
    }
    let positions = &res[..n];
    if let Some(mode) = margin_mode {
        h.run(
            format!("set_margin_mode ({tag}N={n})"),
            &instruction(ix::set_margin_mode(owner, m.key, obligation_key(&m.key, &owner), mode, &health(positions))),
        );
    }
    let borrow = 72 * n as u64 * UNIT;
    let before = token_balance(&h.get(&accounts[0]));
    h.run(
        format!("borrow ({tag}N={n})"),
        &instruction(ix::borrow(
            owner,
            &res[0].keys,
            obligation_key(&m.key, &owner),
            accounts[0],
            borrow,
            &health(positions),
        )),
    );
    assert_eq!(token_balance(&h.get(&accounts[0])) - before, borrow, "borrowed tokens arrived");
    let obligation = obligation_key(&m.key, &owner);
    for initial in [true, false] {
        let kind = if initial { "initial" } else { "maintenance" };
        let result = h.run(
            format!("get_health {kind} ({tag}N={n})"),
            &instruction(ix::get_health(m.key, obligation, initial, &health(positions))),
        );
        if let Some((hf, liquidatable)) = decode_health(&result.return_data) {
            println!("  {tag}N={n:2} {kind:11} health factor {hf:.4} liquidatable {liquidatable}");
        }
    }
    h.run(
        format!("withdraw ({tag}N={n})"),
        &instruction(ix::withdraw(
            owner,
            &res[n - 1].keys,
            obligation_key(&m.key, &owner),
            accounts[n - 1],
            UNIT,
            &health(positions),
        )),
    );
    User { n, owner, obligation, accounts }
}
