//! Ballast events out of a transaction's log lines, as JSON for the store and the HTTP API.
//!
//! Which lines are the program's events is `ballast_client::events::program_event_data`'s rule
//! (the one the test harness uses too): `Program data: <base64>` lines, in either the runtime's or
//! the native build's form, logged while the Ballast program itself is the innermost executing
//! program (the invoke stack followed from the runtime's `invoke` / `success` / `failed` lines), so
//! another program in the same transaction cannot forge a Ballast event. This module decodes each
//! one's bytes by discriminator.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, Discriminator};
use ballast::events;
use serde_json::{json, Map, Value};

/// One decoded event: its name (the event struct's, as in the IDL), the obligation it concerns
/// (when it has one), the reserves it names (a liquidation names two), and every field as JSON
/// (public keys as base58; 64- and 128-bit integers as decimal strings, since JavaScript numbers
/// lose precision above 2^53; smaller integers and flags as numbers and booleans).
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedEvent {
    pub name: &'static str,
    pub obligation: Option<Pubkey>,
    pub reserves: Vec<Pubkey>,
    pub data: Value,
}

macro_rules! field_json {
    (pk, $v:expr) => {
        json!($v.to_string())
    };
    (num, $v:expr) => {
        json!($v)
    };
    // u64/i64/u128 as decimal strings: JavaScript numbers lose precision above 2^53.
    (wide, $v:expr) => {
        json!($v.to_string())
    };
}

macro_rules! event_table {
    ($($ty:ident { $($field:ident: $kind:ident),* $(,)? } obligation($($ob:ident)?) reserves($($r:ident),*);)*) => {
        /// Every event type the indexer knows, by name.
        pub const EVENT_NAMES: &[&str] = &[$(stringify!($ty)),*];

        /// Decodes one event's bytes (discriminator and body); `None` for anything else.
        pub fn decode_event(data: &[u8]) -> Option<DecodedEvent> {
            $(
                if data.starts_with(events::$ty::DISCRIMINATOR) {
                    let e = events::$ty::deserialize(&mut &data[events::$ty::DISCRIMINATOR.len()..]).ok()?;
                    let mut fields = Map::new();
                    $(fields.insert(stringify!($field).to_string(), field_json!($kind, e.$field));)*
                    let obligation = <[Pubkey]>::first(&[$(e.$ob)?]).copied();
                    return Some(DecodedEvent {
                        name: stringify!($ty),
                        obligation,
                        reserves: vec![$(e.$r),*],
                        data: Value::Object(fields),
                    });
                }
            )*
            None
        }
    };
}

event_table! {
    DepositEvent { obligation: pk, reserve: pk, amount: wide, supply_shares_minted: wide }
        obligation(obligation) reserves(reserve);
    WithdrawEvent {
        obligation: pk, reserve: pk, amount: wide, supply_shares_burned: wide,
        weighted_collateral: wide, weighted_debt: wide,
    } obligation(obligation) reserves(reserve);
    BorrowEvent {
        obligation: pk, reserve: pk, amount: wide, debt_shares_added: wide,
        weighted_collateral: wide, weighted_debt: wide,
    } obligation(obligation) reserves(reserve);
    LiquidatableMarkEvent { obligation: pk, liquidatable_since_ts: wide, weighted_collateral: wide, weighted_debt: wide }
        obligation(obligation) reserves();
    MarginModeEvent { obligation: pk, margin_mode: num, weighted_collateral: wide, weighted_debt: wide }
        obligation(obligation) reserves();
    RepayEvent { obligation: pk, reserve: pk, payer: pk, amount: wide, debt_shares_burned: wide }
        obligation(obligation) reserves(reserve);
    LiquidateEvent {
        obligation: pk, liquidator: pk, repay_reserve: pk, collateral_reserve: pk, repay_amount: wide,
        collateral_to_liquidator: wide, collateral_shares_to_liquidator: wide, collateral_to_protocol: wide,
        bonus_bps: num, debt_price: wide, collateral_price: wide,
        weighted_collateral_before: wide, weighted_debt_before: wide,
        weighted_collateral_after: wide, weighted_debt_after: wide,
    } obligation(obligation) reserves(repay_reserve, collateral_reserve);
    SocializeLossEvent {
        obligation: pk, reserve: pk, debt_written_off: wide, covered_by_insurance: wide,
        loss_to_depositors: wide, share_value_before: wide, share_value_after: wide,
    } obligation(obligation) reserves(reserve);
    FlashBorrowEvent { reserve: pk, amount: wide } obligation() reserves(reserve);
    FlashRepayEvent { reserve: pk, amount: wide, fee: wide } obligation() reserves(reserve);
    TreasuryWithdrawEvent { reserve: pk, destination: pk, insurance: num, amount: wide }
        obligation() reserves(reserve);
    CollateralToggleEvent {
        obligation: pk, reserve: pk, collateral: num, weighted_collateral: wide, weighted_debt: wide,
    } obligation(obligation) reserves(reserve);
}

/// The Ballast events in a transaction's logs, in order. `program_id` is the Ballast program's
/// id: only data lines it logged itself count (`ballast_client::events::program_event_data`);
/// bytes that are no known event are skipped.
pub fn decode_logs(logs: &[String], program_id: &Pubkey) -> Vec<DecodedEvent> {
    ballast_client::events::program_event_data(logs, program_id).iter().filter_map(|data| decode_event(data)).collect()
}

