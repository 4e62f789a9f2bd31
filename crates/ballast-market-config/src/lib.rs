//! The market config file (TOML or JSON): the market's liquidation knobs, one entry per reserve
//! with its risk parameters (the field names and units of `ballast_math::RiskConfig`), risk
//! controls (`ballast_math::RiskControls`), interest curve and oracle settings — everything
//! `init_market` and `init_reserve` need — plus optional `sim` tables that only the simulator
//! reads.
//!
//! `market.toml` beside this crate's manifest documents every field. The bootstrap step (`migrations/`,
//! `ballast-migrate bootstrap`) reads the same file and ignores the `sim` tables.

use std::path::Path;

use ballast_math::liquidation::LiquidationConfig;
use ballast_math::scenario::{ScenarioMargin, ScenarioShocks, MAX_SCENARIOS};
use ballast_math::{CurvePoint, InterestCurve, MathError, PriceLimits, RiskConfig, RiskControls, Wad, WAD};
use serde::{Deserialize, Serialize};

/// A whole config file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarketFile {
    pub market: MarketSection,
    pub reserves: Vec<ReserveSection>,
    #[serde(default)]
    pub simulation: SimulationSection,
}

/// The market's liquidation knobs, as `ballast_math::liquidation::LiquidationConfig` and the
/// program's `MarketConfigParams` name them.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarketSection {
    #[serde(default)]
    pub name: String,
    #[serde(default = "default_quote")]
    pub quote_currency: String,
    pub close_factor_bps: u16,
    pub full_liquidation_health_factor_bps: u16,
    pub target_health_factor_bps: u16,
    pub bonus_ramp_bps: u16,
    /// USD, as a decimal string ("2", "0.5") or an integer; stored on-chain as a Wad.
    pub dust_value_usd: UsdAmount,
    /// Longest pause the authority may set, seconds (the program's `MarketConfigParams`; at most
    /// a week). Not used by the simulator.
    #[serde(default = "default_max_pause_secs")]
    pub max_pause_secs: u64,
    /// Seconds over which a lower liquidation threshold or a higher borrow factor takes effect
    /// (the program's `MarketConfigParams`; one hour to 30 days). Not used by the simulator.
    #[serde(default = "default_risk_ramp_secs")]
    pub risk_ramp_secs: u64,
    /// Stress scenarios for scenario margin; omitted: none (every obligation margined by
    /// classic weights). Each reserve gives its shock per scenario (`scenario_shocks_bps`).
    #[serde(default)]
    pub scenarios: ScenariosSection,
    /// Dutch-auction bonus: seconds over which the bonus grows from a collateral's minimum to its
    /// maximum after an obligation is first seen liquidatable (0, the default: the shortfall
    /// ramp alone; at most a day).
    #[serde(default)]
    pub auction_secs: u64,
    /// Liquidation pacing: the close factor of a collateral whose recent seizures exceed its
    /// `liquidation_depth_budget_usd` (0, the default: no pacing; at most `close_factor_bps`),
    /// and the window (seconds, at most a day) seizures decay over.
    #[serde(default)]
    pub paced_close_factor_bps: u16,
    #[serde(default)]
    pub pacing_window_secs: u64,
    /// Smallest debt (whole USD) a borrow or partial repay may leave in a position (0, the
    /// default: none; at most $1,000,000). Not used by the simulator.
    #[serde(default)]
    pub min_debt_usd: u64,
    /// Owner (base58) of the token accounts fees and insurance are withdrawn to (empty, the
    /// default: the market authority).
    #[serde(default)]
    pub fee_receiver: String,
}

/// The market's stress scenarios (the program's `ballast_math::scenario::ScenarioMargin`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScenariosSection {
    /// One name per scenario (at most 8), for people: the chain keeps only their count.
    pub names: Vec<String>,
    pub initial_buffer_bps: u16,
    pub maintenance_buffer_bps: u16,
    pub maintenance_fraction_bps: u16,
}

