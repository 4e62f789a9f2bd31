//! What every op shares: the request's chain view (`Common`), the reserves priced, the health
//! answer, and the JSON dispatcher native callers use. Every integer leaves as a decimal string
//! (Wads as their raw `u128`: 1e18 = 1.0), so TypeScript only formats and never computes.
//!
//! Each op is a typed function (request in, answer out); `lib.rs` exports them through
//! wasm-bindgen with the TypeScript types tsify derives from these declarations, and [`call`]
//! answers the same ops as JSON for native tests and tools.

use ballast_math::{Health, Wad};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

use crate::engine::{ChainView, Error, Obligation, ReserveWithPrice};
use crate::input::{key_bytes, MarketAccountIn, ObligationAccountIn, ReserveIn, I64};
use ballast_engine::Error as EngineError;

/// The chain as the request shows it: the clock, the reserves (with their oracles) and the market.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Common {
    /// The chain clock (`Clock::unix_timestamp`), as a decimal string or a number.
    #[tsify(type = "string | number")]
    pub now: I64,
    pub reserves: Vec<ReserveIn>,
    /// The market account's data, base64.
    #[serde(default)]
    #[tsify(type = "string", optional)]
    pub market: Option<MarketAccountIn>,
    #[serde(default)]
    #[tsify(optional)]
    pub market_key: Option<String>,
}

impl Common {
    /// What the request shows of the chain: its reserves priced, its market, its clock.
    pub(crate) fn view<'a>(&'a self, reserves: &'a [ReserveWithPrice]) -> ChainView<'a> {
        ChainView {
            reserves,
            market: self.market.as_ref(),
            market_key: self.market_key.as_deref(),
            now_unix: self.now.0,
        }
    }
}

pub(crate) fn price_of(
    reserve: &ReserveIn,
    state: &crate::input::DecodedReserve,
) -> Result<ballast_math::OraclePrice, Error> {
    if let Some(raw) = reserve.price {
        return Ok(raw.to_price());
    }
    let invalid = Error::Program(EngineError::OracleInvalidData);
    let oracle = reserve.oracle.as_ref().ok_or(invalid)?;
    let data = base64::engine::general_purpose::STANDARD.decode(oracle.data.trim()).map_err(|_| invalid)?;
    let key = key_bytes(&oracle.key).ok_or(Error::Program(EngineError::OracleAccountMismatch))?;
    let owner = key_bytes(&oracle.owner).ok_or(Error::Program(EngineError::OracleWrongOwner))?;
    let pin = &state.oracle;
    Ok(ballast_interface::pyth::price_from_account_data(
        &key,
        &owner,
        &data,
        &pin.oracle_account,
        pin.kind,
        &pin.feed_id,
    )?)
}

pub(crate) fn priced(reserves: &[ReserveIn]) -> Vec<ReserveWithPrice> {
    reserves
        .iter()
        .map(|r| {
            let state = r.state();
            let price = price_of(r, &state);
            ReserveWithPrice { state, price }
        })
        .collect()
}

/// An integer as the decimal string every answer carries.
pub(crate) fn s<T: ToString>(v: T) -> String {
    v.to_string()
}

/// A Wad as its raw `u128` in decimal (1e18 = 1.0).
pub(crate) fn wad(w: Wad) -> String {
    w.0.to_string()
}

/// An error's name, as the program names it.
pub(crate) fn err(e: Error) -> String {
    e.name()
}

/// A health reading: USD values and the health factor as Wads.
#[derive(Serialize, Tsify, Clone, Debug, PartialEq)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct HealthOut {
    pub weighted_collateral: String,
    pub weighted_debt: String,
    pub collateral_value: String,
    pub debt_value: String,
    /// `null`: no debt (infinite).
    pub health_factor: Option<String>,
    pub margin: String,
    pub healthy: bool,
}

impl From<&Health> for HealthOut {
    fn from(h: &Health) -> HealthOut {
        HealthOut {
            weighted_collateral: wad(h.weighted_collateral),
            weighted_debt: wad(h.weighted_debt),
            collateral_value: wad(h.collateral_value),
            debt_value: wad(h.debt_value),
            health_factor: h.health_factor().map(wad),
            margin: s(h.margin()),
            healthy: h.is_healthy(),
        }
    }
}

/// A value the engine computed (`ok: true` and its fields), or the error that kept it from
/// computing it, named as the program names it.
#[derive(Serialize, Tsify, Clone, Debug, PartialEq)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(untagged)]
pub enum Outcome<T> {
    Ok {
        #[tsify(type = "true")]
        ok: bool,
        #[serde(flatten)]
        value: T,
    },
    Err {
        #[tsify(type = "false")]
        ok: bool,
        error: String,
    },
}

