//! JSON-RPC 2.0 over HTTP: the Solana methods wallets and clients use, plus three local-only
//! methods (`ballast_setAccount`, `ballast_setTokenAccount`, `ballast_warpTime`, `ballast_warpSlot`).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};
use solana_account::Account;
use solana_program_option::COption;
use solana_program_pack::Pack;
use solana_pubkey::Pubkey;
use solana_signature::Signature;
use solana_transaction::versioned::VersionedTransaction;
use spl_token_interface::state::{Account as TokenAccount, AccountState, Mint};

use crate::state::{Node, BLOCKHASH_VALID_BLOCKS, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID};

const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

/// A JSON-RPC error: `code`, `message` and optional `data`, as Solana's RPC answers them.
pub struct RpcError {
    code: i64,
    message: String,
    data: Option<Value>,
}

fn invalid_params(message: impl Into<String>) -> RpcError {
    RpcError { code: -32602, message: message.into(), data: None }
}

type RpcResult = Result<Value, RpcError>;

pub fn handle_http(
    node: &mut Node,
    request: &mut tiny_http::Request,
    verbose: bool,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let cors = [
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", "POST, GET, OPTIONS"),
        ("Access-Control-Allow-Headers", "content-type, solana-client"),
        ("Access-Control-Max-Age", "86400"),
    ];
    let with_headers = |mut response: tiny_http::Response<std::io::Cursor<Vec<u8>>>, content_type: &str| {
        for (name, value) in cors {
            response.add_header(tiny_http::Header::from_bytes(name, value).expect("static header"));
        }
        response.add_header(tiny_http::Header::from_bytes("Content-Type", content_type).expect("static header"));
        response
    };
    match request.method() {
        tiny_http::Method::Options => return with_headers(tiny_http::Response::from_data(Vec::new()), "text/plain"),
        tiny_http::Method::Get => {
            // `GET /health`, as a validator answers it.
            return with_headers(tiny_http::Response::from_data(b"ok".to_vec()), "text/plain");
        }
        _ => {}
    }
    let mut body = String::new();
    if let Err(e) = request.as_reader().read_to_string(&mut body) {
        return with_headers(
            tiny_http::Response::from_data(format!("bad body: {e}").into_bytes()).with_status_code(400),
            "text/plain",
        );
    }
    node.tick();
    let reply = match serde_json::from_str::<Value>(&body) {
        Ok(Value::Array(calls)) => Value::Array(calls.iter().map(|call| handle_call(node, call, verbose)).collect()),
        Ok(call) => handle_call(node, &call, verbose),
        Err(e) => {
            json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("Parse error: {e}")}})
        }
    };
    with_headers(tiny_http::Response::from_data(reply.to_string().into_bytes()), "application/json")
}

fn handle_call(node: &mut Node, call: &Value, verbose: bool) -> Value {
    let id = call.get("id").cloned().unwrap_or(Value::Null);
    let method = call.get("method").and_then(Value::as_str).unwrap_or("");
    let params = call.get("params").cloned().unwrap_or(Value::Array(vec![]));
    let params = match params {
        Value::Array(items) => items,
        other => vec![other],
    };
    let result = dispatch(node, method, &params);
    if verbose {
        let status = match &result {
            Ok(_) => "ok".to_string(),
            Err(e) => format!("error {}: {}", e.code, e.message),
        };
        eprintln!("ballast-node: {method} -> {status}");
    }
    match result {
        Ok(value) => json!({"jsonrpc": "2.0", "id": id, "result": value}),
        Err(e) => {
            let mut error = json!({"code": e.code, "message": e.message});
            if let Some(data) = e.data {
                error["data"] = data;
            }
            json!({"jsonrpc": "2.0", "id": id, "error": error})
        }
    }
}

