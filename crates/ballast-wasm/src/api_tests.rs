//! Previews of several actions as one transaction, on the differential test's accounts
//! (`tests/fixtures/market.json`: written with the program's own types): each action is the
//! engine's operation on what the actions before it left.

use serde_json::{json, Value};

const FIXTURE: &str = include_str!("../tests/fixtures/market.json");

struct Book {
    fixture: Value,
    sol: String,
    usdc: String,
}

const SOL: u64 = 1_000_000_000;
const USDC: u64 = 1_000_000;
const ALL: u64 = u64::MAX;

fn book() -> Book {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let key = |i: usize| fixture["reserves"][i]["key"].as_str().unwrap().to_string();
    let (sol, usdc) = (key(0), key(1));
    Book { fixture, sol, usdc }
}

impl Book {
    /// A preview request for `owner`'s obligation (`None`: a wallet without one) with `extra`.
    fn preview(&self, obligation: Option<usize>, extra: Value) -> Value {
        let f = &self.fixture;
        let mut request = json!({
            "op": "preview", "now": f["now"], "reserves": f["reserves"], "market": f["market"], "marketKey": f["marketKey"],
            "owner": f["liquidator"],
        });
        if let Some(index) = obligation {
            request["obligation"] = f["obligations"][index]["data"].clone();
        }
        request.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        serde_json::from_str(&crate::api::call(&request.to_string())).unwrap()
    }

    fn actions(&self, obligation: Option<usize>, actions: &[(&str, &str, u64)]) -> Value {
        self.preview(obligation, json!({ "actions": list(actions) }))
    }
}

fn list(actions: &[(&str, &str, u64)]) -> Value {
    actions
        .iter()
        .map(|(kind, reserve, amount)| json!({"kind": kind, "reserve": reserve, "amount": amount.to_string()}))
        .collect()
}

fn health_factor(summary: &Value) -> Option<u128> {
    summary["maintenance"]["health"]["healthFactor"].as_str().map(|h| h.parse().unwrap())
}

fn borrow_power(summary: &Value) -> u128 {
    summary["borrowPowerLeft"].as_str().unwrap().parse().unwrap()
}

#[test]
fn deposit_and_borrow_passes_where_the_borrow_alone_has_no_collateral() {
    let b = book();
    let alone = b.actions(None, &[("borrow", &b.usdc, 100 * USDC)]);
    assert_eq!(alone["ok"], json!(false), "{alone}");
    assert_eq!(alone["error"], json!("InitialHealthNegative"));
    assert_eq!(alone["failedAction"], json!(0));

    let both = b.actions(None, &[("deposit", &b.sol, 10 * SOL), ("borrow", &b.usdc, 100 * USDC)]);
    assert_eq!(both["ok"], json!(true), "{both}");
    // A first deposit opens the SOL position, so the borrow's health accounts carry it.
    assert_eq!(both["steps"][0]["healthAccounts"], json!([b.sol]));
    assert_eq!(both["steps"][1]["healthAccounts"], json!([b.sol, b.usdc]));
    assert_eq!(both["healthAccounts"], json!([b.sol, b.usdc]));
    assert_eq!(both["steps"][1]["amount"], json!((100 * USDC).to_string()));
    assert_eq!(both["steps"][1]["checkedHealth"]["healthy"], json!(true));
    assert_eq!(health_factor(&both["before"]), None);
    assert_eq!(borrow_power(&both["before"]), 0);
    // 10 SOL at $150, liquidation threshold 80%, against $100 of USDC: a health factor near 12.
    let after = health_factor(&both["after"]).unwrap();
    assert!(after > 11 * 10u128.pow(18) && after < 12 * 10u128.pow(18), "{after}");
    assert!(borrow_power(&both["after"]) > 0);
}