impl Default for ScenariosSection {
    fn default() -> Self {
        ScenariosSection {
            names: Vec::new(),
            initial_buffer_bps: 10_000,
            maintenance_buffer_bps: 10_000,
            maintenance_fraction_bps: 10_000,
        }
    }
}

impl ScenariosSection {
    /// The parameters as the program stores them (one scenario per name), validated as
    /// `update_market_config` validates them (`ScenarioMargin::validate`).
    pub fn to_scenario_margin(&self) -> Result<ScenarioMargin, ConfigError> {
        if self.names.len() > MAX_SCENARIOS {
            return Err(ConfigError::Other(format!("at most {MAX_SCENARIOS} scenarios")));
        }
        let margin = ScenarioMargin::from_stored(
            self.names.len() as u8,
            self.initial_buffer_bps,
            self.maintenance_buffer_bps,
            self.maintenance_fraction_bps,
        );
        margin.validate().map_err(|e| ConfigError::Other(format!("market.scenarios: {e:?}")))?;
        Ok(margin)
    }
}

fn default_quote() -> String {
    "USD".into()
}
fn default_max_pause_secs() -> u64 {
    86_400
}
fn default_risk_ramp_secs() -> u64 {
    86_400
}

/// A USD amount written as a decimal string (exact, up to 18 places) or a whole number.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum UsdAmount {
    Whole(u64),
    Decimal(String),
}

impl UsdAmount {
    pub fn to_wad(&self) -> Result<Wad, String> {
        match self {
            UsdAmount::Whole(v) => Ok(Wad::from_u64(*v)),
            UsdAmount::Decimal(s) => parse_decimal_wad(s),
        }
    }
}

/// A Pyth feed id written as 64 hex digits, with or without `0x`.
pub fn parse_feed_id(s: &str) -> Result<[u8; 32], String> {
    let hex = s.trim().trim_start_matches("0x").trim_start_matches("0X");
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("feed_id {s:?} must be 32 bytes of hex (64 digits, optional 0x)"));
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex digits checked");
    }
    Ok(out)
}

/// "12.345" -> Wad(12.345e18), exactly.
pub fn parse_decimal_wad(s: &str) -> Result<Wad, String> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty() || frac.len() > 18 {
        return Err(format!("bad decimal {s:?} (at most 18 decimal places)"));
    }
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(frac) {
        return Err(format!("bad decimal {s:?}"));
    }
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|e| format!("{s:?}: {e}"))? };
    let mut frac_units: u128 = if frac.is_empty() { 0 } else { frac.parse().map_err(|e| format!("{s:?}: {e}"))? };
    for _ in frac.len()..18 {
        frac_units *= 10;
    }
    whole.checked_mul(WAD).and_then(|w| w.checked_add(frac_units)).map(Wad).ok_or_else(|| format!("{s:?} overflows"))
}

/// Risk parameters of one reserve: exactly `ballast_math::RiskConfig`'s fields and units (bps;
/// caps in token base units, omitted = no cap, since TOML integers stop at i64::MAX).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RiskSection {
    pub ltv_bps: u16,
    pub liquidation_threshold_bps: u16,
    pub borrow_factor_bps: u16,
    pub min_liquidation_bonus_bps: u16,
    pub max_liquidation_bonus_bps: u16,
    pub protocol_liquidation_fee_bps: u16,
    pub protocol_take_rate_bps: u16,
    pub insurance_take_rate_bps: u16,
    #[serde(default)]
    pub supply_cap: Option<u64>,
    #[serde(default)]
    pub borrow_cap: Option<u64>,
}

impl RiskSection {
    pub fn to_risk_config(&self) -> RiskConfig {
        RiskConfig {
            ltv_bps: self.ltv_bps,
            liquidation_threshold_bps: self.liquidation_threshold_bps,
            borrow_factor_bps: self.borrow_factor_bps,
            min_liquidation_bonus_bps: self.min_liquidation_bonus_bps,
            max_liquidation_bonus_bps: self.max_liquidation_bonus_bps,
            protocol_liquidation_fee_bps: self.protocol_liquidation_fee_bps,
            protocol_take_rate_bps: self.protocol_take_rate_bps,
            insurance_take_rate_bps: self.insurance_take_rate_bps,
            supply_cap: self.supply_cap.unwrap_or(u64::MAX),
            borrow_cap: self.borrow_cap.unwrap_or(u64::MAX),
        }
    }
}