fn dispatch(node: &mut Node, method: &str, params: &[Value]) -> RpcResult {
    let context = json!({"slot": node.slot(), "apiVersion": "4.3.0"});
    let with_context = |value: Value| json!({"context": context, "value": value});
    match method {
        "getHealth" => Ok(json!("ok")),
        "getVersion" => Ok(json!({"solana-core": "4.3.0", "feature-set": 0})),
        "getGenesisHash" => Ok(json!(node.genesis_hash.to_string())),
        "getIdentity" => Ok(json!({"identity": node.svm.airdrop_pubkey().to_string()})),
        "getSlot" | "getBlockHeight" => Ok(json!(node.slot())),
        "getTransactionCount" => Ok(json!(node.transaction_count)),
        "getEpochInfo" => Ok(json!({
            "absoluteSlot": node.slot(), "blockHeight": node.slot(), "epoch": 0,
            "slotIndex": node.slot(), "slotsInEpoch": 432_000, "transactionCount": node.transaction_count,
        })),
        "getBlockTime" => Ok(json!(node.now())),
        "getLatestBlockhash" | "getRecentBlockhash" => Ok(with_context(json!({
            "blockhash": node.svm.latest_blockhash().to_string(),
            "lastValidBlockHeight": node.slot() + BLOCKHASH_VALID_BLOCKS,
            "feeCalculator": {"lamportsPerSignature": LAMPORTS_PER_SIGNATURE},
        }))),
        "isBlockhashValid" => Ok(with_context(json!(true))),
        "getFeeForMessage" => {
            let message = decode_b64(param_str(params, 0)?)?;
            Ok(with_context(json!(required_signatures(&message) * LAMPORTS_PER_SIGNATURE)))
        }
        "getRecentPrioritizationFees" => Ok(json!([])),
        "getSignaturesForAddress" => Ok(json!([])),
        "getMinimumBalanceForRentExemption" => {
            let len = params.first().and_then(Value::as_u64).ok_or_else(|| invalid_params("expected a data length"))?;
            Ok(json!(node.svm.minimum_balance_for_rent_exemption(len as usize)))
        }
        "getBalance" => {
            let key = param_pubkey(params, 0)?;
            Ok(with_context(json!(node.account(&key).map_or(0, |a| a.lamports))))
        }
        "getAccountInfo" => {
            let key = param_pubkey(params, 0)?;
            let encoding = Encoding::from_config(params.get(1))?;
            Ok(with_context(node.account(&key).map_or(Value::Null, |a| encode_account(&a, &encoding))))
        }
        "getMultipleAccounts" => {
            let keys = params
                .first()
                .and_then(Value::as_array)
                .ok_or_else(|| invalid_params("expected an array of pubkeys"))?
                .iter()
                .map(|k| parse_pubkey(k.as_str().unwrap_or("")))
                .collect::<Result<Vec<_>, _>>()?;
            let encoding = Encoding::from_config(params.get(1))?;
            let accounts: Vec<Value> =
                keys.iter().map(|k| node.account(k).map_or(Value::Null, |a| encode_account(&a, &encoding))).collect();
            Ok(with_context(json!(accounts)))
        }
        "getProgramAccounts" => get_program_accounts(node, params, &context),
        "getTokenAccountBalance" => {
            let key = param_pubkey(params, 0)?;
            let account = node.account(&key).ok_or_else(|| invalid_params("Invalid param: could not find account"))?;
            let token =
                unpack_token_account(&account).ok_or_else(|| invalid_params("Invalid param: not a Token account"))?;
            let decimals = node.account(&token.mint).and_then(|m| mint_decimals(&m)).unwrap_or(0);
            Ok(with_context(ui_token_amount(token.amount, decimals)))
        }
        "getTokenAccountsByOwner" => {
            let owner = param_pubkey(params, 0)?;
            let filter = params.get(1).ok_or_else(|| invalid_params("expected {mint} or {programId}"))?;
            let encoding = Encoding::from_config(params.get(2))?;
            let mint = filter.get("mint").and_then(Value::as_str).map(parse_pubkey).transpose()?;
            let programs = match filter.get("programId").and_then(Value::as_str) {
                Some(p) => vec![parse_pubkey(p)?],
                None => vec![TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID],
            };
            let mut found = Vec::new();
            for program in programs {
                for (key, account) in node.svm.get_program_accounts(&program) {
                    let Some(token) = unpack_token_account(&account) else { continue };
                    if token.owner == owner && mint.is_none_or(|m| m == token.mint) {
                        found.push(json!({"pubkey": key.to_string(), "account": encode_account(&account, &encoding)}));
                    }
                }
            }
            Ok(with_context(json!(found)))
        }
        "requestAirdrop" => {
            let key = param_pubkey(params, 0)?;
            let lamports = params.get(1).and_then(Value::as_u64).ok_or_else(|| invalid_params("expected lamports"))?;
            match node.svm.airdrop(&key, lamports) {
                Ok(meta) => {
                    let signature = meta.signature;
                    node.record(signature, Vec::new(), Ok(()), meta);
                    Ok(json!(signature.to_string()))
                }
                Err(failed) => {
                    Err(RpcError { code: -32603, message: format!("airdrop failed: {:?}", failed.err), data: None })
                }
            }
        }
        "sendTransaction" => send_transaction(node, params),
        "simulateTransaction" => simulate_transaction(node, params, &context),
        "getSignatureStatuses" => {
            let signatures =
                params.first().and_then(Value::as_array).ok_or_else(|| invalid_params("expected signatures"))?;
            let statuses: Vec<Value> = signatures
                .iter()
                .map(|s| {
                    let processed =
                        s.as_str().and_then(|s| s.parse::<Signature>().ok()).and_then(|s| node.processed.get(&s));
                    processed.map_or(Value::Null, |p| {
                        json!({
                            "slot": p.slot, "confirmations": null, "confirmationStatus": "finalized",
                            "err": error_json(&p.result), "status": status_json(&p.result),
                        })
                    })
                })
                .collect();
            Ok(with_context(json!(statuses)))
        }
        "getTransaction" => {
            let signature: Signature =
                param_str(params, 0)?.parse().map_err(|_| invalid_params("Invalid param: not a signature"))?;
            let encoding = params.get(1).and_then(|c| c.get("encoding")).and_then(Value::as_str).unwrap_or("json");
            let Some(p) = node.processed.get(&signature) else { return Ok(Value::Null) };
            let transaction = match encoding {
                "base58" => json!([bs58::encode(&p.transaction).into_string(), "base58"]),
                "base64" => json!([B64.encode(&p.transaction), "base64"]),
                _ => {
                    return Err(invalid_params("this node answers getTransaction with encoding base64 or base58 only"));
                }
            };
            let return_data = (!p.meta.return_data.data.is_empty()).then(|| {
                json!({"programId": p.meta.return_data.program_id.to_string(), "data": [B64.encode(&p.meta.return_data.data), "base64"]})
            });
            Ok(json!({
                "slot": p.slot, "blockTime": p.block_time, "version": "legacy", "transaction": transaction,
                "meta": {
                    "err": error_json(&p.result), "status": status_json(&p.result), "fee": p.meta.fee,
                    "logMessages": p.meta.logs, "computeUnitsConsumed": p.meta.compute_units_consumed,
                    "returnData": return_data, "preBalances": [], "postBalances": [], "innerInstructions": [],
                    "preTokenBalances": [], "postTokenBalances": [], "rewards": [],
                    "loadedAddresses": {"writable": [], "readonly": []},
                },
            }))
        }
        // ---- local-only methods -------------------------------------------------------
        "ballast_setAccount" => {
            let key = param_pubkey(params, 0)?;
            let spec = params.get(1).ok_or_else(|| invalid_params("expected {lamports, data, owner, executable}"))?;
            let data = decode_b64(spec.get("data").and_then(Value::as_str).unwrap_or(""))?;
            let owner = parse_pubkey(spec.get("owner").and_then(Value::as_str).unwrap_or(""))?;
            let lamports = match spec.get("lamports").and_then(Value::as_u64) {
                Some(l) => l,
                None => node.svm.minimum_balance_for_rent_exemption(data.len()),
            };
            let executable = spec.get("executable").and_then(Value::as_bool).unwrap_or(false);
            let account = Account { lamports, data, owner, executable, rent_epoch: u64::MAX };
            node.svm.set_account(key, account).map_err(|e| invalid_params(format!("setAccount: {e:?}")))?;
            Ok(Value::Null)
        }
        "ballast_setTokenAccount" => {
            let owner = param_pubkey(params, 0)?;
            let mint = param_pubkey(params, 1)?;
            let amount = params.get(2).and_then(Value::as_u64).ok_or_else(|| invalid_params("expected an amount"))?;
            let mint_account = node.account(&mint).ok_or_else(|| invalid_params("no such mint"))?;
            let token_program = mint_account.owner;
            if token_program != TOKEN_PROGRAM_ID && token_program != TOKEN_2022_PROGRAM_ID {
                return Err(invalid_params("mint is not owned by a token program"));
            }
            let address = Node::associated_token_address(&owner, &mint, &token_program);
            let mut data = vec![0u8; TokenAccount::LEN];
            TokenAccount {
                mint,
                owner,
                amount,
                delegate: COption::None,
                state: AccountState::Initialized,
                is_native: COption::None,
                delegated_amount: 0,
                close_authority: COption::None,
            }
            .pack_into_slice(&mut data);
            let lamports = node.svm.minimum_balance_for_rent_exemption(data.len());
            let account = Account { lamports, data, owner: token_program, executable: false, rent_epoch: u64::MAX };
            node.svm.set_account(address, account).map_err(|e| invalid_params(format!("setAccount: {e:?}")))?;
            Ok(json!(address.to_string()))
        }
        "ballast_warpSlot" => {
            let slots = params.first().and_then(Value::as_u64).ok_or_else(|| invalid_params("expected slots"))?;
            node.warp_slot(slots);
            Ok(json!(node.slot()))
        }
        "ballast_warpTime" => {
            let secs = params.first().and_then(Value::as_i64).ok_or_else(|| invalid_params("expected seconds"))?;
            node.warp_time(secs);
            Ok(json!(node.now()))
        }
        _ => Err(RpcError { code: -32601, message: format!("Method not found: {method}"), data: None }),
    }
}