#[test]
fn repay_and_withdraw_closes_out_where_the_withdraw_alone_fails() {
    let b = book();
    // Obligation 0: 10 SOL against 900 USDC (about $10 of borrow power left).
    let alone = b.actions(Some(0), &[("withdraw", &b.sol, ALL)]);
    assert_eq!(alone["error"], json!("InitialHealthNegative"), "{alone}");
    assert_eq!(alone["failedAction"], json!(0));

    let both = b.actions(Some(0), &[("repay", &b.usdc, ALL), ("withdraw", &b.sol, ALL)]);
    assert_eq!(both["ok"], json!(true), "{both}");
    assert_eq!(both["steps"][0]["healthAccounts"], json!([b.sol]));
    assert_eq!(both["steps"][1]["healthAccounts"], json!([]));
    // Without debt left the withdraw reads no price and checks no health.
    assert_eq!(both["steps"][1]["checkedHealth"], Value::Null);
    let repaid: u64 = both["steps"][0]["amount"].as_str().unwrap().parse().unwrap();
    assert!(repaid > 900 * USDC && repaid < 901 * USDC, "{repaid}");
    let withdrawn: u64 = both["steps"][1]["amount"].as_str().unwrap().parse().unwrap();
    // 10 SOL when the fixture was written, with interest since.
    assert!((10 * SOL..10 * SOL + SOL / 1000).contains(&withdrawn), "{withdrawn}");
    assert!(health_factor(&both["before"]).is_some());
    assert_eq!(health_factor(&both["after"]), None);
    assert_eq!(borrow_power(&both["after"]), 0);
}

#[test]
fn the_first_rejected_action_is_named_with_its_index() {
    let b = book();
    let over = b.actions(None, &[("deposit", &b.sol, SOL), ("borrow", &b.usdc, 10_000 * USDC)]);
    assert_eq!(over["ok"], json!(false), "{over}");
    assert_eq!((&over["failedAction"], &over["error"]), (&json!(1), &json!("InitialHealthNegative")));
    assert_eq!(over["steps"].as_array().unwrap().len(), 2);
    assert_eq!(over["steps"][0]["ok"], json!(true));
    assert_eq!(over["steps"][1]["error"], json!("InitialHealthNegative"));
    // The borrow stopped after opening its debt position: its instruction takes both.
    assert_eq!(over["healthAccounts"], json!([b.sol, b.usdc]));
    assert!(over.get("after").is_none());

    let zero = b.actions(None, &[("deposit", &b.sol, 0), ("borrow", &b.usdc, USDC)]);
    assert_eq!((&zero["failedAction"], &zero["error"]), (&json!(0), &json!("ZeroAmount")));
    assert_eq!(zero["steps"].as_array().unwrap().len(), 1);
}

#[test]
fn each_action_sees_what_the_ones_before_it_left() {
    let b = book();
    // The withdraw redeems the shares the deposit minted, at the deposit's share value.
    let round_trip = b.actions(None, &[("deposit", &b.sol, 10 * SOL), ("withdraw", &b.sol, ALL)]);
    let withdrawn: u64 = round_trip["steps"][1]["amount"].as_str().unwrap().parse().unwrap();
    assert!((10 * SOL - 1..=10 * SOL).contains(&withdrawn), "{round_trip}");
    assert_eq!(round_trip["healthAccounts"], json!([]));
    // Wallet balances move with each transfer: a repay paid from what the borrow before it paid out.
    let wallet = json!({ "walletBalances": { b.usdc.clone(): "0" } });
    let mut borrow_repay = wallet.clone();
    borrow_repay["actions"] = list(&[("borrow", &b.usdc, 5 * USDC), ("repay", &b.usdc, 5 * USDC)]);
    let funded = b.preview(Some(0), borrow_repay);
    assert_eq!(funded["ok"], json!(true), "{funded}");
    let mut repay_borrow = wallet;
    repay_borrow["actions"] = list(&[("repay", &b.usdc, 5 * USDC), ("borrow", &b.usdc, 5 * USDC)]);
    let short = b.preview(Some(0), repay_borrow);
    assert_eq!((&short["failedAction"], &short["error"]), (&json!(0), &json!("TokenInsufficientFunds")));
}

#[test]
fn one_action_is_a_sequence_of_one() {
    let b = book();
    for (kind, reserve, amount) in [("borrow", &b.usdc, 5 * USDC), ("withdraw", &b.sol, ALL), ("deposit", &b.sol, SOL)]
    {
        let single = b.preview(
            Some(0),
            json!({ "action": list(&[(kind, reserve, amount)])[0], "walletBalance": SOL.to_string() }),
        );
        let mut sequence = json!({ "walletBalances": { reserve.clone(): SOL.to_string() } });
        sequence["actions"] = list(&[(kind, reserve, amount)]);
        assert_eq!(single, b.preview(Some(0), sequence), "{kind}");
    }
    let bad = b.preview(Some(0), json!({ "actions": [] }));
    assert!(bad["error"].as_str().unwrap().contains("`actions`"), "{bad}");
}

