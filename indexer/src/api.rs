//! The HTTP API for the dApp (hyper, HTTP/1.1, JSON, `Access-Control-Allow-Origin: *`):
//!
//! - `GET /health`: `{"ok": true}`.
//! - `GET /events?obligation=<pubkey>&reserve=<pubkey>&limit=N&before=<cursor>`: events newest
//!   first (both filters optional; `reserve` matches either reserve of a liquidation), with
//!   `next_cursor` for the next page (`null` on the last).
//! - `GET /obligations/<pubkey>/history`: that obligation's events oldest first, each with its
//!   slot, time, name, amounts and, where the event reports it, the weighted health before/after.
//! - `GET /status`: the last signature and slot indexed, transaction and event counts.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Map, Value};

use crate::decode::health_of;
use crate::store::{EventFilter, Store, StoredEvent};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 1000;

/// Event fields that are neither amounts nor health: the accounts named.
const ACCOUNT_FIELDS: &[&str] =
    &["obligation", "reserve", "payer", "liquidator", "repay_reserve", "collateral_reserve", "destination"];

fn bad_request(message: impl std::fmt::Display) -> (StatusCode, Value) {
    (StatusCode::BAD_REQUEST, json!({"error": message.to_string()}))
}

fn pubkey_param(value: &str) -> Result<String, (StatusCode, Value)> {
    Pubkey::from_str(value).map(|k| k.to_string()).map_err(|_| bad_request(format!("not a public key: {value}")))
}

/// One history entry: the event with its amounts and health split out for a chart.
fn history_entry(event: &StoredEvent) -> Value {
    let fields = event.data.as_object().cloned().unwrap_or_default();
    let amounts: Map<String, Value> = fields
        .into_iter()
        .filter(|(k, _)| !ACCOUNT_FIELDS.contains(&k.as_str()) && !k.starts_with("weighted_"))
        .collect();
    let (kind, before, after) = match health_of(&event.name, &event.data) {
        Some((kind, before, after)) => (json!(kind), before.unwrap_or(Value::Null), after),
        None => (Value::Null, Value::Null, Value::Null),
    };
    json!({
        "id": event.id,
        "signature": event.signature,
        "event_index": event.event_index,
        "slot": event.slot,
        "block_time": event.block_time,
        "name": event.name,
        "reserves": event.reserves,
        "amounts": amounts,
        "health_kind": kind,
        "health_before": before,
        "health_after": after,
        "data": event.data,
    })
}

/// Answers one request: status and JSON body (no network; `serve` wraps it).
pub async fn respond(store: &Store, method: &Method, path: &str, query: Option<&str>) -> (StatusCode, Value) {
    if method != Method::GET {
        return (StatusCode::METHOD_NOT_ALLOWED, json!({"error": "GET only"}));
    }
    let params: Vec<(&str, &str)> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
    let result = async {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        match segments.as_slice() {
            ["health"] => Ok((StatusCode::OK, json!({"ok": true}))),
            ["status"] => {
                let status = store.status().await.map_err(internal)?;
                Ok((StatusCode::OK, json!(status)))
            }
            ["events"] => {
                let filter = EventFilter {
                    obligation: param("obligation").map(pubkey_param).transpose()?,
                    reserve: param("reserve").map(pubkey_param).transpose()?,
                };
                let limit = match param("limit") {
                    Some(n) => n.parse::<i64>().map_err(|_| bad_request("limit: a number"))?.clamp(1, MAX_LIMIT),
                    None => DEFAULT_LIMIT,
                };
                let before = param("before")
                    .map(|c| c.parse::<i64>().map_err(|_| bad_request("before: a cursor")))
                    .transpose()?;
                let events = store.events(&filter, limit, before).await.map_err(internal)?;
                let next_cursor = if events.len() as i64 == limit { events.last().map(|e| e.id) } else { None };
                Ok((StatusCode::OK, json!({"events": events, "next_cursor": next_cursor})))
            }
            ["obligations", obligation, "history"] => {
                let obligation = pubkey_param(obligation)?;
                let events = store.obligation_history(&obligation).await.map_err(internal)?;
                let history: Vec<Value> = events.iter().map(history_entry).collect();
                Ok((StatusCode::OK, json!({"obligation": obligation, "events": history})))
            }
            _ => Err((StatusCode::NOT_FOUND, json!({"error": format!("no route {path}")}))),
        }
    };
    match result.await {
        Ok(answer) | Err(answer) => answer,
    }
}