// ---- transactions ---------------------------------------------------------------------------

fn decode_transaction(params: &[Value]) -> Result<(Vec<u8>, VersionedTransaction), RpcError> {
    let encoded = param_str(params, 0)?;
    let encoding = params.get(1).and_then(|c| c.get("encoding")).and_then(Value::as_str).unwrap_or("base58");
    let raw = match encoding {
        "base64" => decode_b64(encoded)?,
        "base58" => bs58::decode(encoded).into_vec().map_err(|e| invalid_params(format!("invalid base58: {e}")))?,
        other => return Err(invalid_params(format!("unsupported encoding {other}"))),
    };
    let tx: VersionedTransaction =
        bincode::deserialize(&raw).map_err(|e| invalid_params(format!("failed to deserialize transaction: {e}")))?;
    Ok((raw, tx))
}

fn send_transaction(node: &mut Node, params: &[Value]) -> RpcResult {
    let (raw, tx) = decode_transaction(params)?;
    let skip_preflight = params.get(1).and_then(|c| c.get("skipPreflight")).and_then(Value::as_bool).unwrap_or(false);
    if !skip_preflight {
        // Preflight, as a validator's RPC does: a failing transaction is answered with the
        // simulation's error and logs, and never lands.
        if let Err(failed) = node.svm.simulate_transaction(tx.clone()) {
            return Err(RpcError {
                code: -32002,
                message: format!("Transaction simulation failed: {}", describe_error(&failed.err)),
                data: Some(json!({
                    "err": serde_json::to_value(&failed.err).unwrap_or(Value::Null),
                    "logs": failed.meta.logs, "accounts": null,
                    "unitsConsumed": failed.meta.compute_units_consumed,
                    "returnData": null, "innerInstructions": null,
                })),
            });
        }
    }
    let (signature, _) = node.send(raw, tx);
    Ok(json!(signature.to_string()))
}

