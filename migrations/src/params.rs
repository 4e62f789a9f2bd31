//! The market file's sections as the program's instruction parameters. The one place the file's
//! fields are mapped to `MarketConfigParams` / `ReserveConfigParams`; the file's own sections
//! supply the math crate's types (`RiskSection::to_risk_config`,
//! `ControlsSection::to_risk_controls`), so every field is named once per direction.

use anyhow::{bail, Context, Result};
use ballast::{MarketConfigParams, ReserveConfigParams};
use ballast_engine::ReserveState as _;
use ballast_market_config::{parse_feed_id, MarketSection, ReserveSection};
use ballast_math::treasury::TreasuryConfig;
use ballast_math::window::OutflowLimit;

/// `OracleKind` bytes of `ReserveConfigParams::oracle_kind`.
pub const ORACLE_KIND_PULL: u8 = 1;
pub const ORACLE_KIND_LEGACY: u8 = 2;

/// `init_market`'s quote currency: the file's `quote_currency`, zero-padded to 8 bytes.
pub fn quote_currency(market: &MarketSection) -> Result<[u8; 8]> {
    let bytes = market.quote_currency.as_bytes();
    if bytes.is_empty() || bytes.len() > 8 {
        bail!("quote_currency {:?} must be 1 to 8 bytes", market.quote_currency);
    }
    let mut out = [0u8; 8];
    out[..bytes.len()].copy_from_slice(bytes);
    Ok(out)
}

/// `init_market` / `update_market_config` parameters from `[market]`.
pub fn market_config_params(market: &MarketSection) -> Result<MarketConfigParams> {
    Ok(MarketConfigParams {
        close_factor_bps: market.close_factor_bps,
        full_liquidation_health_factor_bps: market.full_liquidation_health_factor_bps,
        target_health_factor_bps: market.target_health_factor_bps,
        bonus_ramp_bps: market.bonus_ramp_bps,
        dust_value_usd: market.dust_value_usd.to_wad().map_err(anyhow::Error::msg).context("dust_value_usd")?.0,
        max_pause_secs: market.max_pause_secs,
        risk_ramp_secs: market.risk_ramp_secs,
        scenario_count: market.scenarios.names.len().try_into().context("scenarios: at most 8")?,
        scenario_initial_buffer_bps: market.scenarios.initial_buffer_bps,
        scenario_maintenance_buffer_bps: market.scenarios.maintenance_buffer_bps,
        scenario_maintenance_fraction_bps: market.scenarios.maintenance_fraction_bps,
        auction_secs: market.auction_secs,
        paced_close_factor_bps: market.paced_close_factor_bps,
        pacing_window_secs: market.pacing_window_secs,
        min_debt_usd: market.min_debt_usd,
        fee_receiver: match market.fee_receiver.trim() {
            "" => Default::default(),
            key => key.parse().map_err(|e| anyhow::anyhow!("fee_receiver {key:?}: {e}"))?,
        },
    })
}

/// The oracle kind byte of a reserve's `[reserves.oracle] kind`.
pub fn oracle_kind(reserve: &ReserveSection) -> Result<u8> {
    match reserve.oracle.kind.as_str() {
        "pull" => Ok(ORACLE_KIND_PULL),
        "legacy" => Ok(ORACLE_KIND_LEGACY),
        other => bail!("{}: oracle kind {other:?} (pull or legacy)", reserve.symbol),
    }
}

/// The file's feed id (pull), if it names one.
pub fn file_feed_id(reserve: &ReserveSection) -> Result<Option<[u8; 32]>> {
    if reserve.oracle.feed_id.trim().is_empty() {
        return Ok(None);
    }
    parse_feed_id(&reserve.oracle.feed_id).map(Some).map_err(anyhow::Error::msg).context(reserve.symbol.clone())
}

