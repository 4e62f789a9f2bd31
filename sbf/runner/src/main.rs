//! Runs the sBPF build of `programs/ballast` (sbf/target/deploy/ballast.so) in mollusk-svm with
//! the real SPL Token program and Pyth accounts written byte for byte, and prints the compute
//! units of every instruction.
//!
//! Instructions, accounts and Pyth prices come from `ballast-interface` (the program's own
//! declarations, with neither agave nor Anchor): this workspace uses the agave 4.x line and
//! cannot depend on the program crate (agave 3.x).
//!
//! Scenario (one market, 16 assets at $1, 6 decimals, Pyth pull oracles):
//! - init_market, 16 x init_reserve (10,000 tokens creation deposit each);
//! - for N in 1, 2, 4, 8, 16: a user deposits 100 tokens in assets 0..N, borrows 72 x N tokens
//!   of asset 0 (health over N positions), get_health (initial and maintenance, N positions),
//!   withdraws 1 token of asset N-1 (health over N positions), repays 1 token of asset 0;
//! - asset 0's price rises to $1.40: every user with N >= 2 becomes liquidatable and is
//!   marked for the Dutch auction (`mark_liquidatable`) and liquidated (repay 20 tokens of
//!   asset 0, seize asset 1), reading N health positions;
//! - a market where every reserve has debt (a background borrower, a day of interest booked):
//!   borrow, health and withdraw with 1 and 16 positions, then 16 reserves accruing an hour;
//! - a legacy-format (Pyth v2 price account) market with 2 assets checks the other oracle path;
//! - in the borrowed market, a flash loan repaid in its transaction, and the authority's
//!   withdrawal of accrued protocol fees and insurance.

mod budget;

use ballast_interface::ix;
use solana_pubkey::Pubkey;

use ballast_sbf_runner::accounts::{
    decode_health, health, instruction, obligation_key, reserve_params, token_balance, UNIT,
};
use ballast_sbf_runner::harness::Harness;
use ballast_sbf_runner::scenario::{create_market, open_borrow_withdraw, open_borrow_withdraw_margined, Market, User};

const ASSETS: usize = 16;

