//! The market account (borsh), declared once: see the parent module.

/// Declares the borsh `Market` account and its impls; `account` is applied to it.
#[macro_export]
macro_rules! declare_market_layout {
    (account: [$(#[$account:meta])*]) => {
        /// A lending market: the authority that configures it, its liquidation knobs, and the reserves
        /// that belong to it.
        $(#[$account])*
        pub struct Market {
            /// Signs reserve creation and every config change.
            pub authority: Pubkey,
            /// What prices are quoted in (e.g. `b"USD"`, zero-padded); informational.
            pub quote_currency: [u8; 8],
            /// Reserves created in this market so far.
            pub reserve_count: u16,
            /// Share of one debt a single liquidation may repay, bps.
            pub close_factor_bps: u16,
            /// Below this health factor (bps) a liquidation may repay the whole debt.
            pub full_liquidation_health_factor_bps: u16,
            /// A liquidation that leaves debt may not lift the health factor above this (bps).
            pub target_health_factor_bps: u16,
            /// Shortfall (1 - health factor, bps) at which the liquidation bonus reaches its maximum.
            pub bonus_ramp_bps: u16,
            /// If less than this much debt (USD, Wad) would remain, a liquidation may repay all of it.
            pub dust_value_usd: u128,
            /// Longest market pause the authority may set, in seconds.
            pub max_pause_secs: u64,
            /// Deposits, withdrawals and borrows are paused until this unix time (repay and liquidation
            /// never are). A pause ends by itself.
            pub paused_until: i64,
            /// Proposed new authority (two-step transfer); the default key when none.
            pub pending_authority: Pubkey,
            /// A lower liquidation threshold or higher borrow factor takes effect over this long.
            pub risk_ramp_secs: u64,
            /// The pause budget's window (`ballast_engine::market::PauseLedger`): its start and the
            /// pause time it has used.
            pub pause_window_start: i64,
            pub paused_secs_in_window: u64,
            /// Scenario margin (`ballast_math::scenario::ScenarioMargin`): stress scenarios in force
            /// (0: off), the initial and maintenance debt buffers and the share of each shock
            /// maintenance applies, bps.
            pub scenario_count: u8,
            pub scenario_initial_buffer_bps: u16,
            pub scenario_maintenance_buffer_bps: u16,
            pub scenario_maintenance_fraction_bps: u16,
            /// A tightening of scenario maintenance in progress (`ScenarioRamp`).
            pub scenario_ramp_from_buffer_bps: u16,
            pub scenario_ramp_from_fraction_bps: u16,
            pub scenario_ramp_from_count: u8,
            pub scenario_ramp_start_ts: i64,
            pub scenario_ramp_secs: u64,
            /// Dutch-auction bonus: seconds over which it grows from a collateral's minimum to its
            /// maximum after an obligation is first seen liquidatable (0: the shortfall ramp alone).
            pub auction_secs: u64,
            /// Liquidation pacing: the close factor (bps) of a collateral over its depth budget
            /// (0: no pacing), and the window (seconds) its seizures decay over.
            pub paced_close_factor_bps: u16,
            pub pacing_window_secs: u64,
            /// Minimum debt: whole USD a borrow or partial repay may leave in a position (0: none).
            pub min_debt_usd: u64,
            /// Owner of the token accounts accrued protocol fees and insurance are withdrawn to
            /// (the default key: the market authority).
            pub fee_receiver: Pubkey,
            /// Room for later fields without a migration.
            pub reserved: [u8; 18],
        }

        impl Market {
            pub fn pause_ledger(&self) -> $crate::engine::market::PauseLedger {
                $crate::engine::market::PauseLedger {
                    window_start: self.pause_window_start,
                    paused_secs: self.paused_secs_in_window,
                }
            }

            pub fn set_pause_ledger(&mut self, ledger: &$crate::engine::market::PauseLedger) {
                self.pause_window_start = ledger.window_start;
                self.paused_secs_in_window = ledger.paused_secs;
            }

            /// The pause, liquidation and scenario knobs the engine's operations read.
            pub fn state(&self) -> $crate::engine::MarketState {
                $crate::engine::MarketState {
                    paused_until: self.paused_until,
                    liquidation: self.liquidation_config(),
                    scenarios: self.scenario_margin(),
                    scenario_ramp: $crate::math::scenario::ScenarioRamp {
                        from_maintenance_buffer_bps: self.scenario_ramp_from_buffer_bps,
                        from_maintenance_fraction_bps: self.scenario_ramp_from_fraction_bps,
                        from_count: self.scenario_ramp_from_count,
                        start_ts: self.scenario_ramp_start_ts,
                        duration_secs: self.scenario_ramp_secs,
                    },
                    min_debt_usd: self.min_debt_usd,
                }
            }

            /// Who receives withdrawn fees and insurance: the configured receiver, or the authority.
            pub fn fee_receiver(&self) -> Pubkey {
                if self.fee_receiver == Pubkey::default() {
                    self.authority
                } else {
                    self.fee_receiver
                }
            }

            /// The scenario-margin parameters as configured.
            pub fn scenario_margin(&self) -> $crate::math::scenario::ScenarioMargin {
                $crate::math::scenario::ScenarioMargin::from_stored(
                    self.scenario_count,
                    self.scenario_initial_buffer_bps,
                    self.scenario_maintenance_buffer_bps,
                    self.scenario_maintenance_fraction_bps,
                )
            }

            /// Sets new scenario parameters at `now_unix`; a tightening of maintenance ramps in
            /// over the market's `risk_ramp_secs`.
            pub fn set_scenario_margin(&mut self, target: &$crate::math::scenario::ScenarioMargin, now_unix: i64) {
                let in_force = self.state().scenario_margin_at(now_unix);
                let ramp = $crate::math::scenario::ScenarioRamp::start(&in_force, target, now_unix, self.risk_ramp_secs);
                self.scenario_count = target.count;
                self.scenario_initial_buffer_bps = target.initial_buffer_bps;
                self.scenario_maintenance_buffer_bps = target.maintenance_buffer_bps;
                self.scenario_maintenance_fraction_bps = target.maintenance_fraction_bps;
                self.scenario_ramp_from_buffer_bps = ramp.from_maintenance_buffer_bps;
                self.scenario_ramp_from_fraction_bps = ramp.from_maintenance_fraction_bps;
                self.scenario_ramp_from_count = ramp.from_count;
                self.scenario_ramp_start_ts = ramp.start_ts;
                self.scenario_ramp_secs = ramp.duration_secs;
            }

            pub fn liquidation_config(&self) -> $crate::math::liquidation::LiquidationConfig {
                $crate::math::liquidation::LiquidationConfig {
                    close_factor_bps: self.close_factor_bps,
                    full_liquidation_health_factor_bps: self.full_liquidation_health_factor_bps,
                    dust_value: $crate::math::Wad(self.dust_value_usd),
                    target_health_factor_bps: self.target_health_factor_bps,
                    bonus_ramp_bps: self.bonus_ramp_bps,
                    auction_secs: self.auction_secs,
                    paced_close_factor_bps: self.paced_close_factor_bps,
                    pacing_window_secs: self.pacing_window_secs,
                }
            }

            pub fn set_liquidation_config(&mut self, config: &$crate::math::liquidation::LiquidationConfig) {
                self.close_factor_bps = config.close_factor_bps;
                self.full_liquidation_health_factor_bps = config.full_liquidation_health_factor_bps;
                self.dust_value_usd = config.dust_value.0;
                self.target_health_factor_bps = config.target_health_factor_bps;
                self.bonus_ramp_bps = config.bonus_ramp_bps;
                self.auction_secs = config.auction_secs;
                self.paced_close_factor_bps = config.paced_close_factor_bps;
                self.pacing_window_secs = config.pacing_window_secs;
            }
        }
    };
}