fn simulate_transaction(node: &mut Node, params: &[Value], context: &Value) -> RpcResult {
    let (_, tx) = decode_transaction(params)?;
    let sig_verify = params.get(1).and_then(|c| c.get("sigVerify")).and_then(Value::as_bool).unwrap_or(false);
    // Simulation verifies signatures only when asked to (clients simulate unsigned messages).
    let svm = std::mem::take(&mut node.svm).with_sigverify(sig_verify);
    let outcome = svm.simulate_transaction(tx);
    node.svm = svm.with_sigverify(true);
    let (err, meta) = match &outcome {
        Ok(info) => (Value::Null, &info.meta),
        Err(failed) => (serde_json::to_value(&failed.err).unwrap_or(Value::Null), &failed.meta),
    };
    let return_data = (!meta.return_data.data.is_empty()).then(|| {
        json!({"programId": meta.return_data.program_id.to_string(), "data": [B64.encode(&meta.return_data.data), "base64"]})
    });
    Ok(json!({"context": context, "value": {
        "err": err, "logs": meta.logs, "accounts": null, "unitsConsumed": meta.compute_units_consumed,
        "returnData": return_data, "innerInstructions": null,
        "replacementBlockhash": {"blockhash": node.svm.latest_blockhash().to_string(), "lastValidBlockHeight": node.slot() + BLOCKHASH_VALID_BLOCKS},
    }}))
}