/// A new liquidator repays 20 tokens of asset 0 for asset 1 from every user of `m` with N >= 2
/// (with `report`, reading each one's health first and printing what it received). Rows are
/// labelled `"liquidate (<tag>N=<n>)"`.
fn liquidate_users(h: &mut Harness, m: &Market, users: &[User], tag: &str, report: bool) {
    let res = &m.reserves;
    let liquidator = h.funded();
    let repay_source = h.token_account(res[0].keys.mint, liquidator, 10_000 * UNIT);
    let destination = h.token_account(res[1].keys.mint, liquidator, 0);
    for u in users.iter().filter(|u| u.n >= 2) {
        let positions = &res[..u.n];
        if report {
            let result = h.run(
                format!("get_health maintenance, liquidatable ({tag}N={})", u.n),
                &instruction(ix::get_health(m.key, u.obligation, false, &health(positions))),
            );
            if let Some((hf, liquidatable)) = decode_health(&result.return_data) {
                println!("  N={:2} after the price move: health factor {hf:.4} liquidatable {liquidatable}", u.n);
            }
            // The Dutch auction's mark: the liquidation below then runs with its clock started.
            h.run(
                format!("mark_liquidatable ({tag}N={})", u.n),
                &instruction(ix::mark_liquidatable(m.key, u.obligation, &health(positions))),
            );
        }
        let before = token_balance(&h.get(&destination));
        h.run(
            format!("liquidate ({tag}N={})", u.n),
            &instruction(ix::liquidate(
                liquidator,
                u.obligation,
                &res[0].keys,
                &res[1].keys,
                &ix::LiquidationArgs {
                    repay_source,
                    collateral_destination: destination,
                    repay_amount: 20 * UNIT,
                    min_collateral_out: 0,
                    receive_shares_into: None,
                },
                &health(positions),
            )),
        );
        if report {
            let received = token_balance(&h.get(&destination)) - before;
            println!("  N={:2} liquidator received {received} base units of asset 1", u.n);
        }
    }
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
            h.run(
                format!("repay (N={n})"),
                &instruction(ix::repay(u.owner, &res[0].keys, u.obligation, u.accounts[0], UNIT)),
            );
            u
        })
        .collect();

    // --- asset 0 (the debt) rises to $1.40: liquidations ------------------------------------
    h.set_price(&res[0], 1.40);
    liquidate_users(&mut h, &m, &users, "", true);

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
            &instruction(ix::get_health(m.key, u.obligation, false, &health(positions))),
        );
        h.run(
            format!("repay, 1 h later (N={})", u.n),
            &instruction(ix::repay(u.owner, &res[0].keys, u.obligation, u.accounts[0], UNIT)),
        );
    }

    // --- a market where every reserve has debt ----------------------------------------------
    // Above, the extra positions are collateral in reserves nobody borrows from, whose total
    // debt is zero. Here a background account borrows from every reserve and a day of interest
    // is booked on each (borrow indices above 1.0), as in a live market; health then values
    // every reserve's total debt.
    let b = create_market(&mut h, ASSETS, false, 10_000 * UNIT, " (borrowed market)");
    let background = h.funded();
    let collateral = h.token_account(b.reserves[0].keys.mint, background, 8_000 * UNIT);
    let background_obligation = obligation_key(&b.key, &background);
    h.run(
        "init_obligation (borrowed market, background)",
        &instruction(ix::init_obligation(background, b.key, obligation_key(&b.key, &background))),
    );
    h.run(
        "deposit (borrowed market, background)",
        &instruction(ix::deposit(
            background,
            &b.reserves[0].keys,
            obligation_key(&b.key, &background),
            collateral,
            8_000 * UNIT,
        )),
    );
    let mut debt_sources = Vec::new();
    for (i, reserve) in b.reserves.iter().enumerate() {
        let account = h.token_account(reserve.keys.mint, background, 0);
        // Positions in obligation order: asset 0 (collateral, then also debt), then 1..=i.
        h.run(
            format!("borrow (borrowed market, background, asset {i})"),
            &instruction(ix::borrow(
                background,
                &reserve.keys,
                obligation_key(&b.key, &background),
                account,
                100 * UNIT,
                &health(&b.reserves[..=i]),
            )),
        );
        debt_sources.push(account);
    }
    h.warp(86_400);
    for (i, reserve) in b.reserves.iter().enumerate() {
        h.set_price(reserve, 1.0);
        // A repay accrues the reserve and stores its new borrow index.
        h.run(
            format!("repay (borrowed market, background, asset {i}, a day later)"),
            &instruction(ix::repay(background, &reserve.keys, background_obligation, debt_sources[i], UNIT)),
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
                &instruction(ix::get_health(b.key, u.obligation, false, &health(&b.reserves))),
            );
        }
    }

    // --- a 2-asset market on legacy Pyth price accounts --------------------------------------
    let l = create_market(&mut h, 2, true, 10_000 * UNIT, " (legacy oracle)");
    let owner = h.funded();
    let accounts: Vec<Pubkey> = l.reserves.iter().map(|r| h.token_account(r.keys.mint, owner, 1_000 * UNIT)).collect();
    h.run(
        "init_obligation (legacy oracle)",
        &instruction(ix::init_obligation(owner, l.key, obligation_key(&l.key, &owner))),
    );
    for (i, reserve) in l.reserves.iter().enumerate() {
        h.run(
            format!("deposit (legacy oracle, position {})", i + 1),
            &instruction(ix::deposit(owner, &reserve.keys, obligation_key(&l.key, &owner), accounts[i], 100 * UNIT)),
        );
    }
    h.run(
        "borrow (legacy oracle, N=2)",
        &instruction(ix::borrow(
            owner,
            &l.reserves[0].keys,
            obligation_key(&l.key, &owner),
            accounts[0],
            144 * UNIT,
            &health(&l.reserves),
        )),
    );
    h.run(
        "get_health initial (legacy oracle, N=2)",
        &instruction(ix::get_health(l.key, obligation_key(&l.key, &owner), true, &health(&l.reserves))),
    );
    h.run(
        "withdraw (legacy oracle, N=2)",
        &instruction(ix::withdraw(
            owner,
            &l.reserves[1].keys,
            obligation_key(&l.key, &owner),
            accounts[1],
            UNIT,
            &health(&l.reserves),
        )),
    );

    // --- scenario margin: a market with 8 stress scenarios ------------------------------------
    // Each reserve falls in every scenario (scenario k: -(2k + 2)% and a little more per asset),
    // in force after the market's risk ramp; obligations opt in before they borrow.
    let sc = create_market(&mut h, ASSETS, false, 10_000 * UNIT, " (scenario market)");
    let params = ballast_interface::raw::MarketConfigParams {
        scenario_count: 8,
        scenario_initial_buffer_bps: 10_200,
        scenario_maintenance_buffer_bps: 10_100,
        scenario_maintenance_fraction_bps: 6_000,
        ..ballast_interface::raw::test_market::market_params()
    };
    h.run(
        "update_market_config (scenario market, 8 scenarios)",
        &instruction(ix::update_market_config(sc.authority, sc.key, &params)),
    );
    for (i, reserve) in sc.reserves.iter().enumerate() {
        let shocks: [i16; 8] = std::array::from_fn(|k| -((k as i16 + 1) * 200 + i as i16 * 10));
        let params =
            ballast_interface::raw::ReserveConfigParams { scenario_shocks_bps: shocks, ..reserve_params(reserve) };
        let label = if i == 0 {
            "update_reserve_config (scenario market)".to_string()
        } else {
            format!("update_reserve_config (scenario market #{})", i + 1)
        };
        h.run(label, &instruction(ix::update_reserve_config(sc.authority, &reserve.keys, &params)));
    }
    h.warp(86_400);
    for reserve in &sc.reserves {
        h.set_price(reserve, 1.0);
    }
    let scenario_users: Vec<User> = [1usize, 2, 16]
        .into_iter()
        .map(|n| open_borrow_withdraw_margined(&mut h, &sc, n, "scenario market, 8 scenarios, ", Some(1)))
        .collect();
    // Scenario margin weighs no LTV: the debt asset must outgrow the collateral at today's prices.
    h.set_price(&sc.reserves[0], 2.50);
    liquidate_users(&mut h, &sc, &scenario_users, "scenario market, 8 scenarios, ", false);

    // --- a flash loan of the borrowed market's asset 0, repaid in its transaction ----------
    let flash_user = h.funded();
    let flash_account = h.token_account(b.reserves[0].keys.mint, flash_user, 10 * UNIT);
    let lent = 1_000 * UNIT;
    h.run_transaction(
        "flash_borrow + flash_repay (1,000 tokens)",
        &[
            instruction(ix::flash_borrow(flash_user, &b.reserves[0].keys, flash_account, lent)),
            instruction(ix::flash_repay(flash_user, &b.reserves[0].keys, flash_account, lent)),
        ],
    );

    // --- the authority withdraws the borrowed market's accrued protocol fees and insurance --
    let receiver = h.token_account(b.reserves[0].keys.mint, b.authority, 0);
    h.run(
        "withdraw_protocol_fees (borrowed market, asset 0)",
        &instruction(ix::withdraw_protocol_fees(b.authority, &b.reserves[0].keys, receiver, u64::MAX)),
    );
    h.run(
        "withdraw_insurance (borrowed market, asset 0)",
        &instruction(ix::withdraw_insurance(b.authority, &b.reserves[0].keys, receiver, u64::MAX)),
    );

    // --- a further obligation of the flash-loan user, a deposit, and collateral turned off ------
    let sub = Pubkey::find_program_address(
        &[b"obligation", b.key.as_ref(), flash_user.as_ref(), &[1]],
        &Pubkey::new_from_array(ballast_interface::ids::PROGRAM_ID),
    )
    .0;
    h.run("init_sub_obligation (borrowed market)", &instruction(ix::init_sub_obligation(flash_user, b.key, sub, 1)));
    h.run(
        "deposit (borrowed market, further obligation)",
        &instruction(ix::deposit(flash_user, &b.reserves[0].keys, sub, flash_account, UNIT)),
    );
    h.run(
        "set_collateral off, no debt (borrowed market, N=1)",
        &instruction(ix::set_collateral(flash_user, b.key, sub, b.reserves[0].keys.reserve, false, &[])),
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
    let budget_failures = budget::check(&h.rows);
    if h.failures > 0 || budget_failures > 0 {
        eprintln!("{} instruction(s) failed, {budget_failures} compute-unit check(s) failed", h.failures);
        std::process::exit(1);
    }
}