#[test]
fn collateral_off_is_the_engines_set_collateral_refused_by_name_when_it_breaks_health() {
    let b = book();
    // Obligation 0: 10 SOL against 900 USDC. Without the SOL as collateral the debt has none.
    let off =
        b.preview(Some(0), json!({ "actions": [{"kind": "setCollateral", "reserve": b.sol, "collateral": false}] }));
    assert_eq!(
        (&off["ok"], &off["error"], &off["failedAction"]),
        (&json!(false), &json!("InitialHealthNegative"), &json!(0)),
        "{off}"
    );
    // Its instruction takes every position as health accounts.
    assert_eq!(off["healthAccounts"], json!([b.sol, b.usdc]));

    // Without debt it passes: the deposit then counts for nothing, and a borrow against it fails.
    let idle = [
        json!({"kind": "deposit", "reserve": b.sol, "amount": (10 * SOL).to_string()}),
        json!({"kind": "setCollateral", "reserve": b.sol, "collateral": false}),
    ];
    let passed = b.preview(None, json!({ "actions": idle }));
    assert_eq!(passed["ok"], json!(true), "{passed}");
    assert_eq!(passed["steps"][1]["healthAccounts"], json!([b.sol]));
    assert_eq!(passed["steps"][1]["checkedHealth"], Value::Null);
    assert_eq!(borrow_power(&passed["after"]), 0);
    assert_eq!(passed["after"]["maintenance"]["health"]["collateralValue"], json!("0"));
    let mut then_borrow = idle.to_vec();
    then_borrow.push(json!({"kind": "borrow", "reserve": b.usdc, "amount": (10 * USDC).to_string()}));
    let refused = b.preview(None, json!({ "actions": then_borrow }));
    assert_eq!(
        (&refused["failedAction"], &refused["error"]),
        (&json!(2), &json!("InitialHealthNegative")),
        "{refused}"
    );
    // Turned back on, it counts again.
    let mut back_on = idle.to_vec();
    back_on.push(json!({"kind": "setCollateral", "reserve": b.sol, "collateral": true}));
    back_on.push(json!({"kind": "borrow", "reserve": b.usdc, "amount": (10 * USDC).to_string()}));
    assert_eq!(b.preview(None, json!({ "actions": back_on }))["ok"], json!(true));
    // Off on a reserve without a position is the engine's PositionNotFound; a missing flag is an input error.
    let none =
        b.preview(Some(0), json!({ "actions": [{"kind": "setCollateral", "reserve": b.usdc, "collateral": false}] }));
    assert_eq!(none["ok"], json!(true), "USDC holds debt only: a position exists ({none})");
    let bad = b.preview(Some(0), json!({ "actions": [{"kind": "setCollateral", "reserve": b.sol}] }));
    assert!(bad["error"].as_str().unwrap().contains("collateral"), "{bad}");
}