fn internal(error: anyhow::Error) -> (StatusCode, Value) {
    (StatusCode::INTERNAL_SERVER_ERROR, json!({"error": format!("{error:#}")}))
}

async fn handle(store: Store, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let builder = Response::builder()
        .header(hyper::header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .header(hyper::header::ACCESS_CONTROL_ALLOW_METHODS, "GET, OPTIONS")
        .header(hyper::header::ACCESS_CONTROL_ALLOW_HEADERS, "*");
    if request.method() == Method::OPTIONS {
        return builder.status(StatusCode::NO_CONTENT).body(Full::new(Bytes::new())).expect("a valid response");
    }
    let (status, body) = respond(&store, request.method(), request.uri().path(), request.uri().query()).await;
    builder
        .status(status)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a valid response")
}

/// Serves the API at `addr` on the current tokio runtime; returns the bound address (port 0
/// picks one).
pub async fn serve(addr: &str, store: Store) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let store = store.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                    let store = store.clone();
                    async move { Ok::<_, Infallible>(handle(store, request).await) }
                });
                let _ =
                    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    Ok(local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_event;
    use crate::store::TxRecord;
    use anchor_lang::Event;
    use ballast::events;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn key(n: u8) -> Pubkey {
        Pubkey::new_from_array([n; 32])
    }

    #[tokio::test]
    async fn routes_answer_json_with_history_and_cors() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(dir.path().join("api.db").to_str().unwrap()).await.unwrap();
        let deposit =
            events::DepositEvent { obligation: key(1), reserve: key(2), amount: 500, supply_shares_minted: 499 };
        let borrow = events::BorrowEvent {
            obligation: key(1),
            reserve: key(3),
            amount: 40,
            debt_shares_added: 40,
            weighted_collateral: 300,
            weighted_debt: 200,
        };
        for (i, data) in [deposit.data(), borrow.data()].iter().enumerate() {
            let events = vec![decode_event(data).unwrap()];
            let record = TxRecord {
                signature: format!("sig{i}"),
                slot: 5 + i as u64,
                block_time: Some(7),
                failed: false,
                events,
            };
            store.record(&record).await.unwrap();
        }
        let get = |path: String, query: String| {
            let store = store.clone();
            async move { respond(&store, &Method::GET, &path, (!query.is_empty()).then_some(query.as_str())).await }
        };
        assert_eq!(get("/health".into(), String::new()).await, (StatusCode::OK, json!({"ok": true})));
        let (status, body) = get("/status".into(), String::new()).await;
        assert_eq!((status, body["events"].clone(), body["last_slot"].clone()), (StatusCode::OK, json!(2), json!(6)));

        let obligation = key(1).to_string();
        let (_, page) = get("/events".into(), format!("obligation={obligation}&limit=1")).await;
        assert_eq!(page["events"][0]["name"], "BorrowEvent");
        let cursor = page["next_cursor"].as_i64().expect("a full page has a cursor");
        let (_, page) = get("/events".into(), format!("obligation={obligation}&limit=1&before={cursor}")).await;
        assert_eq!(page["events"][0]["name"], "DepositEvent");
        assert_eq!(page["events"][0]["data"]["amount"], "500");
        assert_eq!(get("/events".into(), format!("reserve={}", key(3))).await.1["events"].as_array().unwrap().len(), 1);
        assert_eq!(get("/events".into(), "obligation=nope".into()).await.0, StatusCode::BAD_REQUEST);
        assert_eq!(get("/nowhere".into(), String::new()).await.0, StatusCode::NOT_FOUND);

        let (status, history) = get(format!("/obligations/{obligation}/history"), String::new()).await;
        assert_eq!(status, StatusCode::OK);
        let entries = history["events"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            (entries[0]["name"].clone(), entries[0]["amounts"]["amount"].clone()),
            (json!("DepositEvent"), json!("500"))
        );
        assert_eq!(entries[0]["health_after"], Value::Null);
        assert_eq!(entries[1]["health_kind"], "initial");
        assert_eq!(entries[1]["health_after"]["health_factor"], json!(1.5));
        assert_eq!(entries[1]["amounts"], json!({"amount": "40", "debt_shares_added": "40"}));
        assert_eq!((entries[1]["slot"].clone(), entries[1]["block_time"].clone()), (json!(6), json!(7)));

        // Over HTTP: JSON with the CORS header.
        let addr = serve("127.0.0.1:0", store.clone()).await.unwrap();
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(b"GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.to_ascii_lowercase().contains("access-control-allow-origin: *"), "{response}");
        assert!(response.contains("\"transactions\":2"), "{response}");
    }
}