/// Risk controls of one reserve: exactly `ballast_math::RiskControls`' fields and units (the
/// program's `ReserveConfigParams` names them the same). Every field may be omitted; the defaults
/// are `RiskControls::default()`, controls that change nothing.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ControlsSection {
    /// Most USD (whole dollars) of this reserve's collateral that counts towards initial health,
    /// over all depositors; omitted = no cap (TOML integers stop at i64::MAX).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collateral_value_cap_usd: Option<u64>,
    /// Borrows that would take utilisation above this are rejected (bps).
    pub utilization_ceiling_bps: u16,
    /// Volatility haircut: the price uncertainty `max(conf / price, |spot - EMA| / EMA)` (bps)
    /// where the LTV haircut starts, where it reaches `max_haircut_bps`, and that maximum share
    /// of the LTV removed.
    pub haircut_start_bps: u16,
    pub haircut_end_bps: u16,
    pub max_haircut_bps: u16,
    /// Circuit breaker: borrow and withdraw against or of this asset stop while
    /// `|spot - EMA| / EMA` is above this (bps); 10000 = effectively off.
    pub max_ema_deviation_bps: u16,
}

impl Default for ControlsSection {
    fn default() -> Self {
        let d = RiskControls::default();
        ControlsSection {
            collateral_value_cap_usd: None,
            utilization_ceiling_bps: d.utilization_ceiling_bps,
            haircut_start_bps: d.haircut_start_bps,
            haircut_end_bps: d.haircut_end_bps,
            max_haircut_bps: d.max_haircut_bps,
            max_ema_deviation_bps: d.max_ema_deviation_bps,
        }
    }
}

impl ControlsSection {
    pub fn to_risk_controls(&self) -> RiskControls {
        RiskControls {
            collateral_value_cap_usd: self.collateral_value_cap_usd.unwrap_or(u64::MAX),
            utilization_ceiling_bps: self.utilization_ceiling_bps,
            haircut_start_bps: self.haircut_start_bps,
            haircut_end_bps: self.haircut_end_bps,
            max_haircut_bps: self.max_haircut_bps,
            max_ema_deviation_bps: self.max_ema_deviation_bps,
        }
    }
}

/// Oracle settings (the program's `ReserveConfigParams` oracle fields: `kind`, `feed_id`,
/// `max_price_age_secs`, `max_confidence_bps`), plus how the simulated oracle — and the price
/// account the local bootstrap writes — publishes: `exponent` and `confidence_bps`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OracleSection {
    /// "pull" (PriceUpdateV2) or "legacy".
    #[serde(default = "default_oracle_kind")]
    pub kind: String,
    /// Pyth feed id, 0x-prefixed hex (pull only).
    #[serde(default)]
    pub feed_id: String,
    pub max_price_age_secs: u64,
    pub max_confidence_bps: u16,
    /// Price exponent the simulated oracle publishes with (Pyth uses -8 for most USD feeds).
    #[serde(default = "default_exponent")]
    pub exponent: i32,
    /// Confidence the simulated (or locally written) oracle publishes, bps of the price; initial
    /// health uses spot/EMA -/+ conf.
    #[serde(default = "default_confidence_bps")]
    pub confidence_bps: u16,
}

fn default_oracle_kind() -> String {
    "pull".into()
}
fn default_exponent() -> i32 {
    -8
}
fn default_confidence_bps() -> u16 {
    10
}

impl Default for OracleSection {
    fn default() -> Self {
        OracleSection {
            kind: default_oracle_kind(),
            feed_id: String::new(),
            max_price_age_secs: 60,
            max_confidence_bps: 200,
            exponent: -8,
            confidence_bps: default_confidence_bps(),
        }
    }
}

