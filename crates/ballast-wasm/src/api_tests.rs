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