impl<T> Outcome<T> {
    pub(crate) fn of(r: Result<T, Error>) -> Outcome<T> {
        match r {
            Ok(value) => Outcome::Ok { ok: true, value },
            Err(e) => Outcome::Err { ok: false, error: err(e) },
        }
    }
}

/// A value, or the error that kept the engine from computing it (no `ok` flag).
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(untagged)]
pub enum OrError<T> {
    Ok(T),
    Err { error: String },
}

impl<T> From<Result<T, String>> for OrError<T> {
    fn from(r: Result<T, String>) -> OrError<T> {
        r.map_or_else(|error| OrError::Err { error }, OrError::Ok)
    }
}

/// The health reading itself (the `ok: true` side of [`HealthResult`]).
#[derive(Serialize, Tsify, Clone, Debug, PartialEq)]
#[tsify(missing_as_null, hashmap_as_object)]
pub struct HealthReading {
    pub health: HealthOut,
}

/// The health, or the error that kept the engine from computing it.
#[derive(Serialize, Tsify, Clone, Debug, PartialEq)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(transparent)]
pub struct HealthResult(pub Outcome<HealthReading>);

impl HealthResult {
    pub(crate) fn of(r: Result<Health, Error>) -> HealthResult {
        HealthResult(Outcome::of(r.map(|h| HealthReading { health: (&h).into() })))
    }
}

pub(crate) fn obligation_of<'k>(account: Option<&'k ObligationAccountIn>, owner: Option<&'k str>) -> Obligation<'k> {
    match account {
        Some(a) => Obligation::from_account(a),
        None => Obligation { owner: owner.unwrap_or_default(), ..Default::default() },
    }
}

/// The health accounts an instruction takes: the obligation's positions' reserves, in order.
pub(crate) fn health_accounts(obligation: &Obligation) -> Vec<String> {
    obligation.active().iter().map(|p| p.reserve.to_string()).collect()
}

/// An oracle account's price fields, as the program decodes them.
#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
#[serde(rename_all = "camelCase")]
pub struct OraclePriceFields {
    pub price: String,
    pub conf: String,
    pub ema_price: String,
    pub ema_conf: String,
    pub exponent: i32,
    pub publish_time: String,
}

impl From<&ballast_math::OraclePrice> for OraclePriceFields {
    fn from(p: &ballast_math::OraclePrice) -> OraclePriceFields {
        OraclePriceFields {
            price: s(p.price),
            conf: s(p.conf),
            ema_price: s(p.ema_price),
            ema_conf: s(p.ema_conf),
            exponent: p.exponent,
            publish_time: s(p.publish_time),
        }
    }
}

#[derive(Serialize, Tsify)]
#[tsify(missing_as_null, hashmap_as_object)]
pub struct OraclePrices {
    pub prices: Vec<Outcome<OraclePriceFields>>,
}

/// Decodes each reserve's oracle account, with the program's checks.
pub fn oracle_prices(c: Common) -> Result<OraclePrices, String> {
    let prices =
        c.reserves.iter().map(|r| Outcome::of(price_of(r, &r.state()).map(|p| OraclePriceFields::from(&p)))).collect();
    Ok(OraclePrices { prices })
}

/// The crate's version (the dApp checks it loaded the engine it was built with).
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn json_op<Req: serde::de::DeserializeOwned, Out: Serialize>(
    request: serde_json::Value,
    op: impl FnOnce(Req) -> Result<Out, String>,
) -> Result<serde_json::Value, String> {
    let request = serde_json::from_value(request).map_err(|e| e.to_string())?;
    serde_json::to_value(op(request)?).map_err(|e| e.to_string())
}

/// Answers one JSON request `{"op": ..., ...}` with the op's answer as JSON: the same typed ops
/// the wasm exports, for native tests and tools. Never panics on bad input: errors come back as
/// `{"error": ...}`.
pub fn call(request: &str) -> String {
    let answer = (|| -> Result<serde_json::Value, String> {
        let value: serde_json::Value = serde_json::from_str(request).map_err(|e| e.to_string())?;
        let op = value.get("op").and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
        match op.as_str() {
            "version" => Ok(serde_json::json!({ "version": version() })),
            "overview" => json_op(value, crate::overview::overview),
            "obligation" => json_op(value, crate::obligation::obligation),
            "preview" => json_op(value, crate::preview::preview),
            "liquidations" => json_op(value, crate::liquidations::liquidations),
            "risk" => json_op(value, crate::risk::risk),
            "rateCurve" => json_op(value, crate::rates::rate_curve),
            "oraclePrice" => json_op(value, oracle_prices),
            other => Err(format!("unknown op {other:?}")),
        }
    })();
    match answer {
        Ok(v) => v.to_string(),
        Err(e) => serde_json::json!({ "error": e }).to_string(),
    }
}

#[cfg(test)]
#[path = "api_tests.rs"]
mod tests;