/// A same-asset position (USDC deposit and USDC debt) opened by the first actions of the sequence.
fn same_asset_setup(b: &Book) -> Vec<Value> {
    list(&[("deposit", &b.sol, 10 * SOL), ("deposit", &b.usdc, 2_000 * USDC), ("borrow", &b.usdc, 500 * USDC)])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn repay_with_collateral_is_flash_borrow_repay_withdraw_plus_fee_flash_repay() {
    let b = book_with_flash_loans(9);
    let borrowed = 500 * USDC;
    // The borrowed USDC goes back into the deposit, so the wallet holds none when the flash loan starts.
    let setup = list(&[
        ("deposit", &b.sol, 10 * SOL),
        ("deposit", &b.usdc, 1_500 * USDC),
        ("borrow", &b.usdc, borrowed),
        ("deposit", &b.usdc, borrowed),
    ]);
    let mut actions = setup.as_array().unwrap().clone();
    // The loan is the debt to clear (rounded up: a unit above what was borrowed).
    let mut probe = actions.clone();
    probe.push(list(&[("repay", &b.usdc, ALL)])[0].clone());
    let loan: u64 =
        b.preview(None, json!({ "actions": probe }))["steps"][4]["amount"].as_str().unwrap().parse().unwrap();
    assert!((borrowed..=borrowed + 1).contains(&loan), "{loan}");
    actions.extend(
        list(&[
            ("flashBorrow", &b.usdc, loan),
            ("repay", &b.usdc, ALL),
            ("withdrawPlusFlashFee", &b.usdc, loan),
            ("flashRepay", &b.usdc, loan),
        ])
        .as_array()
        .unwrap()
        .clone(),
    );
    // The loan pays the repay, the withdraw pays the loan and its fee: no USDC from the wallet.
    let wallet = json!({ b.usdc.clone(): (1_500 * USDC).to_string(), b.sol.clone(): (10 * SOL).to_string() });
    let out = b.preview(None, json!({ "actions": actions, "walletBalances": wallet }));
    assert_eq!(out["ok"], json!(true), "{out}");
    let amount = |i: usize| out["steps"][i]["amount"].as_str().unwrap().parse::<u64>().unwrap();
    let fee: u64 = out["steps"][7]["fee"].as_str().unwrap().parse().unwrap();
    assert_eq!(amount(4), loan);
    assert_eq!(amount(5), loan, "the whole debt, borrowed in the same second");
    assert_eq!(out["steps"][6]["fee"], json!(fee.to_string()), "the withdraw adds the fee flash_repay charges");
    assert_eq!(amount(6), loan + fee);
    assert_eq!(amount(7), loan + fee);
    // The fee is the reserve's flash_loan_fee_bps of the loan, rounded up.
    let bps = fee_bps(&b, 1);
    assert_eq!(fee, (loan as u128 * bps as u128).div_ceil(10_000) as u64, "fee {fee} at {bps} bps");
    // After: no debt, so no health factor; the USDC deposit is 2,000 - 500 - fee.
    assert_eq!(health_factor(&out["after"]), None);
    // Short of USDC for the fee (the wallet ends where it started, minus nothing): the same
    // sequence without the withdraw's fee leaves the flash repay unpaid by the wallet.
    let mut unfunded = actions.clone();
    unfunded[6] = list(&[("withdraw", &b.usdc, loan)])[0].clone();
    let short = b.preview(None, json!({ "actions": unfunded, "walletBalances": wallet }));
    assert!(fee > 0);
    {
        assert_eq!((&short["failedAction"], &short["error"]), (&json!(7), &json!("TokenInsufficientFunds")), "{short}");
    }
    assert_eq!(out["healthAccounts"], json!([b.sol, b.usdc]));
}

fn fee_bps(b: &Book, reserve: usize) -> u16 {
    use base64::Engine as _;
    let data = b.fixture["reserves"][reserve]["data"].as_str().unwrap();
    let bytes = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
    ballast_interface::raw::reserve_account(&bytes).unwrap().flash_loan_fee_bps
}

/// The fixture with flash loans of USDC at `bps` (its reserves were written before they existed,
/// so they lend none): the account's bytes rewritten as `update_reserve_config` would set them.
fn book_with_flash_loans(bps: u16) -> Book {
    use base64::Engine as _;
    let mut b = book();
    let engine = base64::engine::general_purpose::STANDARD;
    let mut bytes = engine.decode(b.fixture["reserves"][1]["data"].as_str().unwrap()).unwrap();
    let mut reserve = ballast_interface::raw::reserve_account(&bytes).unwrap();
    (reserve.flash_loan_fee_bps, reserve.flash_loans_enabled) = (bps, 1);
    let size = core::mem::size_of_val(&reserve);
    bytes[8..8 + size].copy_from_slice(bytemuck::bytes_of(&reserve));
    b.fixture["reserves"][1]["data"] = json!(engine.encode(bytes));
    b
}

#[test]
fn flash_loans_in_a_sequence_are_refused_by_the_engines_names() {
    let disabled = book();
    let mut actions = same_asset_setup(&disabled);
    actions.extend(
        list(&[("flashBorrow", &disabled.usdc, USDC), ("flashRepay", &disabled.usdc, USDC)])
            .as_array()
            .unwrap()
            .clone(),
    );
    let off = disabled.preview(None, json!({ "actions": actions }));
    assert_eq!((&off["failedAction"], &off["error"]), (&json!(3), &json!("FlashLoansDisabled")), "{off}");
    let b = book_with_flash_loans(9);
    let run = |flash: &[(&str, &str, u64)]| {
        let mut actions = same_asset_setup(&b);
        actions.extend(list(flash).as_array().unwrap().clone());
        b.preview(None, json!({ "actions": actions }))
    };
    let x = 100 * USDC;
    let mismatch = run(&[("flashBorrow", &b.usdc, x), ("flashRepay", &b.usdc, x - 1)]);
    assert_eq!(
        (&mismatch["failedAction"], &mismatch["error"]),
        (&json!(4), &json!("FlashRepayAmountMismatch")),
        "{mismatch}"
    );
    let twice = run(&[("flashBorrow", &b.usdc, x), ("flashBorrow", &b.usdc, x), ("flashRepay", &b.usdc, x)]);
    assert_eq!((&twice["failedAction"], &twice["error"]), (&json!(4), &json!("FlashLoanActive")), "{twice}");
    let unpaid = run(&[("flashBorrow", &b.usdc, x), ("repay", &b.usdc, x)]);
    assert_eq!((&unpaid["failedAction"], &unpaid["error"]), (&json!(3), &json!("FlashRepayMissing")), "{unpaid}");
    assert_eq!(unpaid["steps"].as_array().unwrap().len(), 4, "{unpaid}");
    let not_open = run(&[("flashRepay", &b.usdc, x)]);
    assert_eq!((&not_open["failedAction"], &not_open["error"]), (&json!(3), &json!("FlashLoanNotActive")));
    // More than the vault holds free: the engine's InsufficientLiquidity.
    let too_much = run(&[("flashBorrow", &b.usdc, u64::MAX / 2), ("flashRepay", &b.usdc, u64::MAX / 2)]);
    assert_eq!(too_much["error"], json!("InsufficientLiquidity"), "{too_much}");
    // A withdraw that would leave debt uncovered names the withdraw: the deposit pays the loan back
    // only while the collateral left covers the rest of the debt.
    let short = run(&[
        ("flashBorrow", &b.usdc, x),
        ("withdrawPlusFlashFee", &b.usdc, 2_000 * USDC),
        ("flashRepay", &b.usdc, x),
    ]);
    assert_eq!(short["failedAction"], json!(4), "{short}");
}

#[test]
fn max_borrow_is_the_largest_accepted_amount_under_a_minimum_debt() {
    use crate::engine::ActionKind;
    let b = book();
    let f = &b.fixture;
    let common: crate::api::Common = serde_json::from_value(
        json!({ "now": f["now"], "reserves": f["reserves"], "market": f["market"], "marketKey": f["marketKey"] }),
    )
    .unwrap();
    let reserves = crate::api::priced(&common.reserves);
    // A new obligation holding 10 SOL (the deposit run on copies).
    let empty = crate::engine::Obligation { owner: "owner", ..Default::default() };
    let obligation =
        common.view(&reserves).simulate(&empty, ActionKind::Deposit, &b.sol, 10 * SOL, None).unwrap().obligation;
    let free = common.view(&reserves).largest_accepted(&obligation, ActionKind::Borrow, &b.usdc, u64::MAX / 4);
    // A $100 minimum debt: one base unit is refused as too small, yet the largest borrow is the same.
    let mut market = common.market.clone().unwrap();
    market.0.min_debt_usd = 100;
    let view = crate::engine::ChainView { market: Some(&market), ..common.view(&reserves) };
    assert_eq!(
        view.simulate(&obligation, ActionKind::Borrow, &b.usdc, 1, None).unwrap_err().name(),
        "DebtBelowMinimum"
    );
    let with_minimum = view.largest_accepted(&obligation, ActionKind::Borrow, &b.usdc, u64::MAX / 4);
    assert!(free > 100 * USDC, "{free}");
    assert_eq!(with_minimum, free);
    // A minimum above what the obligation can borrow: nothing is accepted.
    market.0.min_debt_usd = 1_000_000;
    let view = crate::engine::ChainView { market: Some(&market), ..common.view(&reserves) };
    assert_eq!(view.largest_accepted(&obligation, ActionKind::Borrow, &b.usdc, u64::MAX / 4), 0);
}