/// `init_reserve` / `update_reserve_config` parameters from one `[[reserves]]` entry:
/// `[reserves.risk]` (through `RiskConfig`), `[reserves.controls]` (through `RiskControls`),
/// `curve` and `[reserves.oracle]`. `feed_id` is the Pyth feed the oracle account carries
/// (ignored by the program for legacy oracles).
pub fn reserve_config_params(reserve: &ReserveSection, feed_id: [u8; 32]) -> Result<ReserveConfigParams> {
    let risk = reserve.risk.to_risk_config();
    let controls = reserve.controls.to_risk_controls();
    Ok(ReserveConfigParams {
        ltv_bps: risk.ltv_bps,
        liquidation_threshold_bps: risk.liquidation_threshold_bps,
        borrow_factor_bps: risk.borrow_factor_bps,
        min_liquidation_bonus_bps: risk.min_liquidation_bonus_bps,
        max_liquidation_bonus_bps: risk.max_liquidation_bonus_bps,
        protocol_liquidation_fee_bps: risk.protocol_liquidation_fee_bps,
        protocol_take_rate_bps: risk.protocol_take_rate_bps,
        insurance_take_rate_bps: risk.insurance_take_rate_bps,
        supply_cap: risk.supply_cap,
        borrow_cap: risk.borrow_cap,
        curve: reserve.curve.clone(),
        oracle_kind: oracle_kind(reserve)?,
        feed_id,
        max_price_age_secs: reserve.oracle.max_price_age_secs,
        max_confidence_bps: reserve.oracle.max_confidence_bps,
        collateral_value_cap_usd: controls.collateral_value_cap_usd,
        utilization_ceiling_bps: controls.utilization_ceiling_bps,
        haircut_start_bps: controls.haircut_start_bps,
        haircut_end_bps: controls.haircut_end_bps,
        max_haircut_bps: controls.max_haircut_bps,
        max_ema_deviation_bps: controls.max_ema_deviation_bps,
        scenario_shocks_bps: reserve.scenario_shocks(),
        liquidation_depth_budget_usd: reserve.liquidation_depth_budget_usd,
        outflow_cap: reserve.outflow_cap,
        outflow_window_secs: reserve.outflow_window_secs,
        insurance_floor: reserve.insurance_floor,
        flash_loan_fee_bps: reserve.flash_loan_fee_bps,
    })
}

/// Whether a reserve on chain already holds exactly `params` (oracle account aside): what the
/// program's `ReserveConfigParams::apply` would store.
pub fn reserve_matches(reserve: &ballast::state::Reserve, params: &ReserveConfigParams) -> bool {
    let curve = ballast_math::InterestCurve::from_points(
        &params
            .curve
            .iter()
            .map(|&(utilization_bps, borrow_rate_bps)| ballast_math::CurvePoint { utilization_bps, borrow_rate_bps })
            .collect::<Vec<_>>(),
    );
    reserve.risk_config() == params.risk_config()
        && reserve.risk_controls() == params.risk_controls()
        && curve.is_ok_and(|c| reserve.interest_curve() == c)
        && reserve.oracle.kind == params.oracle_kind
        && (params.oracle_kind == ORACLE_KIND_LEGACY || reserve.oracle.feed_id == params.feed_id)
        && reserve.oracle.max_age_secs == params.max_price_age_secs
        && reserve.oracle.max_confidence_bps == params.max_confidence_bps
        && reserve.scenario_shocks_bps == params.scenario_shocks_bps
        && reserve.liquidation_depth_budget_usd == params.liquidation_depth_budget_usd
        && reserve.outflow().limit == OutflowLimit { cap: params.outflow_cap, window_secs: params.outflow_window_secs }
        && reserve.treasury()
            == TreasuryConfig { insurance_floor: params.insurance_floor, flash_loan_fee_bps: params.flash_loan_fee_bps }
}

/// Whether a market on chain already holds exactly `params`.
pub fn market_matches(market: &ballast::state::Market, params: &MarketConfigParams) -> bool {
    market.liquidation_config() == params.liquidation_config()
        && market.max_pause_secs == params.max_pause_secs
        && market.scenario_margin() == params.scenario_margin()
        && market.min_debt_usd == params.min_debt_usd
        && market.fee_receiver == params.fee_receiver
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballast_market_config::{MarketFile, EXAMPLE_MARKET_TOML};

    #[test]
    fn params_round_trip_through_the_programs_accessors() {
        let file = MarketFile::from_toml(EXAMPLE_MARKET_TOML).unwrap();
        let market = file.validate().unwrap();
        for (section, spec) in file.reserves.iter().zip(&market.reserves) {
            let feed = file_feed_id(section).unwrap().unwrap_or([9; 32]);
            let params = reserve_config_params(section, feed).unwrap();
            // The program's own conversions give back what the simulator validated.
            assert_eq!(params.risk_config(), spec.risk, "{}", section.symbol);
            assert_eq!(params.risk_controls(), spec.controls, "{}", section.symbol);
            assert_eq!(params.max_price_age_secs, spec.limits.max_age_secs);
            assert_eq!(params.max_confidence_bps, spec.limits.max_confidence_bps);
            assert_eq!(params.feed_id, feed);
        }
        let m = market_config_params(&file.market).unwrap();
        assert_eq!(m.close_factor_bps, market.liquidation.close_factor_bps);
        assert_eq!(m.dust_value_usd, market.liquidation.dust_value.0);
        assert_eq!(quote_currency(&file.market).unwrap(), *b"USD\0\0\0\0\0");
    }
}