/// One reserve.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReserveSection {
    pub symbol: String,
    pub decimals: u8,
    /// USD per whole token at the start of a simulation (and for the bootstrap's sanity check).
    pub initial_price: f64,
    pub risk: RiskSection,
    #[serde(default)]
    pub controls: ControlsSection,
    /// `[utilization_bps, annual_borrow_rate_bps]` points from 0% to 100% utilisation.
    pub curve: Vec<(u16, u32)>,
    #[serde(default)]
    pub oracle: OracleSection,
    /// This reserve's price shock in each of the market's scenarios, bps, in order; omitted: 0.
    #[serde(default)]
    pub scenario_shocks_bps: Vec<i16>,
    /// Whole USD of this collateral liquidations may seize for tokens within the market's
    /// pacing window before its close factor steps down (0, the default: never paced).
    #[serde(default)]
    pub liquidation_depth_budget_usd: u64,
    /// Outflow limit: net borrows plus withdrawals within `outflow_window_secs` (at most a week)
    /// may not pass `outflow_cap` base units (0, the default: no limit). Not simulated.
    #[serde(default)]
    pub outflow_cap: u64,
    #[serde(default)]
    pub outflow_window_secs: u64,
    /// Base units of insurance the authority can never withdraw (default 0).
    #[serde(default)]
    pub insurance_floor: u64,
    /// Flash-loan fee, bps (at most 1000); omitted: no flash loans (65535).
    #[serde(default = "flash_loans_off")]
    pub flash_loan_fee_bps: u16,
    #[serde(default)]
    pub sim: ReserveSim,
}

fn flash_loans_off() -> u16 {
    ballast_math::treasury::FLASH_LOANS_DISABLED
}

impl ReserveSection {
    /// The outflow limit and treasury settings, as the program stores them.
    pub fn limits(&self) -> (ballast_math::window::OutflowLimit, ballast_math::treasury::TreasuryConfig) {
        (
            ballast_math::window::OutflowLimit { cap: self.outflow_cap, window_secs: self.outflow_window_secs },
            ballast_math::treasury::TreasuryConfig {
                insurance_floor: self.insurance_floor,
                flash_loan_fee_bps: self.flash_loan_fee_bps,
            },
        )
    }
}

impl ReserveSection {
    /// The shocks as the program stores them (8 slots, zero past the list).
    pub fn scenario_shocks(&self) -> [i16; MAX_SCENARIOS] {
        let mut shocks = [0; MAX_SCENARIOS];
        for (slot, shock) in shocks.iter_mut().zip(&self.scenario_shocks_bps) {
            *slot = *shock;
        }
        shocks
    }
}

/// Simulator-only parameters of one asset.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReserveSim {
    /// Excluded from the scripted crash (it stays at its price) and quoted as a stablecoin.
    pub stable: bool,
    /// GBM drift and volatility, annualised (0.8 = 80%).
    pub drift_annual: f64,
    pub vol_annual: f64,
    /// Jumps: expected count per year, and the mean and std-dev of the log jump size.
    pub jump_intensity_per_year: f64,
    pub jump_mean: f64,
    pub jump_std: f64,
    /// Where liquidators sell this asset.
    pub liquidity: LiquiditySection,
    /// Half-life (steps) of the EMA the circuit breaker (`controls.max_ema_deviation_bps`) and
    /// the oracle's EMA price use.
    pub ema_half_life_steps: f64,
    /// Supply from passive lenders, sized so the reserve's utilisation after the book's borrows
    /// is this (bps); 0 = no passive lenders beyond the book's own deposits.
    pub target_utilization_bps: u16,
    /// Insurance fund at the start, USD (held in the vault as `insurance_fees`).
    pub insurance_fund_usd: f64,
}

impl Default for ReserveSim {
    fn default() -> Self {
        ReserveSim {
            stable: false,
            drift_annual: 0.0,
            vol_annual: 0.0,
            jump_intensity_per_year: 0.0,
            jump_mean: 0.0,
            jump_std: 0.0,
            liquidity: LiquiditySection::default(),
            ema_half_life_steps: 30.0,
            target_utilization_bps: 6_000,
            insurance_fund_usd: 0.0,
        }
    }
}

