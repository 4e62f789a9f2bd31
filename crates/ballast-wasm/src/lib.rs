//! `ballast-math` for the dApp, as WebAssembly: each op is a `wasm-bindgen` export taking and
//! returning plain JS objects (serde-wasm-bindgen), with TypeScript declarations tsify derives
//! from the Rust types, so the dApp's types are generated, never written twice.
//!
//! Inputs are the raw on-chain accounts (base64, as `getAccountInfo` returns them) and oracle
//! bytes; every number the dApp shows or checks (health, borrow power, liquidation prices, rates,
//! accrual, previews, maximum amounts, liquidation sizing) is computed here by `ballast-math`,
//! wired exactly as the program wires it (`engine`). A request that cannot be read, or an op that
//! fails as a whole, throws a JS `Error` with the reason; per-item failures are values
//! (`{ok: false, error}`, named as the program names them).

// The answer types are unions built once and serialized at once: boxing the larger side buys
// nothing.
#![allow(clippy::large_enum_variant)]

pub mod api;
pub mod engine;
pub mod input;
pub mod liquidations;
pub mod obligation;
pub mod overview;
pub mod preview;
pub mod rates;
pub mod risk;

use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;

macro_rules! exports {
    ($($(#[$doc:meta])* $rust:ident as $js:ident: $op:path, $request:ty => $answer:ty;)*) => {$(
        $(#[$doc])*
        #[wasm_bindgen(js_name = $js)]
        pub fn $rust(request: Ts<$request>) -> Result<Ts<$answer>, JsError> {
            let answer = $op(request.to_rust()?).map_err(|e| JsError::new(&e))?;
            Ok(answer.into_ts()?)
        }
    )*};
}

exports! {
    /// Per reserve: rates, totals, caps, price and its checks.
    js_overview as overview: overview::overview, api::Common => overview::Overview;
    /// An obligation's health, positions, liquidation prices and maximum amounts.
    js_obligation as obligation: obligation::obligation, obligation::ObligationRequest => obligation::ObligationOut;
    /// One action, or several as one transaction, run as the program runs them.
    js_preview as preview: preview::preview, preview::PreviewRequest => preview::PreviewOut;
    /// Every obligation's health and the best liquidation of each liquidatable one.
    js_liquidations as liquidations: liquidations::liquidations, liquidations::LiquidationsRequest => liquidations::Liquidations;
    /// The market's collateral ratios: health distribution, liquidation maps, scenarios.
    js_risk as risk: risk::risk, risk::RiskRequest => risk::RiskOverview;
    /// Each reserve's interest-rate curve and its current mark.
    js_rate_curve as rateCurve: rates::rate_curve, rates::RateCurveRequest => rates::RateCurves;
    /// Each reserve's oracle price, with the program's checks.
    js_oracle_prices as oraclePrices: api::oracle_prices, api::Common => api::OraclePrices;
}

/// The crate's version.
#[wasm_bindgen(js_name = version)]
pub fn js_version() -> String {
    api::version()
}