fn error_json(result: &Result<(), solana_transaction_error::TransactionError>) -> Value {
    match result {
        Ok(()) => Value::Null,
        Err(e) => serde_json::to_value(e).unwrap_or(Value::Null),
    }
}

fn status_json(result: &Result<(), solana_transaction_error::TransactionError>) -> Value {
    match result {
        Ok(()) => json!({"Ok": null}),
        Err(e) => json!({"Err": serde_json::to_value(e).unwrap_or(Value::Null)}),
    }
}

/// A validator's wording: "Error processing Instruction 0: custom program error: 0x1770".
fn describe_error(error: &solana_transaction_error::TransactionError) -> String {
    use solana_transaction_error::TransactionError;
    match error {
        TransactionError::InstructionError(index, e) => {
            let detail = match e {
                solana_instruction_error::InstructionError::Custom(code) => format!("custom program error: {code:#x}"),
                other => other.to_string(),
            };
            format!("Error processing Instruction {index}: {detail}")
        }
        other => other.to_string(),
    }
}

/// `numRequiredSignatures` from a serialized (legacy or v0) message.
fn required_signatures(message: &[u8]) -> u64 {
    match message.first() {
        Some(&b) if b & 0x80 != 0 => message.get(1).copied().unwrap_or(1) as u64,
        Some(&b) => b as u64,
        None => 1,
    }
}

// ---- accounts -------------------------------------------------------------------------------

enum Encoding {
    Base64,
    Base58,
}

impl Encoding {
    /// `base64`, `base64+zstd` (answered as plain base64, which every client decodes by the
    /// encoding named in the answer), `base58`/`binary`; `jsonParsed` falls back to base64 as
    /// a validator does for accounts it cannot parse.
    fn from_config(config: Option<&Value>) -> Result<Encoding, RpcError> {
        match config.and_then(|c| c.get("encoding")).and_then(Value::as_str) {
            None | Some("base64") | Some("base64+zstd") | Some("jsonParsed") => Ok(Encoding::Base64),
            Some("base58") | Some("binary") => Ok(Encoding::Base58),
            Some(other) => Err(invalid_params(format!("unsupported encoding {other}"))),
        }
    }
}

fn encode_account(account: &Account, encoding: &Encoding) -> Value {
    let data = match encoding {
        Encoding::Base64 => json!([B64.encode(&account.data), "base64"]),
        Encoding::Base58 => json!([bs58::encode(&account.data).into_string(), "base58"]),
    };
    json!({
        "lamports": account.lamports, "owner": account.owner.to_string(), "data": data,
        "executable": account.executable, "rentEpoch": u64::MAX, "space": account.data.len(),
    })
}