/// How deep the market liquidators sell into is.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[derive(Default)]
pub enum LiquiditySection {
    /// Constant-product pool (x * y = k) holding `depth_usd` of USD against the same value of
    /// the asset at the current price.
    ConstantProduct { depth_usd: f64 },
    /// Linear order book: selling `usd_per_percent` USD moves the price down 1%.
    Linear { usd_per_percent: f64 },
    /// Infinitely deep: no price impact.
    #[default]
    None,
}

/// Defaults for a run; CLI flags override them.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimulationSection {
    pub seed: u64,
    pub step_secs: u64,
    /// Correlation matrix of the assets' Brownian shocks, in reserve order (identity if empty).
    pub correlation: Vec<Vec<f64>>,
    pub liquidators: LiquidatorSection,
    pub book: BookSection,
    pub borrowers: BorrowerSection,
    /// Steps for the pool impact of liquidation sales to decay by half (arbitrage refills the
    /// pool); 0 = never decays.
    pub impact_half_life_steps: f64,
    /// Most liquidation rounds within one step (a round = liquidate, sell, re-price).
    pub max_rounds_per_step: u32,
}

impl Default for SimulationSection {
    fn default() -> Self {
        SimulationSection {
            seed: 7,
            step_secs: 60,
            correlation: Vec::new(),
            liquidators: LiquidatorSection::default(),
            book: BookSection::default(),
            borrowers: BorrowerSection::default(),
            impact_half_life_steps: 30.0,
            max_rounds_per_step: 16,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LiquidatorSection {
    /// Most debt value (USD) liquidators repay in one step, over all obligations; negative or
    /// omitted = unlimited.
    pub capacity_usd_per_step: f64,
    /// Steps an obligation must have been liquidatable before a liquidator acts.
    pub latency_steps: u32,
    /// Liquidators skip plans whose bonus is below this (bps). 0 = they also clear insolvent
    /// obligations at no bonus (a protocol backstop keeper).
    pub min_bonus_bps: u16,
}

impl Default for LiquidatorSection {
    fn default() -> Self {
        LiquidatorSection { capacity_usd_per_step: -1.0, latency_steps: 0, min_bonus_bps: 0 }
    }
}

/// A generated book.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BookSection {
    pub count: usize,
    /// Relative weights of each symbol as (first) collateral.
    pub collateral_mix: Vec<(String, f64)>,
    /// Relative weights of each symbol as debt (never the same asset as the collateral).
    pub debt_mix: Vec<(String, f64)>,
    /// Probability that an obligation holds a second collateral asset.
    pub second_collateral_prob: f64,
    /// Collateral size, USD: lognormal with this median and log-sigma.
    pub collateral_usd_median: f64,
    pub collateral_usd_sigma: f64,
    /// Share of borrow power (initial health at LTV) each obligation uses: uniform in [min, max].
    pub borrow_power_used_min: f64,
    pub borrow_power_used_max: f64,
    /// `[collateral, debt, weight]`: when given, each obligation is one such pair (drawn by
    /// weight) instead of the two mixes, e.g. an LST against SOL and SOL against USDC.
    pub pair_mix: Vec<(String, String, f64)>,
    /// Share of obligations margined by the market's stress scenarios (`set_margin_mode(1)`);
    /// the rest use classic weights.
    pub scenario_margin_share: f64,
}

impl Default for BookSection {
    fn default() -> Self {
        BookSection {
            count: 10_000,
            collateral_mix: Vec::new(),
            debt_mix: Vec::new(),
            second_collateral_prob: 0.2,
            collateral_usd_median: 5_000.0,
            collateral_usd_sigma: 1.5,
            borrow_power_used_min: 0.4,
            borrow_power_used_max: 0.99,
            pair_mix: Vec::new(),
            scenario_margin_share: 0.0,
        }
    }
}

/// Borrowers who top their leverage back up when prices rise (new borrows, which the circuit
/// breaker can stop).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BorrowerSection {
    /// Probability per step that an obligation tries to borrow back up to its target usage.
    pub relever_prob_per_step: f64,
}

impl Default for BorrowerSection {
    fn default() -> Self {
        BorrowerSection { relever_prob_per_step: 0.01 }
    }
}

/// A validated reserve, in the math crate's types.
#[derive(Clone, Debug)]
pub struct ReserveSpec {
    pub symbol: String,
    pub decimals: u8,
    pub initial_price: f64,
    pub risk: RiskConfig,
    pub controls: RiskControls,
    pub curve: InterestCurve,
    pub limits: ballast_math::PriceLimits,
    pub exponent: i32,
    /// Oracle confidence the simulation publishes, bps of the price.
    pub confidence_bps: u16,
    /// This reserve's shock in each of the market's stress scenarios, bps (zero past the count).
    pub scenario_shocks_bps: [i16; MAX_SCENARIOS],
    /// Whole USD liquidations may seize for tokens within the pacing window (0: never paced).
    pub liquidation_depth_budget_usd: u64,
    pub sim: ReserveSim,
}

/// A validated market.
#[derive(Clone, Debug)]
pub struct Market {
    pub name: String,
    pub liquidation: LiquidationConfig,
    /// The stress scenarios (count 0: none, every obligation margined by classic weights), as
    /// the program stores them, and their names in order.
    pub scenarios: ScenarioMargin,
    pub scenario_names: Vec<String>,
    pub reserves: Vec<ReserveSpec>,
    pub simulation: SimulationSection,
}

/// Why a config was rejected.
#[derive(Debug)]
pub enum ConfigError {
    Io(String),
    Parse(String),
    /// A reserve's risk config or curve fails `ballast_math` validation.
    Reserve {
        symbol: String,
        error: MathError,
    },
    /// The liquidation knobs fail `LiquidationConfig::validate`.
    Liquidation(MathError),
    Other(String),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Io(e) => write!(f, "cannot read config: {e}"),
            ConfigError::Parse(e) => write!(f, "cannot parse config: {e}"),
            ConfigError::Reserve { symbol, error } => write!(f, "reserve {symbol}: invalid config: {error:?}"),
            ConfigError::Liquidation(e) => write!(f, "market liquidation config invalid: {e:?}"),
            ConfigError::Other(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ConfigError {}

impl MarketFile {
    pub fn from_toml(text: &str) -> Result<MarketFile, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))
    }

