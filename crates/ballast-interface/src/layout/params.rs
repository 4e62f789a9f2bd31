//! The instruction parameters and the `get_health` answer, declared once: see the parent module.

/// Declares the instruction parameters `MarketConfigParams`, `ReserveConfigParams` and the
/// `get_health` answer `HealthReport`; `derive` is applied to each. The caller has a
/// `CurvePointParam` in scope (a `(u16, u32)` or a struct with the same borsh bytes).
#[macro_export]
macro_rules! declare_params {
    (derive: [$(#[$derive:meta])*]) => {
        /// Market-wide liquidation knobs (see `ballast_math::liquidation::LiquidationConfig`).
        $(#[$derive])*
        pub struct MarketConfigParams {
            pub close_factor_bps: u16,
            pub full_liquidation_health_factor_bps: u16,
            pub target_health_factor_bps: u16,
            pub bonus_ramp_bps: u16,
            /// USD as a Wad (1e18 = $1).
            pub dust_value_usd: u128,
            /// Longest pause the authority may set, seconds (at most a week).
            pub max_pause_secs: u64,
            /// Seconds over which a lower liquidation threshold or a higher borrow factor takes
            /// effect (one hour to 30 days).
            pub risk_ramp_secs: u64,
            /// Stress scenarios for scenario margin (0 to 8; 0: off), the initial and maintenance
            /// debt buffers and the share of each shock maintenance applies, bps.
            pub scenario_count: u8,
            pub scenario_initial_buffer_bps: u16,
            pub scenario_maintenance_buffer_bps: u16,
            pub scenario_maintenance_fraction_bps: u16,
            /// Dutch-auction bonus duration, seconds (0: off; at most a day).
            pub auction_secs: u64,
            /// Liquidation pacing: the close factor of a collateral over its depth budget, bps
            /// (0: off; at most `close_factor_bps`), and its window, seconds (at most a day).
            pub paced_close_factor_bps: u16,
            pub pacing_window_secs: u64,
            /// Smallest debt, whole USD, a borrow or partial repay may leave in a position (0: none;
            /// at most $1,000,000).
            pub min_debt_usd: u64,
            /// Owner of the token accounts fees and insurance are withdrawn to (the default key:
            /// the market authority).
            pub fee_receiver: Pubkey,
        }

        /// Everything a risk manager sets on a reserve. Validated as a whole on creation and on every
        /// update.
        $(#[$derive])*
        pub struct ReserveConfigParams {
            pub ltv_bps: u16,
            pub liquidation_threshold_bps: u16,
            pub borrow_factor_bps: u16,
            pub min_liquidation_bonus_bps: u16,
            pub max_liquidation_bonus_bps: u16,
            pub protocol_liquidation_fee_bps: u16,
            pub protocol_take_rate_bps: u16,
            pub insurance_take_rate_bps: u16,
            /// Base units.
            pub supply_cap: u64,
            /// Base units.
            pub borrow_cap: u64,
            /// `(utilization_bps, annual_borrow_rate_bps)` points, from 0% to 100% utilisation.
            pub curve: Vec<CurvePointParam>,
            /// `OracleKind` as a byte: 1 pull (`PriceUpdateV2`), 2 legacy.
            pub oracle_kind: u8,
            /// Pyth feed id (pull). Ignored for legacy, where the price account itself is the identity.
            pub feed_id: [u8; 32],
            pub max_price_age_secs: u64,
            pub max_confidence_bps: u16,
            /// Risk controls (see `ballast_math::controls`).
            pub collateral_value_cap_usd: u64,
            pub utilization_ceiling_bps: u16,
            pub haircut_start_bps: u16,
            pub haircut_end_bps: u16,
            pub max_haircut_bps: u16,
            pub max_ema_deviation_bps: u16,
            /// This reserve's price shock in each of the market's stress scenarios, bps in
            /// [-100%, +100%]; zero past the market's scenario count.
            pub scenario_shocks_bps: [i16; 8],
            /// Whole USD of this collateral liquidations may seize for tokens within the market's
            /// pacing window before its close factor steps down (0: never paced).
            pub liquidation_depth_budget_usd: u64,
            /// Outflow limit: net borrows plus withdrawals within `outflow_window_secs` (at most a
            /// week) may not pass `outflow_cap` base units (0: no limit).
            pub outflow_cap: u64,
            pub outflow_window_secs: u64,
            /// Base units of insurance that always stay in the reserve.
            pub insurance_floor: u64,
            /// Flash-loan fee, bps (at most 1000; 65535: no flash loans).
            pub flash_loan_fee_bps: u16,
        }

        /// An obligation's health as the program computes it, returned as return data. Writes nothing,
        /// so bots and the dApp can simulate it for free.
        $(#[$derive])*
        #[derive(Copy)]
        pub struct HealthReport {
            /// USD Wads.
            pub weighted_collateral: u128,
            pub weighted_debt: u128,
            pub collateral_value: u128,
            pub debt_value: u128,
            /// Weighted collateral / weighted debt as a Wad; `u128::MAX` with no debt.
            pub health_factor: u128,
            /// Maintenance health < 0.
            pub liquidatable: bool,
        }
    };
}