fn get_program_accounts(node: &mut Node, params: &[Value], context: &Value) -> RpcResult {
    let program = param_pubkey(params, 0)?;
    let config = params.get(1);
    let encoding = Encoding::from_config(config)?;
    let filters = config.and_then(|c| c.get("filters")).and_then(Value::as_array).cloned().unwrap_or_default();
    let mut matchers = Vec::new();
    for filter in &filters {
        if let Some(size) = filter.get("dataSize").and_then(Value::as_u64) {
            matchers.push((None, Some(size as usize), Vec::new()));
        } else if let Some(memcmp) = filter.get("memcmp") {
            let offset = memcmp.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
            let bytes = memcmp.get("bytes").and_then(Value::as_str).unwrap_or("");
            let bytes = match memcmp.get("encoding").and_then(Value::as_str) {
                Some("base64") => decode_b64(bytes)?,
                _ => bs58::decode(bytes).into_vec().map_err(|e| invalid_params(format!("memcmp bytes: {e}")))?,
            };
            matchers.push((Some(offset), None, bytes));
        } else {
            return Err(invalid_params(format!("unsupported filter {filter}")));
        }
    }
    let matched: Vec<Value> = node
        .svm
        .get_program_accounts(&program)
        .into_iter()
        .filter(|(_, account)| {
            matchers.iter().all(|(offset, size, bytes)| match (offset, size) {
                (_, Some(size)) => account.data.len() == *size,
                (Some(offset), None) => account.data.get(*offset..offset + bytes.len()) == Some(bytes.as_slice()),
                (None, None) => true,
            })
        })
        .map(|(key, account)| json!({"pubkey": key.to_string(), "account": encode_account(&account, &encoding)}))
        .collect();
    if config.and_then(|c| c.get("withContext")).and_then(Value::as_bool).unwrap_or(false) {
        Ok(json!({"context": context, "value": matched}))
    } else {
        Ok(json!(matched))
    }
}

fn unpack_token_account(account: &Account) -> Option<TokenAccount> {
    if account.owner != TOKEN_PROGRAM_ID && account.owner != TOKEN_2022_PROGRAM_ID {
        return None;
    }
    TokenAccount::unpack_from_slice(account.data.get(..TokenAccount::LEN)?).ok()
}

fn mint_decimals(account: &Account) -> Option<u8> {
    Mint::unpack_from_slice(account.data.get(..Mint::LEN)?).ok().map(|m| m.decimals)
}

fn ui_token_amount(amount: u64, decimals: u8) -> Value {
    let scale = 10f64.powi(decimals as i32);
    let whole = amount / 10u64.pow(decimals as u32);
    let frac = amount % 10u64.pow(decimals as u32);
    let ui_string = if decimals == 0 {
        whole.to_string()
    } else {
        let frac = format!("{frac:0width$}", width = decimals as usize);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            whole.to_string()
        } else {
            format!("{whole}.{frac}")
        }
    };
    json!({"amount": amount.to_string(), "decimals": decimals, "uiAmount": amount as f64 / scale, "uiAmountString": ui_string})
}

// ---- params ---------------------------------------------------------------------------------

fn param_str(params: &[Value], index: usize) -> Result<&str, RpcError> {
    params
        .get(index)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid_params(format!("expected a string at param {index}")))
}

fn parse_pubkey(s: &str) -> Result<Pubkey, RpcError> {
    s.parse().map_err(|_| invalid_params(format!("Invalid param: Invalid pubkey {s:?}")))
}

fn param_pubkey(params: &[Value], index: usize) -> Result<Pubkey, RpcError> {
    parse_pubkey(param_str(params, index)?)
}

fn decode_b64(s: &str) -> Result<Vec<u8>, RpcError> {
    B64.decode(s).map_err(|e| invalid_params(format!("invalid base64: {e}")))
}
