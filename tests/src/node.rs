//! The integration suite's second backend: the local validator (`sbf/validator`, surfpool)
//! running the sBPF build of the program, selected with `BALLAST_TEST_NODE=http://127.0.0.1:8899`.
//!
//! A blocking JSON-RPC client over a plain TCP connection: the suite's tests are async but
//! single-threaded, and a blocking call needs no second runtime. It speaks the validator's
//! standard methods and surfpool's cheat methods (`surfnet_setAccount`, `surfnet_timeTravel`).
//! The validator must run with `--manual-clock` (tests set the clock exactly) and the tests one at
//! a time (`--test-threads=1`: they share its clock). See `scripts/test-sbf`.

use std::io::{Read, Write};
use std::net::TcpStream;

use anchor_lang::prelude::{Clock, Pubkey};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};
use solana_account::Account;
use solana_transaction_error::TransactionError;

pub const NODE_ENV: &str = "BALLAST_TEST_NODE";

pub struct NodeClient {
    url: String,
    host: String,
}

/// What the node answered for a transaction.
pub struct Landed {
    pub result: Result<(), TransactionError>,
    pub logs: Vec<String>,
    pub units: u64,
}

impl NodeClient {
    /// The node named by `BALLAST_TEST_NODE`, if set.
    pub fn from_env() -> Option<NodeClient> {
        let url = std::env::var(NODE_ENV).ok().filter(|u| !u.is_empty())?;
        let host = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        Some(NodeClient { url, host })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// One JSON-RPC call; panics (naming the method) on transport or RPC errors.
    pub fn call(&self, method: &str, params: Value) -> Value {
        self.try_call(method, &params).unwrap_or_else(|error| panic!("{method} failed: {error}"))
    }

    /// One JSON-RPC call; the RPC error as `Err`, panics (naming the method) on transport errors.
    pub fn try_call(&self, method: &str, params: &Value) -> Result<Value, Value> {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
        let mut stream = TcpStream::connect(&self.host).unwrap_or_else(|e| panic!("node at {}: {e}", self.url));
        let request = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
            self.host,
            body.len(),
            body
        );
        stream.write_all(request.as_bytes()).expect("write request");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read response");
        let payload = response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
        let reply: Value =
            serde_json::from_str(payload).unwrap_or_else(|e| panic!("{method}: bad reply {e}: {payload}"));
        match reply.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(reply["result"].clone()),
        }
    }

    pub fn account(&self, key: &Pubkey) -> Option<Account> {
        let value = self.call("getAccountInfo", json!([key.to_string(), {"encoding": "base64"}]))["value"].clone();
        if value.is_null() {
            return None;
        }
        Some(Account {
            lamports: value["lamports"].as_u64().expect("lamports"),
            data: B64.decode(value["data"][0].as_str().expect("data")).expect("base64"),
            owner: value["owner"].as_str().expect("owner").parse().expect("owner pubkey"),
            executable: value["executable"].as_bool().unwrap_or(false),
            rent_epoch: u64::MAX,
        })
    }

    pub fn set_account(&self, key: &Pubkey, account: &Account) {
        self.call("surfnet_setAccount", ballast_migrations::node::set_account_params(key, account));
    }

    pub fn clock(&self) -> Clock {
        let data = self.account(&ballast_client::chain::CLOCK_SYSVAR).expect("clock sysvar").data;
        bincode::deserialize(&data).expect("clock")
    }

    /// Moves unix time by `seconds`, at the current slot.
    pub fn warp_time(&self, seconds: i64) {
        let now = self.clock().unix_timestamp;
        self.time_travel(0, now + seconds);
    }

    /// Moves `slots` slots on, at the same unix time.
    pub fn warp_slots(&self, slots: u64) {
        let now = self.clock().unix_timestamp;
        self.time_travel(slots, now);
    }

    /// `surfnet_timeTravel` to `slots_ahead` slots past the newest at `unix_timestamp` (it takes
    /// milliseconds). The validator opens slots in the background (the blocks that finalize a
    /// transaction's), so a slot read a moment ago may be past: read it again and retry.
    fn time_travel(&self, slots_ahead: u64, unix_timestamp: i64) {
        let timestamp_ms = u64::try_from(unix_timestamp).expect("time after 1970") * 1_000;
        for _ in 0..50 {
            let slot = self.call("getSlot", json!([{"commitment": "processed"}])).as_u64().expect("slot");
            let target = json!([{"absoluteSlotAt": {"slot": slot + slots_ahead, "timestamp": timestamp_ms}}]);
            match self.try_call("surfnet_timeTravel", &target) {
                Ok(_) => return,
                Err(error) if error.to_string().contains("past slot") => continue,
                Err(error) => panic!("surfnet_timeTravel failed: {error}"),
            }
        }
        panic!("surfnet_timeTravel: the validator's slot kept moving past the target");
    }

    pub fn airdrop(&self, key: &Pubkey, lamports: u64) {
        self.call("requestAirdrop", json!([key.to_string(), lamports]));
    }

    pub fn rent_exempt(&self, len: usize) -> u64 {
        self.call("getMinimumBalanceForRentExemption", json!([len])).as_u64().expect("lamports")
    }

    pub fn latest_blockhash(&self) -> solana_hash::Hash {
        self.call("getLatestBlockhash", json!([]))["value"]["blockhash"]
            .as_str()
            .expect("blockhash")
            .parse()
            .expect("hash")
    }

    /// Sends a signed, serialized transaction without preflight (a failing transaction lands
    /// and pays its fee, as on a cluster) and reads back its status, logs and compute units.
    pub fn submit(&self, wire: &[u8]) -> Landed {
        let signature =
            self.call("sendTransaction", json!([B64.encode(wire), {"encoding": "base64", "skipPreflight": true}]));
        let signature = signature.as_str().expect("signature").to_string();
        let config = json!({"encoding": "base64", "commitment": "confirmed", "maxSupportedTransactionVersion": 0});
        let mut landed = Value::Null;
        for _ in 0..200 {
            landed = self.call("getTransaction", json!([signature, config]));
            if !landed.is_null() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(!landed.is_null(), "transaction {signature} did not land");
        let meta = &landed["meta"];
        let result = match &meta["err"] {
            Value::Null => Ok(()),
            err => Err(serde_json::from_value(err.clone()).unwrap_or_else(|e| panic!("transaction error {err}: {e}"))),
        };
        let logs = string_list(&meta["logMessages"]);
        Landed { result, logs, units: meta["computeUnitsConsumed"].as_u64().unwrap_or(0) }
    }

    /// Simulates a serialized transaction; its return data, or the error and logs.
    pub fn simulate_return_data(&self, wire: &[u8]) -> Result<Option<Vec<u8>>, (Value, Vec<String>)> {
        let value =
            self.call("simulateTransaction", json!([B64.encode(wire), {"encoding": "base64"}]))["value"].clone();
        if !value["err"].is_null() {
            let logs = string_list(&value["logs"]);
            return Err((value["err"].clone(), logs));
        }
        Ok(value["returnData"]["data"][0].as_str().map(|d| B64.decode(d).expect("base64")))
    }
}

/// A JSON array of strings (log lines); empty when absent.
fn string_list(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|lines| lines.iter().filter_map(|l| l.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}