    pub fn from_json(text: &str) -> Result<MarketFile, ConfigError> {
        serde_json::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))
    }

    /// Reads `.json` as JSON and anything else as TOML.
    pub fn load(path: &Path) -> Result<MarketFile, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io(format!("{}: {e}", path.display())))?;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            Self::from_json(&text)
        } else {
            Self::from_toml(&text)
        }
    }

    /// Converts to the math crate's types and validates everything with `ballast_math`:
    /// `RiskConfig::validate`, `InterestCurve::from_points`, `LiquidationConfig::validate`.
    pub fn validate(&self) -> Result<Market, ConfigError> {
        let liquidation = LiquidationConfig {
            close_factor_bps: self.market.close_factor_bps,
            full_liquidation_health_factor_bps: self.market.full_liquidation_health_factor_bps,
            dust_value: self.market.dust_value_usd.to_wad().map_err(ConfigError::Other)?,
            target_health_factor_bps: self.market.target_health_factor_bps,
            bonus_ramp_bps: self.market.bonus_ramp_bps,
            auction_secs: self.market.auction_secs,
            paced_close_factor_bps: self.market.paced_close_factor_bps,
            pacing_window_secs: self.market.pacing_window_secs,
        };
        liquidation.validate().map_err(ConfigError::Liquidation)?;
        if self.market.min_debt_usd > 1_000_000 {
            return Err(ConfigError::Other("min_debt_usd above $1,000,000".into()));
        }
        let scenarios = self.market.scenarios.to_scenario_margin()?;
        if self.reserves.is_empty() {
            return Err(ConfigError::Other("no reserves".into()));
        }
        if self.reserves.len() > 255 {
            return Err(ConfigError::Other("at most 255 reserves".into()));
        }
        let mut reserves = Vec::with_capacity(self.reserves.len());
        for r in &self.reserves {
            let err = |error| ConfigError::Reserve { symbol: r.symbol.clone(), error };
            let risk = r.risk.to_risk_config();
            risk.validate().map_err(err)?;
            let controls = r.controls.to_risk_controls();
            controls.validate().map_err(err)?;
            let (outflow, treasury) = r.limits();
            outflow.validate().map_err(err)?;
            treasury.validate().map_err(err)?;
            let points: Vec<CurvePoint> =
                r.curve.iter().map(|&(u, rate)| CurvePoint { utilization_bps: u, borrow_rate_bps: rate }).collect();
            let curve = InterestCurve::from_points(&points).map_err(err)?;
            if r.decimals > 18 {
                return Err(ConfigError::Other(format!("{}: decimals above 18", r.symbol)));
            }
            if !(r.initial_price.is_finite() && r.initial_price > 0.0) {
                return Err(ConfigError::Other(format!("{}: initial_price must be positive", r.symbol)));
            }
            PriceLimits { max_age_secs: r.oracle.max_price_age_secs, max_confidence_bps: r.oracle.max_confidence_bps }
                .validate()
                .map_err(err)?;
            if r.oracle.confidence_bps >= 10_000 {
                return Err(ConfigError::Other(format!("{}: oracle confidence_bps must be below 10000", r.symbol)));
            }
            if !matches!(r.oracle.kind.as_str(), "pull" | "legacy") {
                return Err(ConfigError::Other(format!("{}: oracle kind must be \"pull\" or \"legacy\"", r.symbol)));
            }
            if r.oracle.kind == "pull" && !r.oracle.feed_id.is_empty() {
                parse_feed_id(&r.oracle.feed_id).map_err(|e| ConfigError::Other(format!("{}: {e}", r.symbol)))?;
            }
            if r.scenario_shocks_bps.len() > scenarios.count as usize {
                return Err(ConfigError::Other(format!("{}: more scenario shocks than scenarios", r.symbol)));
            }
            ScenarioShocks::validate(&r.scenario_shocks(), scenarios.count).map_err(err)?;
            if reserves.iter().any(|s: &ReserveSpec| s.symbol == r.symbol) {
                return Err(ConfigError::Other(format!("duplicate symbol {}", r.symbol)));
            }
            reserves.push(ReserveSpec {
                symbol: r.symbol.clone(),
                decimals: r.decimals,
                initial_price: r.initial_price,
                risk,
                controls,
                curve,
                limits: ballast_math::PriceLimits {
                    max_age_secs: r.oracle.max_price_age_secs,
                    max_confidence_bps: r.oracle.max_confidence_bps,
                },
                exponent: r.oracle.exponent,
                confidence_bps: r.oracle.confidence_bps,
                scenario_shocks_bps: r.scenario_shocks(),
                liquidation_depth_budget_usd: r.liquidation_depth_budget_usd,
                sim: r.sim.clone(),
            });
        }
        let n = reserves.len();
        let c = &self.simulation.correlation;
        if !c.is_empty() && (c.len() != n || c.iter().any(|row| row.len() != n)) {
            return Err(ConfigError::Other(format!("correlation must be {n}x{n} (reserve order)")));
        }
        if self.simulation.step_secs == 0 {
            return Err(ConfigError::Other("step_secs must be positive".into()));
        }
        Ok(Market {
            name: self.market.name.clone(),
            liquidation,
            scenarios,
            scenario_names: self.market.scenarios.names.clone(),
            reserves,
            simulation: self.simulation.clone(),
        })
    }
}