/// The weighted health an event reports, as (kind, before, after), each a
/// `{weighted_collateral, weighted_debt, health_factor}` object; `None` for events without one.
/// `kind` is "initial" (withdraw, borrow, margin mode, collateral toggle) or "maintenance"
/// (liquidatable mark, liquidation).
pub fn health_of(name: &str, data: &Value) -> Option<(&'static str, Option<Value>, Value)> {
    let pair = |collateral: &str, debt: &str| -> Option<Value> {
        let c = data.get(collateral)?.as_str()?;
        let d = data.get(debt)?.as_str()?;
        let factor = match (c.parse::<f64>(), d.parse::<f64>()) {
            (Ok(c), Ok(d)) if d > 0.0 => json!(c / d),
            _ => Value::Null,
        };
        Some(json!({"weighted_collateral": c, "weighted_debt": d, "health_factor": factor}))
    };
    match name {
        "WithdrawEvent" | "BorrowEvent" | "MarginModeEvent" | "CollateralToggleEvent" => {
            Some(("initial", None, pair("weighted_collateral", "weighted_debt")?))
        }
        "LiquidatableMarkEvent" => Some(("maintenance", None, pair("weighted_collateral", "weighted_debt")?)),
        "LiquidateEvent" => Some((
            "maintenance",
            pair("weighted_collateral_before", "weighted_debt_before"),
            pair("weighted_collateral_after", "weighted_debt_after")?,
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::Event;
    use ballast_client::events::data_line;

    fn key(n: u8) -> Pubkey {
        Pubkey::new_from_array([n; 32])
    }

    fn wrapped(program: &Pubkey, inner: Vec<String>) -> Vec<String> {
        let mut logs = vec![format!("Program {program} invoke [1]"), "Program log: Instruction: X".into()];
        logs.extend(inner);
        logs.push(format!("Program {program} consumed 1000 of 200000 compute units"));
        logs.push(format!("Program {program} success"));
        logs
    }

    #[test]
    fn decodes_real_event_bytes_from_log_lines() {
        let deposit = events::DepositEvent { obligation: key(1), reserve: key(2), amount: 5, supply_shares_minted: 4 };
        let liquidate = events::LiquidateEvent {
            obligation: key(1),
            liquidator: key(3),
            repay_reserve: key(4),
            collateral_reserve: key(2),
            repay_amount: 100,
            collateral_to_liquidator: 90,
            collateral_shares_to_liquidator: 0,
            collateral_to_protocol: u128::MAX,
            bonus_bps: 500,
            debt_price: 1,
            collateral_price: 2,
            weighted_collateral_before: 800,
            weighted_debt_before: 1000,
            weighted_collateral_after: 600,
            weighted_debt_after: 500,
        };
        let flash = events::FlashBorrowEvent { reserve: key(4), amount: 7 };
        // The native build's form (`Program log: Program data: ...`) decodes too. (Which lines
        // count is `ballast_client::events`' rule, tested there.)
        let logs = wrapped(
            &ballast::ID,
            vec![data_line(&deposit), format!("Program log: {}", data_line(&liquidate)), data_line(&flash)],
        );
        let found = decode_logs(&logs, &ballast::ID);
        assert_eq!(
            found.iter().map(|e| e.name).collect::<Vec<_>>(),
            ["DepositEvent", "LiquidateEvent", "FlashBorrowEvent"]
        );
        assert_eq!(found[0].obligation, Some(key(1)));
        assert_eq!(found[0].reserves, vec![key(2)]);
        assert_eq!(
            found[0].data,
            json!({"obligation": key(1).to_string(), "reserve": key(2).to_string(), "amount": "5", "supply_shares_minted": "4"})
        );
        assert_eq!(found[1].reserves, vec![key(4), key(2)]);
        assert_eq!(found[1].data["collateral_to_protocol"], json!(u128::MAX.to_string()));
        assert_eq!(found[1].data["bonus_bps"], json!(500));
        assert_eq!(found[1].data.as_object().unwrap().len(), 15, "every field");
        assert_eq!((found[2].obligation, found[2].data["amount"].clone()), (None, json!("7")));
        let (kind, before, after) = health_of(found[1].name, &found[1].data).unwrap();
        assert_eq!(kind, "maintenance");
        assert_eq!(before.unwrap()["health_factor"], json!(0.8));
        assert_eq!(after["health_factor"], json!(1.2));
        assert!(health_of("DepositEvent", &found[0].data).is_none());
    }

    #[test]
    fn every_event_type_round_trips() {
        let toggle = events::CollateralToggleEvent {
            obligation: key(9),
            reserve: key(8),
            collateral: true,
            weighted_collateral: 0,
            weighted_debt: 0,
        };
        let found = decode_event(&toggle.data()).unwrap();
        assert_eq!(found.data["collateral"], json!(true));
        assert_eq!(health_of(found.name, &found.data).unwrap().2["health_factor"], Value::Null);
        let mark = events::LiquidatableMarkEvent {
            obligation: key(1),
            liquidatable_since_ts: -3,
            weighted_collateral: 1,
            weighted_debt: 2,
        };
        assert_eq!(decode_event(&mark.data()).unwrap().data["liquidatable_since_ts"], json!("-3"));
        assert_eq!(EVENT_NAMES.len(), 12);
        assert!(decode_event(&[0u8; 40]).is_none(), "unknown discriminator");
        assert!(decode_event(&toggle.data()[..20]).is_none(), "short body");
    }
}