impl Market {
    pub fn load(path: &Path) -> Result<Market, ConfigError> {
        MarketFile::load(path)?.validate()
    }

    pub fn index_of(&self, symbol: &str) -> Option<usize> {
        self.reserves.iter().position(|r| r.symbol.eq_ignore_ascii_case(symbol))
    }
}

/// The example config, compiled in so `ballast-sim` works from anywhere and tests can parse it.
pub const EXAMPLE_MARKET_TOML: &str = include_str!("../market.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(parse_decimal_wad("2").unwrap(), Wad(2 * WAD));
        assert_eq!(parse_decimal_wad("0.5").unwrap(), Wad(WAD / 2));
        assert_eq!(parse_decimal_wad("1.000000000000000001").unwrap(), Wad(WAD + 1));
        assert!(parse_decimal_wad("1.0000000000000000001").is_err());
        assert!(parse_decimal_wad("-1").is_err());
        assert!(parse_decimal_wad("").is_err());
    }

    #[test]
    fn example_parses_and_validates() {
        let market = MarketFile::from_toml(EXAMPLE_MARKET_TOML).unwrap().validate().unwrap();
        assert!(market.reserves.len() >= 3);
    }

    #[test]
    fn controls_table_maps_to_risk_controls_with_defaults() {
        let market = MarketFile::from_toml(EXAMPLE_MARKET_TOML).unwrap().validate().unwrap();
        let sol = &market.reserves[market.index_of("SOL").unwrap()];
        assert_eq!(
            sol.controls,
            RiskControls {
                collateral_value_cap_usd: u64::MAX,
                utilization_ceiling_bps: 9_500,
                haircut_start_bps: 100,
                haircut_end_bps: 500,
                max_haircut_bps: 2_000,
                max_ema_deviation_bps: 1_000,
            }
        );
        let usdc = &market.reserves[market.index_of("USDC").unwrap()];
        assert_eq!(usdc.controls, RiskControls::default(), "an omitted table is RiskControls::default()");
        let bonk = &market.reserves[market.index_of("BONK").unwrap()];
        assert_eq!(bonk.controls.collateral_value_cap_usd, 50_000_000);

        // Invalid controls fail RiskControls::validate, as init_reserve would.
        let mut file = MarketFile::from_toml(EXAMPLE_MARKET_TOML).unwrap();
        file.reserves[0].controls.haircut_end_bps = file.reserves[0].controls.haircut_start_bps;
        assert!(matches!(file.validate(), Err(ConfigError::Reserve { .. })));
        // The old simulator-only name is gone (unknown fields are rejected).
        let old = EXAMPLE_MARKET_TOML.replacen("ema_half_life_steps = 30", "circuit_breaker_bps = 1000", 1);
        assert!(MarketFile::from_toml(&old).is_err());
    }

    #[test]
    fn scenarios_validate_as_the_program_does() {
        let with = |names: &str, shocks: &str| {
            let text = EXAMPLE_MARKET_TOML
                .replacen("[[reserves]]", &format!("[market.scenarios]\nnames = {names}\ninitial_buffer_bps = 10200\nmaintenance_buffer_bps = 10100\nmaintenance_fraction_bps = 6000\n\n[[reserves]]"), 1)
                .replacen("curve = [[0, 0], [8000, 800]", &format!("scenario_shocks_bps = {shocks}\ncurve = [[0, 0], [8000, 800]"), 1);
            MarketFile::from_toml(&text).unwrap().validate()
        };
        let market = with(r#"["crash", "depeg"]"#, "[-3500, 0]").unwrap();
        assert_eq!((market.scenarios.count, market.scenarios.initial_buffer_bps), (2, 10_200));
        assert_eq!(market.reserves[0].scenario_shocks_bps[..3], [-3_500, 0, 0]);
        assert!(with(r#"["crash"]"#, "[-3500, 0]").is_err(), "more shocks than scenarios");
        assert!(with(r#"["crash"]"#, "[-10001]").is_err(), "a shock below -100%");
        assert!(with(&format!("{:?}", vec!["s"; 9]), "[]").is_err(), "nine scenarios");
        let plain = MarketFile::from_toml(EXAMPLE_MARKET_TOML).unwrap().validate().unwrap();
        assert!(!plain.scenarios.enabled(), "omitted: no scenarios");
    }

    #[test]
    fn feed_ids_parse() {
        assert_eq!(parse_feed_id(&format!("0x{}", "ab".repeat(32))).unwrap(), [0xab; 32]);
        assert_eq!(parse_feed_id(&"01".repeat(32)).unwrap(), [1; 32]);
        assert!(parse_feed_id("0x1234").is_err());
    }
}
